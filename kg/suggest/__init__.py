"""Where a curator should look first: likely duplicate entities and likely wrong relations.

Both lists are read-only views over a store (embedded or remote), each item with a score
between 0 and 1 and its reasons in words, most suspicious first.

- :func:`likely_duplicates` pairs entities of one type that are probably one thing: names
  alike (rapidfuzz), one Wikidata id, a name or alias in common, the same relation partners.
  Names are compared within blocks (same type, and a word, the first three letters or
  the end of the first word in common), never all against all: 20,000 names take 2.4 s
  rather than 15 s, and the blocks find 98% of the pairs all-against-all finds
  (benchmarks/bench_suggest.py).
- :func:`likely_wrong` lists relations with a reason to doubt them: a subject or object of
  a type the ontology's domain or range does not allow (``ontology/aikg.ttl`` is the one
  place signatures are read from), an entity related to itself, a relation that
  contradicts another (A acquires B and B acquires A), low confidence, hedged wording
  only, a single source. Each comes with its evidence sentences and articles.

Every query is fixed text; the only terms written into one are IRIs of our own vocabulary,
written by pyoxigraph.

The package: :mod:`kg.suggest.duplicates`, :mod:`kg.suggest.suspects`, and what both
share in :mod:`kg.suggest.common`. Every name is importable from ``kg.suggest``.
"""

from __future__ import annotations

from kg.suggest.common import _read_entities
from kg.suggest.duplicates import (
    MAX_BLOCK,
    MIN_DUPLICATE_SCORE,
    NAME_CUTOFF,
    likely_duplicates,
    normalize_name,
    similar_names,
)
from kg.suggest.suspects import (
    CONTRADICTIONS,
    EVIDENCE_PER_RELATION,
    LOW_CONFIDENCE,
    MIN_SUSPECT_SCORE,
    SINGLE_SUBJECT,
    SINGLE_VALUED,
    likely_wrong,
)

__all__ = [
    "NAME_CUTOFF",
    "MIN_DUPLICATE_SCORE",
    "LOW_CONFIDENCE",
    "MAX_BLOCK",
    "EVIDENCE_PER_RELATION",
    "MIN_SUSPECT_SCORE",
    "_read_entities",
    "normalize_name",
    "likely_duplicates",
    "similar_names",
    "CONTRADICTIONS",
    "SINGLE_VALUED",
    "SINGLE_SUBJECT",
    "likely_wrong",
]
