"""The one exception hierarchy of aikg; ``api`` maps these to HTTP status codes."""


class AikgError(Exception):
    """Base class of every error aikg raises on purpose."""


class StoreError(AikgError):
    """The store could not be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the embedded store open for writing."""


class RemoteStoreError(StoreError):
    """A remote SPARQL server refused a request or could not be reached."""


class QuerySyntaxError(AikgError):
    """A SPARQL query or update does not parse; the message is the parser's."""


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


class NotFoundError(AikgError):
    """A requested article, entity or named query does not exist."""


class QueryLimitError(QuerySyntaxError):
    """A query or update is over a static limit (size, triple patterns, depth, VALUES rows)."""


class RemoteAccessError(AikgError):
    """A query or update would make the server reach the network, and that is not allowed."""


class QueryCrashedError(AikgError):
    """The query engine process died while evaluating one query (a crash or its memory limit)."""


class QueryEvaluationError(AikgError):
    """The engine refused to evaluate a well-formed query or update (nothing was written)."""
