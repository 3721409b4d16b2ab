"""Vendor the Yasgui SPARQL editor into api/static/vendor/yasgui (``make vendor``).

The /query page loads Yasgui from this server, never from a CDN. This script is the one
way the files there are made: ``npm pack`` fetches the pinned release of
``@zazuko/yasgui`` from the npm registry, the tarball's sha512 must equal the integrity
pinned below (the registry's ``dist.integrity`` of that release), and only then are the
prebuilt bundle (``yasgui.min.js``, ``yasgui.min.css``) and the package's manifest
extracted, byte for byte. The package ships no licence file, so a NOTICE is written from
its manifest (MIT) and from the license comments that its source map keeps for each
library the bundle contains. SHA256SUMS lists every vendored file; the tests check the
committed files against it, so CI and pip users never need npm.

Usage: ``python scripts/vendor_yasgui.py [--check]``; ``--check`` only verifies the
committed files against SHA256SUMS. Exit status 0 on success, 1 on a failed check, 2 on
a usage error.
"""

from __future__ import annotations

import json
import re
import sys
import tarfile
import tempfile
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from npm_vendor import (  # noqa: E402  (the shared part sits beside this script)
    SUMS,
    VendorError,
    extract,
    integrity_of,
    replace_folder,
    run_cli,
    sha256sums,
)
from npm_vendor import check as _check  # noqa: E402
from npm_vendor import (
    fetch_tarball as _fetch,
)

__all__ = ["SUMS", "VendorError", "check", "integrity_of", "sha256sums", "vendor"]

PACKAGE = "@zazuko/yasgui"
VERSION = "4.6.2"
INTEGRITY = "sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw=="
# Tarball member -> vendored file name.
FILES = {
    "package/build/yasgui.min.js": "yasgui.min.js",
    "package/build/yasgui.min.css": "yasgui.min.css",
    "package/package.json": "package.json",
}
SOURCE_MAP = "package/build/yasgui.min.js.map"

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "api" / "static" / "vendor" / "yasgui"


def fetch_tarball(workdir: Path) -> Path:
    """Run ``npm pack`` for the pinned release into ``workdir`` and return the tarball.

    Raises:
        VendorError: npm is missing or failed, or the tarball's sha512 is not the pinned one.
    """
    return _fetch(PACKAGE, VERSION, INTEGRITY, workdir)


def _licence_comments(text: str) -> list[str]:
    """Return the block comments of a source file that carry a copyright or licence."""
    found = []
    for m in re.finditer(r"/\*.*?\*/", text[:20_000], re.S):
        body = m.group(0)
        if re.search(r"licen[cs]e|copyright|\(c\)", body, re.I):
            found.append(body)
    return found


def bundled_libraries(source_map: dict) -> dict[str, list[str]]:
    """Return each npm package the bundle contains with the licence comments of its sources."""
    libs: dict[str, list[str]] = {}
    contents = source_map.get("sourcesContent") or [None] * len(source_map["sources"])
    for path, text in zip(source_map["sources"], contents, strict=True):
        m = re.search(r"node_modules/((?:@[^/]+/)?[^/]+)", path)
        if not m:
            continue
        notes = libs.setdefault(m.group(1), [])
        for c in _licence_comments(text or ""):
            if c not in notes:
                notes.append(c)
    return dict(sorted(libs.items()))


def notice(manifest: dict, libs: dict[str, list[str]]) -> str:
    """Return the NOTICE text: what was vendored, under which licences."""
    lines = [
        f"{manifest['name']} {manifest['version']}, vendored by scripts/vendor_yasgui.py",
        f"from the npm registry (tarball integrity {INTEGRITY}).",
        "",
        f"Licence: {manifest.get('license', 'not stated')}, as its package.json (beside this file) declares;",
        "the package ships no licence file of its own.",
        f"Author: {manifest.get('author', 'not stated')}; contributors: "
        + ", ".join(c.get("name", "") for c in manifest.get("contributors", []))
        + ".",
        f"Source: {manifest.get('homepage', '')}",
        "",
        "The bundle yasgui.min.js also contains these npm packages (the list comes from the",
        "release's source map); each stays under its own licence, and the licence comments",
        "its sources carry are repeated below.",
        "",
    ]
    for name, notes in libs.items():
        lines.append(f"== {name}")
        lines.extend(notes or ["(no licence comment in the bundled sources)"])
        lines.append("")
    return "\n".join(lines)


def check(folder: Path = TARGET) -> list[str]:
    """Return the problems of the vendored files against their SHA256SUMS (empty: all good)."""
    return _check(folder, "make vendor")


def vendor(target: Path = TARGET) -> None:
    """Fetch, verify and extract the pinned release into ``target`` (replacing what is there).

    Raises:
        VendorError: a step failed; ``target`` is left as it was.
    """
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tarball = fetch_tarball(work)
        staged = work / "staged"
        staged.mkdir()
        extract(tarball, FILES, staged)
        with tarfile.open(tarball, "r:gz") as tar:
            source_map = json.loads(tar.extractfile(SOURCE_MAP).read())
        manifest = json.loads((staged / "package.json").read_text())
        if (manifest["name"], manifest["version"]) != (PACKAGE, VERSION):
            raise VendorError(f"the tarball holds {manifest['name']} {manifest['version']}")
        (staged / "NOTICE").write_text(notice(manifest, bundled_libraries(source_map)))
        replace_folder(staged, target)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    return run_cli(
        __doc__,
        "vendor_yasgui",
        TARGET.relative_to(REPO),
        vendor,
        check,
        f"{PACKAGE}@{VERSION} written to {TARGET.relative_to(REPO)}",
        argv,
    )


if __name__ == "__main__":
    sys.exit(main())
