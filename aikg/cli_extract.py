"""The ``aikg extract`` and ``aikg eval`` commands (registered by ``aikg/cli.py``).

spaCy and the pipeline are imported inside the functions, so ``aikg --help`` stays fast.
"""

from __future__ import annotations

import json as _json
import sys
from datetime import date as _date
from typing import Annotated

import typer

from aikg.cli_common import MaxArticleOpt
from aikg.ingest_run import DEFAULT_MAX_ARTICLE_BYTES


def _relation_line(rel, article, published) -> dict:
    return {
        "subject": rel.subject.name,
        "subject_type": rel.subject.type,
        "predicate": rel.predicate,
        "object": rel.object.name,
        "object_type": rel.object.type,
        "confidence": rel.confidence,
        "evidence": rel.sentence,
        "source": article.source or article.url or article.key,
        "subject_id": rel.subject.wikidata,
        "object_id": rel.object.wikidata,
        "hedged": rel.hedged,
        "amount": rel.amount,
        "date": rel.date,
        "ended": rel.ended,
        "date_text": rel.date_text,
        "start_date": rel.start_date,
        "end_date": rel.end_date,
        "date_note": rel.date_note,
        "amount_value": float(rel.amount_value) if rel.amount_value is not None else None,
        "amount_currency": rel.amount_currency,
        "stake_percent": float(rel.stake_percent) if rel.stake_percent is not None else None,
        "article_id": article.id,
        "start": rel.start,
        "end": rel.end,
        "published": published.isoformat() if published else None,
    }


def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.", metavar="FILE|DIR|-")],
    date: Annotated[
        str | None, typer.Option("--date", help="Published date (YYYY-MM-DD) of articles without one.")
    ] = None,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per spaCy batch.")] = 16,
    max_article_bytes: MaxArticleOpt = DEFAULT_MAX_ARTICLE_BYTES,
) -> None:
    """Print the relations found in articles as JSON Lines, one relation per line.

    Exits 0 when at least one article was read (skipped files are listed on stderr), 2 when nothing could be read, 1 when the spaCy model is missing.
    """
    default_published = None
    if date is not None:
        try:
            default_published = _date.fromisoformat(date)
        except ValueError:
            typer.echo(f"aikg: error: --date must be YYYY-MM-DD, got {date!r}", err=True)
            raise typer.Exit(2) from None

    from aikg.ingest_run import skip_line
    from ingest.pipeline import Extractor
    from ingest.readers import DEFAULT_MAX_BYTES, ReadFailure, read_paths
    from kg.errors import ModelMissingError

    try:
        extractor = Extractor()
    except ModelMissingError as exc:
        typer.echo(f"aikg: error: {exc}", err=True)
        raise typer.Exit(1) from None

    counts = {"read": 0}

    def articles():
        for item in read_paths(
            paths,
            default_published=default_published,
            max_article_bytes=max_article_bytes,
            max_bytes=max(DEFAULT_MAX_BYTES, max_article_bytes),
        ):
            if isinstance(item, ReadFailure):
                typer.echo(skip_line(item.source, item.reason, item.limit), err=True)
                continue
            counts["read"] += 1
            yield item

    out = sys.stdout
    for ex in extractor.extract_many(articles(), n_process=n_process, batch_size=batch_size):
        published = ex.article.published or default_published
        for rel in ex.relations:
            out.write(_json.dumps(_relation_line(rel, ex.article, published), ensure_ascii=False) + "\n")
        out.flush()
    if counts["read"] == 0:
        raise typer.Exit(2)


def eval(  # noqa: A001 - the command is called "eval"
    gold_dir: Annotated[str, typer.Argument(help="Directory of gold JSON files.")],
    json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    by_confidence: Annotated[
        bool,
        typer.Option(
            "--by-confidence",
            help="Also print relation P/R/F1 at confidence thresholds 0.0, 0.1, ..., 0.9 "
            "(the JSON report always has them).",
        ),
    ] = False,
    min_confidence: Annotated[
        str,
        typer.Option(
            "--min-confidence", metavar="0..1", help="Count only relations at least this confident as predicted."
        ),
    ] = "0",
) -> None:
    """Score the extractor against a gold directory: entity and relation P/R/F1, and how well confidence predicts correctness.

    Exits 2 on bad input (no such directory, no gold files, a confidence outside 0..1), 1 when the spaCy model is missing.
    """
    from pathlib import Path

    from ingest.eval import evaluate
    from ingest.pipeline import Extractor
    from kg.errors import ModelMissingError

    try:
        floor = float(min_confidence)
    except ValueError:
        floor = float("nan")
    if not 0.0 <= floor <= 1.0:
        typer.echo(f"aikg: error: --min-confidence must be a number from 0 to 1, got {min_confidence!r}", err=True)
        raise typer.Exit(2)
    if not Path(gold_dir).is_dir():
        typer.echo(f"aikg: error: {gold_dir}: no such directory", err=True)
        raise typer.Exit(2)
    if not any(Path(gold_dir).glob("*.json")):
        typer.echo(f"aikg: error: {gold_dir}: no gold files (*.json) in it", err=True)
        raise typer.Exit(2)
    try:
        extractor = Extractor()
    except ModelMissingError as exc:
        typer.echo(f"aikg: error: {exc}", err=True)
        raise typer.Exit(1) from None
    report = evaluate(gold_dir, extractor, min_confidence=floor)
    if json:
        typer.echo(_json.dumps(report.to_dict(), indent=1))
    else:
        typer.echo(report.format(by_confidence=by_confidence))


#: What ``aikg train`` calibrates on by default: the development sets, whose errors the rules were
#: written from, and the round-26 to round-30 blind sets: fresh writing, never trained on, read only in
#: aggregate. Calibrated on the development sets alone, the model was surer than it was right on fresh
#: writing (its 0.5-0.8 band was right 42% of the time on those rounds; training/README.md, stop 51).
DEFAULT_CALIBRATION = (
    "tests/gold",
    "tests/gold_blind:odd",
    "tests/gold_long:odd",
    *(f"tests/gold_{kind}{r}" for r in range(26, 31) for kind in ("blind", "long")),
)
#: What its card scores by default: the later blind rounds, never trained, tuned or calibrated on.
DEFAULT_HELDOUT = tuple(f"tests/gold_{kind}{r}" for r in range(31, 37) for kind in ("blind", "long"))


def _gold_spec(spec: str):
    """Split "DIR" or "DIR:odd" / "DIR:even" into files, or exit 2 with one line."""
    from pathlib import Path

    from ingest.eval import _gold_files

    d, _, subset = spec.partition(":")
    if not Path(d).is_dir():
        typer.echo(f"aikg: error: {d}: no such directory", err=True)
        raise typer.Exit(2)
    try:
        files = _gold_files(d, subset or None)
    except ValueError:
        typer.echo(f"aikg: error: {spec}: a subset must be :odd or :even", err=True)
        raise typer.Exit(2) from None
    if not files:
        typer.echo(f"aikg: error: {spec}: no gold files (*.json) in it", err=True)
        raise typer.Exit(2)
    return files


def train(
    corpus: Annotated[
        list[str] | None,
        typer.Option("--corpus", help="Training passages: JSON Lines files or directories (repeatable)."),
    ] = None,
    calibration: Annotated[
        list[str] | None,
        typer.Option(
            "--calibration",
            metavar="DIR[:odd|:even]",
            help="Gold sets to calibrate on and pick the threshold with (repeatable); never trained on.",
        ),
    ] = None,
    heldout: Annotated[
        list[str] | None,
        typer.Option(
            "--heldout",
            metavar="DIR[:odd|:even]",
            help="Gold sets to score the new model on for its card (repeatable); never trained or tuned on.",
        ),
    ] = None,
    ended_corpus: Annotated[
        list[str] | None,
        typer.Option(
            "--ended-corpus",
            help="Passages that teach only the ended classifier (repeatable; default: training/ended and training/ended_c9 when present).",
        ),
    ] = None,
    ended_calibration: Annotated[
        list[str] | None,
        typer.Option(
            "--ended-calibration",
            metavar="DIR[:odd|:even]",
            help="Gold sets added to the calibration sets to pick the ended threshold only (repeatable; "
            "default: the odd half of tests/gold_time when present).",
        ),
    ] = None,
    labels: Annotated[
        list[str] | None,
        typer.Option(
            "--labels",
            help="Curators' verdicts from `aikg curate export-labels` (repeatable): accepted "
            "relations are learnt as positives, rejected ones as negatives.",
        ),
    ] = None,
    knowledgenet: Annotated[
        str | None,
        typer.Option(
            "--knowledgenet",
            envvar="AIKG_KNOWLEDGENET",
            help="KnowledgeNet JSON Lines: folds 1-2 (or --knowledgenet-folds) join the training data (fold 3 stays for testing).",
        ),
    ] = None,
    knowledgenet_folds: Annotated[
        str,
        typer.Option(
            "--knowledgenet-folds",
            help="The KnowledgeNet folds that join the training data, comma-separated: 1,2 (fold 3 is the "
            "test fold), or 1 to score fold 2.",
        ),
    ] = "1,2",
    out: Annotated[
        str | None, typer.Option("--out", help="Where to write the model (default: the packaged model directory).")
    ] = None,
    c: Annotated[float, typer.Option("--c", help="Inverse regularization strength.", min=1e-6)] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="Solver seed.")] = 0,
    family: Annotated[
        str,
        typer.Option(
            "--family",
            help="Model family: lr (logistic regression per predicate) or gbdt (gradient-boosted trees; "
            "needs lightgbm to train). training/README.md compares them.",
        ),
    ] = "lr",
) -> None:
    """Rebuild the relation model from the training corpus, deterministically, with its model card.

    Defaults fit a checkout of the repository: training/corpus (and training/ended, training/ended_c9 for the ended
    classifier), calibration on tests/gold, the odd halves of tests/gold_blind and tests/gold_long
    and the round-26 to round-30 blind sets (tests/gold_blind26-30, tests/gold_long26-30: fresh writing, so
    the confidence a reader sees is the one that holds on news; and the odd half of tests/gold_time for the
    ended threshold), held-out scores on the round-31 to round-35 sets (tests/gold_blind31-35,
    tests/gold_long31-35). Exits 2 on bad input, 1 when the spaCy model is missing.
    """
    import logging
    from pathlib import Path

    from kg.errors import ModelMissingError

    try:
        from ingest.relations.train import corpus_files
        from ingest.relations.train import train as run_train
    except ImportError as exc:  # scikit-learn is a training-only dependency
        typer.echo(
            f"aikg: error: training needs the train extra ({exc.name} is missing): pip install 'aikg[train]'", err=True
        )
        raise typer.Exit(1) from None
    if family not in ("lr", "gbdt"):
        typer.echo(f"aikg: error: --family {family}: choose lr or gbdt", err=True)
        raise typer.Exit(2)
    if family == "gbdt":
        try:
            import lightgbm  # noqa: F401
        except ImportError:
            typer.echo("aikg: error: --family gbdt needs lightgbm to train: pip install 'aikg[train-trees]'", err=True)
            raise typer.Exit(1) from None
    corpus = corpus or ["training/corpus"]
    if ended_corpus is None:
        ended_corpus = [d for d in ("training/ended", "training/ended_c9") if Path(d).is_dir()]
    for p in [*corpus, *ended_corpus, *(labels or [])]:
        if not Path(p).exists():
            typer.echo(f"aikg: error: {p}: no such file or directory (run from a checkout, or pass --corpus)", err=True)
            raise typer.Exit(2)
    if not corpus_files(corpus):
        typer.echo(f"aikg: error: {', '.join(corpus)}: no training passages (*.jsonl) in it", err=True)
        raise typer.Exit(2)
    if knowledgenet and not Path(knowledgenet).is_file():
        typer.echo(f"aikg: error: {knowledgenet}: no such file (--knowledgenet / AIKG_KNOWLEDGENET)", err=True)
        raise typer.Exit(2)
    try:
        kn_folds = tuple(sorted({int(f) for f in knowledgenet_folds.split(",") if f.strip()}))
    except ValueError:
        kn_folds = ()
    if not kn_folds or not set(kn_folds) <= {1, 2}:
        typer.echo(
            f"aikg: error: --knowledgenet-folds {knowledgenet_folds}: give folds 1 and/or 2, comma-separated "
            "(fold 3 is the held-out test fold)",
            err=True,
        )
        raise typer.Exit(2)
    cal_files = [f for spec in (calibration or DEFAULT_CALIBRATION) for f in _gold_spec(spec)]
    if ended_calibration is None:
        ended_calibration = ["tests/gold_time:odd"] if Path("tests/gold_time").is_dir() else []
    ended_cal_files = [f for spec in ended_calibration for f in _gold_spec(spec)]
    held = heldout if heldout is not None else [d for d in DEFAULT_HELDOUT if Path(d).is_dir()]
    for spec in held:
        _gold_spec(spec)
    logging.getLogger("ingest").setLevel(logging.ERROR)
    try:
        run_train(
            corpus,
            cal_files,
            out or _default_model_dir(),
            knowledgenet=knowledgenet,
            knowledgenet_folds=kn_folds,
            heldout=held,
            ended_corpus=ended_corpus,
            ended_calibration=ended_cal_files,
            c=c,
            seed=seed,
            family=family,
            progress=lambda line: typer.echo(line, err=True),
            labels=labels or [],
        )
    except ModelMissingError as exc:
        typer.echo(f"aikg: error: {exc}", err=True)
        raise typer.Exit(1) from None
    except (ValueError, KeyError) as exc:
        typer.echo(f"aikg: error: a training file is malformed: {exc}", err=True)
        raise typer.Exit(2) from None


def _default_model_dir() -> str:
    from ingest.relations.model import DEFAULT_DIR

    return str(DEFAULT_DIR)
