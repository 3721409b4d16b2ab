"""The scale benchmark's article generator (benchmarks/synthetic_news.py): what the 100k run relies on."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ingest.readers import iter_articles

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("synthetic_news", ROOT / "benchmarks" / "synthetic_news.py")
synthetic_news = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic_news)


def test_same_seed_same_articles_and_every_text_distinct_and_short():
    first = list(synthetic_news.articles(400, seed=3))
    assert first == list(synthetic_news.articles(400, seed=3))
    assert first != list(synthetic_news.articles(400, seed=4))
    assert len({a["text"] for a in first}) == len({a["url"] for a in first}) == 400
    assert all(60 <= len(a["text"].split()) <= 100 for a in first)


def test_the_jsonl_file_reads_as_articles_with_their_url_and_date(tmp_path):
    path = tmp_path / "news.jsonl"
    info = synthetic_news.write_jsonl(path, 50, seed=18)
    read = list(iter_articles([path]))
    assert len(read) == info["articles"] == 50
    assert all(a.url.startswith("https://synthetic.example.org/news/18/") and a.published for a in read)
    assert sum(len(a.text.split()) for a in read) == info["words"]
