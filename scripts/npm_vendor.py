"""What the vendoring scripts share: fetch a pinned npm release, check it, list checksums.

``scripts/vendor_yasgui.py`` (the /query editor) and ``scripts/vendor_axe.py`` (axe-core for
the accessibility test) each pin one release of one npm package by its version and the
registry's ``dist.integrity`` (sha512). ``npm pack`` fetches the tarball; it is used only
when its sha512 is the pinned one. The vendored files are committed with a SHA256SUMS that
the tests check, so nobody but the person re-vendoring needs npm.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

SUMS = "SHA256SUMS"


class VendorError(Exception):
    """A step of vendoring failed; the message says which and why."""


def integrity_of(data: bytes) -> str:
    """Return the npm-style ``sha512-<base64>`` integrity string of ``data``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def fetch_tarball(package: str, version: str, integrity: str, workdir: Path) -> Path:
    """Run ``npm pack`` for ``package@version`` into ``workdir`` and return the tarball.

    Raises:
        VendorError: npm is missing or failed, or the tarball's sha512 is not ``integrity``.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is not installed (apt-get install -y npm)")
    spec = f"{package}@{version}"
    proc = subprocess.run(
        [npm, "pack", spec, "--json", "--pack-destination", str(workdir)],  # noqa: S603
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise VendorError(f"npm pack {spec} failed: {proc.stderr.strip().splitlines()[-1:]}")
    name = json.loads(proc.stdout)[0]["filename"]
    tarball = workdir / name
    got = integrity_of(tarball.read_bytes())
    if got != integrity:
        raise VendorError(f"{name}: sha512 is {got}, the pinned integrity is {integrity}")
    return tarball


def extract(tarball: Path, files: dict[str, str], staged: Path) -> None:
    """Copy each tarball member of ``files`` (member -> file name) into ``staged``, byte for byte.

    Raises:
        VendorError: a member is missing from the tarball or is not a regular file.
    """
    with tarfile.open(tarball, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers()}
        for member, name in files.items():
            if member not in members or not members[member].isfile():
                raise VendorError(f"{tarball.name} has no file {member}")
            (staged / name).write_bytes(tar.extractfile(members[member]).read())


def sha256sums(folder: Path) -> str:
    """Return SHA256SUMS text (``<hex>  <name>`` lines) for every file in ``folder`` but itself."""
    rows = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}"
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != SUMS
    ]
    return "\n".join(rows) + "\n"


def check(folder: Path, remedy: str) -> list[str]:
    """Return the problems of the files in ``folder`` against its SHA256SUMS (empty: all good).

    ``remedy`` is the command that rebuilds the folder, named when SHA256SUMS is missing.
    """
    sums = folder / SUMS
    if not sums.is_file():
        return [f"{sums} is missing: run `{remedy}`"]
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


def replace_folder(staged: Path, target: Path) -> None:
    """Write SHA256SUMS into ``staged`` and put it in the place of ``target``."""
    (staged / SUMS).write_text(sha256sums(staged))
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(staged, target)


def run_cli(
    doc: str,
    prog: str,
    target: Path,
    vendor: Callable[[], None],
    check_files: Callable[[], list[str]],
    done: str,
    argv: list[str] | None = None,
) -> int:
    """Run a vendoring script's command line (``[--check]``); return the exit status.

    ``doc`` is the script's docstring (its first paragraph is the description), ``prog``
    prefixes every message, ``target`` is the vendored folder, ``vendor`` re-vendors it,
    ``check_files`` returns the problems of the committed files and ``done`` is printed
    after a successful ``vendor``. Exit status: 0 success, 1 failed check or step, 2 usage.
    """
    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only verify the committed files")
    args = parser.parse_args(argv)
    if args.check:
        problems = check_files()
        for p in problems:
            print(f"{prog}: {p}", file=sys.stderr)
        if not problems:
            print(f"{prog}: {target} matches {SUMS}")
        return 1 if problems else 0
    try:
        vendor()
    except VendorError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 1
    print(f"{prog}: {done}")
    return 0
