"""LoRA reference vectors, computed the way Hugging Face PEFT computes and loads LoRA (PEFT itself cannot be
installed here: no PyPI), in plain PyTorch on the st-gelu test checkpoint:

1. test-fixtures/lora/peft-adapter/: an adapter folder as PEFT's save_pretrained writes it for a
   BertForSequenceClassification (task SEQ_CLS, rank-stabilised scaling, four target names), with random A, B and
   head, and golden.json: the logits of base + adapter, each adapted layer computing y + (x·Aᵀ)·Bᵀ · scaling
   (eval mode: LoRA's dropout off).
2. test-fixtures/lora/tabtune-export/ (written by make-export-fixture.ts --lora): TabTune's export of a LoRA run.
   Its adapter/ is checked by PEFT's loading rules — the config's fields, and the exact key set
   (PeftModel.from_pretrained loads with strict=False and only warns of misnamed keys, so the set is checked here)
   and shapes — then applied to the base checkpoint; golden.json gets those logits, and the merged
   model.safetensors must give the same (within 1e-5).
   /usr/bin/python3 scripts/reference/lora_golden.py
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from make_checkpoints import bert_forward  # noqa: E402
from safetensors_io import read_safetensors, write_safetensors  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures")
BASE = os.path.join(ROOT, "models", "st-gelu")
PREFIX = "base_model.model."


def base_weights():
    st = read_safetensors(os.path.join(BASE, "model.safetensors"), float_only=True)
    return {k[len("bert."):]: v for k, v in st.items() if k.startswith("bert.")}, json.load(open(os.path.join(BASE, "config.json")))


def modules(cfg, targets):
    """PEFT's rule: a module is adapted when its name equals a target or ends with "." + target."""
    names = []
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        names += [f"{p}.attention.self.query", f"{p}.attention.self.key", f"{p}.attention.self.value",
                  f"{p}.attention.output.dense", f"{p}.intermediate.dense", f"{p}.output.dense"]
    return [m for m in names if any(m == t or m.endswith("." + t) for t in targets)]


def logits_with(w, cfg, lora, scaling, head_w, head_b):
    """The base forward with each adapted layer's weight replaced by an object computing y + (x Aᵀ) Bᵀ · s."""
    inputs = json.load(open(os.path.join(ROOT, "models", "inputs.json")))["pair"]
    T = max(len(r["input_ids"]) for r in inputs)
    pad = lambda s: s + [0] * (T - len(s))
    orig = torch.nn.functional.linear

    def lin(x, weight, bias=None):
        y = orig(x, weight, bias)
        for m, (a, b, wt) in lora.items():
            if weight is wt:
                return y + orig(orig(x, a), b) * scaling
        return y

    torch.nn.functional.linear = lin
    try:
        with torch.no_grad():
            _, pooled = bert_forward(w, cfg, torch.tensor([pad(r["input_ids"]) for r in inputs]),
                                     torch.tensor([pad(r["token_type_ids"]) for r in inputs]),
                                     torch.tensor([pad([1] * len(r["input_ids"])) for r in inputs]))
    finally:
        torch.nn.functional.linear = orig
    return torch.nn.functional.linear(pooled, head_w, head_b)


def peft_adapter():
    w, cfg = base_weights()
    targets = ["query", "value", "intermediate.dense", "output.dense"]
    r, alpha = 4, 6.0
    scaling = alpha / math.sqrt(r)  # use_rslora
    g = torch.Generator().manual_seed(11)
    tensors, lora = {}, {}
    for m in modules(cfg, targets):
        out_f, in_f = w[m + ".weight"].shape
        a = (torch.rand(r, in_f, generator=g) * 2 - 1) / math.sqrt(in_f)
        b = torch.randn(out_f, r, generator=g) * 0.3
        tensors[f"{PREFIX}bert.{m}.lora_A.weight"] = a
        tensors[f"{PREFIX}bert.{m}.lora_B.weight"] = b
        lora[m] = (a, b, w[m + ".weight"])
    head_w = torch.randn(3, cfg["hidden_size"], generator=g) * 0.5
    head_b = torch.randn(3, generator=g) * 0.1
    tensors[f"{PREFIX}classifier.weight"] = head_w
    tensors[f"{PREFIX}classifier.bias"] = head_b
    out = os.path.join(ROOT, "lora", "peft-adapter")
    os.makedirs(out, exist_ok=True)
    config = {
        "peft_type": "LORA", "task_type": "SEQ_CLS", "base_model_name_or_path": "test-fixtures/models/st-gelu",
        "revision": None, "r": r, "lora_alpha": alpha, "lora_dropout": 0.1, "target_modules": targets,
        "modules_to_save": ["classifier", "score"], "bias": "none", "fan_in_fan_out": False, "use_rslora": True,
        "use_dora": False, "init_lora_weights": True, "inference_mode": True, "layers_to_transform": None,
        "layers_pattern": None, "rank_pattern": {}, "alpha_pattern": {},
    }
    json.dump(config, open(os.path.join(out, "adapter_config.json"), "w"), indent=2)
    write_safetensors(os.path.join(out, "adapter_model.safetensors"), tensors, {"format": "pt"})
    logits = logits_with(w, cfg, lora, scaling, head_w, head_b)
    plain = logits_with(w, cfg, {}, 0.0, head_w, head_b)
    assert (logits - plain).abs().max() > 1e-2, "the adapter must change the outputs"
    json.dump({"scaling": scaling, "logits": logits.tolist()}, open(os.path.join(out, "golden.json"), "w"))
    print("wrote", out)


def check_tabtune_export():
    out = os.path.join(ROOT, "lora", "tabtune-export")
    if not os.path.exists(os.path.join(out, "adapter", "adapter_config.json")):
        print("no", out, "yet: run npx tsx scripts/reference/make-export-fixture.ts --lora first")
        return
    w, cfg = base_weights()
    c = json.load(open(os.path.join(out, "adapter", "adapter_config.json")))
    for key, want in [("peft_type", "LORA"), ("task_type", "SEQ_CLS"), ("bias", "none"), ("fan_in_fan_out", False),
                      ("use_dora", False), ("inference_mode", True), ("init_lora_weights", True),
                      ("layers_to_transform", None), ("layers_pattern", None), ("rank_pattern", {}),
                      ("alpha_pattern", {}), ("modules_to_save", ["classifier", "score"])]:
        assert c[key] == want, (key, c[key], want)
    for key in ("base_model_name_or_path", "revision", "r", "lora_alpha", "lora_dropout", "target_modules", "use_rslora"):
        assert key in c, key
    st = read_safetensors(os.path.join(out, "adapter", "adapter_model.safetensors"))
    adapted = modules(cfg, c["target_modules"])
    num_labels = st[f"{PREFIX}classifier.weight"].shape[0]
    expected = {f"{PREFIX}classifier.weight": (num_labels, cfg["hidden_size"]), f"{PREFIX}classifier.bias": (num_labels,)}
    for m in adapted:
        out_f, in_f = w[m + ".weight"].shape
        expected[f"{PREFIX}bert.{m}.lora_A.weight"] = (c["r"], in_f)
        expected[f"{PREFIX}bert.{m}.lora_B.weight"] = (out_f, c["r"])
    assert set(st) == set(expected), set(st) ^ set(expected)
    for k, shape in expected.items():
        assert tuple(st[k].shape) == shape, (k, st[k].shape, shape)
    scaling = c["lora_alpha"] / (math.sqrt(c["r"]) if c["use_rslora"] else c["r"])
    assert max(st[k].abs().max().item() for k in st if "lora_B" in k) > 1e-3, "the run must have trained B"
    lora = {m: (st[f"{PREFIX}bert.{m}.lora_A.weight"], st[f"{PREFIX}bert.{m}.lora_B.weight"], w[m + ".weight"]) for m in adapted}
    logits = logits_with(w, cfg, lora, scaling, st[f"{PREFIX}classifier.weight"], st[f"{PREFIX}classifier.bias"])
    merged = read_safetensors(os.path.join(out, "model.safetensors"))
    mw = {k[len("bert."):]: v for k, v in merged.items() if k.startswith("bert.")}
    merged_logits = logits_with(mw, cfg, {}, 0.0, merged["classifier.weight"], merged["classifier.bias"])
    gap = (logits - merged_logits).abs().max().item()
    assert gap < 1e-5, gap
    json.dump({"checked": "adapter_config fields, adapter key set and shapes, merged model equal to base + adapter",
               "merged_gap": gap, "logits": logits.tolist()}, open(os.path.join(out, "golden.json"), "w"))
    print("TabTune's adapter loads by PEFT's rules; merged model within", gap, "; wrote", out)


peft_adapter()
check_tabtune_export()
