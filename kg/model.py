"""Plain records that flow from the readers through extraction into the graph.

They carry no behaviour beyond (de)serialization, so ``kg`` never needs spaCy and
``ingest`` never needs RDF.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

ENTITY_TYPES = ("Organization", "Person", "AIModel", "Product")

PREDICATES = (
    "partnersWith",
    "investsIn",
    "acquires",
    "competesWith",
    "subsidiaryOf",
    "suppliesTo",
    "disputesWith",
    "sues",
    "develops",
    "uses",
    "leads",
    "founded",
    "worksFor",
)

SYMMETRIC_PREDICATES = frozenset({"partnersWith", "competesWith", "disputesWith"})
#: The confidence below which pages, ``/relations`` and ``aikg viz`` hide a statement
#: unless told otherwise (``AIKG_MIN_CONFIDENCE``, ``min_confidence=``, ``--min-confidence``).
#: /sparql and the exports are never filtered. The trained extractor emits relations from
#: 0.5; a reader sees the confident band first, 0.8 and up, which is right 83-86% of the
#: time on the held-out gold sets and 94% on the sample articles (README, "Quality,
#: measured"). 0.5 shows all the extractor found.
DEFAULT_MIN_CONFIDENCE = 0.8

_WS = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Return the text in the form its article id is computed from.

    Unicode NFC, line endings unified, runs of blanks inside a line folded, trailing
    blanks and surrounding blank lines removed, so that a file saved by another editor
    keeps its id.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t\f\v\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def article_id(text: str) -> str:
    """Return the sha256 hex digest of the normalized text."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


@lru_cache(maxsize=65536)
def slugify(name: str) -> str:
    """Return the IRI slug of a canonical entity name ("Google DeepMind" -> "google-deepmind")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        slug = "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    return slug


@dataclass(frozen=True)
class Article:
    """One news article, as a reader produced it; ``text`` is normalized."""

    text: str
    url: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", normalize_text(self.text))
        if not self.id:
            object.__setattr__(self, "id", article_id(self.text))

    @property
    def key(self) -> str:
        """Return what identifies the article across versions: its url, else its id."""
        return self.url or f"urn:sha256:{self.id}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        """Build from :meth:`to_dict` output."""
        pub = d.get("published")
        return cls(
            text=d["text"],
            url=d.get("url"),
            title=d.get("title"),
            published=date.fromisoformat(pub[:10]) if pub else None,
            source=d.get("source"),
        )


@dataclass(frozen=True)
class Entity:
    """A canonical entity: one per real-world thing, whatever the surface form."""

    name: str
    type: str
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        """Return the slug of its IRI."""
        return slugify(self.name)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"name": self.name, "type": self.type, "wikidata": self.wikidata, "aliases": list(self.aliases)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        """Build from :meth:`to_dict` output."""
        return cls(d["name"], d["type"], d.get("wikidata"), tuple(d.get("aliases") or ()))


@dataclass(frozen=True)
class RelationMention:
    """One relation as one sentence of one article states it.

    ``start``/``end`` are character offsets of the evidence sentence in the article's
    normalized text. ``amount`` and ``date_text`` are the MONEY and DATE the sentence
    states for the relation, verbatim, where it states them; ``date`` is that date
    resolved against the article's date (ISO 8601: ``YYYY-MM-DD``, ``YYYY-MM`` or
    ``YYYY``), ``start_date`` / ``end_date`` the same date when the words say the
    relation began ("joined in 2019") or ended ("left in 2023"). ``ended`` says the text
    states the relation as over ("former", "stepped down", "sold its stake").
    ``amount_value`` (a decimal string, in the currency's unit), ``amount_currency``
    (ISO 4217) and ``stake_percent`` are the amount normalized. ``date_note`` says why
    date words were left unresolved ("relative date and no article date", "fiscal period").
    """

    subject: Entity
    predicate: str
    object: Entity
    confidence: float
    sentence: str
    start: int
    end: int
    hedged: bool = False
    amount: str | None = None
    date: str | None = None
    ended: bool = False
    date_text: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    amount_value: str | None = None
    amount_currency: str | None = None
    stake_percent: str | None = None
    date_note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "subject": self.subject.to_dict(),
            "predicate": self.predicate,
            "object": self.object.to_dict(),
            "confidence": self.confidence,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "hedged": self.hedged,
            "amount": self.amount,
            "date": self.date,
            "ended": self.ended,
            "date_text": self.date_text,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "amount_value": self.amount_value,
            "amount_currency": self.amount_currency,
            "stake_percent": self.stake_percent,
            "date_note": self.date_note,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RelationMention:
        """Build from :meth:`to_dict` output."""
        return cls(
            Entity.from_dict(d["subject"]),
            d["predicate"],
            Entity.from_dict(d["object"]),
            float(d["confidence"]),
            d["sentence"],
            int(d["start"]),
            int(d["end"]),
            bool(d.get("hedged")),
            d.get("amount"),
            d.get("date"),
            bool(d.get("ended")),
            d.get("date_text"),
            d.get("start_date"),
            d.get("end_date"),
            d.get("amount_value"),
            d.get("amount_currency"),
            d.get("stake_percent"),
            d.get("date_note"),
        )


@dataclass(frozen=True)
class Extraction:
    """What the pipeline found in one article."""

    article: Article
    entities: tuple[Entity, ...]
    relations: tuple[RelationMention, ...]
    extractor_version: str

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "article": self.article.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
            "extractor_version": self.extractor_version,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Extraction:
        """Build from :meth:`to_dict` output."""
        return cls(
            Article.from_dict(d["article"]),
            tuple(Entity.from_dict(e) for e in d["entities"]),
            tuple(RelationMention.from_dict(r) for r in d["relations"]),
            d["extractor_version"],
        )
