"""`aikg ingest --reextract`: articles stored by an older extractor are extracted again.

A real store on disk, the real spaCy pipeline and the command a user runs. The older
store is made by rewriting one article's statements the way the 0.1.0 extractor wrote
them (date words as a plain ``aikg:statedDate``, no ``aikg:ended``, its version tag)
with a SPARQL update through the store API.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.derived import NOT_DERIVED
from kg.loader import find_articles
from kg.namespaces import ONTOLOGY, XSD
from kg.store import LocalStore
from kg.validate import validate_store

pytestmark = pytest.mark.slow

OLD = "aikg-extract/0.1.0"
DATED = """---
title: Microsoft and Inflection part ways
url: https://news.example/rx/dated
published: 2024-05-10
---
In March 2023, Microsoft invested $10 billion in OpenAI. Microsoft ended its partnership with
Inflection in 2023. Google sold its stake in Anthropic in January 2024.
"""
OTHER = """---
title: People move
url: https://news.example/rx/other
published: 2024-05-11
---
Mustafa Suleyman, who formerly worked for Google, now leads Microsoft AI. Emmett Shear was the
former chief executive of Twitch.
"""
STATEMENTS = f"""
PREFIX aikg: <{ONTOLOGY}>
SELECT ?st ?d ?ended ?v WHERE {{
  GRAPH ?g {{ ?st a aikg:RelationStatement ; aikg:extractorVersion ?v .
    OPTIONAL {{ ?st aikg:statedDate ?d }} OPTIONAL {{ ?st aikg:ended ?ended }} }}
}}"""
# What 0.1.0 wrote: the date words as a plain string, no ended flag, no dateText.
MAKE_OLD = f"""
PREFIX aikg: <{ONTOLOGY}>
DELETE {{ GRAPH ?g {{ ?st aikg:statedDate ?d ; aikg:ended ?e ; aikg:dateText ?w ; aikg:extractorVersion ?v }}
          ?st aikg:statedDate ?d ; aikg:ended ?e ; aikg:dateText ?w ; aikg:extractorVersion ?v }}
INSERT {{ GRAPH ?g {{ ?st aikg:statedDate ?w ; aikg:extractorVersion "{OLD}" }}
          ?st aikg:statedDate ?w ; aikg:extractorVersion "{OLD}" }}
WHERE {{
  VALUES ?g {{ GRAPH_IRI }}
  GRAPH ?g {{ ?st a aikg:RelationStatement ; aikg:extractorVersion ?v .
    OPTIONAL {{ ?st aikg:statedDate ?d }} OPTIONAL {{ ?st aikg:ended ?e }} OPTIONAL {{ ?st aikg:dateText ?w }} }}
}}"""
ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def aikg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aikg", *args], capture_output=True, text=True, timeout=600)


def _statements(store: LocalStore, graph: ox.NamedNode) -> dict[str, dict]:
    rows = store.query(STATEMENTS.replace("GRAPH ?g", f"GRAPH {graph}"))
    return {r["st"].value: {"date": r["d"], "ended": r["ended"], "version": r["v"].value} for r in rows}


def _quads(store: LocalStore, graph: ox.NamedNode | None = None) -> set[str]:
    if graph is not None:
        return {str(q) for q in store.graph_quads(graph)}
    return {f"{r['s']} {r['p']} {r['o']} {r['g']}" for r in store.query(ALL_QUADS)}


@pytest.fixture
def old_store(tmp_path: Path) -> tuple[Path, Path, ox.NamedNode, ox.NamedNode]:
    """A store of two articles, the first rewritten as the 0.1.0 extractor left it."""
    inputs = tmp_path / "articles"
    inputs.mkdir()
    (inputs / "dated.md").write_text(DATED, encoding="utf-8")
    (inputs / "other.md").write_text(OTHER, encoding="utf-8")
    store = tmp_path / "store"
    done = aikg("ingest", str(inputs), "--store", str(store), "--json")
    assert done.returncode == 0, done.stderr
    with LocalStore(store) as s:
        [dated], [other] = (
            find_articles(s, "https://news.example/rx/dated"),
            find_articles(s, "https://news.example/rx/other"),
        )
        assert any(st["date"] is not None for st in _statements(s, dated).values()), (
            "the dated article needs a statement with a date"
        )
        s.update(MAKE_OLD.replace("GRAPH_IRI", str(dated)))
        made_old = _statements(s, dated)
        assert made_old and all(st["version"] == OLD and st["ended"] is None for st in made_old.values())
        assert not validate_store(s).conforms, "a plain-string statedDate should be a shape violation"
    return inputs, store, dated, other


def test_reextract_replaces_the_statements_of_an_older_extractor_and_nothing_else(old_store):
    inputs, store, dated, other = old_store
    with LocalStore(store) as s:
        before = _statements(s, dated)
        other_before = _quads(s, other)
        first_ingested = next(
            iter(s.query(f"SELECT ?t WHERE {{ GRAPH {dated} {{ {dated} <{ONTOLOGY}ingestedAt> ?t }} }}"))
        )["t"]

    done = aikg("ingest", str(inputs), "--store", str(store), "--reextract", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["reextracted"], summary["unchanged"], summary["new"], summary["replaced"]) == (1, 1, 0, 0)

    with LocalStore(store) as s:
        after = _statements(s, dated)
        # The same statements (same nodes), none doubled, now as the current extractor makes them.
        assert set(after) == set(before)
        assert all(st["version"] != OLD for st in after.values())
        assert all(
            st["ended"] is not None and st["ended"].datatype == ox.NamedNode(XSD + "boolean") for st in after.values()
        )
        dates = [st["date"] for st in after.values() if st["date"] is not None]
        assert dates and {d.datatype.value.rsplit("#", 1)[1] for d in dates} <= {"date", "gYearMonth", "gYear"}
        assert {d.value for d in dates} >= {"2023-03", "2023", "2024-01"}
        assert sum(st["ended"].value == "true" for st in after.values()) == 2
        assert (
            list(
                s.query(
                    f"SELECT ?st WHERE {{ GRAPH {dated} {{ ?st <{ONTOLOGY}statedDate> ?d "
                    "FILTER(DATATYPE(?d) = <http://www.w3.org/2001/XMLSchema#string>) } }"
                )
            )
            == []
        )
        # Still one graph for the url, the first ingestion time kept, the other article as it was.
        urls = [r["u"].value for r in s.query("SELECT ?u WHERE { GRAPH ?g { ?g <https://schema.org/url> ?u } }")]
        assert sorted(urls) == ["https://news.example/rx/dated", "https://news.example/rx/other"]
        again_ingested = next(
            iter(s.query(f"SELECT ?t WHERE {{ GRAPH {dated} {{ {dated} <{ONTOLOGY}ingestedAt> ?t }} }}"))
        )["t"]
        assert again_ingested == first_ingested
        assert _quads(s, other) == other_before
        report = validate_store(s)
        assert report.conforms, report.format()
        snapshot = _quads(s)

    # A second run finds nothing older: it changes nothing.
    done = aikg("ingest", str(inputs), "--store", str(store), "--reextract", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["reextracted"], summary["unchanged"], summary["relations"]) == (0, 2, 0)
    with LocalStore(store) as s:
        assert _quads(s) == snapshot


def test_default_graph_keeps_mirroring_the_articles_after_a_reextract(old_store):
    inputs, store, dated, _ = old_store
    done = aikg("ingest", str(inputs), "--store", str(store), "--reextract")
    assert done.returncode == 0, done.stderr
    assert "1 re-extracted" in done.stderr
    with LocalStore(store) as s:
        named = {
            f"{r['s']} {r['p']} {r['o']}"
            for r in s.query(f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {NOT_DERIVED} }}")
        }
        default = {f"{q.subject} {q.predicate} {q.object}" for q in s.graph_quads(ox.DefaultGraph())}
    # No statedDate string or version tag of the old extraction is left in the union.
    assert named == default
    assert not any(OLD in t for t in default)


def test_reextract_all_redoes_current_articles_too_and_ingest_without_it_leaves_them(old_store):
    inputs, store, dated, other = old_store
    with LocalStore(store) as s:
        other_statements = set(_statements(s, other))
    plain = aikg("ingest", str(inputs), "--store", str(store), "--json")
    assert json.loads(plain.stdout)["unchanged"] == 2
    with LocalStore(store) as s:
        assert all(st["version"] == OLD for st in _statements(s, dated).values())
    done = aikg("ingest", str(inputs), "--store", str(store), "--reextract-all", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["reextracted"], summary["unchanged"]) == (2, 0)
    with LocalStore(store) as s:
        assert set(_statements(s, other)) == other_statements
        assert all(st["version"] != OLD for st in _statements(s, dated).values())
        report = validate_store(s)
        assert report.conforms, report.format()


def test_reextract_with_bulk_is_a_usage_error(tmp_path):
    (tmp_path / "a.md").write_text(DATED, encoding="utf-8")
    done = aikg("ingest", str(tmp_path / "a.md"), "--store", str(tmp_path / "store"), "--reextract", "--bulk")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "--bulk" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "store").exists() or not any((tmp_path / "store").iterdir())


def test_reextract_keeps_a_text_the_article_had(tmp_path):
    (tmp_path / "a.md").write_text(DATED, encoding="utf-8")
    store = tmp_path / "store"
    done = aikg("ingest", str(tmp_path / "a.md"), "--store", str(store), "--store-text", "--json")
    assert done.returncode == 0, done.stderr
    text = f"SELECT ?t WHERE {{ GRAPH ?g {{ ?a <{ONTOLOGY}text> ?t }} }}"
    with LocalStore(store) as s:
        [before] = [r["t"].value for r in s.query(text)]
    assert "Inflection" in before
    done = aikg("ingest", str(tmp_path / "a.md"), "--store", str(store), "--reextract-all", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reextracted"] == 1
    with LocalStore(store) as s:
        assert [r["t"].value for r in s.query(text)] == [before]
