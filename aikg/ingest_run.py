"""The edge of ``aikg ingest``: readers, pipeline, loader, progress bar and summary."""

from __future__ import annotations

import itertools
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from datetime import date as Date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import AikgError, WriteRefusedError
from kg.loader import MAX_ARTICLE_RELATIONS

if TYPE_CHECKING:
    from aikg.signals import StopOnSignal

# Mirrors ingest.readers.DEFAULT_MAX_ARTICLE_BYTES, so `aikg --help` need not import it.
DEFAULT_MAX_ARTICLE_BYTES = 2 * 1024 * 1024

log = logging.getLogger(__name__)


def sample_articles_dir() -> Path:
    """Return the bundled sample articles (examples/articles in the checkout).

    An installed wheel carries them as ``aikg/examples`` (see setup.py).
    """
    here = Path(__file__).resolve().parent.parent / "examples" / "articles"
    if here.is_dir():
        return here
    return Path(str(resources.files("aikg") / "examples"))


def _echo(msg: str) -> None:
    sys.stderr.write(msg + "\n")


def skip_line(source: str, reason: str, limit: int | None) -> str:
    """Return the one line that reports a skipped input; a size limit says how to raise it."""
    hint = "; raise the limit with --max-article-bytes" if limit is not None else ""
    return f"skipped {source}: {reason}{hint}"


def _close(store) -> None:
    """Close the store; a failing final flush is reported in one line, not a traceback."""
    try:
        store.close()
    except AikgError as exc:
        _echo(f"aikg: warning: {exc}")


def _reported(items: Iterable, show: bool) -> Iterator:
    """Pass reader items on, printing each skipped input once, as it is met."""
    from ingest.readers import ReadFailure

    for item in items:
        if show and isinstance(item, ReadFailure):
            _echo(skip_line(item.source, item.reason, item.limit))
        yield item


def _until(stop: Callable[[], bool], items: Iterable) -> Iterator:
    """Pass items on until ``stop()``: after Ctrl-C no more files are read, no more URLs fetched."""
    for item in items:
        if stop():
            return
        yield item


def fetch_line(stats) -> str:
    """Return the one line that says what fetching URLs did (``ingest.fetch.FetchStats``)."""
    from ingest.readers import _size

    return (
        f"fetched {stats.fetched} URLs, {stats.not_modified} not modified, {stats.failed} failed; "
        f"{_size(stats.bytes)} downloaded"
    )


def _save_fetch_state(state) -> None:
    """Write the fetch state; a failure costs full fetches next time, so it only warns."""
    try:
        state.commit()
    except OSError as exc:
        _echo(
            f"aikg: warning: the fetch state could not be saved ({exc.strerror or exc}); "
            "the next run fetches everything again"
        )


def run_ingest(*args, **kwargs) -> int:
    """Run ``aikg ingest`` (see :func:`_run_ingest`), stopping between batches on SIGINT/SIGTERM."""
    from aikg.signals import StopOnSignal

    def stopping(name: str) -> None:
        # Straight to the descriptor: a signal that lands while sys.stderr is being written
        # would make a second write through it fail ("reentrant call").
        os.write(2, f"aikg: {name}: stopping after the batch being written ({name} again stops at once)\n".encode())

    stop = StopOnSignal(on_first=stopping)
    try:
        return _run_ingest(*args, stop=stop, **kwargs)
    finally:
        stop.restore()


def _run_ingest(
    paths: list[str],
    *,
    store: str | None,
    batch_size: int,
    n_process: int,
    date: str | None,
    as_json: bool,
    quiet: bool,
    validate: bool,
    bulk: bool = False,
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES,
    reextract: str | None = None,
    store_text: bool = False,
    fetch=None,
    fetch_state: str | None = None,
    cluster: str | None = None,
    stop: StopOnSignal,
) -> int:
    """Ingest paths into the store, reporting on stderr (or JSON on stdout); return the exit code.

    Args:
        paths: files, directories, "-", and http(s) URLs (article pages, RSS/Atom feeds,
            OPML lists of feeds; see :mod:`ingest.fetch`).
        fetch: how URLs are fetched (``ingest.fetch.FetchConfig``); None for the defaults.
        fetch_state: the file that remembers ETags, Last-Modified and failures between
            runs; None puts it in a local store's directory (a server store then keeps
            none). It is written only once the run's articles are committed.
        reextract: None leaves stored articles alone (same text: ``unchanged``);
            ``"outdated"`` extracts again the stored ones among the inputs that have a
            statement by an older extractor; ``"all"`` every stored one among the inputs.
            Each is replaced in its batch's transaction.
        store_text: keep each new article's text in the graph (``aikg:text``), so its
            page can show it whole; otherwise only the evidence sentences are kept.
        cluster: extract on Dask workers (see :mod:`aikg.cluster`): ``local:N`` starts N
            local worker processes, ``tcp://HOST:PORT`` joins a running scheduler; None
            extracts in this process (``n_process`` spaCy processes).
        stop: asked between batches (see :class:`aikg.signals.StopOnSignal`): the first
            SIGINT/SIGTERM ends the run after the batch being written, the second at once.

    Exit codes: 0 when at least one article was read, or a URL answered "not modified"
    (inputs skipped on the way are reported), 2 when nothing could be read (bad input) or on a usage error, 1 on a
    runtime failure (the model is missing, the store is locked, a server refused or failed),
    128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM) when a signal stopped it.
    """
    from aikg.cluster import ClusterError, ClusterSpecError, parse_cluster

    try:
        default_date = Date.fromisoformat(date) if date else None
    except ValueError:
        _echo(f"aikg: error: --date must be YYYY-MM-DD, got {date!r}")
        return 2
    if reextract is not None and bulk:
        _echo("aikg: error: --reextract replaces stored articles; --bulk is for a first load into an empty store")
        return 2
    spec = None
    if cluster is not None:
        try:
            spec = parse_cluster(cluster)
        except ClusterSpecError as exc:
            _echo(f"aikg: error: {exc}")
            return 2
        if n_process > 1:
            _echo("aikg: error: --n-process is for a run without --cluster; size the cluster with local:N")
            return 2
    from ingest.fetch import Fetcher, FetchState, is_url, read_urls, state_path_for
    from ingest.pipeline import EXTRACTOR_VERSION, Extractor
    from ingest.readers import DEFAULT_MAX_BYTES, read_paths
    from kg.backend import open_store
    from kg.loader import BatchReport, IngestSummary, ingest, outdated_ids

    redo = None
    if reextract == "all":

        def redo(_store, ids: list[str]) -> set[str]:
            return set(ids)
    elif reextract is not None:

        def redo(store_, ids: list[str]) -> set[str]:
            return outdated_ids(store_, ids, EXTRACTOR_VERSION)

    try:
        # The model first: a missing one is reported before any store is touched. With a
        # cluster the workers load it, and the first batch reports a missing one.
        extractor = Extractor() if spec is None else None
        s = open_store(store)
    except AikgError as exc:
        _echo(f"aikg: error: {exc}")
        return 1
    if bulk and not hasattr(s, "bulk_mode"):
        _echo("aikg: error: --bulk works on a local store directory, not a server")
        _close(s)
        return 2

    show = not (quiet or as_json) and sys.stderr.isatty()
    started = time.monotonic()
    progress = None
    task = None
    if show:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(bar_width=None),
            TextColumn(
                "{task.completed} articles, {task.fields[relations]} relations, "
                "{task.fields[rate]:.1f} articles/s{task.fields[piece]}"
            ),
            TimeElapsedColumn(),
            transient=True,
        )
        progress.start()
        task = progress.add_task(
            "ingest", total=None, relations=0, rate=0.0, piece="" if spec is None else f"; starting {spec}"
        )

    def on_piece(article, done: int, total: int) -> None:
        # A long article is parsed in pieces: say how far, so a big file shows life.
        if progress is not None:
            name = Path(article.source).name if article.source else (article.url or "article")
            text = "" if done == total else f"; {name}: piece {done} of {total}"
            progress.update(task, piece=text)

    def extract(batch):
        return extractor.extract_many(batch, n_process=n_process, on_piece=on_piece)

    validator = None
    if validate:
        from kg.validate import validate_batch

        validator = validate_batch

    written = 0

    def on_batch(report: BatchReport, summary: IngestSummary) -> None:
        nonlocal written
        written = summary.articles
        if not (quiet or as_json):
            for source, reason in report.skipped:
                _echo(skip_line(source, reason, None))
        for v in report.violations:
            _echo(f"left out (shape violation): {v}")
        # One line per durable batch with -v: progress for logs, where no bar is drawn.
        log.info(
            "batch %d committed: %d articles so far (%d new, %d unchanged, %d replaced, %d re-extracted)",
            summary.batches,
            summary.articles,
            summary.new,
            summary.unchanged,
            summary.replaced,
            summary.reextracted,
        )
        if progress is not None:
            elapsed = max(time.monotonic() - started, 1e-6)
            progress.update(
                task, completed=summary.articles, relations=summary.relations, rate=summary.articles / elapsed
            )
        if live is not None:
            live.batch_done(summary, progress, task)

    urls = [p for p in paths if is_url(p)]
    local = [p for p in paths if not is_url(p)]
    items = read_paths(
        local,
        default_published=default_date,
        max_article_bytes=max_article_bytes,
        max_bytes=max(DEFAULT_MAX_BYTES, max_article_bytes),
    )
    fetcher = None
    if urls:
        fetcher = Fetcher(fetch, FetchState(state_path_for(s.location, fetch_state)))
        items = itertools.chain(
            items, read_urls(urls, fetcher, default_published=default_date, max_article_bytes=max_article_bytes)
        )
    live = None
    try:
        with stop, s.bulk_mode() if bulk else nullcontext():
            if spec is None:
                summary = ingest(
                    s,
                    _reported(_until(stop, items), not (quiet or as_json)),
                    extract,
                    batch_size=batch_size,
                    validate=validator,
                    on_batch=on_batch,
                    max_relations=MAX_ARTICLE_RELATIONS,
                    redo=redo,
                    store_text=store_text,
                    should_stop=stop,
                )
            else:
                from aikg.cluster import Cluster, ClusterProgress, cluster_ingest

                with Cluster(spec, quiet_logs=not log.isEnabledFor(logging.DEBUG)) as workers:
                    live = ClusterProgress(workers, started, plain=not (quiet or as_json) and progress is None)
                    summary = cluster_ingest(
                        s,
                        _reported(_until(stop, items), not (quiet or as_json)),
                        workers,
                        batch_size=batch_size,
                        validate=validator,
                        on_batch=on_batch,
                        max_relations=MAX_ARTICLE_RELATIONS,
                        redo=redo,
                        store_text=store_text,
                        should_stop=stop,
                    )
            # The reader stops at a signal too: a stop that fell between two batches ends
            # the input rather than a batch, and is a stop all the same.
            summary.stopped = summary.stopped or stop()
    except KeyboardInterrupt:
        # A second signal (or Ctrl-C before the handlers were set): the batch in hand
        # was not committed; every batch before it was, whole.
        if fetcher is not None:
            fetcher.state.discard()
        if progress is not None:
            progress.stop()
        done = "no batch was committed" if written == 0 else f"the {written} articles of the batches before it are"
        _echo(
            f"aikg: stopped at once: the batch in hand may not be written ({done}); run the same command again to go on"
        )
        return stop.exit_code or 130
    except ClusterError as exc:
        if fetcher is not None:
            fetcher.state.discard()
        if progress is not None:
            progress.stop()
        done = (
            "nothing was written"
            if written == 0
            else f"the {written} articles before were written; run the same command again to go on"
        )
        _echo(f"aikg: error: {exc} ({done})")
        return 1
    except WriteRefusedError as exc:
        if fetcher is not None:
            fetcher.state.discard()
        if progress is not None:
            progress.stop()
        done = "nothing was written" if written == 0 else f"the {written} articles before were written"
        _echo(f"aikg: error: {exc} ({done})")
        return 1
    except AikgError as exc:
        if fetcher is not None:
            fetcher.state.discard()
        if progress is not None:
            progress.stop()
        _echo(f"aikg: error: {exc}")
        _echo(
            "the failed batch was not written; batches before it are committed. "
            "Run the same command again to complete the work."
        )
        return 1
    finally:
        if progress is not None:
            progress.stop()
        _close(s)
        if fetcher is not None:
            fetcher.close()
    stats = None
    if fetcher is not None:
        stats = fetcher.stats
        if summary.stopped:
            # Pages read for batches that were then dropped have their ETags noted: kept,
            # the rerun would be told "not modified" and never store them.
            fetcher.state.discard()
        else:
            _save_fetch_state(fetcher.state)
    elapsed = time.monotonic() - started
    if as_json:
        d = summary.to_dict()
        d["seconds"] = round(elapsed, 3)
        d["stopped"] = stop.by.name if summary.stopped and stop.by is not None else None
        if stats is not None:
            d["fetch"] = stats.to_dict()
        sys.stdout.write(json.dumps(d) + "\n")
    elif not quiet:
        again = f", {summary.reextracted} re-extracted" if reextract is not None else ""
        _echo(
            f"{summary.articles} articles ({summary.new} new, {summary.unchanged} unchanged, "
            f"{summary.replaced} replaced{again}), {len(summary.skipped)} skipped; "
            f"{summary.relations} relations, {summary.entities} entities; "
            f"{len(summary.violations)} left out by validation; {elapsed:.1f} s"
        )
        if stats is not None:
            _echo(fetch_line(stats))
    if summary.stopped:
        _echo(
            f"aikg: stopped by {stop.by.name if stop.by else 'a signal'} after {summary.articles} articles; "
            "run the same command again to go on (stored articles are skipped)"
        )
        return stop.exit_code or 130
    if summary.articles == 0 and stats is not None and stats.not_modified:
        return 0  # the sources answered "not modified": nothing new is not an error
    if summary.articles == 0:
        if not summary.skipped and not as_json:
            _echo(f"aikg: error: no articles found in {' '.join(paths)}")
        return 2
    return 0
