"""The dataset as linked data: its VoID description, the endpoint's service description, dumps.

- ``GET /.well-known/void``: VoID with live statistics (the counts of ``aikg stats``).
- ``GET /sparql`` with no query and an RDF Accept header: the SPARQL 1.1 Service
  Description (answered from :func:`service_description`, called by the /sparql route).
- ``GET /dumps/aikg.nq.gz`` and ``/dumps/aikg.ttl.gz``: the whole store, streamed
  through a bounded queue and gzip-compressed on the way (:mod:`kg.dumps`), with an
  ETag that changes with every write through this server.

Statistics are computed once per write: they are cached under the app's write counter
(``app.state.generation``, bumped by :func:`api.deps.note_write`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response, StreamingResponse

from api.deps import StoreDep, get_settings, live_store
from api.httplayer import HEAD_SCOPE_KEY
from api.sparql import parse_accept
from kg import void
from kg.dumps import DUMP_STEM, DUMPS, dump_stream
from kg.stats import store_stats
from kg.store import Store

router = APIRouter(tags=["linked data"])

#: RDF media types the descriptions are offered in, the default first.
DESCRIPTION_MEDIA: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}
_CONTENT_TYPE = {
    ox.RdfFormat.TURTLE: "text/turtle; charset=utf-8",
    ox.RdfFormat.JSON_LD: "application/ld+json",
    ox.RdfFormat.RDF_XML: "application/rdf+xml",
    ox.RdfFormat.N_TRIPLES: "application/n-triples",
}


def _site(request: Request) -> void.Site:
    settings = get_settings(request)
    return void.Site(
        base=str(request.base_url), update=settings.token is not None, federated=bool(settings.remote_hosts())
    )


def _stats(request: Request, store: Store) -> dict[str, Any]:
    """Return ``store_stats`` of the store, cached until the next write through this app."""
    state = request.app.state
    generation = state.generation
    cached: tuple[int, dict[str, Any]] | None = getattr(state, "linked_stats", None)
    if cached is not None and cached[0] == generation:
        return cached[1]
    stats = store_stats(store)
    stats["modified"] = _modified(request, store)
    stats["examples"] = void.example_resources(store)
    state.linked_stats = (generation, stats)
    return stats


def _modified(request: Request, store: Store) -> str | None:
    """Return the last update known: the latest article ingest, or a later write through this server."""
    last = void.last_ingest(store)
    written: datetime | None = getattr(request.app.state, "last_write", None)
    if written is not None:
        stamp = written.isoformat(timespec="seconds")
        if last is None or _instant(stamp) > _instant(last):
            return stamp
    return last


def _instant(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def rdf_choice(accept: str | None, *, default: bool) -> ox.RdfFormat | None:
    """Return the RDF format an Accept header asks for by name, or None.

    Only a media type the client names counts (``*/*`` does not), unless ``default`` is
    set, when a client that names none of them gets Turtle. A client that prefers HTML
    at least as much gets None.
    """
    ranges = parse_accept(accept)
    exact = {m: q for m, q in ranges}
    best, best_q = None, 0.0
    for media in DESCRIPTION_MEDIA:
        q = exact.get(media, 0.0)
        if q > best_q:
            best, best_q = media, q
    if best is None:
        return DESCRIPTION_MEDIA["text/turtle"] if default else None
    if exact.get("text/html", 0.0) >= best_q:
        return None
    return DESCRIPTION_MEDIA[best]


def _rdf_response(triples: Sequence[ox.Triple], fmt: ox.RdfFormat) -> Response:
    return Response(void.serialize(triples, fmt), media_type=_CONTENT_TYPE[fmt], headers={"Vary": "Accept"})


def service_description(request: Request, store: Store) -> Response | None:
    """Return the Service Description when the request asks for RDF by name, else None.

    ``/sparql`` calls this for a GET without a query: a browser or ``curl`` (no RDF
    media type in Accept) still gets the plain-text hint.
    """
    fmt = rdf_choice(request.headers.get("accept"), default=False)
    if fmt is None:
        return None
    return _rdf_response(void.service_triples(_stats(request, store), _site(request)), fmt)


@router.get(
    "/.well-known/void",
    summary="VoID description of the dataset",
    responses={
        200: {
            "content": {m: {} for m in DESCRIPTION_MEDIA},
            "description": "VoID (Turtle by default) with live counts.",
        }
    },
)
def void_description(request: Request, store: StoreDep) -> Response:
    """Describe the dataset in VoID: counts by class and predicate, endpoint, dumps, last update.

    The counts are those of ``aikg stats``. The licence is the server's
    ``AIKG_DATA_LICENSE`` (none stated when unset).
    """
    fmt = rdf_choice(request.headers.get("accept"), default=True) or ox.RdfFormat.TURTLE
    stats = _stats(request, store)
    triples = void.void_triples(
        stats,
        _site(request),
        modified=stats["modified"],
        license=get_settings(request).data_license,
        examples=stats["examples"],
    )
    return _rdf_response(triples, fmt)


def dump_etag(request: Request, name: str) -> str:
    """Return the ETag of a dump: the dump, this server's run and its write counter.

    Every write through the server bumps the counter, and no one else can write the
    store while the server holds it; a restart starts a new run, so a tag from an
    earlier run never matches.
    """
    return f'"{name}-{request.app.state.instance}-{request.app.state.generation}"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


@router.get(
    "/dumps/{filename}",
    summary="Download the dataset",
    responses={
        200: {
            "content": {"application/gzip": {}},
            "description": "aikg.nq.gz: every quad (N-Quads); aikg.ttl.gz: the union graph (Turtle). Gzip, streamed.",
        },
        304: {"description": "The dump has not changed since the ETag given in If-None-Match."},
        404: {"description": "No such dump, or the server's store is remote."},
    },
)
def get_dump(filename: str, request: Request, store: StoreDep) -> Response:
    """Stream a dump of the whole store, gzip-compressed, with an ETag for conditional requests."""
    name = filename.removeprefix(DUMP_STEM + ".") if filename.startswith(DUMP_STEM + ".") else None
    if name not in DUMPS:
        raise HTTPException(
            404, f"no dump {filename!r}; the dumps are " + ", ".join(f"/dumps/{DUMP_STEM}.{n}" for n in DUMPS)
        )
    oxstore = getattr(live_store(store), "oxigraph", None)
    if oxstore is None:
        raise HTTPException(
            404,
            "this server reads a remote SPARQL store: it serves no dumps; "
            "run `aikg export --format nq.gz` against that store instead",
        )
    etag = dump_etag(request, name)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{DUMP_STEM}.{name}"'
    if request.scope.get(HEAD_SCOPE_KEY):
        # a HEAD asks for the headers: the dump is not made only to be thrown away
        return Response(status_code=200, media_type="application/gzip", headers=headers)
    return StreamingResponse(dump_stream(oxstore, name), media_type="application/gzip", headers=headers)
