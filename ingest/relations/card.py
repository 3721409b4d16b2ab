"""The model card written beside the relation model by ``aikg train``."""

from __future__ import annotations

from pathlib import Path

FAMILIES = {
    "lr": "logistic regression per predicate (scikit-learn liblinear, L2), hashed features",
    "gbdt": "gradient-boosted trees per predicate (LightGBM, deterministic, saved as numpy arrays), hashed features",
}


def write_card(path: Path, facts: dict, heldout: dict, *, min_precision: float) -> None:
    """Write the model card: data, family, features, scores, date."""
    cs = facts["calibration_scores"]
    lines = [
        "# Relation model card",
        "",
        f"Trained {facts['trained']} by `aikg train` (ingest/relations/train.py).",
        "",
        "## Model",
        f"- Family: {facts['model_family']}; "
        + (f"C={facts['c']}, " if facts["model_family"] == FAMILIES["lr"] else "")
        + f"seed {facts['seed']}.",
        "- Features (ingest/relations/features.py): the rules' verdicts for the pair and the reversed pair "
        "(predicate, rule, confidence band, hedging), every lexicon trigger in the sentence with the arms "
        "by which it reaches each side and its negation/hedging, the dependency path (labels, lemmas, top "
        "word), the words between and around, entity types, how each side was found (gazetteer, NER, "
        'coreference, fallback), order, distance, lists, appositions, possessives, "former" cues.',
        "- Output: for each candidate pair, a calibrated probability per predicate whose signature fits "
        "(several may pass); relations at or above the threshold are emitted with it as confidence.",
        "- Calibration: sigmoids over the raw score fitted on the calibration set, one for the verdicts "
        "a rule agrees with and one for the rest (the model is far less often right without a rule in "
        f"news than in the passages it learnt from); emission threshold "
        f"{cs['threshold']} (0.5, where a relation is more likely right than wrong, or the lowest above "
        f"it whose precision there is >= {min_precision}; the best F1 from 0.5 if none is): P {cs['precision']}, "
        f"R {cs['recall']}, F1 {cs['f1']}.",
        f"- Ended (the relation stated as over): one logistic regression over the relation's features plus "
        f"the cues of ingest/relations/ended.py, trained on the {facts['ended_training_relations']} gold "
        f"relations the candidates found ({facts['ended_training_positives']} flagged past); threshold "
        f"{facts['ended_calibration']['threshold']} (best F1 on the gold relations of the calibration "
        f"set{' and the ended calibration set' if facts.get('ended_calibration_files') else ''}: "
        f"P {facts['ended_calibration']['precision']}, R {facts['ended_calibration']['recall']}, "
        f"F1 {facts['ended_calibration']['f1']} over {facts['ended_calibration']['ended']} ended of "
        f"{facts['ended_calibration']['relations']}).",
        "",
        "## Data",
        f"- Training candidates: {facts['training_candidates']}; KnowledgeNet documents (folds "
        f"{', '.join(map(str, facts.get('knowledgenet_folds') or [1, 2]))}): {facts['knowledgenet_documents']}.",
        "- Positive candidates per predicate: "
        + ", ".join(f"{p} {n}" for p, n in facts["positive_candidates"].items())
        + ".",
        "- Training files (SHA-256):",
        *[f"  - `{n}` {h}" for n, h in facts["training_files"].items()],
        "- Ended classifier's own training files (SHA-256; it also learns from the files above):",
        *([f"  - `{n}` {h}" for n, h in facts["ended_training_files"].items()] or ["  - none"]),
        "- Calibration files (SHA-256):",
        *[f"  - `{n}` {h}" for n, h in facts["calibration_files"].items()],
        "- Ended calibration files, for the ended threshold only (SHA-256):",
        *([f"  - `{n}` {h}" for n, h in facts.get("ended_calibration_files", {}).items()] or ["  - none"]),
        "",
        "## Held-out scores (never trained or tuned on)",
    ]
    if not heldout:
        lines.append("- none given to this run (`aikg train --heldout DIR`).")
    for d, rel in heldout.items():
        lines.append(f"- `{d}`: P {rel['precision']}, R {rel['recall']}, F1 {rel['f1']}")
        for p, s in rel["per_predicate"].items():
            lines.append(f"  - {p}: tp {s['tp']} fp {s['fp']} fn {s['fn']}, F1 {s['f1']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
