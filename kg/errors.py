"""The one exception hierarchy of aikg; ``api`` maps these to HTTP status codes."""

from typing import Any


class AikgError(Exception):
    """Base class of every error aikg raises on purpose."""


class StoreError(AikgError):
    """The store could not be opened, read or written."""

    #: Whether a query may run again in a fresh engine process (set by kg.isolation).
    retryable: bool = False


class StoreLockedError(StoreError):
    """Another process holds the embedded store open for writing."""


class RemoteStoreError(StoreError):
    """A remote SPARQL server refused a request or could not be reached."""


class WriteRefusedError(RemoteStoreError):
    """A remote SPARQL server refused a write (401/403): the token is missing or wrong."""


class QuerySyntaxError(AikgError):
    """A SPARQL query or update does not parse, or is refused before parsing.

    The message is one line. A parse error built by :func:`kg.sparql_errors.syntax_error`
    also says where and what:

    Attributes:
        line: 1-based line of the mistake (None when unknown).
        column: 1-based column, in characters (Unicode code points).
        found: the text found there (None at the end of the query).
        expected: what may come there, in words.
        pointer: the query line and a caret line under the column ("" when unknown).
        detail: the parser's own message, unchanged (None when there is none).
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        found: str | None = None,
        expected: tuple[str, ...] = (),
        pointer: str = "",
        detail: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.found = found
        self.expected = tuple(expected)
        self.pointer = pointer
        self.detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the attributes when the error crosses a process boundary (pickle).
        return (_rebuild_syntax_error, (type(self), self.message, self.__dict__.copy()))


class QueryTimeoutError(AikgError):
    """A query ran longer than the configured timeout and was cancelled."""


class ResultTooLargeError(AikgError):
    """A query result exceeded the configured row cap."""


class RDFParseError(AikgError):
    """An RDF document does not parse; the message names the line or position."""


class UnsupportedFormatError(AikgError):
    """A file or serialization format aikg does not read or write."""


class ReaderError(AikgError):
    """An input file is binary, empty, unreadable or malformed and was skipped."""


class ShapeViolationError(AikgError):
    """Data violates ontology/shapes.ttl."""


class ModelMissingError(AikgError):
    """The spaCy model or the relation model the extractor needs is missing or cannot be loaded."""


class NotFoundError(AikgError):
    """A requested article, entity or named query does not exist."""


def _rebuild_syntax_error(cls: type[QuerySyntaxError], message: str, state: dict[str, Any]) -> QuerySyntaxError:
    err = cls(message)
    err.__dict__.update(state)
    return err


class QueryLimitError(QuerySyntaxError):
    """A query or update is over a static limit (size, triple patterns, depth, VALUES rows)."""


class RemoteAccessError(AikgError):
    """A query or update would make the server reach the network, and that is not allowed."""


class QueryCrashedError(AikgError):
    """The query engine process died while evaluating one query (a crash or its memory limit)."""

    #: Whether the query may run again in a fresh process (set by kg.isolation).
    retryable: bool = False


class QueryEvaluationError(AikgError):
    """The engine refused to evaluate a well-formed query or update (nothing was written)."""
