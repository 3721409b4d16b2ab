"""A small hand-built graph: the real mapping and store, with the NLP replaced by records."""

from __future__ import annotations

from datetime import date

import pytest

from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.store import LocalStore

MSFT = Entity("Microsoft", "Organization", "Q2283", ("Microsoft Corporation", "MSFT"))
OPENAI = Entity("OpenAI", "Organization", "Q21708200", ("the ChatGPT maker",))
ANTHROPIC = Entity("Anthropic", "Organization", "Q116758847")
AMAZON = Entity("Amazon", "Organization", "Q3884")
GOOGLE = Entity("Google", "Organization", "Q95")
MISTRAL = Entity("Mistral AI", "Organization", None, ("Mistral",))
NYT = Entity("The New York Times", "Organization", "Q9684", ("NYT",))
MAI = Entity("Microsoft AI", "Organization")
SULEYMAN = Entity("Mustafa Suleyman", "Person", "Q19978523")
COPILOT = Entity("Copilot", "Product")
META = Entity("Meta", "Organization", "Q380")
TRICKY = Entity('O"Brien } ; DROP ALL', "Person")
NVIDIA = Entity("Nvidia", "Organization", "Q182477")
RUNAI = Entity("Run:ai", "Organization")
ALTMAN = Entity("Sam Altman", "Person", "Q7407093")
MAI1 = Entity("MAI-1", "AIModel")

# (title, published, [(subject, predicate, object, confidence, hedged[, amount]), ...]);
# each tuple is one mention, so a repeated tuple is a second sentence of one article.
ARTICLES = [
    (
        "Microsoft puts $1 billion into OpenAI",
        date(2019, 7, 22),
        [
            (MSFT, "investsIn", OPENAI, 0.9, False, "$1 billion"),
            (MSFT, "suppliesTo", OPENAI, 0.8, False),
        ],
    ),
    (
        "Microsoft extends its OpenAI bet",
        date(2023, 1, 23),
        [
            (MSFT, "investsIn", OPENAI, 0.95, False),
            (MSFT, "investsIn", OPENAI, 0.7, False),
            (MSFT, "partnersWith", OPENAI, 0.85, False),
            (MSFT, "develops", COPILOT, 0.8, False),
        ],
    ),
    (
        "Amazon backs Anthropic",
        date(2023, 9, 25),
        [
            (AMAZON, "investsIn", ANTHROPIC, 0.9, False),
            (OPENAI, "competesWith", ANTHROPIC, 0.75, False),
        ],
    ),
    (
        "Google said to weigh Anthropic stake",
        date(2023, 10, 27),
        [
            (GOOGLE, "investsIn", ANTHROPIC, 0.6, True),
        ],
    ),
    (
        "The Times sues OpenAI and Microsoft",
        date(2023, 12, 27),
        [
            (NYT, "sues", OPENAI, 0.9, False),
            (NYT, "sues", MSFT, 0.9, False),
        ],
    ),
    (
        "Microsoft takes a stake in Mistral",
        date(2024, 2, 26),
        [
            (MSFT, "investsIn", MISTRAL, 0.85, False),
            (MSFT, "partnersWith", MISTRAL, 0.8, False),
            (OPENAI, "competesWith", MISTRAL, 0.7, False),
            (META, "partnersWith", MSFT, 0.7, False),
        ],
    ),
    (
        "Suleyman to run Microsoft AI",
        date(2024, 3, 19),
        [
            (SULEYMAN, "leads", MAI, 0.9, False),
            (MAI, "subsidiaryOf", MSFT, 0.8, False),
            (TRICKY, "worksFor", MSFT, 0.5, False),
            (MAI, "develops", MAI1, 0.7, False),
        ],
    ),
    (
        "Nvidia buys Run:ai",
        date(2024, 4, 24),
        [
            (NVIDIA, "acquires", RUNAI, 0.9, False, "$700 million"),
        ],
    ),
    (
        "A profile of Sam Altman",
        date(2024, 5, 1),
        [
            (ALTMAN, "founded", OPENAI, 0.9, False),
            (ALTMAN, "leads", OPENAI, 0.9, False),
        ],
    ),
    (
        "An undated note on Microsoft and OpenAI",
        None,
        [
            (MSFT, "investsIn", OPENAI, 0.8, False),
        ],
    ),
]


def extractions() -> dict[str, Extraction]:
    """Return article id -> its hand-made extraction."""
    out = {}
    for i, (title, published, rels) in enumerate(ARTICLES):
        sentences = [f"{r[0].name} {r[1]} {r[2].name} (sentence {j})." for j, r in enumerate(rels)]
        text = f"{title}.\n\n" + " ".join(sentences)
        art = Article(text=text, url=f"https://news.example/{i}", title=title, published=published)
        mentions, pos = [], len(title) + 3
        for (s, p, o, conf, hedged, *amount), sent in zip(rels, sentences):
            mentions.append(
                RelationMention(s, p, o, conf, sent, pos, pos + len(sent), hedged, amount[0] if amount else None)
            )
            pos += len(sent) + 1
        ents = tuple({e.slug: e for r in rels for e in (r[0], r[2])}.values())
        out[art.id] = Extraction(art, ents, tuple(mentions), "test-1")
    return out


def build_store(path) -> LocalStore:
    """Return a store at ``path`` holding the hand-made articles."""
    exs = extractions()
    store = LocalStore(path)
    ingest(store, [e.article for e in exs.values()], lambda batch: [exs[a.id] for a in batch])
    return store


@pytest.fixture
def world(tmp_path):
    """A fresh store of the hand-built articles, per test."""
    store = build_store(tmp_path / "store")
    yield store
    store.close()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory):
    """The sample corpus (examples/articles) through the real NLP pipeline, once per session.

    Read-only use only: tests that write need their own store.
    """
    from pathlib import Path

    from ingest.pipeline import Extractor
    from ingest.readers import read_paths

    corpus = Path(__file__).resolve().parents[2] / "examples" / "articles"
    if not corpus.is_dir():
        pytest.skip("examples/articles is missing")
    extractor = Extractor()
    store = LocalStore(tmp_path_factory.mktemp("sample") / "store")
    summary = ingest(store, read_paths([str(corpus)]), lambda batch: list(extractor.extract_many(batch)))
    assert summary.new >= 10 and not summary.skipped
    yield store
    store.close()
