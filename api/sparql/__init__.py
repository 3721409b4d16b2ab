"""SPARQL 1.1 Protocol machinery: result formats, content negotiation, cut-able streaming.

The package's modules, each with one job:

* :mod:`api.sparql.formats`: the result and graph media types, content negotiation
  (``Accept`` and ``format=``), and the 406 / 400 errors about formats;
* :mod:`api.sparql.request`: :class:`QueryRequest`, one query operation as parsed from
  HTTP, and :func:`looks_like_update`;
* :mod:`api.sparql.runner`: :class:`QueryRunner`, queries on worker threads with their
  results streamed and cut at the deadline or the row cap (how a cut works is told there);
* :mod:`api.sparql.isolated`: :class:`IsolatedRunner`, queries in engine processes with
  their results spooled and sent by :class:`SpooledResponse`.

Every name is re-exported here, so ``from api.sparql import ...`` reads as before.
"""

from __future__ import annotations

from api.sparql.formats import (
    GRAPH_FORMAT_NAMES,
    GRAPH_MEDIA,
    RESULTS_FORMAT_NAMES,
    RESULTS_MEDIA,
    NotAcceptableError,
    UnknownFormatError,
    canonical_media,
    check_format_names,
    choose_format,
    choose_media,
    download_extension,
    formats_for,
    negotiate,
    not_acceptable_message,
    parse_accept,
)
from api.sparql.isolated import IsolatedRunner, SpooledResponse, TooManyStreamsError
from api.sparql.request import QueryRequest, looks_like_update
from api.sparql.runner import QueryRunner

__all__ = [
    "GRAPH_FORMAT_NAMES",
    "GRAPH_MEDIA",
    "RESULTS_FORMAT_NAMES",
    "RESULTS_MEDIA",
    "IsolatedRunner",
    "NotAcceptableError",
    "QueryRequest",
    "QueryRunner",
    "SpooledResponse",
    "TooManyStreamsError",
    "UnknownFormatError",
    "canonical_media",
    "check_format_names",
    "choose_format",
    "choose_media",
    "download_extension",
    "formats_for",
    "looks_like_update",
    "negotiate",
    "not_acceptable_message",
    "parse_accept",
]
