"""Every store subcommand of `aikg`, run as a real process on real files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

REPO = Path(__file__).resolve().parents[2]

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

QUERY = (
    "PREFIX aikg: <https://w3id.org/aikg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    'SELECT ?investor WHERE { ?i aikg:investsIn ?o . ?o rdfs:label "OpenAI" . ?i rdfs:label ?investor } '
    "ORDER BY ?investor"
)


def aikg(*args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "aikg", *args], input=stdin, capture_output=True, text=True, timeout=120, env=env
    )


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
    assert [line.strip() for line in lines[2:4]] == ["Microsoft", "Nvidia"]
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
    rq.write_text(
        "CONSTRUCT { ?s <https://w3id.org/aikg/ontology#investsIn> ?o } "
        "WHERE { ?s <https://w3id.org/aikg/ontology#investsIn> ?o }"
    )
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


@pytest.mark.parametrize(
    "fmt,oxfmt",
    [("turtle", "TURTLE"), ("ntriples", "N_TRIPLES"), ("nquads", "N_QUADS"), ("trig", "TRIG"), ("jsonld", "JSON_LD")],
)
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


# ------------------------------------------------------------------ what the README promises


def test_version_comes_from_the_package_and_python_m_aikg_works_like_aikg():
    from aikg import __version__

    for cmd in ([sys.executable, "-m", "aikg"], [sys.executable, "-m", "aikg.cli"]):
        proc = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=120)
        assert (proc.returncode, proc.stdout) == (0, f"aikg {__version__}\n")
    proc = subprocess.run([sys.executable, "-m", "aikg", "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "python -m aikg" in proc.stdout
    for cmd in ("load", "query", "ingest", "extract", "serve", "demo", "analytics"):
        assert cmd in proc.stdout


def _help_pages() -> dict[str, str]:
    """Return the --help text of the command and of every subcommand, by command line."""
    from concurrent.futures import ThreadPoolExecutor

    cmds = (
        "",
        "load",
        "query",
        "export",
        "stats",
        "validate",
        "ingest",
        "delete",
        "demo",
        "extract",
        "eval",
        "serve",
        "viz",
        "analytics",
        "analytics centrality",
        "analytics communities",
        "analytics path",
        "curate",
        "curate duplicates",
        "curate suspects",
        "curate merge",
        "watch",
        "mcp",
    )
    with ThreadPoolExecutor(4) as pool:
        done = dict(zip(cmds, pool.map(lambda cmd: aikg(*cmd.split(), "--help"), cmds)))
    for cmd, proc in done.items():
        assert proc.returncode == 0, (cmd, proc.stderr)
    return {f"aikg {cmd}".strip(): proc.stdout for cmd, proc in done.items()}


def test_help_pages_show_no_value_type_on_flags_and_no_stray_spaces():
    pages = _help_pages()
    for cmd, text in pages.items():
        assert "<bool>" not in text, cmd
        # Rich used to eat "[default: ...]" as markup, leaving "URL ." behind.
        stray = re.search(r".{0,30}\w \.(?=\s|$)", text, re.M)
        assert not stray, (cmd, stray)
        # ... and set the env var and default in columns apart from the sentence.
        assert not re.search(r"[^\s│] {2,}\[(env var|default)", text), cmd
    flat = {cmd: " ".join(text.replace("│", " ").split()) for cmd, text in pages.items()}
    assert "[default: ./aikg-data]" in flat["aikg ingest"]
    assert "--max-article-bytes" in flat["aikg ingest"] and "--max-article-bytes" in flat["aikg extract"]
    assert "--version Print the version and exit." in flat["aikg"]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "table"])
def test_query_output_ends_with_a_newline(loaded, fmt):
    for q in (QUERY, "ASK { ?s ?p ?o }"):
        proc = aikg("query", q, "--store", str(loaded), "--format", fmt)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.endswith("\n") and not proc.stdout.endswith("\n\n"), proc.stdout[-40:]


@pytest.mark.parametrize("fmt", ["jsonld", "graphml", "turtle", "csv"])
def test_export_ends_with_a_newline(loaded, tmp_path, fmt):
    proc = aikg("export", "--format", fmt, "--store", str(loaded))
    assert proc.returncode == 0 and proc.stdout.endswith("\n"), proc.stdout[-40:]
    out = tmp_path / f"graph.{fmt}"
    assert aikg("export", "--format", fmt, "-o", str(out), "--store", str(loaded)).returncode == 0
    assert out.read_bytes().endswith(b"\n")


def test_a_missing_query_file_is_bad_input(loaded, tmp_path):
    proc = aikg("query", str(tmp_path / "missing.rq"), "--store", str(loaded))
    assert proc.returncode == 2
    assert proc.stderr == f"aikg: error: {tmp_path / 'missing.rq'}: no such file\n"


@pytest.fixture
def busy_port():
    """A port someone else is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_demo_reports_a_busy_port_before_ingesting_anything(tmp_path, busy_port):
    store = tmp_path / "store"
    expected = (
        f"aikg: error: port {busy_port} on 127.0.0.1 is already in use: pick a free one with "
        "--port N (or AIKG_PORT=N, or make demo PORT=N)\n"
    )
    started = time.monotonic()
    by_flag = aikg("demo", "--port", str(busy_port), "--store", str(store))
    by_env = aikg("demo", "--store", str(store), env={**os.environ, "AIKG_PORT": str(busy_port)})
    for proc in (by_flag, by_env):
        assert (proc.returncode, proc.stderr, proc.stdout) == (1, expected, "")
    assert not store.exists(), "the demo started ingesting before it found the port busy"
    assert time.monotonic() - started < 60


def test_serve_reports_a_busy_port_in_one_line(tmp_path, busy_port):
    proc = aikg("serve", "--port", str(busy_port), "--store", str(tmp_path / "store"))
    assert proc.returncode == 1
    assert proc.stderr == (
        f"aikg serve: error: port {busy_port} on 127.0.0.1 is already in use: pick a free "
        "one with --port N (or AIKG_PORT=N)\n"
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_port_picks_the_port(tmp_path, busy_port):
    """`make demo PORT=N` hands the port to `aikg demo` (setup is skipped with a fresh stamp)."""
    venv = Path(sys.prefix)
    if not (venv / "bin" / "aikg").exists():
        pytest.skip("this Python has no aikg console script beside it")
    stamp = tmp_path / "installed"
    stamp.touch()
    proc = subprocess.run(
        ["make", "-C", str(REPO), "demo", f"PORT={busy_port}", f"VENV={venv}", f"STAMP={stamp}"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO), "AIKG_STORE": str(tmp_path / "store")},
    )
    assert proc.returncode != 0
    assert f"port {busy_port} on 127.0.0.1 is already in use" in proc.stderr
    assert f"--port {busy_port}" in proc.stdout  # the command make ran
    assert not (tmp_path / "store").exists()
