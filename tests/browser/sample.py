"""A small graph for the page tests, loaded through the real loader without spaCy.

It holds the hostile cases on purpose: an entity whose name is an HTML tag with an
event handler, and evidence that tries to close the page's ``<script>`` element.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.store import LocalStore

MSFT = Entity("Microsoft", "Organization", "Q2283", ("MSFT",))
OPENAI = Entity("OpenAI", "Organization", "Q21708200", ("Open AI",))
ANTHROPIC = Entity("Anthropic", "Organization", "Q116758847")
AMAZON = Entity("Amazon", "Organization", "Q3884")
GOOGLE = Entity("Google", "Organization", "Q95")
NVIDIA = Entity("Nvidia", "Organization", "Q182477")
SULEYMAN = Entity("Mustafa Suleyman", "Person", "Q17183285")
MSAI = Entity("Microsoft AI", "Organization")
GPT4 = Entity("GPT-4", "AIModel", "Q116737890")
COPILOT = Entity("Copilot", "Product")
XSS = Entity("<img src=x onerror=alert(1)>", "Organization")

S_INVEST = "Microsoft invested ten billion dollars in OpenAI this week."
S_RIVAL = "Anthropic is a direct rival of OpenAI in the chatbot market."
S_DEVELOPS = "OpenAI built GPT-4 as its flagship model."
S_AMAZON = "Amazon put four billion dollars into Anthropic."
S_LEADS = "Mustafa Suleyman now runs Microsoft AI."
S_USES = "Copilot runs on GPT-4 under the hood."
S_SUPPLY = "Nvidia supplies chips to Microsoft for its data centres."
S_GOOGLE = "Google is reportedly weighing a stake in Anthropic."
S_XSS = "</script><script>alert(1)</script> said <img src=x onerror=alert(1)> teams up with Microsoft."


def _extraction(
    text: str, title: str, url: str, day: date, triples: list[tuple[Entity, str, Entity, str, float, bool]]
) -> Extraction:
    art = Article(text=text, url=url, title=title, published=day)
    rels = []
    for s, p, o, sentence, conf, hedged in triples:
        start = art.text.index(sentence)
        rels.append(RelationMention(s, p, o, conf, sentence, start, start + len(sentence), hedged=hedged))
    ents = tuple({e.slug: e for r in rels for e in (r.subject, r.object)}.values())
    return Extraction(art, ents, tuple(rels), "viz-test-1")


EXTRACTIONS = [
    _extraction(
        f"{S_INVEST} {S_DEVELOPS}",
        "Microsoft bets big on OpenAI",
        "https://news.example/msft-openai",
        date(2023, 1, 23),
        [(MSFT, "investsIn", OPENAI, S_INVEST, 0.95, False), (OPENAI, "develops", GPT4, S_DEVELOPS, 0.9, False)],
    ),
    _extraction(
        f"{S_AMAZON} {S_RIVAL}",
        "Amazon backs Anthropic",
        "https://news.example/amazon-anthropic",
        date(2023, 9, 25),
        [
            (AMAZON, "investsIn", ANTHROPIC, S_AMAZON, 0.9, False),
            (ANTHROPIC, "competesWith", OPENAI, S_RIVAL, 0.8, False),
        ],
    ),
    _extraction(
        f"{S_LEADS} {S_USES}",
        "Suleyman takes over Microsoft AI",
        "https://news.example/suleyman",
        date(2024, 3, 19),
        [(SULEYMAN, "leads", MSAI, S_LEADS, 0.85, False), (COPILOT, "uses", GPT4, S_USES, 0.8, False)],
    ),
    _extraction(
        f"{S_SUPPLY} {S_GOOGLE}",
        "Chips and stakes",
        "https://news.example/chips",
        date(2024, 4, 2),
        [(NVIDIA, "suppliesTo", MSFT, S_SUPPLY, 0.9, False), (GOOGLE, "investsIn", ANTHROPIC, S_GOOGLE, 0.6, True)],
    ),
    _extraction(
        S_XSS,
        "<b>Labs</b> & friends",
        "javascript:alert(1)",
        date(2024, 5, 1),
        [(XSS, "partnersWith", MSFT, S_XSS, 0.7, False)],
    ),
    _extraction(
        f"Again: {S_INVEST}",
        "More Microsoft money",
        "https://news.example/msft-again",
        date(2024, 6, 1),
        [(MSFT, "investsIn", OPENAI, S_INVEST, 0.8, False)],
    ),
]


def fake_extract(batch: list[Article]) -> Iterable[Extraction]:
    """Return the hand-made extraction of each known article."""
    by_id = {ex.article.id: ex for ex in EXTRACTIONS}
    for a in batch:
        known = by_id[a.id]
        yield Extraction(a, known.entities, known.relations, known.extractor_version)


def build_store(path: Path) -> Path:
    """Load the sample into a store directory and close it."""
    with LocalStore(path) as store:
        ingest(store, [ex.article for ex in EXTRACTIONS], fake_extract)
    return path
