"""``aikg ingest``, ``watch`` and ``demo``: the commands that add articles to a store (registered by aikg.cli)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from aikg.cli_common import (
    BatchSizeOpt,
    DateOpt,
    HostOpt,
    MaxArticleOpt,
    NoValidateOpt,
    StoreOpt,
    fail,
    port_problem,
)
from aikg.ingest_run import DEFAULT_MAX_ARTICLE_BYTES

# -- fetching URLs: `aikg ingest URL...` and `aikg watch` (ingest.fetch, aikg.watch)
FetchTimeoutOpt = Annotated[
    float,
    typer.Option(
        "--fetch-timeout",
        min=0.1,
        metavar="SECONDS",
        help="Seconds to connect to a host and to wait for its next bytes.",
    ),
]
HostDelayOpt = Annotated[
    float,
    typer.Option("--host-delay", min=0.0, metavar="SECONDS", help="Seconds between two requests to the same host."),
]
FetchStateOpt = Annotated[
    Optional[str],
    typer.Option(
        "--fetch-state",
        metavar="FILE",
        help="Where ETags, Last-Modified and failures are kept between runs "
        "[default: aikg-fetch-state.json in a local store's directory; "
        "a server store keeps none unless given].",
    ),
]


def _fetch_config(timeout: float, host_delay: float):
    from ingest.fetch import FetchConfig

    return FetchConfig(timeout=timeout, host_delay=host_delay)


def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories, - for stdin, or http(s) URLs of article "
            "pages, RSS/Atom feeds and OPML lists of feeds."
        ),
    ],
    store: StoreOpt = None,
    batch_size: BatchSizeOpt = 32,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="spaCy worker processes.")] = 1,
    date: DateOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON, no progress bar.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    no_validate: NoValidateOpt = False,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="First load into an empty local store, ~3x faster writes; "
            "not crash-safe: an interrupted load must be started again from scratch.",
        ),
    ] = False,
    max_article_bytes: MaxArticleOpt = DEFAULT_MAX_ARTICLE_BYTES,
    reextract: Annotated[
        bool,
        typer.Option(
            "--reextract",
            help="Extract again the stored articles among the inputs whose statements an older "
            "extractor made, replacing them batch by batch (the store keeps no article text).",
        ),
    ] = False,
    reextract_all: Annotated[
        bool, typer.Option("--reextract-all", help="Like --reextract, for every stored article among the inputs.")
    ] = False,
    store_text: Annotated[
        bool,
        typer.Option(
            "--store-text",
            help="Keep each new article's full text in the graph so its "
            "page shows it (default: only the evidence sentences; news text belongs to "
            "its publishers).",
        ),
    ] = False,
    fetch_timeout: FetchTimeoutOpt = 10.0,
    host_delay: HostDelayOpt = 1.0,
    fetch_state: FetchStateOpt = None,
    cluster: Annotated[
        Optional[str],
        typer.Option(
            "--cluster",
            help="Extract on Dask workers: local:N starts N worker processes here, tcp://HOST:PORT "
            "joins a running scheduler; this process still writes each batch in order. "
            "Needs aikg[cluster].",
        ),
    ] = None,
) -> None:
    """Extract relations from articles and add them to the store, batch by batch.

    An article already stored (same text) is left as it is, unless --reextract says otherwise.
    URLs are fetched politely (robots.txt, 2 requests at a time per host, conditional GET:
    an unchanged feed costs one 304); a URL that fails is listed and skipped.
    Exits 0 when at least one article was read or a URL answered "not modified" (skipped inputs are listed),
    2 when nothing could be read, 1 on a runtime failure.
    """
    from aikg.ingest_run import run_ingest

    mode = "all" if reextract_all else "outdated" if reextract else None
    code = run_ingest(
        paths,
        store=store,
        batch_size=batch_size,
        n_process=n_process,
        date=date,
        as_json=as_json,
        quiet=quiet,
        validate=not no_validate,
        bulk=bulk,
        max_article_bytes=max_article_bytes,
        reextract=mode,
        store_text=store_text,
        fetch=_fetch_config(fetch_timeout, host_delay),
        fetch_state=fetch_state,
        cluster=cluster,
    )
    raise typer.Exit(code)


def watch(
    sources: Annotated[list[str], typer.Argument(help="http(s) URLs of RSS/Atom feeds, OPML lists and article pages.")],
    store: StoreOpt = None,
    every: Annotated[
        str, typer.Option("--every", help="Time between the starts of two rounds: 30s, 15m, 1h, 1h30m.")
    ] = "15m",
    rounds: Annotated[
        Optional[int], typer.Option("--rounds", min=1, help="Stop after this many rounds [default: run until stopped].")
    ] = None,
    date: DateOpt = None,
    batch_size: BatchSizeOpt = 32,
    as_json: Annotated[
        bool, typer.Option("--json", help="Also print each round's report as a JSON line on stdout.")
    ] = False,
    no_validate: NoValidateOpt = False,
    store_text: Annotated[
        bool, typer.Option("--store-text", help="Keep each new article's full text in the graph.")
    ] = False,
    max_article_bytes: MaxArticleOpt = DEFAULT_MAX_ARTICLE_BYTES,
    fetch_timeout: FetchTimeoutOpt = 10.0,
    host_delay: HostDelayOpt = 1.0,
    fetch_state: FetchStateOpt = None,
) -> None:
    """Poll feeds and pages on a schedule and ingest what is new, one log line per round.

    Survives restarts (the fetch state keeps ETags and failures); SIGTERM or Ctrl-C stops it
    between two batches, exit 0. A local store is opened only during a round.
    """
    from aikg.watch import run_watch

    code = run_watch(
        sources,
        store=store,
        every=every,
        rounds=rounds,
        date=date,
        batch_size=batch_size,
        validate=not no_validate,
        store_text=store_text,
        as_json=as_json,
        fetch=_fetch_config(fetch_timeout, host_delay),
        fetch_state=fetch_state,
        max_article_bytes=max_article_bytes,
    )
    raise typer.Exit(code)


def demo(
    store: StoreOpt = None,
    host: HostOpt = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", envvar="AIKG_PORT", help="Port to serve on.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only ingest the sample articles.")] = False,
) -> None:
    """Ingest the bundled sample articles (our own text, stored whole), then serve the API and pages."""
    from aikg.ingest_run import run_ingest, sample_articles_dir

    if not no_serve:
        # Before the ingest: a busy port found after a minute of parsing is a minute lost.
        problem = port_problem(host, port, also="AIKG_PORT=N, or make demo PORT=N")
        if problem:
            raise fail(problem, 1)
    code = run_ingest(
        [str(sample_articles_dir())],
        store=store,
        batch_size=32,
        n_process=1,
        date=None,
        as_json=False,
        quiet=False,
        validate=True,
        store_text=True,
    )
    if code != 0 or no_serve:
        raise typer.Exit(code)
    from aikg.cli_serve import serve

    serve(store=store, host=host, port=port)
