"""Golden metric values from scikit-learn (Debian's python3-sklearn) for src/core/metrics/metrics.test.ts."""
import json
import os

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, mean_squared_error, roc_auc_score

rng = np.random.default_rng(7)
cases = []
for n, tie_levels in [(10, None), (57, 5), (200, 3), (1000, None), (31, 2)]:
    ratings = rng.integers(1, 6, size=n)
    scores = rng.normal(size=n) + 0.4 * ratings
    if tie_levels:
        scores = np.round(scores * tie_levels) / tie_levels  # many ties
    positive = ratings >= 4
    pred_rating = np.clip(np.round(scores + 2), 1, 5)
    truth_cls, pred_cls = ratings - 1, (pred_rating - 1).astype(int)
    cases.append({
        "ratings": ratings.tolist(), "scores": scores.tolist(), "positive": positive.tolist(),
        "pred_rating": pred_rating.tolist(), "truth_class": truth_cls.tolist(), "pred_class": pred_cls.tolist(),
        "auc": roc_auc_score(positive, scores),
        "rmse": float(np.sqrt(mean_squared_error(ratings, pred_rating))),
        "mae": mean_absolute_error(ratings, pred_rating),
        "accuracy": accuracy_score(truth_cls, pred_cls),
        "macro_f1": f1_score(truth_cls, pred_cls, average="macro"),
    })
out = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "metrics", "golden.json")
json.dump({"generator": "scikit-learn (Debian python3-sklearn)", "cases": cases}, open(out, "w"))
print("wrote", len(cases), "cases")
