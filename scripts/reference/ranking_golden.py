"""Golden ranking metrics from scikit-learn (Debian's python3-sklearn) for src/core/metrics/ranking.test.ts:
per group, ndcg_score at 5 and 10 (gain = rating − scale minimum, ties averaged as sklearn does by default) and
average_precision_score (positive = rating >= 4); their means over groups (NDCG over groups of 2+ rows, AP over
groups with a positive). Writes test-fixtures/metrics/ranking.json.
  /usr/bin/python3 scripts/reference/ranking_golden.py
"""
import json
import os

import numpy as np
from sklearn.metrics import average_precision_score, ndcg_score

rng = np.random.default_rng(11)
cases = []
for n_groups, max_size, tie_levels in [(5, 12, None), (40, 30, 2), (200, 8, 4), (3, 300, None), (25, 15, 1)]:
    groups, ratings, scores = [], [], []
    for g in range(n_groups):
        size = int(rng.integers(1, max_size + 1))
        r = rng.integers(1, 6, size=size)
        s = rng.normal(size=size) + 0.5 * r
        if tie_levels:
            s = np.round(s * tie_levels) / tie_levels
        groups += [f"user{g}"] * size
        ratings += r.tolist()
        scores += s.tolist()
    groups, ratings, scores = np.array(groups), np.array(ratings), np.array(scores)
    ndcg5, ndcg10, ap = [], [], []
    for g in np.unique(groups):
        at = groups == g
        rel, sc = ratings[at] - 1, scores[at]
        if at.sum() >= 2:
            ndcg5.append(ndcg_score([rel], [sc], k=5))
            ndcg10.append(ndcg_score([rel], [sc], k=10))
        pos = ratings[at] >= 4
        if pos.any():
            ap.append(average_precision_score(pos, sc) if not pos.all() else 1.0)
    cases.append({
        "groups": groups.tolist(), "ratings": ratings.tolist(), "scores": scores.tolist(),
        "ndcg5": float(np.mean(ndcg5)), "ndcg10": float(np.mean(ndcg10)), "map": float(np.mean(ap)),
        "ndcgGroups": len(ndcg5), "mapGroups": len(ap),
    })
out = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "metrics", "ranking.json")
json.dump({"generator": "scikit-learn (Debian python3-sklearn)", "cases": cases}, open(out, "w"))
print("wrote", len(cases), "cases")
