"""The word lists of the relation rules, kept as data in ``data/rule_words.json``.

Each list is one entry of the file: ``{"about": "what it is for", "words": [...]}``.
The file is read once, when the package is imported, and checked as a whole: a list
the code does not know, a list it needs that is missing, an entry that is not a string,
a word given twice, or a word with capitals (the rules match lower-cased words and
lemmas, so it could never match) is an error naming the file and the list.

Syntax stays in the code: dependency and arm labels, entity labels and predicate names
are not vocabulary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

from kg.errors import AikgError

DEFAULT_RULE_WORDS = Path(__file__).resolve().parents[1] / "data" / "rule_words.json"


@dataclass(frozen=True)
class RuleWords:
    """Every word list the rules read; see ``about`` in the data file for each."""

    shares: frozenset[str]
    staff: frozenset[str]
    goods: frozenset[str]
    naming: frozenset[str]
    wh: frozenset[str]
    raising: frozenset[str]
    control: frozenset[str]
    partitives: frozenset[str]
    parts: frozenset[str]
    neg_lemmas: frozenset[str]
    divest_lemmas: frozenset[str]
    holding_nouns: frozenset[str]
    hedge_lemmas: frozenset[str]
    hedge_phrases: tuple[str, ...]
    undone_particles: frozenset[str]
    not_name_words: frozenset[str]
    title_words: frozenset[str]
    not_pairing: frozenset[str]
    product_nouns: frozenset[str]
    group_nouns: frozenset[str]
    alliance_nouns: frozenset[str]
    renew_verbs: frozenset[str]
    round_nouns: frozenset[str]
    raise_verbs: frozenset[str]
    round_only_verbs: frozenset[str]
    investor_nouns: frozenset[str]
    lead_verbs: frozenset[str]
    title_glue: frozenset[str]
    unit_words: frozenset[str]
    unit_heads: frozenset[str]
    unit_nouns: frozenset[str]
    role_copulas: frozenset[str]
    role_as_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    reporting: frozenset[str]
    ended_verbs: frozenset[str]
    ousting_verbs: frozenset[str]
    succession_verbs: frozenset[str]
    ended_phrasal: frozenset[str]
    ended_nouns: frozenset[str]
    former_words: frozenset[str]
    start_verbs: frozenset[str]
    restart_verbs: frozenset[str]
    founding_verbs: frozenset[str]
    verb_like_nouns: frozenset[str]
    powered_nouns: frozenset[str]
    holding_objects: frozenset[str]
    equity_nouns: frozenset[str]
    stock_nouns: frozenset[str]
    tenure_nouns: frozenset[str]


class RuleWordsError(AikgError, ValueError):
    """The word lists file is unreadable or breaks a rule; the message is one line."""


# Lists read in order (substrings of a sentence); the others are sets of words.
_ORDERED = {"hedge_phrases"}


def load_rule_words(path: str | Path | None = None) -> RuleWords:
    """Read and check the rules' word lists.

    Args:
        path: the JSON file; defaults to ``ingest/data/rule_words.json``.

    Returns:
        The :class:`RuleWords`.

    Raises:
        RuleWordsError: (a ValueError) one line naming the file and the list at fault: the file cannot be
            read or is not a JSON object, a list is unknown or missing, or its
            ``words`` hold a non-string, a duplicate or a word with capitals.
    """
    p = Path(path) if path else DEFAULT_RULE_WORDS
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RuleWordsError(f"{p}: cannot read the rule word lists ({exc})".replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise RuleWordsError(f"{p}: expected a JSON object of word lists")
    known = [f.name for f in fields(RuleWords)]
    lists = {k: v for k, v in data.items() if not k.startswith("_")}
    for key in lists:
        if key not in known:
            raise RuleWordsError(f"{p}: unknown word list {key!r}")
    for key in known:
        if key not in lists:
            raise RuleWordsError(f"{p}: missing word list {key!r}")
    out = {}
    for key in known:
        out[key] = _checked(p, key, lists[key])
    return RuleWords(**out)


def _checked(p: Path, key: str, entry) -> frozenset[str] | tuple[str, ...]:
    """Return one list's words, or raise the one-line error that says what is wrong."""
    if not isinstance(entry, dict) or set(entry) != {"about", "words"}:
        raise RuleWordsError(f"{p}: word list {key!r} must be an object with 'about' and 'words'")
    if not isinstance(entry["about"], str) or not entry["about"].strip():
        raise RuleWordsError(f"{p}: word list {key!r} needs an 'about' text")
    words = entry["words"]
    if not isinstance(words, list) or not words:
        raise RuleWordsError(f"{p}: word list {key!r}: 'words' must be a non-empty list")
    seen: set[str] = set()
    for w in words:
        if not isinstance(w, str) or not w.strip():
            raise RuleWordsError(f"{p}: word list {key!r}: {w!r} is not a word")
        if w in seen:
            raise RuleWordsError(f"{p}: word list {key!r}: {w!r} is listed twice")
        if w != w.lower():
            raise RuleWordsError(f"{p}: word list {key!r}: {w!r} has capitals; the rules match lower case")
        seen.add(w)
    return tuple(words) if key in _ORDERED else frozenset(words)


WORDS = load_rule_words()
