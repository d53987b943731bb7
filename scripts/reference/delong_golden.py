"""Golden DeLong intervals for src/core/metrics/interval.test.ts, computed the direct way: the full
positives x negatives comparison matrix (no midranks), numpy's covariances, scipy's normal quantile, and
scikit-learn's roc_auc_score for the AUC itself. Writes test-fixtures/metrics/delong.json.
    /usr/bin/python3 scripts/reference/delong_golden.py"""
import json
import os

import numpy as np
from scipy.stats import norm
from sklearn.metrics import roc_auc_score

Z = norm.ppf(0.975)


def components(pos, neg):
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)  # V10 per positive, V01 per negative (as P(pos > neg))


def delong(positive, a, b):
    pa, na = a[positive], a[~positive]
    pb, nb = b[positive], b[~positive]
    v10a, v01a = components(pa, na)
    v10b, v01b = components(pb, nb)
    m, n = len(pa), len(na)
    s10 = np.cov(np.vstack([v10a, v10b]))
    s01 = np.cov(np.vstack([v01a, v01b]))
    var = s10 / m + s01 / n
    auc_a, auc_b = roc_auc_score(positive, a), roc_auc_score(positive, b)
    se_a = np.sqrt(var[0, 0])
    se_d = np.sqrt(var[0, 0] + var[1, 1] - 2 * var[0, 1])
    d = auc_a - auc_b
    return {
        "auc": auc_a, "se": se_a, "low": max(0.0, auc_a - Z * se_a), "high": min(1.0, auc_a + Z * se_a),
        "auc_b": auc_b, "difference": d, "diff_low": d - Z * se_d, "diff_high": d + Z * se_d,
    }


rng = np.random.default_rng(11)
cases = []
for n, ties, corr in [(12, None, 0.5), (60, 4, 0.8), (300, None, 0.3), (1000, 2, 0.9), (41, None, 0.0)]:
    ratings = rng.integers(1, 6, size=n)
    positive = ratings >= 4
    shared = rng.normal(size=n)
    a = 0.6 * ratings + shared + rng.normal(size=n)
    b = 0.5 * ratings + corr * shared + rng.normal(size=n)
    if ties:
        a, b = np.round(a * ties) / ties, np.round(b * ties) / ties
    cases.append({"positive": positive.tolist(), "a": a.tolist(), "b": b.tolist(), **delong(positive, a, b)})
out = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "metrics", "delong.json")
json.dump({"generator": "scripts/reference/delong_golden.py (direct DeLong, numpy, scipy, scikit-learn)", "cases": cases}, open(out, "w"))
print("wrote", len(cases), "cases")
