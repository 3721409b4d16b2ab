"""Arms: the reduced dependency path from a trigger to an argument (see the package docstring)."""

from __future__ import annotations

from ingest.relations.shapes import is_amount, reduce_arm
from ingest.relations.words import WORDS

# Noun-phrase-internal links that keep the path inside one argument ("Anthropic, DeepMind
# and Meta"): dropped when walking down to an argument.
_COORD = {"conj", "cc", "punct"}


def _path(t, h) -> tuple[list, list] | None:
    """Return (tokens up from t to the common ancestor, tokens down to h), or None."""
    anc_t = [t, *t.ancestors]
    anc_h = [h, *h.ancestors]
    pos_h = {tok.i: k for k, tok in enumerate(anc_h)}
    for k, tok in enumerate(anc_t):
        if tok.i in pos_h:
            up = anc_t[:k]
            down = list(reversed(anc_h[: pos_h[tok.i]]))
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
        if (
            up[k].dep_ == "pobj"
            and up[k + 1].dep_ == "prep"
            and up[k + 1].lower_ == "of"
            and up[k + 2].lower_ in WORDS.partitives
            and up[k + 1].head.i == up[k + 2].i
        ):
            up = up[:k] + up[k + 2 :]  # "one of Stability's closest rivals": the rivals' role
            break
        k += 1
    if (
        redirect
        and up
        and up[-1].dep_ in ("relcl", "appos", "acl")
        and all(d.dep_ in _COORD or d.dep_ in ("compound", "flat") for d in down)
    ):
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
    if (
        is_noun
        and up
        and (up[0].dep_ == "conj" or (up[0].dep_ == "nmod" and any(c.dep_ == "cc" for c in up[0].children)))
        and up[0].head.pos_ in ("NOUN", "PROPN")
        and (not _has_det(t) or up[0].head.dep_ in ("appos", "attr"))
    ):
        # "co-founder and chief executive of X": coordinated role nouns share arguments (the
        # parser sometimes hangs the first of two as an nmod of the second, keeping its "and":
        # "X's primary cloud provider and training partner");
        # "professor at X and the project leader of Y": a separate phrase shares only its holder
        if _has_det(t) and len(up) == 1:
            return None
        up = up[1:]
    if (
        is_noun
        and len(up) > 1
        and up[0].i == t.i
        and up[0].dep_ == "appos"
        and up[0].head.dep_ == "attr"
        and up[0].head.pos_ == "NOUN"
        and not _has_det(up[0])
    ):
        # "X is a Monegasque businessman, CEO of Y": the role stands in the complement's place
        # (the role itself only: "..., CEO and owner of Y" lends "owner" no holder)
        up = up[1:]
    if (
        is_noun
        and not up
        and len(down) > 1
        and down[0].dep_ == "conj"
        and down[0].pos_ == "NOUN"
        and not _has_det(down[0])
        and down[1].dep_ == "prep"
    ):
        down = down[1:]
    if (
        len(up) == 1
        and up[0].dep_ == "nsubj"
        and up[0].head.lemma_ == "be"
        and len(down) > 1
        and down[0].dep_ == "attr"
        and down[0].pos_ == "NOUN"
    ):
        return None  # "Anthropic's founders are OpenAI alumni": a name inside the complement holds no role
    stake = False
    if (
        len(down) > 1
        # a name the tagger took for an adjective still classifies ("Inferentia chips")
        and (
            down[-1].dep_ in ("compound", "nmod")
            or (down[-1].dep_ == "amod" and (down[-1].pos_ == "PROPN" or down[-1].text[:1].isupper()))
        )
        and down[-2].pos_ == "NOUN"
        and down[-2].dep_ not in ("compound", "appos")
    ):
        # "use AWS Trainium chips": the name classifies the noun that fills the slot
        if down[-2].dep_ == "nsubj" and down[-2].lemma_ in WORDS.stock_nouns:
            return None  # "Nvidia shares trailed the Nasdaq": the stock acts, not the company
        # "bought $2 billion of Intel shares": a share of Intel (not "market share")
        stake = down[-2].lower_ in WORDS.equity_nouns and not any(c.lower_ == "market" for c in down[-2].children)
        down = down[:-1]
    elif (
        len(down) > 1
        and down[-1].dep_ == "poss"
        and down[-2].lower_ in WORDS.equity_nouns
        and down[-2].dep_ in ("dobj", "pobj", "nsubjpass")
        and not any(c.dep_ == "prep" for c in down[-2].children)
    ):
        stake = True  # "bought OpenAI's shares" (not "SoftBank's shares in Arm": the seller's)
        down = down[:-1]
    elif len(down) > 2 and down[-1].dep_ in ("compound", "nmod") and down[-1].pos_ == "PROPN":
        # "the Bingxue welding robots are used by ...": lower-case modifiers between the name
        # and the noun that fills the slot leave the name classifying that noun
        j = len(down) - 2
        while j > 0 and down[j].dep_ in ("compound", "amod", "nmod") and down[j].text.islower():
            j -= 1
        if j < len(down) - 2 and down[j].pos_ == "NOUN" and down[j].dep_ not in ("compound", "appos"):
            down = down[: j + 1]
    if (
        not up
        and down
        and down[0].dep_ == "prep"
        and down[0].i > t.i
        and any(x.dep_ == "case" and x.head.dep_ == "conj" for x in t.doc[t.i : down[0].i])
    ):
        return None  # "X's deal with A and Y's with B": the second phrase has its own, elided head
    if not up and len(down) > 2 and _gerund_modifier(t, down[0]) and down[1].dep_ == "prep":
        # "will supply targeting software to X": the parser took the noun's gerund modifier
        # for a verb of its own, and the "to" phrase for the gerund's
        down = down[1:]
    if any(_set_aside(d) for d in down):
        return None  # "on Trainium rather than on Nvidia's GPUs": the alternative not taken
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
        if (
            d.lower_ in WORDS.shares
            and not last
            and down[k + 1].dep_ == "prep"
            and down[k + 1].lower_ in ("of", "in")
            and d.dep_ in ("dobj", "nsubjpass", "attr")
        ):
            # "owns 14% of X", "bought a minority stake in X": a share, not the whole
            if k + 2 == len(down) - 1 and down[-1].dep_ == "pobj":
                downs.append("share_of")
                break
            return None
        if d.dep_ in ("dobj", "npadvmod", "attr", "nsubjpass", "nsubj", "pobj") and not last and is_amount(d):
            # "invested $10 billion in OpenAI", "acquired the rest of Windsurf": the
            # amount or part carries the preposition that names the argument
            if d.lower_ not in ("billion", "million") and d.ent_type_ != "MONEY" and d.dep_ != "pobj":
                skip_of = d.dep_
            continue
        if d.dep_ == "acl" and d.lemma_ in WORDS.naming and not last and down[k + 1].dep_ == "oprd":
            # "a new division at Microsoft called Microsoft AI": the name is the noun
            if k + 1 == len(down) - 1:
                downs.append("named")
                break
            continue
        if d.dep_ == "oprd" and k > 0 and down[k - 1].dep_ == "acl" and down[k - 1].lemma_ in WORDS.naming:
            continue
        if (
            d.dep_ in ("nsubj", "nsubjpass", "agent", "pobj")
            and k == len(down) - 2
            and (d.lemma_.lower() in WORDS.staff or (d.dep_ == "nsubj" and d.lemma_.lower() in WORDS.goods))
            and down[-1].dep_ in ("compound", "poss", "nmod")
        ):
            if any(c.lower_ in ("former", "ex", "ex-", "onetime", "one-time") for c in d.children):
                return None  # "former OpenAI employees": they no longer act for it
            # "OpenAI engineers had been using Claude Code": the staff act for the company
            downs.append(d.dep_ if d.dep_ != "pobj" else None)
            downs = [x for x in downs if x]
            break
        if (
            d.dep_ == "prep"
            and not last
            and (
                d.lower_ in ("including", "like")
                or (
                    d.lower_ == "as"
                    and (any(c.lower_ == "such" for c in d.children) or t.doc[d.i - 1].lower_ == "such")
                )
            )
        ):
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
    if stake and downs and downs[-1] in ("dobj", "nsubjpass", "prep:of") and "share_of" not in downs:
        downs[-1] = "share_of"
    # "agent" keeps its meaning (passive by-phrase); prep:by on a noun is its agent too
    steps = len(ups) + len(downs)
    label = reduce_arm(t, ups, downs, up)
    if label is None or steps > 5:
        return None
    return label, steps


def _set_aside(tok) -> bool:
    """Return True for a phrase introduced by "rather than" or "instead of"."""
    if tok.lower_ == "instead":
        return True
    doc, left = tok.doc, tok.left_edge.i
    return left >= 2 and doc[left - 1].lower_ == "than" and doc[left - 2].lower_ == "rather"


def _ticker(tok) -> bool:
    """Return True if ``tok`` sits in a parenthesized "(EXCHANGE: SYMBOL)" aside."""
    doc = tok.doc
    lo, hi = max(tok.sent.start, tok.i - 4), min(tok.sent.end, tok.i + 4)
    window = [t.text for t in doc[lo:hi]]
    return "(" in window[: tok.i - lo + 1] and ":" in window


def _has_det(tok) -> bool:
    return any(c.dep_ == "det" for c in tok.children)


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


def coagents(tok, sent_args, arms: dict) -> None:
    """Let the partners in "X invested alongside Y and Z" fill X's slot of the verb."""
    if tok.pos_ not in ("VERB", "AUX"):
        return
    subj = next((a for a in arms.values() if a[0] in ("nsubj", "agent")), None)
    if subj is None:
        return
    for h, _, _ in sent_args:
        if _coagent(tok, h):
            arms[h.i] = (subj[0], subj[1] + 1)


def _gerund_modifier(t, d) -> bool:
    """Whether ``d`` is a gerund the parser hung off verb ``t`` that really modifies its object.

    "supply targeting software", "provide computing power": the gerund follows the verb
    at once and its own direct object, a common noun, follows the gerund at once.
    """
    return (
        t.pos_ in ("VERB", "AUX")
        and d.head.i == t.i
        and d.dep_ in ("xcomp", "acl", "advcl")
        and d.tag_ == "VBG"
        and d.i == t.i + 1
        and any(c.dep_ == "dobj" and c.i == d.i + 1 and c.pos_ == "NOUN" for c in d.children)
    )
