"""Anaphoric partnerships: "the partnership" referring back to a pair named before."""

from __future__ import annotations

from ingest.relations.clauses import negated
from ingest.relations.records import Context, Record, keep
from ingest.relations.signatures import ORG
from ingest.relations.words import WORDS

_PAIR_PREDICATES = ("investsIn", "partnersWith", "disputesWith", "suppliesTo")


def anaphoric_partnerships(ctx: Context) -> None:
    """Add partnersWith for "the partnership" / "their alliance" naming no partner itself.

    The partners are the two organizations of the latest investment, partnership,
    dispute or supply relation stated before the noun, in its sentence or the previous one ("Microsoft
    is making an investment in OpenAI, extending a partnership that began in 2019").
    """
    doc, mentions, out = ctx.doc, ctx.mentions, ctx.out
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        if any(r.predicate == "partnersWith" and r.sent_start == sent.start_char for r in out.values()):
            continue
        for tok in sent:
            if tok.lemma_.lower() not in WORDS.alliance_nouns or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            definite = any(
                c.dep_ in ("det", "poss") and c.lower_ in ("the", "their", "this", "that") for c in tok.children
            )
            renewed = tok.head.lemma_ in WORDS.renew_verbs or any(
                c.dep_ == "amod" and c.lemma_ in ("expand", "expanded", "deepen", "renew", "extend", "longstanding")
                for c in tok.children
            )
            if not (definite or renewed) or any(
                c.dep_ == "prep" and c.lower_ in ("with", "between") for c in tok.children
            ):
                continue
            if negated(tok):
                continue
            lo = sents[k - 1].start_char if k > 0 else sent.start_char
            near = [
                r
                for r in out.values()
                if r.predicate in _PAIR_PREDICATES
                and lo <= r.sent_start <= sent.start_char
                and mentions[r.subject]["type"] == ORG
                and mentions[r.object]["type"] == ORG
                and not r.hedged
                and (r.sent_start < sent.start_char or max(mentions[r.subject]["s"], mentions[r.object]["s"]) < tok.i)
            ]
            if not near:
                continue
            last = max(near, key=lambda r: (r.sent_start, -r.confidence))
            keep(
                out,
                Record(
                    subject=last.subject,
                    object=last.object,
                    predicate="partnersWith",
                    confidence=round(min(0.6, last.confidence) * 0.85, 3),
                    hedged=False,
                    sent_start=sent.start_char,
                    sent_end=sent.end_char,
                    amount=None,
                    date=None,
                    trigger=tok.text,
                    rule="anaphoric",
                ),
            )
            break
