"""Reference checkpoints and golden vectors for TabTune's BERT core.

Independent of TabTune: PyTorch (Debian's python3-torch) with a BertModel written to follow Hugging Face
transformers' modeling_bert.py in eval mode line by line (embeddings -> encoder -> pooler). Checkpoints are
written in Hugging Face layout: model.safetensors (by hand, per the safetensors spec) or pytorch_model.bin
(torch.save of a state_dict, the zip format transformers reads).

Run via scripts/reference/make-golden.sh; commit what it writes under test-fixtures/models/.
"""
import json
import math
import os
import struct
import sys

import torch

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "models")
VOCAB = [line.rstrip("\n") for line in open(os.path.join(ROOT, "vocab.txt"), encoding="utf-8")]

BASE = dict(
    vocab_size=len(VOCAB), hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32,
    hidden_act="gelu", hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, max_position_embeddings=32,
    type_vocab_size=2, layer_norm_eps=1e-12, initializer_range=0.02, model_type="bert",
    position_embedding_type="absolute", architectures=["BertModel"],
)

# name, config overrides, file format, key style, seed
VARIANTS = [
    ("st-gelu", {}, "safetensors-f32", "prefixed", 1),
    ("bin-gelu-new-legacy", {"hidden_act": "gelu_new"}, "bin", "legacy-unprefixed", 2),
    ("st-f16-relu", {"hidden_act": "relu"}, "safetensors-f16", "unprefixed", 3),
    ("bin-bf16-gelu", {}, "bin-bf16", "prefixed", 4),
]


def act_fn(name):
    if name == "gelu":
        return lambda x: x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if name == "gelu_new":
        return lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))
    if name == "relu":
        return torch.relu
    raise ValueError(name)


def bert_forward(w, cfg, input_ids, token_type_ids, attention_mask):
    """BertModel.forward in eval mode (dropout off). w: canonical names -> float32 tensors."""
    ln = lambda x, p: torch.nn.functional.layer_norm(x, (cfg["hidden_size"],), w[p + ".weight"], w[p + ".bias"], cfg["layer_norm_eps"])
    lin = lambda x, p: torch.nn.functional.linear(x, w[p + ".weight"], w[p + ".bias"])
    B, T = input_ids.shape
    H, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    hs = H // nh
    pos = torch.arange(T).unsqueeze(0)
    emb = w["embeddings.word_embeddings.weight"][input_ids] + w["embeddings.token_type_embeddings.weight"][token_type_ids]
    emb = emb + w["embeddings.position_embeddings.weight"][pos]
    h = ln(emb, "embeddings.LayerNorm")
    # get_extended_attention_mask: (1 - mask) * finfo.min, broadcast over heads and query positions
    ext = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    act = act_fn(cfg["hidden_act"])
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        split = lambda x: x.view(B, T, nh, hs).permute(0, 2, 1, 3)
        q, k, v = (split(lin(h, f"{p}.attention.self.{m}")) for m in ("query", "key", "value"))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hs) + ext
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous().view(B, T, H)
        a = ln(lin(ctx, f"{p}.attention.output.dense") + h, f"{p}.attention.output.LayerNorm")
        inter = act(lin(a, f"{p}.intermediate.dense"))
        h = ln(lin(inter, f"{p}.output.dense") + a, f"{p}.output.LayerNorm")
    pooled = torch.tanh(lin(h[:, 0], "pooler.dense"))
    return h, pooled


def random_weights(cfg, seed):
    """Large random weights (not N(0, 0.02)) so that any wiring mistake shows up in the outputs."""
    g = torch.Generator().manual_seed(seed)
    H, I, L = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    shapes = {
        "embeddings.word_embeddings.weight": (cfg["vocab_size"], H),
        "embeddings.position_embeddings.weight": (cfg["max_position_embeddings"], H),
        "embeddings.token_type_embeddings.weight": (cfg["type_vocab_size"], H),
        "embeddings.LayerNorm.weight": (H,), "embeddings.LayerNorm.bias": (H,),
    }
    for i in range(L):
        p = f"encoder.layer.{i}"
        for m in ("query", "key", "value"):
            shapes[f"{p}.attention.self.{m}.weight"] = (H, H)
            shapes[f"{p}.attention.self.{m}.bias"] = (H,)
        shapes.update({
            f"{p}.attention.output.dense.weight": (H, H), f"{p}.attention.output.dense.bias": (H,),
            f"{p}.attention.output.LayerNorm.weight": (H,), f"{p}.attention.output.LayerNorm.bias": (H,),
            f"{p}.intermediate.dense.weight": (I, H), f"{p}.intermediate.dense.bias": (I,),
            f"{p}.output.dense.weight": (H, I), f"{p}.output.dense.bias": (H,),
            f"{p}.output.LayerNorm.weight": (H,), f"{p}.output.LayerNorm.bias": (H,),
        })
    shapes["pooler.dense.weight"] = (H, H)
    shapes["pooler.dense.bias"] = (H,)
    w = {}
    for name, shape in shapes.items():
        t = torch.randn(shape, generator=g)
        if name.endswith("LayerNorm.weight"):
            t = 1.0 + 0.2 * t
        elif len(shape) == 2 and "embeddings" not in name:
            t = t / math.sqrt(shape[1]) * 1.5
        else:
            t = 0.5 * t
        w[name] = t.float().contiguous()
    return w


def checkpoint_key(name, style):
    k = name
    if "legacy" in style:
        k = k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
    return ("bert." + k) if style == "prefixed" else k


def write_safetensors(path, tensors, dtype):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        if t.dtype == torch.int64:
            data, dt = t.numpy().tobytes(), "I64"
        elif dtype == "F16":
            data, dt = t.half().numpy().tobytes(), "F16"
        else:
            data, dt = t.float().numpy().tobytes(), "F32"
        header[name] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    hb = json.dumps(header).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def main():
    inputs = json.load(open(os.path.join(ROOT, "inputs.json")))
    for name, overrides, fmt, style, seed in VARIANTS:
        cfg = dict(BASE, **overrides)
        w = random_weights(cfg, seed)
        # What the model computes with: weights as stored (F16/BF16 rounding included).
        if fmt == "safetensors-f16":
            w = {k: v.half().float() for k, v in w.items()}
        if fmt == "bin-bf16":
            w = {k: v.bfloat16().float() for k, v in w.items()}
        out_dir = os.path.join(ROOT, name)
        os.makedirs(out_dir, exist_ok=True)
        state = {checkpoint_key(k, style): v for k, v in w.items()}
        # Things real checkpoints carry that a loader must skip: the position_ids buffer, pre-training heads.
        state[checkpoint_key("embeddings.position_ids", style)] = torch.arange(cfg["max_position_embeddings"]).unsqueeze(0)
        g = torch.Generator().manual_seed(100 + seed)
        state["cls.predictions.bias"] = torch.randn(cfg["vocab_size"], generator=g)
        classifier = None
        if fmt.startswith("bin"):
            # A classification head stored as a non-contiguous view (transpose) of a shared storage.
            base = torch.randn(cfg["hidden_size"], 3, generator=g)
            state["classifier.weight"] = base.t()
            state["classifier.bias"] = torch.randn(3, generator=g)
            if fmt == "bin-bf16":
                state = {k: (v.bfloat16() if v.is_floating_point() else v) for k, v in state.items()}
                classifier = state["classifier.weight"].float()
            else:
                classifier = state["classifier.weight"]
            torch.save(state, os.path.join(out_dir, "pytorch_model.bin"))
        else:
            write_safetensors(os.path.join(out_dir, "model.safetensors"), state, "F16" if fmt == "safetensors-f16" else "F32")
        json.dump(cfg, open(os.path.join(out_dir, "config.json"), "w"), indent=2)
        json.dump({"do_lower_case": True, "model_max_length": cfg["max_position_embeddings"]},
                  open(os.path.join(out_dir, "tokenizer_config.json"), "w"), indent=2)
        with open(os.path.join(out_dir, "vocab.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(VOCAB) + "\n")

        golden = {"model": name, "hidden_act": cfg["hidden_act"], "format": fmt, "key_style": style}
        with torch.no_grad():
            for kind in ("single", "pair"):
                rows = inputs[kind]
                T = max(len(r["input_ids"]) for r in rows)
                pad = lambda seq: seq + [0] * (T - len(seq))
                ids = torch.tensor([pad(r["input_ids"]) for r in rows])
                tt = torch.tensor([pad(r["token_type_ids"]) for r in rows])
                mask = torch.tensor([pad([1] * len(r["input_ids"])) for r in rows])
                h, pooled = bert_forward(w, cfg, ids, tt, mask)
                golden[kind] = {"cls": h[:, 0].tolist(), "pooled": pooled.tolist()}
                # The full last hidden state of the first row, unpadded.
                n0 = len(rows[0]["input_ids"])
                golden[kind]["first_last_hidden_state"] = h[0, :n0].tolist()
        if classifier is not None:
            golden["classifier_weight"] = classifier.tolist()
        json.dump(golden, open(os.path.join(out_dir, "golden.json"), "w"))
        print("wrote", out_dir, file=sys.stderr)


if __name__ == "__main__":
    main()
