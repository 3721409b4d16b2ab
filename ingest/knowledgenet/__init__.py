"""KnowledgeNet documents as training records in the gold format (issue 14).

KnowledgeNet (Mesquita et al., EMNLP 2019; data under CC BY-SA 4.0) annotates sentences
of Wikipedia-style documents with facts about people and organizations. Four of its
properties are predicates of ours::

    leads(P, O)          CEO(O, P)                    inverted
    founded(X, O)        FOUNDED_BY(O, X)             inverted
    subsidiaryOf(A, B)   SUBSIDIARY_OF(A, B)          same
    worksFor(P, O)       EMPLOYEE_OR_MEMBER_OF(P, O)  same

:func:`load_passages` reads the JSON Lines file of the shared benchmark (one document per
line: ``documentId``, ``fold``, ``documentText``, ``passages`` with ``passageStart`` /
``passageEnd`` / ``passageText`` / ``exhaustivelyAnnotatedProperties`` / ``facts``; fact
offsets are relative to ``documentText``) and returns one record per *document*, in the
format of ``tests/gold/README.md``. The dataset's text is read at run time only: it must
never be committed to this repository.

Rules, in the order they apply:

- **Unit.** One record per document, not per passage: a pronoun of one annotated sentence
  ("He founded ...") is tied to a named mention of the same Wikidata entity in another
  sentence of the document, so the record keeps the context that names it. The record's
  ``text`` is the document's annotated sentences in order, adjacent ones joined by the
  characters between them, others by a blank line (the shared file holds only the
  annotated sentences of each document).
- **Entities.** Mentions with the same Wikidata URI are one entity. A mention without a
  URI joins the entity that has a mention of the same text (case-insensitive), else the
  one entity of the document whose longest name contains it as a run of whole words
  ("Quell" in "Mira Quell"), else it is an entity of its own. The canonical name
  is the entity's longest named mention; the other surface forms, pronouns included, are
  its ``aliases``. An entity with no named mention in the document (a pronoun whose
  antecedent was not annotated) is dropped with the facts that need it. Only people and
  organizations are listed: places and dates (objects of HEADQUARTERS, DATE_OF_BIRTH, ...)
  are not entities of ours.
- **Types.** Each fact votes for the type of both ends by the property's signature
  (KnowledgeNet paper, table 2): the object of CEO, the subject of EMPLOYEE_OR_MEMBER_OF,
  EDUCATED_AT, POLITICAL_AFFILIATION, NATIONALITY, ... and both ends of SPOUSE and
  CHILD_OF are people; the subject of CEO, FOUNDED_BY, SUBSIDIARY_OF, HEADQUARTERS,
  DATE_FOUNDED and the object of EMPLOYEE_OR_MEMBER_OF, EDUCATED_AT, SUBSIDIARY_OF,
  POLITICAL_AFFILIATION are organizations. The object of FOUNDED_BY (a person or an
  organization) takes no vote. Votes are counted in the document first, then, when the
  document has none, over every loaded document that links the same URI; then the
  entity's pronouns decide (he/she/his/who... Person, it/its/which Organization); then
  a company word in the name (Inc, Group, University, ...) makes it an Organization, and
  otherwise it is a Person (the range KnowledgeNet gives FOUNDED_BY).
- **Relations.** Only facts of the four properties, mapped and turned as above, and
  de-duplicated. Following our guidelines (a leader is annotated with ``leads`` only),
  a ``worksFor`` that repeats a ``leads`` of the same pair is dropped: KnowledgeNet
  annotates chief executives as employees too.
- **Negatives.** A passage exhaustively annotated for one of the four properties states
  every fact of that property it holds, so each pair of people/organizations annotated
  in it (by a fact of any property) that fits the predicate's signature and is not
  linked is a negative of that predicate. It is kept at the document level only when no
  relation of the document links the pair that way and every other passage that names
  both entities is exhaustively annotated for that property as well. A ``worksFor``
  negative is not made for a pair linked by ``leads`` (KnowledgeNet would call it an
  employee; our guidelines just leave it out).

Pairs that are neither relations nor negatives are *unknown*: KnowledgeNet annotates a few
properties per sentence, so a trainer must not read a missing relation as a negative.
Each record carries ``source`` ("knowledgenet") and ``fold`` besides the gold fields.

A malformed line (not JSON, a field missing or of the wrong kind, offsets outside the
text) stops the load with :class:`KnowledgeNetError`, whose one-line message names the
file and line: a training set silently missing documents would be worse than none.

The modules, each with one job: :mod:`~ingest.knowledgenet.vocab` (the mapping, type
signatures and word lists), :mod:`~ingest.knowledgenet.reader` (reading and checking the
file), :mod:`~ingest.knowledgenet.grouping` (the entities of a document),
:mod:`~ingest.knowledgenet.records` (the records, :func:`load_passages`) and
:mod:`~ingest.knowledgenet.cli` (the command line).
"""

from __future__ import annotations

from ingest.knowledgenet.cli import main
from ingest.knowledgenet.reader import KnowledgeNetError
from ingest.knowledgenet.records import load_passages, summarize
from ingest.knowledgenet.vocab import MAPPED, ORG, PER, PRONOUNS, PROPERTY_NAMES

__all__ = [
    "MAPPED",
    "ORG",
    "PER",
    "PRONOUNS",
    "PROPERTY_NAMES",
    "KnowledgeNetError",
    "load_passages",
    "main",
    "summarize",
]
