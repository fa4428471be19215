"""BatchBALD as batchbald_redux computes it, in torch on one thread, for bench/samplers.bench.ts.

python3 bench/reference/batchbald_torch.py serve     (needs torch; the bench runs it with
                                                      AL_TORCH_PYTHON, default /usr/bin/python3)

Requests, one JSON line each (bench/reference/python-server.ts):
  {"case": "batchbald", "file", "n", "t", "c", "k", "num_samples"}: the MC samples are N×T×C
  float32 in `file` (scored in float64, as batchbald_redux's examples do); answers with CPU time,
  wall time, peak memory and the picks.

The algorithm (Kirsch et al.'s reference implementation, re-derived here, not its code): the joint
of the chosen points is a matrix J (configurations × T) of p(y_1..y_n | w_t). While C^n stays within
num_samples it is exact: every configuration, J grown by an outer product with the new point's
T×C block. Past that it is re-sampled from scratch at every step: num_samples // T label sequences
drawn under each weight sample t, J holding each sequence's probability under every t. A candidate's
joint entropy comes from one batched matmul, J @ p_x / T = p(y_chosen, y_x), with an importance
weight 1 / mean_t J when sampled. Every candidate is scored at every step (no pruning); the pick is
the largest score minus E_w H(y_x | w), first index on ties.
"""
import json
import resource
import sys
import time

import torch

torch.set_num_threads(1)

# Candidates scored per matmul: chunk × configurations × C float64 stays near 10 MB.
CHUNK_BYTES = 10 * 2**20


def sample_joint(probs_chosen, num_samples, generator):
    """(M, T) probabilities of M = (num_samples // T)·T label sequences under every weight sample."""
    n, t, c = probs_chosen.shape
    s = num_samples // t
    # s labels per (point, weight sample), drawn from that sample's predictive distribution.
    choices = torch.multinomial(probs_chosen.reshape(-1, c), s, replacement=True, generator=generator).reshape(n, t * s)
    # For each point, each sequence's label probability under every weight sample: (n, T, t·s).
    per_point = torch.stack([probs_chosen[i][:, choices[i]] for i in range(n)])
    return per_point.prod(dim=0).t().contiguous()


def batchbald(probs, k, num_samples, generator):
    n, t, c = probs.shape
    expected = -torch.xlogy(probs, probs).sum(dim=2).mean(dim=1)
    joint = torch.ones((1, t), dtype=probs.dtype)
    chosen = []
    scores = torch.empty(n, dtype=probs.dtype)
    for step in range(k):
        sampled = False
        if step > 0:
            x = chosen[-1]
            if c ** len(chosen) > num_samples:
                joint = sample_joint(probs[chosen], num_samples, generator)
                sampled = True
            else:
                joint = (joint.t()[:, :, None] * probs[x][:, None, :]).reshape(t, -1).t().contiguous()
        m = joint.shape[0]
        weight = 1.0 / joint.mean(dim=1)[None, :, None] if sampled else None
        chunk = max(1, CHUNK_BYTES // (8 * m * c))
        for start in range(0, n, chunk):
            mix = torch.matmul(joint, probs[start : start + chunk]) / t  # (chunk, M, C)
            h = -torch.xlogy(mix, mix)
            if sampled:
                scores[start : start + chunk] = (h * weight).sum(dim=(1, 2)) / m
            else:
                scores[start : start + chunk] = h.sum(dim=(1, 2))
        scores -= expected
        if chosen:
            scores[chosen] = -float("inf")
        chosen.append(int(torch.argmax(scores)))
    return chosen


def main():
    if sys.argv[1:] != ["serve"]:
        raise SystemExit("batchbald_torch.py: run as `batchbald_torch.py serve` (bench/samplers.bench.ts starts it)")
    import numpy as np

    loaded = {}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["case"] != "batchbald":
                raise ValueError(f"unknown case {request['case']!r}; expected batchbald")
            n, t, c = int(request["n"]), int(request["t"]), int(request["c"])
            key = (request["file"], n, t, c)
            if key not in loaded:
                loaded.clear()
                data = np.fromfile(request["file"], dtype=np.float32).reshape(n, t, c)
                loaded[key] = torch.from_numpy(data).double()
            generator = torch.Generator().manual_seed(0)
            cpu, wall = time.process_time(), time.perf_counter()
            picks = batchbald(loaded[key], int(request["k"]), int(request["num_samples"]), generator)
            out = {
                "cpu_ms": (time.process_time() - cpu) * 1000.0,
                "wall_ms": (time.perf_counter() - wall) * 1000.0,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                "picks": picks,
                "numpy": f"torch {torch.__version__}",
            }
        except Exception as error:  # answered, so the bench can say which case failed
            out = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
