"""numpy references for bench/diversity.bench.ts (the bench runs it with one BLAS thread; prints
one JSON object).

python3 bench/reference/diversity.py kcenter N D K
  -> {"plainMs", "plainCpuMs", "plainPicks", "matmulMs", "matmulCpuMs", "matmulPicks", "float64Picks"}

The data are generated in the bench and passed as raw float32 files so both sides see the same
numbers: DATA_FILE (N*D float32, row-major) and LABELLED_FILE (int32 indices) from the
environment.

plain: the usual numpy core-set loop — min squared distance to the labelled set via one matrix
product, then per pick ((X - X[c])**2).sum(1) and np.minimum. matmul: the same with the
||x||^2 + ||c||^2 - 2 x.c expansion (X @ x_c per pick), numpy's faster form, reported for honesty.
"""
import json
import os
import sys
import time

import numpy as np


def kcenter_plain(X, labelled, k):
    n = X.shape[0]
    norms = np.einsum("ij,ij->i", X, X)
    L = X[labelled]
    if len(labelled) > 0:
        d2 = norms[:, None] + np.einsum("ij,ij->i", L, L)[None, :] - 2.0 * (X @ L.T)
        mind = np.maximum(d2.min(axis=1), 0.0)
    else:
        mind = np.full(n, np.inf, dtype=np.float32)
    mind[labelled] = -np.inf
    chosen = []
    for _ in range(k):
        c = int(np.argmax(mind))
        chosen.append(c)
        d = ((X - X[c]) ** 2).sum(axis=1)
        mind = np.minimum(mind, d)
        mind[c] = -np.inf
    return chosen


def kcenter_matmul(X, labelled, k):
    n = X.shape[0]
    norms = np.einsum("ij,ij->i", X, X)
    L = X[labelled]
    if len(labelled) > 0:
        d2 = norms[:, None] + norms[labelled][None, :] - 2.0 * (X @ L.T)
        mind = np.maximum(d2.min(axis=1), 0.0)
    else:
        mind = np.full(n, np.inf, dtype=np.float32)
    mind[labelled] = -np.inf
    chosen = []
    for _ in range(k):
        c = int(np.argmax(mind))
        chosen.append(c)
        d = norms + norms[c] - 2.0 * (X @ X[c])
        np.minimum(mind, d, out=mind)
        mind[c] = -np.inf
    return chosen


def main():
    what = sys.argv[1]
    if what != "kcenter":
        raise SystemExit(f"diversity.py: unknown case {what!r}; expected kcenter")
    n, d, k = (int(v) for v in sys.argv[2:5])
    X = np.fromfile(os.environ["DATA_FILE"], dtype=np.float32).reshape(n, d)
    labelled = np.fromfile(os.environ["LABELLED_FILE"], dtype=np.int32)
    out = {}
    for name, fn in (("plain", kcenter_plain), ("matmul", kcenter_matmul)):
        t = time.perf_counter()
        c = time.process_time()
        chosen = fn(X, labelled, k)
        out[name + "CpuMs"] = (time.process_time() - c) * 1000.0
        out[name + "Ms"] = (time.perf_counter() - t) * 1000.0
        out[name + "Picks"] = chosen
    # The same picks in float64 (untimed): float32 rounding in the timed variants can flip a
    # near-tie and change every later pick, so agreement is checked against this one.
    out["float64Picks"] = kcenter_matmul(X.astype(np.float64), labelled, k)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
