"""Graph exports re-read by networkx (and csv) with the attributes a Gephi user needs."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from kg.analytics import to_networkx
from kg.errors import UnsupportedFormatError
from kg.exports import CSV_COLUMNS, export_graph
from kg.namespaces import ENTITY

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
        "investsIn", "suppliesTo", "partnersWith"}


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
    invest = next(r for r in rows if (r["subject"], r["predicate"], r["object"]) == ("Microsoft", "investsIn", "OpenAI"))
    assert invest["subject_type"] == "Organization" and invest["sources"] == "3"
    assert (invest["first"], invest["last"], invest["confidence"]) == ("2019-07-22", "2023-01-23", "0.95")
    tricky = next(r for r in rows if r["predicate"] == "worksFor")
    assert tricky["subject"] == 'O"Brien } ; DROP ALL'  # quoted by csv, read back intact


def test_empty_graph_and_unknown_format(tmp_path):
    export_graph(nx.MultiDiGraph(), "gexf", tmp_path / "empty.gexf")
    assert nx.read_gexf(tmp_path / "empty.gexf").number_of_nodes() == 0
    with pytest.raises(UnsupportedFormatError, match="graphml, gexf, csv"):
        export_graph(nx.MultiDiGraph(), "dot", tmp_path / "x.dot")
