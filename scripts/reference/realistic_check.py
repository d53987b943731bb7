"""Builds two 30k-vocab random checkpoints and their golden [CLS]/pooled vectors for realistic-check.mjs."""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from make_checkpoints import BASE, bert_forward, checkpoint_key, random_weights, write_safetensors  # noqa: E402

work, vocab_path = sys.argv[1], sys.argv[2]
vocab = [line.rstrip("\n") for line in open(vocab_path, encoding="utf-8")]
inputs = json.load(open(os.path.join(work, "inputs.json")))["pair"]
for name, act, fmt, style, seed in [("st-gelu", "gelu", "st", "prefixed", 11), ("bin-gelu-new-legacy", "gelu_new", "bin", "legacy-unprefixed", 12)]:
    cfg = dict(BASE, vocab_size=len(vocab), hidden_size=32, num_attention_heads=4, intermediate_size=64,
               max_position_embeddings=128, hidden_act=act)
    w = random_weights(cfg, seed)
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    state = {checkpoint_key(k, style): v for k, v in w.items()}
    if fmt == "bin":
        torch.save(state, os.path.join(d, "pytorch_model.bin"))
    else:
        write_safetensors(os.path.join(d, "model.safetensors"), state, "F32")
    json.dump(cfg, open(os.path.join(d, "config.json"), "w"))
    open(os.path.join(d, "vocab.txt"), "w", encoding="utf-8").write("\n".join(vocab) + "\n")
    cls, pooled = [], []
    with torch.no_grad():
        for start in range(0, len(inputs), 64):
            rows = inputs[start:start + 64]
            T = max(len(r["input_ids"]) for r in rows)
            pad = lambda s: s + [0] * (T - len(s))
            h, p = bert_forward(w, cfg, torch.tensor([pad(r["input_ids"]) for r in rows]),
                                torch.tensor([pad(r["token_type_ids"]) for r in rows]),
                                torch.tensor([pad([1] * len(r["input_ids"])) for r in rows]))
            cls += h[:, 0].tolist()
            pooled += p.tolist()
    json.dump({"cls": cls, "pooled": pooled}, open(os.path.join(d, "golden.json"), "w"))
