"""The one exception hierarchy of aikg; ``api`` maps these to HTTP status codes."""


class AikgError(Exception):
    """Base class of every error aikg raises on purpose."""


class StoreError(AikgError):
    """The store could not be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the embedded store open for writing."""


class RemoteStoreError(StoreError):
    """A remote SPARQL server refused a request or could not be reached."""


class WriteRefusedError(RemoteStoreError):
    """A remote SPARQL server refused a write (401/403): the token is missing or wrong."""


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


class ModelMissingError(AikgError):
    """The spaCy model the extractor needs is not installed or cannot be loaded."""


class NotFoundError(AikgError):
    """A requested article, entity or named query does not exist."""
