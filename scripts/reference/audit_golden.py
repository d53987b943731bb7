"""Golden label-audit scores for src/core/audit/score.test.ts, computed independently with numpy and scipy:
ratings — suspicion erf(|given − predicted| / (σ√2)) with σ the residuals' root mean square, and the count of
residuals at least half the scale; classes — cleanlab's self-confidence 1 − p(given), and confident learning's
off-diagonal count (a class j confident when p_j ≥ the mean p_j of the rows labelled j; the likeliest confident
class; counted when its rating is at least `gap` from the given one). Writes test-fixtures/audit/scores.json.
  /usr/bin/python3 scripts/reference/audit_golden.py
"""
import json
import os

import numpy as np
from scipy.special import erf

rng = np.random.default_rng(5)
ratings = []
for n, lo, hi in [(40, 1, 5), (300, 1, 5), (25, 0, 1), (120, 1, 10)]:
    given = rng.integers(lo, hi + 1, size=n).astype(float)
    predicted = np.clip(given + rng.normal(0, 0.8, size=n), lo - 0.5, hi + 0.5)
    flip = rng.random(n) < 0.1
    given[flip] = lo + hi - given[flip]
    residual = given - predicted
    sigma = np.sqrt(np.mean(residual ** 2))
    ratings.append({
        "given": given.tolist(), "predicted": predicted.tolist(), "scale": {"min": lo, "max": hi},
        "suspicion": erf(np.abs(residual) / (sigma * np.sqrt(2))).tolist(),
        "estimatedWrong": int(np.sum(np.abs(residual) >= (hi - lo) / 2)), "sigma": float(sigma),
    })

classes = []
for n, k, values, gap in [(60, 5, [1, 2, 3, 4, 5], 2), (200, 2, [0, 1], 1), (90, 3, [1, 2, 3], 1)]:
    given = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), given] += 1.5
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    t = np.array([p[given == j, j].mean() for j in range(k)])
    wrong = 0
    for i in range(n):
        ok = np.where(p[i] >= t)[0]
        if len(ok) > 0:
            j = ok[np.argmax(p[i, ok])]
            if abs(values[j] - values[given[i]]) >= gap:
                wrong += 1
    classes.append({
        "given": given.tolist(), "probabilities": p.tolist(), "values": values, "gap": gap,
        "suspicion": (1 - p[np.arange(n), given]).tolist(), "estimatedWrong": wrong,
    })

os.makedirs("test-fixtures/audit", exist_ok=True)
with open("test-fixtures/audit/scores.json", "w") as f:
    json.dump({"ratings": ratings, "classes": classes}, f)
