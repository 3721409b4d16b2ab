"""Entities: the gazetteer, its EntityRuler patterns, type correction, filtering, canonicalization.

The small English model is weak on this domain (it tags OpenAI as PERSON, "AI" as GPE),
so a curated gazetteer runs before NER; what NER finds on its own is filtered and its
type corrected here. Every surface form goes through :func:`name_key`, so "OpenAI's",
"OpenAI Inc." and "openai" meet at one canonical entity.

The modules, each with one job:

- :mod:`ingest.entities.names`: the comparison key and display form of a name, and the
  word lists (company suffixes, honorifics, news agencies, ...).
- :mod:`ingest.entities.gazetteer`: loading and indexing the gazetteer, exact and fuzzy
  lookup, EntityRuler patterns.
- :mod:`ingest.entities.ner`: filtering and typing NER spans, canonical entities.
- :mod:`ingest.entities.models`: AI model names the gazetteer does not know.
- :mod:`ingest.entities.mentions`: :func:`find_mentions`, the mentions of a doc.
- :mod:`ingest.entities.unnamed`: the organizations NER left out, found by their ending,
  the company noun that introduces them, or the list they stand in.

Callers import from :mod:`ingest.entities` itself; the names below are its public face.
"""

from __future__ import annotations

from ingest.entities.gazetteer import DEFAULT_GAZETTEER, TYPE_TO_LABEL, GazEntry, Gazetteer, load_gazetteer
from ingest.entities.mentions import find_mentions
from ingest.entities.names import NEWS_AGENCIES, clean_surface, is_regulator, is_venue, name_key
from ingest.entities.ner import canonical_entity, ner_type

__all__ = [
    "DEFAULT_GAZETTEER",
    "NEWS_AGENCIES",
    "TYPE_TO_LABEL",
    "GazEntry",
    "Gazetteer",
    "canonical_entity",
    "clean_surface",
    "find_mentions",
    "is_regulator",
    "is_venue",
    "load_gazetteer",
    "name_key",
    "ner_type",
]
