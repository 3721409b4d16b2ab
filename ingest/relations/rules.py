"""The rule extractor: the passes, registered in order, and :func:`extract`, which runs them.

Three lists say what runs and in which order; adding a construction is one function in
:mod:`ingest.relations.passes` and one line here (the name is the ``rule`` its records
carry, or the prefix of it):

- :data:`TOKEN_PASSES` run for every token of a sentence that is a lexicon trigger,
- :data:`SENTENCE_PASSES` run once per sentence after them,
- :data:`DOCUMENT_PASSES` run once over the whole doc at the end, on what the others found.

Each pass adds records to ``ctx.out`` through :func:`ingest.relations.records.keep`,
which keeps the most confident record per pair, predicate and sentence; a tie keeps the
first, so the order of the lists matters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ingest.coref.plural import plural_members
from ingest.relations.clauses import SENT_ENTS, ents_by_sentence
from ingest.relations.lexicon import Lexicon
from ingest.relations.names import add_fallback_names
from ingest.relations.passes.anaphora import anaphoric_partnerships
from ingest.relations.passes.groups import group_pass, plural_groups
from ingest.relations.passes.lists import expand_lists
from ingest.relations.passes.possessive import maker_develops, possessive_develops
from ingest.relations.passes.roles import implicit_roles, succession, title_relations
from ingest.relations.passes.rounds import round_participants
from ingest.relations.passes.triggers import trigger_pass
from ingest.relations.records import Context
from kg.model import SYMMETRIC_PREDICATES

# (ctx, sentence, its arguments, trigger token, its lexicon entries)
TOKEN_PASSES: tuple[tuple[str, Callable], ...] = (
    ("group", group_pass),  # "the two companies" filling the pair slot of a symmetric trigger
    ("trigger", trigger_pass),  # two arguments in the slots a trigger names ("X acquired Y")
)
# (ctx, sentence, its arguments)
SENTENCE_PASSES: tuple[tuple[str, Callable], ...] = (
    ("round", round_participants),  # "Thrive Capital led the round": investors of the company raising
    ("possessive", possessive_develops),  # "OpenAI's GPT-4"
    ("maker", maker_develops),  # "Nvidia H100 GPUs"
    ("title", title_relations),  # "OpenAI chief executive Sam Altman"
    ("implicit_role", implicit_roles),  # "X will serve as interim chief executive"
    ("succession", succession),  # "X will be replaced by Y"
)
# (ctx)
DOCUMENT_PASSES: tuple[tuple[str, Callable], ...] = (
    ("anaphoric", anaphoric_partnerships),  # "the partnership" of a pair named before
    ("list", expand_lists),  # "A, B and C": the relation of one member for every member
)


def extract(doc, mentions: list[dict], coref: list[list[int]], lexicon: Lexicon) -> list[dict]:
    """Return the relation mentions a parsed, entity-tagged doc states.

    Args:
        doc: the spaCy Doc.
        mentions: entity mentions (:func:`ingest.entities.find_mentions`); fallback
            names are appended and types corrected in place.
        coref: ``[token, mention, kind]`` links (:func:`ingest.coref.resolve`).
        lexicon: the trigger lexicon.

    Returns:
        Plain dicts: ``s``/``o`` (mention indexes), ``p`` (predicate), ``c``
        (confidence), ``h`` (hedged), ``ss``/``se`` (sentence char offsets), ``amount``,
        ``date``, ``trigger`` (the trigger's text, or ``"title"``/``"'s"``), ``ti`` (the
        trigger's token, where one trigger token made it), ``rule`` (the pass that made
        it, see :data:`TOKEN_PASSES`); deduplicated per sentence.
    """
    add_fallback_names(doc, mentions)
    ctx = Context(doc=doc, mentions=mentions, coref=coref, lexicon=lexicon)
    args: dict[int, tuple[int, str]] = {}
    for idx, m in enumerate(mentions):
        if m.get("virtual"):
            continue
        span = doc[m["s"] : m["e"]]
        # every token attached outside the span is an entry point: the small model
        # often hangs "GSB Mortgage, Inc." on the verb by "Inc." rather than by its root
        for t in span:
            if t.i == span.root.i or not (m["s"] <= t.head.i < m["e"]):
                args.setdefault(t.i, (idx, m["src"]))
    for tok_i, idx, *_ in coref:
        args.setdefault(tok_i, (idx, "coref"))
    # "Both buy chips from X": the plural word stands for its first member here, and what the
    # rules find of that member there is said of every member (:func:`_plural_records`)
    plural = [(t, members) for t, members in plural_members(doc, mentions) if t not in args]
    for tok_i, members in plural:
        args[tok_i] = (members[0], "coref")
    ctx.coref_tokens = {link[0] for link in coref} | {t for t, _ in plural}
    in_name = names_tokens(doc, mentions)
    # arguments and named-entity spans bucketed by sentence in one pass: filtering the
    # whole doc per sentence is quadratic, and a book-length article has 10,000 sentences
    for i, (idx, src) in args.items():
        ctx.by_sent.setdefault(doc[i].sent.start, []).append((doc[i], idx, src))
    own_cache = SENT_ENTS not in doc.user_data  # the pipeline may hold it for the whole component
    if own_cache:
        doc.user_data[SENT_ENTS] = ents_by_sentence(doc)
    try:
        ctx.groups = plural_groups(doc, mentions, coref)
        for k_sent, sent in enumerate(doc.sents):
            ctx.sent_index = k_sent
            sent_args = ctx.by_sent.get(sent.start, [])
            if not sent_args and not ctx.groups.get(sent.start):
                continue
            for tok in sent:
                trigs = lexicon.at(tok)
                if not trigs or tok.i in in_name or (len(sent_args) < 2 and not ctx.groups.get(sent.start)):
                    continue
                for _, run in TOKEN_PASSES:
                    run(ctx, sent, sent_args, tok, trigs)
            for _, run in SENTENCE_PASSES:
                run(ctx, sent, sent_args)
        for _, run in DOCUMENT_PASSES:
            run(ctx)
    finally:
        if own_cache:
            doc.user_data.pop(SENT_ENTS, None)
    return _settle(_plural_records(doc, mentions, plural, list(ctx.out.values())), mentions)


def _plural_records(doc, mentions: list[dict], plural: list[tuple[int, list[int]]], records: list) -> list:
    """Add, for a record of the first member of a plural word's group in the plural word's
    sentence (where that member is not named itself), the same record for each other member."""
    out = list(records)
    for tok_i, members in plural:
        sent = doc[tok_i].sent
        ss = sent.start_char
        if any(sent.start <= mentions[i]["s"] < sent.end for i in members):
            continue  # "A and B said they ...": the members are named in the sentence itself
        first = members[0]
        for r in records:
            if r.sent_start != ss or first not in (r.subject, r.object):
                continue
            for other in members[1:]:
                side = {"subject": other} if r.subject == first else {"object": other}
                if other not in (r.subject, r.object):
                    out.append(replace(r, **side))
    return out


def names_tokens(doc, mentions: list[dict]) -> set[int]:
    """Return the tokens that are part of a name, which are no triggers.

    The nouns of a name of two or more words, and a capitalized proper noun right after a
    name ("OpenAI Group" where the gazetteer knows "OpenAI"): "Group" there names the
    company and says nothing about a parent group. A verb stays a trigger even inside a
    name: NER sometimes takes it in ("Universal sued").
    """
    out = set()
    for m in mentions:
        if m.get("virtual"):
            continue
        if m["e"] - m["s"] > 1:
            out.update(t for t in range(m["s"], m["e"]) if doc[t].pos_ in ("NOUN", "PROPN"))
        nxt = m["e"]
        if nxt < len(doc) and doc[nxt].pos_ == "PROPN" and doc[nxt].is_title and not doc[nxt].is_sent_start:
            out.add(nxt)
    return out


def _settle(records, mentions: list[dict]) -> list[dict]:
    """Return one record per fact, as a plain dict, dropping what another record of its sentence implies."""
    # one mention per (names, predicate, sentence): the same entity named twice in a
    # sentence gives two mention indexes but one fact
    best: dict[tuple, dict] = {}
    for r in records:
        names = (mentions[r.subject]["name"], mentions[r.object]["name"])
        if r.predicate in SYMMETRIC_PREDICATES:
            names = tuple(sorted(names))
        key = (names, r.predicate, r.sent_start)
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    named = lambda r: (mentions[r.subject]["name"], mentions[r.object]["name"], r.sent_start)  # noqa: E731
    sued = {(frozenset(named(r)[:2]), r.sent_start) for r in best.values() if r.predicate == "sues"}
    # a lawsuit is a sues relation; the accusations its sentence reports are not a second fact
    best = {
        k: r
        for k, r in best.items()
        if not (r.predicate == "disputesWith" and (frozenset(named(r)[:2]), r.sent_start) in sued)
    }
    made = {named(r)[:2] for r in best.values() if r.predicate == "develops"}
    # a developer putting its own model to work is not a user of it ("Google is folding
    # its Gemini models into Workspace": Workspace uses Gemini, Google develops it)
    best = {k: r for k, r in best.items() if not (r.predicate == "uses" and named(r)[:2] in made)}
    leads = {named(r) for r in best.values() if r.predicate in ("leads", "founded")}
    # a leader or founder is also on staff; saying so again adds nothing
    return [r.to_dict() for r in best.values() if not (r.predicate == "worksFor" and named(r) in leads)]
