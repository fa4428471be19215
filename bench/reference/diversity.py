"""numpy references for bench/diversity.bench.ts, kept running as a server (single-threaded BLAS).

python3 bench/reference/diversity.py serve

One JSON request per stdin line, one JSON answer per stdout line (bench/reference/python-server.ts).
The bench generates the data and writes them as raw float32 files, so both sides see the same
numbers; each file is read once and kept while requests name it. Every answer carries the run's
CPU time (time.process_time), wall time, peak memory (ru_maxrss) and picks.

kcenter  {"file", "n", "d", "labelled_file", "k", "form"}: core-set greedy from the labelled rows
         (int32 indices in labelled_file). form:
           best     numpy's best form: float32 throughout, ‖x‖² + ‖c‖² − 2 x·c with X @ X[c] (one
                    BLAS sgemv per pick) into preallocated buffers, in-place updates, nothing
                    allocated per pick
           float64  the best form in float64, untimed in the bench: the check of which points the
                    algorithm prescribes (float32 rounding can flip a near-tie, changing every
                    later pick)
badge    {"probs_file", "emb_file", "n", "c", "d", "k", "uniforms"}: BADGE's k-means++ seeding on
         gradient embeddings (p − onehot(argmax p)) ⊗ h without forming them: ⟨g, g'⟩ = ⟨a, a'⟩⟨h, h'⟩,
         so each pick is two sgemv (N×C and N×d), float32, preallocated. The first centre is the
         largest gradient norm; pick t+1 is drawn ∝ D² with the bench's uniform uniforms[t] (the
         same draws our sampler makes), so both sides must pick the same points.
"""
import json
import resource
import sys
import time

import numpy as np


def min_distance_to(X, norms, L):
    """Each row's squared distance to its nearest row of L (clamped at 0)."""
    d2 = norms[:, None] + np.einsum("ij,ij->i", L, L)[None, :] - 2.0 * (X @ L.T)
    return np.maximum(d2.min(axis=1), 0.0)


def kcenter_best(X, labelled, k):
    norms = np.einsum("ij,ij->i", X, X)
    mind = min_distance_to(X, norms, X[labelled]).astype(X.dtype)
    mind[labelled] = -np.inf
    d = np.empty_like(mind)
    chosen = []
    for _ in range(k):
        c = int(np.argmax(mind))
        chosen.append(c)
        np.dot(X, X[c], out=d)
        d *= -2.0
        d += norms
        d += norms[c]
        np.minimum(mind, d, out=mind)
        mind[c] = -np.inf
    return chosen


def badge(P, H, k, uniforms):
    n = P.shape[0]
    A = P.copy()
    A[np.arange(n), P.argmax(axis=1)] -= 1.0
    g = np.einsum("ij,ij->i", A, A).astype(np.float64) * np.einsum("ij,ij->i", H, H).astype(np.float64)
    dist = np.full(n, np.inf)
    ia = np.empty(n, dtype=np.float32)
    ih = np.empty(n, dtype=np.float32)
    d = np.empty(n)
    c = int(np.argmax(g))
    chosen = [c]
    for t in range(k - 1):
        np.dot(A, A[c], out=ia)
        np.dot(H, H[c], out=ih)
        np.multiply(ia, ih, out=d)
        d *= -2.0
        d += g
        d += g[c]
        np.maximum(d, 0.0, out=d)
        np.minimum(dist, d, out=dist)
        dist[chosen] = 0.0
        cum = np.cumsum(dist)
        total = cum[-1]
        c = int(np.searchsorted(cum, uniforms[t] * total, side="right"))
        chosen.append(min(c, n - 1))
    return chosen


def main():
    if sys.argv[1:] != ["serve"]:
        raise SystemExit("diversity.py: run as `diversity.py serve` (bench/diversity.bench.ts starts it)")
    loaded = {}

    def load(file, shape, dtype=np.float32):
        key = (file, shape)
        if key not in loaded:
            if len(loaded) > 4:
                loaded.clear()
            loaded[key] = np.fromfile(file, dtype=dtype).reshape(shape)
        return loaded[key]

    for line in sys.stdin:
        request = json.loads(line)
        try:
            case = request["case"]
            n, k = int(request["n"]), int(request["k"])
            if case == "kcenter":
                X = load(request["file"], (n, int(request["d"])))
                labelled = load(request["labelled_file"], (-1,), np.int32)
                form = request["form"]
                if form not in ("best", "float64"):
                    raise ValueError(f"unknown kcenter form {form!r}; expected best or float64")
                fn = kcenter_best
                if form == "float64":
                    X = X.astype(np.float64)
                args = (X, labelled, k)
            elif case == "badge":
                P = load(request["probs_file"], (n, int(request["c"])))
                H = load(request["emb_file"], (n, int(request["d"])))
                fn, args = badge, (P, H, k, request["uniforms"])
            else:
                raise ValueError(f"unknown case {case!r}; expected kcenter or badge")
            cpu, wall = time.process_time(), time.perf_counter()
            picks = fn(*args)
            out = {
                "cpu_ms": (time.process_time() - cpu) * 1000.0,
                "wall_ms": (time.perf_counter() - wall) * 1000.0,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                "picks": [int(i) for i in picks],
                "numpy": np.__version__,
            }
        except Exception as error:  # answered, so the bench can say which case failed
            out = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
