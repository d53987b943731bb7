"""Reads a safetensors file of float32 tensors into torch tensors (the reference scripts' one reader)."""
import json
import struct

import torch


def read_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        assert e["dtype"] == "F32", (name, e["dtype"])
        b, end = e["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[8 + n + b:8 + n + end]), dtype=torch.float32).reshape(e["shape"])
    return out
