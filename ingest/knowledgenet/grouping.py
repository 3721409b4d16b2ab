"""The entities of one KnowledgeNet document: mentions grouped by URI, text and name, named, typed.

:class:`_Doc` groups the mentions of a document's facts into entities and collects the
type votes of each; :func:`_decide_type` turns the votes into Person or Organization.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ingest.knowledgenet.vocab import (
    _ORG_PRONOUNS,
    _ORG_WORDS,
    _PERSON_PRONOUNS,
    _ROLES,
    ORG,
    PER,
    _has_run,
    _is_pronoun,
    _key,
    _words,
)


class _Doc:
    """Entities of one document: mentions grouped, named, typed."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.entity_of: dict[tuple, int] = {}  # (text, uri, start) -> entity index
        self.forms: list[list[str]] = []  # entity -> surface forms in order
        self.uris: list[str] = []
        self.votes: list[Counter] = []
        self.merged_into: dict[int, int] = {}
        by_uri: dict[str, int] = {}
        unlinked = []
        for p in doc["passages"]:
            for prop, subj, obj in p["facts"]:
                roles = _ROLES.get(prop, (None, None))
                for m, role in ((subj, roles[0]), (obj, roles[1])):
                    if role is None:
                        continue
                    if m[1]:
                        if m[1] not in by_uri:
                            by_uri[m[1]] = self._new(m[1])
                        self._add(m, by_uri[m[1]], role)
                    else:
                        unlinked.append((m, role))
        # a mention without a URI joins a linked entity of the same text, else of a longer name
        by_text = defaultdict(set)
        for i, forms in enumerate(self.forms):
            for t in forms:
                if not _is_pronoun(t):
                    by_text[_key(t)].add(i)
        own: dict[str, int] = {}
        for m, role in unlinked:
            if _is_pronoun(m[0]):
                continue  # a pronoun without a URI cannot be tied to a name
            hits = by_text.get(_key(m[0]), set())
            if len(hits) == 1:
                self._add(m, next(iter(hits)), role)
                continue
            k = _key(m[0])
            if k not in own:
                own[k] = self._new("")
            self._add(m, own[k], role)
        # a short name (surname, short company name) that is part of exactly one longer name
        for i in list(own.values()):
            words = _words(self.forms[i][0])
            holders = {
                j
                for j, forms in enumerate(self.forms)
                if j != i and self.forms[j] and any(_has_run(_words(t), words) for t in forms if not _is_pronoun(t))
            }
            if len(holders) == 1:
                self.merge(i, next(iter(holders)))

    def _new(self, uri: str) -> int:
        self.forms.append([])
        self.uris.append(uri)
        self.votes.append(Counter())
        return len(self.forms) - 1

    def _add(self, m: tuple, i: int, role: str) -> None:
        self.entity_of[m] = i
        if m[0] not in self.forms[i]:
            self.forms[i].append(m[0])
        if role in (PER, ORG):
            self.votes[i][role] += 1
        low = _key(m[0])
        if low in _PERSON_PRONOUNS:
            self.votes[i]["pron:" + PER] += 1
        elif low in _ORG_PRONOUNS:
            self.votes[i]["pron:" + ORG] += 1

    def merge(self, i: int, into: int) -> None:
        """Fold entity ``i`` into entity ``into``."""
        self.merged_into[i] = into
        for m, e in self.entity_of.items():
            if e == i:
                self.entity_of[m] = into
        for t in self.forms[i]:
            if t not in self.forms[into]:
                self.forms[into].append(t)
        self.votes[into].update(self.votes[i])
        self.forms[i] = []
        self.votes[i] = Counter()

    def name(self, i: int) -> str | None:
        named = [t for t in self.forms[i] if not _is_pronoun(t)]
        if not named:
            return None
        return max(named, key=lambda t: (len(t.split()), len(t), -named.index(t)))


def _decide_type(votes: Counter, uri_votes: Counter, name: str) -> str:
    for v in (votes, uri_votes):
        per, org = v[PER], v[ORG]
        if per or org:
            return PER if per > org else ORG
    per, org = votes["pron:" + PER], votes["pron:" + ORG]
    if per != org:
        return PER if per > org else ORG
    if set(_words(name)) & _ORG_WORDS:
        return ORG
    return PER
