"""Graph exports re-read by networkx (and csv) with the attributes a Gephi user needs."""

from __future__ import annotations

import csv
import io
import os
import stat

import networkx as nx
import pytest

from kg.analytics import to_networkx
from kg.errors import UnsupportedFormatError
from kg.exports import CSV_COLUMNS, atomic_output, export_graph, spreadsheet_cell, xml_text
from kg.namespaces import ENTITY
from kg.store import LocalStore
from tests import timeworld as tw

MSFT, OPENAI = ENTITY + "microsoft", ENTITY + "openai"


def _edge(H, u, v, predicate):
    return next(d for d in H.get_edge_data(u, v).values() if d["predicate"] == predicate)


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_files_reread_with_attributes(world, tmp_path, fmt, reader):
    G = to_networkx(world)
    path = tmp_path / f"graph.{fmt}"
    export_graph(G, fmt, path)
    H = reader(path)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert H.nodes[MSFT]["label"] == "Microsoft"
    assert H.nodes[MSFT]["type"] == "Organization"
    assert H.nodes[MSFT]["wikidata"] == "Q2283"
    assert H.nodes[ENTITY + "mistral-ai"]["wikidata"] == ""
    invest = _edge(H, MSFT, OPENAI, "investsIn")
    assert int(invest["sources"]) == 3
    assert (invest["first"], invest["last"]) == ("2019-07-22", "2023-01-23")
    assert float(invest["confidence"]) == pytest.approx(0.95)
    assert invest["family"] == "cooperation"
    # Microsoft and OpenAI are linked by three predicates: three edges, not one
    assert {d["predicate"] for d in H.get_edge_data(MSFT, OPENAI).values()} == {
        "investsIn",
        "suppliesTo",
        "partnersWith",
    }


def test_graphml_to_an_open_stream(world):
    buf = io.BytesIO()
    export_graph(to_networkx(world, as_of="2020-01-01"), "graphml", buf)
    assert not buf.closed
    H = nx.read_graphml(io.BytesIO(buf.getvalue()))
    assert sorted(d["predicate"] for _, _, d in H.edges(data=True)) == ["investsIn", "suppliesTo"]


def test_csv_edge_list(world, tmp_path):
    path = tmp_path / "edges.csv"
    export_graph(to_networkx(world), "csv", path)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_COLUMNS
    invest = next(
        r for r in rows if (r["subject"], r["predicate"], r["object"]) == ("Microsoft", "investsIn", "OpenAI")
    )
    assert invest["subject_type"] == "Organization" and invest["sources"] == "3"
    assert (invest["first"], invest["last"], invest["confidence"]) == ("2019-07-22", "2023-01-23", "0.95")
    tricky = next(r for r in rows if r["predicate"] == "worksFor")
    assert tricky["subject"] == 'O"Brien } ; DROP ALL'  # quoted by csv, read back intact


def test_empty_graph_and_unknown_format(tmp_path):
    export_graph(nx.MultiDiGraph(), "gexf", tmp_path / "empty.gexf")
    assert nx.read_gexf(tmp_path / "empty.gexf").number_of_nodes() == 0
    with pytest.raises(UnsupportedFormatError, match="graphml, gexf, csv"):
        export_graph(nx.MultiDiGraph(), "dot", tmp_path / "x.dot")


@pytest.mark.parametrize(
    "text, cell",
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946", "'+44 20 7946"),
        ("-2+3", "'-2+3"),
        ("@Scale Labs", "'@Scale Labs"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
        ("-0.5", "-0.5"),
        ("+3", "+3"),
        ("1e-3", "1e-3"),
        ("Microsoft", "Microsoft"),
        ("a=b", "a=b"),
        ("", ""),
        (" =1", " =1"),
        (3, 3),
        (-1.5, -1.5),
    ],
)
def test_spreadsheet_cells(text, cell):
    assert spreadsheet_cell(text) == cell


def test_xml_text_keeps_what_xml_allows():
    assert xml_text("a\x00b\x01c\x08d\x0be\x0cf\x1fg\ufffeh\uffffi\ud800j") == "abcdefghij"
    kept = 'tab\t lf\n cr\r \x7f \u0085 \ue000 \ufffd \U0001f600 <&>"'
    assert xml_text(kept) == kept


def test_csv_of_formula_labels_raw_and_neutralised(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("urn:a", label='=HYPERLINK("http://evil.example")', type="Organization")
    G.add_node("urn:b", label="@Scale Labs", type="Organization")
    G.add_edge("urn:a", "urn:b", key="investsIn", predicate="investsIn", sources=1, confidence=0.5)
    for raw, prefix in ((False, "'"), (True, "")):
        path = tmp_path / f"raw-{raw}.csv"
        export_graph(G, "csv", path, raw=raw)
        with path.open(newline="", encoding="utf-8") as fh:
            row = next(csv.DictReader(fh))
        assert row["subject"] == prefix + '=HYPERLINK("http://evil.example")'
        assert row["object"] == prefix + "@Scale Labs"
        assert row["confidence"] == "0.5"


def test_atomic_output_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "out.graphml"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    with pytest.raises(RuntimeError):
        with atomic_output(target) as fh:
            fh.write(b"half a file")
            raise RuntimeError("the store went away")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.graphml"]
    with atomic_output(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the replaced file's mode is kept
    assert os.listdir(tmp_path) == ["out.graphml"]


def test_atomic_output_writes_through_a_symlink(tmp_path):
    real = tmp_path / "real.csv"
    real.write_bytes(b"old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with atomic_output(link) as fh:
        fh.write(b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_atomic_output_writes_a_pipe_directly(tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    with atomic_output(fifo) as fh:
        fh.write(b"streamed")
    reader.join(timeout=10)
    assert got == [b"streamed"] and os.listdir(tmp_path) == ["pipe"]


# The columns of the CSV before relations had a time: a script that reads them by
# position must find them where they were.
CSV_COLUMNS_BEFORE_TIME = (
    "subject",
    "subject_type",
    "predicate",
    "object",
    "object_type",
    "sources",
    "first",
    "last",
    "confidence",
    "subject_iri",
    "object_iri",
)
WORKS = ("Dana Okafor", "worksFor", "Helix Robotics")
LEADS = ("Dana Okafor", "leads", "Helix Robotics")
STAKE = ("Northwind Capital", "investsIn", "Helix Robotics")


@pytest.fixture
def career_dir(tmp_path):
    """Joined Helix in March 2019, chief executive from May 2022, left in August 2024 (tests/timeworld.py)."""
    return tw.build_store(tmp_path / "career")


def csv_times(path) -> dict[tuple[str, str, str], tuple[str, str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {
            (r["subject"], r["predicate"], r["object"]): (r["ended"], r["start_date"], r["end_date"])
            for r in csv.DictReader(fh)
        }


def test_career_as_csv_shows_the_ended_relations_with_their_end_date(career_dir, tmp_path):
    with LocalStore(career_dir) as store:
        G = to_networkx(store)
    path = tmp_path / "career.csv"
    export_graph(G, "csv", path)
    assert csv_times(path) == {
        WORKS: ("true", "2019-03", "2024-08"),
        LEADS: ("true", "2022-05", "2024-08"),
        STAKE: ("false", "2022-05-03", ""),
    }
    with open(path, newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    assert tuple(header[:11]) == CSV_COLUMNS_BEFORE_TIME
    stake = next(r for r in rows if r[0] == "Northwind Capital")
    assert stake[9:11] == [ENTITY + "northwind-capital", ENTITY + "helix-robotics"]
    assert (stake[5], stake[6], stake[8]) == ("1", "2022-05-03", "0.9")


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_career_graph_files_carry_ended_and_dates(career_dir, tmp_path, fmt, reader):
    with LocalStore(career_dir) as store:
        G = to_networkx(store, as_of="2025-01-01", include_ended=True)
    path = tmp_path / f"career.{fmt}"
    export_graph(G, fmt, path)
    H = reader(path)
    dana, helix, northwind = (ENTITY + s for s in ("dana-okafor", "helix-robotics", "northwind-capital"))
    works = _edge(H, dana, helix, "worksFor")
    assert (works["ended"], works["start_date"], works["end_date"]) == (True, "2019-03", "2024-08")
    stake = _edge(H, northwind, helix, "investsIn")
    assert (stake["ended"], stake["start_date"], stake["end_date"]) == (False, "2022-05-03", "")


def test_export_command_takes_as_of_and_ended(career_dir, tmp_path):
    from typer.testing import CliRunner

    from aikg.cli import app

    out = tmp_path / "edges.csv"

    def export(*args):
        result = CliRunner().invoke(app, ["export", "--store", str(career_dir), "-f", "csv", "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        return csv_times(out)

    history = {
        WORKS: ("true", "2019-03", "2024-08"),
        LEADS: ("true", "2022-05", "2024-08"),
        STAKE: ("false", "2022-05-03", ""),
    }
    assert export() == history
    assert export("--as-of", "2023-06-30") == {
        WORKS: ("false", "2019-03", ""),
        LEADS: ("false", "2022-05", ""),
        STAKE: ("false", "2022-05-03", ""),
    }
    # The graph of a day is its active relations; --ended keeps the ones over by then, flagged.
    assert export("--as-of", "2025-01-01") == {STAKE: ("false", "2022-05-03", "")}
    assert export("--as-of", "2025", "--ended") == history
    assert export("--no-ended") == {STAKE: ("false", "2022-05-03", "")}
    assert export("--as-of", "2020-06") == {WORKS: ("false", "2019-03", "")}

    before = out.read_bytes()
    for args, message in [
        (
            ["-f", "csv", "--as-of", "yesterday"],
            "aikg: error: --as-of must be a date YYYY-MM-DD (or a month YYYY-MM, or a year YYYY), got 'yesterday'",
        ),
        (
            ["-f", "turtle", "--as-of", "2024"],
            "aikg: error: --as-of applies to --format graphml, gexf, csv only (RDF exports hold every statement)",
        ),
        (
            ["-f", "nquads", "--no-ended"],
            "aikg: error: --ended/--no-ended applies to --format graphml, gexf, csv only "
            "(RDF exports hold every statement)",
        ),
    ]:
        result = CliRunner().invoke(app, ["export", "--store", str(career_dir), "-o", str(out), *args])
        assert (result.exit_code, result.output.strip()) == (2, message)
        assert out.read_bytes() == before
