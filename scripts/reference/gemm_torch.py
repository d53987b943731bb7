"""The PyTorch peer of `npm run bench:gemm`: GFLOP/s of plain float32 matrix products of the shapes BERT
training runs, on one thread (PyTorch's default on the 2-core development machine). Prints JSON.
  /usr/bin/python3 scripts/reference/gemm_torch.py --shapes 4096x128x512,4096x512x128 --repeats 20
"""
import argparse
import json
import time

import torch


def gflops(m, k, n, repeats):
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    seconds = (time.perf_counter() - start) / repeats
    return 2 * m * k * n / seconds / 1e9


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", required=True)
    ap.add_argument("--repeats", type=int, default=20)
    a = ap.parse_args()
    out = []
    for s in a.shapes.split(","):
        m, k, n = (int(x) for x in s.split("x"))
        out.append({"shape": s, "gflops": round(gflops(m, k, n, a.repeats), 2)})
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": out}))
