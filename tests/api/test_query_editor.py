"""The vendored SPARQL editor: its files, their checksums, and what /query sends with it.

The browser side (autocomplete, errors, labels) is in tests/browser/test_query_editor_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.routes.pages import CSP, QUERY_CSP, YASGUI_STYLE_HASHES
from kg.namespaces import ONTOLOGY, PREFIXES

from .conftest import make_client

REPO = Path(__file__).resolve().parents[2]
VENDOR = REPO / "api" / "static" / "vendor" / "yasgui"


def _script():
    spec = importlib.util.spec_from_file_location("vendor_yasgui", REPO / "scripts" / "vendor_yasgui.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def vendor_script():
    return _script()


@pytest.fixture
def client(store_dir: Path) -> Iterator[TestClient]:
    with make_client(store_dir) as c:
        yield c


def test_committed_files_match_their_sha256sums(vendor_script):
    assert vendor_script.check(VENDOR) == []
    listed = {row.split("  ", 1)[1] for row in (VENDOR / "SHA256SUMS").read_text().splitlines()}
    assert listed == {"yasgui.min.js", "yasgui.min.css", "package.json", "NOTICE"}


def test_a_changed_or_missing_file_fails_the_check(vendor_script, tmp_path):
    copy = tmp_path / "yasgui"
    shutil.copytree(VENDOR, copy)
    js = copy / "yasgui.min.js"
    js.write_bytes(js.read_bytes().replace(b"Yasgui", b"Yasgul", 1))
    (copy / "package.json").unlink()
    (copy / "extra.js").write_text("alert(1)")
    assert vendor_script.check(copy) == [
        "extra.js: not listed in SHA256SUMS",
        "package.json: listed in SHA256SUMS but missing",
        "yasgui.min.js: sha256 differs from SHA256SUMS",
    ]


def test_vendored_release_is_the_pinned_one(vendor_script):
    manifest = json.loads((VENDOR / "package.json").read_text())
    assert (manifest["name"], manifest["version"]) == (vendor_script.PACKAGE, vendor_script.VERSION)
    assert manifest["license"] == "MIT"
    notice = (VENDOR / "NOTICE").read_text()
    assert f"{vendor_script.PACKAGE} {vendor_script.VERSION}" in notice and vendor_script.INTEGRITY in notice
    assert "== codemirror" in notice and "== dompurify" in notice
    # The npm integrity format the script checks against, on a known input.
    assert vendor_script.integrity_of(b"") == (
        "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
    )


def test_query_csp_allows_exactly_the_editor_tables_own_styles():
    js = (VENDOR / "yasgui.min.js").read_text(encoding="utf-8")
    # The two <style> texts the column resizer inside the bundle inserts: one fixed string,
    # and the drag cursor built from its default option.
    fixed = re.search(r"createStyle\(a,`([^`]*)`\)", js).group(1)
    assert "createStyle(document.querySelector(`head`),`*{cursor:`+n.opt.dragCursor+`!important}`)" in js
    assert "dragCursor:`col-resize`" in js
    styles = [fixed, "*{cursor:col-resize!important}"]
    hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in styles]
    assert list(YASGUI_STYLE_HASHES) == hashes
    assert QUERY_CSP.replace(" " + " ".join(hashes), "") == CSP
    assert "unsafe" not in QUERY_CSP


def test_query_page_loads_the_editor_from_this_server(client):
    r = client.get("/query")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == QUERY_CSP
    html = r.text
    assert '<script src="/static/vendor/yasgui/yasgui.min.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/vendor/yasgui/yasgui.min.css">' in html
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']?(https?:)?//""", html)
    assert "<noscript>" in html
    for name in ("yasgui.min.js", "yasgui.min.css"):
        served = client.get(f"/static/vendor/yasgui/{name}")
        assert served.status_code == 200 and served.content == (VENDOR / name).read_bytes()


def test_query_page_carries_its_prefixes_and_terms_as_inert_json(client):
    html = client.get("/query").text
    blob = re.search(r'<script id="editor-vocabulary" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in blob
    vocab = json.loads(blob)
    assert vocab["prefixes"] == PREFIXES and vocab["prefixes"]["aikg"] == ONTOLOGY
    assert {"aikg:investsIn", "aikg:Organization", "aikg:evidence"} <= set(vocab["terms"])
    assert all(t.startswith("aikg:") and len(t) > 5 for t in vocab["terms"])
