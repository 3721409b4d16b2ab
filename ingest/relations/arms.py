"""Arms: the reduced dependency path from a trigger to an argument (see the package docstring)."""

from __future__ import annotations

from ingest.entities.names import hyphen_first
from ingest.entities.ner import fronted_phrase
from ingest.relations.words import WORDS

# Dependency labels through which a noun trigger reaches the verb whose subject is the
# noun's agent: "X announced a partnership" (dobj), "X is a rival" (attr), "X was named
# chief executive" (oprd), "X entered into a deal" (pobj+prep).
_SUPPORT_UP = {"^dobj", "^attr", "^oprd", "^xcomp", "^pobj", "^ccomp", "^acomp"}

# Labels through which a verb trigger inherits the subject of a governing verb:
# "agreed to acquire" (xcomp), "built and released" (conj).
_CONTROL_UP = {"^xcomp", "^conj", "^advcl"}

# What a company offers that a model powers ("Klarna's GPT-4-powered assistant"); not its
# rivals, results or plans ("Google's Gemini-powered rivals")
_POWERED_NOUNS = {"assistant", "chatbot", "bot", "agent", "app", "tool", "service", "copilot", "helper"}

# Prepositions that frame a whole clause as part of an arrangement
_FRAME_PREPS = {"^prep:under", "^prep:through", "^prep:via", "^prep:in"}

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
        if down[-2].dep_ == "nsubj" and down[-2].lemma_ in _STOCK_NOUNS:
            return None  # "Nvidia shares trailed the Nasdaq": the stock acts, not the company
        # "bought $2 billion of Intel shares": a share of Intel (not "market share")
        stake = down[-2].lower_ in _EQUITY_NOUNS and not any(c.lower_ == "market" for c in down[-2].children)
        down = down[:-1]
    elif (
        len(down) > 1
        and down[-1].dep_ == "poss"
        and down[-2].lower_ in _EQUITY_NOUNS
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
        if d.dep_ in ("dobj", "npadvmod", "attr", "nsubjpass", "nsubj", "pobj") and not last and _is_amount(d):
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
    label = _reduce(t, ups, downs, up)
    if label is None or steps > 5:
        return None
    return label, steps


# Objects of a support verb through which a role noun in their prepositional phrase is still
# the subject's own ("took a seat on X's board", "the post of chief executive at X")
_HOLDING_OBJECTS = {"role", "position", "post", "job", "title", "seat", "place", "spot", "status", "part"}


def _in_other_object(ups: list[str], up_tokens: list, verb) -> bool:
    """Whether the noun trigger is not the support verb's own: it sits in a phrase of another
    object ("made a bet on X's business") or in an amount the verb makes up ("makes up a fifth
    of X's business"), so the verb's subject does not hold the noun's role."""
    if verb.lemma_ == "make" and any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children):
        return True
    if len(ups) > 1 and ups[1] == "^prep:as":
        return False  # "won a contract as X's supplier": the role is named by "as"
    if any(
        u == "^dobj" and tok.pos_ == "NOUN" and tok.lemma_.lower() not in _HOLDING_OBJECTS
        for u, tok in zip(ups[1:], up_tokens[1:])
    ):
        return True
    # the parser often hangs the phrase on the verb: "made a bet | on X's business"
    return ups[-1].startswith("^prep:") and any(
        c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lemma_.lower() not in _HOLDING_OBJECTS for c in verb.children
    )


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


def _is_amount(tok) -> bool:
    return tok.ent_type_ == "MONEY" or tok.like_num or tok.lower_ in WORDS.parts


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
    if ups in (["^compound"], ["^amod"]) and downs == ["poss"] and t.pos_ in ("NOUN", "ADJ"):
        return "poss"  # "Alphabet and its subsidiary Waymo": the possessor sits on the name the role word modifies
    # h governs t: relative clause, participle, apposition, compound
    if (
        not downs
        and len(ups) > 1
        and ups[0] in ("^amod", "^acl", "^relcl")
        and all(u in ("^compound", "^appos") for u in ups[1:])
    ):
        ups = ups[:1]  # "the Microsoft-backed startup OpenAI": the common noun names no one else
    if (
        is_verb
        and not downs
        and ups[-1] == "^relcl"
        and len(ups) > 1
        and all(u in _CONTROL_UP for u in ups[:-1])
        and not _has_subject(t)
        and any(c.lower_ in WORDS.wh and c.dep_ == "nsubj" for c in up_tokens[-1].children)
    ):
        return "nsubj"  # "Ryan Blue, who created Iceberg while working at Netflix"
    if (
        not downs
        and len(ups) == 2
        and ups[0] in ("^attr", "^oprd")
        and ups[1] == "^relcl"
        and t.pos_ in ("NOUN", "PROPN")
        and any(c.lower_ in WORDS.wh and c.dep_ == "nsubj" for c in up_tokens[1].children)
    ):
        return "sup_subj:" + up_tokens[1].lemma_  # "Microsoft, which was CoreWeave's largest customer"
    if (
        not downs
        and is_verb
        and ups[0] == "^relcl"
        and (len(ups) == 1 or (ups[1:] == ["^appos"] and up_tokens[0].head.pos_ == "NOUN"))
    ):
        # "Anthropic, the start-up in which Amazon has invested": the relative pronoun
        # stands for the name in the preposition's slot
        for c in t.children:
            if (
                c.dep_ == "prep"
                and c.lower_ != "to"  # "Oracle, to which OpenAI pledged $300 billion": a commitment, not a stake
                and any(g.dep_ == "pobj" and g.lower_ in ("which", "whom") for g in c.children)
            ):
                return "prep:" + c.lower_
    if not downs:
        if len(ups) == 1:
            u = ups[0]
            if u == "^relcl" and is_verb:
                for c in t.children:
                    if c.dep_ in ("nsubj", "nsubjpass") and any(g.lower_ == "whose" for g in c.children):
                        # "Cerebras, whose processors compete with X": its products act for it;
                        # "Apple, whose chips are made by X": it owns what is made; "X, whose
                        # shares fell": nothing of the name's own is the subject
                        word = c.lemma_.lower()
                        if word in WORDS.staff or (c.dep_ == "nsubj" and word in WORDS.goods):
                            return c.dep_
                        return "nsubjpass>poss" if c.dep_ == "nsubjpass" and word in WORDS.goods else None
                for c in t.children:
                    if c.lower_ in WORDS.wh and c.dep_ in ("nsubj", "nsubjpass", "dobj"):
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
        if (
            ups[0] == "^acl"
            and t.tag_ == "VBG"
            and downs == ["nsubj"]
            and len(ups) > 1
            and all(u in _SUPPORT_UP or u in ("^prep:among", "^prep:as") for u in ups[1:])
            and up_tokens[0].head.tag_ in ("NNS", "NNPS")
        ):
            return "nsubj"  # "X and Y are among the companies competing with Z"
        if (
            t.tag_ == "VBG"
            and downs == ["nsubj"]
            and not _has_subject(t)
            and len(ups) >= 2
            and ups[0] == "^pcomp"
            and ups[1].startswith("^prep:")
            and all(u.startswith("^prep:") or u in ("^advmod", "^advcl") for u in ups[1:])
        ):
            return "nsubj"  # "Prior to joining X, Y was ...": the clause's subject did the joining
        if (
            ups == ["^amod"]
            and downs == ["poss"]
            and t.tag_ == "VBN"
            and hyphen_first(t) is not None
            and up_tokens[0].head.lemma_.lower() in _POWERED_NOUNS
        ):
            return "nsubjpass>poss"  # "Klarna's GPT-4-powered assistant": the owner of what it powers
        if ups == ["^advcl"] and downs == ["nsubj"] and t.tag_ == "VBN" and not _has_subject(t):
            return "nsubjpass"  # "Founded in 2015 by X, OpenAI ...": the main subject underwent it
        if (
            ups == ["^acl", "^attr"]
            and downs == ["nsubj"]
            and t.tag_ == "VBN"
            and up_tokens[-1].head.lemma_ == "be"
            and not _has_subject(t)
        ):
            return "nsubjpass"  # "X is a brand established by Y": the copula's subject underwent it
        k = 0
        infinitival = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
        while k < len(ups) and (
            ups[k] in _CONTROL_UP
            # "signed a deal to buy X from Y": the parser may make the infinitive a relative clause
            or (infinitival and (ups[k] in ("^acl", "^relcl") or ups[k] in _SUPPORT_UP or ups[k].startswith("^prep:")))
            # "signed an $11.9 billion, five-year contract to supply": the deal noun hangs on its amount
            or (infinitival and ups[k] == "^appos" and _is_amount(up_tokens[k].head))
        ):
            k += 1
        if infinitival and ups == ["^acl"] and downs == ["poss"]:
            return "nsubj"  # "X's plan to acquire Y"
        if k == len(ups) and k > 0 and downs == ["nsubj"] and not _has_subject(t):
            # "agreed to be bought by IBM": a passive infinitive passes on its patient
            return "nsubjpass" if any(c.dep_ == "auxpass" for c in t.children) else "nsubj"
        if k == len(ups) and k > 0 and downs == ["nsubjpass"] and not _has_subject(t):
            if up_tokens[-1].head.lemma_ in WORDS.raising and not any(c.dep_ == "auxpass" for c in t.children):
                return "nsubj"  # "X is expected to join Y": X does the joining
            return "nsubjpass" if up_tokens[-1].tag_ == "VBN" else None
        return None
    if ups == ["^nsubj"] and downs == ["prep:between"]:
        return "prep:between"  # "a war of words broke out between X and Y": the verb holds the sides
    if _fronted(t, up_tokens, ups, downs):
        return "appos"  # "A subsidiary of Tervo Media, Brightpath is ...": the fronted phrase describes the subject
    # noun trigger reached from a support verb's subject
    if downs in (["nsubj"], ["nsubjpass"]) and all(
        u in _SUPPORT_UP or u.startswith("^prep:") or (u == "^conj" and not _has_subject(tok))
        for u, tok in zip(ups, up_tokens)
    ):
        verb = up_tokens[-1].head
        if ups[-1] not in ("^prep:unlike", "^prep:as", *_FRAME_PREPS) and _in_other_object(ups, up_tokens, verb):
            return None
        if "^prep:unlike" in ups:
            # "Unlike rivals Google and Microsoft, Apple has ...": a contrast of peers; not
            # when the noun names its own other side ("Unlike Nvidia's rivals AMD and Intel")
            own = any(
                c.dep_ in ("poss", "compound") or (c.dep_ == "prep" and c.lower_ in ("of", "to", "with"))
                for c in t.children
            )
            return None if own else "sup_subj:unlike"
        if len(ups) >= 2 and (
            ups[-1] in _FRAME_PREPS or (ups[-1] == "^prep:as" and not any(c.dep_ == "dobj" for c in verb.children))
        ):
            # "Under the partnership with Y, X will ...", "X returned as chief executive"
            return "sup_subj:*"
        if (
            ups[-1] == "^xcomp"
            and len(ups) >= 2
            and verb.lemma_ in WORDS.control
            and up_tokens[-1].lemma_ in ("be", "become", "remain")
        ):
            verb = up_tokens[-1]  # "X aims to become a rival of Y": the infinitive's verb supports the noun
        return "sup_subj:" + verb.lemma_
    # "took a stake in X": the parser often hangs the noun's preposition on the verb
    if (
        (
            ups in (["^dobj"], ["^attr"], ["^oprd"], ["^acomp"])
            or (len(ups) == 2 and ups[0] == "^pobj" and ups[1].startswith("^prep:"))
        )
        and len(downs) == 1
        and downs[0].startswith("prep:")
        and downs[0] != "prep:as"
        and "^" + downs[0] != ups[-1]
    ):
        # also "served as chief officer at X", "is a professor at X"
        return downs[0]
    # "The round was led by X": the passive of "X led the round"
    if ups == ["^nsubjpass"] and downs == ["agent"]:
        return "acl>agent"
    # "counts OpenAI and Meta among its customers"
    if ups == ["^pobj", "^prep:among"] and downs == ["dobj"]:
        return "incl_obj"
    # "puts Salesforce in direct competition with Microsoft"
    if (
        ups == ["^pobj", "^prep:in"]
        and downs == ["dobj"]
        and up_tokens[-1].head.lemma_ in ("put", "place", "bring", "pit")
    ):
        return "oprd_obj"
    # "with Nvidia and Salesforce among the other backers": the phrase's head holds the role
    if ups == ["^pobj", "^prep:among"] and not downs:
        return "appos"
    # "Perplexity's investors include Jeff Bezos": the role noun is the subject of "include"
    if ups == ["^nsubj"] and downs == ["dobj"] and up_tokens[-1].head.lemma_ in ("include", "be"):
        return "incl_obj"
    # "OpenAI's biggest rival is Anthropic", "Quorra's parent company is Dastra": the
    # copula's complement names who holds the role its subject noun names
    if ups == ["^nsubj"] and downs == ["attr"] and up_tokens[-1].head.lemma_ == "be" and t.tag_ in ("NN", "NNS"):
        return "incl_obj"
    # "counts Nvidia as an investor", "named Jane Doe as its chief executive"
    if len(ups) == 2 and ups[0] == "^pobj" and ups[1] == "^prep:as" and downs == ["dobj"]:
        return "oprd_obj"
    # "Anthropic named AWS its cloud provider": the naming verb's object holds the role
    if ups == ["^oprd"] and downs == ["dobj"]:
        return "oprd_obj"
    # "after Mwangi's ten years as Safaricom CEO": a span of time in a role is its holder's
    if ups == ["^pobj", "^prep:as"] and downs == ["poss"] and up_tokens[-1].head.lemma_ in _TENURE_NOUNS:
        return "appos"
    return None


# Nouns for equity as such: "bought Intel shares" is a stake ("took Intel's share" is not)
_EQUITY_NOUNS = {"shares", "stock", "stocks"}

# Nouns for a company's traded stock, which as a subject acts in market reports only
_STOCK_NOUNS = {"share", "stock", "bond", "valuation", "price"}

# Nouns for a span of time spent in a role ("his ten years as chief executive")
_TENURE_NOUNS = {"year", "tenure", "stint", "time", "term", "career", "decade", "day", "month", "spell", "run"}


def _fronted(t, up_tokens, ups, downs) -> bool:
    """Return True if noun ``t`` heads a phrase that opens the sentence, ends in a comma,
    and describes the subject right after it ("A professor at Brandeis, Ana Polk said",
    "The former CEO of Dastra Inc., Venn was named ...";
    :func:`ingest.entities.ner.fronted_phrase`)."""
    if t.pos_ not in ("NOUN", "PROPN") or len(ups) != 1 or downs not in (["nsubj"], ["nsubjpass"]):
        return False
    phrase = up_tokens[0]
    subj = [c for c in phrase.head.children if c.dep_ == downs[0] and c.i != phrase.i]
    return len(subj) == 1 and fronted_phrase(phrase, subj[0])


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


def _has_subject(t) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in t.children)


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
