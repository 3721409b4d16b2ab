"""KnowledgeNet fold 3, text level: leads, founded, subsidiaryOf and worksFor on outside text.

Usage: python benchmarks/bench_knowledgenet.py [--dataset PATH] [--fold 3] [--limit N]
                                               [--out benchmarks/results/knowledgenet.json]

The split is "trained without fold 3, scored on fold 3": a trained relation classifier
may learn from folds 1-2 (``ingest.knowledgenet.load_passages(path, {1, 2})``), never
from the fold scored here. The extractor (``ingest.pipeline.Extractor``) runs in this
process over the same document texts and with the same document selection as the
shared ``score.py`` gives ``aikg extract``, and the scoring is ``score.py``'s own
(imported from next to the dataset, not copied): names matched after normalisation,
pronoun facts without a named antecedent neutral, false positives counted only in
sentences exhaustively annotated for the property. Two readings are reported: the
default one, and one where every ``leads`` also counts as ``worksFor`` (KnowledgeNet
annotates chief executives as employees; our guidelines do not).

The dataset (CC BY-SA) is read at run time from ``--dataset``, else ``$AIKG_KNOWLEDGENET``,
else ``../shared/benchmarks/knowledgenet/knowledgenet-folds1-3.jsonl`` next to the
checkout, else ``/work/shared/...``. Without it the benchmark says so and exits 0 (so
``run_all.py`` passes on machines that lack it); a ``--dataset`` that does not exist
exits 2. The results file holds counts and scores only, never the dataset's text.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILE_NAME = "knowledgenet-folds1-3.jsonl"
DEFAULT_PLACES = (
    ROOT.parent / "shared" / "benchmarks" / "knowledgenet" / FILE_NAME,
    Path("/work/shared/benchmarks/knowledgenet") / FILE_NAME,
)


def find_dataset() -> Path | None:
    """Return the dataset path from ``$AIKG_KNOWLEDGENET`` or a default place, or None."""
    env = os.environ.get("AIKG_KNOWLEDGENET")
    if env:
        return Path(env)
    return next((p for p in DEFAULT_PLACES if p.is_file()), None)


def load_scorer(path: Path):
    """Import the shared ``score.py`` as a module.

    Raises:
        FileNotFoundError: there is no such file.
    """
    if not path.is_file():
        raise FileNotFoundError(path)
    spec = importlib.util.spec_from_file_location("knowledgenet_score", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def predict(docs, extractor, batch_size: int = 16) -> dict[str, list[dict]]:
    """Run the extractor over the documents; return the relations per document id.

    Each relation is a dict with the fields of an ``aikg extract`` line that the scorer
    reads: subject, predicate, object, evidence, subject_id, object_id.
    """
    from kg.model import Article

    articles = [Article(text=d.input_text(), source=f"kn_{d.doc_id}.txt") for d in docs]
    out: dict[str, list[dict]] = {}
    for doc, ex in zip(docs, extractor.extract_many(articles, batch_size=batch_size)):
        out[doc.doc_id] = [
            {
                "subject": r.subject.name,
                "predicate": r.predicate,
                "object": r.object.name,
                "evidence": r.sentence,
                "subject_id": r.subject.wikidata,
                "object_id": r.object.wikidata,
            }
            for r in ex.relations
        ]
    return out


def _scores(res: dict, props: list[str]) -> dict:
    """Keep the counts and scores of a score.py result (its examples hold dataset text)."""
    keep = (
        "predicate",
        "gold",
        "gold_unresolved",
        "predicted",
        "tp",
        "fp",
        "fn",
        "neutral",
        "ignored",
        "precision",
        "recall",
        "f1",
        "strict_recall",
        "strict_f1",
    )
    r3 = lambda v: round(v, 4) if isinstance(v, float) else v  # noqa: E731
    per = {p: {k: r3(res["properties"][p][k]) for k in keep} for p in props}
    overall = {k: r3(v) for k, v in res["overall"].items() if k != "link"}
    return {"properties": per, "overall": overall}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--dataset", help=f"the KnowledgeNet JSON Lines file (default: $AIKG_KNOWLEDGENET or the shared {FILE_NAME})"
    )
    ap.add_argument("--scorer", help="the shared score.py (default: next to the dataset)")
    ap.add_argument("--fold", type=int, default=3, choices=(1, 2, 3, 4), help="fold to score (default 3)")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N selected documents (0 = all)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "knowledgenet.json"))
    args = ap.parse_args(argv)

    if args.dataset:
        dataset = Path(args.dataset)
        if not dataset.is_file():
            print(f"error: no KnowledgeNet file at {dataset}", file=sys.stderr)
            return 2
    else:
        dataset = find_dataset()
        if dataset is None or not dataset.is_file():
            print("knowledgenet: skipped, dataset not found (set AIKG_KNOWLEDGENET or pass --dataset)")
            return 0
    scorer_path = Path(args.scorer) if args.scorer else dataset.parent / "score.py"
    try:
        score = load_scorer(scorer_path)
    except FileNotFoundError:
        print(f"error: no score.py at {scorer_path} (pass --scorer)", file=sys.stderr)
        return 2

    from ingest.pipeline import MODEL_NAME, Extractor, build_nlp

    docs = score.load_dataset(str(dataset))
    sel = score.select_docs(docs, args.fold, False)
    if args.limit:
        sel = sel[: args.limit]
    if not sel:
        print(f"error: fold {args.fold} has no document annotated for a mapped property in {dataset}", file=sys.stderr)
        return 2
    extractor = Extractor(build_nlp())
    t0 = time.perf_counter()
    preds = predict(sel, extractor, args.batch_size)
    seconds = time.perf_counter() - t0

    res = score.score_documents(sel, preds)
    res_wfl = score.score_documents(sel, preds, worksfor_from_leads=True)
    n_sent = sum(1 for d in sel for p in d.passages if p.props & set(score.MAPPED_PROPS))
    header = [
        f"KnowledgeNet fold {args.fold}: {len(sel)} documents, {n_sent} sentences annotated for a mapped property",
        f"ingest.pipeline.Extractor in process, {seconds:.0f}s; scoring by {scorer_path}",
    ]
    print(score.format_report(res, header))
    o = res_wfl["overall"]
    print(f"with every leads also read as worksFor: P {o['precision']:.3f}  R {o['recall']:.3f}  F1 {o['f1']:.3f}")

    import spacy

    out = {
        "dataset": dataset.name,
        "fold": args.fold,
        "train_folds_allowed": sorted({1, 2, 3, 4} - {args.fold} & {1, 2, 3}),
        "documents": len(sel),
        "sentences": n_sent,
        "relations_predicted": sum(len(v) for v in preds.values()),
        "seconds": round(seconds, 1),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": MODEL_NAME,
        **_scores(res, score.MAPPED_PROPS),
        "worksfor_from_leads": _scores(res_wfl, score.MAPPED_PROPS),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
