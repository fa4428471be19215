"""numpy references for bench/samplers.bench.ts (single-threaded; prints one JSON object).

python3 bench/reference/samplers.py CASE N C [T] [K]
python3 bench/reference/samplers.py serve       (interleaved timing: see serve())

CASE: margin | least-confidence | entropy   (probs: N×C float32 from PROBS_FILE)
      sum                                   (serve only: one .sum() over the data, the bandwidth limit)
      bald                                  (MC samples: N×T×C float32 from SAMPLES_FILE)
      batchbald                             (same samples; K = batch size; DRAWS and
                                             MAX_CONFIGURATIONS from the environment)

The bench generates the data and writes it as raw float32, so both sides score the same numbers.
Each case is the plain vectorised numpy a practitioner would write, with zero-safe logs (0·ln 0 = 0,
the same semantics as ours), timed as the median of REPEATS runs after one warm-up. Top-k is
argpartition + a sort of the k kept (highest score first). Output: {"ms": median, "picks": [...]}.
"""
import json
import os
import sys
import time

import numpy as np

TOP = int(os.environ.get("TOP", "100"))
REPEATS = int(os.environ.get("REPEATS", "5"))


def top_k(scores, k):
    idx = np.argpartition(-scores, k - 1)[:k]
    return idx[np.lexsort((idx, -scores[idx]))]


def xlogx(p):
    """p * ln p with 0 where p <= 0 (no warnings, no NaN)."""
    logs = np.zeros_like(p)
    np.log(p, out=logs, where=p > 0)
    return p * logs


def margin(p):
    # The two largest per row without a full sort: partition puts them in the last two columns.
    part = np.partition(p, p.shape[1] - 2, axis=1)
    return top_k(1.0 - (part[:, -1] - part[:, -2]), TOP)


def margin_sort(p):
    s = np.sort(p, axis=1)
    return top_k(1.0 - (s[:, -1] - s[:, -2]), TOP)


def least_confidence(p):
    return top_k(1.0 - p.max(axis=1), TOP)


def entropy(p):
    return top_k(-xlogx(p).sum(axis=1), TOP)


def bald(samples):
    mean = samples.mean(axis=1)
    h_mean = -xlogx(mean).sum(axis=1)
    mean_h = -xlogx(samples).sum(axis=2).mean(axis=1)
    return top_k(h_mean - mean_h, TOP)


def entropy_rows(m):
    return -xlogx(m).sum(axis=-1)


def batchbald(samples, k, draws, max_configurations, rng):
    """Greedy BatchBALD with configurations as (weight, posterior over T) pairs: exact expansion
    while configurations × C fit in max_configurations, then `draws` sampled configurations — the
    same algorithm as lib/al/samplers/batchbald.ts, vectorised over candidates with einsum."""
    n, t, c = samples.shape
    s64 = samples.astype(np.float64)
    expected = -xlogx(s64).sum(axis=2).mean(axis=1)
    mean = s64.mean(axis=1)
    scores = entropy_rows(mean) - expected
    chosen = [int(top_k(scores, 1)[0])]
    weight = np.ones(1)
    post = np.full((1, t), 1.0 / t)
    sampled = False
    source = None
    open_ = np.ones(n, dtype=bool)
    open_[chosen[0]] = False
    for _ in range(1, k):
        x = chosen[-1]
        if not sampled and len(weight) * c <= max_configurations:
            joint = post[:, None, :] * s64[x].T[None, :, :]  # (M, C, T)
            mass = joint.sum(axis=2)
            keep = (mass > 0) & (weight[:, None] > 0)
            weight = (weight[:, None] * mass)[keep]
            post = (joint / np.where(mass > 0, mass, 1)[:, :, None])[keep]
            weight /= weight.sum()
        else:
            if not sampled:
                source = rng.integers(0, t, size=draws)
                post = np.full((draws, t), 1.0 / t)
                weight = np.full(draws, 1.0 / draws)
                todo = chosen
                sampled = True
            else:
                todo = [x]
            for xi in todo:
                rows = s64[xi][source]  # (draws, C)
                cdf = np.cumsum(rows, axis=1)
                u = rng.random(draws) * cdf[:, -1]
                labels = np.minimum((cdf <= u[:, None]).sum(axis=1), c - 1)
                like = s64[xi][:, labels].T  # (draws, T)
                post = post * like
                post /= np.maximum(post.sum(axis=1, keepdims=True), 1e-300)
        candidates = np.flatnonzero(open_)
        # Candidates in chunks, so the (candidates, configurations, C) mixture stays near 16 MB.
        chunk = max(1, 2**21 // (len(weight) * c))
        cond = np.empty(len(candidates))
        for start in range(0, len(candidates), chunk):
            mix = np.einsum("mt,ntc->nmc", post, s64[candidates[start : start + chunk]], optimize=True)
            cond[start : start + chunk] = (entropy_rows(mix) * weight[None, :]).sum(axis=1)
        gains = cond - expected[candidates]
        best = int(candidates[np.argmax(gains)])
        chosen.append(best)
        open_[best] = False
    return np.array(chosen)


def timed(fn, *args):
    result = fn(*args)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn(*args)
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    return times[len(times) // 2], result


CASES = {"margin": margin, "margin-sort": margin_sort, "least-confidence": least_confidence, "entropy": entropy}


def serve():
    """`samplers.py serve`: one JSON request per stdin line, one JSON answer per stdout line.

    Request: {"case", "file", "n", "c", "t"?, "k"?, "draws"?, "max_configurations"?}. The data are
    read once per file; each request runs the case once and answers with its CPU time
    (time.process_time), wall time, peak memory (ru_maxrss) and picks, for interleaved timing.
    """
    import resource

    loaded = {}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            case, n, c = request["case"], int(request["n"]), int(request["c"])
            t = int(request.get("t", 0))
            key = (request["file"], n, c, t)
            if key not in loaded:
                shape = (n, t, c) if t else (n, c)
                loaded.clear()
                loaded[key] = np.fromfile(request["file"], dtype=np.float32).reshape(shape)
            data = loaded[key]
            cpu, wall = time.process_time(), time.perf_counter()
            if case == "sum":
                # The memory-bandwidth limit: one read of the whole array, nothing else.
                picks = [float(data.sum(dtype=np.float32))]
            elif case in CASES:
                picks = CASES[case](data)
            elif case == "bald":
                picks = bald(data)
            elif case == "batchbald":
                draws = int(request.get("draws", 1000))
                cap = int(request.get("max_configurations", 1000))
                picks = batchbald(data, int(request["k"]), draws, cap, np.random.default_rng(0))
            else:
                raise ValueError(f"unknown case {case!r}")
            out = {
                "cpu_ms": (time.process_time() - cpu) * 1000.0,
                "wall_ms": (time.perf_counter() - wall) * 1000.0,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                "picks": [int(i) for i in picks] if case != "sum" else [],
                "numpy": np.__version__,
            }
        except Exception as error:  # answered, so the bench can say which case failed
            out = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(out), flush=True)


def main():
    if sys.argv[1:] == ["serve"]:
        serve()
        return
    case = sys.argv[1]
    n, c = int(sys.argv[2]), int(sys.argv[3])
    out = {}
    if case in ("margin", "least-confidence", "entropy"):
        p = np.fromfile(os.environ["PROBS_FILE"], dtype=np.float32).reshape(n, c)
        if case == "margin":
            out["ms"], picks = timed(margin, p)
            out["sortMs"], _ = timed(margin_sort, p)
        else:
            out["ms"], picks = timed(least_confidence if case == "least-confidence" else entropy, p)
    elif case in ("bald", "batchbald"):
        t = int(sys.argv[4])
        samples = np.fromfile(os.environ["SAMPLES_FILE"], dtype=np.float32).reshape(n, t, c)
        if case == "bald":
            out["ms"], picks = timed(bald, samples)
        else:
            k = int(sys.argv[5])
            draws = int(os.environ.get("DRAWS", "1000"))
            cap = int(os.environ.get("MAX_CONFIGURATIONS", "1000"))
            out["ms"], picks = timed(batchbald, samples, k, draws, cap, np.random.default_rng(0))
    else:
        raise SystemExit(f"samplers.py: unknown case {case!r}; expected margin, least-confidence, entropy, bald or batchbald")
    out["picks"] = [int(i) for i in picks]
    out["numpy"] = np.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
