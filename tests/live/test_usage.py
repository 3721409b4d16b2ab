"""Usage errors of the live-source commands: one line, exit 2, before any model or store is touched."""

from __future__ import annotations

import pytest

from api.settings import parse_every
from tests.live.conftest import aikg


@pytest.mark.parametrize(
    "args, message",
    [
        (["watch", "feeds/ai.xml"], "aikg watch polls http(s) URLs; 'feeds/ai.xml' is not one"),
        (["watch", "https://example.org/feed.xml", "--every", "soon"], "--every takes an interval"),
        (["watch", "https://example.org/feed.xml", "--every", "0s"], "--every must be above zero"),
        (["watch", "https://example.org/feed.xml", "--date", "May 5"], "--date must be YYYY-MM-DD"),
        (["serve", "--watch", "feeds/ai.xml"], "watch source 'feeds/ai.xml' is not an http(s) URL"),
        (["serve", "--watch", "https://example.org/feed.xml", "--every", "often"], "--every takes an interval"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args, message, tmp_path):
    proc = aikg(*args, "--store", str(tmp_path / "store"), timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert not (tmp_path / "store").exists()


def test_intervals():
    assert parse_every("15m") == 900
    assert parse_every("1h30m") == 5400
    assert parse_every("90") == 90
    assert parse_every("1.5s") == 1.5
    for bad in ("", "m", "15 minutes", "-5s"):
        with pytest.raises(ValueError):
            parse_every(bad)
