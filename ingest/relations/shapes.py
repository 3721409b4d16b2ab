"""Arm labels: how a raw dependency path from a trigger to an argument folds into one label.

:func:`ingest.relations.arms.arm` walks the path (up from the trigger to the common
ancestor, down to the argument) and :func:`reduce_arm` names its shape: the trigger's
subject, its object, a preposition's object, an apposition, a possessor, a relative clause
and so on (see the package docstring), or None when the path says nothing of the trigger.
Support verbs ("X announced a partnership"), control ("agreed to acquire") and framing
prepositions ("under the deal") are folded here. The word lists are data
(``ingest/data/rule_words.json``: ``powered_nouns``, ``holding_objects``, ``equity_nouns``,
``tenure_nouns``).
"""

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


# Prepositions that frame a whole clause as part of an arrangement
_FRAME_PREPS = {"^prep:under", "^prep:through", "^prep:via", "^prep:in"}


def _in_other_object(ups: list[str], up_tokens: list, verb) -> bool:
    """Whether the noun trigger is not the support verb's own: it sits in a phrase of another
    object ("made a bet on X's business") or in an amount the verb makes up ("makes up a fifth
    of X's business"), so the verb's subject does not hold the noun's role."""
    if verb.lemma_ == "make" and any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children):
        return True
    if len(ups) > 1 and ups[1] == "^prep:as":
        return False  # "won a contract as X's supplier": the role is named by "as"
    if any(
        u == "^dobj" and tok.pos_ == "NOUN" and tok.lemma_.lower() not in WORDS.holding_objects
        for u, tok in zip(ups[1:], up_tokens[1:])
    ):
        return True
    # the parser often hangs the phrase on the verb: "made a bet | on X's business"
    return ups[-1].startswith("^prep:") and any(
        c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lemma_.lower() not in WORDS.holding_objects for c in verb.children
    )


def is_amount(tok) -> bool:
    return tok.ent_type_ == "MONEY" or tok.like_num or tok.lower_ in WORDS.parts


def reduce_arm(t, ups: list[str], downs: list[str], up_tokens: list) -> str | None:
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
            and up_tokens[0].head.lemma_.lower() in WORDS.powered_nouns
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
            or (infinitival and ups[k] == "^appos" and is_amount(up_tokens[k].head))
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
    if ups == ["^pobj", "^prep:as"] and downs == ["poss"] and up_tokens[-1].head.lemma_ in WORDS.tenure_nouns:
        return "appos"
    return None


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


def _has_subject(t) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in t.children)
