"""Continue this TabTune run on Hugging Face transformers.

  pip install torch transformers scikit-learn
  python train_hf.py --data reviews.csv --model path/to/st-gelu  # from the original checkpoint (a local folder)
  python train_hf.py --data reviews.csv --model .                # from this export (TabTune's weights)
  accelerate launch train_hf.py --data reviews.csv               # on several GPUs or machines (or torchrun)

The settings below are the run's training_config.json. The split is a seeded random one (TabTune's stratified
split is not reproduced row for row); the metrics are validation loss and AUC (rating >= threshold is positive).
"""
import argparse
import csv
import inspect
import json
import os

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

SETTINGS = json.loads("{\"base_model\":\"folder st-gelu\",\"columns\":{\"text\":\"review\",\"pair\":\"customer\",\"label\":\"tags\",\"labelSeparator\":\";\"},\"label\":{\"task\":\"multi-label\",\"scale\":{\"min\":0,\"max\":1},\"threshold\":0.5,\"classes\":[],\"labels\":[\"liked\",\"jeans\",\"top\",\"skirt\",\"blouse\",\"coat\",\"jacket\",\"sweater\",\"dress\"]},\"task\":\"multi-label\",\"threshold\":null,\"scale\":null,\"maxLength\":24,\"batchSize\":8,\"gradAccumulation\":1,\"groupByLength\":true,\"epochs\":1,\"learningRate\":0.001,\"weightDecay\":0.01,\"warmupRatio\":0.1,\"maxGradNorm\":1,\"dropout\":null,\"seed\":42,\"validationFraction\":0.1,\"testFraction\":0.1,\"evalsPerEpoch\":2,\"earlyStopping\":{\"metric\":\"auc\",\"patience\":0},\"freeze\":{\"embeddings\":false,\"bottomLayers\":0,\"headOnly\":false},\"groupSplit\":false,\"classicalBaseline\":true,\"rowLimit\":null,\"lora\":null,\"labelChanges\":null,\"backend\":\"cpu\",\"created_at\":\"2026-11-29T00:00:00.000Z\"}")
# The checkpoint the run started from; None when it trained from scratch (then the default is this export). A
# local base (not on the Hub) is named by its folder's name alone: pass --model with its path on your machine.
ORIGINAL_MODEL = "st-gelu"
ORIGINAL_IS_LOCAL = True
HERE = os.path.dirname(os.path.abspath(__file__))

def row_tags(row, cols):
    """Multi-label: the labels a row has, from its 0/1 columns or its column of tags."""
    if cols.get("labelColumns"):
        return {c for c in cols["labelColumns"] if row[c].strip().lower() in ("1", "1.0", "true", "yes")}
    return {t.strip() for t in row[cols["label"]].split(cols["labelSeparator"]) if t.strip()}


def usable(row, cols):
    """A row with text and a label (multi-label: a tag column may be empty, a row with no label)."""
    if not row.get(cols["text"], "").strip():
        return False
    if cols.get("labelColumns"):
        return all(row.get(c, "").strip() for c in cols["labelColumns"])
    return bool(cols.get("labelSeparator")) or bool(row.get(cols["label"], "").strip())


def row_target(row, cols, label):
    """The head's target for a row, as TabTune trains it."""
    if label["task"] == "multi-label":
        tags = row_tags(row, cols)
        return [float(name in tags) for name in label["labels"]]
    return targets(float(row[cols["label"]]), label)


def targets(rating, label):
    """The head's target for a rating, as TabTune trains it."""
    lo, hi = label["scale"]["min"], label["scale"]["max"]
    if label["task"] == "regression":
        return float((rating - lo) / (hi - lo))
    if label["task"] == "binary":
        return [float(rating >= label["threshold"])]
    return label["classes"].index(rating)


class Rows(torch.utils.data.Dataset):
    def __init__(self, rows, tokenizer):
        cols, label = SETTINGS["columns"], SETTINGS["label"]
        texts = [r[cols["text"]] for r in rows]
        pairs = [r[cols["pair"]] for r in rows] if cols.get("pair") else None
        self.enc = tokenizer(texts, pairs, truncation=True, max_length=SETTINGS["maxLength"])
        self.labels = [row_target(r, cols, label) for r in rows]

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        item = {k: v[i] for k, v in self.enc.items()}
        item["labels"] = self.labels[i]
        return item


def metrics(pred):
    from sklearn.metrics import roc_auc_score
    label = SETTINGS["label"]
    out = np.asarray(pred.predictions)
    if label["task"] == "multi-label":
        truth = np.asarray(pred.label_ids) >= 0.5
        aucs = [roc_auc_score(truth[:, k], out[:, k]) for k in range(out.shape[1]) if 0 < truth[:, k].sum() < len(truth)]
        return {"auc": float(np.mean(aucs)) if aucs else float("nan")}  # macro AUC
    if label["task"] == "classification":
        probs = torch.softmax(torch.tensor(out), -1).numpy()
        score = probs @ np.asarray(label["classes"], dtype=float)
        truth = np.asarray(label["classes"])[pred.label_ids] >= label["threshold"]
    elif label["task"] == "binary":
        score, truth = out[:, 0], pred.label_ids[:, 0] >= 0.5
    else:
        lo, hi = label["scale"]["min"], label["scale"]["max"]
        score = out[:, 0]
        truth = lo + pred.label_ids * (hi - lo) >= label["threshold"]
    return {"auc": roc_auc_score(truth, score) if 0 < truth.sum() < len(truth) else float("nan")}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="a CSV with the run's columns")
    p.add_argument("--model", default=ORIGINAL_MODEL or HERE,
                   help="checkpoint to start from (default: the original, or this export for a run from scratch)")
    p.add_argument("--out", default="hf-run")
    args = p.parse_args()
    if ORIGINAL_IS_LOCAL and args.model == ORIGINAL_MODEL and not os.path.isdir(args.model):
        p.error(f"the run started from a local folder called {ORIGINAL_MODEL!r}, which is not here: "
                f"pass --model with its path, or --model {HERE} to go on from this export")
    s, label = SETTINGS, SETTINGS["label"]
    torch.manual_seed(s["seed"])
    cols = s["columns"]
    with open(args.data, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if usable(r, cols)]
    order = np.random.default_rng(s["seed"]).permutation(len(rows))
    n_val = max(1, int(len(rows) * s["validationFraction"]))
    val = [rows[i] for i in order[:n_val]]
    train = [rows[i] for i in order[n_val:]]
    problem = {"regression": "regression", "classification": "single_label_classification",
               "binary": "multi_label_classification", "multi-label": "multi_label_classification"}[label["task"]]
    num_labels = {"classification": len(label["classes"]), "multi-label": len(label.get("labels", []))}.get(
        label["task"], 1)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForSequenceClassification.from_pretrained(
        args.model, num_labels=num_labels, problem_type=problem, ignore_mismatched_sizes=True)
    if s.get("lora"):
        from peft import LoraConfig, get_peft_model
        l = s["lora"]
        model = get_peft_model(model, LoraConfig(task_type="SEQ_CLS", r=l["r"], lora_alpha=l["alpha"],
                                                 lora_dropout=l["dropout"], target_modules=l["targets"],
                                                 use_rslora=l["rslora"]))
    elif s["freeze"]["headOnly"]:
        for name, param in model.named_parameters():
            param.requires_grad = name.startswith("classifier.")
    training = TrainingArguments(
        output_dir=args.out,
        learning_rate=s["learningRate"],
        weight_decay=s["weightDecay"],
        warmup_ratio=s["warmupRatio"],
        lr_scheduler_type="linear",
        max_grad_norm=s["maxGradNorm"] or 1e9,
        num_train_epochs=s["epochs"],
        per_device_train_batch_size=s["batchSize"],
        gradient_accumulation_steps=s["gradAccumulation"],
        group_by_length=s["groupByLength"],
        seed=s["seed"],
        eval_strategy="epoch",
        save_strategy="epoch",
        load_best_model_at_end=True,
        metric_for_best_model=s["earlyStopping"]["metric"],
        greater_is_better=s["earlyStopping"]["metric"] == "auc",
    )
    # transformers 4.46 renamed Trainer's tokenizer= to processing_class= (tokenizer= goes in 5.0).
    takes = inspect.signature(Trainer.__init__).parameters
    tokenizer_arg = {"processing_class" if "processing_class" in takes else "tokenizer": tokenizer}
    trainer = Trainer(model=model, args=training, train_dataset=Rows(train, tokenizer),
                      eval_dataset=Rows(val, tokenizer), compute_metrics=metrics, **tokenizer_arg)
    trainer.train()
    print(trainer.evaluate())
    trainer.save_model(args.out)


if __name__ == "__main__":
    main()
