"""Decision: from scored candidates to the relation records of a doc.

Each candidate is scored for every predicate its types fit; a predicate whose calibrated
probability reaches the model's threshold becomes a relation, with that probability as
its confidence. One record per (names, predicate, sentence), the most confident; the
hedged flag, amount and date come from the rule that found the same pair when there is
one, else from the clause the two names share. The conventions of the gold standard
(``tests/gold/README.md``) are then applied as in the rules: a lawsuit's accusations are
not a second dispute, a developer is not a user of its own model, and a leader or
founder is not also listed as staff.
"""

from __future__ import annotations

from ingest.relations import ended as _ended
from ingest.relations import parties as _parties
from ingest.relations.candidates import FLIP, candidates
from ingest.relations.clauses import amount_and_date, money_text, negated, sentence_ents, stake_of
from ingest.relations.features import Featurizer, dep_path
from ingest.relations.model import RelationModel
from kg.model import PREDICATES, SYMMETRIC_PREDICATES

PRED_INDEX = {p: k for k, p in enumerate(PREDICATES)}
# the predicates whose statements can carry a stake ("a 49% stake", "owns 27 percent of")
_STAKE_PREDICATES = ("investsIn", "acquires")


def decide(
    doc,
    mentions: list[dict],
    coref: list[list[int]],
    rule_hits: list[dict],
    featurizer: Featurizer,
    model: RelationModel,
    threshold: float | None = None,
) -> list[dict]:
    """Return the relation records of a doc, scored by the model.

    Args:
        doc: the parsed doc.
        mentions: its mentions (after the rules added fallback names).
        coref: its coreference links.
        rule_hits: the rules' records (features, and the source of hedging and amounts).
        featurizer: the feature extractor.
        model: the trained model.
        threshold: emit at or above this probability (default: the model's own).

    Returns:
        Plain dicts with the keys the rules use (``s``, ``o``, ``p``, ``c``, ``h``,
        ``ss``, ``se``, ``amount``, ``date``) plus ``rule`` (the rule that agreed, or
        "model").
    """
    tau = model.threshold if threshold is None else threshold
    cands = candidates(doc, mentions, coref)
    if not cands:
        return []
    feats = featurizer.doc_features(doc, mentions, cands, rule_hits)
    by_rule = {}
    for r in rule_hits:
        by_rule[(mentions[r["s"]]["name"], r["p"], mentions[r["o"]]["name"], r["ss"])] = r
    best: dict[tuple, dict] = {}
    source: dict[tuple, tuple] = {}
    paths: dict[tuple[int, int], object] = {}

    def path_of(c):
        key = (c.ha, c.hb)
        if key not in paths:
            paths[key] = dep_path(doc, c.ha, c.hb)
        return paths[key]

    table = model.batch_probabilities(feats)
    for c, f, row in zip(cands, feats, table):
        for p in c.predicates:
            prob = float(row[PRED_INDEX[p]])
            if prob < tau:
                continue
            na, nb = mentions[c.a]["name"], mentions[c.b]["name"]
            sent = doc[c.sent_start : c.sent_end]
            ss, se = sent.start_char, sent.end_char
            names = tuple(sorted((na, nb))) if p in SYMMETRIC_PREDICATES else (na, nb)
            key = (names, p, ss)
            if key in best and best[key]["c"] >= prob:
                continue
            rule = by_rule.get((na, p, nb, ss)) or (by_rule.get((nb, p, na, ss)) if p in SYMMETRIC_PREDICATES else None)
            if rule is not None:
                hedge, amount, date, name = (
                    bool(rule["h"]),
                    rule.get("amount"),
                    rule.get("date"),
                    rule.get("rule", "rule"),
                )
            else:
                path = path_of(c)
                top = path[1] if path is not None else doc[c.ha]
                hedge = "hedged" in f or any(x.startswith(f"armfit={p}|hedge") for x in f)
                if _says_no(path, top, featurizer.lexicon, p):
                    continue  # "is not training GPT-5": a verb between the two says no
                amount, date = amount_and_date(top, sent)
                if not _is_trigger(featurizer.lexicon, top, p):
                    # the path's top word is not a word of this relation ("Musk, who
                    # co-founded OpenAI in 2015, ... the ChatGPT maker"): its date is another event's
                    date = None
                name = "model"
            best[key] = {
                "s": c.a,
                "o": c.b,
                "p": p,
                "c": round(prob, 3),
                "h": hedge,
                "ss": ss,
                "se": se,
                "amount": amount,
                "date": date,
                "rule": name,
            }
            if p in _STAKE_PREDICATES and amount is None:
                best[key]["amount"] = _sole_amount(sent)
            if p in _STAKE_PREDICATES:
                path = path_of(c)
                stake = stake_of(path[1] if path is not None else doc[c.ha], sent)
                if stake:
                    best[key]["stake"] = stake
            source[key] = (c, f)
    parties = _parties.doc_parties(mentions, coref)
    _mark_ended(doc, best, source, model, path_of, parties, mentions)
    covered = {(mentions[c.a]["name"], mentions[c.b]["name"], doc[c.sent_start].idx) for c in cands if not c.cross}
    for r in rule_hits:
        # the rules link some pairs across sentences (a funding round named in one
        # sentence, its investors in the next); no candidate within a sentence stands for
        # those, so the rule's own verdict and confidence are kept (beside the model's
        # verdict on the pair across sentences, when it has one)
        na, nb = mentions[r["s"]]["name"], mentions[r["o"]]["name"]
        if (na, nb, r["ss"]) in covered or (nb, na, r["ss"]) in covered:
            continue
        names = tuple(sorted((na, nb))) if r["p"] in SYMMETRIC_PREDICATES else (na, nb)
        best.setdefault((names, r["p"], r["ss"]), {**r, "rule": r.get("rule", "rule")})
    _retype(best, source, mentions)
    rels = _conventions(list(best.values()), mentions)
    _ended.mark_rule_records(doc, mentions, rels, parties)
    return rels


def _retype(best: dict[tuple, dict], source: dict[tuple, tuple], mentions: list[dict]) -> None:
    """Settle the relations that read a name as the other of person and organization.

    A kept relation resting on a flip (:func:`ingest.relations.candidates._pair_fits`)
    retypes every mention of that name, unless another kept relation (the model's or a
    rule's) uses the name with its own type: then the flipped ones are dropped, so a name
    is never both a person and an organization.
    """
    flipped: dict[tuple, tuple[str, str]] = {}
    as_typed: set[str] = set()
    for key, r in best.items():
        c = source.get(key, (None,))[0]
        side = dict(c.flips).get(r["p"]) if c is not None else None
        if side is None:
            as_typed.update((mentions[r["s"]]["name"], mentions[r["o"]]["name"]))
        else:
            m = mentions[c.a if side == "a" else c.b]
            flipped[key] = (m["name"], FLIP[m["type"]])
    retype: dict[str, str] = {}
    for key, (name, new_type) in flipped.items():
        if name in as_typed or retype.setdefault(name, new_type) != new_type:
            del best[key]
    for m in mentions:
        if m["name"] in retype:
            m["type"] = retype[m["name"]]


def _says_no(path, top, lexicon, predicate: str) -> bool:
    """Return True if the pair's own words deny the relation (a model-only record is then dropped).

    The top word when it is one of the predicate's triggers and its clause negates it, or
    a verb on the path with its own negation ("told ... the company is not training GPT-5").
    """
    if _is_trigger(lexicon, top, predicate) and negated(top):
        return True
    if path is None:
        return False
    up, _, down = path
    return any(t.pos_ in ("VERB", "AUX") and any(c.dep_ == "neg" for c in t.children) for t in (*up, *down))


def _is_trigger(lexicon, tok, predicate: str) -> bool:
    """Return True if the token is one of the lexicon's words for ``predicate``."""
    found = lexicon.at(tok) or ()
    return any(t.predicate == predicate for t in found)


def _sole_amount(sent) -> str | None:
    """Return the sentence's only sum of money, unless it is a valuation.

    "announced a $300 million round led by X and Y", "raised ₩130 billion from X": the
    sum belongs to the round, and the round to each investor the sentence names.
    """
    money = [e for e in sentence_ents(sent) if e.label_ == "MONEY"]
    if len(money) != 1:
        return None
    e = money[0]
    near = {t.lemma_.lower() for t in e.doc[max(sent.start, e.start - 3) : min(sent.end, e.end + 2)]}
    return None if near & {"valuation", "value", "worth"} else money_text(e)


def _mark_ended(
    doc,
    best: dict[tuple, dict],
    source: dict[tuple, tuple],
    model: RelationModel,
    path_of,
    parties: _parties.DocParties,
    mentions: list[dict],
) -> None:
    """Set ``ended`` (the ended classifier's verdict) and ``date_role`` on the model's records.

    The classifier reads every cue of the pair (its features); its verdict then stands
    only as :func:`ingest.relations.ended.confirmed` says: ending words of the pair's own
    confirm it, ending words that all speak of a third party refute it. ``path_of`` gives
    a candidate's dependency path (computed once per pair); ``parties`` who the doc's
    tokens stand for (:func:`ingest.relations.parties.doc_parties`).
    """
    keys = list(source)
    cue_lists, own_lists, rows, pair_parties = [], [], [], []
    for key in keys:
        c, f = source[key]
        found = _ended.cues(doc, c.ha, c.hb, path_of(c))
        cue_lists.append(found)
        mine = parties.pair(mentions[c.a]["name"], mentions[c.b]["name"])
        pair_parties.append(mine)
        own_lists.append(_ended.own_cues(doc, c.ha, c.hb, path_of(c), found, mine))
        rows.append(_ended.features(best[key]["p"], f, found))
    if model.ended is None:
        verdicts = [_ended.rule_ended(own) for own in own_lists]
    else:
        probs = model.ended_probabilities(rows)
        # "joined Vexis Labs in 2015", "began supplying X" start the relation; "has led
        # it since 2021" holds it; "Polaris, which she left when Bakare hired her" ends
        # another tie
        verdicts = [
            bool(p >= model.ended_threshold or _ended.succeeded(own))
            and not _ended.started_here(doc, source[k][0].hb, found, mine)
            and not _ended.held_since(found)
            and _ended.confirmed(found, own)
            for k, p, found, own, mine in zip(keys, probs, cue_lists, own_lists, pair_parties)
        ]
    for key, found, is_ended, mine in zip(keys, cue_lists, verdicts, pair_parties):
        r = best[key]
        r["ended"] = bool(is_ended)
        r["date_role"] = _ended.date_role(bool(is_ended), found)
        r["future"] = "tense=future" in found
        c = source[key][0]
        _ended.date_from_verbs(r, _ended.verb_dates(doc, c.ha, c.hb, path_of(c), r["p"], mine))


def _conventions(rels: list[dict], mentions: list[dict]) -> list[dict]:
    def named(r):
        return mentions[r["s"]]["name"], mentions[r["o"]]["name"], r["ss"]

    sued = {(frozenset(named(r)[:2]), r["ss"]) for r in rels if r["p"] == "sues"}
    leads = {named(r) for r in rels if r["p"] in ("leads", "founded")}
    # a maker does not also use its own product, so one of "develops" and "uses" goes for
    # a pair: the surer one stays (a weak "develops" read off "working with X on the
    # chip" no longer hides "X will use the chip" said with certainty); a tie, or a
    # product named after the company ("Mistral Large"), keeps "develops"
    surest: dict[tuple, dict[str, float]] = {}
    for r in rels:
        if r["p"] in ("develops", "uses"):
            best = surest.setdefault(named(r)[:2], {})
            best[r["p"]] = max(best.get(r["p"], 0.0), r["c"])
    loser = {
        pair: ("uses" if by["develops"] >= by["uses"] or _named_after(*pair) else "develops")
        for pair, by in surest.items()
        if len(by) == 2
    }
    return [
        r
        for r in rels
        if not (r["p"] == "disputesWith" and (frozenset(named(r)[:2]), r["ss"]) in sued)
        and loser.get(named(r)[:2]) != r["p"]
        # "Microsoft serves Copilot from Azure": a product named after the company is its own
        and not (r["p"] == "uses" and _named_after(*named(r)[:2]))
        and not (r["p"] == "worksFor" and named(r) in leads)
    ]


def _named_after(maker: str, product: str) -> bool:
    """Return True if the product's name opens with the company's first word ("Mistral Large")."""
    m, p = maker.lower().split(), product.lower().split()
    return bool(m and p) and m[0] == p[0]
