"""Result formats of the SPARQL 1.1 Protocol: the media tables and content negotiation.

Which serialization a result is written in (``Accept`` header, RFC 9110 q-values, or a
``format=`` name), the Content-Type sent for it, the file extension of a download, and the
errors for a client that accepts none (406) or names an unknown format (400).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

# SPARQL 1.1 Query Results formats (JSON: W3C sparql11-results-json; XML:
# rdf-sparql-XMLres; CSV/TSV: sparql11-results-csv-tsv), for SELECT and ASK.
RESULTS_MEDIA: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
# RDF serializations for CONSTRUCT and DESCRIBE (SPARQL 1.1 Protocol section 2.1.6).
GRAPH_MEDIA: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
# What the response says it is, whichever alias the client asked for.
_CANONICAL = {
    ox.QueryResultsFormat.JSON: "application/sparql-results+json",
    ox.QueryResultsFormat.XML: "application/sparql-results+xml",
    ox.QueryResultsFormat.CSV: "text/csv; charset=utf-8",
    ox.QueryResultsFormat.TSV: "text/tab-separated-values; charset=utf-8",
    ox.RdfFormat.TURTLE: "text/turtle; charset=utf-8",
    ox.RdfFormat.N_TRIPLES: "application/n-triples",
    ox.RdfFormat.JSON_LD: "application/ld+json",
    ox.RdfFormat.RDF_XML: "application/rdf+xml",
    ox.RdfFormat.TRIG: "application/trig",
    ox.RdfFormat.N_QUADS: "application/n-quads",
}
# ``?format=`` names, for links that cannot set an Accept header (downloads). Clients
# such as SPARQLWrapper also send them (format=n3, format=xml for CONSTRUCT), so they
# are read per result kind; a value known to neither table is ignored.
RESULTS_FORMAT_NAMES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMAT_NAMES: dict[str, str] = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "nquads": "application/n-quads",
    "nq": "application/n-quads",
    "trig": "application/trig",
}
_RESULTS_ORDER = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
]
_GRAPH_ORDER = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
    "text/plain",
]
_DOWNLOAD_EXT = {
    ox.QueryResultsFormat.JSON: "srj",
    ox.QueryResultsFormat.XML: "srx",
    ox.QueryResultsFormat.CSV: "csv",
    ox.QueryResultsFormat.TSV: "tsv",
    ox.RdfFormat.TURTLE: "ttl",
    ox.RdfFormat.N_TRIPLES: "nt",
    ox.RdfFormat.JSON_LD: "jsonld",
    ox.RdfFormat.RDF_XML: "rdf",
    ox.RdfFormat.TRIG: "trig",
    ox.RdfFormat.N_QUADS: "nq",
}


class NotAcceptableError(Exception):
    """No offered serialization matches the Accept header (HTTP 406)."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Return (media range, q) pairs of an Accept header, in header order."""
    out: list[tuple[str, float]] = []
    for part in (header or "*/*").split(","):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        out.append((media, q))
    return out or [("*/*", 1.0)]


def _q_for(offer: str, ranges: list[tuple[str, float]]) -> float:
    """Return the q of the most specific range matching the offer (RFC 9110 section 12.5.1)."""
    best, best_spec = 0.0, -1
    major = offer.split("/")[0]
    for media, q in ranges:
        if media == offer:
            spec = 2
        elif media == f"{major}/*":
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if spec > best_spec:
            best, best_spec = q, spec
    return best


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """Return the offer the client prefers (ties: the first offered), or None if none is acceptable.

    A browser's Accept (``text/html`` first, XML at a lower q) gets the first offer, so
    opening a query URL shows JSON rather than XML.
    """
    ranges = parse_accept(accept)
    top_q = max(q for _, q in ranges)
    if any(m in ("text/html", "application/xhtml+xml") and q == top_q for m, q in ranges):
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        q = _q_for(offer, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def choose_format(
    result: object, accept: str | None, format_names: Sequence[str] = ()
) -> tuple[ox.QueryResultsFormat | ox.RdfFormat, str]:
    """Return the serialization and Content-Type for a result.

    Raises:
        NotAcceptableError: the client accepts none of the formats this result has.
    """
    return choose_media(not isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)), accept, format_names)


def choose_media(
    graph: bool, accept: str | None, format_names: Sequence[str] = ()
) -> tuple[ox.QueryResultsFormat | ox.RdfFormat, str]:
    """Return the serialization and Content-Type for a graph (or a results) result.

    Raises:
        NotAcceptableError: the client accepts none of the formats of that kind.
    """
    table, order = (GRAPH_MEDIA, _GRAPH_ORDER) if graph else (RESULTS_MEDIA, _RESULTS_ORDER)
    names = GRAPH_FORMAT_NAMES if graph else RESULTS_FORMAT_NAMES
    media = None
    for value in format_names:
        value = value.strip().lower()
        media = names.get(value) or (value if value in table else None)
        if media:
            break
    if media is None:
        media = negotiate(accept, order)
    if media is None:
        kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
        raise NotAcceptableError(f"cannot serve {kind} results as {accept!r}; acceptable: {', '.join(order)}")
    fmt = table[media]
    return fmt, _CANONICAL[fmt]


class UnknownFormatError(ValueError):
    """A ``format=`` value names no serialization this endpoint writes (HTTP 400)."""


def check_format_names(format_names: Sequence[str]) -> None:
    """Refuse ``format=`` values that name no serialization, listing the accepted ones.

    Raises:
        UnknownFormatError: a value is neither a known name nor a served media type.
    """
    for value in format_names:
        key = value.strip().lower()
        if (
            not key
            or key in RESULTS_FORMAT_NAMES
            or key in GRAPH_FORMAT_NAMES
            or key in RESULTS_MEDIA
            or key in GRAPH_MEDIA
        ):
            continue
        names = sorted(set(RESULTS_FORMAT_NAMES) | set(GRAPH_FORMAT_NAMES))
        raise UnknownFormatError(
            f"unknown format {value!r}: use one of {', '.join(names)}, or a media type such as "
            "application/sparql-results+json or text/turtle"
        )


def formats_for(accept: str | None, format_names: Sequence[str] = ()) -> dict[str, str | None]:
    """Return the media type to write for each result kind (None: the client accepts none).

    Kinds: ``solutions`` (SELECT), ``boolean`` (ASK), ``graph`` (CONSTRUCT/DESCRIBE). The
    choice is made before evaluation, so the engine process can write the result directly.
    """
    out: dict[str, str | None] = {}
    for kind, graph in (("solutions", False), ("graph", True)):
        try:
            fmt, _ = choose_media(graph, accept, format_names)
        except NotAcceptableError:
            out[kind] = None
            continue
        table = RESULTS_MEDIA if kind == "solutions" else GRAPH_MEDIA
        out[kind] = next(m for m, f in table.items() if f == fmt and _CANONICAL[f].split(";")[0] == m)
    out["boolean"] = out["solutions"]
    return out


def canonical_media(media: str) -> str:
    """Return the Content-Type to send for a media type the engine wrote."""
    fmt = RESULTS_MEDIA.get(media) or GRAPH_MEDIA[media]
    return _CANONICAL[fmt]


def not_acceptable_message(kind: str, accept: str | None) -> str:
    """Return the 406 message for a result kind the client accepts no format of."""
    graph = kind == "graph"
    order = _GRAPH_ORDER if graph else _RESULTS_ORDER
    what = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
    return f"cannot serve {what} results as {accept!r}; acceptable: {', '.join(order)}"


def download_extension(fmt: ox.QueryResultsFormat | ox.RdfFormat) -> str:
    """Return the usual file extension of a serialization."""
    return _DOWNLOAD_EXT[fmt]
