"""What each predicate relates: the entity types of its subject (domain) and object (range)."""

# domain -> range per predicate (DESIGN.md); O = Organization, P = Person, M = AIModel, R = Product
ORG, PER, MOD, PRD = "Organization", "Person", "AIModel", "Product"

SIGNATURES = {
    "partnersWith": ({ORG}, {ORG}),
    "investsIn": ({ORG, PER}, {ORG}),
    "acquires": ({ORG}, {ORG, PRD, MOD}),
    "competesWith": ({ORG}, {ORG}),
    "subsidiaryOf": ({ORG}, {ORG}),
    "suppliesTo": ({ORG}, {ORG}),
    "disputesWith": ({ORG, PER}, {ORG, PER}),
    "sues": ({ORG, PER}, {ORG, PER}),
    "develops": ({ORG, PER}, {MOD, PRD}),
    "uses": ({ORG, PRD}, {MOD, PRD}),
    "leads": ({PER}, {ORG}),
    "founded": ({PER, ORG}, {ORG}),
    "worksFor": ({PER}, {ORG}),
}

# What no company does with a regulator, court or legislature (ingest.entities.is_regulator):
# a body that rules on companies is no rival, customer, owner, investment or product user
NOT_WITH_REGULATORS = frozenset(
    {"competesWith", "suppliesTo", "uses", "acquires", "investsIn", "subsidiaryOf", "develops"}
)
