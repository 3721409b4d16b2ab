"""One career in three articles, for the time rule (docs/TIME.md), loaded without spaCy.

Dana Okafor joined Helix Robotics in March 2019 (told by a profile published in 2021),
was named chief executive in May 2022, and left in August 2024. Northwind Capital
invested in Helix in 2022 and still holds its stake. The records carry what the
extractor's date and amount normalizers give (``date``, ``start_date``, ``end_date``,
``ended``, ``amount_value`` ...), and go through the real mapping and loader.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.store import LocalStore

DANA = Entity("Dana Okafor", "Person")
HELIX = Entity("Helix Robotics", "Organization")
NORTHWIND = Entity("Northwind Capital", "Organization")

S_JOINED = "Dana Okafor, who joined Helix Robotics in March 2019, runs its research lab."
S_NAMED = "Helix Robotics named Dana Okafor chief executive in May 2022."
S_STAKE = "Northwind Capital invested $40 million in Helix Robotics for a 12% stake."
S_LEFT = "Dana Okafor, who left Helix Robotics in August 2024, is starting a company of her own."


def mention(text: str, sentence: str, s: Entity, p: str, o: Entity, **fields) -> RelationMention:
    """Return a mention of ``sentence`` (found in ``text``) with the given time and amount fields."""
    start = text.index(sentence)
    return RelationMention(s, p, o, fields.pop("confidence", 0.9), sentence, start, start + len(sentence), **fields)


def extraction(
    title: str, url: str, published: date | None, sentences: list[str], relations: list[tuple]
) -> Extraction:
    """Return an article made of ``sentences`` and its mentions.

    Args:
        relations: (sentence, subject, predicate, object, fields) per mention.
    """
    art = Article(text=" ".join(sentences), url=url, title=title, published=published)
    rels = tuple(mention(art.text, sent, s, p, o, **fields) for sent, s, p, o, fields in relations)
    ents = tuple({e.slug: e for r in rels for e in (r.subject, r.object)}.values())
    return Extraction(art, ents, rels, "time-test-1")


EXTRACTIONS = [
    extraction(
        "A profile of Dana Okafor",
        "https://news.example/okafor-profile",
        date(2021, 2, 1),
        [S_JOINED],
        [
            (S_JOINED, DANA, "worksFor", HELIX, dict(date="2019-03", start_date="2019-03", date_text="in March 2019")),
        ],
    ),
    extraction(
        "Helix names a new chief",
        "https://news.example/helix-ceo",
        date(2022, 5, 3),
        [S_NAMED, S_STAKE],
        [
            (S_NAMED, DANA, "leads", HELIX, dict(date="2022-05", start_date="2022-05", date_text="in May 2022")),
            (
                S_STAKE,
                NORTHWIND,
                "investsIn",
                HELIX,
                dict(amount="$40 million", amount_value="40000000", amount_currency="USD", stake_percent="12"),
            ),
        ],
    ),
    extraction(
        "Okafor starts her own company",
        "https://news.example/okafor-leaves",
        date(2024, 9, 16),
        [S_LEFT],
        [
            (
                S_LEFT,
                DANA,
                "worksFor",
                HELIX,
                dict(ended=True, date="2024-08", end_date="2024-08", date_text="in August 2024"),
            ),
            (
                S_LEFT,
                DANA,
                "leads",
                HELIX,
                dict(ended=True, date="2024-08", end_date="2024-08", date_text="in August 2024"),
            ),
        ],
    ),
]


def load(store: LocalStore, extractions: Iterable[Extraction]) -> None:
    """Ingest hand-made extractions through the real loader."""
    by_id = {ex.article.id: ex for ex in extractions}
    ingest(store, [ex.article for ex in by_id.values()], lambda batch: [by_id[a.id] for a in batch])


def build_store(path: Path) -> Path:
    """Load the three articles into a store directory and close it."""
    with LocalStore(path) as store:
        load(store, EXTRACTIONS)
    return path
