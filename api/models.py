"""Response (and request) bodies of the REST API, as they appear in OpenAPI."""

from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Generic, Literal, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

T = TypeVar("T")

#: The largest ``offset`` of a list route: past any real store, and far inside what SPARQL's
#: OFFSET takes (past 2**64 the parser refuses it with a message of its own).
MAX_OFFSET = 1_000_000_000
#: The ``offset`` query parameter of the list routes (422 past MAX_OFFSET).
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip (at most {MAX_OFFSET:,}).")]


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items``, and ``total`` matches in all pages."""

    items: list[T]
    total: int
    limit: int
    offset: int


class EntityRef(BaseModel):
    """An entity as other resources mention it."""

    slug: str
    iri: str
    label: str
    type: str | None = None


class ArticleIn(BaseModel):
    """An article to ingest."""

    text: str = Field(min_length=1, description="The article's text (plain text).")
    title: str | None = None
    url: str | None = Field(None, description="Where it was published; a new text at a known url replaces the old.")
    published: Date | None = Field(None, description="Publication day, YYYY-MM-DD.")


#: ISO 8601 at its own precision: a day, a month or a year.
IsoDate = Annotated[
    str | None,
    Field(
        description="YYYY-MM-DD, YYYY-MM or YYYY (the precision the words allow).",
        examples=["2024-03-05", "2024-03", "2024"],
    ),
]


class StatementTime(BaseModel):
    """What one statement says about time and money (docs/TIME.md)."""

    ended: bool = Field(False, description="The sentence states the relation as over (former, left, sold).")
    stated_date: IsoDate = None
    date_text: str | None = Field(None, description="The date as the sentence words it.")
    start_date: IsoDate = None
    end_date: IsoDate = None
    claim_date: IsoDate = Field(
        None,
        description="The day the time rule places this statement at: its end "
        "(ended) or start date, else its stated date, else the article's.",
    )
    amount: str | None = None
    amount_value: float | None = Field(None, description="The amount as a number, in units of amount_currency.")
    amount_currency: str | None = Field(None, description="ISO 4217 code.")
    stake_percent: float | None = None


class Mention(StatementTime):
    """One relation as one sentence of an article states it."""

    subject: EntityRef
    predicate: str
    object: EntityRef
    confidence: float | None = None
    evidence: str
    hedged: bool = False
    start: int | None = None
    end: int | None = None


class ArticleSummary(BaseModel):
    """An article in a list."""

    id: str
    title: str | None = None
    url: str | None = None
    published: Date | None = None
    relations: int = Field(description="How many relation mentions were extracted from it.")


class ArticleDetail(ArticleSummary):
    """An article with the relations extracted from it."""

    iri: str
    ingested_at: str | None = None
    mentions: list[Mention]


class IngestedArticle(BaseModel):
    """What happened to one posted article."""

    id: str
    title: str | None = None
    url: str | None = None
    status: Literal["new", "unchanged", "replaced"]
    relations: list[Mention]


class IngestResult(BaseModel):
    """What a POST /articles did."""

    articles: list[IngestedArticle]
    skipped: list[dict[str, str]] = Field(
        default_factory=list, description="Inputs the readers could not use, with why."
    )
    violations: list[str] = Field(default_factory=list, description="Shape violations dropped from the batch.")


class CommittedCounts(BaseModel):
    """What the batches committed before a stop hold."""

    batches: int = Field(description="Batches committed whole.")
    total_batches: int = Field(description="Batches the request made.")
    articles: int
    new: int
    unchanged: int
    replaced: int
    relations: int


class PendingArticle(BaseModel):
    """A posted article that was not read because the server stopped first."""

    id: str
    title: str | None = None
    url: str | None = None


class IngestStoppedResult(BaseModel):
    """The 503 of a POST /articles that a server shutdown stopped between two batches."""

    detail: str = Field(examples=["server is shutting down: stopped after 3 of 8 batches; resend the rest"])
    committed: CommittedCounts
    articles: list[IngestedArticle] = Field(description="The articles of the committed batches.")
    remaining: list[PendingArticle] = Field(description="The articles to send again, in input order.")
    skipped: list[dict[str, str]] = Field(default_factory=list)
    violations: list[str] = Field(default_factory=list)


class Evidence(StatementTime):
    """One source sentence for a relation; ``date`` is its article's publication day."""

    sentence: str
    article: str
    title: str | None = None
    url: str | None = None
    date: Date | None = None
    confidence: float | None = None
    hedged: bool = False


class EntityRelation(BaseModel):
    """A relation of an entity, folded over all its mentions."""

    direction: Literal["out", "in"]
    predicate: str
    other: EntityRef
    sources: int
    first: Date | None = None
    last: Date | None = None
    confidence: float | None = None
    ended: bool = Field(False, description="Over, by the time rule (as of the day asked, or at all).")
    start_date: IsoDate = None
    end_date: IsoDate = None
    evidence: list[Evidence]


class EntitySummary(EntityRef):
    """An entity found by a search."""

    aliases: list[str] = Field(default_factory=list)
    wikidata: str | None = None
    match: Literal["exact", "prefix", "substring", "all"] = "all"


class EntityDetail(EntityRef):
    """An entity with everything the graph says about it."""

    types: list[str]
    labels: list[str]
    aliases: list[str]
    wikidata: str | None = None
    wikidata_url: str | None = None
    as_of: Date | None = Field(None, description="The day the relations are as of; null: all time.")
    relations: list[EntityRelation]


class Relation(BaseModel):
    """A relation (one direct triple) with the support behind it."""

    subject: EntityRef
    predicate: str
    object: EntityRef
    sources: int
    mentions: int
    first: Date | None = None
    last: Date | None = None
    confidence: float | None = None
    hedged: bool
    ended: bool = Field(False, description="Over, by the time rule (as of the day asked, or at all).")
    start_date: IsoDate = None
    end_date: IsoDate = None


class PathHop(BaseModel):
    """One step of a path between two entities."""

    from_: EntityRef = Field(alias="from")
    predicate: str
    to: EntityRef
    direction: Literal["forward", "backward"]
    sources: int
    ended: bool = Field(False, description="Over, by the time rule (as of the day asked, or at all).")
    start_date: IsoDate = None
    end_date: IsoDate = None

    model_config = {"populate_by_name": True}


class PathResult(BaseModel):
    """The shortest chain of relations between two entities."""

    length: int
    hops: list[PathHop]


class Ranked(BaseModel):
    """An entity with a centrality score."""

    entity: EntityRef
    score: float


class Community(BaseModel):
    """A group of densely related entities."""

    size: int
    members: list[EntityRef]


class NamedQueryOut(BaseModel):
    """A shipped SPARQL query."""

    name: str
    title: str
    description: str
    params: list[dict[str, str]]
    sparql: str
