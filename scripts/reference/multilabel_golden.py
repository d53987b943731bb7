"""Golden vectors for the multi-label task (src/core/metrics/multiLabel.test.ts, src/core/train/loss.test.ts).

Loss: transformers' multi_label_classification loss, torch.nn.BCEWithLogitsLoss on [B, L] logits and 0/1 targets,
with and without pos_weight. Metrics: scikit-learn's roc_auc_score and average_precision_score per label,
f1_score at a threshold per label, macro AUC (mean over the labels) and micro AUC (roc_auc_score(average="micro")).
Run with /usr/bin/python3 scripts/reference/multilabel_golden.py.
"""
import json
import os

import numpy as np
import torch
from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

torch.manual_seed(11)
losses = []
for n, k, weighted in [(5, 3, False), (17, 4, False), (9, 2, True), (23, 5, True)]:
    logits = torch.randn(n, k, dtype=torch.float64) * 3
    logits[0, 0] = 40.0  # saturated: a naive log(sigmoid) would give inf
    logits[1, 0] = -40.0
    targets = torch.randint(0, 2, (n, k)).double()
    pos_weight = torch.rand(k, dtype=torch.float64) * 4 + 0.5 if weighted else None
    loss = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)(logits, targets)
    losses.append({"logits": logits.tolist(), "targets": targets.tolist(),
                   "posWeight": pos_weight.tolist() if weighted else None, "loss": loss.item()})

rng = np.random.default_rng(5)
n, k = 60, 3
truth = (rng.random((n, k)) < [0.3, 0.5, 0.15]).astype(int)
probs = np.clip(truth * 0.35 + rng.random((n, k)) * 0.65, 0, 1).round(3)  # rounded: ties occur
thresholds = [0.4, 0.55, 0.62]
metrics = {
    "truth": truth.tolist(),
    "probs": probs.tolist(),
    "thresholds": thresholds,
    "auc": [roc_auc_score(truth[:, j], probs[:, j]) for j in range(k)],
    "ap": [average_precision_score(truth[:, j], probs[:, j]) for j in range(k)],
    "f1": [f1_score(truth[:, j], probs[:, j] >= thresholds[j]) for j in range(k)],
    "macroAuc": roc_auc_score(truth, probs, average="macro"),
    "microAuc": roc_auc_score(truth, probs, average="micro"),
}

out = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "multilabel", "golden.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "losses": losses, "metrics": metrics}, f)
print(f"wrote {len(losses)} loss cases and {k} labels' metrics to {out}")
