"""Verbs the tagger took for plural nouns: "Tencent's Yuanbao assistant runs on Hunyuan"."""

from __future__ import annotations

from ingest.relations.lexicon import Lexicon

# Where a mis-tagged verb hangs its subject: the noun before it, taken as its modifier.
_GLUED_SUBJECT = ("compound", "amod", "nmod")


def retag_verbs(doc, lexicon: Lexicon) -> None:
    """Read a plural noun that heads a clause as the verb it is, and give a verb its subject.

    The small model tags "runs" in "the assistant runs on X" and "licenses" in "a model
    that Sarki licenses from Y" as plural nouns and hangs the noun before them on them as a
    modifier, so no verb trigger sees them and no arm finds their subject. A token is
    re-read as a verb only when a verb trigger of the lexicon has its lemma and no noun
    trigger does, the word before it is that glued-on subject, and a preposition or
    object follows it: "military uses" and "sells licenses to" stay nouns. A verb tagged
    as one ("the Yuanbao assistant runs on X") may still carry its subject as such a
    modifier: it becomes the subject under the same conditions.
    """
    for tok in doc:
        if tok.i == 0:
            continue
        lemma = tok.lemma_.lower()
        if tok.tag_ in ("VBZ", "VBD", "VBP"):
            mis_tagged = False  # a verb whose subject the parser glued on as a modifier
        elif tok.tag_ == "NNS" and tok.lower_.endswith("s"):
            mis_tagged = True
            if (lemma, "VERB") not in lexicon.by_lemma or (lemma, "NOUN") in lexicon.by_lemma:
                continue
        else:
            continue
        subject = doc[tok.i - 1]
        if (
            subject.head.i != tok.i
            or subject.dep_ not in _GLUED_SUBJECT
            or subject.pos_ not in ("NOUN", "PROPN")
            or tok.dep_ in ("compound", "amod", "nsubj", "nsubjpass")
            or not any(c.i > tok.i and c.dep_ in ("prep", "dobj") for c in tok.children)
            or any(c.dep_ in ("nsubj", "nsubjpass", "det") for c in tok.children)
        ):
            continue
        if mis_tagged:
            tok.pos_, tok.tag_ = "VERB", "VBZ"
        subject.dep_ = "nsubj"
