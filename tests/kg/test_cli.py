"""Every store subcommand of `aikg`, run as a real process on real files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest

TURTLE = """\
@prefix aikg: <https://w3id.org/aikg/ontology#> .
@prefix ent: <https://w3id.org/aikg/entity/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ent:microsoft a aikg:Organization ; rdfs:label "Microsoft" .
ent:openai a aikg:Organization ; rdfs:label "OpenAI" .
ent:nvidia a aikg:Organization ; rdfs:label "Nvidia" .
ent:microsoft aikg:investsIn ent:openai .
ent:nvidia aikg:investsIn ent:openai .
"""

QUERY = ("PREFIX aikg: <https://w3id.org/aikg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         "SELECT ?investor WHERE { ?i aikg:investsIn ?o . ?o rdfs:label \"OpenAI\" . ?i rdfs:label ?investor } "
         "ORDER BY ?investor")


def aikg(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.fixture
def loaded(tmp_path):
    store = tmp_path / "store"
    ttl = tmp_path / "seed.ttl"
    ttl.write_text(TURTLE, encoding="utf-8")
    proc = aikg("load", str(ttl), "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    assert "loaded 8 statements" in proc.stdout
    return store


def test_query_table_lists_investors(loaded):
    proc = aikg("query", QUERY, "--store", str(loaded))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].strip() == "investor"
    assert [l.strip() for l in lines[2:4]] == ["Microsoft", "Nvidia"]
    assert lines[-1] == "(2 rows)"


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_query_formats_parse_back(loaded, fmt):
    proc = aikg("query", QUERY, "--store", str(loaded), "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    if fmt == "json":
        rows = json.loads(proc.stdout)["results"]["bindings"]
        assert [r["investor"]["value"] for r in rows] == ["Microsoft", "Nvidia"]
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(proc.stdout))) == [["investor"], ["Microsoft"], ["Nvidia"]]
    else:
        parsed = ox.parse_query_results(proc.stdout.encode(), format=getattr(ox.QueryResultsFormat, fmt.upper()))
        assert [r["investor"].value for r in parsed] == ["Microsoft", "Nvidia"]


def test_query_from_rq_file_and_construct_as_turtle(loaded, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("CONSTRUCT { ?s <https://w3id.org/aikg/ontology#investsIn> ?o } "
                  "WHERE { ?s <https://w3id.org/aikg/ontology#investsIn> ?o }")
    proc = aikg("query", str(rq), "--store", str(loaded))
    assert proc.returncode == 0, proc.stderr
    triples = list(ox.parse(proc.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) == 2


def test_malformed_query_exits_2_with_position_and_store_untouched(loaded):
    proc = aikg("query", "SELECT ?x WHERE { ?x ?p }", "--store", str(loaded))
    assert proc.returncode == 2
    assert "malformed query: line 1, column 25: incomplete triple pattern" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_malformed_rdf_file_exits_2_and_loads_nothing(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(TURTLE + "ent:x aikg:investsIn .\n")
    store = tmp_path / "store"
    proc = aikg("load", str(bad), "--store", str(store))
    assert proc.returncode == 2
    assert "line 9" in proc.stderr or "9:" in proc.stderr
    stats = aikg("stats", "--json", "--store", str(store))
    assert json.loads(stats.stdout)["triples"] == 0


def test_unknown_extension_is_refused(tmp_path):
    f = tmp_path / "data.docx"
    f.write_text("x")
    proc = aikg("load", str(f), "--store", str(tmp_path / "s"))
    assert proc.returncode == 2 and "unknown RDF format" in proc.stderr


@pytest.mark.parametrize("fmt,oxfmt", [("turtle", "TURTLE"), ("ntriples", "N_TRIPLES"),
                                       ("nquads", "N_QUADS"), ("trig", "TRIG"), ("jsonld", "JSON_LD")])
def test_export_round_trips(loaded, tmp_path, fmt, oxfmt):
    out = tmp_path / f"out.{fmt}"
    proc = aikg("export", "--format", fmt, "-o", str(out), "--store", str(loaded))
    assert proc.returncode == 0, proc.stderr
    quads = list(ox.parse(out.read_bytes(), format=getattr(ox.RdfFormat, oxfmt)))
    assert len({q.triple for q in quads}) == 8


def test_stats_counts(loaded):
    proc = aikg("stats", "--json", "--store", str(loaded))
    st = json.loads(proc.stdout)
    assert st["entities_by_type"]["Organization"] == 3
    assert st["relations_by_predicate"] == {"investsIn": 2}
    text = aikg("stats", "--store", str(loaded)).stdout
    assert "investsIn" in text and "entities   3" in text


def test_reading_a_missing_store_says_so(tmp_path):
    proc = aikg("stats", "--store", str(tmp_path / "nowhere"))
    assert proc.returncode == 1 and "no aikg store" in proc.stderr
    assert not (tmp_path / "nowhere").exists()


def test_store_from_environment(loaded):
    import os

    env = dict(os.environ, AIKG_STORE=str(loaded))
    proc = aikg("stats", "--json", env=env)
    assert json.loads(proc.stdout)["triples"] == 8


def test_help_lists_every_subcommand():
    proc = aikg("--help")
    for cmd in ("load", "query", "export", "stats", "validate", "ingest", "delete", "demo"):
        assert cmd in proc.stdout
