"""Entity renaming for training: the same passage, its invented names swapped for others.

The training corpus invents organisations, people, models and products, and its writers
kept each invented world consistent, so the same invented names recur in the same
roles. A model can learn those names instead of the wording around them. Renaming, per
passage, every name the gazetteer does not know for another invented name of the same
type from elsewhere in the corpus (deterministically: the choice is seeded by the seed
and the passage id) keeps the wording and breaks the tie between a name and its roles.

Names the gazetteer knows (real companies, people and models) are kept: the pipeline
finds them through the gazetteer, and a made-up name in their place would be found
differently. A passage whose renaming would be ambiguous (two forms mapping onto one)
is kept as written.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

from ingest.entities import Gazetteer


def _invented(gaz: Gazetteer, name: str) -> bool:
    return gaz.lookup(name) is None


def name_pool(records: Iterable[dict], gaz: Gazetteer) -> dict[str, list[str]]:
    """Return the corpus's invented entity names by type, sorted (the names renaming draws from)."""
    pool: dict[str, set[str]] = {}
    for rec in records:
        for e in rec.get("entities") or ():
            name = e["name"]
            # one to four words, each starting with a capital or digit: a name, not a description
            words = name.split()
            if 1 <= len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words):
                if _invented(gaz, name):
                    pool.setdefault(e["type"], set()).add(name)
    return {t: sorted(names) for t, names in sorted(pool.items())}


def _short_form(alias: str, old: str, new: str) -> str | None:
    """Return what an alias of ``old`` becomes for ``new`` (None: keep the alias as written)."""
    if not alias[:1].isupper():
        return None  # a description ("the Zurich chip designer") stays
    ow, nw = old.split(), new.split()
    if alias == ow[0]:
        return nw[0]
    if alias == ow[-1]:
        return nw[-1]
    return new


def rename(record: dict, pool: dict[str, list[str]], gaz: Gazetteer, seed: int = 0) -> dict:
    """Return a copy of a gold record with its invented names swapped (or the record itself).

    Args:
        record: a gold-format passage.
        pool: :func:`name_pool` of the corpus.
        gaz: the gazetteer (names it knows are kept).
        seed: with the passage id, seeds the choice of names.
    """
    rng = random.Random(f"{seed}:{record.get('id')}")
    text = record["text"]
    taken = {e["name"] for e in record.get("entities") or ()}
    names: dict[str, str] = {}
    forms: dict[str, str] = {}
    owner: dict[str, str] = {}
    for e in record.get("entities") or ():
        old = e["name"]
        choices = [n for n in pool.get(e["type"], ()) if n not in taken and n not in text]
        if not _invented(gaz, old) or old not in text or not choices:
            continue
        new = rng.choice(choices)
        taken.add(new)
        names[old] = new
        for form, repl in ((old, new), *((a, _short_form(a, old, new)) for a in e.get("aliases") or ())):
            if repl is None:
                continue
            if forms.get(form, repl) != repl or owner.get(repl, old) != old:
                return record  # one form, two names, or two entities, one name: ambiguous
            forms[form] = repl
            owner[repl] = old
    if not forms:
        return record
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f))) + r")(?![\w-])"
    )
    out = dict(record)
    out["id"] = f"{record.get('id')}~renamed"
    out["text"] = pattern.sub(lambda m: forms[m.group(1)], text)
    out["entities"] = [
        {
            **e,
            "name": names.get(e["name"], e["name"]),
            "aliases": [forms.get(a, a) if e["name"] in names else a for a in e.get("aliases") or ()],
        }
        for e in record.get("entities") or ()
    ]
    for key in ("relations", "negatives"):
        if key in record:
            out[key] = [
                {**r, "subject": names.get(r["subject"], r["subject"]), "object": names.get(r["object"], r["object"])}
                for r in record[key]
            ]
    return out
