"""Possessive develops: "OpenAI's GPT-4", "its chatbot, Le Chat"."""

from __future__ import annotations

from ingest.entities.names import adjective_after_hyphen
from ingest.relations.records import Context, confidence, keep_plain
from ingest.relations.signatures import MOD, ORG, PER, PRD
from ingest.relations.words import WORDS


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
            return (
                by_tok.get(k)
                or next(
                    (
                        by_tok[x]
                        for x in range(max(sent.start, k - 5), k + 1)
                        if x in by_tok and doc[x].head.i == k and doc[x].dep_ in ("compound", "flat", "nmod", "amod")
                    ),
                    None,
                )
                or False
            )
        if t.lower_ in ("and", "or") and steps == 0 and depth == 0 and j - 1 >= sent.start:
            # "OpenAI's GPT-4o and o1-preview": the possessor of the first name, shared
            prev = next((mm for mm in mentions if mm["e"] == j and not mm.get("virtual")), None)
            if prev is not None and prev["type"] in (MOD, PRD):
                got = _surface_possessor(doc, sent, prev, by_tok, mentions, depth=1)
                return ("shared", got) if got else False
            return False
        if t.text == "," and steps == 0 and doc[m["s"] : m["e"]].root.dep_ == "appos":
            return None  # "Its chatbot, Le Chat": the noun it is apposed to has the owner
        if t.is_punct or t.lower_ in ("and", "or") or t.i in by_tok or t.pos_ in ("VERB", "AUX", "ADP"):
            return False if (t.i in by_tok or t.text in (",", ";") or t.lower_ in ("and", "or")) else None
        j -= 1
        steps += 1
    return None


def _develops(out, sent, subject: int, obj: int, conf: float, trigger: str, rule: str) -> None:
    """Keep the record develops(subject, obj) of ``sent``."""
    keep_plain(out, sent, subject, obj, "develops", conf, trigger, rule)


# Nouns that make "X M <noun>" the company's use of M, not its making: "the Walmart ChatGPT app"
_CUSTOMER_NOUNS = {"app", "apps", "integration", "deal", "contract", "partnership", "plugin", "feature", "rollout"}


def _phrase_head(doc, sent, m: dict, in_mention: set[int]):
    """The head noun of the phrase a name modifies ("its Lunar Lake laptop processors"), or its own root."""
    nxt = doc[m["s"] : m["e"]].root
    while (
        nxt.dep_ in ("compound", "nmod", "amod")
        and nxt.head.pos_ in ("NOUN", "PROPN")
        and m["e"] <= nxt.head.i < sent.end
        and nxt.head.i not in in_mention
    ):
        nxt = nxt.head
    return nxt


def _heads_other_noun(doc, sent, m: dict, in_mention: set[int]) -> bool:
    """Whether the name modifies a common noun that is no product ("the ChatGPT integration")."""
    return _other_noun(_phrase_head(doc, sent, m, in_mention), m)


def _other_noun(nxt, m: dict) -> bool:
    """Whether ``nxt``, the head of the phrase name ``m`` stands in, is a common noun that is no product."""
    return (
        nxt.i >= m["e"]
        and nxt.pos_ == "NOUN"
        and nxt.text.isalpha()
        and nxt.text.islower()
        and nxt.lemma_.lower() not in WORDS.product_nouns
    )


def _mention_tokens(doc, mentions: list[dict]) -> set[int]:
    """Return the token indexes inside a named mention, computed once per doc (and again if names were added)."""
    cached = doc.user_data.get("aikg_mention_tokens")
    if cached is None or cached[0] != len(mentions):
        cached = (len(mentions), {i for mm in mentions if not mm.get("virtual") for i in range(mm["s"], mm["e"])})
        doc.user_data["aikg_mention_tokens"] = cached
    return cached[1]


def possessive_develops(ctx: Context, sent, sent_args: list) -> None:
    """Add develops(X, M) for "X's M" where M is a model or product ("OpenAI's GPT-4")."""
    doc, mentions, out = ctx.doc, ctx.mentions, ctx.out
    by_tok = {h.i: (idx, src) for h, idx, src in sent_args}
    in_mention = _mention_tokens(doc, mentions)
    for h, idx, src in sent_args:
        m = mentions[idx]
        if m["type"] == ORG and m["src"] == "ner" and src != "coref":
            root = doc[m["s"] : m["e"]].root
            if (
                root.dep_ == "compound"
                and root.head.pos_ == "NOUN"
                and root.head.lemma_.lower() in WORDS.product_nouns
                and any(c.dep_ == "poss" for c in root.head.children)
            ):
                for other in mentions:
                    if other["name"] == m["name"] and other["src"] == "ner":
                        other["type"] = PRD  # "whose Firefly models": NER said ORG
        if m["type"] in (MOD, PRD) and src == "coref" and h.pos_ == "NOUN":
            # "OpenAI's chatbot", resolved to ChatGPT: the possessor made it
            for c in h.children:
                hit = by_tok.get(c.i) if c.dep_ == "poss" else None
                if hit is not None and mentions[hit[0]]["type"] == ORG and mentions[hit[0]]["name"] != m["name"]:
                    _develops(out, sent, hit[0], idx, confidence(0.7, 2, hit[1], src, False), "'s", "possessive")
        if m["type"] not in (MOD, PRD) or src == "coref":
            continue
        if adjective_after_hyphen(doc, m["e"]):
            continue  # "Klarna's GPT-4-powered assistant": Klarna owns the assistant, not GPT-4
        surf = _surface_possessor(doc, sent, m, by_tok, mentions)
        if surf and surf[0] == "shared":
            # a shared possessor, unless the name says its own maker ("GitHub Copilot")
            # or a clause of its own does ("..., which Microsoft sells")
            sharer = mentions[surf[1][0]]["name"]
            own = any(
                o["type"] == ORG
                and not o.get("virtual")
                and o["name"] != sharer
                and m["name"].startswith(o["name"] + " ")
                for o in mentions
            ) or any(c.dep_ == "relcl" for c in doc[m["s"] : m["e"]].root.children)
            if own:
                continue
            surf = surf[1]
        if _heads_other_noun(doc, sent, m, in_mention):
            continue  # "Apple's ChatGPT integration": the possessor owns the integration
        if surf:
            o_idx, o_src = surf
            if mentions[o_idx]["type"] in (ORG, PER) and mentions[o_idx]["name"] != m["name"]:
                _develops(out, sent, o_idx, idx, confidence(0.75, 2, o_src, src, False), "'s", "possessive")
            continue
        if surf is False and (
            h.dep_ != "conj"
            or any(
                o["type"] == ORG and not o.get("virtual") and m["name"].startswith(o["name"] + " ") for o in mentions
            )
            or any(c.dep_ == "relcl" for c in doc[m["s"] : m["e"]].root.children)
        ):
            continue  # "OpenAI's Codex and GitHub Copilot, which Microsoft sells": not OpenAI's
        if h.dep_ == "conj" and _own_phrase(h):
            continue  # "its own Hunyuan models and DeepSeek-R1", "its iPhone and the Galaxy S24"
        while h.dep_ == "conj" and h.head.i != h.i:
            h = h.head  # "Nvidia's Grace Blackwell and Vera Rubin systems"
        owner = h.head if h.dep_ in ("compound", "nmod") else h
        while owner.dep_ == "conj" and owner.head.i != owner.i and owner.head.pos_ in ("NOUN", "PROPN"):
            owner = owner.head  # "... and Vera Rubin systems": the possessor sits on the first conjunct
        # "Gemini, Google's most capable model": the possessor of an apposed noun
        holders = [owner, *(c for c in owner.children if c.dep_ == "appos" and c.pos_ == "NOUN")]
        if owner.dep_ == "appos" and owner.head.pos_ == "NOUN" and owner.head.lemma_.lower() in WORDS.product_nouns:
            holders.append(owner.head)  # "Its chatbot, Le Chat"
        if (
            owner.dep_ == "pobj"
            and (
                owner.head.lower_ in ("including", "like")
                or (owner.head.lower_ == "as" and doc[owner.head.i - 1].lower_ == "such")
            )
            and owner.head.head.pos_ == "NOUN"
            and owner.head.head.lemma_.lower() in WORDS.product_nouns
        ):
            holders.append(owner.head.head)  # "Runway's video tools, including Gen-3 Alpha"
        for c in (c for o in holders for c in o.children):
            if c.dep_ != "poss" or c.i not in by_tok:
                continue
            o_idx, o_src = by_tok[c.i]
            if mentions[o_idx]["type"] not in (ORG, PER) or mentions[o_idx]["name"] == m["name"]:
                continue
            _develops(out, sent, o_idx, idx, confidence(0.75, 2, o_src, src, False), "'s", "possessive")


def _prefix_makers(doc, sent, mentions, out, sent_args, ends: dict) -> None:
    """develops(X, M) where M's own words begin with the name of X, named elsewhere in the
    sentence: "Microsoft will run it on Microsoft Azure", "Meta ... its Meta AI assistant"."""
    for _h, idx, src in sent_args:
        m = mentions[idx]
        if src == "coref" or m["type"] not in (MOD, PRD) or m.get("virtual"):
            continue
        words = doc[m["s"] : m["e"]].text
        for o_idx, o_src in ends.values():
            o = mentions[o_idx]
            name = doc[o["s"] : o["e"]].text
            if (
                o["name"] != m["name"]
                and not (o["s"] < m["e"] and m["s"] < o["e"])
                and (words.startswith(name + " ") or words.startswith(o["name"] + " "))
            ):
                _develops(out, sent, o_idx, idx, confidence(0.7, 1, o_src, src, False), name, "maker")
                break


def maker_develops(ctx: Context, sent, sent_args: list) -> None:
    """Add develops(X, M) for "X M" where the company's name stands right before a model or product's.

    "100,000 Nvidia H100 GPUs", "runs on Microsoft Azure": the maker's name modifies the
    name after it (compound or nmod of a token at or after it), with nothing in between;
    not where the phrase is the company's use of the product ("the Walmart ChatGPT app").
    """
    doc, mentions, out = ctx.doc, ctx.mentions, ctx.out
    in_mention = _mention_tokens(doc, mentions)
    ends = {}
    for _h, idx, src in sent_args:
        m = mentions[idx]
        if src != "coref" and m["type"] == ORG and not m.get("virtual"):
            ends[m["e"]] = (idx, src)
    if not ends:
        return
    _prefix_makers(doc, sent, mentions, out, sent_args, ends)
    for _h, idx, src in sent_args:
        m = mentions[idx]
        if src == "coref" or m["type"] not in (MOD, PRD) or m.get("virtual") or m["s"] not in ends:
            continue
        o_idx, o_src = ends[m["s"]]
        o = mentions[o_idx]
        last = doc[o["e"] - 1]
        if (
            o["name"] == m["name"]
            or last.dep_ not in ("compound", "nmod")
            or last.head.i < m["s"]
            or doc[m["s"]].ent_iob_ == "I"
            or doc[m["s"] : m["e"]].root.dep_ in ("nsubj", "nsubjpass")  # "Lockheed Martin builds": one name NER split
            or _other_noun(head := _phrase_head(doc, sent, m, in_mention), m)
            or head.lower_ in _CUSTOMER_NOUNS
        ):
            continue
        _develops(out, sent, o_idx, idx, confidence(0.7, 1, o_src, src, False), last.text, "maker")


def _own_phrase(conj) -> bool:
    """Whether a conjoined name is a phrase of its own, out of reach of the first conjunct's
    possessor: it has its own determiner ("its iPhone and the Galaxy S24"), or the first
    conjunct is a common noun that the possessor owns ("its own Hunyuan models and
    DeepSeek-R1"), not a name that shares a noun with it ("Nvidia's Grace Blackwell and Vera
    Rubin systems")."""
    if any(c.dep_ in ("det", "poss") for c in conj.children):
        return True
    first = conj.head
    return first.pos_ == "NOUN" and first.text.islower() and any(c.dep_ == "poss" for c in first.children)
