"""Write a projected graph for Gephi, Cytoscape or a spreadsheet: GraphML, GEXF or CSV."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from contextlib import contextmanager
from typing import IO, Iterator

import networkx as nx

from kg.errors import UnsupportedFormatError

GRAPH_FORMATS = ("graphml", "gexf", "csv")

CSV_COLUMNS = ("subject", "subject_type", "predicate", "object", "object_type", "sources",
               "first", "last", "confidence", "subject_iri", "object_iri")

Output = str | os.PathLike | IO[bytes]


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Return a copy whose attributes GraphML and GEXF can store.

    Lists become ``"; "``-joined strings and None becomes ``""`` (GraphML has no null);
    every edge gets a unique id (``e0``, ``e1``, ...) because two pairs may share a
    predicate, and a ``label`` (the predicate) and ``weight`` (its sources) that Gephi
    shows without configuration.
    """
    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, label=d.get("label") or n, type=d.get("type") or "",
                   wikidata=d.get("wikidata") or "", aliases="; ".join(d.get("aliases") or ()))
    for i, (u, v, key, d) in enumerate(G.edges(keys=True, data=True)):
        pred = d.get("predicate") or key
        attrs = {
            "label": pred, "predicate": pred, "family": d.get("family") or "",
            "symmetric": bool(d.get("symmetric")), "hedged": bool(d.get("hedged")),
            "sources": int(d.get("sources") or 0), "mentions": int(d.get("mentions") or 0),
            "weight": int(d.get("sources") or 1),
            "first": d.get("first") or "", "last": d.get("last") or "",
            "confidence": float(d["confidence"]) if d.get("confidence") is not None else 0.0,
        }
        H.add_edge(u, v, key=f"e{i}", **attrs)
    return H


def _csv_rows(G: nx.MultiDiGraph) -> Iterator[list]:
    for u, v, key, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        su, sv = G.nodes[u], G.nodes[v]
        conf = d.get("confidence")
        yield [su.get("label") or u, su.get("type") or "", d.get("predicate") or key,
               sv.get("label") or v, sv.get("type") or "", d.get("sources") or 0,
               d.get("first") or "", d.get("last") or "",
               "" if conf is None else f"{float(conf):.4g}", u, v]


def _write_csv(G: nx.MultiDiGraph, out: IO[bytes]) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_csv_rows(G))
        text.flush()
    finally:
        # Leave the caller's stream open: detach instead of closing the wrapper.
        text.detach()


@contextmanager
def _binary(output: Output) -> Iterator[IO[bytes]]:
    if hasattr(output, "write"):
        yield output  # type: ignore[misc]
    else:
        with open(output, "wb") as fh:
            yield fh


def export_graph(G: nx.MultiDiGraph, fmt: str, output: Output) -> None:
    """Write a graph from :func:`kg.analytics.to_networkx` as GraphML, GEXF or CSV.

    Args:
        G: the graph.
        fmt: ``graphml``, ``gexf`` or ``csv`` (one edge per row: subject, subject_type,
            predicate, object, object_type, sources, first, last, confidence, then the
            two IRIs).
        output: a file path, or a binary stream (left open).

    Raises:
        UnsupportedFormatError: an unknown format.
    """
    writers: dict[str, Callable[[IO[bytes]], None]] = {
        "graphml": lambda fh: nx.write_graphml(flat_graph(G), fh, encoding="utf-8"),
        "gexf": lambda fh: nx.write_gexf(flat_graph(G), fh, encoding="utf-8"),
        "csv": lambda fh: _write_csv(G, fh),
    }
    key = fmt.lower().strip()
    if key not in writers:
        raise UnsupportedFormatError(f"unknown graph format {fmt!r}; use one of: {', '.join(GRAPH_FORMATS)}")
    with _binary(output) as fh:
        writers[key](fh)
