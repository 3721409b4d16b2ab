"""Relations: hand-written rules over the dependency parse, then a trained classifier over every pair.

Two layers. The **rules** (below) find what the trigger lexicon and the passes can prove,
with a rule-formula confidence. The **classifier** then scores every candidate pair of a
sentence for every predicate whose signature fits, with the rules' verdicts among its
features, and decides: its calibrated probability becomes the confidence
(:mod:`.candidates`, :mod:`.features`, :mod:`.model`, :mod:`.decision`; trained by
:mod:`.train` from ``training/corpus``). ``build_nlp(relation_model="rules")`` keeps the
rules alone.

How the rules work, for each sentence:

1. Every entity mention (its root token) and every coreferent token ("it", "the
   company") is an argument candidate.
2. Every token whose lemma is a trigger of some predicate (``acquire``, ``stake``,
   ``rival``, ``chief executive``) is a trigger candidate.
3. For each trigger and argument, the dependency path from trigger to argument is
   reduced to an *arm*: a short label saying which slot of the trigger the argument
   fills (``nsubj``, ``dobj``, ``agent``, ``prep:in``, ``poss``, ``sup_subj`` ...).
   The reduction folds the ways journalists rearrange one fact: passives, relative
   clauses ("X, which Y acquired"), participles ("the Microsoft-backed startup"),
   control verbs ("agreed to acquire"), support verbs ("announced a partnership
   with"), coordination ("Anthropic, DeepMind and Meta").
4. The lexicon says, per trigger, which arms are the subject and which the object.
   A pair that fills both is a relation, subject to the domain/range of the predicate,
   negation (dropped) and hedging (kept, lower confidence, ``hedged``).
5. Passes for constructions a trigger and two arms do not cover (funding rounds,
   possessives, titles, lists ...) add their own records; every record says which
   pass made it in its ``rule`` key.

The lexicon and the rules' word lists (``data/rule_words.json``) are data, so adding a
trigger or a word is a one-line change; the code only knows syntax. Confidence is
``trigger weight x path factor x argument source factor x hedge factor`` (see
:func:`ingest.relations.records.confidence`).

The package, one step a module:

- :mod:`.rules`: :func:`extract`, and the passes it runs, registered in order.
- :mod:`.passes`: one module per construction (the trigger pass, groups, rounds,
  possessives, roles, anaphora, lists).
- :mod:`.lexicon`: the trigger lexicon (:class:`Trigger`, :class:`Lexicon`,
  :func:`load_lexicon`) and the tests of a token against it.
- :mod:`.words`: the rules' word lists, read from ``data/rule_words.json`` and checked.
- :mod:`.arms`: the walk of a dependency path from a trigger to an argument (:func:`arm`),
  and :mod:`.shapes`: the label that path folds into.
- :mod:`.clauses`: negation, hedging, the amount and the date of a trigger's clause.
- :mod:`.names`: fallback names for proper nouns no gazetteer or NER found.
- :mod:`.records`: a record's confidence, one kept per pair, predicate and sentence,
  and the context the passes share.
- :mod:`.signatures`: the entity types each predicate relates (:data:`SIGNATURES`).
- :mod:`.candidates`: the pairs the classifier scores (two mentions of a sentence whose
  types fit a signature; a resolved pronoun or description stands for its mention).
- :mod:`.features`: a feature record per candidate (the rules' verdicts, trigger arms,
  dependency path, words, shape).
- :mod:`.model`: the artifact (hashed features, a logistic model per predicate, the
  calibration and threshold) and :func:`~.model.load_model`.
- :mod:`.decision`: probabilities to relation records, the gold conventions applied.
- :mod:`.ended`: whether a pair's words state its relation as over, and its start and
  end dates; :mod:`.parties`: whose tie an ending verb ends.
- :mod:`.dataset` and :mod:`.train`: labelled candidates from gold passages, and
  ``aikg train``.
"""

from ingest.relations.arms import arm
from ingest.relations.clauses import hedged, negated
from ingest.relations.lexicon import DEFAULT_TRIGGERS, Lexicon, Trigger, lexicon_nouns, load_lexicon
from ingest.relations.rules import DOCUMENT_PASSES, SENTENCE_PASSES, TOKEN_PASSES, extract
from ingest.relations.signatures import SIGNATURES
from ingest.relations.words import DEFAULT_RULE_WORDS, WORDS, RuleWords, RuleWordsError, load_rule_words

__all__ = [
    "DEFAULT_RULE_WORDS",
    "DEFAULT_TRIGGERS",
    "DOCUMENT_PASSES",
    "SENTENCE_PASSES",
    "SIGNATURES",
    "TOKEN_PASSES",
    "WORDS",
    "Lexicon",
    "RuleWords",
    "RuleWordsError",
    "Trigger",
    "arm",
    "extract",
    "hedged",
    "lexicon_nouns",
    "load_lexicon",
    "load_rule_words",
    "negated",
]
