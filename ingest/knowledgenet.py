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
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

# KnowledgeNet property name -> (our predicate, inverted)
MAPPED = {
    "CEO": ("leads", True),
    "FOUNDED_BY": ("founded", True),
    "SUBSIDIARY_OF": ("subsidiaryOf", False),
    "EMPLOYEE_OR_MEMBER_OF": ("worksFor", False),
}

# Property ids of the dataset files (names are also given in the passages' headers).
PROPERTY_NAMES = {
    "1": "SUBSIDIARY_OF",
    "2": "FOUNDED_BY",
    "3": "EMPLOYEE_OR_MEMBER_OF",
    "4": "CEO",
    "5": "DATE_FOUNDED",
    "6": "HEADQUARTERS",
    "9": "EDUCATED_AT",
    "10": "NATIONALITY",
    "11": "PLACE_OF_RESIDENCE",
    "12": "PLACE_OF_BIRTH",
    "14": "DATE_OF_DEATH",
    "15": "DATE_OF_BIRTH",
    "25": "SPOUSE",
    "34": "CHILD_OF",
    "45": "POLITICAL_AFFILIATION",
}

PER, ORG = "Person", "Organization"
# (subject type, object type) per property; None = not a person/organization of ours,
# "?" = a person or an organization (no vote).
_ROLES = {
    "SUBSIDIARY_OF": (ORG, ORG),
    "FOUNDED_BY": (ORG, "?"),
    "EMPLOYEE_OR_MEMBER_OF": (PER, ORG),
    "CEO": (ORG, PER),
    "DATE_FOUNDED": (ORG, None),
    "HEADQUARTERS": (ORG, None),
    "EDUCATED_AT": (PER, ORG),
    "NATIONALITY": (PER, None),
    "PLACE_OF_RESIDENCE": (PER, None),
    "PLACE_OF_BIRTH": (PER, None),
    "DATE_OF_DEATH": (PER, None),
    "DATE_OF_BIRTH": (PER, None),
    "SPOUSE": (PER, PER),
    "CHILD_OF": (PER, PER),
    "POLITICAL_AFFILIATION": (PER, ORG),
}
# predicate -> (allowed subject types, allowed object types)
_SIGNATURES = {
    "leads": ({PER}, {ORG}),
    "founded": ({PER, ORG}, {ORG}),
    "subsidiaryOf": ({ORG}, {ORG}),
    "worksFor": ({PER}, {ORG}),
}

_PERSON_PRONOUNS = frozenset("he him his himself she her hers herself who whom whose".split())
_ORG_PRONOUNS = frozenset("it its itself which".split())
_OTHER_PRONOUNS = frozenset(
    "they them their theirs themselves we us our ours ourselves i me my mine you your yours "
    "that this these those".split()
)
PRONOUNS = _PERSON_PRONOUNS | _ORG_PRONOUNS | _OTHER_PRONOUNS

_ORG_WORDS = frozenset(
    "inc incorporated corp corporation co company ltd limited llc plc group holdings "
    "bank university college school institute foundation association society club "
    "party council committee agency ministry department records studios studio "
    "productions entertainment media network press publishing partners capital ventures "
    "industries international systems technologies labs laboratories team band "
    "orchestra church hospital museum fund trust union federation league".split()
)


class KnowledgeNetError(ValueError):
    """A KnowledgeNet file that cannot be read or holds a malformed line."""


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _is_pronoun(text: str) -> bool:
    return _key(text) in PRONOUNS


def _has_run(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return 0 < n < len(longer) and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


# --------------------------------------------------------------------------
# Reading and checking the file


def _need(obj: dict, name: str, kind: type | tuple, where: str):
    if not isinstance(obj, dict):
        raise KnowledgeNetError(f"{where}: expected a JSON object")
    value = obj.get(name)
    if isinstance(value, bool) or not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        raise KnowledgeNetError(f"{where}: field {name!r} missing or not {'/'.join(k.__name__ for k in kinds)}")
    return value


def _int(obj: dict, name: str, where: str) -> int:
    value = _need(obj, name, (int, str), where)
    try:
        return int(value)
    except ValueError:
        raise KnowledgeNetError(f"{where}: field {name!r} is not an integer") from None


def _check_document(d: object, where: str) -> dict:
    """Return the document in a checked, plain shape; raise KnowledgeNetError if malformed."""
    if not isinstance(d, dict):
        raise KnowledgeNetError(f"{where}: expected a JSON object, got {type(d).__name__}")
    doc_id = str(_need(d, "documentId", (str, int), where))
    fold = _int(d, "fold", where)
    text = _need(d, "documentText", str, where)
    passages = []
    for k, p in enumerate(_need(d, "passages", list, where)):
        pw = f"{where}: passage {k}"
        start, end = _int(p, "passageStart", pw), _int(p, "passageEnd", pw)
        if not 0 <= start <= end <= len(text):
            raise KnowledgeNetError(f"{pw}: offsets {start}-{end} outside the document text")
        props = set()
        for e in _need(p, "exhaustivelyAnnotatedProperties", list, pw):
            pid = str(_need(e, "propertyId", (str, int), pw))
            props.add(e.get("propertyName") or PROPERTY_NAMES.get(pid, pid))
        facts = []
        for j, f in enumerate(_need(p, "facts", list, pw)):
            fw = f"{pw}: fact {j}"
            pid = str(_need(f, "propertyId", (str, int), fw))
            ends = []
            for side in ("subject", "object"):
                s, e = _int(f, f"{side}Start", fw), _int(f, f"{side}End", fw)
                if not start <= s < e <= end:
                    raise KnowledgeNetError(f"{fw}: {side} offsets {s}-{e} outside its passage")
                uri = f.get(f"{side}Uri") or ""
                if not isinstance(uri, str):
                    raise KnowledgeNetError(f"{fw}: field '{side}Uri' is not a string")
                ends.append((text[s:e], uri, s))
            facts.append((PROPERTY_NAMES.get(pid, pid), ends[0], ends[1]))
        passages.append({"start": start, "end": end, "props": props, "facts": facts})
    passages.sort(key=lambda p: (p["start"], p["end"]))
    return {"id": doc_id, "fold": fold, "text": text, "passages": passages}


def _read(path: str | Path, folds: set[int]) -> list[dict]:
    docs = []
    try:
        with open(path, encoding="utf-8") as fh:
            for ln, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{ln}"
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise KnowledgeNetError(f"{where}: not JSON ({exc.msg})") from None
                doc = _check_document(raw, where)
                if doc["fold"] in folds:
                    docs.append(doc)
    except UnicodeDecodeError as exc:
        raise KnowledgeNetError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise KnowledgeNetError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return docs


# --------------------------------------------------------------------------
# Building records


def _record_text(doc: dict) -> str:
    """The annotated sentences in order; a gap of more than one character becomes a blank line."""
    parts, prev_end = [], None
    text = doc["text"]
    for p in doc["passages"]:
        start = max(p["start"], prev_end or 0)
        if prev_end is not None:
            if start > p["end"]:
                continue
            parts.append(text[prev_end:start] if start - prev_end <= 1 else "\n\n")
        parts.append(text[start : p["end"]])
        prev_end = max(prev_end or 0, p["end"])
    return "".join(parts).strip()


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


def _build(doc: dict, ents: _Doc, uri_votes: dict[str, Counter], counts: Counter) -> dict:
    text = _record_text(doc)
    names: dict[int, str] = {}
    types: dict[int, str] = {}
    holder: dict[str, int] = {}
    for i in range(len(ents.forms)):
        if not ents.forms[i]:
            continue
        n = ents.name(i)
        if n is None:
            counts["entities_unnamed"] += 1
            continue
        if n in holder:  # two URIs under one name in one document: one entity
            counts["entities_same_name"] += 1
            ents.merge(i, holder[n])
            continue
        holder[n] = i
        names[i] = n
    for i, n in names.items():
        votes = Counter()
        for j, uri in enumerate(ents.uris):
            if uri and (j == i or (not ents.forms[j] and ents.merged_into.get(j) == i)):
                votes.update(uri_votes.get(uri, Counter()))
        types[i] = _decide_type(ents.votes[i], votes, n)
    entities = []
    for i, n in names.items():
        aliases = [t for t in ents.forms[i] if t != n]
        entities.append({"name": n, "type": types[i], "aliases": aliases})

    relations: dict[tuple, None] = {}
    for p in doc["passages"]:
        for prop, subj, obj in p["facts"]:
            if prop not in MAPPED:
                continue
            pred, inverted = MAPPED[prop]
            s, o = (obj, subj) if inverted else (subj, obj)
            si, oi = ents.entity_of.get(s), ents.entity_of.get(o)
            if si not in names or oi not in names:
                counts[f"unnamed_end:{pred}"] += 1
                continue
            if si == oi:
                continue
            relations[(si, pred, oi)] = None
    for si, pred, oi in list(relations):
        if pred == "worksFor" and (si, "leads", oi) in relations:
            del relations[(si, pred, oi)]
            counts["worksFor_dropped_for_leads"] += 1

    # where each entity is named or annotated, per passage
    mentioned: list[set[int]] = []
    for p in doc["passages"]:
        ptext = _key(doc["text"][p["start"] : p["end"]])
        inside = {ents.entity_of[m] for _prop, s, o in p["facts"] for m in (s, o) if m in ents.entity_of}
        inside |= {i for i in names if any(not _is_pronoun(t) and _key(t) in ptext for t in ents.forms[i])}
        mentioned.append(inside & set(names))
    negatives: dict[tuple, None] = {}
    for p in doc["passages"]:
        annotated = {ents.entity_of[m] for _prop, s, o in p["facts"] for m in (s, o) if ents.entity_of.get(m) in names}
        for prop in sorted(p["props"] & set(MAPPED)):
            pred = MAPPED[prop][0]
            s_types, o_types = _SIGNATURES[pred]
            for si in sorted(annotated):
                for oi in sorted(annotated):
                    if si == oi or types[si] not in s_types or types[oi] not in o_types:
                        continue
                    if (si, pred, oi) in relations:
                        continue
                    if pred == "worksFor" and (si, "leads", oi) in relations:
                        continue
                    if any(si in m and oi in m and prop not in q["props"] for m, q in zip(mentioned, doc["passages"])):
                        counts[f"negative_unsure:{pred}"] += 1
                        continue
                    negatives[(si, pred, oi)] = None

    record = {
        "id": f"kn-{doc['id']}",
        "source": "knowledgenet",
        "fold": doc["fold"],
        "text": text,
        "entities": entities,
        "relations": [{"subject": names[s], "predicate": pred, "object": names[o]} for s, pred, o in relations],
    }
    if negatives:
        record["negatives"] = [{"subject": names[s], "predicate": pred, "object": names[o]} for s, pred, o in negatives]
    return record


def load_passages(path: str | Path, folds: set[int], *, counts: Counter | None = None) -> list[dict]:
    """Return the KnowledgeNet documents of ``folds`` as training records in the gold format.

    See the module docstring for the rules (one record per document, entity types,
    relations, negatives). Documents come in file order; a document with no entity of
    ours still gives a record (its ``relations`` are empty).

    Args:
        path: the KnowledgeNet JSON Lines file (e.g. the shared
            ``knowledgenet-folds1-3.jsonl``).
        folds: the folds to convert, e.g. ``{1, 2}`` to train for a fold-3 test.
        counts: if given, updated with what was left out: ``unnamed_end:<predicate>``
            (a fact whose end is only a pronoun with no named antecedent),
            ``worksFor_dropped_for_leads``, ``negative_unsure:<predicate>`` (a pair also
            named in a passage not annotated for the property), ``entities_unnamed``,
            ``entities_same_name`` (two URIs with one name in a document, made one entity).

    Returns:
        One dict per document: ``id`` ("kn-<documentId>"), ``source``, ``fold``,
        ``text``, ``entities``, ``relations`` and, where there are some, ``negatives``.

    Raises:
        KnowledgeNetError: the file cannot be read, or a line is malformed (the message
            names the file and line).
    """
    counts = counts if counts is not None else Counter()
    folds = {int(f) for f in folds}
    # type votes per URI over every document read, for entities the document cannot type
    every = _read(path, folds)
    parsed = [(_Doc(d), d) for d in every]
    uri_votes: dict[str, Counter] = defaultdict(Counter)
    for ents, _d in parsed:
        for i, uri in enumerate(ents.uris):
            if uri:
                uri_votes[uri][PER] += ents.votes[i][PER]
                uri_votes[uri][ORG] += ents.votes[i][ORG]
    return [_build(d, ents, uri_votes, counts) for ents, d in parsed]


def summarize(records: list[dict]) -> dict[int, dict[str, dict[str, int]]]:
    """Count relations and negatives per fold and predicate.

    Args:
        records: output of :func:`load_passages`.

    Returns:
        ``{fold: {"documents": {"all": n}, predicate: {"relations": n, "negatives": n}}}``.
    """
    out: dict[int, dict[str, dict[str, int]]] = {}
    for r in records:
        f = out.setdefault(r["fold"], {"documents": {"all": 0}})
        f["documents"]["all"] += 1
        for kind in ("relations", "negatives"):
            for rel in r.get(kind, ()):
                c = f.setdefault(rel["predicate"], {"relations": 0, "negatives": 0})
                c[kind] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m ingest.knowledgenet FILE --folds 1,2 [--out records.jsonl]``: convert and count."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(description="Convert KnowledgeNet folds to gold-format training records.")
    ap.add_argument("path", help="KnowledgeNet JSON Lines file")
    ap.add_argument("--folds", default="1,2", help="comma-separated folds (default 1,2)")
    ap.add_argument("--out", help="write the records here as JSON Lines (never into the repository)")
    args = ap.parse_args(argv)
    try:
        folds = {int(x) for x in args.folds.split(",") if x.strip()}
    except ValueError:
        ap.error(f"--folds must be integers separated by commas, got {args.folds!r}")
    counts: Counter = Counter()
    try:
        records = load_passages(args.path, folds, counts=counts)
    except KnowledgeNetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(json.dumps({"folds": summarize(records), "left_out": dict(sorted(counts.items()))}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
