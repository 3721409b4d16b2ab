"""The edge of ``aikg ingest``: readers, pipeline, loader, progress bar and summary."""

from __future__ import annotations

import json
import logging
import sys
import time
from contextlib import nullcontext
from datetime import date as Date
from importlib import resources
from pathlib import Path

from kg.errors import AikgError

log = logging.getLogger(__name__)


def sample_articles_dir() -> Path:
    """Return the bundled sample articles (examples/articles in the checkout)."""
    here = Path(__file__).resolve().parent.parent / "examples" / "articles"
    if here.is_dir():
        return here
    packaged = resources.files("kg") / "examples"
    return Path(str(packaged))


def _echo(msg: str) -> None:
    sys.stderr.write(msg + "\n")


def _close(store) -> None:
    """Close the store; a failing final flush is reported in one line, not a traceback."""
    try:
        store.close()
    except AikgError as exc:
        _echo(f"aikg: warning: {exc}")


def run_ingest(paths: list[str], *, store: str | None, batch_size: int, n_process: int,
               date: str | None, as_json: bool, quiet: bool, validate: bool, bulk: bool = False) -> int:
    """Ingest paths into the store, reporting on stderr (or JSON on stdout); return the exit code."""
    from ingest.pipeline import Extractor
    from ingest.readers import read_paths
    from kg.loader import BatchReport, IngestSummary, ingest
    from kg.store import open_store

    try:
        default_date = Date.fromisoformat(date) if date else None
    except ValueError:
        _echo(f"aikg: error: --date must be YYYY-MM-DD, got {date!r}")
        return 2
    try:
        s = open_store(store)
    except AikgError as exc:
        _echo(f"aikg: error: {exc}")
        return 1
    if bulk and not hasattr(s, "bulk_mode"):
        _echo("aikg: error: --bulk works on a local store directory, not a server")
        _close(s)
        return 2
    extractor = Extractor()

    def extract(batch):
        return extractor.extract_many(batch, n_process=n_process)

    validator = None
    if validate:
        from kg.validate import validate_batch

        validator = validate_batch

    show = not (quiet or as_json) and sys.stderr.isatty()
    started = time.monotonic()
    progress = None
    task = None
    if show:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(
            TextColumn("[bold]ingest"), BarColumn(bar_width=None),
            TextColumn("{task.completed} articles, {task.fields[relations]} relations, "
                       "{task.fields[rate]:.1f} articles/s"),
            TimeElapsedColumn(), transient=True,
        )
        progress.start()
        task = progress.add_task("ingest", total=None, relations=0, rate=0.0)

    def on_batch(report: BatchReport, summary: IngestSummary) -> None:
        for v in report.violations:
            _echo(f"left out (shape violation): {v}")
        # One line per durable batch with -v: progress for logs, where no bar is drawn.
        log.info("batch %d committed: %d articles so far (%d new, %d unchanged, %d replaced)",
                 summary.batches, summary.articles, summary.new, summary.unchanged, summary.replaced)
        if progress is not None:
            elapsed = max(time.monotonic() - started, 1e-6)
            progress.update(task, completed=summary.articles, relations=summary.relations,
                            rate=summary.articles / elapsed)

    try:
        with s.bulk_mode() if bulk else nullcontext():
            summary = ingest(s, read_paths(paths, default_published=default_date), extract,
                             batch_size=batch_size, validate=validator, on_batch=on_batch)
    except AikgError as exc:
        if progress is not None:
            progress.stop()
        _echo(f"aikg: error: {exc}")
        _echo("the failed batch was not written; batches before it are committed. "
              "Run the same command again to complete the work.")
        return 1
    finally:
        if progress is not None:
            progress.stop()
        _close(s)
    elapsed = time.monotonic() - started
    if as_json:
        d = summary.to_dict()
        d["seconds"] = round(elapsed, 3)
        sys.stdout.write(json.dumps(d) + "\n")
    elif not quiet:
        for src, reason in summary.skipped:
            _echo(f"skipped {src}: {reason}")
        _echo(
            f"{summary.articles} articles ({summary.new} new, {summary.unchanged} unchanged, "
            f"{summary.replaced} replaced), {len(summary.skipped)} skipped; "
            f"{summary.relations} relations, {summary.entities} entities; "
            f"{len(summary.violations)} left out by validation; {elapsed:.1f} s"
        )
    if summary.articles == 0 and summary.skipped:
        return 1
    return 0
