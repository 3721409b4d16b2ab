"""The ontology at its address: ``/ontology`` as HTML documentation, Turtle, JSON-LD and more.

The term IRIs are ``https://w3id.org/aikg/ontology#<term>``, so a w3id redirect of
``/aikg/ontology`` to a running server lands here; the HTML page has an anchor per term.
Negotiated like the entity pages (:mod:`api.linked`); ``/ontology.ttl`` is the shipped
file itself, comments included. ``/ontology/shapes.ttl`` is the SHACL shapes.
"""

from __future__ import annotations

import functools

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import PlainTextResponse, Response

from api.linked import BY_SUFFIX, negotiation_headers
from api.ontology_doc import ontology_doc
from api.routes.pages import pick_format, render
from ontology import ONTOLOGY_PATH, SHAPES_PATH, load_ontology

router = APIRouter(include_in_schema=False)

_PATH = "/ontology"
_RDFLIB_FORMATS = {ox.RdfFormat.N_TRIPLES: "nt", ox.RdfFormat.JSON_LD: "json-ld", ox.RdfFormat.RDF_XML: "xml"}


@functools.cache
def ontology_bytes(rdf: ox.RdfFormat) -> bytes:
    """Return the ontology in an RDF format (Turtle: the shipped file as written)."""
    if rdf == ox.RdfFormat.TURTLE:
        return ONTOLOGY_PATH.read_bytes()
    return load_ontology().serialize(format=_RDFLIB_FORMATS[rdf], encoding="utf-8")


def _answer(request: Request, name: str) -> Response:
    picked = pick_format(request, name, "")
    if isinstance(picked, Response):
        return picked
    _, fmt, path = picked
    headers = negotiation_headers(_PATH)
    if fmt.rdf is None:
        resp = render(request, "ontology.html", doc=ontology_doc())
        resp.headers.update(headers)
        return resp
    return Response(
        ontology_bytes(fmt.rdf), media_type=fmt.content_type, headers={**headers, "X-Content-Type-Options": "nosniff"}
    )


@router.get("/ontology")
def ontology(request: Request) -> Response:
    """Return the ontology: its documentation page, or its RDF by Accept header."""
    return _answer(request, "ontology")


@router.get("/ontology.{suffix}")
def ontology_file(suffix: str, request: Request) -> Response:
    """Return the ontology in the format a suffix names (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``)."""
    if suffix not in BY_SUFFIX:
        known = ", ".join("." + s for s in BY_SUFFIX)
        return PlainTextResponse(f"no ontology format .{suffix}; known: {known}\n", status_code=404)
    return _answer(request, "ontology." + suffix)


@router.get("/ontology/shapes.ttl")
def shapes() -> Response:
    """Return the SHACL shapes the data is checked against (Turtle)."""
    return Response(
        SHAPES_PATH.read_bytes(), media_type="text/turtle; charset=utf-8", headers={"X-Content-Type-Options": "nosniff"}
    )
