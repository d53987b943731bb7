"""The PyTorch peer of `npm run bench:job`: the same fine-tuning job as TabTune's, on TabTune's own token ids.

Reads the job file scripts/bench-job.ts writes (model shape and vocabulary size, the splits' token ids and
targets, the run's settings, the trainer's learning rate at every step and the steps after which it
evaluates) and runs what TabTune's trainer runs: a baseline evaluation of validation and test, the epochs
in batches cut from a seeded shuffle with Hugging Face's group_by_length rule (megabatches of 50 batches
sorted longest first, each batch padded to its longest), dropout, the task's loss, global-norm clipping,
AdamW (no decay on biases and LayerNorm), the evaluations, and a final one of validation and test. Prints
JSON: the wall time, the final validation loss and AUC, and every validation evaluation (`history`). Its own
model is bench_torch.py's BERT, initialised at random or, when the job names `weights` (a safetensors file with
Hugging Face's BertForSequenceClassification names), with exactly those tensors — TabTune's own initial weights,
for `npm run fidelity`. When the job carries `batches` (TabTune's own, per epoch), it trains on those instead
of drawing its own shuffle; a `dropout` in the settings replaces the model's 0.1.

  /usr/bin/python3 scripts/reference/job_torch.py JOB.json
"""
import json
import sys
import time

import torch
import torch.nn.functional as F

from bench_torch import DROPOUT, Bert
from safetensors_io import read_safetensors


def batches_of(n, lengths, batch_size, seed):
    g = torch.Generator().manual_seed(seed)
    order = torch.randperm(n, generator=g).tolist()
    mega = batch_size * 50
    out = []
    for start in range(0, n, mega):
        out += sorted(order[start:start + mega], key=lambda i: -lengths[i])
    return [out[s:s + batch_size] for s in range(0, n, batch_size)]


def padded(split, rows, pad_id):
    longest = max(len(split["ids"][i]) for i in rows)
    ids = torch.full((len(rows), longest), pad_id, dtype=torch.long)
    types = torch.zeros((len(rows), longest), dtype=torch.long)
    mask = torch.zeros((len(rows), longest), dtype=torch.long)
    for r, i in enumerate(rows):
        n = len(split["ids"][i])
        ids[r, :n] = torch.tensor(split["ids"][i])
        types[r, :n] = torch.tensor(split["types"][i])
        mask[r, :n] = 1
    return ids, types, mask


def loss_of(task, out, targets):
    if task == "regression":
        return F.mse_loss(out.squeeze(-1), targets.float())
    if task == "binary":
        return F.binary_cross_entropy_with_logits(out.squeeze(-1), targets.float())
    return F.cross_entropy(out, targets.long())


def auc(scores, positive):
    pos = [s for s, p in zip(scores, positive) if p]
    neg = [s for s, p in zip(scores, positive) if not p]
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def main(path):
    job = json.load(open(path))
    cfg, m = job["config"], job["model"]
    torch.manual_seed(cfg["seed"])
    dropout = cfg.get("dropout")
    model = Bert(m["layers"], m["hidden"], m["heads"], m["intermediate"], vocab=m["vocab"],
                 positions=m["positions"], labels=job["numLabels"],
                 dropout=DROPOUT if dropout is None else dropout)
    if job.get("weights"):
        state = read_safetensors(job["weights"])
        names = model.hf_names()
        assert set(names.values()) == set(state), set(names.values()) ^ set(state)
        with torch.no_grad():
            for n, p in model.named_parameters():
                p.copy_(state[names[n]])
    named = list(model.named_parameters())
    decay = [p for n, p in named if not (n.endswith("bias") or "norm" in n)]
    rest = [p for n, p in named if n.endswith("bias") or "norm" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg["weightDecay"]},
                             {"params": rest, "weight_decay": 0.0}], lr=job["lr"][0] if job["lr"] else 0.0)
    task, pad = job["task"], job["padId"]
    eval_batch = max(cfg["batchSize"], 32)

    def evaluate(name):
        split = job[name]
        n = len(split["ids"])
        if n == 0:
            return None
        model.eval()
        total = 0.0
        # As TabTune's evaluation: batches of similar length (sorted, longest first), each score back to its row.
        order = sorted(range(n), key=lambda i: -len(split["ids"][i]))
        scores = [0.0] * n
        with torch.no_grad():
            for s in range(0, n, eval_batch):
                rows = order[s:s + eval_batch]
                out = model(*padded(split, rows, pad))
                t = torch.tensor([split["targets"][i] for i in rows])
                total += loss_of(task, out, t).item() * len(rows)
                got = out[:, -1] if task != "classification" else out.softmax(-1) @ torch.arange(out.shape[1]).float()
                for i, v in zip(rows, got.tolist()):
                    scores[i] = v
        return {"loss": total / n, "auc": auc(scores, split["positive"])}

    history = []

    def record(step):
        m = evaluate("validation")
        history.append({"step": step, **m})
        return m

    t0 = time.perf_counter()
    record(0), evaluate("test")
    train = job["train"]
    lengths = [len(x) for x in train["ids"]]
    after = set(job["evaluateAfter"])
    step, final, real, padded_tokens = 0, None, 0, 0
    for epoch in range(cfg["epochs"]):
        given = job.get("batches")
        epoch_batches = given[epoch] if given else batches_of(len(lengths), lengths, cfg["batchSize"], cfg["seed"] + epoch)
        for rows in epoch_batches:
            real += sum(lengths[i] for i in rows)
            padded_tokens += max(lengths[i] for i in rows) * len(rows)
            if step >= len(job["lr"]):
                break
            model.train()
            for group in opt.param_groups:
                group["lr"] = job["lr"][step]
            opt.zero_grad(set_to_none=True)
            out = model(*padded(train, rows, pad))
            loss = loss_of(task, out, torch.tensor([train["targets"][i] for i in rows]))
            loss.backward()
            if cfg["maxGradNorm"] > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), cfg["maxGradNorm"])
            opt.step()
            loss.item()
            step += 1
            if step in after:
                record(step)
    final = record(step)
    evaluate("test")
    seconds = time.perf_counter() - t0
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "seconds": round(seconds, 1),
                      "steps": step, "padding": round(1 - real / padded_tokens, 4), "validation": final,
                      "history": history}))


if __name__ == "__main__":
    main(sys.argv[1])
