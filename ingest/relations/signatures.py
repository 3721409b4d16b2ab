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
