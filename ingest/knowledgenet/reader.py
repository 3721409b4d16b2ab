"""Reading a KnowledgeNet JSON Lines file and checking every document, passage and fact in it.

A malformed line stops the read with :class:`KnowledgeNetError`, whose one-line message
names the file and line; a checked document comes back in a plain shape (passages sorted,
facts as ``(property, subject, object)`` with each end ``(text, uri, start)``).
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.knowledgenet.vocab import PROPERTY_NAMES


class KnowledgeNetError(ValueError):
    """A KnowledgeNet file that cannot be read or holds a malformed line."""


def _need(obj: dict, name: str, kind: type | tuple, where: str):
    if not isinstance(obj, dict):
        raise KnowledgeNetError(f"{where}: expected a JSON object")
    value = obj.get(name)
    if isinstance(value, bool) or not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        raise KnowledgeNetError(f"{where}: field {name!r} missing or not {'/'.join(k.__name__ for k in kinds)}")
    return value


def _int(obj: dict, name: str, where: str) -> int:
    value = _need(obj, name, (int, str), where)
    try:
        return int(value)
    except ValueError:
        raise KnowledgeNetError(f"{where}: field {name!r} is not an integer") from None


def _check_document(d: object, where: str) -> dict:
    """Return the document in a checked, plain shape; raise KnowledgeNetError if malformed."""
    if not isinstance(d, dict):
        raise KnowledgeNetError(f"{where}: expected a JSON object, got {type(d).__name__}")
    doc_id = str(_need(d, "documentId", (str, int), where))
    fold = _int(d, "fold", where)
    text = _need(d, "documentText", str, where)
    passages = []
    for k, p in enumerate(_need(d, "passages", list, where)):
        pw = f"{where}: passage {k}"
        start, end = _int(p, "passageStart", pw), _int(p, "passageEnd", pw)
        if not 0 <= start <= end <= len(text):
            raise KnowledgeNetError(f"{pw}: offsets {start}-{end} outside the document text")
        props = set()
        for e in _need(p, "exhaustivelyAnnotatedProperties", list, pw):
            pid = str(_need(e, "propertyId", (str, int), pw))
            props.add(e.get("propertyName") or PROPERTY_NAMES.get(pid, pid))
        facts = []
        for j, f in enumerate(_need(p, "facts", list, pw)):
            fw = f"{pw}: fact {j}"
            pid = str(_need(f, "propertyId", (str, int), fw))
            ends = []
            for side in ("subject", "object"):
                s, e = _int(f, f"{side}Start", fw), _int(f, f"{side}End", fw)
                if not start <= s < e <= end:
                    raise KnowledgeNetError(f"{fw}: {side} offsets {s}-{e} outside its passage")
                uri = f.get(f"{side}Uri") or ""
                if not isinstance(uri, str):
                    raise KnowledgeNetError(f"{fw}: field '{side}Uri' is not a string")
                ends.append((text[s:e], uri, s))
            facts.append((PROPERTY_NAMES.get(pid, pid), ends[0], ends[1]))
        passages.append({"start": start, "end": end, "props": props, "facts": facts})
    passages.sort(key=lambda p: (p["start"], p["end"]))
    return {"id": doc_id, "fold": fold, "text": text, "passages": passages}


def _read(path: str | Path, folds: set[int]) -> list[dict]:
    docs = []
    try:
        with open(path, encoding="utf-8") as fh:
            for ln, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{ln}"
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise KnowledgeNetError(f"{where}: not JSON ({exc.msg})") from None
                doc = _check_document(raw, where)
                if doc["fold"] in folds:
                    docs.append(doc)
    except UnicodeDecodeError as exc:
        raise KnowledgeNetError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise KnowledgeNetError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return docs
