"""Pretrains a tiny BERT (2 layers, hidden 128, 2 heads) with masked-language modelling on review texts, as a
stand-in for a downloaded checkpoint (no machine here reaches a model hub), for `npm run fidelity`.

Reads a JSON file of token ids TabTune's own tokenizer made ({"ids": [[...]], "vocabSize", "maskId", "special":
[ids never masked]}), masks 15 % of the tokens (80 % [MASK], 10 % random, 10 % kept), trains the encoder with a
tied decoder for --steps steps (AdamW, lr 1e-3, linear warmup and decay), and writes a Hugging Face-style folder:
config.json, model.safetensors ("bert.*" names; no head), plus the vocab.txt it is given.

  /usr/bin/python3 scripts/reference/mlm_pretrain.py IDS.json VOCAB.txt OUT_DIR [--steps 3000] [--seed 0]
"""
import argparse
import json
import os
import shutil
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from bench_torch import Bert  # noqa: E402
from make_checkpoints import write_safetensors  # noqa: E402

CONFIG = dict(hidden_size=128, num_hidden_layers=2, num_attention_heads=2, intermediate_size=512,
              max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu", hidden_dropout_prob=0.1,
              attention_probs_dropout_prob=0.1, layer_norm_eps=1e-12, initializer_range=0.02,
              model_type="bert", architectures=["BertForMaskedLM"], pad_token_id=0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ids"), ap.add_argument("vocab"), ap.add_argument("out")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    job = json.load(open(a.ids))
    rows, vocab, mask_id, special = job["ids"], job["vocabSize"], job["maskId"], set(job["special"])
    torch.manual_seed(a.seed)
    c = CONFIG
    bert = Bert(c["num_hidden_layers"], c["hidden_size"], c["num_attention_heads"], c["intermediate_size"],
                vocab=vocab, positions=c["max_position_embeddings"], labels=1)
    for m in bert.modules():  # BERT's initialisation: N(0, 0.02), zero biases
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0, 0.02)
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)
    transform, head_norm = nn.Linear(128, 128), nn.LayerNorm(128, eps=1e-12)
    decoder_bias = nn.Parameter(torch.zeros(vocab))
    params = list(bert.parameters()) + list(transform.parameters()) + list(head_norm.parameters()) + [decoder_bias]
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01)
    warmup = a.steps // 10
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (a.steps - s) / (a.steps - warmup))))
    g = torch.Generator().manual_seed(a.seed)
    t0 = time.time()
    for step in range(a.steps):
        batch = [rows[i] for i in torch.randint(len(rows), (a.batch,), generator=g).tolist()]
        longest = max(len(r) for r in batch)
        ids = torch.zeros((a.batch, longest), dtype=torch.long)
        att = torch.zeros_like(ids)
        for r, row in enumerate(batch):
            ids[r, :len(row)] = torch.tensor(row)
            att[r, :len(row)] = 1
        can = att.bool() & ~sum((ids == s) for s in special).bool()
        chosen = can & (torch.rand(ids.shape, generator=g) < 0.15)
        labels = ids[chosen]
        inputs = ids.clone()
        roll = torch.rand(ids.shape, generator=g)
        inputs[chosen & (roll < 0.8)] = mask_id
        randomized = chosen & (roll >= 0.8) & (roll < 0.9)
        inputs[randomized] = torch.randint(vocab, (int(randomized.sum()),), generator=g)
        bert.train()
        h = bert.hidden(inputs, torch.zeros_like(ids), att)[chosen]
        logits = head_norm(F.gelu(transform(h))) @ bert.words.weight.T + decoder_bias
        loss = F.cross_entropy(logits, labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        if step % 100 == 0 or step == a.steps - 1:
            print(f"step {step}  MLM loss {loss.item():.3f}  {time.time() - t0:.0f} s", file=sys.stderr)
    os.makedirs(a.out, exist_ok=True)
    names = bert.hf_names()
    tensors = {names[n]: p.detach() for n, p in bert.named_parameters() if not n.startswith("classifier")}
    write_safetensors(os.path.join(a.out, "model.safetensors"), tensors, "F32")
    json.dump({**c, "vocab_size": vocab}, open(os.path.join(a.out, "config.json"), "w"), indent=1)
    json.dump({"do_lower_case": True, "tokenizer_class": "BertTokenizer"},
              open(os.path.join(a.out, "tokenizer_config.json"), "w"))
    shutil.copy(a.vocab, os.path.join(a.out, "vocab.txt"))


if __name__ == "__main__":
    main()
