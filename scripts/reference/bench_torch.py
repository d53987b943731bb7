"""The PyTorch peer of `npm run bench`: the same BERT shapes and the same full fine-tuning step —
forward with dropout 0.1, MSE on a regression head, backward, global-norm clipping to 1, AdamW (no decay
on biases and LayerNorm), the loss read back — on random tokens, and inference passes. Prints JSON.

Run by scripts/bench.ts when Debian's python3-torch is installed (/usr/bin/python3), or by hand:
  /usr/bin/python3 scripts/reference/bench_torch.py --shapes tiny,mini --batch 32 --seq 128 --steps 2
BERT is written out here (transformers is not installable on these machines), as BertForSequenceClassification
computes it.
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F
from torch import nn

SHAPES = {
    "tiny": dict(layers=2, hidden=128, heads=2, intermediate=512),
    "mini": dict(layers=4, hidden=256, heads=4, intermediate=1024),
}
VOCAB, POSITIONS, DROPOUT = 30522, 512, 0.1


class Layer(nn.Module):
    def __init__(self, h, nh, i, dropout=DROPOUT):
        super().__init__()
        self.nh = nh
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attn_out, self.attn_norm = nn.Linear(h, h), nn.LayerNorm(h, eps=1e-12)
        self.inter, self.out, self.out_norm = nn.Linear(h, i), nn.Linear(i, h), nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.nh, h // self.nh).transpose(1, 2)  # (B, nh, T, hs)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        probs = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(h // self.nh) + mask, dim=-1))
        ctx = (probs @ v).transpose(1, 2).reshape(b, t, h)
        a = self.attn_norm(self.drop(self.attn_out(ctx)) + x)
        return self.out_norm(self.drop(self.out(F.gelu(self.inter(a)))) + a)


class Bert(nn.Module):
    def __init__(self, layers, hidden, heads, intermediate, vocab=VOCAB, positions=POSITIONS, labels=1,
                 dropout=DROPOUT):
        super().__init__()
        self.words, self.positions = nn.Embedding(vocab, hidden), nn.Embedding(positions, hidden)
        self.types, self.norm = nn.Embedding(2, hidden), nn.LayerNorm(hidden, eps=1e-12)
        self.layers = nn.ModuleList(Layer(hidden, heads, intermediate, dropout) for _ in range(layers))
        self.pooler, self.classifier, self.drop = nn.Linear(hidden, hidden), nn.Linear(hidden, labels), nn.Dropout(dropout)

    def hidden(self, ids, types, attention):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.drop(self.norm(self.words(ids) + self.positions(pos) + self.types(types)))
        mask = (1.0 - attention[:, None, None, :].float()) * -1e4
        for layer in self.layers:
            x = layer(x, mask)
        return x

    def forward(self, ids, types, attention):
        x = self.hidden(ids, types, attention)
        return self.classifier(self.drop(torch.tanh(self.pooler(x[:, 0]))))

    # Hugging Face's BertForSequenceClassification names for this module's parameters ("bert.*", "classifier.*").
    def hf_names(self):
        out = {"words": "bert.embeddings.word_embeddings", "positions": "bert.embeddings.position_embeddings",
               "types": "bert.embeddings.token_type_embeddings", "norm": "bert.embeddings.LayerNorm",
               "pooler": "bert.pooler.dense", "classifier": "classifier"}
        parts = {"query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
                 "attn_out": "attention.output.dense", "attn_norm": "attention.output.LayerNorm",
                 "inter": "intermediate.dense", "out": "output.dense", "out_norm": "output.LayerNorm"}
        for i in range(len(self.layers)):
            for mine, theirs in parts.items():
                out[f"layers.{i}.{mine}"] = f"bert.encoder.layer.{i}.{theirs}"
        names = {}
        for n, _ in self.named_parameters():
            module, leaf = n.rsplit(".", 1)
            names[n] = f"{out[module]}.{leaf}"
        return names


def measure(shape, batch, seq, steps):
    torch.manual_seed(1)
    model = Bert(**SHAPES[shape])
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "norm" in n)]
    rest = [p for n, p in model.named_parameters() if n.endswith("bias") or "norm" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=1e-4)
    ids = torch.randint(1000, 30000, (batch, seq))
    types, attention = torch.zeros_like(ids), torch.ones_like(ids)
    targets = torch.rand(batch)

    def train_step():
        model.train()
        opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(model(ids, types, attention).squeeze(-1), targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss.item()

    def infer_step():
        model.eval()
        with torch.no_grad():
            model(ids, types, attention).sum().item()

    def rate(step):
        step()  # warm-up, as the TF.js bench does
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        return batch * steps / (time.perf_counter() - t0)

    return {"shape": shape, "backend": "pytorch", "batchSize": batch, "seqLen": seq, "steps": steps,
            "trainExamplesPerSecond": round(rate(train_step), 2),
            "inferenceExamplesPerSecond": round(rate(infer_step), 2)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", default="tiny,mini")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--steps", type=int, default=2)
    a = ap.parse_args()
    results = [measure(s, a.batch, a.seq, a.steps) for s in a.shapes.split(",")]
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))
