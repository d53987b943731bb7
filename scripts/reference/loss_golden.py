"""Golden loss values from PyTorch (Debian's python3-torch) for src/core/train/loss.test.ts.

BertForSequenceClassification's three losses, as transformers computes them from the logits:
regression -> MSELoss on logits.squeeze(), single_label_classification -> CrossEntropyLoss,
binary (one logit) -> BCEWithLogitsLoss. Run with /usr/bin/python3 scripts/reference/loss_golden.py.
"""
import json
import os

import torch

torch.manual_seed(3)
cases = []
for task, n, k in [("regression", 7, 1), ("regression", 32, 1), ("binary", 9, 1), ("binary", 40, 1),
                   ("classification", 6, 5), ("classification", 33, 3)]:
    logits = torch.randn(n, k, dtype=torch.float64) * 3  # big enough for the stable forms to matter
    if task == "regression":
        targets = torch.rand(n, dtype=torch.float64)
        loss = torch.nn.MSELoss()(logits.squeeze(-1), targets)
    elif task == "binary":
        logits[0, 0] = 40.0  # saturated logits: a naive log(sigmoid) would give inf
        logits[1, 0] = -40.0
        targets = torch.randint(0, 2, (n,)).double()
        loss = torch.nn.BCEWithLogitsLoss()(logits.squeeze(-1), targets)
    else:
        targets = torch.randint(0, k, (n,))
        loss = torch.nn.CrossEntropyLoss()(logits, targets)
    cases.append({"task": task, "logits": logits.tolist(), "targets": targets.tolist(), "loss": loss.item()})

out = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "loss", "golden.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
print(f"wrote {len(cases)} cases to {out}")
