"""Headless Chromium (Debian's package) driven by Playwright, and the pages it opens.

Playwright's own browser download is not used: the system ``/usr/bin/chromium`` is
launched through ``executable_path``. Every request a page makes is recorded, and any
that leaves the page's own server is aborted and reported by the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import sample

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"


@dataclass
class Watched:
    """A page and what happened on it."""

    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign(self, allowed_origin: str | None) -> list[str]:
        """Return the requests that went anywhere but the page's own file or server."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("file", "data", "blob", "about"):
                continue
            if allowed_origin and f"{parts.scheme}://{parts.netloc}" == allowed_origin:
                continue
            out.append(url)
        return out + self.blocked


def open_watched(chromium, allowed_origin: str | None = None, **context_options) -> Watched:
    """Open a page in a new browser context (``context_options`` go to ``new_context``)."""
    context = chromium.new_context(**{"viewport": {"width": 1400, "height": 850}, **context_options})
    page = context.new_page()
    w = Watched(page)

    def route(r):
        parts = urlsplit(r.request.url)
        if parts.scheme in ("file", "data", "blob") or (
            allowed_origin and f"{parts.scheme}://{parts.netloc}" == allowed_origin
        ):
            r.continue_()
        else:
            w.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("request", lambda req: w.requests.append(req.url))
    page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: w.errors.append(str(exc)))

    def on_dialog(d):
        w.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    return w


@pytest.fixture
def watched(chromium) -> Iterator[callable]:
    """Open pages in fresh contexts; each is closed after the test."""
    opened: list[Watched] = []

    def make(allowed_origin: str | None = None) -> Watched:
        w = open_watched(chromium, allowed_origin)
        opened.append(w)
        return w

    yield make
    for w in opened:
        w.page.context.close()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    return sample.build_store(tmp_path_factory.mktemp("viz") / "store")


@pytest.fixture(scope="session")
def standalone_page(sample_store: Path, tmp_path_factory) -> Path:
    """The page ``aikg viz`` writes for the sample store."""
    import typer
    from typer.testing import CliRunner

    from aikg.cli_viz import viz

    app = typer.Typer()
    app.command()(viz)
    out = tmp_path_factory.mktemp("page") / "graph.html"
    from tests.api.conftest import SAMPLE_MIN_CONFIDENCE

    # the sample's weaker statements (0.6, the XSS name at 0.7) are on the page
    args = ["--store", str(sample_store), "-o", str(out), "--min-confidence", str(SAMPLE_MIN_CONFIDENCE)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def graph_server(tmp_path_factory):
    """A real API server process over its own copy of the sample store."""
    from tests.api.conftest import start_server, stop_server

    store = sample.build_store(tmp_path_factory.mktemp("served-viz") / "store")
    srv = start_server(store)
    yield srv
    stop_server(srv)


def wait_for(page, condition: str, timeout_s: float = 30.0) -> None:
    """Wait until a JS condition holds, polling inside the page.

    Playwright's ``wait_for_function`` re-evaluates its predicate with ``eval``, which
    the page's Content-Security-Policy forbids; a function given to ``evaluate`` is
    compiled by the debugger protocol instead.
    """
    page.evaluate(
        """ms => new Promise((resolve, reject) => {
        const t0 = performance.now();
        (function check() {
            if (%s) resolve(true);
            else if (performance.now() - t0 > ms) reject(new Error("timed out"));
            else setTimeout(check, 10);
        })();
    })"""  # noqa: UP031 - a JavaScript template whose one hole is %s
        % condition,
        timeout_s * 1000,
    )


def wait_ready(page, timeout_s: float = 30.0) -> None:
    """Wait until the network page is drawn and answers clicks."""
    wait_for(page, "window.aikg && window.aikg.state.ready", timeout_s)
