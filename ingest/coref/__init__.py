"""Rule-based coreference: pronouns and descriptions resolved to an earlier entity mention.

Journalists name an entity once and then say "the company", "the ChatGPT maker", "it",
"its chief executive". Each such token is linked to the nearest earlier mention of a
compatible type, preferring the subject of the sentence (the most salient entity).
Precision first: "they" and "this" are never resolved, and a description never names
another argument of its own clause ("Amazon ... took a stake in the startup").

Two further sources of links:

- **Units.** "Microsoft's AI division", "the cloud unit of Amazon", "the company's AI
  unit": a unit noun whose owner is a known organization and whose modifier names one
  of the owner's ``units`` in the gazetteer ("ai" -> "Microsoft AI") is that unit. A
  mention of the unit is added if the text did not name it, so the relation rules see
  both the unit and its owner ("Microsoft's AI division" -> subsidiaryOf).
- **The topic.** The story's topic is the organization named most often so far
  (counting resolved links), the first named on a tie; one named only once qualifies
  only if no other organization has been named. It is taken (1) when "the company",
  "the startup", "the firm" or "its" finds no compatible name in the sentences just
  before it, and (2) when the nearest compatible name is another argument of the
  description's own clause ("Amazon's stake in the startup"), for any organization
  description. A topic the clause holds is never taken: in case (2) the search goes
  on to the next name back, in case (1) nothing is linked. A pronoun whose clause
  holds the nearest name is not linked at all ("it had an investment from Meta").

Plural subjects ("Both buy chips from X", "They rent GPUs from X", "the two companies")
are not linked here: :mod:`ingest.coref.plural` gives the candidates and the rules one
argument per member of the coordination named before them ("A and B ... Both ...").

Each link says how it was made: ``[token, mention, kind]`` with kind one of
:data:`LINK_KINDS`.
"""

from __future__ import annotations

from ingest.coref.links import resolve
from ingest.coref.vocabulary import LINK_KINDS

__all__ = ["LINK_KINDS", "resolve"]
