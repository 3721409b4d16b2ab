"""Settings validation and the ``serve`` command's refusals (no server is started)."""

from __future__ import annotations

import pytest
import typer
from pydantic import ValidationError
from typer.testing import CliRunner

from aikg.cli_serve import serve
from api.settings import Settings, is_loopback
from kg.store import LocalStore

from .conftest import TOKEN, make_client


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("127.8.9.1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_public_host_without_token_is_refused():
    with pytest.raises(ValidationError, match="AIKG_TOKEN"):
        Settings(host="0.0.0.0")
    assert Settings(host="0.0.0.0", token="x" * 20).host == "0.0.0.0"
    assert Settings(host="0.0.0.0", allow_public=True).token is None


@pytest.mark.parametrize("token", ["", "   "])
def test_blank_token_is_refused(token):
    with pytest.raises(ValidationError, match="empty"):
        Settings(token=token)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("AIKG_TOKEN", "from-env-token")
    monkeypatch.setenv("AIKG_QUERY_TIMEOUT", "2.5")
    s = Settings()
    assert s.token_value() == "from-env-token" and s.query_timeout == 2.5
    assert "from-env-token" not in repr(s)


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(serve)
    return app


def test_serve_refuses_a_public_host_without_token(tmp_path, monkeypatch):
    monkeypatch.delenv("AIKG_TOKEN", raising=False)
    result = CliRunner().invoke(_cli(), ["--store", str(tmp_path / "s"), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "refusing to bind 0.0.0.0" in result.output


def test_serve_has_no_token_option():
    result = CliRunner().invoke(_cli(), ["--token", "secret"])
    assert result.exit_code != 0 and "No such option" in result.output


def test_serve_reports_a_locked_store_in_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("AIKG_TOKEN", raising=False)
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    with LocalStore(tmp_path / "s"):
        # pyoxigraph locks per process too, so a second open here fails like another process's would.
        result = CliRunner().invoke(_cli(), ["--store", str(tmp_path / "s"), "--token-file", str(token_file)])
    assert result.exit_code == 1
    assert "open in another process" in result.output


def test_update_token_comparison_is_exact(store_dir):
    with make_client(store_dir, token=TOKEN) as c:
        for wrong in (TOKEN[:-1], TOKEN + "x", TOKEN.upper()):
            r = c.post(
                "/update",
                content="INSERT DATA { <http://x/a> <http://x/b> 1 }",
                headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {wrong}"},
            )
            assert r.status_code == 401


def test_trusted_hosts_default_to_loopback_names_and_a_concrete_bound_host():
    assert Settings().trusted_hosts() == ["localhost", "127.0.0.1", "[::1]"]
    assert Settings(host="::1").trusted_hosts() == ["localhost", "127.0.0.1", "[::1]"]
    assert Settings(host="192.168.1.5", allow_public=True).trusted_hosts()[-1] == "192.168.1.5"
    assert Settings(host="fe80::1", allow_public=True).trusted_hosts()[-1] == "[fe80::1]"
    # A wildcard address names no host: only the loopback names (and what is configured).
    assert Settings(host="0.0.0.0", allow_public=True).trusted_hosts() == ["localhost", "127.0.0.1", "[::1]"]


def test_allowed_hosts_come_comma_separated_from_the_environment(monkeypatch):
    monkeypatch.setenv("AIKG_ALLOWED_HOSTS", " KG.example.org, *.example.net ,2001:db8::1,")
    monkeypatch.setenv("AIKG_HEADER_TIMEOUT", "4.5")
    monkeypatch.setenv("AIKG_MAX_CONNECTIONS", "64")
    s = Settings()
    assert s.trusted_hosts() == ["localhost", "127.0.0.1", "[::1]", "kg.example.org", "*.example.net", "[2001:db8::1]"]
    assert s.header_timeout == 4.5 and s.max_connections == 64


def test_http_limits_have_safe_defaults():
    s = Settings()
    assert s.header_timeout == 10.0 and s.max_connections == 512 and s.allowed_hosts is None


@pytest.mark.parametrize(
    "hosts, says",
    [
        ("kg.*.org", "wildcard"),
        ("*example.org", "wildcard"),
        ("example.org:8000", "without a port"),
        ("[::1]:8000", "without a port"),
    ],
)
def test_bad_allowed_hosts_are_refused(hosts, says):
    with pytest.raises(ValidationError, match=says):
        Settings(allowed_hosts=hosts)


@pytest.mark.parametrize("field, value", [("header_timeout", 0), ("max_connections", 0)])
def test_http_limits_must_be_positive(field, value):
    with pytest.raises(ValidationError):
        Settings(**{field: value})
