"""The trigger pass: a lexicon trigger and two arguments in the slots it names."""

from __future__ import annotations

from ingest.entities.names import _ORG_HEADS, is_regulator, name_key
from ingest.entities.ner import _person_noun
from ingest.relations.arms import arm, coagents
from ingest.relations.clauses import amount_and_date, hedged, negated
from ingest.relations.lexicon import Lexicon, Trigger, trigger_matches
from ingest.relations.passes.roles import unit_head
from ingest.relations.records import Context, Record, confidence, keep
from ingest.relations.signatures import MOD, NOT_WITH_REGULATORS, ORG, PER, PRD, SIGNATURES
from ingest.relations.words import WORDS
from kg.model import SYMMETRIC_PREDICATES

# Verbs by which one names another as a rival ("lists X as a competitor"): the namer is the
# other side only when the noun names none itself
_NAMING_VERBS = frozenset({"list", "name", "see", "view", "regard", "consider", "identify", "cite"})


def _own_object(tok) -> bool:
    """Return True if a noun trigger names its other side itself ("a rival to AWS", "Nvidia's rival")."""
    return any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("to", "of", "with")) for c in tok.children)


def fills(trig: Trigger, arm1: str, arm2: str, tok, lexicon: Lexicon) -> bool:
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
        return arm1 in trig.pair or (
            arm1.startswith("sup_subj:")
            and "sup_subj" in trig.pair
            and (arm1.split(":", 1)[1] in lexicon.support_verbs or arm1 == "sup_subj:*")
            and arm1.split(":", 1)[1] not in WORDS.not_pairing
        )
    if not (ok(arm1, trig.subj) and ok(arm2, trig.obj)):
        return False
    if arm2.split(":", 1)[-1] in _NAMING_VERBS and arm2.startswith("sup_subj:") and _own_object(tok):
        return False  # "Forrester cites Google as a rival to AWS": the noun names its own other side
    # a possessor fills the subject slot of a noun itself ("Y's investment in Z"): the
    # support verb's subject is then someone else ("X criticized Y's investment in Z")
    if arm1.startswith("sup_subj") and "poss" in trig.subj and any(c.dep_ == "poss" for c in tok.children):
        return False
    return True


def make_relation(
    doc, sent, tok, trig: Trigger, mentions, s_idx: int, o_idx: int, steps: int, src1: str, src2: str, *, rule: str
) -> Record | None:
    """Return the record of ``trig`` relating two mentions, or None if the pair cannot hold it.

    The subject and object must be different names of the types the predicate takes
    (a product may stand for its maker, see :data:`_METONYMIC`); an argument's type may
    be corrected on the way (NER's person that only an organization fits, and so on).
    ``steps`` is the length of the two arms, ``src1``/``src2`` the arguments' sources,
    ``rule`` what the record is said to come from.
    """
    subj, obj = mentions[s_idx], mentions[o_idx]
    if subj["name"] == obj["name"]:
        return None
    if trig.predicate in NOT_WITH_REGULATORS and (is_regulator(subj) or is_regulator(obj)):
        return None  # "provided its search data to the Justice Department", "fought the FTC"
    dom, rng = SIGNATURES[trig.predicate]
    if trig.predicate in _METONYMIC:
        # "Microsoft's Azure cloud will remain the provider": the product stands for its maker
        if subj["type"] in (PRD, MOD):
            owner = _product_owner(doc, sent, mentions, s_idx, doc._.aikg_coref or ())
            if owner is not None:
                s_idx, subj = owner, mentions[owner]
        if obj["type"] in (PRD, MOD) and trig.predicate in SYMMETRIC_PREDICATES:
            owner = _product_owner(doc, sent, mentions, o_idx, doc._.aikg_coref or ())
            if owner is not None:
                o_idx, obj = owner, mentions[owner]
    if subj["name"] == obj["name"]:
        return None
    if trig.predicate == "acquires" and not obj.get("virtual"):
        root = doc[obj["s"] : obj["e"]].root
        if (
            root.dep_ in ("compound", "nmod")
            and root.head.pos_ == "NOUN"
            and root.head.text.islower()
            and root.head.lemma_ not in ("company", "startup", "firm", "business", "unit", "maker")
        ):
            return None  # "buys Nvidia hardware": the goods, not the company
    if trig.predicate in ("founded", "leads", "worksFor") and subj["type"] == ORG and not subj.get("virtual"):
        root = doc[subj["s"] : subj["e"]].root
        if root.dep_ in ("compound", "poss", "nmod") and root.head.lemma_ in WORDS.staff and root.head.pos_ == "NOUN":
            return None  # "founded by OpenAI researchers": people founded it, not OpenAI
    # NER tags unfamiliar company names as people ("Activision Blizzard", "Almendra is owned
    # by ..."); a slot that only an organization can fill settles it, for names the
    # gazetteer does not know, one word or several
    for m in (subj, obj):
        slot = dom if m is subj else rng
        if (
            m.get("fallback")
            and ORG not in slot
            and PER in slot
            and " " in m["name"].strip()
            and name_key(m["name"]).split()[-1] not in _ORG_HEADS
        ):
            m["type"] = PER  # an unrecognized two-word name in a person-only slot ("Laurent Kratz is the CEO")
        if (
            m["type"] == PER
            and m["src"] == "ner"
            and PER not in slot
            and ORG in slot
            and not _person_noun(list(doc[m["s"] : m["e"]]))
        ):
            for other in mentions:
                if other["name"] == m["name"] and other["src"] == "ner":
                    other["type"] = ORG  # every mention of the name, so the entity has one type
        elif (
            m["type"] == ORG
            and m["src"] == "ner"
            and slot == {PER}
            and ORG in (rng if m is subj else dom)
            and " " not in m["name"]
            and m["name"][:1].isupper()
            and m["name"][1:].islower()
        ):
            # and a lone surname or first name ("Sidhu served as ...") as a company: a
            # person-only slot, filled opposite an organization, settles that too
            for other in mentions:
                if other["name"] == m["name"] and other["src"] == "ner":
                    other["type"] = PER
    if obj["type"] == ORG and obj["src"] == "ner" and ORG not in rng and PRD in rng:
        root = doc[obj["s"] : obj["e"]].root
        if root.dep_ in ("compound", "nmod", "amod") and root.head.lemma_.lower() in WORDS.product_nouns:
            for other in mentions:
                if other["name"] == obj["name"] and other["src"] == "ner":
                    other["type"] = PRD  # "the Terraform infrastructure software": NER said ORG
    if subj["type"] not in dom or obj["type"] not in rng:
        if trig.predicate in SYMMETRIC_PREDICATES and obj["type"] in dom and subj["type"] in rng:
            subj, obj, s_idx, o_idx = obj, subj, o_idx, s_idx
        else:
            return None
    if subj["agency"] or obj["agency"]:
        return None
    hedge = hedged(tok)
    amount, date = amount_and_date(tok, sent)
    return Record(
        subject=s_idx,
        object=o_idx,
        predicate="worksFor" if trig.predicate == "leads" and unit_head(tok) else trig.predicate,
        confidence=confidence(trig.weight, steps, src1, src2, hedge),
        hedged=hedge,
        sent_start=sent.start_char,
        sent_end=sent.end_char,
        amount=amount,
        date=date,
        trigger=tok.text,
        token=tok.i,
        rule=rule,
    )


_METONYMIC = {"suppliesTo", "competesWith"}


def _product_owner(doc, sent, mentions, p_idx: int, coref=()) -> int | None:
    """Return the mention of the organization that owns a product mention, if the text says.

    The owner is the possessor of the product's phrase ("Microsoft's Azure cloud") or an
    organization whose name begins the product's name ("Amazon Bedrock"), mentioned in
    the same sentence.
    """
    m = mentions[p_idx]
    root = doc[m["s"] : m["e"]].root
    head = root.head if root.dep_ == "compound" else root
    for c in [*root.children, *head.children]:
        if c.dep_ == "poss":
            for idx, o in enumerate(mentions):
                if o["type"] == ORG and not o.get("virtual") and o["s"] <= c.i < o["e"]:
                    return idx
            for t_i, idx, *_ in coref:
                if t_i == c.i and mentions[idx]["type"] == ORG:
                    return idx  # "Microsoft, whose GitHub Copilot ..."
    for idx, o in enumerate(mentions):
        if (
            o["type"] == ORG
            and not o.get("virtual")
            and sent.start <= o["s"] < sent.end
            and m["name"].startswith(o["name"] + " ")
        ):
            return idx
    return None


def trigger_pass(ctx: Context, sent, sent_args: list, tok, trigs: list[Trigger]) -> None:
    """Add the relations trigger ``tok`` states between two arguments of its sentence.

    Each argument's arm (:func:`ingest.relations.arms.arm`) says which slot of the
    trigger it fills; a pair filling the subject and the object slot of a lexicon entry
    is a relation, unless the trigger is negated.
    """
    doc, mentions, lexicon, out = ctx.doc, ctx.mentions, ctx.lexicon, ctx.out
    arms = {}
    for h, _idx, _src in sent_args:
        if h.dep_ == "compound" and h.head.i in ctx.coref_tokens and h.head.i != tok.i:
            continue  # "the Claude developer will run ...": Claude only names the description
        a = arm(tok, h)
        if a is not None:
            arms[h.i] = a
    for hi, (lab, _) in list(arms.items()):
        owned = doc[hi].head.i
        if lab.endswith(">poss") and owned in arms and arms[owned][0] == lab[: -len(">poss")]:
            del arms[hi]  # "compete with Alphabet's Google": Google fills the slot, not Alphabet
    if len(arms) < 2:
        return
    coagents(tok, sent_args, arms)
    neg = None
    for trig in trigs:
        if not trigger_matches(tok, trig):
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
                if not fills(trig, a1[0], a2[0], tok, lexicon) or (a1[0] == a2[0] and not paired):
                    continue
                if neg is None:
                    neg = negated(tok)
                if neg:
                    continue
                s_idx, o_idx = (i2, i1) if trig.invert else (i1, i2)
                rel = make_relation(
                    doc,
                    sent,
                    tok,
                    trig,
                    mentions,
                    s_idx,
                    o_idx,
                    a1[1] + a2[1],
                    src1,
                    src2,
                    rule="trigger:" + trig.lemma,
                )
                if rel is not None:
                    keep(out, rel)
