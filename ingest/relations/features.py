"""Feature records: what the classifier knows about one candidate pair.

Every feature is a short string (``"lca=acquire"``, ``"rule=acquires|trigger:acquire"``);
the model hashes them (:mod:`ingest.relations.model`). The groups:

- **rules**: which predicates the hand-written rules found for this pair in this
  sentence, by which rule, and how sure they were; the same for the reversed pair.
- **triggers**: for every trigger word of the lexicon in the sentence, the arms by
  which it reaches each side (``arm=acquires|nsubj|dobj``), with its negation and hedging.
- **path**: the dependency path between the two sides (labels and direction, the
  lemmas on it, its top word), and its length.
- **words**: lemmas between the two sides, and the words just before and after them.
- **shape**: entity types, how each side was found (gazetteer, NER, coreference),
  order, distance, other names in between, lists, appositions, possessives, cues such
  as "former".

A pair across two adjacent sentences (``Candidate.cross``) has no path or words
between; it gets features of its own, all prefixed ``x``: each side's role in its
sentence and its sentence's main verb, the later sentence's opening words, the
triggers that reach each side, and how many other names of the same type the later
sentence holds (:meth:`Featurizer._cross_features`).
"""

from __future__ import annotations

from ingest.relations.arms import _path, arm
from ingest.relations.candidates import Candidate
from ingest.relations.clauses import hedged, negated
from ingest.relations.lexicon import Lexicon
from ingest.relations.rules import names_tokens

_FORMER = {
    "former",
    "ex",
    "ex-",
    "onetime",
    "one-time",
    "erstwhile",
    "previously",
    "formerly",
    "until",
    "left",
    "departed",
    "quit",
    "resigned",
    "ousted",
    "fired",
    "then-",
}
_MAX_BETWEEN = 12


def _bucket(n: int) -> str:
    for lim, name in ((0, "0"), (1, "1"), (2, "2"), (4, "3-4"), (7, "5-7"), (12, "8-12"), (20, "13-20")):
        if n <= lim:
            return name
    return "21+"


def _lemma(tok) -> str:
    if tok.like_num or tok.ent_type_ in ("MONEY", "PERCENT", "CARDINAL"):
        return "#NUM"
    if tok.ent_type_ in ("DATE", "TIME"):
        return "#DATE"
    return tok.lemma_.lower()


def dep_path(doc, i: int, j: int) -> tuple[list, object, list] | None:
    """Return (tokens up from ``i`` below the top, the top token, tokens down to ``j``)."""
    path = _path(doc[i], doc[j])
    if path is None:
        return None
    up, down = path
    return up, (up[-1].head if up else doc[i]), down


class Featurizer:
    """Compute feature records for the candidates of one doc.

    Args:
        lexicon: the trigger lexicon (its words are features, with their arms).
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def doc_features(self, doc, mentions: list[dict], cands: list[Candidate], rule_hits: list[dict]) -> list[list[str]]:
        """Return one feature list per candidate, in order.

        Args:
            doc: the parsed doc.
            mentions: the mentions (names and types).
            cands: the candidates (:func:`ingest.relations.candidates.candidates`).
            rule_hits: the rules' relation records for the doc (keys ``s``, ``o``,
                ``p``, ``c``, ``h``, ``ss`` and optionally ``rule``).
        """
        rules: dict[tuple, list[dict]] = {}
        for r in rule_hits:
            key = (mentions[r["s"]]["name"], mentions[r["o"]]["name"], r["ss"])
            rules.setdefault(key, []).append(r)
        sent_triggers: dict[int, list] = {}
        trig_state: dict[int, tuple[bool, bool]] = {}
        arms: dict[tuple[int, int], tuple | None] = {}
        mention_at: dict[int, int] = {}
        for idx, m in enumerate(mentions):
            if not m.get("virtual"):
                for t in range(m["s"], m["e"]):
                    mention_at.setdefault(t, idx)
        in_name = names_tokens(doc, mentions)
        out = []
        for c in cands:
            if c.cross:
                out.append(self._cross_features(doc, mentions, c, rules, sent_triggers, trig_state, arms, in_name))
                continue
            if c.sent_start not in sent_triggers:
                trigs = []
                for tok in doc[c.sent_start : c.sent_end]:
                    if tok.i in in_name:
                        continue
                    found = self.lexicon.at(tok)
                    if found:
                        trigs.append((tok, found))
                sent_triggers[c.sent_start] = trigs
            out.append(
                self._features(doc, mentions, c, rules, sent_triggers[c.sent_start], trig_state, mention_at, arms)
            )
        return out

    def _triggers(self, sent, in_name) -> list:
        trigs = []
        for tok in sent:
            if tok.i in in_name:
                continue
            found = self.lexicon.at(tok)
            if found:
                trigs.append((tok, found))
        return trigs

    def _cross_features(
        self, doc, mentions, c: Candidate, rules, sent_triggers, trig_state, arms, in_name
    ) -> list[str]:
        """Features of a pair across two adjacent sentences."""
        ma, mb = mentions[c.a], mentions[c.b]
        ta, tb = doc[c.ha], doc[c.hb]
        early, late = (ta, tb) if c.ha < c.hb else (tb, ta)
        f = [
            "xsent",
            f"xT={ma['type']}|{mb['type']}",
            f"xsrc={c.src_a}|{c.src_b}",
            f"xorder={'ab' if c.ha < c.hb else 'ba'}",
        ]
        for ss in {early.sent.start_char, late.sent.start_char}:
            for r in rules.get((ma["name"], mb["name"], ss), ()):
                f += [f"R={r['p']}", f"R={r['p']}|{r.get('rule', 'rule')}"]
            for r in rules.get((mb["name"], ma["name"], ss), ()):
                f.append(f"Rrev={r['p']}")
        late_sent = late.sent
        for where, tok in (("E", early), ("L", late)):
            side = "A" if tok.i == c.ha else "B"
            f.append(f"xdep{where}{side}={tok.dep_}")
            f.append(f"xhead{where}{side}={tok.head.lemma_.lower()}|{tok.dep_}")
            f.append(f"xroot{where}={tok.sent.root.lemma_.lower()}")
            f.append(f"xroot{where}{side}={tok.sent.root.lemma_.lower()}|{tok.dep_}")
            start = tok.sent.start
            if start not in sent_triggers:
                sent_triggers[start] = self._triggers(tok.sent, in_name)
            for trig, found in sent_triggers[start]:
                a = arms.get((trig.i, tok.i), False)
                if a is False:
                    a = arms[(trig.i, tok.i)] = arm(trig, tok)
                if a is None:
                    continue
                state = trig_state.get(trig.i)
                if state is None:
                    state = trig_state[trig.i] = (negated(trig), hedged(trig))
                for t in found:
                    fill = "s" if a[0] in t.subj else "o" if a[0] in t.obj else "p" if a[0] in t.pair else "-"
                    if t.invert:
                        fill = {"s": "o", "o": "s"}.get(fill, fill)
                    f.append(f"xarm{side}={t.predicate}|{fill}")
                    f.append(f"xarm{side}={t.predicate}|{fill}|{where}")
                    if state[0]:
                        f.append(f"xarm{side}={t.predicate}|neg")
                    if state[1]:
                        f.append(f"xarm{side}={t.predicate}|hedge")
        opening = [_lemma(t) for t in late_sent[:6] if not t.is_punct and t.i not in in_name]
        f += [f"xw={w}" for w in opening[:4]]
        if opening:
            f.append(f"xfirst={opening[0]}")
        early_type = (ma if early.i == c.ha else mb)["type"]
        same = {
            m["name"]
            for m in mentions
            if not m.get("virtual") and m["type"] == early_type and late_sent.start <= m["s"] < late_sent.end
        } - {ma["name"], mb["name"]}
        f.append(f"xsame={min(len(same), 2)}")
        if late.dep_ == "conj" or any(ch.dep_ == "conj" for ch in late.children):
            f.append("xconj")
        return f

    def _features(self, doc, mentions, c: Candidate, rules, trigs, trig_state, mention_at, arms) -> list[str]:
        ma, mb = mentions[c.a], mentions[c.b]
        ta, tb = doc[c.ha], doc[c.hb]
        f = [f"T={ma['type']}|{mb['type']}", f"src={c.src_a}|{c.src_b}", f"order={'ab' if c.ha < c.hb else 'ba'}"]
        f += [f"flip={p}|{side}" for p, side in c.flips]
        if c.src_a == "coref":
            f.append(f"corefA={ta.lower_}")
        if c.src_b == "coref":
            f.append(f"corefB={tb.lower_}")
        ss = doc[c.sent_start].idx
        for r in rules.get((ma["name"], mb["name"], ss), ()):
            rule = r.get("rule", "rule")
            band = "hi" if r["c"] >= 0.7 else "mid" if r["c"] >= 0.4 else "lo"
            f += [f"R={r['p']}", f"R={r['p']}|{rule}", f"R={r['p']}|{band}"]
            if r.get("h"):
                f.append(f"R={r['p']}|hedged")
        for r in rules.get((mb["name"], ma["name"], ss), ()):
            f += [f"Rrev={r['p']}", f"Rrev={r['p']}|{r.get('rule', 'rule')}"]
        lo, hi = sorted((c.ha, c.hb))
        dist = hi - lo
        f.append(f"dist={_bucket(dist)}")
        between = doc[lo + 1 : hi]
        others = {mention_at[t.i] for t in between if t.i in mention_at} - {c.a, c.b}
        f.append(f"nents={_bucket(len(others))}")
        words = [t for t in between if not t.is_punct or t.text in (",", "(", ":", "'s")]
        if len(words) > _MAX_BETWEEN:
            words = words[:6] + words[-6:]
            f.append("between=long")
        lem = [_lemma(t) for t in words]
        f += [f"w={w}" for w in lem]
        f += [f"ww={x}_{y}" for x, y in zip(lem, lem[1:])]
        if len(lem) <= 4:
            f.append("wseq=" + "_".join(lem))
        first, second = (ta, tb) if c.ha < c.hb else (tb, ta)
        left = doc[first.left_edge.i - 1] if first.left_edge.i > c.sent_start else None
        right = doc[second.right_edge.i + 1] if second.right_edge.i + 1 < c.sent_end else None
        f.append(f"before={_lemma(left) if left is not None else '<s>'}")
        f.append(f"after={_lemma(right) if right is not None else '</s>'}")
        for side, tok in (("A", ta), ("B", tb)):
            near = {x.lower_ for x in doc[max(c.sent_start, tok.left_edge.i - 3) : tok.i]}
            if near & _FORMER:
                f.append(f"former{side}")
            f.append(f"dep{side}={tok.dep_}")
            f.append(f"head{side}={tok.head.lemma_.lower()}|{tok.dep_}")
        path = dep_path(doc, c.ha, c.hb)
        if path is None:
            f.append("path=none")
        else:
            up, top, down = path
            labs = [f"{t.dep_}^" for t in up] + [f"v{t.dep_}" for t in down]
            n = len(labs)
            f.append(f"plen={_bucket(n)}")
            top_lemma = _lemma(top)
            top_is_arg = top.i in (c.ha, c.hb)
            f.append(f"top={top_lemma if not top_is_arg else '#ARG'}")
            f.append(f"toppos={top.pos_}")
            if n <= 6:
                f.append("plab=" + " ".join(labs))
                f.append(
                    "pfull="
                    + " ".join(labs[: len(up)])
                    + f" [{top_lemma if not top_is_arg else '#ARG'}] "
                    + " ".join(labs[len(up) :])
                )
            for t in up[1:] + down[:-1]:
                f.append(f"pw={_lemma(t)}")
            if not top_is_arg:
                neg_hed = trig_state.get(top.i)
                if neg_hed is None:
                    neg_hed = trig_state[top.i] = (negated(top), hedged(top))
                if neg_hed[0]:
                    f.append("negated")
                if neg_hed[1]:
                    f.append("hedged")
            if tb.head.i == ta.i and tb.dep_ == "appos" or ta.head.i == tb.i and ta.dep_ == "appos":
                f.append("appos")
            if (
                tb.dep_ == "conj"
                and tb.head.i == ta.i
                or ta.dep_ == "conj"
                and ta.head.i == tb.i
                or (ta.dep_ == "conj" and tb.dep_ == "conj" and ta.head.i == tb.head.i)
            ):
                f.append("conj")
            if ta.dep_ == "poss" and ta.head.i == tb.i:
                f.append("possAB")
            if tb.dep_ == "poss" and tb.head.i == ta.i:
                f.append("possBA")
            if ta.dep_ == "compound" and ta.head.i == tb.i:
                f.append("compAB")
            if tb.dep_ == "compound" and tb.head.i == ta.i:
                f.append("compBA")
        for tok, found in trigs:
            aa = arms.get((tok.i, ta.i), False)
            if aa is False:
                aa = arms[(tok.i, ta.i)] = arm(tok, ta)
            if aa is None:
                continue
            ab = arms.get((tok.i, tb.i), False)
            if ab is False:
                ab = arms[(tok.i, tb.i)] = arm(tok, tb)
            if ab is None:
                continue
            lemma = tok.lemma_.lower()
            f.append(f"armL={lemma}|{aa[0]}|{ab[0]}")
            state = trig_state.get(tok.i)
            if state is None:
                state = trig_state[tok.i] = (negated(tok), hedged(tok))
            for trig in found:
                fill = "s" if aa[0] in trig.subj else "o" if aa[0] in trig.obj else "p" if aa[0] in trig.pair else "-"
                fill += "s" if ab[0] in trig.subj else "o" if ab[0] in trig.obj else "p" if ab[0] in trig.pair else "-"
                if trig.invert:
                    fill = fill[::-1]
                f.append(f"arm={trig.predicate}|{fill}")
                f.append(f"arm={trig.predicate}|{aa[0]}|{ab[0]}")
                if fill in ("so", "pp"):
                    f.append(f"armfit={trig.predicate}")
                    if state[0]:
                        f.append(f"armfit={trig.predicate}|neg")
                    if state[1]:
                        f.append(f"armfit={trig.predicate}|hedge")
        return f
