"""Checks a TabTune export the way transformers' AutoModelForSequenceClassification.from_pretrained reads it,
and writes the logits BertForSequenceClassification (eval mode) computes, to test-fixtures/export/golden.json.

transformers itself cannot be installed here (no PyPI), so this follows its loading rules explicitly:
config.json must carry model_type "bert", num_labels, problem_type and id2label/label2id; model.safetensors must
hold exactly the state_dict keys of BertForSequenceClassification ("bert.*" encoder + pooler, "classifier.*"),
with the shapes the config implies; the tokenizer must be loadable from vocab.txt + tokenizer_config.json.
"""
import json
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from make_checkpoints import bert_forward, random_weights  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures")
# The export to check: test-fixtures/export, or the folder given (test-fixtures/multilabel/tabtune-export).
EXPORT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "export")


cfg = json.load(open(os.path.join(EXPORT, "config.json")))
assert cfg["model_type"] == "bert" and cfg["architectures"] == ["BertForSequenceClassification"]
assert cfg["problem_type"] in ("regression", "single_label_classification", "multi_label_classification")
num_labels = cfg["num_labels"]
assert len(cfg["id2label"]) == num_labels and len(cfg["label2id"]) == num_labels
assert all(cfg["label2id"][cfg["id2label"][str(i)]] == i for i in range(num_labels))
if cfg["tabtune"]["task"] == "multi-label":
    # transformers' multi-label rule: one sigmoid per label, BCEWithLogitsLoss on float targets of num_labels
    assert cfg["problem_type"] == "multi_label_classification"
    assert [cfg["id2label"][str(i)] for i in range(num_labels)] == cfg["tabtune"]["labels"]
    assert len(cfg["tabtune"]["label_thresholds"]) == num_labels
state = read_safetensors(os.path.join(EXPORT, "model.safetensors"))

# The exact key set of BertForSequenceClassification's state_dict (position_ids is a non-persistent buffer).
expected = {"bert." + k: v.shape for k, v in random_weights(cfg, 0).items()}
expected["classifier.weight"] = torch.Size([num_labels, cfg["hidden_size"]])
expected["classifier.bias"] = torch.Size([num_labels])
assert set(state) == set(expected), (set(state) ^ set(expected))
for k, shape in expected.items():
    assert state[k].shape == shape, (k, state[k].shape, shape)
vocab = open(os.path.join(EXPORT, "vocab.txt"), encoding="utf-8").read().split("\n")
assert len([v for v in vocab if v != ""]) <= cfg["vocab_size"]
tok_cfg = json.load(open(os.path.join(EXPORT, "tokenizer_config.json")))
assert tok_cfg["tokenizer_class"] == "BertTokenizer"

w = {k[len("bert."):]: v for k, v in state.items() if k.startswith("bert.")}
inputs = json.load(open(os.path.join(ROOT, "models", "inputs.json")))["pair"]
T = max(len(r["input_ids"]) for r in inputs)
pad = lambda s: s + [0] * (T - len(s))
with torch.no_grad():
    _, pooled = bert_forward(w, cfg, torch.tensor([pad(r["input_ids"]) for r in inputs]),
                             torch.tensor([pad(r["token_type_ids"]) for r in inputs]),
                             torch.tensor([pad([1] * len(r["input_ids"])) for r in inputs]))
    logits = torch.nn.functional.linear(pooled, state["classifier.weight"], state["classifier.bias"])
json.dump({"checked": "config keys, state_dict key set and shapes, tokenizer files", "logits": logits.tolist()},
          open(os.path.join(EXPORT, "golden.json"), "w"))
print("export is loadable as BertForSequenceClassification; wrote logits for", len(inputs), "inputs")
