"""Build the FastAPI app; nothing is opened or created at import time."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.util import find_spec
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.middleware.trustedhost import TrustedHostMiddleware

from api import errors
from api.deps import ShutdownFlag
from api.httplayer import HeadAsGet
from api.settings import Settings
from api.sparql import IsolatedRunner, QueryRunner
from kg import __version__
from kg.backend import open_store
from kg.isolation import EngineLimits, IsolatedStore, QueryPool
from kg.store import LocalStore, Store

log = logging.getLogger(__name__)

DESCRIPTION = """\
An open knowledge graph of the AI industry: typed, sourced relations extracted from news
articles.

* **SPARQL 1.1 Protocol** at `/sparql` (query) and `/update` (bearer token).
* **REST**: articles, entities, relations, paths and analytics as JSON.
* **Pages**: `/` (overview), `/query` (SPARQL editor), `/entity/{slug}`, `/article/{id}`,
  `/ontology`; the entity, article and ontology pages answer RDF (Turtle, N-Triples,
  JSON-LD, RDF/XML) by Accept header or by suffix (`.ttl`, `.nt`, `.jsonld`, `.rdf`).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the aikg app; the store is opened at startup and closed at shutdown.

    Args:
        settings: the configuration; None reads ``AIKG_*`` environment variables.

    Raises:
        pydantic.ValidationError: the settings are unsafe or invalid.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = open_store(settings.store, token=settings.token_value())
        # What the routes get as their Store. IsolatedStore lacks query(base_iri=) so it is not
        # one to mypy; base_iri goes to the runner, which queries the pool, not this store.
        store: Store | IsolatedStore = opened
        if isinstance(opened, LocalStore):
            # Untrusted queries run in engine processes over snapshots (kg.isolation).
            pool = QueryPool(
                opened,
                workers=settings.query_workers,
                limits=EngineLimits(
                    timeout=settings.query_timeout,
                    max_rows=settings.max_rows,
                    max_bytes=settings.max_response_bytes,
                    memory_mb=settings.query_memory_mb,
                ),
            )
            store = IsolatedStore(opened, pool, limits=settings.query_limits())
            app.state.runner = IsolatedRunner(
                pool,
                buffer_bytes=settings.stream_buffer_bytes,
                send_timeout=settings.send_timeout,
                max_streams_per_client=settings.max_streams_per_client,
                limits=settings.query_limits(),
                allow_remote=settings.remote_hosts(),
            )
        else:
            app.state.runner = QueryRunner(
                opened,
                workers=settings.query_workers,
                timeout=settings.query_timeout,
                max_abandoned=settings.max_abandoned_queries,
                max_rows=settings.max_rows,
                buffer_bytes=settings.stream_buffer_bytes,
                limits=settings.query_limits(),
                allow_remote=settings.remote_hosts(),
            )
        app.state.store = store
        # the ontology's documentation page is built from ontology/aikg.ttl at start, once
        from api.ontology_doc import ontology_doc

        ontology_doc()
        log.info("serving store %s", store.location)
        from api.index_keeper import IndexKeeper

        keeper = IndexKeeper(app)
        app.state.index_keeper = keeper
        watch = None
        try:
            keeper.start()
            if settings.watch:
                from api.watch import ServerWatch

                watch = ServerWatch(app, settings)
                watch.start()
            yield
        finally:
            if watch is not None:
                watch.stop()
            keeper.stop()
            app.state.runner.close()
            with app.state.write_lock:
                store.close()

    app = FastAPIOffline(
        title="aikg",
        summary="Knowledge graph of the AI industry: SPARQL endpoint, REST API, pages.",
        description=DESCRIPTION,
        version=__version__,
        lifespan=lifespan,
        static_url="/static-docs",
    )
    app.state.settings = settings
    app.state.write_lock = threading.Lock()
    # Set when the server begins to shut down (aikg.cli_serve): writes in progress stop
    # after their current batch, new ones are refused with 503.
    app.state.shutting_down = ShutdownFlag()
    app.state.extractor = None
    app.state.extractor_lock = threading.Lock()
    app.state.generation = 0
    # This run of the server: dump ETags name it, so a tag from an earlier run never matches.
    app.state.instance = secrets.token_hex(6)
    app.state.last_write = None
    app.state.index_keeper = None
    app.state.graph_cache = None
    app.state.graph_lock = threading.Lock()
    errors.install(app)
    app.add_middleware(errors.BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(HeadAsGet)
    # Outermost: a request naming a host this server is not (DNS rebinding) goes no further.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts(), www_redirect=False)
    _include_routers(app)
    if find_spec("mcp") and find_spec("api.mcp_http"):
        # MCP's streamable HTTP at /mcp; the SDK is loaded on the first request there.
        from api.mcp_http import mount as mount_mcp

        mount_mcp(app)
    from api.routes.graph import VIS_PATH, vis_assets

    app.mount(VIS_PATH, vis_assets(), name="vis-network")
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    return app


def _include_routers(app: FastAPI) -> None:
    from api.routes import analytics, articles, dataset, entities, graph, relations, sparql

    for module in (sparql, articles, entities, relations, analytics, graph, dataset):
        app.include_router(module.router)
    if find_spec("api.routes.curation"):
        from api.routes import curation

        app.include_router(curation.router)
    if find_spec("api.routes.pages"):
        from api.routes import ontology, pages

        app.include_router(pages.router)
        app.include_router(ontology.router)
    if find_spec("api.routes.suggestions"):
        # /curation and /curation/suggestions.json (issue 17): likely duplicates, relations to check.
        from api.routes import suggestions

        app.include_router(suggestions.router)
