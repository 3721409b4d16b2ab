"""Bytes to text: binary detection, the encoding of a file, and the format of its content."""

from __future__ import annotations

import codecs
import logging
import re

# One logger for the whole package, named as before the split, so log filters keep working.
log = logging.getLogger("ingest.readers")

# Signatures of common binary formats, so the reason names what the file is.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"RIFF", "RIFF media"),
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 controls other than tab, newline, carriage return and form feed never occur in prose.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# ----------------------------------------------------------------------- decoding


def _binary_kind(data: bytes, *, lines: bool = False) -> str | None:
    """Return why the bytes are not text, or None when they may be.

    With ``lines`` (JSON Lines) only a binary signature condemns the whole input: NUL
    bytes are judged line by line, so one bad line does not lose the good ones.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({kind})"
    if lines or any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in data[:65536]:
        return "binary file (NUL bytes)"
    return None


def _mostly_ascii_letters(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    return sum(c.isascii() for c in letters) / len(letters) >= 0.9


_DOC_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I
)


def _document_charset(data: bytes) -> str | None:
    """Return the charset an HTML <meta> or XML declaration names, if any."""
    m = _DOC_CHARSET.search(data[:4096])
    if not m:
        return None
    return (m[1] or m[2]).decode("ascii", "replace")


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode the bytes of a text file whatever its encoding.

    Order: a byte-order mark; the charset the transport declared; strict UTF-8; the
    charset the document declares (HTML <meta>, XML declaration), which comes after
    UTF-8 because pages often declare latin-1 and are saved as UTF-8; Windows-1252 when
    the result is mostly ASCII letters (English news with a few accented names, which
    charset detection guesses wrong on short texts); charset-normalizer otherwise.

    Args:
        data: the file's bytes.
        declared: a charset the transport declared (HTTP Content-Type), if any.

    Returns:
        The text.

    Raises:
        UnicodeDecodeError: when no encoding fits, or the text holds control characters.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            log.debug("declared charset %r does not fit; detecting", declared)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    in_document = _document_charset(data)
    if in_document:
        try:
            text = data.decode(in_document)
        except (LookupError, UnicodeDecodeError):
            text = None
        if text is not None and not _CONTROL.search(text):
            return text
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _CONTROL.search(text) and _mostly_ascii_letters(text):
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("unknown", data[:1], 0, 1, "no text encoding fits")
    text = str(best)
    if _CONTROL.search(text):
        raise UnicodeDecodeError(best.encoding, data[:1], 0, 1, "control characters")
    return text


# ---------------------------------------------------------------- format sniffing


def sniff_format(text: str) -> str:
    """Guess a text's format from its content.

    Args:
        text: the decoded content.

    Returns:
        One of "jsonl", "json", "feed", "html", "markdown", "text".
    """
    head = text.lstrip("\ufeff \t\r\n")
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if lines and all(ln.lstrip().startswith("{") for ln in lines):
        return "jsonl"
    if head.startswith("[") or head.startswith("{"):
        return "json"
    low = head[:2048].lower()
    if low.startswith("<?xml") or low.startswith("<rss") or low.startswith("<feed"):
        if re.search(r"<(rss|feed|rdf:rdf)\b", low):
            return "feed"
        if "<html" in low:
            return "html"
        return "feed"
    if re.match(r"<!doctype html|<html\b", low) or re.search(r"<(body|article|p|div)\b[^>]*>", low):
        return "html"
    if re.match(r"---\s*\n", head) and re.search(r"\n---\s*(\n|$)", head[3:]):
        return "markdown"
    return "text"
