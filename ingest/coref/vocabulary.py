"""The words coreference reads: pronouns and descriptions with the types they stand for,
unit nouns and their epithets, the words that may name the story's topic, and
:data:`LINK_KINDS`, how a link was made."""

from __future__ import annotations

from ingest.entities.names import joined_word as word

__all__ = ["word"]


# Pronouns and the entity type they can stand for.
_PRONOUNS = {
    "it": "Organization",
    "its": "Organization",
    "itself": "Organization",
    "he": "Person",
    "him": "Person",
    "his": "Person",
    "she": "Person",
    "her": "Person",
}
# Head nouns of definite descriptions ("the company", "the AI lab") and their type.
_DESCRIPTION_NOUNS = {
    "company": "Organization",
    "startup": "Organization",
    "start-up": "Organization",
    "spin-off": "Organization",
    "spinout": "Organization",
    "firm": "Organization",
    "lab": "Organization",
    "laboratory": "Organization",
    "giant": "Organization",
    "maker": "Organization",
    "developer": "Organization",
    "chipmaker": "Organization",
    "group": "Organization",
    "outfit": "Organization",
    "unicorn": "Organization",
    "organization": "Organization",
    "organisation": "Organization",
    "nonprofit": "Organization",
    "conglomerate": "Organization",
    "billionaire": "Person",
    "entrepreneur": "Person",
    "executive": "Person",
    "businessman": "Person",
    "businesswoman": "Person",
    # a model or product named before: "The model is available through Amazon Bedrock"
    "model": "AIModel|Product",
    "chatbot": "AIModel|Product",
    "assistant": "AIModel|Product",
    "app": "Product",
    "chip": "Product",
    "processor": "Product",
    "service": "Product|AIModel",
    "robot": "Product",
    "tool": "Product",
    "platform": "Product",
    "engine": "Product",
    "software": "Product",
    "device": "Product",
    "headset": "Product",
    "drone": "Product",
}
# Modifiers that make a description name the company a merger makes, never one named
# before ("the merged group", "the combined company").
_MERGED_WORDS = {"merged", "combined", "enlarged"}
# Nouns naming a part of an organization ("Microsoft's AI division").
_UNIT_NOUNS = {"division", "unit", "arm", "lab", "labs", "laboratory", "group", "business", "subsidiary"}
# Words before a unit's modifier that leave the unit as it is ("its new AI division").
_UNIT_EPITHETS = {
    "new",
    "newly",
    "formed",
    "created",
    "own",
    "main",
    "dedicated",
    "fledgling",
    "secretive",
    "flagship",
    "core",
    "fast",
    "-",
    "growing",
    "lucrative",
    "struggling",
    "big",
    "biggest",
    "large",
    "largest",
    "key",
    "in-house",
    "internal",
    "former",
}
# Descriptions (and the possessive pronoun) that may stand for the story's topic: the
# generic ones only ("the chipmaker" says more than the topic may fit).
_TOPIC_WORDS = {"company", "startup", "start-up", "firm", "its"}
# Descriptions that never stand for a long-established company or a unit of one
# (:meth:`ingest.entities.Gazetteer.not_startup`).
_YOUNG_WORDS = {"startup", "start-up", "unicorn", "upstart"}
# How a link was made: a pronoun or a description resolved to an earlier name, the
# story's topic, a gazetteer descriptor ("the ChatGPT maker"), a unit of a named owner,
# an apposition ("Cognition, the maker of Devin"), a copula ("X is the firm ...") or a
# relative "whose".
# Verbs that report speech: their subject speaks ("said Lisa Su", "an Nvidia engineer told")
REPORTING = frozenset(
    {"say", "tell", "add", "state", "note", "explain", "write", "insist", "argue", "declare", "remark"}
)
LINK_KINDS = ("pronoun", "description", "topic", "descriptor", "unit", "apposition", "copula", "relative", "speaker")
_SUBJ_DEPS = {"nsubj", "nsubjpass"}
# How many sentences back an antecedent may be.
_MAX_SENT_BACK = 3
