"""Server settings, read from ``AIKG_*`` environment variables; unsafe combinations refused."""

from __future__ import annotations

import hmac
import ipaddress
import re
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kg.model import DEFAULT_MIN_CONFIDENCE
from kg.store import DEFAULT_STORE

if TYPE_CHECKING:
    from kg.limits import QueryLimits

_LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})
#: Host header names a server answers to whatever it binds: this machine's own names.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
#: Bind addresses that stand for every interface: no Host header names them.
_WILDCARD_ADDRESSES = frozenset({"0.0.0.0", "::", "[::]", ""})
#: ``name:secret``: a token that names its holder (recorded as the curator of /curation writes).
_NAMED_TOKEN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]{0,63}):(.*)", re.DOTALL)
#: Who a token without a name stands for.
DEFAULT_TOKEN_NAME = "curator"


def _token_lines(text: str) -> list[str]:
    """Return the tokens of a token value: its non-blank lines, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _token_entry(line: str) -> tuple[str, str, str]:
    """Return (name, secret, line) of one token line."""
    named = _NAMED_TOKEN.fullmatch(line)
    if named:
        return named.group(1), named.group(2).strip(), line
    return DEFAULT_TOKEN_NAME, line, line


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?", re.I)
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def parse_every(text: str) -> float:
    """Return the seconds of an interval written as ``90``, ``30s``, ``15m``, ``1h30m`` or ``1d``.

    Raises:
        ValueError: the text is no interval, or not above zero.
    """
    s = text.strip().lower().replace(" ", "")
    pos, total = 0, 0.0
    while pos < len(s):
        m = _DURATION.match(s, pos)
        if not m or m.end() == pos:
            raise ValueError(f"--every takes an interval such as 30s, 15m, 1h or 1h30m, got {text!r}")
        total += float(m[1]) * _UNIT_SECONDS[m[2]]
        pos = m.end()
    if not s or total <= 0:
        raise ValueError(f"--every must be above zero, got {text!r}")
    return total


def is_loopback(host: str) -> bool:
    """Return whether a bind address only accepts connections from this machine."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """What ``aikg serve`` and :func:`api.app.create_app` are configured with.

    Every field can be set as ``AIKG_<NAME>`` in the environment (``AIKG_TOKEN``,
    ``AIKG_QUERY_TIMEOUT``, ...) or passed to the constructor.
    """

    model_config = SettingsConfigDict(env_prefix="AIKG_", extra="ignore")

    store: str = Field(DEFAULT_STORE, description="Store directory or SPARQL endpoint URL.")
    host: str = Field("127.0.0.1", description="Address to bind.")
    port: int = Field(8000, ge=0, le=65535)
    token: SecretStr | None = Field(
        None,
        description="Bearer token for writes; None turns writes off. 'NAME:SECRET' names its holder "
        "(the curator /curation records; default 'curator'); clients send SECRET or the whole "
        "line. Several tokens: one per line (a token file for several curators).",
    )
    allow_public: bool = Field(False, description="Allow binding a non-loopback address without a token.")
    data_license: str | None = Field(
        None,
        description="IRI of the licence the data is offered under, stated in /.well-known/void as "
        "dcterms:license; unset states none (the project licenses its code, not the data).",
    )
    query_timeout: float = Field(30.0, gt=0, description="Seconds a SPARQL query may run (and stream).")
    max_rows: int = Field(100_000, ge=0, description="Rows (or triples) a /sparql result may have; 0: no cap.")
    max_body_bytes: int = Field(10 * 1024 * 1024, gt=0, description="Largest request body accepted (413 above).")
    batch_size: int = Field(32, ge=1, description="Articles per transaction on POST /articles.")
    min_confidence: float = Field(
        DEFAULT_MIN_CONFIDENCE,
        ge=0.0,
        le=1.0,
        description="Confidence the pages and /relations ask of a statement unless a request says otherwise "
        "(min_confidence=...; 0 shows everything). /sparql is never filtered.",
    )
    query_workers: int = Field(4, ge=1, le=64, description="Engine processes evaluating SPARQL queries at once.")
    max_abandoned_queries: int = Field(
        16,
        ge=0,
        le=256,
        description="Queries answered 503 but still computing (a blocking operator) that get a replacement "
        "worker; past this, new queries wait for one of them to finish.",
    )
    stream_buffer_bytes: int = Field(
        256 * 1024,
        ge=0,
        description="Results up to this size are sent as one body; larger ones are streamed from their spool.",
    )
    max_query_bytes: int = Field(512 * 1024, gt=0, description="Largest SPARQL query or update text (400 above).")
    max_triple_patterns: int = Field(1000, gt=0, description="Triple patterns a query may hold (400 above).")
    max_nesting: int = Field(200, gt=0, description="Bracket nesting depth a query may reach (400 above).")
    max_values_rows: int = Field(10_000, gt=0, description="Rows the VALUES blocks of a query may hold (400 above).")
    max_response_bytes: int = Field(
        256 * 1024 * 1024,
        gt=0,
        description="Bytes one SPARQL result may have (400 above); bounds one huge literal too.",
    )
    query_memory_mb: int = Field(
        2048, ge=256, description="Address space of each query engine process, MB; a query past it fails alone."
    )
    send_timeout: float = Field(
        10.0, gt=0, description="Seconds a client may take to accept the next chunk of a large result."
    )
    max_streams_per_client: int = Field(
        4, ge=1, description="Large results one client address may have in flight (429 above)."
    )
    allow_remote: str = Field(
        "",
        description="Comma-separated hosts (host or host:port) that SERVICE and LOAD may reach; "
        "empty: no outbound requests.",
    )
    remote_timeout: float = Field(10.0, gt=0, description="Seconds a LOAD of an allowed URL may take.")
    remote_max_bytes: int = Field(
        50 * 1024 * 1024, gt=0, description="Largest document a LOAD of an allowed URL may fetch."
    )
    allowed_hosts: Annotated[list[str] | None, NoDecode] = Field(
        None,
        description="Host header values answered besides localhost, 127.0.0.1, [::1] and the bound host "
        "(comma-separated in AIKG_ALLOWED_HOSTS; '*.example.org' matches subdomains, '*' turns "
        "the check off); any other Host gets 400.",
    )
    header_timeout: float = Field(
        10.0,
        gt=0,
        le=3600,
        description="Seconds a connection has to send complete request headers (and the longest pause "
        "inside a request body) before it is closed.",
    )
    max_connections: int = Field(
        512,
        ge=1,
        le=100_000,
        description="Connections open at once; a request on a connection past it is answered 503 and closed.",
    )

    # -- the watch loop inside the server (aikg.watch, api.watch): `aikg serve --watch URL --every 15m`
    watch: Annotated[list[str] | None, NoDecode] = Field(
        None,
        description="http(s) URLs of feeds, OPML lists or pages the server polls and ingests "
        "(comma-separated in AIKG_WATCH); none: no polling.",
    )
    watch_every: str = Field("15m", description="Time between two polling rounds: 30s, 15m, 1h, 1h30m.")
    fetch_state: str | None = Field(
        None,
        description="File of the polling's ETags and failures; default: aikg-fetch-state.json in a "
        "local store's directory (a server store keeps none unless given).",
    )

    @field_validator("watch", mode="before")
    @classmethod
    def _split_watch(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, (list, tuple)):
            urls = [str(u).strip() for u in value if str(u).strip()]
            for u in urls:
                if not u.lower().startswith(("http://", "https://")):
                    raise ValueError(f"watch source {u!r} is not an http(s) URL")
            return urls or None
        return value

    @field_validator("watch_every")
    @classmethod
    def _interval(cls, value: str) -> str:
        parse_every(value)
        return value

    @field_validator("token")
    @classmethod
    def _token_not_blank(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            raise ValueError("the token is empty: set a real secret, or leave AIKG_TOKEN unset to turn writes off")
        if value is not None:
            seen: set[str] = set()
            for line in _token_lines(value.get_secret_value()):
                named = _NAMED_TOKEN.fullmatch(line)
                if named and not named.group(2).strip():
                    raise ValueError(f"the token after the name {named.group(1)!r} is empty: write it as NAME:SECRET")
                secret = _token_entry(line)[1]
                if secret in seen:
                    raise ValueError("two tokens have the same secret: give each curator a secret of their own")
                seen.add(secret)
        return value

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, (list, tuple)):
            hosts = [str(h).strip().lower() for h in value if str(h).strip()]
            for h in hosts:
                if "*" in h[1:] or (h.startswith("*") and h != "*" and not h.startswith("*.")):
                    raise ValueError(
                        f"allowed host {h!r}: a wildcard must be a whole first label, as in '*.example.org'"
                    )
                if h.startswith("[") and not h.endswith("]"):
                    raise ValueError(f"allowed host {h!r}: give a name without a port")
                if ":" in h and not h.startswith("["):
                    try:
                        ipaddress.IPv6Address(h)
                    except ValueError:
                        raise ValueError(f"allowed host {h!r}: give a name without a port") from None
            return hosts or None
        return value

    @model_validator(mode="after")
    def _refuse_open_public_server(self) -> Settings:
        if not is_loopback(self.host) and self.token is None and not self.allow_public:
            raise ValueError(
                f"refusing to bind {self.host} without a token: other machines could reach the server. "
                "Set AIKG_TOKEN (writes need it), or set AIKG_ALLOW_PUBLIC=1 to serve read-only to everyone"
            )
        return self

    def remote_hosts(self) -> tuple[str, ...]:
        """Return the hosts SERVICE and LOAD may reach."""
        return tuple(h.strip() for h in self.allow_remote.split(",") if h.strip())

    def query_limits(self) -> QueryLimits:
        """Return the static limits on SPARQL text (:class:`kg.limits.QueryLimits`)."""
        from kg.limits import QueryLimits

        return QueryLimits(
            max_bytes=self.max_query_bytes,
            max_triple_patterns=self.max_triple_patterns,
            max_depth=self.max_nesting,
            max_values_rows=self.max_values_rows,
        )

    def trusted_hosts(self) -> list[str]:
        """Return the Host header values the server answers, as Starlette's TrustedHostMiddleware takes them.

        Always the loopback names (a DNS-rebinding page cannot make a browser send them),
        the bound host when it names one address, then ``allowed_hosts``. IPv6
        addresses come in brackets, as they appear in a Host header.
        """
        hosts = list(LOOPBACK_HOSTS)
        for host in [self.host.lower(), *(self.allowed_hosts or [])]:
            host = _bracketed(host)
            if host not in _WILDCARD_ADDRESSES and host not in hosts:
                hosts.append(host)
        return hosts

    def _token_entries(self) -> list[tuple[str, str, str]]:
        """Return (name, secret, the line as written) of each token; none when writes are off.

        The value holds one token, or several one per line (a token file for several
        curators); each is ``NAME:SECRET`` or a bare secret, named "curator".
        """
        if self.token is None:
            return []
        return [_token_entry(line) for line in _token_lines(self.token.get_secret_value())]

    def token_value(self) -> str | None:
        """Return the (first) token's secret as plain text (for comparing, never for logging).

        A ``NAME:SECRET`` token gives its SECRET; any other token is the secret as it is.
        """
        entries = self._token_entries()
        return entries[0][1] if entries else None

    def token_name(self) -> str:
        """Return the name of the (first) token's holder: NAME of ``NAME:SECRET``, else "curator"."""
        entries = self._token_entries()
        return entries[0][0] if entries else DEFAULT_TOKEN_NAME

    def token_holder(self, given: str) -> str | None:
        """Return the name of the token a bearer value is, or None when it is none of them.

        A token is given as its secret or as the whole ``NAME:SECRET`` line. Every token is
        compared, each in constant time, so the time taken does not say which one matched.
        """
        given_b = given.strip().encode()
        found = None
        for name, secret, line in self._token_entries():
            secret_ok = hmac.compare_digest(given_b, secret.encode())
            whole_ok = hmac.compare_digest(given_b, line.encode())
            if (secret_ok or whole_ok) and found is None:
                found = name
        return found

    def accepts(self, given: str) -> bool:
        """Return whether a bearer value is one of the tokens (False when writes are off)."""
        return self.token_holder(given) is not None


def _bracketed(host: str) -> str:
    """Return an IPv6 address in brackets (``[::1]``), anything else as it is."""
    if ":" in host and not host.startswith("["):
        try:
            return f"[{ipaddress.IPv6Address(host)}]"
        except ValueError:
            return host
    return host
