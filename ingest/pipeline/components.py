"""The pipeline's own spaCy components and their factories, and the Doc extensions they fill.

Sentences cut at line breaks, "co-founded" kept one token and lemmatized as "found", the
gazetteer EntityRuler, then the entity, coreference and relation components, each a thin
wrapper over :mod:`ingest.entities`, :mod:`ingest.coref` and :mod:`ingest.relations`
that keeps its results in a ``Doc._`` extension as plain lists and dicts.
"""

from __future__ import annotations

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
from ingest.relations import parties as _parties
from ingest.relations import verbs as _verbs

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
            _verbs.retag_verbs(doc, self.lexicon)
            rules = _relations.extract(doc, mentions, coref, self.lexicon)
            if self.model is not None:
                rules = _decision.decide(doc, mentions, coref, rules, self.featurizer, self.model)
            else:
                _ended.mark_rule_records(doc, mentions, rules, _parties.doc_parties(mentions, coref))
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
