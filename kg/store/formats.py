"""The RDF serializations a user names (by name or file extension) and parsing RDF text."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.errors import RDFParseError, UnsupportedFormatError

# Serialization names a user types -> pyoxigraph formats.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}

_EXTENSIONS = {
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".xml": "rdfxml",
    ".owl": "rdfxml",
    ".n3": "n3",
}

QUAD_FORMATS = frozenset({ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD})


def rdf_format(name_or_path: str | os.PathLike[str]) -> ox.RdfFormat:
    """Return the RDF format named, or guessed from a file extension.

    Raises:
        UnsupportedFormatError: the name or extension is not an RDF format aikg reads.
    """
    key = str(name_or_path).lower()
    if key in RDF_FORMATS:
        return RDF_FORMATS[key]
    suffix = Path(key).suffix
    if suffix in _EXTENSIONS:
        return RDF_FORMATS[_EXTENSIONS[suffix]]
    raise UnsupportedFormatError(
        f"unknown RDF format {str(name_or_path)!r}; use one of: "
        + ", ".join(sorted({"turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"}))
    )


def parse_rdf(
    data: bytes | IO[bytes], fmt: ox.RdfFormat, *, graph: str | None = None, base_iri: str | None = None
) -> list[ox.Quad]:
    """Parse a whole RDF document into quads, or fail without side effects.

    Raises:
        RDFParseError: the document does not parse; the message names line and column.
    """
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    try:
        quads = []
        for q in ox.parse(data, format=fmt, base_iri=base_iri):
            if graph is not None and fmt not in QUAD_FORMATS or isinstance(q.graph_name, ox.DefaultGraph):
                q = ox.Quad(q.subject, q.predicate, q.object, target)
            quads.append(q)
        return quads
    except SyntaxError as exc:
        raise RDFParseError(_syntax_message(exc)) from exc
    except (ValueError, OSError) as exc:
        raise RDFParseError(str(exc)) from exc


def _syntax_message(exc: SyntaxError) -> str:
    """Return a parser error as one line, with line and column when pyoxigraph gives them."""
    msg = str(exc.msg if getattr(exc, "msg", None) else exc)
    if exc.lineno and f"{exc.lineno}" not in msg:
        return f"line {exc.lineno}, column {exc.offset or 0}: {msg}"
    return msg
