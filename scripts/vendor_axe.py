"""Vendor axe-core into tests/browser/vendor for the accessibility test (``make vendor``).

tests/browser/test_accessibility.py injects axe-core into every page and fails on a
serious or critical finding. The engine it injects is made only by this script: ``npm
pack`` fetches the pinned release of ``axe-core`` from the npm registry, the tarball's
sha512 must equal the pinned integrity (the registry's ``dist.integrity`` of that
release), and only then are the minified engine and the package's licence files (MPL-2.0,
and the notices of what it bundles) extracted, byte for byte. SHA256SUMS lists them; a
test checks the committed files against it, so CI never needs npm. axe-core is a test
tool only: it is not served by the API nor shipped in the wheel.

Usage: ``python scripts/vendor_axe.py [--check]``; ``--check`` only verifies the committed
files against SHA256SUMS. Exit status 0 on success, 1 on a failed check, 2 on a usage error.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from npm_vendor import SUMS, VendorError, extract, fetch_tarball, replace_folder, run_cli  # noqa: E402
from npm_vendor import check as _check  # noqa: E402

__all__ = ["FILES", "INTEGRITY", "PACKAGE", "SUMS", "TARGET", "VERSION", "check", "vendor"]

PACKAGE = "axe-core"
VERSION = "4.14.1"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
# Tarball member -> vendored file name.
FILES = {
    "package/axe.min.js": "axe.min.js",
    "package/LICENSE": "LICENSE",
    "package/LICENSE-3RD-PARTY.txt": "LICENSE-3RD-PARTY.txt",
}

REPO = Path(__file__).resolve().parents[1]
TARGET = REPO / "tests" / "browser" / "vendor"


def check(folder: Path = TARGET) -> list[str]:
    """Return the problems of the vendored files against their SHA256SUMS (empty: all good)."""
    return _check(folder, "make vendor")


def vendor(target: Path = TARGET) -> None:
    """Fetch, verify and extract the pinned release into ``target`` (replacing what is there).

    Raises:
        VendorError: a step failed (npm, integrity, a missing file, another version inside);
            ``target`` is left as it was.
    """
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tarball = fetch_tarball(PACKAGE, VERSION, INTEGRITY, work)
        staged = work / "staged"
        staged.mkdir()
        extract(tarball, FILES, staged)
        head = (staged / "axe.min.js").read_text(encoding="utf-8")[:200]
        m = re.search(r"axe v(\d+\.\d+\.\d+)", head)
        if not m or m.group(1) != VERSION:
            raise VendorError(f"axe.min.js does not announce version {VERSION}: {head[:60]!r}")
        if "Mozilla Public License" not in (staged / "LICENSE").read_text(encoding="utf-8")[:200]:
            raise VendorError("LICENSE is not the Mozilla Public License")
        replace_folder(staged, target)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    return run_cli(
        __doc__,
        "vendor_axe",
        TARGET.relative_to(REPO),
        vendor,
        check,
        f"{PACKAGE}@{VERSION} written to {TARGET.relative_to(REPO)}",
        argv,
    )


if __name__ == "__main__":
    sys.exit(main())
