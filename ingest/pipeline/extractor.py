"""The :class:`Extractor` facade: articles in, :class:`kg.model.Extraction` records out.

It streams articles through the spaCy pipeline in pieces of at most :data:`CHUNK_CHARS`
characters and batches of at most :data:`BATCH_CHARS`, and turns what the components left
in ``Doc._`` into entities and relation mentions with resolved dates and amounts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ingest import entities as _entities
from ingest.pipeline.build import build_nlp
from ingest.pipeline.text import _char_batches, mask_artifacts, split_text
from ingest.relations import clauses as _clauses
from kg.model import Article, Entity, Extraction, RelationMention

# Recorded on every statement (aikg:extractorVersion). 0.3.0: the trained classifier,
# ended flags, ISO dates and normalized amounts; statements of 0.1.0 carry the date words
# in aikg:statedDate and no aikg:ended.
EXTRACTOR_VERSION = "aikg-extract/0.3.0"

# Articles longer than this (about 8,000 words, longer than nearly every news story or
# feature) are parsed in pieces cut at paragraphs; coreference does not cross a cut, so
# the pieces are as long as memory allows. The model's memory grows with the characters
# it parses at once: a 100,000-character piece alone took 370 MB, and BATCH_CHARS below
# keeps what one process parses at once near 400 MB, so a text of any length stays well
# under 1 GB.
CHUNK_CHARS = 50_000
# The most characters handed to the model at once (one process): a batch of 16 pieces of
# 10,000 characters took the process to 690 MB, one of 60,000 characters stays near 400 MB.
BATCH_CHARS = 60_000


class Extractor:
    """Turn articles into :class:`kg.model.Extraction` records."""

    def __init__(self, nlp: Language | None = None):
        self.nlp = nlp if nlp is not None else build_nlp()
        cfg = self.nlp.get_pipe_config("aikg_entities") if "aikg_entities" in self.nlp.pipe_names else {}
        self.gaz = _entities.load_gazetteer(cfg.get("gazetteer_path"))

    def extract(self, article: Article) -> Extraction:
        """Extract entities and relations from one article.

        Args:
            article: the article.

        Returns:
            The extraction.
        """
        return next(self.extract_many([article]))

    def extract_many(
        self,
        articles: Iterable[Article],
        *,
        n_process: int = 1,
        batch_size: int = 16,
        on_piece: Callable[[Article, int, int], None] | None = None,
    ) -> Iterator[Extraction]:
        """Extract from a stream of articles, in order, without holding the corpus in memory.

        An article longer than :data:`CHUNK_CHARS` is parsed in pieces cut at paragraph
        (else sentence, else word) boundaries; offsets stay relative to the whole article.
        Each piece's results are taken out of its spaCy doc as soon as it is parsed, so
        memory grows with the relations found, not with the article's length.

        Args:
            articles: any iterable of articles.
            n_process: worker processes for ``nlp.pipe``.
            batch_size: documents per batch.
            on_piece: called as ``on_piece(article, done, total)`` after each piece of a
                long article (more than one piece), to show progress.

        Yields:
            One extraction per article, in input order.
        """

        def pieces() -> Iterator[tuple[str, tuple[Article, int, int, int]]]:
            for a in articles:
                spans = split_text(a.text, CHUNK_CHARS)
                for k, (start, end) in enumerate(spans):
                    yield mask_artifacts(a.text[start:end]), (a, start, k + 1, len(spans))

        if n_process == 1:
            # One nlp.pipe call per batch of at most BATCH_CHARS characters: the model's
            # memory follows the characters of a batch, not the number of documents.
            docs = (
                doc
                for group in _char_batches(pieces(), batch_size, BATCH_CHARS)
                for doc in self.nlp.pipe(group, as_tuples=True, batch_size=len(group))
            )
        else:
            docs = self.nlp.pipe(pieces(), as_tuples=True, n_process=n_process, batch_size=batch_size)
        found = _Found(self)
        for doc, (article, offset, done, total) in docs:
            found.add(doc, offset, article)
            if total > 1 and on_piece is not None:
                on_piece(article, done, total)
            if done == total:
                yield found.extraction(article)
                found = _Found(self)

    def _entity(self, m: dict) -> Entity:
        entry = self.gaz.by_name.get(m["name"])
        if entry is not None and entry.type == m["type"]:
            return entry.entity()
        return Entity(m["name"], m["type"], m.get("qid"), ())


def _time_fields(r: dict, published, anchors: Sequence[str] = ()) -> dict:
    """Return a relation record's date and amount, normalized, as :class:`RelationMention` fields.

    The date words are resolved against the article's date (none: relative words stay
    unresolved; words told from another date, "that year", from the nearest of
    ``anchors`` that resolves); the date is the relation's start or end date too when
    the record's ``date_role`` says so. Amounts become a decimal in the currency's
    unit; a range or a vague sum keeps its words only.
    """
    from ingest.amounts import parse_amount, parse_stake
    from ingest.temporal import ANAPHORIC, resolve_date, resolve_from_anchor

    out: dict = {"date_text": r.get("date")}
    if r.get("date"):
        resolved = resolve_date(r["date"], published, prefer="future" if r.get("future") else "past")
        if resolved.reason == ANAPHORIC:
            # "That year he started a fund": the nearest earlier date that resolves
            for words in anchors:
                anchor = resolve_date(words, published)
                if anchor.resolved:
                    resolved = resolve_from_anchor(r["date"], anchor)
                    break
        out["date"] = resolved.value
        out["date_note"] = resolved.reason
        if resolved.value and r.get("date_role") == "start":
            out["start_date"] = resolved.value
        elif resolved.value and r.get("date_role") == "end":
            out["end_date"] = resolved.value
    if r.get("amount"):
        amount = parse_amount(r["amount"])
        if amount.value is not None:
            out["amount_value"] = format(amount.value.normalize(), "f")
            out["amount_currency"] = amount.currency
    if r.get("stake"):
        stake = parse_stake(r["stake"])
        if stake is not None and 0 <= stake <= 100:
            out["stake_percent"] = format(stake.normalize(), "f")
    return out


def _anchors(doc: Doc, r: dict) -> list[str]:
    """Return the earlier date words a record's date words may lean on (only for words like "that year")."""
    from ingest.temporal import ANAPHORIC, resolve_date

    if not r.get("date") or resolve_date(r["date"], None).reason != ANAPHORIC:
        return []
    return _clauses.date_anchors(doc, r["ss"], r["se"], r["date"])


class _Found:
    """The entities and relations of one article, gathered piece by piece."""

    def __init__(self, extractor: Extractor):
        self._entity = extractor._entity
        self.ents: dict[str, Entity] = {}
        self.rels: list[RelationMention] = []

    def add(self, doc: Doc, offset: int, article: Article) -> None:
        """Take the results out of one parsed piece that starts at ``offset``."""
        mentions = doc._.aikg_mentions or []
        for m in mentions:
            if not m.get("virtual") and not m.get("fallback"):
                self.ents.setdefault(m["name"], self._entity(m))
        for r in doc._.aikg_relations or []:
            s, o = self._entity(mentions[r["s"]]), self._entity(mentions[r["o"]])
            self.ents.setdefault(s.name, s)
            self.ents.setdefault(o.name, o)
            start, end = r["ss"] + offset, r["se"] + offset
            self.rels.append(
                RelationMention(
                    subject=s,
                    predicate=r["p"],
                    object=o,
                    confidence=r["c"],
                    sentence=article.text[start:end].strip(),
                    start=start,
                    end=end,
                    hedged=bool(r["h"]),
                    amount=r.get("amount"),
                    ended=bool(r.get("ended")),
                    **_time_fields(r, article.published, _anchors(doc, r)),
                )
            )

    def extraction(self, article: Article) -> Extraction:
        """Return the article's extraction, relations in text order."""
        rels = sorted(self.rels, key=lambda r: (r.start, r.predicate, r.subject.name, r.object.name))
        return Extraction(
            article=article,
            entities=tuple(self.ents.values()),
            relations=tuple(rels),
            extractor_version=EXTRACTOR_VERSION,
        )
