"""Applying a SPARQL update sent to /update: limits, the outbound policy, a dry run, then the write.

An update runs in two steps, both under the write lock (one writer at a time):

1. a **dry run** on a private copy of the store in an engine process
   (:meth:`kg.isolation.QueryPool.dry_run_update`): a crash, a runaway or a memory
   blow-up ends there, and the live store never sees the update;
2. the same update on the live store, which then holds the data it was tried on.

``LOAD`` fetches a document from the network. It is refused unless the URL's host is on
the allowlist (``AIKG_ALLOW_REMOTE``); an allowed LOAD is fetched here with its own
timeout and size cap, parsed, and added in one transaction, so a slow or huge remote
document cannot hold the writer. A request that mixes LOAD with other operations is
refused: send the LOADs alone.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox

from kg.errors import QueryEvaluationError, QuerySyntaxError, RDFParseError, RemoteAccessError, UnsupportedFormatError
from kg.limits import check_remote, check_text, host_allowed, mask, remote_targets
from kg.store import parse_rdf, rdf_format

if TYPE_CHECKING:
    import threading

    from starlette.requests import Request

    from api.settings import Settings
    from kg.store import Store

log = logging.getLogger(__name__)

_LOAD_OP = re.compile(
    r"\s*LOAD(?P<silent>\s+SILENT)?\s*(?P<src><[^>]*>)(?:\s+INTO\s+GRAPH\s*(?P<graph><[^>]*>))?\s*",
    re.IGNORECASE,
)
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", re.IGNORECASE)
MAX_REDIRECTS = 3


@dataclass(frozen=True)
class LoadOp:
    """One ``LOAD <source> [INTO GRAPH <graph>]`` operation."""

    source: str
    graph: str | None
    silent: bool


def load_operations(text: str) -> list[LoadOp]:
    """Return the LOAD operations of an update that holds nothing else.

    Raises:
        QuerySyntaxError: the update mixes LOAD with other operations, or names a source
            or graph by a prefixed name.
    """
    masked = mask(text)
    prologue = _PROLOGUE.match(masked)
    pos = prologue.end() if prologue else 0
    ops: list[LoadOp] = []
    for part in _split_ops(masked, pos):
        m = _LOAD_OP.fullmatch(masked, part[0], part[1])
        if m is None:
            raise QuerySyntaxError(
                "an update with LOAD must hold only LOAD <url> [INTO GRAPH <iri>] operations with full IRIs: "
                "send the other operations in a request of their own"
            )
        src = text[m.start("src") + 1 : m.end("src") - 1]
        graph = text[m.start("graph") + 1 : m.end("graph") - 1] if m.group("graph") else None
        ops.append(LoadOp(src, graph, bool(m.group("silent"))))
    return ops


def _split_ops(masked: str, start: int) -> list[tuple[int, int]]:
    parts, begin = [], start
    for i in range(start, len(masked)):
        if masked[i] == ";":
            parts.append((begin, i))
            begin = i + 1
    if masked[begin:].strip():
        parts.append((begin, len(masked)))
    return parts


def fetch(url: str, *, allow: tuple[str, ...], timeout: float, max_bytes: int) -> tuple[bytes, ox.RdfFormat]:
    """Fetch an RDF document from an allowed host: bounded in time, size and redirects.

    Raises:
        RemoteAccessError: the host (or a redirect's) is not allowed, the server failed or
            answered an error, the document is too large or not RDF. One line; the remote
            body is never quoted.
    """
    with httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        headers={
            "User-Agent": "aikg (SPARQL LOAD)",
            "Accept": "text/turtle, application/n-triples, "
            "application/n-quads, application/trig, application/ld+json, application/rdf+xml;q=0.9",
        },
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            if not host_allowed(url, allow):
                raise RemoteAccessError(f"LOAD <{url}> refused: its host is not listed in AIKG_ALLOW_REMOTE")
            try:
                with client.stream("GET", url) as resp:
                    if resp.is_redirect and resp.headers.get("location"):
                        url = urljoin(url, resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        raise RemoteAccessError(f"LOAD <{url}> failed: the server answered HTTP {resp.status_code}")
                    body = bytearray()
                    for chunk in resp.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            raise RemoteAccessError(
                                f"LOAD <{url}> failed: the document is larger than {max_bytes} bytes "
                                "(AIKG_REMOTE_MAX_BYTES)"
                            )
                    ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
            except httpx.TimeoutException:
                raise RemoteAccessError(
                    f"LOAD <{url}> failed: no answer within {timeout:g} s (AIKG_REMOTE_TIMEOUT)"
                ) from None
            except httpx.HTTPError as exc:
                raise RemoteAccessError(f"LOAD <{url}> failed: {type(exc).__name__}") from None
            fmt = ox.RdfFormat.from_media_type(ctype) if ctype else None
            if fmt is None:
                try:
                    fmt = rdf_format(url.split("?")[0])
                except UnsupportedFormatError:
                    raise RemoteAccessError(
                        f"LOAD <{url}> failed: the server sent {ctype or 'no Content-Type'}, not an RDF format"
                    ) from None
            return bytes(body), fmt
        raise RemoteAccessError(f"LOAD <{url}> failed: more than {MAX_REDIRECTS} redirects")


def apply_update(
    request: Request, store: Store, lock: threading.Lock, text: str, *, base_iri: str | None = None
) -> None:
    """Check, try and apply one update request (see the module docstring).

    Raises:
        QuerySyntaxError, QueryLimitError: malformed or over a static limit.
        RemoteAccessError: a LOAD not allowed or failed.
        QueryTimeoutError, QueryCrashedError: the dry run did not complete.
        StoreError: the write failed; nothing of it was committed.
    """
    settings: Settings = request.app.state.settings
    allow = settings.remote_hosts()
    check_text(text, settings.query_limits(), update=True)
    check_remote(text, allow, update=True)
    if any(kw == "LOAD" for kw, _ in remote_targets(text, update=True)):
        _apply_loads(store, lock, load_operations(text), settings)
        return
    kwargs = {"base_iri": base_iri} if base_iri else {}
    pool = getattr(store, "pool", None)
    with lock:
        if pool is not None:
            pool.dry_run_update(text, **kwargs)
        try:
            store.update(text, **kwargs)
        except RuntimeError as exc:
            # pyoxigraph's evaluation errors (CLEAR or DROP of a graph that does not exist,
            # CREATE of one that does): the transaction wrote nothing.
            reason = " ".join(str(exc).split())
            raise QueryEvaluationError(f"the update failed and nothing was written: {reason}") from exc


def _apply_loads(store: Store, lock: threading.Lock, ops: list[LoadOp], settings: Settings) -> None:
    fetched: list[tuple[bytes, ox.RdfFormat, str | None]] = []
    for op in ops:
        try:
            data, fmt = fetch(
                op.source,
                allow=settings.remote_hosts(),
                timeout=settings.remote_timeout,
                max_bytes=settings.remote_max_bytes,
            )
            parse_rdf(data, fmt, graph=op.graph)
        except (RemoteAccessError, RDFParseError) as exc:
            if op.silent:
                log.info("LOAD SILENT skipped: %s", exc)
                continue
            if isinstance(exc, RDFParseError):
                raise RemoteAccessError(
                    f"LOAD <{op.source}> failed: the document does not parse as {fmt.name}"
                ) from None
            raise
        fetched.append((data, fmt, op.graph))
    with lock:
        for data, fmt, graph in fetched:
            store.load(data, fmt, graph=graph)
