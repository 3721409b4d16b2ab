"""Session-wide fixtures: the spaCy pipeline is loaded once, stores are per test."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("AIKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium through Playwright, launched once for the whole run.

    One sync Playwright per thread is all Playwright allows, so every suite shares this one.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium with `make browser` "
            "(apt-get install -y chromium), or point AIKG_CHROMIUM at one"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is missing: pip install -c constraints.txt -e '.[test]'")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
