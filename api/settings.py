"""Server settings, read from ``AIKG_*`` environment variables; unsafe combinations refused."""

from __future__ import annotations

import ipaddress

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.store import DEFAULT_STORE

_LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})


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
    token: SecretStr | None = Field(None, description="Bearer token for writes; None turns writes off.")
    allow_public: bool = Field(False, description="Allow binding a non-loopback address without a token.")
    query_timeout: float = Field(30.0, gt=0, description="Seconds a SPARQL query may run (and stream).")
    max_rows: int = Field(100_000, ge=0, description="Rows (or triples) a /sparql result may have; 0: no cap.")
    max_body_bytes: int = Field(10 * 1024 * 1024, gt=0, description="Largest request body accepted (413 above).")
    batch_size: int = Field(32, ge=1, description="Articles per transaction on POST /articles.")
    query_workers: int = Field(4, ge=1, le=64, description="Threads evaluating SPARQL queries at once.")
    max_abandoned_queries: int = Field(
        16, ge=0, le=256,
        description="Queries answered 503 but still computing (a blocking operator) that get a replacement "
                    "worker; past this, new queries wait for one of them to finish.",
    )
    stream_buffer_bytes: int = Field(
        256 * 1024, ge=0,
        description="Result bytes held before the response starts; errors before that get a status code.",
    )

    @field_validator("token")
    @classmethod
    def _token_not_blank(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            raise ValueError("the token is empty: set a real secret, or leave AIKG_TOKEN unset to turn writes off")
        return value

    @model_validator(mode="after")
    def _refuse_open_public_server(self) -> Settings:
        if not is_loopback(self.host) and self.token is None and not self.allow_public:
            raise ValueError(
                f"refusing to bind {self.host} without a token: other machines could reach the server. "
                "Set AIKG_TOKEN (writes need it), or set AIKG_ALLOW_PUBLIC=1 to serve read-only to everyone"
            )
        return self

    def token_value(self) -> str | None:
        """Return the token as plain text (for comparing, never for logging)."""
        return self.token.get_secret_value() if self.token is not None else None
