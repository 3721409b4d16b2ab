"""What the KnowledgeNet conversion knows: the property mapping, type signatures, pronouns, name words.

Which KnowledgeNet properties are predicates of ours (and which way round), the person /
organization type each property's ends vote for, the pronouns and company words that
decide a type when no fact does, and the small text keys the grouping compares.
"""

from __future__ import annotations

import re

# KnowledgeNet property name -> (our predicate, inverted)
MAPPED = {
    "CEO": ("leads", True),
    "FOUNDED_BY": ("founded", True),
    "SUBSIDIARY_OF": ("subsidiaryOf", False),
    "EMPLOYEE_OR_MEMBER_OF": ("worksFor", False),
}

# Property ids of the dataset files (names are also given in the passages' headers).
PROPERTY_NAMES = {
    "1": "SUBSIDIARY_OF",
    "2": "FOUNDED_BY",
    "3": "EMPLOYEE_OR_MEMBER_OF",
    "4": "CEO",
    "5": "DATE_FOUNDED",
    "6": "HEADQUARTERS",
    "9": "EDUCATED_AT",
    "10": "NATIONALITY",
    "11": "PLACE_OF_RESIDENCE",
    "12": "PLACE_OF_BIRTH",
    "14": "DATE_OF_DEATH",
    "15": "DATE_OF_BIRTH",
    "25": "SPOUSE",
    "34": "CHILD_OF",
    "45": "POLITICAL_AFFILIATION",
}

PER, ORG = "Person", "Organization"
# (subject type, object type) per property; None = not a person/organization of ours,
# "?" = a person or an organization (no vote).
_ROLES = {
    "SUBSIDIARY_OF": (ORG, ORG),
    "FOUNDED_BY": (ORG, "?"),
    "EMPLOYEE_OR_MEMBER_OF": (PER, ORG),
    "CEO": (ORG, PER),
    "DATE_FOUNDED": (ORG, None),
    "HEADQUARTERS": (ORG, None),
    "EDUCATED_AT": (PER, ORG),
    "NATIONALITY": (PER, None),
    "PLACE_OF_RESIDENCE": (PER, None),
    "PLACE_OF_BIRTH": (PER, None),
    "DATE_OF_DEATH": (PER, None),
    "DATE_OF_BIRTH": (PER, None),
    "SPOUSE": (PER, PER),
    "CHILD_OF": (PER, PER),
    "POLITICAL_AFFILIATION": (PER, ORG),
}
# predicate -> (allowed subject types, allowed object types)
_SIGNATURES = {
    "leads": ({PER}, {ORG}),
    "founded": ({PER, ORG}, {ORG}),
    "subsidiaryOf": ({ORG}, {ORG}),
    "worksFor": ({PER}, {ORG}),
}

_PERSON_PRONOUNS = frozenset("he him his himself she her hers herself who whom whose".split())
_ORG_PRONOUNS = frozenset("it its itself which".split())
_OTHER_PRONOUNS = frozenset(
    "they them their theirs themselves we us our ours ourselves i me my mine you your yours "
    "that this these those".split()
)
PRONOUNS = _PERSON_PRONOUNS | _ORG_PRONOUNS | _OTHER_PRONOUNS

_ORG_WORDS = frozenset(
    "inc incorporated corp corporation co company ltd limited llc plc group holdings "
    "bank university college school institute foundation association society club "
    "party council committee agency ministry department records studios studio "
    "productions entertainment media network press publishing partners capital ventures "
    "industries international systems technologies labs laboratories team band "
    "orchestra church hospital museum fund trust union federation league".split()
)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _is_pronoun(text: str) -> bool:
    return _key(text) in PRONOUNS


def _has_run(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return 0 < n < len(longer) and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))
