"""Score the extractor against gold passages: entity and relation precision, recall, F1.

A gold file is JSON: ``text`` (and optionally ``title``, ``url``, ``published``),
``entities`` [{name, type, aliases}], ``relations`` [{subject, predicate, object}] and
optionally ``negatives`` (relations the text must not yield). Names on both sides go
through one canonicalizer (gazetteer first, then the gold file's own aliases, then
:func:`ingest.entities.name_key`), so gold "DeepMind" and predicted "Google DeepMind"
meet. Symmetric predicates match in either direction. Every relation the extractor
outputs is scored, hedged ones included ("in talks to acquire"): they reach the graph
with their flag, and the gold annotates them too (its ``hedged`` flag).

Confidence: each predicted triple of a file counts once, at the highest confidence of its
mentions. The report bins them by that confidence (a reliability table: does a relation
scored 0.9 turn out right nine times in ten?) and scores the extractor at thresholds
0.0, 0.1, ..., 0.9 (:meth:`EvalReport.by_confidence`), so a display threshold can be chosen
from the numbers.
"""

from __future__ import annotations

import json
import logging
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from ingest.entities import Gazetteer, name_key
from kg.model import PREDICATES, SYMMETRIC_PREDICATES, Article

log = logging.getLogger(__name__)

#: Upper edges of the coarse reliability bins; the last bin is closed: [0.8, 1.0].
COARSE_EDGES = (0.5, 0.8)
#: Upper edges of the fine (0.1 wide) reliability bins.
FINE_EDGES = tuple(round(i / 10, 1) for i in range(1, 10))
#: The thresholds of :meth:`EvalReport.by_confidence`.
THRESHOLDS = tuple(round(i / 10, 1) for i in range(10))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Return precision, recall and F1 (0.0 where undefined).

    Args:
        tp: true positives.
        fp: false positives.
        fn: false negatives.

    Returns:
        ``(precision, recall, f1)``.
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass
class EvalReport:
    """Counts and scores of one evaluation run."""

    files: int = 0
    entity_counts: Counter = field(default_factory=Counter)
    relation_counts: dict = field(default_factory=dict)
    negatives_total: int = 0
    negatives_extracted: int = 0
    errors: list = field(default_factory=list)
    #: one ``(confidence, correct, predicate)`` per predicted triple of a file.
    predictions: list = field(default_factory=list)
    #: time scores over the relations found (true positives): ``ended_tp/fp/fn/tn``;
    #: ``date_both`` (gold and prediction give a date) and ``date_exact`` (the same
    #: ISO value), ``date_gold_only``, ``date_pred_only``; the same for ``amount_``
    #: (value and currency) and ``stake_``.
    time_counts: Counter = field(default_factory=Counter)

    def time_scores(self) -> dict:
        """Return the ended flag's P/R/F1 and the exactness of dates, amounts and stakes.

        Scored on the relations the extractor found (a missed relation is a relation-level
        error, counted once, there). ``exact`` is the share of right values where both
        the gold and the prediction give one; ``agreement`` also counts a value given by
        only one side as wrong.
        """
        t = self.time_counts
        p, r, f = prf(t["ended_tp"], t["ended_fp"], t["ended_fn"])
        out = {
            "ended": {
                "tp": t["ended_tp"],
                "fp": t["ended_fp"],
                "fn": t["ended_fn"],
                "tn": t["ended_tn"],
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f, 4),
            }
        }
        for k in ("date", "amount", "stake"):
            both, exact = t[f"{k}_both"], t[f"{k}_exact"]
            either = both + t[f"{k}_gold_only"] + t[f"{k}_pred_only"]
            out[k] = {
                "both": both,
                "exact_count": exact,
                "gold_only": t[f"{k}_gold_only"],
                "pred_only": t[f"{k}_pred_only"],
                "exact": round(exact / both, 4) if both else None,
                "agreement": round(exact / either, 4) if either else None,
            }
        return out

    def _pred_counts(self, pred: str) -> Counter:
        return self.relation_counts.setdefault(pred, Counter())

    @property
    def entity_prf(self) -> tuple[float, float, float]:
        """Return entity (precision, recall, F1)."""
        c = self.entity_counts
        return prf(c["tp"], c["fp"], c["fn"])

    @property
    def relation_prf(self) -> tuple[float, float, float]:
        """Return micro-averaged relation (precision, recall, F1) over all predicates."""
        tot = Counter()
        for c in self.relation_counts.values():
            tot.update(c)
        return prf(tot["tp"], tot["fp"], tot["fn"])

    def predicate_prf(self, pred: str) -> tuple[float, float, float]:
        """Return (precision, recall, F1) of one predicate."""
        c = self.relation_counts.get(pred, Counter())
        return prf(c["tp"], c["fp"], c["fn"])

    def reliability(self, edges: tuple[float, ...] = COARSE_EDGES) -> list[dict]:
        """Return the predicted triples binned by their confidence.

        Args:
            edges: the inner bin edges, ascending; bins are ``[lo, hi)`` but the last is
                closed at 1.0. A confidence outside [0, 1] counts in the nearest end bin.

        Returns:
            One dict per bin: ``low``, ``high``, ``count``, ``correct``, ``precision``
            (correct / count, None for an empty bin) and ``mean_confidence`` (None when
            empty).
        """
        bounds = (0.0, *edges, 1.0)
        bins = [{"low": lo, "high": hi, "count": 0, "correct": 0, "sum": 0.0} for lo, hi in zip(bounds, bounds[1:])]
        for conf, correct, _ in self.predictions:
            b = bins[min(bisect_right(edges, conf), len(bins) - 1)]
            b["count"] += 1
            b["correct"] += int(correct)
            b["sum"] += conf
        for b in bins:
            total = b.pop("sum")
            b["precision"] = round(b["correct"] / b["count"], 4) if b["count"] else None
            b["mean_confidence"] = round(total / b["count"], 4) if b["count"] else None
        return bins

    def by_confidence(self, thresholds: tuple[float, ...] = THRESHOLDS) -> list[dict]:
        """Return micro relation scores when only triples at or above a threshold count.

        A triple counts as predicted at threshold t when its highest confidence is at
        least t; the gold triples stay the same, so recall can only fall as t rises.

        Args:
            thresholds: the thresholds, in the order wanted.

        Returns:
            One dict per threshold: ``threshold``, ``predicted``, ``tp``, ``fp``, ``fn``,
            ``precision``, ``recall``, ``f1``.
        """
        gold = sum(c["tp"] + c["fn"] for c in self.relation_counts.values())
        rows = []
        for t in thresholds:
            kept = [correct for conf, correct, _ in self.predictions if conf >= t]
            tp = sum(kept)
            fp, fn = len(kept) - tp, gold - tp
            p, r, f = prf(tp, fp, fn)
            rows.append(
                {
                    "threshold": t,
                    "predicted": len(kept),
                    "tp": tp,
                    "fp": fp,
                    "fn": fn,
                    "precision": round(p, 4),
                    "recall": round(r, 4),
                    "f1": round(f, 4),
                }
            )
        return rows

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        ep, er, ef = self.entity_prf
        rp, rr, rf = self.relation_prf
        per = {}
        for pred in PREDICATES:
            c = self.relation_counts.get(pred)
            if not c:
                continue
            p, r, f = self.predicate_prf(pred)
            per[pred] = {
                "tp": c["tp"],
                "fp": c["fp"],
                "fn": c["fn"],
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f, 4),
            }
        return {
            "files": self.files,
            "entities": {
                **{k: self.entity_counts[k] for k in ("tp", "fp", "fn")},
                "precision": round(ep, 4),
                "recall": round(er, 4),
                "f1": round(ef, 4),
            },
            "relations": {"precision": round(rp, 4), "recall": round(rr, 4), "f1": round(rf, 4), "per_predicate": per},
            "negatives": {"total": self.negatives_total, "extracted": self.negatives_extracted},
            "reliability": {"bins": self.reliability(), "fine": self.reliability(FINE_EDGES)},
            "by_confidence": self.by_confidence(),
            **({"time": self.time_scores()} if self.time_counts else {}),
            "errors": self.errors,
        }

    def format(self, *, by_confidence: bool = False) -> str:
        """Return a readable table of the scores.

        Args:
            by_confidence: add the table of micro relation scores per threshold.
        """
        lines = [f"gold files: {self.files}", "", f"{'':16} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"]

        def row(label, c, scores):
            p, r, f = scores
            return f"{label:16} {c['tp']:4d} {c['fp']:4d} {c['fn']:4d} {p:6.3f} {r:6.3f} {f:6.3f}"

        lines.append(row("entities", self.entity_counts, self.entity_prf))
        lines.append("")
        tot = Counter()
        for pred in PREDICATES:
            c = self.relation_counts.get(pred)
            if not c:
                continue
            tot.update(c)
            lines.append(row(pred, c, self.predicate_prf(pred)))
        lines.append(row("micro", tot, self.relation_prf))
        lines.append("")
        lines.append(f"negatives extracted: {self.negatives_extracted} of {self.negatives_total} (should be 0)")
        lines.append("")
        lines.append("reliability (each predicted relation at its highest confidence)")
        lines.append(f"{'confidence':12} {'n':>5} {'correct':>7} {'P':>6} {'mean':>6}")
        for b in self.reliability():
            label = f"[{b['low']:.1f}, {b['high']:.1f}{']' if b['high'] >= 1.0 else ')'}"
            p = f"{b['precision']:6.3f}" if b["count"] else f"{'-':>6}"
            m = f"{b['mean_confidence']:6.3f}" if b["count"] else f"{'-':>6}"
            lines.append(f"{label:12} {b['count']:5d} {b['correct']:7d} {p} {m}")
        if self.time_counts:
            ts = self.time_scores()
            e = ts["ended"]
            lines.append("")
            lines.append("time, on the relations found")
            lines.append(
                f"ended flag: tp {e['tp']} fp {e['fp']} fn {e['fn']} P {e['precision']:.3f} "
                f"R {e['recall']:.3f} F1 {e['f1']:.3f}"
            )
            for k in ("date", "amount", "stake"):
                v = ts[k]
                ex = "-" if v["exact"] is None else f"{v['exact']:.3f}"
                ag = "-" if v["agreement"] is None else f"{v['agreement']:.3f}"
                lines.append(
                    f"{k}: exact {ex} ({v['exact_count']} of {v['both']} where both give one); "
                    f"agreement {ag} (gold only {v['gold_only']}, predicted only {v['pred_only']})"
                )
        if by_confidence:
            lines.append("")
            lines.append("relations by confidence threshold (micro over predicates)")
            lines.append(f"{'threshold':12} {'n':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
            for r in self.by_confidence():
                lines.append(
                    f"{'>= ' + format(r['threshold'], '.1f'):12} {r['predicted']:5d} {r['tp']:4d} "
                    f"{r['fp']:4d} {r['fn']:4d} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}"
                )
        return "\n".join(lines)


class _Canon:
    """Canonical names for one gold file: gazetteer, then the file's aliases, then the key."""

    def __init__(self, gaz: Gazetteer, gold_entities: list[dict]):
        self.gaz = gaz
        self.alias: dict[str, str] = {}
        for e in gold_entities:
            target = self._base(e["name"])
            for form in (e["name"], *(e.get("aliases") or ())):
                self.alias.setdefault(self._base(form), target)

    def _base(self, name: str) -> str:
        entry = self.gaz.lookup(name)
        return name_key(entry.name) if entry is not None else name_key(name)

    def __call__(self, name: str) -> str:
        base = self._base(name)
        return self.alias.get(base, base)


def _triple(canon: _Canon, s: str, p: str, o: str) -> tuple[str, str, str]:
    a, b = canon(s), canon(o)
    if p in SYMMETRIC_PREDICATES and b < a:
        a, b = b, a
    return a, p, b


def _gold_files(gold_dir: str | Path, subset: str | None) -> list[Path]:
    files = sorted(Path(gold_dir).glob("*.json"))
    if subset in ("odd", "even"):
        want = 1 if subset == "odd" else 0
        files = [f for f in files if (m := re.search(r"(\d+)", f.name)) and int(m.group(1)) % 2 == want]
    elif subset is not None:
        raise ValueError(f"subset must be 'odd', 'even' or None, got {subset!r}")
    return files


def _score_time(report: EvalReport, canon, gold: dict, ex, gold_rels: set, min_confidence: float) -> None:
    """Count ended flags, dates, amounts and stakes of the found relations whose gold carries them."""
    golds: dict[tuple, dict] = {}
    for r in gold.get("relations") or []:
        golds.setdefault(_triple(canon, r["subject"], r["predicate"], r["object"]), r)
    mentions: dict[tuple, list] = {}
    for r in ex.relations:
        if r.confidence >= min_confidence:
            mentions.setdefault(_triple(canon, r.subject.name, r.predicate, r.object.name), []).append(r)
    c = report.time_counts
    for t, ms in mentions.items():
        g = golds.get(t)
        if g is None or t not in gold_rels:
            continue
        ms = sorted(ms, key=lambda m: -float(m.confidence))
        if "ended" in g or "past" in g:
            truth, said = bool(g.get("ended", g.get("past"))), any(m.ended for m in ms)
            c["ended_" + ("tp" if truth and said else "fn" if truth else "fp" if said else "tn")] += 1
        pairs = []
        if "date" in g:
            pairs.append(("date", g["date"], next((m.date for m in ms if m.date), None)))
        if "amount_value" in g:
            gv = None if g["amount_value"] is None else (_decimal(g["amount_value"]), g.get("amount_currency"))
            pv = next(((_decimal(m.amount_value), m.amount_currency) for m in ms if m.amount_value is not None), None)
            pairs.append(("amount", gv, pv))
        if "stake_percent" in g:
            gv = None if g["stake_percent"] is None else _decimal(g["stake_percent"])
            pv = next((_decimal(m.stake_percent) for m in ms if m.stake_percent is not None), None)
            pairs.append(("stake", gv, pv))
        for k, gv, pv in pairs:
            if gv is not None and pv is not None:
                c[f"{k}_both"] += 1
                c[f"{k}_exact"] += gv == pv
            elif gv is not None:
                c[f"{k}_gold_only"] += 1
            elif pv is not None:
                c[f"{k}_pred_only"] += 1


def _decimal(value) -> Decimal:
    return Decimal(str(value)).normalize()


def evaluate(gold_dir: str | Path, extractor, *, subset: str | None = None, min_confidence: float = 0.0) -> EvalReport:
    """Run the extractor over every gold file of a directory and score it.

    Args:
        gold_dir: a directory of gold ``*.json`` files.
        extractor: an :class:`ingest.pipeline.Extractor` (anything with ``extract`` and
            ``gaz``).
        subset: "odd" or "even" to score only files whose numeric prefix has that
            parity (a development / held-out split), or None for all.
        min_confidence: relations below this confidence are not counted as predicted.

    Returns:
        The :class:`EvalReport`. A malformed gold file is logged and skipped.
    """
    report = EvalReport()
    gaz = getattr(extractor, "gaz", None) or Gazetteer()
    for path in _gold_files(gold_dir, subset):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
            text = gold["text"]
        except (OSError, ValueError, KeyError) as exc:
            log.warning("skipped gold file %s: %s", path, exc)
            continue
        report.files += 1
        pub = gold.get("published")
        article = Article(
            text=text,
            url=gold.get("url"),
            title=gold.get("title"),
            published=date.fromisoformat(pub[:10]) if pub else None,
        )
        ex = extractor.extract(article)
        canon = _Canon(gaz, gold.get("entities") or [])

        gold_ents = {canon(e["name"]) for e in gold.get("entities") or []}
        pred_ents = {canon(e.name) for e in ex.entities}
        report.entity_counts.update(
            tp=len(gold_ents & pred_ents), fp=len(pred_ents - gold_ents), fn=len(gold_ents - pred_ents)
        )

        gold_rels = {_triple(canon, r["subject"], r["predicate"], r["object"]) for r in gold.get("relations") or []}
        pred_rels = {}
        best: dict[tuple[str, str, str], float] = {}
        for r in ex.relations:
            if r.confidence < min_confidence:
                continue
            t = _triple(canon, r.subject.name, r.predicate, r.object.name)
            pred_rels.setdefault(t, r)
            best[t] = max(best.get(t, float(r.confidence)), float(r.confidence))
        report.predictions.extend((best[t], t in gold_rels, t[1]) for t in sorted(pred_rels))
        _score_time(report, canon, gold, ex, gold_rels, min_confidence)
        for t in gold_rels | set(pred_rels):
            c = report._pred_counts(t[1])
            if t in gold_rels and t in pred_rels:
                c["tp"] += 1
            elif t in pred_rels:
                c["fp"] += 1
                report.errors.append(
                    {
                        "file": path.name,
                        "kind": "fp",
                        "triple": list(t),
                        "confidence": best[t],
                        "sentence": pred_rels[t].sentence,
                    }
                )
            else:
                c["fn"] += 1
                report.errors.append({"file": path.name, "kind": "fn", "triple": list(t)})
        for n in gold.get("negatives") or []:
            report.negatives_total += 1
            t = _triple(canon, n["subject"], n["predicate"], n["object"])
            if t in pred_rels:
                report.negatives_extracted += 1
                report.errors.append(
                    {"file": path.name, "kind": "negative", "triple": list(t), "sentence": pred_rels[t].sentence}
                )
        for e in sorted(pred_ents - gold_ents):
            report.errors.append({"file": path.name, "kind": "entity_fp", "name": e})
        for e in sorted(gold_ents - pred_ents):
            report.errors.append({"file": path.name, "kind": "entity_fn", "name": e})
    return report
