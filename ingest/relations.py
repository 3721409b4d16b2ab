"""Relations from the dependency parse, driven by the trigger lexicon in ``data/triggers.json``.

How it works, for each sentence:

1. Every entity mention (its root token) and every coreferent token ("it", "the
   company") is an argument candidate.
2. Every token whose lemma is a trigger of some predicate (``acquire``, ``stake``,
   ``rival``, ``chief executive``) is a trigger candidate.
3. For each trigger and argument, the dependency path from trigger to argument is
   reduced to an *arm*: a short label saying which slot of the trigger the argument
   fills (``nsubj``, ``dobj``, ``agent``, ``prep:in``, ``poss``, ``sup_subj`` ...).
   The reduction folds the ways journalists rearrange one fact: passives, relative
   clauses ("X, which Y acquired"), participles ("the Microsoft-backed startup"),
   control verbs ("agreed to acquire"), support verbs ("announced a partnership
   with"), coordination ("Anthropic, DeepMind and Meta").
4. The lexicon says, per trigger, which arms are the subject and which the object.
   A pair that fills both is a relation, subject to the domain/range of the predicate,
   negation (dropped) and hedging (kept, lower confidence, ``hedged``).

The lexicon is data, so adding a trigger is a one-line change; the code only knows
syntax. Confidence is ``trigger weight x path factor x argument source factor x hedge
factor`` (see :func:`_confidence`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from kg.model import PREDICATES, SYMMETRIC_PREDICATES

log = logging.getLogger(__name__)

DEFAULT_TRIGGERS = Path(__file__).parent / "data" / "triggers.json"

# domain -> range per predicate (DESIGN.md); O = Organization, P = Person, M = AIModel, R = Product
_ORG, _PER, _MOD, _PRD = "Organization", "Person", "AIModel", "Product"
SIGNATURES = {
    "partnersWith": ({_ORG}, {_ORG}),
    "investsIn": ({_ORG, _PER}, {_ORG}),
    "acquires": ({_ORG}, {_ORG, _PRD, _MOD}),
    "competesWith": ({_ORG}, {_ORG}),
    "subsidiaryOf": ({_ORG}, {_ORG}),
    "suppliesTo": ({_ORG}, {_ORG}),
    "disputesWith": ({_ORG, _PER}, {_ORG, _PER}),
    "sues": ({_ORG, _PER}, {_ORG, _PER}),
    "develops": ({_ORG, _PER}, {_MOD, _PRD}),
    "uses": ({_ORG, _PRD}, {_MOD, _PRD}),
    "leads": ({_PER}, {_ORG}),
    "founded": ({_PER, _ORG}, {_ORG}),
    "worksFor": ({_PER}, {_ORG}),
}

# Dependency labels through which a noun trigger reaches the verb whose subject is the
# noun's agent: "X announced a partnership" (dobj), "X is a rival" (attr), "X was named
# chief executive" (oprd), "X entered into a deal" (pobj+prep).
_SUPPORT_UP = {"^dobj", "^attr", "^oprd", "^xcomp", "^pobj", "^ccomp", "^acomp"}
# Labels through which a verb trigger inherits the subject of a governing verb:
# "agreed to acquire" (xcomp), "built and released" (conj).
_CONTROL_UP = {"^xcomp", "^conj", "^advcl"}
# Prepositions that frame a whole clause as part of an arrangement
_FRAME_PREPS = {"^prep:under", "^prep:through", "^prep:via"}
_SHARES = {"%", "percent", "stake", "stakes", "share", "shares", "minority", "majority", "interest"}
_STAFF = {"engineer", "employee", "staff", "staffer", "researcher", "developer", "team", "scientist",
          "executive", "worker", "programmer",
          # and a company's own products stand for it as the subject of a clause
          "model", "system", "workload", "product", "service", "software", "app", "technology"}
_NAMING = {"call", "name", "dub", "brand", "know"}
_WH = {"which", "who", "that", "whom"}
# Noun-phrase-internal links that keep the path inside one argument ("Anthropic, DeepMind
# and Meta"): dropped when walking down to an argument.
_COORD = {"conj", "cc", "punct"}

_NEG_LEMMAS = {"deny", "decline", "refuse", "reject", "dismiss", "fail", "end", "terminate",
               "scrap", "abandon", "cancel", "block", "halt", "quit", "exit", "sever",
               "drop", "rebuff", "spurn", "collapse", "walk", "prevent", "stop", "unwind",
               "dissolve"}
# Verbs that undo a holding: negate a stake, not whatever else the sentence sells
_DIVEST_LEMMAS = {"sell", "divest", "offload", "unload", "dump", "exit"}
_HOLDING_NOUNS = {"stake", "share", "interest", "investment", "holding", "position"}
_NEG_WORDS = {"not", "n't", "never", "no", "neither", "nor", "without"}
_HEDGE_LEMMAS = {"consider", "plan", "explore", "weigh", "mull", "discuss", "negotiate",
                 "seek", "intend", "propose", "hope", "want", "aim", "rumor", "rumour",
                 "talk", "allege", "argue", "claim", "contend", "speculate", "eye",
                 "option", "possibility", "potential", "possible", "proposed", "likely",
                 "reportedly", "potentially", "possibly", "could", "may", "might", "expect",
                 "approach", "court", "pitch", "attempt", "try", "bid", "offer"}
_HEDGE_PHRASES = ("according to people", "people familiar", "familiar with the",
                  "sources said", "people close to", "is said to", "are said to",
                  "in talks", "in discussions", "in early talks", "in advanced talks")


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a lemma that signals a predicate and the arms of its arguments."""

    predicate: str
    lemma: str
    pos: str
    weight: float
    subj: frozenset[str]
    obj: frozenset[str]
    pair: frozenset[str]
    with_words: frozenset[str]
    without_words: frozenset[str]
    invert: bool
    needs_funding_object: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Triggers indexed by (lemma, coarse POS), plus the support verbs of noun triggers."""

    by_lemma: dict
    support_verbs: frozenset[str]


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load and check the trigger lexicon.

    Args:
        path: the JSON file; defaults to ``ingest/data/triggers.json``.

    Returns:
        The :class:`Lexicon`.

    Raises:
        ValueError: a predicate is not one of :data:`kg.model.PREDICATES` or an arm set
            reference is unknown (listing the valid ones).
    """
    p = Path(path) if path else DEFAULT_TRIGGERS
    data = json.loads(p.read_text(encoding="utf-8"))
    arm_sets = {k: v for k, v in data.get("arm_sets", {}).items()}

    def expand(arms):
        out = set()
        for a in arms or ():
            if a.startswith("@"):
                if a[1:] not in arm_sets:
                    raise ValueError(f"unknown arm set {a!r}; known: {sorted(arm_sets)}")
                out |= expand(arm_sets[a[1:]])
            else:
                out.add(a)
        return out

    word_sets = data.get("word_sets", {})

    def words(ws):
        out = set()
        for w in ws or ():
            if w.startswith("@"):
                if w[1:] not in word_sets:
                    raise ValueError(f"unknown word set {w!r}; known: {sorted(word_sets)}")
                out |= set(word_sets[w[1:]])
            else:
                out.add(w)
        return frozenset(out)

    by_lemma: dict = {}
    for pred, entries in data["predicates"].items():
        if pred not in PREDICATES:
            raise ValueError(f"unknown predicate {pred!r}; valid: {', '.join(PREDICATES)}")
        for e in entries:
            for lemma, weight in e["lemmas"].items():
                trig = Trigger(
                    predicate=pred, lemma=lemma, pos=e["pos"], weight=float(weight),
                    subj=frozenset(expand(e.get("subj"))), obj=frozenset(expand(e.get("obj"))),
                    pair=frozenset(expand(e.get("pair"))),
                    with_words=words(e.get("with")), without_words=words(e.get("without")),
                    invert=bool(e.get("invert", False)),
                    needs_funding_object=bool(e.get("needs_funding_object", False)),
                )
                by_lemma.setdefault((lemma, e["pos"]), []).append(trig)
    return Lexicon(by_lemma=by_lemma, support_verbs=frozenset(data.get("support_verbs", ())))


# ---------------------------------------------------------------------------
# Arms: the reduced dependency path from a trigger to an argument


def _path(t, h) -> tuple[list, list] | None:
    """Return (tokens up from t to the common ancestor, tokens down to h), or None."""
    anc_t = [t, *t.ancestors]
    anc_h = [h, *h.ancestors]
    pos_h = {tok.i: k for k, tok in enumerate(anc_h)}
    for k, tok in enumerate(anc_t):
        if tok.i in pos_h:
            up = anc_t[:k]
            down = list(reversed(anc_h[:pos_h[tok.i]]))
            return up, down
    return None


def _down_label(tok) -> str | None:
    dep = tok.dep_
    if dep == "prep":
        return "prep:" + tok.lower_
    if dep in ("pobj", "pcomp"):
        return None  # folded into the preposition above it
    return dep


def arm(t, h, redirect: bool = True) -> tuple[str, int] | None:
    """Return the arm by which trigger ``t`` reaches argument token ``h``, and its length.

    Args:
        t: the trigger token.
        h: the argument's root token (or a coreferent token).

    Returns:
        ``(label, steps)``, or None when the path is too long to trust.
    """
    if t.i == h.i:
        return ("self", 0)  # "the ChatGPT maker": the description holds the role itself
    p = _path(t, h)
    if p is None:
        return None
    up, down = p
    k = 0
    while k + 2 < len(up):
        if up[k].dep_ == "pobj" and up[k + 1].dep_ == "prep" and up[k + 1].lower_ == "of" \
                and up[k + 2].lower_ in _PARTITIVES and up[k + 1].head.i == up[k + 2].i:
            up = up[:k] + up[k + 2:]  # "one of Stability's closest rivals": the rivals' role
            break
        k += 1
    if redirect and up and up[-1].dep_ in ("relcl", "appos", "acl") and all(d.dep_ in _COORD or d.dep_ in ("compound", "flat") for d in down):
        # "Google, Meta and Anthropic, which is backed by Amazon" / "Nvidia and Salesforce
        # Ventures, the investment arm of Salesforce": the parser hangs the clause on the
        # list's head, but it describes the name right before it
        anchor = up[-1].head
        before = [c for c in anchor.conjuncts if anchor.i < c.i < up[-1].left_edge.i]
        if before:
            nearest = max(before, key=lambda c: c.i)
            if not (h.i == nearest.i or (h.head.i == nearest.i and h.dep_ in ("compound", "flat"))) or not redirect:
                return None
            return arm(t, anchor, redirect=False)
    is_noun = t.pos_ in ("NOUN", "PROPN")
    if is_noun and up and up[0].dep_ == "conj" and up[0].head.pos_ in ("NOUN", "PROPN") and (
            not _has_det(t) or up[0].head.dep_ in ("appos", "attr")):
        # "co-founder and chief executive of X": coordinated role nouns share arguments;
        # "professor at X and the project leader of Y": a separate phrase shares only its holder
        if _has_det(t) and len(up) == 1:
            return None
        up = up[1:]
    if is_noun and not up and len(down) > 1 and down[0].dep_ == "conj" and down[0].pos_ == "NOUN" \
            and not _has_det(down[0]) and down[1].dep_ == "prep":
        down = down[1:]
    if len(down) > 1 and (down[-1].dep_ in ("compound", "nmod") or (down[-1].dep_ == "amod" and down[-1].pos_ == "PROPN")) \
            and down[-2].pos_ == "NOUN" and down[-2].dep_ not in ("compound", "appos"):
        # "use AWS Trainium chips": the name classifies the noun that fills the slot
        down = down[:-1]
    if not up and down and down[0].dep_ == "prep" and down[0].i > t.i and any(
            x.dep_ == "case" and x.head.dep_ == "conj" for x in t.doc[t.i:down[0].i]):
        return None  # "X's deal with A and Y's with B": the second phrase has its own, elided head
    ups = ["^" + (("prep:" + u.lower_) if u.dep_ == "prep" else u.dep_) for u in up]
    downs = []
    skip_of = None
    carry = None
    for k, d in enumerate(down):
        last = k == len(down) - 1
        if skip_of and d.dep_ == "prep" and d.lower_ == "of":
            carry, skip_of = skip_of, None
            continue
        skip_of = None
        if carry and d.dep_ == "pobj":
            downs.append(carry)  # "the rest of the company had been acquired": a nsubjpass
            carry = None
            continue
        carry = None
        if d.lower_ in _SHARES and not last and down[k + 1].dep_ == "prep" and down[k + 1].lower_ in ("of", "in") \
                and d.dep_ in ("dobj", "nsubjpass", "attr"):
            # "owns 14% of X", "bought a minority stake in X": a share, not the whole
            if k + 2 == len(down) - 1 and down[-1].dep_ == "pobj":
                downs.append("share_of")
                break
            return None
        if d.dep_ in ("dobj", "npadvmod", "attr", "nsubjpass", "nsubj", "pobj") and not last and _is_amount(d):
            # "invested $10 billion in OpenAI", "acquired the rest of Windsurf": the
            # amount or part carries the preposition that names the argument
            if d.lower_ not in ("billion", "million") and d.ent_type_ != "MONEY" and d.dep_ != "pobj":
                skip_of = d.dep_
            continue
        if d.dep_ == "acl" and d.lemma_ in _NAMING and not last and down[k + 1].dep_ == "oprd":
            # "a new division at Microsoft called Microsoft AI": the name is the noun
            if k + 1 == len(down) - 1:
                downs.append("named")
                break
            continue
        if d.dep_ == "oprd" and k > 0 and down[k - 1].dep_ == "acl" and down[k - 1].lemma_ in _NAMING:
            continue
        if d.dep_ in ("nsubj", "nsubjpass", "agent", "pobj") and k == len(down) - 2 and d.lemma_ in _STAFF \
                and down[-1].dep_ in ("compound", "poss", "nmod"):
            if any(c.lower_ in ("former", "ex", "ex-", "onetime", "one-time") for c in d.children):
                return None  # "former OpenAI employees": they no longer act for it
            # "OpenAI engineers had been using Claude Code": the staff act for the company
            downs.append(d.dep_ if d.dep_ != "pobj" else None)
            downs = [x for x in downs if x]
            break
        if d.dep_ == "prep" and not last and (
                d.lower_ in ("including", "like") or (d.lower_ == "as" and (
                    any(c.lower_ == "such" for c in d.children) or t.doc[d.i - 1].lower_ == "such"))):
            if k == 0 and not up and t.pos_ in ("NOUN", "PROPN") and t.tag_ in ("NNS", "NNPS"):
                downs.append("appos")  # "rivals such as X": X is one of the role's holders
            continue  # "from investors including A and B": the list names the argument
        if d.dep_ in _COORD and k > 0:
            if any(c.dep_ == "case" for c in d.children):
                return None  # "with Inflection and Google's with ...": a gapped clause, not a conjunct
            continue  # coordination inside the argument phrase
        if d.dep_ == "appos" and k > 0:
            if _ticker(d):
                return None  # "Navistar (NYSE: NAV)": the exchange and symbol are not the company
            continue  # "in OpenAI, the San Francisco lab": the lab is the same argument
        lab = _down_label(d)
        if lab is not None:
            downs.append(lab)
    # "agent" keeps its meaning (passive by-phrase); prep:by on a noun is its agent too
    steps = len(ups) + len(downs)
    label = _reduce(t, ups, downs, up)
    if label is None or steps > 5:
        return None
    return label, steps


# Passive verbs that pass their subject on to an infinitive as its doer ("is expected to join")
_RAISING = {"expect", "set", "poise", "slate", "schedule", "say", "report", "believe", "think", "understand",
            "rumor", "rumour", "tip", "anticipate", "project", "due", "suppose", "plan"}
_PARTITIVES = {"one", "two", "three", "some", "several", "each", "any", "many", "all", "both", "most"}
_PARTS = {"billion", "million", "rest", "most", "part", "majority", "remainder", "portion", "assets",
          "asset", "bulk", "share", "shares", "stake", "all", "much", "some", "half", "parts"}


def _ticker(tok) -> bool:
    """Return True if ``tok`` sits in a parenthesized "(EXCHANGE: SYMBOL)" aside."""
    doc = tok.doc
    lo, hi = max(tok.sent.start, tok.i - 4), min(tok.sent.end, tok.i + 4)
    window = [t.text for t in doc[lo:hi]]
    return "(" in window[:tok.i - lo + 1] and ":" in window


def _has_det(tok) -> bool:
    return any(c.dep_ == "det" for c in tok.children)


def _is_amount(tok) -> bool:
    return tok.ent_type_ == "MONEY" or tok.like_num or tok.lower_ in _PARTS


def _reduce(t, ups: list[str], downs: list[str], up_tokens: list) -> str | None:
    """Fold a raw path into an arm label (see module docstring)."""
    if not ups:
        if not downs:
            return None
        if len(downs) == 1:
            return downs[0]
        if downs[-1] == "named":
            return "named" if len(downs) == 1 else None
        if downs[0].startswith("prep:") and len(downs) == 1:
            return downs[0]
        if len(downs) == 2 and downs[0].startswith("prep:") and downs[1] == "poss":
            return downs[0] + ">poss"
        return ">".join(downs)
    is_verb = t.pos_ in ("VERB", "AUX")
    # h governs t: relative clause, participle, apposition, compound
    if not downs and len(ups) > 1 and ups[0] in ("^amod", "^acl", "^relcl") and all(u in ("^compound", "^appos") for u in ups[1:]):
        ups = ups[:1]  # "the Microsoft-backed startup OpenAI": the common noun names no one else
    if is_verb and not downs and ups[-1] == "^relcl" and len(ups) > 1 and all(u in _CONTROL_UP for u in ups[:-1]) \
            and not _has_subject(t) and any(c.lower_ in _WH and c.dep_ == "nsubj" for c in up_tokens[-1].children):
        return "nsubj"  # "Ryan Blue, who created Iceberg while working at Netflix"
    if not downs and len(ups) == 2 and ups[0] in ("^attr", "^oprd") and ups[1] == "^relcl" \
            and t.pos_ in ("NOUN", "PROPN") and any(c.lower_ in _WH and c.dep_ == "nsubj" for c in up_tokens[1].children):
        return "sup_subj:" + up_tokens[1].lemma_  # "Microsoft, which was CoreWeave's largest customer"
    if not downs:
        if len(ups) == 1:
            u = ups[0]
            if u == "^relcl" and is_verb:
                for c in t.children:
                    if c.lower_ in _WH and c.dep_ in ("nsubj", "nsubjpass", "dobj"):
                        return c.dep_
                    if c.lower_ in ("where", "when", "why", "how") and c.dep_ == "advmod":
                        # "Google, where he had run search": the place, not the object
                        return "prep:at" if c.lower_ == "where" else None
                has_subj = any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
                return "dobj" if has_subj else "nsubj"
            if u in ("^acl", "^amod") and is_verb:
                return "nsubjpass" if t.tag_ == "VBN" else ("nsubj" if t.tag_ == "VBG" else None)
            return u
        return None
    if is_verb:
        if ups[0] == "^acl" and t.tag_ == "VBG" and downs == ["nsubj"] and len(ups) > 1 and all(
                u in _SUPPORT_UP or u in ("^prep:among", "^prep:as") for u in ups[1:]) \
                and up_tokens[0].head.tag_ in ("NNS", "NNPS"):
            return "nsubj"  # "X and Y are among the companies competing with Z"
        if t.tag_ == "VBG" and downs == ["nsubj"] and not _has_subject(t) and len(ups) >= 2 \
                and ups[0] == "^pcomp" and ups[1].startswith("^prep:") \
                and all(u.startswith("^prep:") or u in ("^advmod", "^advcl") for u in ups[1:]):
            return "nsubj"  # "Prior to joining X, Y was ...": the clause's subject did the joining
        if ups == ["^advcl"] and downs == ["nsubj"] and t.tag_ == "VBN" and not _has_subject(t):
            return "nsubjpass"  # "Founded in 2015 by X, OpenAI ...": the main subject underwent it
        k = 0
        infinitival = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        while k < len(ups) and (ups[k] in _CONTROL_UP or (infinitival and (
                ups[k] == "^acl" or ups[k] in _SUPPORT_UP or ups[k].startswith("^prep:")))):
            k += 1
        if infinitival and ups == ["^acl"] and downs == ["poss"]:
            return "nsubj"  # "X's plan to acquire Y"
        if k == len(ups) and k > 0 and downs == ["nsubj"] and not _has_subject(t):
            # "agreed to be bought by IBM": a passive infinitive passes on its patient
            return "nsubjpass" if any(c.dep_ == "auxpass" for c in t.children) else "nsubj"
        if k == len(ups) and k > 0 and downs == ["nsubjpass"] and not _has_subject(t):
            if up_tokens[-1].head.lemma_ in _RAISING and not any(c.dep_ == "auxpass" for c in t.children):
                return "nsubj"  # "X is expected to join Y": X does the joining
            return "nsubjpass" if up_tokens[-1].tag_ == "VBN" else None
        return None
    # noun trigger reached from a support verb's subject
    if downs in (["nsubj"], ["nsubjpass"]) and all(
            u in _SUPPORT_UP or u.startswith("^prep:") or (u == "^conj" and not _has_subject(tok))
            for u, tok in zip(ups, up_tokens)):
        verb = up_tokens[-1].head
        if len(ups) >= 2 and (ups[-1] in _FRAME_PREPS or (
                ups[-1] == "^prep:as" and not any(c.dep_ == "dobj" for c in verb.children))):
            # "Under the partnership with Y, X will ...", "X returned as chief executive"
            return "sup_subj:*"
        return "sup_subj:" + verb.lemma_
    # "took a stake in X": the parser often hangs the noun's preposition on the verb
    if (ups in (["^dobj"], ["^attr"], ["^oprd"], ["^acomp"]) or (len(ups) == 2 and ups[0] == "^pobj" and ups[1].startswith("^prep:"))) \
            and len(downs) == 1 and downs[0].startswith("prep:") and downs[0] != "prep:as" \
            and "^" + downs[0] != ups[-1]:
        # also "served as chief officer at X", "is a professor at X"
        return downs[0]
    # "The round was led by X": the passive of "X led the round"
    if ups == ["^nsubjpass"] and downs == ["agent"]:
        return "acl>agent"
    # "counts OpenAI and Meta among its customers"
    if ups == ["^pobj", "^prep:among"] and downs == ["dobj"]:
        return "incl_obj"
    # "puts Salesforce in direct competition with Microsoft"
    if ups == ["^pobj", "^prep:in"] and downs == ["dobj"] and up_tokens[-1].head.lemma_ in ("put", "place", "bring", "pit"):
        return "oprd_obj"
    # "with Nvidia and Salesforce among the other backers": the phrase's head holds the role
    if ups == ["^pobj", "^prep:among"] and not downs:
        return "appos"
    # "Perplexity's investors include Jeff Bezos": the role noun is the subject of "include"
    if ups == ["^nsubj"] and downs == ["dobj"] and up_tokens[-1].head.lemma_ in ("include", "be"):
        return "incl_obj"
    # "counts Nvidia as an investor", "named Jane Doe as its chief executive"
    if len(ups) == 2 and ups[0] == "^pobj" and ups[1] == "^prep:as" and downs == ["dobj"]:
        return "oprd_obj"
    # "Anthropic named AWS its cloud provider": the naming verb's object holds the role
    if ups == ["^oprd"] and downs == ["dobj"]:
        return "oprd_obj"
    return None


_GROUP_NOUNS = {"company", "firm", "startup", "lab", "giant", "group", "rival", "partner", "side", "business"}
_GROUP_SIZES = {"two": 2, "both": 2, "three": 3, "pair": 2, "duo": 2}


def _plural_groups(doc, mentions, coref) -> dict[int, list[tuple]]:
    """Return {sentence start: [(token, [mention indexes])]} for "the two companies".

    The members are the most recent distinct organizations named before the phrase,
    in its sentence or the two before it, as many as the phrase says (two, three,
    both, the pair).
    """
    out: dict[int, list[tuple]] = {}
    orgs = sorted((m["s"], idx) for idx, m in enumerate(mentions)
                  if m["type"] == _ORG and not m.get("virtual") and not m.get("fallback") and not m["agency"])
    if len(orgs) < 2:
        return out
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        for tok in sent:
            size = None
            if tok.tag_ == "NNS" and tok.lemma_.lower() in _GROUP_NOUNS:
                for c in tok.children:
                    if c.lower_ in _GROUP_SIZES and c.dep_ in ("nummod", "det", "predet", "amod"):
                        size = _GROUP_SIZES[c.lower_]
            elif tok.lower_ in ("pair", "duo") and any(c.lower_ == "the" for c in tok.children):
                size = 2
            if size is None:
                continue
            lo = sents[max(0, k - 2)].start
            first: dict[str, int] = {}
            for start, idx in reversed(orgs):
                if lo <= start < tok.i:
                    first.setdefault(mentions[idx]["name"], idx)
            # one corporate family counts once ("Google" and "Google Cloud")
            names = [n for n in first if not any(n != o and n.startswith(o + " ") for o in first)]
            if len(names) < size:
                continue
            # the most talked-about ones so far, the most recent breaking ties
            weight = {n: sum(1 for m in mentions[:] if m["name"] == n and m["s"] < tok.i) for n in names}
            for t_i, idx in coref:
                if t_i < tok.i and mentions[idx]["name"] in weight:
                    weight[mentions[idx]["name"]] += 1
            ranked = sorted(names, key=lambda n: (-weight[n], names.index(n)))[:size]
            out.setdefault(sent.start, []).append((tok, [first[n] for n in ranked]))
    return out


def _group_pairs(doc, sent, tok, trigs, groups, mentions, lexicon: Lexicon, out: dict) -> None:
    """Add symmetric relations among the members of "the two companies" filling a pair slot."""
    for g_tok, members in groups:
        a = arm(tok, g_tok)
        if a is None:
            continue
        for trig in trigs:
            if trig.predicate not in SYMMETRIC_PREDICATES or not _trigger_matches(tok, trig):
                continue
            if not _fills(trig, a[0], a[0], tok, lexicon) or negated(tok):
                continue
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    rel = _make(doc, sent, tok, trig, mentions, members[x], members[y], a[1] + 2, "coref", "coref")
                    if rel is not None:
                        _keep(out, rel)


def _coagent(tok, h) -> bool:
    """Return True if ``h`` is named in an "alongside X" / "along with X" phrase of verb ``tok``."""
    cur = h
    while cur.dep_ in ("conj", "compound", "appos", "flat") and cur.head.i != cur.i:
        cur = cur.head
    if cur.dep_ != "pobj":
        return False
    prep = cur.head
    if prep.lower_ == "alongside" and prep.head.i == tok.i:
        return True
    return prep.lower_ == "with" and prep.head.lower_ in ("along", "together") and prep.head.head.i == tok.i


def _coagents(tok, sent_args, arms: dict) -> None:
    """Let the partners in "X invested alongside Y and Z" fill X's slot of the verb."""
    if tok.pos_ not in ("VERB", "AUX"):
        return
    subj = next((a for a in arms.values() if a[0] in ("nsubj", "agent")), None)
    if subj is None:
        return
    for h, _, _ in sent_args:
        if _coagent(tok, h):
            arms[h.i] = (subj[0], subj[1] + 1)


def _has_subject(t) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in t.children)


# ---------------------------------------------------------------------------
# Negation, hedging, amounts, dates


def _clause_chain(t) -> list:
    """Return the trigger and the tokens governing it up to its clause's boundary."""
    chain = [t]
    cur = t
    while cur.head.i != cur.i:
        if cur.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            cur = cur.head  # "plans to acquire": the noun governs the infinitive
            chain.append(cur)
            continue
        if cur.dep_ in ("relcl", "appos", "acl", "amod", "compound", "poss", "nsubj", "nsubjpass", "parataxis"):
            break
        cur = cur.head
        chain.append(cur)
    return chain


_UNDONE_PARTICLES = {"off", "through", "apart"}


def _undone(chain) -> bool:
    """Return True if the clause says the deal came to nothing.

    "The purchase of X is off", "the deal fell through", "tried to acquire X but was
    rebuffed": the trigger's phrase is the subject of a verb that undoes it, or a
    "but" clause coordinated with the trigger's undoes it.
    """
    top = chain[-1]
    if top.dep_ in ("nsubj", "nsubjpass"):
        verb = top.head
        if verb.lemma_ in _NEG_LEMMAS or verb.lemma_ in ("fall", "unravel", "stall", "die", "sink", "founder"):
            if verb.lemma_ != "fall" or any(c.lower_ in _UNDONE_PARTICLES for c in verb.children):
                return True
        if verb.lemma_ in ("be", "call") and any(c.lower_ in _UNDONE_PARTICLES and c.dep_ in ("advmod", "prt", "acomp", "prep")
                                                  for c in verb.children):
            return True
    for tok in chain:
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        for c in tok.children:
            if c.dep_ == "conj" and c.i > tok.i and (c.lemma_ in _NEG_LEMMAS or c.lemma_ == "rebuff") and any(
                    x.lower_ in ("but", "only") for x in tok.doc[tok.i:c.i]):
                return True
    return False


def negated(t) -> bool:
    """Return True if the trigger's clause negates it ("did not", "denied", "no plans to")."""
    chain = _clause_chain(t)
    if _undone(chain):
        return True
    for tok in chain:
        if tok.lemma_ in _NEG_LEMMAS and tok.i != t.i:
            return True
        if tok.lemma_ == "rule" and any(c.lower_ == "out" for c in tok.children):
            return True
        if tok.lemma_ in _DIVEST_LEMMAS and t.lemma_ in _HOLDING_NOUNS and tok.i != t.i:
            return True  # "sold its stake in X"
        for c in tok.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in ("no", "neither")):
                return True
            if c.dep_ == "advmod" and c.lower_ in ("never", "not"):
                return True
            if c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children):
                return True  # "is no longer an investor"
    doc = t.doc
    for k in range(max(t.sent.start, t.i - 4), t.i):
        if doc[k].lower_ in ("without", "instead") or (doc[k].lower_ == "than" and doc[k - 1].lower_ == "rather"):
            return True
    return False


def hedged(t) -> bool:
    """Return True if the trigger is reported as possible, planned or alleged, not as fact."""
    chain = _clause_chain(t)
    for tok in chain:
        if tok.lemma_ in _HEDGE_LEMMAS and tok.i != t.i:
            return True
        for c in tok.children:
            if c.dep_ in ("aux", "advmod", "amod") and c.lemma_ in _HEDGE_LEMMAS:
                return True
    low = t.sent.text.lower()
    return any(ph in low for ph in _HEDGE_PHRASES)


def _attached(ent, chain_ids: set[int]) -> bool:
    root = ent.root
    for a in [root, *root.ancestors]:
        if a.i in chain_ids:
            return True
        if a.pos_ in ("VERB", "AUX") and a.i not in chain_ids:
            return False
    return False


_SENT_ENTS = "aikg_sent_ents"


def _amount_and_date(t, sent) -> tuple[str | None, str | None]:
    chain = _clause_chain(t)
    ids = {c.i for c in chain}
    amount = date = None
    cached = t.doc.user_data.get(_SENT_ENTS)
    for ent in (cached.get(sent.start, []) if cached is not None else sent.ents):
        if ent.label_ == "MONEY" and amount is None and _attached(ent, ids):
            amount = ent.text
        elif ent.label_ == "DATE" and date is None and _attached(ent, ids):
            date = ent.text
    return amount, date


# ---------------------------------------------------------------------------
# Extraction


_SOURCE_FACTOR = {"gaz": 1.0, "short": 0.95, "ner": 0.9, "desc": 0.9, "coref": 0.85, "np": 0.8}


def _confidence(weight: float, steps: int, src_a: str, src_b: str, hedge: bool) -> float:
    """Score a relation mention.

    ``weight`` is the trigger's strength from the lexicon (0-1); each dependency step
    beyond the shortest two costs 7%; each argument found by NER rather than the
    gazetteer, or through coreference, costs 5-15%; a hedge halves the score.
    """
    c = weight * (1.0 - 0.07 * max(0, steps - 2))
    c *= _SOURCE_FACTOR.get(src_a, 0.85) * _SOURCE_FACTOR.get(src_b, 0.85)
    if hedge:
        c *= 0.5
    return round(max(0.01, min(0.99, c)), 3)


def _trigger_matches(tok, trig: Trigger) -> bool:
    if trig.needs_funding_object and not any(
            c.dep_ in ("dobj", "nsubjpass") and (_funding_noun(c) or any(_funding_noun(g) for g in c.conjuncts))
            for c in tok.children):
        return False  # "took $13 billion from Microsoft", never "took market share from Intel"
    if trig.with_words:
        near = {c.lower_ for c in tok.children} | {c.lower_ for c in tok.lefts}
        if tok.i > 0:
            near.add(tok.doc[tok.i - 1].lower_)
        if not (near & trig.with_words):
            return False
    if trig.without_words:
        near = {c.lower_ for c in tok.children}
        if tok.i > 0:
            near.add(tok.doc[tok.i - 1].lower_)
        if near & trig.without_words:
            return False
    return True


def _coarse_pos(tok) -> str:
    if tok.pos_ in ("VERB", "AUX"):
        return "VERB"
    if tok.pos_ in ("NOUN", "PROPN"):
        return "NOUN"
    if tok.pos_ == "ADJ":
        return "ADJ"
    return tok.pos_


def extract(doc, mentions: list[dict], coref: list[list[int]], lexicon: Lexicon) -> list[dict]:
    """Return the relation mentions a parsed, entity-tagged doc states.

    Args:
        doc: the spaCy Doc.
        mentions: entity mentions (:func:`ingest.entities.find_mentions`).
        coref: ``[token, mention]`` links (:func:`ingest.coref.resolve`).
        lexicon: the trigger lexicon.

    Returns:
        Plain dicts: ``s``/``o`` (mention indexes), ``p`` (predicate), ``c``
        (confidence), ``h`` (hedged), ``ss``/``se`` (sentence char offsets), ``amount``,
        ``date``; deduplicated per sentence.
    """
    _add_fallback_names(doc, mentions)
    args: dict[int, tuple[int, str]] = {}
    for idx, m in enumerate(mentions):
        if m.get("virtual"):
            continue
        span = doc[m["s"]:m["e"]]
        # every token attached outside the span is an entry point: the small model
        # often hangs "GSB Mortgage, Inc." on the verb by "Inc." rather than by its root
        for t in span:
            if t.i == span.root.i or not (m["s"] <= t.head.i < m["e"]):
                args.setdefault(t.i, (idx, m["src"]))
    for tok_i, idx in coref:
        args.setdefault(tok_i, (idx, "coref"))
    coref_tokens = {t for t, _ in coref}
    out: dict[tuple, dict] = {}
    # arguments and named-entity spans bucketed by sentence in one pass: filtering the
    # whole doc per sentence is quadratic, and a book-length article has 10,000 sentences
    by_sent: dict[int, list] = {}
    for i, (idx, src) in args.items():
        by_sent.setdefault(doc[i].sent.start, []).append((doc[i], idx, src))
    ents_by_sent: dict[int, list] = {}
    for ent in doc.ents:
        ents_by_sent.setdefault(ent.sent.start, []).append(ent)
    doc.user_data[_SENT_ENTS] = ents_by_sent
    funding_ctx: dict = {}
    groups = _plural_groups(doc, mentions, coref)
    for k_sent, sent in enumerate(doc.sents):
        funding_ctx["sent_index"] = k_sent
        sent_args = by_sent.get(sent.start, [])
        if not sent_args and not groups.get(sent.start):
            continue
        for tok in sent:
            trigs = lexicon.by_lemma.get((tok.lemma_.lower(), _coarse_pos(tok)))
            if not trigs or (len(sent_args) < 2 and not groups.get(sent.start)):
                continue
            arms = {}
            for h, idx, src in sent_args:
                if h.dep_ == "compound" and h.head.i in coref_tokens and h.head.i != tok.i:
                    continue  # "the Claude developer will run ...": Claude only names the description
                a = arm(tok, h)
                if a is not None:
                    arms[h.i] = a
            if groups.get(sent.start):
                _group_pairs(doc, sent, tok, trigs, groups[sent.start], mentions, lexicon, out)
            for hi, (lab, _) in list(arms.items()):
                owned = doc[hi].head.i
                if lab.endswith(">poss") and owned in arms and arms[owned][0] == lab[:-len(">poss")]:
                    del arms[hi]  # "compete with Alphabet's Google": Google fills the slot, not Alphabet
            if len(arms) < 2:
                continue
            _coagents(tok, sent_args, arms)
            neg = None
            for trig in trigs:
                if not _trigger_matches(tok, trig):
                    continue
                # "X and Y compete with Z": with the object slot filled, the coordinated
                # subjects are not each other's partners or rivals
                paired = not any(a[0] in trig.obj for a in arms.values())
                for h1, i1, src1 in sent_args:
                    a1 = arms.get(h1.i)
                    if a1 is None:
                        continue
                    for h2, i2, src2 in sent_args:
                        a2 = arms.get(h2.i)
                        if a2 is None or i1 == i2 or h1.i == h2.i:
                            continue
                        if not _fills(trig, a1[0], a2[0], tok, lexicon) or (a1[0] == a2[0] and not paired):
                            continue
                        if neg is None:
                            neg = negated(tok)
                        if neg:
                            continue
                        s_idx, o_idx = (i2, i1) if trig.invert else (i1, i2)
                        rel = _make(doc, sent, tok, trig, mentions, s_idx, o_idx, a1[1] + a2[1], src1, src2)
                        if rel is not None:
                            _keep(out, rel)
        _round_participants(doc, sent, sent_args, mentions, out, funding_ctx)
        _possessive_develops(doc, sent, sent_args, mentions, out)
        _title_relations(doc, sent, sent_args, mentions, lexicon, out)
        _implicit_roles(doc, sent, sent_args, mentions, lexicon, out)
        _succession(doc, sent, sent_args, mentions, out)
    _anaphoric_partnerships(doc, mentions, out)
    _expand_lists(doc, mentions, out)
    # one mention per (names, predicate, sentence): the same entity named twice in a
    # sentence gives two mention indexes but one fact
    best: dict[tuple, dict] = {}
    for r in out.values():
        names = (mentions[r["s"]]["name"], mentions[r["o"]]["name"])
        if r["p"] in SYMMETRIC_PREDICATES:
            names = tuple(sorted(names))
        key = (names, r["p"], r["ss"])
        if key not in best or r["c"] > best[key]["c"]:
            best[key] = r
    named = lambda r: (mentions[r["s"]]["name"], mentions[r["o"]]["name"], r["ss"])  # noqa: E731
    sued = {(frozenset(named(r)[:2]), r["ss"]) for r in best.values() if r["p"] == "sues"}
    # a lawsuit is a sues relation; the accusations its sentence reports are not a second fact
    best = {k: r for k, r in best.items()
            if not (r["p"] == "disputesWith" and (frozenset(named(r)[:2]), r["ss"]) in sued)}
    made = {named(r)[:2] for r in best.values() if r["p"] == "develops"}
    # a developer putting its own model to work is not a user of it ("Google is folding
    # its Gemini models into Workspace": Workspace uses Gemini, Google develops it)
    best = {k: r for k, r in best.items() if not (r["p"] == "uses" and named(r)[:2] in made)}
    leads = {named(r) for r in best.values() if r["p"] in ("leads", "founded")}
    # a leader or founder is also on staff; saying so again adds nothing
    doc.user_data.pop(_SENT_ENTS, None)
    return [r for r in best.values() if not (r["p"] == "worksFor" and named(r) in leads)]


# Predicates whose arguments may be names that neither the gazetteer nor NER found:
# biographies and company profiles name small firms no model knows ("Airstream is a
# subsidiary of Thor Industries"). News-only predicates keep to recognized names.
_FALLBACK_PREDICATES = {"leads", "founded", "subsidiaryOf", "worksFor"}
_NOT_NAMES = {"GPE", "LOC", "DATE", "TIME", "NORP", "FAC", "EVENT", "LAW", "LANGUAGE", "MONEY",
              "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL", "WORK_OF_ART", "PRODUCT"}
_NOT_NAME_WORDS = {
    "inc", "incorporated", "corp", "corporation", "ltd", "limited", "llc", "plc", "gmbh", "ag", "sa",
    "s.a.s", "co", "company", "companies", "lp", "llp", "nv", "bv", "se", "pvt", "group", "holdings",
    "nyse", "nasdaq", "tsx", "hkse", "lse", "asx", "subsidiary", "subsidiaries", "division", "unit",
    "chairman", "chairwoman", "chair", "president", "director", "ceo", "cto", "cfo", "coo", "founder",
    "officer", "vice", "chief", "executive", "manager", "partner", "member", "board", "counsel",
    "general", "senior", "head", "usa", "us", "uk", "mr", "mrs", "ms", "dr",
}


def lexicon_nouns(word: str) -> bool:
    """Return True if ``word`` is a role or relation noun of the packaged lexicon."""
    if word not in _LEX_NOUNS_CACHE:
        _LEX_NOUNS_CACHE[word] = (word, "NOUN") in load_lexicon().by_lemma
    return _LEX_NOUNS_CACHE[word]


_LEX_NOUNS_CACHE: dict[str, bool] = {}
_TITLE_WORDS = {
    "professor", "assistant", "adjunct", "associate", "director", "chairman", "chairwoman", "president",
    "executive", "non-executive", "officer", "operations", "manager", "founder", "counsel", "vice",
    "chief", "head", "senior", "instructor", "master", "member", "mr", "mrs", "ms", "dr", "ceo",
}
_NAME_DEPS = ("nsubj", "nsubjpass", "pobj", "dobj", "appos", "attr", "conj")


def _add_fallback_names(doc, mentions: list[dict]) -> None:
    """Append ``fallback`` Organization mentions for unrecognized proper-noun phrases.

    Only a phrase of capitalized proper nouns in an argument position (subject, object,
    object of a preposition), outside every mention and every non-organization entity,
    qualifies; it may fill only the slots of :data:`_FALLBACK_PREDICATES`, and is listed
    as an entity only if a relation uses it.
    """
    taken = set()
    for m in mentions:
        taken.update(range(m["s"], m["e"]))
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.i in taken or tok.dep_ not in _NAME_DEPS or tok.ent_type_ in _NOT_NAMES \
                or not tok.text[:1].isupper():
            continue
        start = tok.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head.i == tok.i \
                and doc[start - 1].dep_ in ("compound", "nmod", "amod") and doc[start - 1].i not in taken \
                and doc[start - 1].ent_type_ not in _NOT_NAMES and doc[start - 1].text[:1].isupper():
            start -= 1
        if tok.i == tok.sent.start and start == tok.i and tok.text.isalpha() and not tok.text.isupper() \
                and tok.lower_ in ("the", "a", "it", "he", "she", "they", "this"):
            continue
        span = doc[start:tok.i + 1]
        if any(t.i in taken for t in span):
            continue
        words = [w.lower_.strip(".") for w in span]
        if all(w in _NOT_NAME_WORDS or lexicon_nouns(w) for w in words) or words[-1] in _NOT_NAME_WORDS \
                or any(w in _TITLE_WORDS for w in words) or (len(words) == 1 and tok.i > 0 and doc[tok.i - 1].pos_ == "PROPN"):
            continue  # "Chairman", "LLC", "(NYSE: ...)": a title, suffix or exchange, not a name
        taken.update(range(span.start, span.end))
        if len(span) == 1 and span.end + 1 < len(doc) and doc[span.end].lower_ in ("and", "&"):
            nxt = next((m for m in mentions if m["s"] == span.end + 1 and m["type"] == _PER and m["e"] - m["s"] >= 2), None)
            surname = any(m["type"] == _PER and m["name"].split()[-1] == span.text for m in mentions)
            if nxt is not None and not surname:
                # "siblings Dario and Daniela Amodei": a first name sharing the surname
                mentions.append({"s": span.start, "e": span.end, "name": f"{span.text} {doc[nxt['e'] - 1].text}",
                                 "type": _PER, "qid": None, "src": "ner", "agency": False})
                continue
        mentions.append({"s": span.start, "e": span.end, "name": span.text, "type": _ORG, "qid": None,
                         "src": "np", "agency": False, "fallback": True})


# Support verbs whose coordinated subjects do the same thing side by side, not together:
# "A, B and C co-led the deal" makes them co-investors, not partners
_NOT_PAIRING = {"lead", "co-lead", "join", "participate", "take", "raise", "secure", "close", "land",
                "acquire", "buy", "own", "hold", "file", "bring", "lodge", "sue", "face", "plan", "seek",
                "explore", "consider"}


def _fills(trig: Trigger, arm1: str, arm2: str, tok, lexicon: Lexicon) -> bool:
    """Return True if arm1 fills the trigger's subject slot and arm2 its object slot."""
    def ok(arm_label: str, allowed: frozenset[str]) -> bool:
        if arm_label in allowed:
            return True
        if arm_label.startswith("sup_subj:"):
            verb = arm_label.split(":", 1)[1]
            return "sup_subj" in allowed and (verb == "*" or verb in lexicon.support_verbs)
        return False

    if arm1 == arm2:
        # "OpenAI and Microsoft have a partnership": both fill the support verb's subject
        return arm1 in trig.pair or (arm1.startswith("sup_subj:") and "sup_subj" in trig.pair
                                     and arm1.split(":", 1)[1] in lexicon.support_verbs
                                     and arm1.split(":", 1)[1] not in _NOT_PAIRING)
    if not (ok(arm1, trig.subj) and ok(arm2, trig.obj)):
        return False
    # a possessor fills the subject slot of a noun itself ("Y's investment in Z"): the
    # support verb's subject is then someone else ("X criticized Y's investment in Z")
    if arm1.startswith("sup_subj") and "poss" in trig.subj and any(c.dep_ == "poss" for c in tok.children):
        return False
    return True


def _make(doc, sent, tok, trig: Trigger, mentions, s_idx: int, o_idx: int, steps: int,
          src1: str, src2: str) -> dict | None:
    subj, obj = mentions[s_idx], mentions[o_idx]
    if subj["name"] == obj["name"]:
        return None
    if (subj.get("fallback") or obj.get("fallback")) and trig.predicate not in _FALLBACK_PREDICATES:
        return None
    dom, rng = SIGNATURES[trig.predicate]
    if trig.predicate in _METONYMIC:
        # "Microsoft's Azure cloud will remain the provider": the product stands for its maker
        if subj["type"] in (_PRD, _MOD):
            owner = _product_owner(doc, sent, mentions, s_idx, doc._.aikg_coref or ())
            if owner is not None:
                s_idx, subj = owner, mentions[owner]
        if obj["type"] in (_PRD, _MOD) and trig.predicate in SYMMETRIC_PREDICATES:
            owner = _product_owner(doc, sent, mentions, o_idx, doc._.aikg_coref or ())
            if owner is not None:
                o_idx, obj = owner, mentions[owner]
    if subj["name"] == obj["name"]:
        return None
    if trig.predicate == "acquires" and not obj.get("virtual"):
        root = doc[obj["s"]:obj["e"]].root
        if root.dep_ in ("compound", "nmod") and root.head.pos_ == "NOUN" and root.head.text.islower() \
                and root.head.lemma_ not in ("company", "startup", "firm", "business", "unit", "maker"):
            return None  # "buys Nvidia hardware": the goods, not the company
    if trig.predicate in ("founded", "leads", "worksFor") and subj["type"] == _ORG and not subj.get("virtual"):
        root = doc[subj["s"]:subj["e"]].root
        if root.dep_ in ("compound", "poss", "nmod") and root.head.lemma_ in _STAFF and root.head.pos_ == "NOUN":
            return None  # "founded by OpenAI researchers": people founded it, not OpenAI
    # NER tags unfamiliar company names as people ("Activision Blizzard"); a slot that only
    # an organization can fill settles it, for names the gazetteer does not know
    for m in (subj, obj):
        slot = dom if m is subj else rng
        if m.get("fallback") and _ORG not in slot and _PER in slot and " " in m["name"].strip():
            m["type"] = _PER  # an unrecognized two-word name in a person-only slot ("Laurent Kratz is the CEO")
        if m["type"] == _PER and m["src"] == "ner" and _PER not in slot and _ORG in slot \
                and len(m["name"].split()) > 1:
            for other in mentions:
                if other["name"] == m["name"] and other["src"] == "ner":
                    other["type"] = _ORG  # every mention of the name, so the entity has one type
        elif m["type"] == _ORG and m["src"] == "ner" and slot == {_PER} and _ORG in (rng if m is subj else dom) \
                and " " not in m["name"] and m["name"][:1].isupper() and m["name"][1:].islower():
            # and a lone surname or first name ("Sidhu served as ...") as a company: a
            # person-only slot, filled opposite an organization, settles that too
            for other in mentions:
                if other["name"] == m["name"] and other["src"] == "ner":
                    other["type"] = _PER
    if obj["type"] == _ORG and obj["src"] == "ner" and _ORG not in rng and _PRD in rng:
        root = doc[obj["s"]:obj["e"]].root
        if root.dep_ in ("compound", "nmod", "amod") and root.head.lemma_.lower() in _PRODUCT_NOUNS:
            for other in mentions:
                if other["name"] == obj["name"] and other["src"] == "ner":
                    other["type"] = _PRD  # "the Terraform infrastructure software": NER said ORG
    if subj["type"] not in dom or obj["type"] not in rng:
        if trig.predicate in SYMMETRIC_PREDICATES and obj["type"] in dom and subj["type"] in rng:
            subj, obj, s_idx, o_idx = obj, subj, o_idx, s_idx
        else:
            return None
    if subj["agency"] or obj["agency"]:
        return None
    hedge = hedged(tok)
    amount, date = _amount_and_date(tok, sent)
    return {
        "s": s_idx, "o": o_idx, "p": "worksFor" if trig.predicate == "leads" and _unit_head(tok) else trig.predicate,
        "c": _confidence(trig.weight, steps, src1, src2, hedge), "h": hedge,
        "ss": sent.start_char, "se": sent.end_char, "amount": amount, "date": date,
        "trigger": tok.text, "ti": tok.i,
    }


def _unit_head(tok) -> bool:
    """Return True for the head of a unit rather than the company ("services chief")."""
    return tok.pos_ == "NOUN" and any(
        c.dep_ == "compound" and c.pos_ == "NOUN" and c.text.isalpha() and c.text.islower()
        and c.lower_ not in _TITLE_GLUE and not lexicon_nouns(c.lower_) for c in tok.children)


_METONYMIC = {"suppliesTo", "competesWith"}


def _product_owner(doc, sent, mentions, p_idx: int, coref=()) -> int | None:
    """Return the mention of the organization that owns a product mention, if the text says.

    The owner is the possessor of the product's phrase ("Microsoft's Azure cloud") or an
    organization whose name begins the product's name ("Amazon Bedrock"), mentioned in
    the same sentence.
    """
    m = mentions[p_idx]
    root = doc[m["s"]:m["e"]].root
    head = root.head if root.dep_ == "compound" else root
    for c in [*root.children, *head.children]:
        if c.dep_ == "poss":
            for idx, o in enumerate(mentions):
                if o["type"] == _ORG and not o.get("virtual") and o["s"] <= c.i < o["e"]:
                    return idx
            for t_i, idx in coref:
                if t_i == c.i and mentions[idx]["type"] == _ORG:
                    return idx  # "Microsoft, whose GitHub Copilot ..."
    for idx, o in enumerate(mentions):
        if o["type"] == _ORG and not o.get("virtual") and sent.start <= o["s"] < sent.end \
                and m["name"].startswith(o["name"] + " "):
            return idx
    return None


def _keep(out: dict, rel: dict) -> None:
    """Keep one mention per (pair, predicate, sentence), the most confident."""
    pair = (rel["s"], rel["o"])
    if rel["p"] in SYMMETRIC_PREDICATES:
        pair = tuple(sorted(pair))
    key = (pair, rel["p"], rel["ss"])
    old = out.get(key)
    if old is None or rel["c"] > old["c"]:
        out[key] = rel


_LIST_GLUE = {",", "and", "or", "as well as"}
# Relations read from the surface next to one name ("OpenAI chief executive Sam Altman")
# say nothing about the other members of a list that name starts
_LOCAL_TRIGGERS = {"title", "'s"}


def _lists(doc, mentions) -> dict[int, int]:
    """Return {mention index: list id} for names coordinated in the text ("A, B and C").

    A list is a run of named mentions of one type separated only by commas, with "and"
    or "or" before its last member. It is read from the surface, not the parse: the
    small model splits long lists ("with Cisco, AMD and Fujitsu also taking part").
    """
    named = sorted((m["s"], m["e"], idx) for idx, m in enumerate(mentions)
                   if not m.get("virtual") and m["e"] > m["s"])
    groups: list[list[int]] = []
    run: list[int] = []
    prev = None
    for s, e, idx in named:
        if prev is not None:
            ps, pe, pidx = prev
            glue = doc[pe:s]
            words = [t.lower_ for t in glue if not t.is_space]
            ok = 0 < len(words) <= 3 and all(w in (",", "and", "or") for w in words) \
                and mentions[pidx]["type"] == mentions[idx]["type"] and doc[pe - 1].sent.start == doc[s].sent.start \
                and not (pe < len(doc) and doc[pe].tag_ == "POS")
            if ok:
                if not run:
                    run = [pidx]
                run.append(idx)
                if "and" in words or "or" in words:
                    groups.append(run)
                    run = []
                prev = (s, e, idx)
                continue
            run = []
        prev = (s, e, idx)
    out = {}
    for gid, g in enumerate(groups):
        # "A, B and C's chips": a possessive after the last name belongs to that name alone
        last = mentions[g[-1]]
        if last["e"] < len(doc) and doc[last["e"]].tag_ == "POS":
            g = g[:-1]
        if len(g) >= 2:
            for idx in g:
                out[idx] = gid
    return out


def _describes_member(doc, tok, member_ids, mentions) -> bool:
    """Return True if ``tok`` sits in a relative clause or apposition hung on a list member."""
    inside = {i for idx in member_ids for i in range(mentions[idx]["s"], mentions[idx]["e"])}
    for a in [tok, *tok.ancestors]:
        if a.dep_ in ("relcl", "acl", "appos") and a.head.i in inside:
            # "A and B, the co-founders of X" / "A and B, which are backed by X": plural
            # agreement says the clause is about the whole list
            plural = a.tag_ in ("NNS", "NNPS") if a.dep_ == "appos" else any(
                x.tag_ == "VBP" or x.lower_ in ("are", "were") for x in [a, *a.children])
            return not plural
    return False


def _expand_lists(doc, mentions, out: dict) -> None:
    """Give every member of a coordinated list the relations one member has in its sentence.

    The parser attaches only some members of a long list to the verb ("Dell and
    Supermicro supplied the servers"); the others fill the same slot. A member that has
    its own relation of the predicate in the slot keeps it, and no relation is copied
    onto a pair inside one list ("A and B partnered").
    """
    lists = _lists(doc, mentions)
    if not lists:
        return
    members: dict[int, list[int]] = {}
    for idx, gid in lists.items():
        members.setdefault(gid, []).append(idx)
    for rel in list(out.values()):
        if rel.get("trigger") in _LOCAL_TRIGGERS:
            continue
        for slot in ("s", "o"):
            gid = lists.get(rel[slot])
            other = rel["o" if slot == "s" else "s"]
            if gid is None or lists.get(other) == gid:
                continue
            if rel.get("ti") is not None and _describes_member(doc, doc[rel["ti"]], members[gid], mentions):
                continue  # "A, B and C, which is backed by X": the clause is about C alone
            span_lo = min(mentions[i]["s"] for i in members[gid])
            span_hi = max(mentions[i]["e"] for i in members[gid])
            if rel.get("ti") is not None and span_lo <= rel["ti"] < span_hi:
                continue  # "A, its subsidiary B, and C": the trigger describes one member
            for idx in members[gid]:
                if idx == rel[slot] or mentions[idx]["name"] == mentions[other]["name"]:
                    continue
                taken = any(r["p"] == rel["p"] and r["ss"] == rel["ss"] and r[slot] == idx
                            for r in out.values())
                if taken:
                    continue
                _keep(out, {**rel, slot: idx, "c": round(rel["c"] * 0.9, 3)})


_ALLIANCE_NOUNS = {"partnership", "alliance", "collaboration", "tie-up"}
_PAIR_PREDICATES = ("investsIn", "partnersWith", "disputesWith", "suppliesTo")
_RENEW_VERBS = {"extend", "expand", "deepen", "renew", "broaden", "strengthen", "renegotiate"}


def _anaphoric_partnerships(doc, mentions, out: dict) -> None:
    """Add partnersWith for "the partnership" / "their alliance" naming no partner itself.

    The partners are the two organizations of the latest investment, partnership,
    dispute or supply relation stated before the noun, in its sentence or the previous one ("Microsoft
    is making an investment in OpenAI, extending a partnership that began in 2019").
    """
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        if any(r["p"] == "partnersWith" and r["ss"] == sent.start_char for r in out.values()):
            continue
        for tok in sent:
            if tok.lemma_.lower() not in _ALLIANCE_NOUNS or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            definite = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "their", "this", "that")
                           for c in tok.children)
            renewed = tok.head.lemma_ in _RENEW_VERBS or any(
                c.dep_ == "amod" and c.lemma_ in ("expand", "expanded", "deepen", "renew", "extend", "longstanding")
                for c in tok.children)
            if not (definite or renewed) or any(c.dep_ == "prep" and c.lower_ in ("with", "between") for c in tok.children):
                continue
            if negated(tok):
                continue
            lo = sents[k - 1].start_char if k > 0 else sent.start_char
            near = [r for r in out.values() if r["p"] in _PAIR_PREDICATES and lo <= r["ss"] <= sent.start_char
                    and mentions[r["s"]]["type"] == _ORG and mentions[r["o"]]["type"] == _ORG
                    and not r["h"] and (r["ss"] < sent.start_char
                                        or max(mentions[r["s"]]["s"], mentions[r["o"]]["s"]) < tok.i)]
            if not near:
                continue
            last = max(near, key=lambda r: (r["ss"], -r["c"]))
            _keep(out, {
                "s": last["s"], "o": last["o"], "p": "partnersWith",
                "c": round(min(0.6, last["c"]) * 0.85, 3), "h": False,
                "ss": sent.start_char, "se": sent.end_char, "amount": None, "date": None,
                "trigger": tok.text,
            })
            break


_ROUND_NOUNS = {"round", "raise", "financing", "funding", "fundraise", "fundraising", "seed"}
# Verbs whose subject raises money when their object is an amount or a round
_RAISE_VERBS = {"raise", "secure", "close", "land", "receive", "complete", "bag", "net",
                "attract", "finalize", "finalise", "announce", "get"}
# Verbs that take money for many reasons: a round only when their object says so
_ROUND_ONLY_VERBS = {"announce", "receive", "get"}
_INVESTOR_NOUNS = {"investor", "backer", "shareholder", "funder", "participant", "co-investor"}
_LEAD_VERBS = {"lead", "co-lead", "colead", "anchor", "spearhead", "headline"}
_CO_INVESTOR_PREPS = {"alongside", "with"}


def _funding_noun(tok) -> bool:
    return tok.lemma_.lower() in _ROUND_NOUNS or tok.lower_ in ("million", "billion", "money", "capital", "cash") \
        or tok.ent_type_ == "MONEY"


def _raiser_in(sent, sent_args, mentions) -> tuple[int, str] | None:
    """Return the organization that the sentence says raised money ("X has raised $500 million")."""
    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in _RAISE_VERBS:
            continue
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        objs += [g for o in objs for g in o.conjuncts]
        if not any(_funding_noun(o) if tok.lemma_.lower() not in _ROUND_ONLY_VERBS else o.lemma_.lower() in _ROUND_NOUNS
                   for o in objs):
            continue
        if negated(tok):
            continue
        for h, idx, src in sent_args:
            a = arm(tok, h)
            if a is not None and a[0] == "nsubj" and mentions[idx]["type"] == _ORG and not mentions[idx]["agency"]:
                return idx, src
    return None


def _round_owner(rnd, by_tok) -> tuple[int, str] | None:
    for c in rnd.children:
        if c.dep_ == "poss":
            hit = by_tok.get(c.i) or next((by_tok[t.i] for t in c.subtree if t.i in by_tok), None)
            if hit is not None:
                return hit
    return None


def _add_investor(out, mentions, sent, tok, investor, target, weight: float, steps: int) -> None:
    """Keep investsIn(investor, target) from trigger ``tok`` unless the pair cannot hold it."""
    idx, src = investor
    if target is None or idx == target[0]:
        return
    m, t = mentions[idx], mentions[target[0]]
    if m["type"] not in (_ORG, _PER) or m.get("fallback") or m["agency"] or m["name"] == t["name"] \
            or t["type"] != _ORG:
        return
    hedge = hedged(tok)
    _keep(out, {
        "s": idx, "o": target[0], "p": "investsIn",
        "c": _confidence(weight, steps, src, target[1], hedge), "h": hedge,
        "ss": sent.start_char, "se": sent.end_char, "amount": None, "date": None,
        "trigger": tok.text,
    })


def _round_participants(doc, sent, sent_args, mentions, out, ctx: dict) -> None:
    """Add investsIn for investors of a round whose sentence names no company.

    "Thrive Capital led the financing", "the round, led by Thrive Capital", "Google,
    Amazon and Nvidia all invested", "with Cisco and AMD also taking part", "X and Y
    joined the round". The company raising is the possessor of the round ("joined the
    ChatGPT maker's latest round"), else the company the sentence says raised money,
    else the one the two sentences before it say raised money (``ctx`` carries it).
    """
    by_tok = {h.i: (idx, src) for h, idx, src in sent_args}
    raiser = _raiser_in(sent, sent_args, mentions)
    if raiser is not None:
        ctx["raiser"] = (raiser, sent.start_char, ctx.get("sent_index", 0))
    earlier_cache: list = []

    def earlier_raiser():
        """The latest company an earlier sentence (at most two back) says raised money."""
        if raiser is not None:
            return None
        if earlier_cache:
            return earlier_cache[0]
        # a company said to raise money wins over the objects of other investments
        # mentioned since ("Thrive Capital, the firm that has also backed OpenAI")
        cands = []
        if ctx.get("raiser") and ctx.get("sent_index", 0) - ctx["raiser"][2] <= 2:
            cands.append((ctx["raiser"][1], ctx["raiser"][0]))
        else:
            cands += [(r["ss"], (r["o"], "coref")) for r in out.values() if r["p"] == "investsIn"
                      and r["ss"] < sent.start_char and sent.start_char - r["se"] < 400]
        earlier_cache.append(max(cands, key=lambda c: c[0])[1] if cands else None)
        return earlier_cache[0]
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in _INVESTOR_NOUNS:
            continue
        target = raiser or earlier_raiser()
        if target is None:
            continue
        # "Nvidia, which is also an investor", "with A and B among the other backers":
        # an investor of the company the story says raised money, when the noun names none
        arms = [(arm(tok, h), idx, src) for h, idx, src in sent_args]
        if any(a is not None and a[0] in ("prep:in", "poss", "prep:of", "compound", "prep:into") for a, _, _ in arms):
            continue
        if any(c.dep_ == "poss" for c in tok.children) or negated(tok):
            continue
        for a, idx, src in arms:
            if a is None or not (a[0] in ("appos", "^appos", "incl_obj", "oprd_obj") or a[0].startswith("sup_subj:")):
                continue
            tgt = target
            if mentions[idx]["name"] == mentions[tgt[0]]["name"]:
                tgt = raiser or earlier_raiser()  # "A is an investor": A is the sentence's subject
            _add_investor(out, mentions, sent, tok, (idx, src), tgt, 0.65, a[1] + 1)
    for tok in sent:
        lem = tok.lemma_.lower()
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        preps = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "into") for g in c.children
                 if g.dep_ == "pobj"]
        arms_ok = ("nsubj",)
        if lem == "participate" or (lem == "take" and any(o.lower_ == "part" for o in objs)) \
                or (lem in ("invest", "co-invest", "chip") and not any(o.i in by_tok for o in objs)):
            rounds = [g for g in preps if g.lemma_.lower() in _ROUND_NOUNS]
            if preps and not rounds:
                continue  # "invested in AI": a field, not the round
        elif lem in ("join", "back") and objs and objs[0].lemma_.lower() in _ROUND_NOUNS:
            rounds = objs[:1]
        elif lem == "join" and not objs and not any(c.dep_ in ("prep", "agent") for c in tok.children):
            rounds = []  # "Nvidia, Samsung and IBM all joined", in a story about a round
        elif lem in ("put", "pour", "plow", "plough") and any(_funding_noun(o) for o in objs) \
                and not any(c.dep_ == "prep" and c.lower_ in ("into", "in") and any(g.dep_ == "pobj" for g in c.children)
                            for c in tok.children):
            rounds = []  # "Returning backers A and B put in more money"
        elif lem in _LEAD_VERBS and objs and objs[0].lemma_.lower() in _ROUND_NOUNS:
            rounds = objs[:1]
        elif lem in _LEAD_VERBS and tok.tag_ == "VBN" and tok.dep_ in ("acl", "relcl") \
                and tok.head.lemma_.lower() in _ROUND_NOUNS:
            rounds, arms_ok = [tok.head], ("agent",)  # "a round led by X"
        elif lem in _LEAD_VERBS and any(c.dep_ == "nsubjpass" and c.lemma_.lower() in _ROUND_NOUNS for c in tok.children):
            rounds, arms_ok = [c for c in tok.children if c.dep_ == "nsubjpass"], ("agent",)  # "the round was led by X"
        else:
            continue
        if negated(tok):
            continue
        target = None
        for r in rounds:
            target = _round_owner(r, by_tok) or target
        if target is None and rounds and any(c.dep_ == "poss" for r in rounds for c in r.children):
            continue  # "joined its round": an owner we cannot name
        if target is None:
            target = raiser or earlier_raiser()
        if target is None or mentions[target[0]]["type"] != _ORG:
            continue
        for h, idx, src in sent_args:
            a = arm(tok, h)
            if a is None and arms_ok == ("nsubj",) and tok.dep_ in ("pcomp", "advcl") and h.i < tok.i and \
                    any(c.dep_ == "prep" and c.lower_ == "with" and c.i < h.i for c in [tok.head, *tok.head.children]):
                a = ("nsubj", 2)  # "with Cisco, AMD and Fujitsu also taking part": the parser splits the list
            if a is not None and a[0] in arms_ok and a[1] <= 3:
                _add_investor(out, mentions, sent, tok, (idx, src), target, 0.7, a[1] + 1)


# Nouns that name what a product or model is ("OpenAI's GPT-4o model"), as opposed to
# what someone does with it ("Apple's ChatGPT integration")
_PRODUCT_NOUNS = {
    "tool", "model", "chatbot", "assistant", "app", "application", "service", "chip", "processor", "gpu",
    "accelerator", "family", "platform", "editor", "tool", "engine", "system", "software", "generator",
    "series", "line", "lineup", "feature", "cloud", "suite", "browser", "device", "phone", "smartphone",
    "headset", "glasses", "robot", "agent", "api", "product", "supercomputer", "cluster", "bot",
    "search", "database", "framework", "library", "language", "version", "release", "program",
    "programme", "offering", "tier", "subscription", "player", "camera", "laptop", "pc", "tablet",
    "speaker", "car", "vehicle", "architecture", "part", "card", "server", "superchip", "codec",
}


def _surface_possessor(doc, sent, m: dict, by_tok: dict, mentions=(), depth: int = 0):
    """Return the owner in "<Owner>'s [lowercase words] <M>", read from the surface.

    Returns the owner's (mention, source); False when another name or a list separator
    stands in between (the parse must not reach past it); None when nothing is said.
    """
    j = m["s"] - 1
    steps = 0
    while j >= sent.start and steps < 4:
        t = doc[j]
        if t.tag_ in ("WP$", "PRP$") and t.i in by_tok:
            return by_tok[t.i]  # "Microsoft, whose GitHub Copilot", "its Westlaw service"
        if t.tag_ == "POS" or t.lower_ in ("its", "their", "his", "her"):
            k = j - 1 if t.tag_ == "POS" else j
            if k < sent.start:
                return None
            return by_tok.get(k) or next((by_tok[x] for x in range(max(sent.start, k - 5), k + 1)
                                          if x in by_tok and doc[x].head.i == k
                                          and doc[x].dep_ in ("compound", "flat", "nmod", "amod")), None) or False
        if t.lower_ in ("and", "or") and steps == 0 and depth == 0 and j - 1 >= sent.start:
            # "OpenAI's GPT-4o and o1-preview": the possessor of the first name, shared
            prev = next((mm for mm in mentions if mm["e"] == j and not mm.get("virtual")), None)
            if prev is not None and prev["type"] in (_MOD, _PRD):
                got = _surface_possessor(doc, sent, prev, by_tok, mentions, depth=1)
                return ("shared", got) if got else False
            return False
        if t.text == "," and steps == 0 and doc[m["s"]:m["e"]].root.dep_ == "appos":
            return None  # "Its chatbot, Le Chat": the noun it is apposed to has the owner
        if t.is_punct or t.lower_ in ("and", "or") or t.i in by_tok or t.pos_ in ("VERB", "AUX", "ADP"):
            return False if (t.i in by_tok or t.text in (",", ";") or t.lower_ in ("and", "or")) else None
        j -= 1
        steps += 1
    return None


def _possessive_develops(doc, sent, sent_args, mentions, out) -> None:
    """Add develops(X, M) for "X's M" where M is a model or product ("OpenAI's GPT-4")."""
    by_tok = {h.i: (idx, src) for h, idx, src in sent_args}
    in_mention = {i for mm in mentions if not mm.get("virtual") for i in range(mm["s"], mm["e"])}
    for h, idx, src in sent_args:
        m = mentions[idx]
        if m["type"] == _ORG and m["src"] == "ner" and src != "coref":
            root = doc[m["s"]:m["e"]].root
            if root.dep_ == "compound" and root.head.pos_ == "NOUN" and root.head.lemma_.lower() in _PRODUCT_NOUNS \
                    and any(c.dep_ == "poss" for c in root.head.children):
                for other in mentions:
                    if other["name"] == m["name"] and other["src"] == "ner":
                        other["type"] = _PRD  # "whose Firefly models": NER said ORG
        if m["type"] in (_MOD, _PRD) and src == "coref" and h.pos_ == "NOUN":
            # "OpenAI's chatbot", resolved to ChatGPT: the possessor made it
            for c in h.children:
                hit = by_tok.get(c.i) if c.dep_ == "poss" else None
                if hit is not None and mentions[hit[0]]["type"] == _ORG and mentions[hit[0]]["name"] != m["name"]:
                    _keep(out, {
                        "s": hit[0], "o": idx, "p": "develops",
                        "c": _confidence(0.7, 2, hit[1], src, False), "h": False,
                        "ss": sent.start_char, "se": sent.end_char, "amount": None, "date": None,
                        "trigger": "'s",
                    })
        if m["type"] not in (_MOD, _PRD) or src == "coref":
            continue
        surf = _surface_possessor(doc, sent, m, by_tok, mentions)
        if surf and surf[0] == "shared":
            # a shared possessor, unless the name says its own maker ("GitHub Copilot")
            # or a clause of its own does ("..., which Microsoft sells")
            sharer = mentions[surf[1][0]]["name"]
            own = any(o["type"] == _ORG and not o.get("virtual") and o["name"] != sharer
                      and m["name"].startswith(o["name"] + " ") for o in mentions) \
                or any(c.dep_ == "relcl" for c in doc[m["s"]:m["e"]].root.children)
            if own:
                continue
            surf = surf[1]
        nxt = doc[m["s"]:m["e"]].root
        while nxt.dep_ in ("compound", "nmod", "amod") and nxt.head.pos_ in ("NOUN", "PROPN") \
                and m["e"] <= nxt.head.i < sent.end and nxt.head.i not in in_mention:
            nxt = nxt.head  # "its Lunar Lake laptop processors": the phrase's head noun decides
        if nxt.i >= m["e"] and nxt.pos_ == "NOUN" and nxt.text.isalpha() and nxt.text.islower() \
                and nxt.lemma_.lower() not in _PRODUCT_NOUNS:
            continue  # "Apple's ChatGPT integration": the possessor owns the integration
        if surf:
            o_idx, o_src = surf
            if mentions[o_idx]["type"] in (_ORG, _PER) and mentions[o_idx]["name"] != m["name"]:
                _keep(out, {
                    "s": o_idx, "o": idx, "p": "develops",
                    "c": _confidence(0.75, 2, o_src, src, False), "h": False,
                    "ss": sent.start_char, "se": sent.end_char, "amount": None, "date": None,
                    "trigger": "'s",
                })
            continue
        if surf is False and (h.dep_ != "conj" or any(
                o["type"] == _ORG and not o.get("virtual") and m["name"].startswith(o["name"] + " ")
                for o in mentions) or any(c.dep_ == "relcl" for c in doc[m["s"]:m["e"]].root.children)):
            continue  # "OpenAI's Codex and GitHub Copilot, which Microsoft sells": not OpenAI's
        while h.dep_ == "conj" and h.head.i != h.i:
            h = h.head  # "Nvidia's Grace Blackwell and Vera Rubin systems"
        owner = h.head if h.dep_ in ("compound", "nmod") else h
        while owner.dep_ == "conj" and owner.head.i != owner.i and owner.head.pos_ in ("NOUN", "PROPN"):
            owner = owner.head  # "... and Vera Rubin systems": the possessor sits on the first conjunct
        # "Gemini, Google's most capable model": the possessor of an apposed noun
        holders = [owner, *(c for c in owner.children if c.dep_ == "appos" and c.pos_ == "NOUN")]
        if owner.dep_ == "appos" and owner.head.pos_ == "NOUN" and owner.head.lemma_.lower() in _PRODUCT_NOUNS:
            holders.append(owner.head)  # "Its chatbot, Le Chat"
        if owner.dep_ == "pobj" and (owner.head.lower_ in ("including", "like") or (
                owner.head.lower_ == "as" and doc[owner.head.i - 1].lower_ == "such")) \
                and owner.head.head.pos_ == "NOUN" and owner.head.head.lemma_.lower() in _PRODUCT_NOUNS:
            holders.append(owner.head.head)  # "Runway's video tools, including Gen-3 Alpha"
        for c in (c for o in holders for c in o.children):
            if c.dep_ != "poss" or c.i not in by_tok:
                continue
            o_idx, o_src = by_tok[c.i]
            if mentions[o_idx]["type"] not in (_ORG, _PER) or mentions[o_idx]["name"] == m["name"]:
                continue
            _keep(out, {
                "s": o_idx, "o": idx, "p": "develops",
                "c": _confidence(0.75, 2, o_src, src, False), "h": False,
                "ss": sent.start_char, "se": sent.end_char, "amount": None, "date": None,
                "trigger": "'s",
            })


# Words that may sit inside a title between an organization and a name without being a
# role noun themselves ("Silo AI's chief executive and co-founder Peter Sarlin").
_TITLE_GLUE = {"and", "&", "chief", "senior", "executive", "vice", "interim", "acting", "co",
               "founding", "former", "then", "longtime", "general", "deputy", "principal",
               "lead", "staff", "technical", "technology", "research", "product", "operating",
               "financial", "science", "scientific", "managing", "global", "ai", "machine",
               "learning", "engineering", "its", "his", "her"}
_TITLE_PREDICATES = ("leads", "founded", "worksFor")
# Words that name a unit when they come right before "chief" or "head"
_UNIT_WORDS = {"research", "product", "technology", "engineering", "science", "ai", "policy", "design",
               "security", "safety", "hardware", "software", "cloud", "marketing", "sales", "finance",
               "communications", "legal", "operations", "strategy", "data", "infrastructure", "services",
               "gaming", "devices", "mobile", "consumer", "enterprise", "business", "news", "content"}


def _title_relations(doc, sent, sent_args, mentions, lexicon: Lexicon, out: dict) -> None:
    """Add role relations for the title construction "<Org>('s) <title> <Person>".

    The small model often mis-parses "Anthropic chief executive Dario Amodei" (the name of
    the company as an adjective), so this reads the surface order instead: a run of
    lowercase title words holding at least one role noun of the lexicon, directly between
    an organization (or a possessive pronoun resolved to one) and a person.
    """
    arg_at = {h.i: (idx, src) for h, idx, src in sent_args}
    starts = {}
    for h, idx, src in sent_args:
        if src != "coref":
            m = mentions[idx]
            starts[m["s"]] = (idx, src, m["e"])
    roots_done: dict[int, list] = {}
    for h, idx, src in sorted(sent_args, key=lambda a: a[0].i):
        m = mentions[idx]
        if m["type"] != _PER or src == "coref":
            continue
        roles, owner = _title_before(doc, sent, m["s"], arg_at, mentions, lexicon)
        if roles:
            # the title words right before the name are that person's alone: "Groq's
            # founder and chief executive Jonathan Ross, its president Sunny Madra"
            j = m["s"] - 1
            claimed = set()
            while j >= sent.start and m["s"] - j <= 6 and (doc[j].text.islower() or doc[j].text == "-"):
                if doc[j].tag_ not in ("NNS", "NNPS"):
                    claimed.add(j)  # "co-founders A and B": a plural role is shared
                j -= 1
            for key in [k for k, r in out.items() if r.get("ti") in claimed and r["p"] in _TITLE_PREDICATES
                        and mentions[r["s"]]["name"] != m["name"] and r["ss"] == sent.start_char]:
                del out[key]
        head_roles, head_owner = roots_done.get(h.head.i, ([], None)) if h.dep_ == "conj" else ([], None)
        if not roles and doc[m["s"] - 1].lower_ in ("and", ","):
            roles, owner = head_roles, head_owner  # "co-founders Imran Chaudhri and Bethany Bongiorno"
        elif roles and owner is None:
            owner = head_owner  # "Windsurf chief executive Varun Mohan, co-founder Douglas Chen"
        bare = False
        if roles and owner is None and not head_roles:
            # "Chief Executive Sam Altman said ...": a bare title in a story about one company
            owner = _salient_org(doc, mentions, doc._.aikg_coref or (), m["s"])
            bare = owner is not None
        roots_done[h.i] = (roles, owner if not bare else None)
        found = [(tr, owner[0], owner[1]) for tr in roles] if owner is not None else []
        for trig, o_idx, o_src in found:
            if mentions[o_idx]["name"] == m["name"]:
                continue
            _keep(out, {
                "s": idx, "o": o_idx, "p": trig.predicate,
                "c": _confidence(trig.weight * (0.7 if bare else 0.95), 2, src, o_src, False), "h": False,
                "ss": sent.start_char, "se": sent.end_char, "amount": None, "date": None,
                "trigger": "title",
            })


def _salient_org(doc, mentions, coref, before: int) -> tuple[int, str] | None:
    """Return the organization a bare title ("Chief Executive Jane Doe said") belongs to.

    In order: the one organization its sentence names before it; the organization that
    is its sentence's subject; else the story's clear topic (at least three mentions,
    names or resolved pronouns, and twice any other's). The sentence before is no
    guide: it is as often about investors or rivals as about the company.
    """
    sent = doc[before].sent
    usable = [(idx, m) for idx, m in enumerate(mentions) if m["type"] == _ORG and not m.get("virtual")
              and not m.get("fallback") and not m["agency"]]
    here = {m["name"]: idx for idx, m in usable if sent.start <= m["s"] < before}
    here.update({mentions[idx]["name"]: idx for t_i, idx in coref
                 if sent.start <= t_i < before and mentions[idx]["type"] == _ORG})
    if len(here) == 1:
        return next(iter(here.values())), "coref"  # "the MosaicML team, including co-founders A and B"
    for idx, m in usable:
        root = doc[m["s"]:m["e"]].root
        if sent.start <= m["s"] < before and root.dep_ in ("nsubj", "nsubjpass"):
            return idx, "coref"  # "Figure AI is ending its deal with OpenAI, founder X said"
    if here:
        return None
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for idx, m in usable:
        if m["s"] < before:
            counts[m["name"]] = counts.get(m["name"], 0) + 1
            first.setdefault(m["name"], idx)
    for t_i, idx in coref:
        if t_i < before and mentions[idx]["name"] in counts:
            counts[mentions[idx]["name"]] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 3 or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
        return None
    return first[ranked[0][0]], "coref"


def _title_before(doc, sent, start: int, arg_at: dict, mentions, lexicon: Lexicon) -> list:
    j = start - 1
    roles = []
    unit = False
    while j >= sent.start and start - j <= 6:
        t = doc[j]
        trigs = [tr for tr in lexicon.by_lemma.get((t.lemma_.lower(), "NOUN"), ())
                 if tr.predicate in _TITLE_PREDICATES and _trigger_matches(t, tr)]
        if trigs and t.lower_ in ("chief", "head") and j + 1 < start and doc[j + 1].pos_ in ("NOUN", "PROPN", "ADJ") \
                and doc[j + 1].is_alpha:
            trigs = []  # "chief scientist", "Chief Technology Officer": a modifier of the role that follows
        elif trigs and t.lower_ in ("chief", "head", "boss", "leader") and j - 1 >= sent.start \
                and doc[j - 1].lower_ in _UNIT_WORDS:
            # "research chief Bob McGrew": the head of a unit, on the company's staff
            trigs = [replace(tr, predicate="worksFor") if tr.predicate == "leads" else tr for tr in trigs]
        if trigs:
            roles.append((t, trigs))
        elif t.lower_ in ("its", "his", "her"):
            break
        elif roles and t.pos_ == "NOUN" and t.text.isalpha() and t.text.islower() and t.lower_ not in _TITLE_GLUE:
            unit = True  # "Apple's services chief": the head of a unit, on the company's staff
        elif not (t.lower_ in _TITLE_GLUE or t.text in ("-",)):
            break
        j -= 1
    if not roles:
        return [], None
    if unit:
        roles = [(t, [replace(tr, predicate="worksFor") if tr.predicate == "leads" else tr for tr in trigs])
                 for t, trigs in roles]
    seen = set()
    trig_list = []
    for t, trigs in roles:
        for tr in trigs:
            if tr.predicate not in seen:
                seen.add(tr.predicate)
                trig_list.append(tr)
    if j < sent.start:
        return trig_list, None
    org_tok = doc[j]
    if org_tok.tag_ in ("WP$", "PRP$") and org_tok.i not in arg_at:
        return [], None  # "whose chief executive X": an owner we could not resolve
    if org_tok.tag_ == "POS" and j - 1 >= sent.start:
        org_tok = doc[j - 1]
    owner = None
    for k, (idx, src) in arg_at.items():
        m = mentions[idx]
        if m["type"] != _ORG:
            continue
        if (src == "coref" and k == org_tok.i) or (src != "coref" and m["s"] <= org_tok.i < m["e"]):
            owner = (idx, src)
            break
    return trig_list, owner


# "X will serve as chief executive", "X becomes CEO", "the board named X interim CEO":
# the role's organization goes unsaid in the clause
_ROLE_COPULAS = {"become", "be", "remain", "stay", "name", "appoint", "make", "elect", "tap", "install",
                 "promote", "confirm", "reinstate"}
_ROLE_AS_VERBS = {"resign", "quit", "retire", "step", "leave", "depart", "remove", "oust", "fire", "depose", "serve", "act", "return", "join", "step", "take", "continue", "remain", "stay", "name",
                  "appoint", "install", "tap", "hire", "come", "start", "elect", "promote", "confirm",
                  "reinstate", "rehire", "begin", "succeed", "replace", "bring", "settle"}
_NAMING_VERBS = {"remove", "oust", "fire", "depose", "name", "appoint", "tap", "install", "make", "elect", "promote", "confirm", "reinstate",
                 "hire", "rehire", "bring", "replace", "succeed"}
_REPORTING = {"say", "announce", "confirm", "tell", "disclose", "report", "state", "add", "write", "post"}


def _role_verb(t):
    if t.dep_ in ("attr", "oprd", "acomp") and t.head.lemma_ in _ROLE_COPULAS:
        return t.head
    if t.dep_ == "pobj" and t.head.lower_ == "as" and t.head.head.pos_ in ("VERB", "AUX") \
            and t.head.head.lemma_ in _ROLE_AS_VERBS:
        return t.head.head
    return None


def _implicit_roles(doc, sent, sent_args, mentions, lexicon: Lexicon, out: dict) -> None:
    """Add leads for a person made chief executive in a clause that names no organization.

    The organization is, in order: one the sentence already ties the person to ("Jason
    Droege, Scale's strategy chief, will become interim chief executive"); the subject
    of the naming or reporting verb ("Character.AI said X would serve as interim chief
    executive"); the organization of the latest leadership change stated in the two
    sentences before ("X resigned as chief executive of Y. A and B will serve as
    interim co-chief executives").
    """
    for t in sent:
        if t.pos_ not in ("NOUN", "PROPN"):
            continue
        trigs = [tr for tr in lexicon.by_lemma.get((t.lemma_.lower(), "NOUN"), ())
                 if tr.predicate == "leads" and _trigger_matches(t, tr)]
        if not trigs or _unit_head(t):
            continue
        if any(c.dep_ in ("poss", "compound", "prep") and c.lower_ not in ("interim", "acting")
               and (c.dep_ != "prep" or c.lower_ in ("of", "at", "for")) for c in t.children):
            continue  # "chief executive of X": the lexicon reads it
        verb = _role_verb(t)
        if verb is None or negated(verb):
            continue
        naming = verb.lemma_ in _NAMING_VERBS and any(c.dep_ == "dobj" for c in verb.children)
        people, orgs = [], []
        for h, idx, src in sent_args:
            a = arm(verb, h)
            if a is None:
                continue
            typ = mentions[idx]["type"]
            if typ == _PER and a[0] in (("dobj", "nsubjpass") if naming else ("nsubj", "nsubjpass")):
                people.append((idx, src))
            elif typ == _ORG and naming and (a[0] == "nsubj" or (a[0] == "nsubj>poss" and any(
                    c.dep_ == "nsubj" and c.lemma_ in ("board", "director", "shareholder") for c in verb.children))):
                orgs.append((idx, src))  # "OpenAI named ...", "OpenAI's board named ..."
        if not people:
            continue
        if not orgs:
            rep = verb
            for _ in range(4):
                if rep.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or rep.head.i == rep.i:
                    break
                rep = rep.head
                if rep.lemma_ in _REPORTING:
                    orgs = [(idx, src) for h, idx, src in sent_args if mentions[idx]["type"] == _ORG
                            and (arm(rep, h) or ("",))[0] == "nsubj"]
                    break
        hedge = hedged(verb)
        for p_idx, p_src in people:
            name = mentions[p_idx]["name"]
            cands = orgs or [(r["o"], "coref") for r in out.values() if r["ss"] == sent.start_char
                             and r["p"] in ("worksFor", "leads", "founded") and mentions[r["s"]]["name"] == name]
            if not cands:
                # the leadership change the sentence before states
                prev = [r for r in out.values() if r["p"] == "leads" and mentions[r["s"]]["name"] != name
                        and 0 <= sent.start_char - r["se"] < 3]
                if prev:
                    cands = [(max(prev, key=lambda r: r["ss"])["o"], "coref")]
            for o_idx, o_src in cands[:1]:
                if mentions[o_idx]["type"] != _ORG or mentions[o_idx]["agency"]:
                    continue
                _keep(out, {
                    "s": p_idx, "o": o_idx, "p": "leads",
                    "c": _confidence(trigs[0].weight * 0.75, 3, p_src, o_src, hedge), "h": hedge,
                    "ss": sent.start_char, "se": sent.end_char, "amount": None, "date": None,
                    "trigger": t.text,
                })


def _succession(doc, sent, sent_args, mentions, out: dict) -> None:
    """Add leads for a successor: "X will step down and be replaced by Y", "Y succeeds X".

    The successor takes over what the predecessor leads, as stated in the sentence or
    the one before it.
    """
    for tok in sent:
        if tok.pos_ != "VERB" or tok.lemma_ not in ("replace", "succeed") or negated(tok):
            continue
        passive = any(c.dep_ in ("auxpass", "agent") for c in tok.children)
        new_arms, old_arms = (("agent",), ("nsubjpass", "nsubj")) if passive else (("nsubj",), ("dobj",))
        new, old = [], []
        for h, idx, src in sent_args:
            if mentions[idx]["type"] != _PER:
                continue
            a = arm(tok, h)
            if a is None:
                continue
            if a[0] in new_arms:
                new.append((idx, src))
            elif a[0] in old_arms:
                old.append(idx)
        if not new or not old:
            continue
        old_names = {mentions[i]["name"] for i in old}
        led = [r for r in out.values() if r["p"] == "leads" and mentions[r["s"]]["name"] in old_names
               and (r["ss"] == sent.start_char or 0 <= sent.start_char - r["se"] < 3)]
        hedge = hedged(tok)
        for r in led:
            for idx, src in new:
                if mentions[idx]["name"] in old_names:
                    continue
                _keep(out, {
                    "s": idx, "o": r["o"], "p": "leads",
                    "c": _confidence(0.75, 3, src, "coref", hedge), "h": hedge,
                    "ss": sent.start_char, "se": sent.end_char, "amount": None, "date": None,
                    "trigger": tok.text,
                })
