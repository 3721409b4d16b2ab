"""The gazetteer: curated entities, their aliases and units, the EntityRuler patterns built from them.

The small English model is weak on this domain (it tags OpenAI as PERSON), so a curated
gazetteer (``ingest/data/gazetteer.jsonl``) runs before NER; this module loads and
indexes it by :func:`~ingest.entities.names.name_key`, matches exactly and fuzzily, and
turns it into EntityRuler phrase patterns.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from ingest.entities.names import name_key
from kg.model import Entity

# the logger of ingest.entities before it became a package: same name, same records
log = logging.getLogger("ingest.entities")

DEFAULT_GAZETTEER = Path(__file__).parent.parent / "data" / "gazetteer.jsonl"

# spaCy labels the EntityRuler assigns, per entity type; AIMODEL is ours.
TYPE_TO_LABEL = {"Organization": "ORG", "Person": "PERSON", "AIModel": "AIMODEL", "Product": "PRODUCT"}


@dataclass(frozen=True)
class GazEntry:
    """One gazetteer line: a canonical entity, its aliases and coreference descriptors.

    ``units`` are the named parts of an organization, as ``(modifier, unit name)``
    pairs: ``("ai", "Microsoft AI")`` lets "Microsoft's AI division" name Microsoft AI.
    ``established`` marks a long-established company that "the startup" never stands for.
    """

    name: str
    type: str
    wikidata: str | None
    aliases: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()
    units: tuple[tuple[str, str], ...] = ()
    established: bool = False

    def entity(self) -> Entity:
        """Return the canonical :class:`Entity`."""
        return Entity(self.name, self.type, self.wikidata, self.aliases)


@dataclass
class Gazetteer:
    """The curated entities, indexed by :func:`name_key` of name and aliases."""

    entries: list[GazEntry] = field(default_factory=list)
    by_key: dict[str, GazEntry] = field(default_factory=dict)
    by_name: dict[str, GazEntry] = field(default_factory=dict)
    descriptors: dict[str, GazEntry] = field(default_factory=dict)
    unit_names: set[str] = field(default_factory=set)

    def add(self, entry: GazEntry) -> None:
        """Index one entry; a key already taken keeps its first owner."""
        self.entries.append(entry)
        self.by_name[entry.name] = entry
        for form in (entry.name, *entry.aliases):
            key = name_key(form)
            if not key:
                continue
            owner = self.by_key.setdefault(key, entry)
            if owner is not entry:
                log.debug("gazetteer key %r of %r already belongs to %r", key, entry.name, owner.name)
        for desc in entry.descriptors:
            key = name_key(desc)
            if key:
                self.descriptors.setdefault(key, entry)
        self.unit_names.update(n for _, n in entry.units)

    def not_startup(self, name: str) -> bool:
        """Whether "the startup" cannot stand for this canonical name.

        True for a company marked ``established``, one with units of its own, and a
        unit of another company ("the startup, led by ..." is never Google Cloud).
        """
        entry = self.by_name.get(name)
        return name in self.unit_names or (entry is not None and (entry.established or bool(entry.units)))

    def unit(self, parent: str, modifier: str) -> GazEntry | None:
        """Return the unit of an organization a modifier names ("Microsoft", "AI"), if any.

        Args:
            parent: the canonical name of the organization.
            modifier: the words before the unit noun ("AI" in "Microsoft's AI division").

        Returns:
            The unit's entry, or None when the parent has no such unit (or the unit
            has no entry of its own).
        """
        entry = self.by_name.get(parent)
        if entry is None or not entry.units:
            return None
        key = name_key(modifier)
        name = next((n for m, n in entry.units if name_key(m) == key), None) if key else None
        return self.by_name.get(name) if name else None

    def lookup(self, name: str, type_: str | None = None) -> GazEntry | None:
        """Return the entry a surface form names exactly (after :func:`name_key`), if any.

        Args:
            name: a surface form.
            type_: when given, only an entry of this type matches.

        Returns:
            The entry or None.
        """
        entry = self.by_key.get(name_key(name))
        if entry is not None and (type_ is None or entry.type == type_):
            return entry
        return None

    def fuzzy(self, name: str, type_: str, *, threshold: float = 92.0) -> GazEntry | None:
        """Return the entry a near-miss spelling names, within one type, or None.

        Conservative on purpose: short keys never match fuzzily ("Meta" vs "Metal").

        Args:
            name: a surface form not found exactly.
            type_: the entity type the match must have.
            threshold: rapidfuzz ratio (0-100) required.

        Returns:
            The entry or None.
        """
        key = name_key(name)
        if len(key) < 6:
            return None
        choices = _typed_keys(self, type_)
        if not choices:
            return None
        hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=threshold)
        if hit is None:
            return None
        cand = hit[0]
        # A differing digit is a different model ("GPT-4" vs "GPT-3"), never a typo.
        if re.findall(r"\d+", cand) != re.findall(r"\d+", key):
            return None
        return self.by_key[cand]

    def patterns(self, make_doc) -> list[dict]:
        """Return EntityRuler phrase patterns for every name and alias, with safe case variants.

        Args:
            make_doc: the tokenizer (``nlp.make_doc``) phrase patterns are built with.

        Returns:
            A list of ``{"label", "pattern", "id"}`` dicts.
        """
        seen: set[tuple[str, str]] = set()
        out = []
        for entry in self.entries:
            label = TYPE_TO_LABEL.get(entry.type)
            if label is None:
                continue
            for form in (entry.name, *entry.aliases):
                for variant in _case_variants(form):
                    if (variant, entry.name) in seen or self.by_key.get(name_key(variant)) not in (entry, None):
                        continue
                    seen.add((variant, entry.name))
                    out.append({"label": label, "pattern": variant, "id": entry.name})
        return out


def _case_variants(form: str) -> list[str]:
    """Return the form plus case variants safe to match (long or multi-word names only).

    Upper and title case (headlines) are safe for long or multi-word names; a lower-case
    copy only for names holding a digit ("gpt-4o"): in lower case "perplexity",
    "thinking machines" and "high court" are ordinary English.
    """
    form = form.strip()
    if not form:
        return []
    variants = [form]
    # Short single words are case-sensitive: "Meta" is not "meta", "Claude" not "claude".
    if len(form) >= 8 or " " in form:
        cases = [form.title(), form.upper()]
        if any(ch.isdigit() for ch in form):
            cases.insert(0, form.lower())
        for v in cases:
            if v not in variants:
                variants.append(v)
    return variants


def _typed_keys(gaz: Gazetteer, type_: str) -> list[str]:
    cache = gaz.__dict__.setdefault("_typed", {})
    if type_ not in cache:
        cache[type_] = [k for k, e in gaz.by_key.items() if e.type == type_]
    return cache[type_]


@lru_cache(maxsize=8)
def load_gazetteer(path: str | None = None) -> Gazetteer:
    """Load the gazetteer JSON Lines file; a missing file yields an empty gazetteer.

    Args:
        path: the file; defaults to ``ingest/data/gazetteer.jsonl``.

    Returns:
        The indexed :class:`Gazetteer`. Malformed lines are logged and skipped.
    """
    p = Path(path) if path else DEFAULT_GAZETTEER
    gaz = Gazetteer()
    if not p.exists():
        log.warning("gazetteer %s not found; extracting with NER only", p)
        return gaz
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
                entry = GazEntry(
                    name=d["name"],
                    type=d["type"],
                    wikidata=d.get("wikidata") or None,
                    aliases=tuple(a for a in d.get("aliases") or () if a),
                    descriptors=tuple(x for x in d.get("descriptors") or () if x),
                    units=tuple((str(k), str(v)) for k, v in (d.get("units") or {}).items() if k and v),
                    established=d.get("established") is True,
                )
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                log.warning("%s:%d: skipped gazetteer line (%s)", p, lineno, exc)
                continue
            if entry.type not in TYPE_TO_LABEL:
                log.warning("%s:%d: unknown type %r", p, lineno, entry.type)
                continue
            gaz.add(entry)
    return gaz
