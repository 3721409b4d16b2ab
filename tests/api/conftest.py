"""API fixtures: real stores built through the loader with hand-made extractions.

In-process tests use TestClient on a store in tmp_path; the ``server`` fixture runs a
real uvicorn process (session-scoped) for tests with real SPARQL clients.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from kg.loader import ingest
from kg.model import Article, Entity, Extraction, RelationMention
from kg.store import LocalStore
from tests.servers import AikgServer

TOKEN = "test-token-9f2c"
REPO = Path(__file__).resolve().parents[2]

MSFT = Entity("Microsoft", "Organization", "Q2283", ("MSFT", "Microsoft Corporation"))
OPENAI = Entity("OpenAI", "Organization", "Q21708200", ("Open AI",))
ANTHROPIC = Entity("Anthropic", "Organization", "Q116758847")
AMAZON = Entity("Amazon", "Organization", "Q3884")
SULEYMAN = Entity("Mustafa Suleyman", "Person", "Q17183285")
MSAI = Entity("Microsoft AI", "Organization")
GPT4 = Entity("GPT-4", "AIModel", "Q116737890")
# Untrusted text from "the news": pages must escape it.
EVIL = Entity("<script>alert(1)</script> Labs", "Organization")


def _rel(s: Entity, p: str, o: Entity, sentence: str, text: str, conf: float = 0.9) -> RelationMention:
    start = text.index(sentence)
    return RelationMention(s, p, o, conf, sentence, start, start + len(sentence))


def make_extraction(
    text: str, title: str, url: str, published: date, triples: list[tuple[Entity, str, Entity, str, float]]
) -> Extraction:
    """Build an extraction the way the pipeline would, without spaCy."""
    art = Article(text=text, url=url, title=title, published=published)
    rels = tuple(_rel(s, p, o, sent, art.text, c) for s, p, o, sent, c in triples)
    ents = tuple({e.slug: e for r in rels for e in (r.subject, r.object)}.values())
    return Extraction(art, ents, rels, "test-1")


S1 = "Microsoft invested $10 billion in OpenAI."
S2 = "Anthropic competes with OpenAI."
S3 = "Amazon invested $4 billion in Anthropic."
S4 = "Mustafa Suleyman leads Microsoft AI."
S5 = "OpenAI develops GPT-4."
S6 = "Microsoft has put more money into OpenAI."
S7 = "<script>alert(1)</script> Labs partners with Microsoft."

EXTRACTIONS = [
    make_extraction(
        f"{S1} {S2} {S5}",
        "Microsoft bets on OpenAI",
        "https://news.example/msft-openai",
        date(2023, 1, 23),
        [
            (MSFT, "investsIn", OPENAI, S1, 0.95),
            (ANTHROPIC, "competesWith", OPENAI, S2, 0.8),
            (OPENAI, "develops", GPT4, S5, 0.9),
        ],
    ),
    make_extraction(
        f"{S3} {S2}",
        "Amazon and Anthropic",
        "https://news.example/amazon-anthropic",
        date(2023, 9, 25),
        [(AMAZON, "investsIn", ANTHROPIC, S3, 0.9), (ANTHROPIC, "competesWith", OPENAI, S2, 0.7)],
    ),
    make_extraction(
        f"{S4} {S6}",
        "Suleyman to lead Microsoft AI",
        "https://news.example/suleyman",
        date(2024, 3, 19),
        [(SULEYMAN, "leads", MSAI, S4, 0.85), (MSFT, "investsIn", OPENAI, S6, 0.6)],
    ),
    make_extraction(
        S7,
        "<b>Labs</b> & friends",
        "https://news.example/evil",
        date(2024, 5, 1),
        [(EVIL, "partnersWith", MSFT, S7, 0.5)],
    ),
]
ARTICLES = [ex.article for ex in EXTRACTIONS]


def fake_extract(batch: list[Article]) -> Iterable[Extraction]:
    """Return the hand-made extraction of each known article (the text decides)."""
    by_id = {ex.article.id: ex for ex in EXTRACTIONS}
    for a in batch:
        known = by_id.get(a.id)
        yield Extraction(a, known.entities, known.relations, "test-1") if known else Extraction(a, (), (), "test-1")


def build_store(path: Path) -> Path:
    """Ingest the sample extractions into a store directory and close it."""
    with LocalStore(path) as store:
        ingest(store, ARTICLES, fake_extract)
    return path


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return build_store(tmp_path / "store")


#: The Host header TestClient sends; the app answers only the hosts it is told about.
TEST_HOSTS = ["testserver"]


#: The display threshold the tests of pages and endpoints run at. The hand-made sample
#: statements run from 0.5 to 0.95 (weaker evidence, several sources, the XSS name at 0.5),
#: so these tests see all of them; the default a user gets (0.8) is tested by
#: tests/api/test_confidence_threshold.py, which passes ``min_confidence=None``.
SAMPLE_MIN_CONFIDENCE = 0.5


def make_client(store_dir: Path, **settings) -> TestClient:
    """A TestClient over a store; ``min_confidence=None`` leaves the server's own default."""
    settings.setdefault("allowed_hosts", TEST_HOSTS)
    settings.setdefault("min_confidence", SAMPLE_MIN_CONFIDENCE)
    if settings["min_confidence"] is None:
        del settings["min_confidence"]
    app = create_app(Settings(store=str(store_dir), **settings))
    from api.deps import get_extract

    app.dependency_overrides[get_extract] = lambda: fake_extract
    return TestClient(app)


@pytest.fixture
def client(store_dir: Path) -> Iterator[TestClient]:
    with make_client(store_dir, token=TOKEN) as c:
        yield c


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def start_server(store: Path, *, command: str = "uvicorn", timeout: float = 60, **env: str | None) -> AikgServer:
    """Start a server process on a free port over the store (see :class:`tests.servers.AikgServer`).

    Args:
        command: ``uvicorn`` (the app factory, configured from ``AIKG_*``) or ``aikg``
            (``aikg serve``, the command users run).
        env: extra ``AIKG_*`` settings for the process (``AIKG_QUERY_TIMEOUT="2"``);
            ``AIKG_MIN_CONFIDENCE`` is :data:`SAMPLE_MIN_CONFIDENCE` unless given (``None``:
            the server's own default).
    """
    env = {"AIKG_MIN_CONFIDENCE": str(SAMPLE_MIN_CONFIDENCE), **env}
    settings = {k.removeprefix("AIKG_").lower(): v for k, v in env.items() if v is not None}
    token = settings.pop("token", TOKEN)  # AIKG_TOKEN="NAME:SECRET" names the curator
    server = AikgServer(
        store, Path(store).parent, token=token, log_level="warning", command=command, verbose=False, **settings
    )
    server.start(timeout)
    return server


def stop_server(server: AikgServer) -> None:
    server.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AikgServer]:
    """A server process over the sample store, with a short timeout for the cut tests."""
    store = build_store(tmp_path_factory.mktemp("served") / "store")
    srv = start_server(store, AIKG_QUERY_TIMEOUT="2", AIKG_MAX_ROWS="0")
    yield srv
    stop_server(srv)
