"""Content negotiation for the resource pages: HTML for browsers, RDF for RDF clients.

``/entity/{slug}``, ``/article/{id}``, ``/statement/{id}`` and ``/ontology`` answer the
format the Accept header prefers (RFC 9110 q-values, via :func:`api.sparql.negotiate`;
``*/*``, no header and a browser's ``text/html`` get the page), or the one a suffix names
(``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``). Every answer says ``Vary: Accept`` and lists
the other formats in ``Link: <url>; rel="alternate"; type="..."`` headers.

The IRIs the project mints (``https://w3id.org/aikg/entity/<slug>`` and so on) have the
same paths here as under https://w3id.org/aikg/, so a w3id redirect to a running server
lands on these routes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox
from starlette.responses import Response

from api.sparql import NotAcceptableError, negotiate
from kg.namespaces import PREFIXES


@dataclass(frozen=True)
class Format:
    """One serialization a resource is offered in."""

    media: str
    suffix: str
    rdf: ox.RdfFormat | None  # None: the HTML page
    content_type: str


HTML = Format("text/html", "", None, "text/html; charset=utf-8")
FORMATS: tuple[Format, ...] = (
    HTML,
    Format("text/turtle", "ttl", ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    Format("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    Format("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD, "application/ld+json"),
    Format("application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML, "application/rdf+xml"),
)
BY_SUFFIX = {f.suffix: f for f in FORMATS if f.suffix}
# Offered media types, in the server's order of preference for ties (the page first), with
# the aliases clients send for the same formats.
_OFFERS: dict[str, Format] = {f.media: f for f in FORMATS}
_OFFERS.update(
    {
        "application/xhtml+xml": HTML,
        "application/x-turtle": BY_SUFFIX["ttl"],
        "application/json": BY_SUFFIX["jsonld"],
    }
)


def split_suffix(name: str) -> tuple[str, Format | None]:
    """Split ``microsoft.ttl`` into ``("microsoft", turtle)``; a name without a known suffix is returned whole.

    Slugs and article ids hold no dots, so a suffix is never part of a name.
    """
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in BY_SUFFIX:
        return stem, BY_SUFFIX[suffix]
    return name, None


def choose(accept: str | None) -> Format:
    """Return the format the Accept header prefers (the page for a browser or for ``*/*``).

    Raises:
        NotAcceptableError: the header accepts none of the offered formats.
    """
    media = negotiate(accept, list(_OFFERS))
    if media is None:
        offered = ", ".join(f.media for f in FORMATS)
        raise NotAcceptableError(f"cannot serve this resource as {accept!r}; acceptable: {offered}")
    return _OFFERS[media]


def link_header(path: str) -> str:
    """Return the ``Link`` header listing every format of the resource at ``path``."""
    return ", ".join(
        f'<{path}{"." + f.suffix if f.suffix else ""}>; rel="alternate"; type="{f.media}"' for f in FORMATS
    )


def negotiation_headers(path: str) -> dict[str, str]:
    """Return the headers every negotiated answer carries, whichever format it is."""
    return {"Vary": "Accept", "Link": link_header(path)}


def serialize(triples: Iterable[ox.Triple], fmt: Format) -> bytes:
    """Return the triples in an RDF format, with the project's prefixes where the format has them.

    Raises:
        ValueError: ``fmt`` is the HTML page, not an RDF format.
    """
    if fmt.rdf is None:
        raise ValueError(f"{fmt.media} is not an RDF format")
    # Without an output pyoxigraph returns the bytes (its stub says bytes | None).
    if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return cast(bytes, ox.serialize(triples, format=fmt.rdf, prefixes=PREFIXES))
    return cast(bytes, ox.serialize(triples, format=fmt.rdf))


def rdf_response(triples: Iterable[ox.Triple], fmt: Format, path: str) -> Response:
    """Return the triples as an RDF response with the negotiation headers."""
    return Response(
        serialize(triples, fmt),
        media_type=fmt.content_type,
        headers={**negotiation_headers(path), "X-Content-Type-Options": "nosniff"},
    )
