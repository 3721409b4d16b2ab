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

import argparse
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

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
SUMS = "SHA256SUMS"


class VendorError(Exception):
    """A step of vendoring failed; the message says which and why."""


def integrity_of(data: bytes) -> str:
    """Return the npm-style ``sha512-<base64>`` integrity string of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def fetch_tarball(workdir: Path) -> Path:
    """Run ``npm pack`` for the pinned release into ``workdir`` and return the tarball.

    Raises:
        VendorError: npm is missing or failed, or the tarball's sha512 is not the pinned one.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is not installed (apt-get install -y npm)")
    spec = f"{PACKAGE}@{VERSION}"
    proc = subprocess.run([npm, "pack", spec, "--json", "--pack-destination", str(workdir)],  # noqa: S603
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise VendorError(f"npm pack {spec} failed: {proc.stderr.strip().splitlines()[-1:]}")
    name = json.loads(proc.stdout)[0]["filename"]
    tarball = workdir / name
    got = integrity_of(tarball.read_bytes())
    if got != INTEGRITY:
        raise VendorError(f"{name}: sha512 is {got}, the pinned integrity is {INTEGRITY}")
    return tarball


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
        + ", ".join(c.get("name", "") for c in manifest.get("contributors", [])) + ".",
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


def sha256sums(folder: Path) -> str:
    """Return SHA256SUMS text (``<hex>  <name>`` lines) for every file in ``folder`` but itself."""
    rows = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}"
            for p in sorted(folder.iterdir()) if p.is_file() and p.name != SUMS]
    return "\n".join(rows) + "\n"


def check(folder: Path = TARGET) -> list[str]:
    """Return the problems of the vendored files against their SHA256SUMS (empty: all good)."""
    sums = folder / SUMS
    if not sums.is_file():
        return [f"{sums} is missing: run `make vendor`"]
    listed = {}
    for row in sums.read_text().splitlines():
        digest, _, name = row.partition("  ")
        listed[name] = digest
    problems = []
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != SUMS}
    for name in sorted(present - listed.keys()):
        problems.append(f"{name}: not listed in {SUMS}")
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: listed in {SUMS} but missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{name}: sha256 differs from {SUMS}")
    return problems


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
        with tarfile.open(tarball, "r:gz") as tar:
            members = {m.name: m for m in tar.getmembers()}
            for member, name in FILES.items():
                if member not in members or not members[member].isfile():
                    raise VendorError(f"{tarball.name} has no file {member}")
                (staged / name).write_bytes(tar.extractfile(members[member]).read())
            source_map = json.loads(tar.extractfile(members[SOURCE_MAP]).read())
        manifest = json.loads((staged / "package.json").read_text())
        if (manifest["name"], manifest["version"]) != (PACKAGE, VERSION):
            raise VendorError(f"the tarball holds {manifest['name']} {manifest['version']}")
        (staged / "NOTICE").write_text(notice(manifest, bundled_libraries(source_map)))
        (staged / SUMS).write_text(sha256sums(staged))
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(staged, target)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only verify the committed files")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for p in problems:
            print(f"vendor_yasgui: {p}", file=sys.stderr)
        if not problems:
            print(f"vendor_yasgui: {TARGET.relative_to(REPO)} matches {SUMS}")
        return 1 if problems else 0
    try:
        vendor()
    except VendorError as exc:
        print(f"vendor_yasgui: {exc}", file=sys.stderr)
        return 1
    print(f"vendor_yasgui: {PACKAGE}@{VERSION} written to {TARGET.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
