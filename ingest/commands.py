"""The ``aikg extract`` and ``aikg eval`` commands (registered by ``kg/cli.py``).

spaCy and the pipeline are imported inside the functions, so ``aikg --help`` stays fast.
"""

from __future__ import annotations

import json as _json
import sys
from datetime import date as _date
from typing import Annotated

import typer


def _relation_line(rel, article, published) -> dict:
    return {
        "subject": rel.subject.name, "subject_type": rel.subject.type,
        "predicate": rel.predicate,
        "object": rel.object.name, "object_type": rel.object.type,
        "confidence": rel.confidence, "evidence": rel.sentence,
        "source": article.source or article.url or article.key,
        "subject_id": rel.subject.wikidata, "object_id": rel.object.wikidata,
        "hedged": rel.hedged, "amount": rel.amount, "date": rel.date,
        "article_id": article.id, "start": rel.start, "end": rel.end,
        "published": published.isoformat() if published else None,
    }


def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.", metavar="FILE|DIR|-")],
    date: Annotated[str | None, typer.Option("--date", help="Published date (YYYY-MM-DD) of articles without one.")] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per spaCy batch.")] = 16,
) -> None:
    """Print the relations found in articles as JSON Lines, one relation per line."""
    default_published = None
    if date is not None:
        try:
            default_published = _date.fromisoformat(date)
        except ValueError:
            typer.echo(f"error: --date must be YYYY-MM-DD, got {date!r}", err=True)
            raise typer.Exit(2) from None

    from ingest.pipeline import Extractor
    from ingest.readers import ReadFailure, read_paths

    counts = {"read": 0}

    def articles():
        for item in read_paths(paths, default_published=default_published):
            if isinstance(item, ReadFailure):
                typer.echo(f"skipped {item.source}: {item.reason}", err=True)
                continue
            counts["read"] += 1
            yield item

    extractor = Extractor()
    out = sys.stdout
    for ex in extractor.extract_many(articles(), n_process=n_process, batch_size=batch_size):
        published = ex.article.published or default_published
        for rel in ex.relations:
            out.write(_json.dumps(_relation_line(rel, ex.article, published), ensure_ascii=False) + "\n")
        out.flush()
    if counts["read"] == 0:
        raise typer.Exit(1)


def eval(  # noqa: A001 - the command is called "eval"
    gold_dir: Annotated[str, typer.Argument(help="Directory of gold JSON files.")],
    json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Score the extractor against a gold directory: entity and relation P/R/F1."""
    from ingest.eval import evaluate
    from ingest.pipeline import Extractor

    report = evaluate(gold_dir, Extractor())
    if json:
        typer.echo(_json.dumps(report.to_dict(), indent=1))
    else:
        typer.echo(report.format())
