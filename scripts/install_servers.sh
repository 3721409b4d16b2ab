#!/bin/sh
# Install the SPARQL servers the engine tests start (tests/kg/test_engines.py), as root on
# Debian: Virtuoso Open Source and a Java 17 runtime from Debian, and Apache Jena Fuseki
# 5.6.0 (jena-fuseki-main with its dependencies) from Maven Central through Maven, which
# checks every download against the checksum published beside it (-C: a mismatch fails).
# A second run finds everything in place and does nothing.
#
# Fuseki lands in $AIKG_FUSEKI_HOME (default ~/.cache/aikg/fuseki-5.6.0)/lib. Where Maven
# Central cannot be reached the script says so and goes on: the Fuseki tests then skip
# with that reason, and the Oxigraph and Virtuoso ones still run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
fuseki_home=${AIKG_FUSEKI_HOME:-$HOME/.cache/aikg/fuseki-5.6.0}

need=""
command -v virtuoso-t >/dev/null 2>&1 || need="$need virtuoso-opensource"
command -v java >/dev/null 2>&1 || need="$need openjdk-17-jre-headless"
command -v mvn >/dev/null 2>&1 || need="$need maven"
if [ -n "$need" ]; then
    echo "installing from Debian:$need"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi

if [ -f "$fuseki_home/lib/.complete" ]; then
    exit 0
fi
mkdir -p "$fuseki_home"
rm -rf "$fuseki_home/lib.part"
if mvn -B -q -C -f "$here/fuseki/pom.xml" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$fuseki_home/lib.part" >"$fuseki_home/maven.log" 2>&1; then
    touch "$fuseki_home/lib.part/.complete"
    rm -rf "$fuseki_home/lib"
    mv "$fuseki_home/lib.part" "$fuseki_home/lib"
    echo "Fuseki 5.6.0 installed in $fuseki_home/lib"
else
    rm -rf "$fuseki_home/lib.part"
    echo "warning: Fuseki was not installed (Maven could not fetch jena-fuseki-main 5.6.0; see $fuseki_home/maven.log);" >&2
    echo "warning: the Fuseki engine tests will skip" >&2
fi
