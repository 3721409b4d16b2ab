"""The gradient-boosted tree family of the relation classifier (``aikg train --family gbdt``).

LightGBM fits the trees at training time; they are saved as numpy arrays
(:class:`ingest.relations.model.TreeEnsemble`), so running them needs no LightGBM.
"""

from __future__ import annotations

import logging

import numpy as np

from ingest.relations.dataset import Dataset, predicate_rows
from ingest.relations.model import DEFAULT_BITS, TreeEnsemble, hash_features
from kg.model import PREDICATES

log = logging.getLogger(__name__)

GBDT_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 15,
    "max_depth": 8,
    "min_data_in_leaf": 10,
    "lambda_l2": 1.0,
    "max_bin": 2,
    "feature_pre_filter": True,
    "zero_as_missing": False,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}


def _tree_nodes(node: dict, out: dict, columns: dict[int, int], used: list[int]) -> int:
    """Flatten one LightGBM tree (``dump_model`` form) into ``out``; return its root's index."""
    k = len(out["value"])
    for key in out:
        out[key].append(0)
    if "leaf_value" in node or "split_feature" not in node:
        out["feature"][k], out["absent"][k], out["present"][k] = -1, k, k
        out["value"][k] = float(node.get("leaf_value", 0.0))
        return k
    if node.get("decision_type", "<=") != "<=":
        raise ValueError(f"unexpected split {node.get('decision_type')}")
    b = used[int(node["split_feature"])]
    thr = float(node["threshold"])
    left = _tree_nodes(node["left_child"], out, columns, used)
    right = _tree_nodes(node["right_child"], out, columns, used)
    zero_left = node.get("default_left", True) if node.get("missing_type") == "Zero" else 0.0 <= thr
    out["feature"][k] = columns.setdefault(b, len(columns))
    out["absent"][k] = left if zero_left else right
    out["present"][k] = left if 1.0 <= thr else right
    return k


def _depth(node: dict) -> int:
    if "split_feature" not in node:
        return 0
    return 1 + max(_depth(node["left_child"]), _depth(node["right_child"]))


def fit_trees(
    data: Dataset,
    *,
    bits: int = DEFAULT_BITS,
    rounds: int = 200,
    seed: int = 0,
    params: dict | None = None,
    min_count: int = 10,
) -> TreeEnsemble:
    """Fit gradient-boosted trees per predicate (LightGBM, deterministic) on the hashed features.

    Only buckets present in the predicate's training rows are columns; the trees are turned
    into numpy arrays (:class:`TreeEnsemble`), so running them needs no LightGBM.
    """
    import lightgbm as lgb
    from scipy.sparse import csr_matrix

    out: dict[str, list] = {"feature": [], "absent": [], "present": [], "value": []}
    columns: dict[int, int] = {}
    roots, preds, depth = [], [], 0
    for k, p in enumerate(PREDICATES):
        rows = predicate_rows(data, p)
        y = np.array([p in data.examples[i].labels for i in rows], dtype=np.int8)
        if not rows or y.min() == y.max():
            log.warning("predicate %s: no examples of both classes, no trees", p)
            continue
        lists = [hash_features(data.examples[i].features, bits) for i in rows]
        counts: dict[int, int] = {}
        for idx in lists:
            for b in idx:
                counts[b] = counts.get(b, 0) + 1
        # rare buckets cannot make a leaf of min_data_in_leaf rows anyway, and slow the search
        used = sorted(b for b, n in counts.items() if n >= min_count)
        lists = [[b for b in idx if counts[b] >= min_count] for idx in lists]
        col = {b: j for j, b in enumerate(used)}
        indptr = np.cumsum([0] + [len(idx) for idx in lists])
        indices = np.array([col[b] for idx in lists for b in idx], dtype=np.int32)
        x = csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(rows), len(used)))
        booster = lgb.train(
            {**GBDT_PARAMS, **(params or {}), "seed": seed},
            lgb.Dataset(x, label=y, free_raw_data=True),
            num_boost_round=rounds,
        )
        for tree in booster.dump_model()["tree_info"]:
            roots.append(_tree_nodes(tree["tree_structure"], out, columns, used))
            preds.append(k)
            depth = max(depth, _depth(tree["tree_structure"]))
    buckets = sorted(columns, key=columns.__getitem__)
    # renumber the columns by bucket order, the never-present column last
    order = {c: j for j, c in enumerate(np.argsort(buckets, kind="stable"))}
    n_used = len(buckets)
    feature = [n_used if f < 0 else order[f] for f in out["feature"]]
    return TreeEnsemble(sorted(buckets), feature, out["absent"], out["present"], out["value"], roots, preds, depth)
