"""PyTorch-CPU references for bench/loop.bench.ts: the quickstart-style active-learning loop, MLP
training alone, and MC-dropout inference, each timed per phase in CPU time (time.process_time,
all threads) and wall time.

python3 bench/reference/loop_torch.py serve     one JSON request per line on stdin, one JSON
                                                answer per line on stdout (bench/reference/python-server.ts)
python3 bench/reference/loop_torch.py check     prints the torch and numpy versions, or fails

Requests (every one names the data folder, `data`, holding the fashion-mnist-small IDX files, and
`threads`: torch.set_num_threads, 0 = torch's default):
  {"case": "loop", "sampler": "least-confidence" | "margin" | "entropy", "seed": 1, ...sizes}
      the quickstart run with one sampler, mode retrain: an initial set of `initial` images
      stratified by class, then `rounds` rounds of `batch` images; each round a fresh MLP
      (784-`hidden`-10, ReLU, dropout, Glorot-uniform weights and zero biases like Keras's dense
      layer) trained `epochs` epochs with Adam (`lr`, batches of `batch_size`, a new shuffle each
      epoch), test accuracy (evaluate), pool probabilities (score), top-k by the sampler over the
      unlabelled pool in numpy (select). Phases as lib/al/loop.ts times them.
  {"case": "train", "hidden": 256, "epochs": 10, ...}  the same MLP trained once on the whole pool
  {"case": "mc", "hidden": 256, "passes": 20, "inputs": 10000, "chunk": 2048}
      stochastic forward passes (dropout on) over `inputs` pool images (cycled), softmax, kept.
  {"case": "products", "shapes": [{"name", "m", "k", "n", "transpose_a", "reps"}, ...]}
      bare float32 matrix products (torch.mm), one phase per shape.

The answer carries {"cpu_ms", "wall_ms"} for the whole request, "phases" {name: {"cpu_ms",
"wall_ms"}}, the accuracies, torch's version and thread count. The same seed gives the same run
here; it is not our run (other random streams), so accuracies are similar, not equal.
"""
import gzip
import json
import os
import sys
import time

import numpy as np

try:
    import torch
except ImportError:  # reported by `check` and by every request
    torch = None

_cache = {}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(folder):
    """Pool and test images as float32 rows in [0, 1] (as lib/data/readers/idx.ts gives them) and labels."""
    if folder not in _cache:
        def images(split):
            x = read_idx(os.path.join(folder, f"{split}-images-idx3-ubyte.gz"))
            return torch.from_numpy((x.reshape(x.shape[0], -1).astype(np.float32) / np.float32(255)).copy())

        def labels(split):
            return torch.from_numpy(read_idx(os.path.join(folder, f"{split}-labels-idx1-ubyte.gz")).astype(np.int64))

        _cache.clear()
        _cache[folder] = (images("pool"), labels("pool"), images("test"), labels("test"))
    return _cache[folder]


def mlp(inputs, hidden, classes, dropout):
    layers = []
    width = inputs
    for units in hidden:
        layers += [torch.nn.Linear(width, units), torch.nn.ReLU(), torch.nn.Dropout(dropout)]
        width = units
    layers.append(torch.nn.Linear(width, classes))
    net = torch.nn.Sequential(*layers)
    for m in net:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    return net


def fit(net, x, y, epochs, batch_size, lr, generator):
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    net.train()
    n = x.shape[0]
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(net(x[rows]), y[rows])
            loss.backward()
            optimizer.step()


def probabilities(net, x, chunk=2048):
    net.eval()
    with torch.no_grad():
        return np.concatenate([torch.softmax(net(x[s:s + chunk]), dim=1).numpy() for s in range(0, x.shape[0], chunk)])


def accuracy(probs, y):
    return float((probs.argmax(axis=1) == y.numpy()).mean())


# Scores (higher = more uncertain) in plain numpy, as a practitioner writes them.
def least_confidence(p):
    return 1.0 - p.max(axis=1)


def margin(p):
    part = np.partition(p, p.shape[1] - 2, axis=1)
    return 1.0 - (part[:, -1] - part[:, -2])


def entropy(p):
    logs = np.zeros_like(p)
    np.log(p, out=logs, where=p > 0)
    return -(p * logs).sum(axis=1)


SAMPLERS = {"least-confidence": least_confidence, "margin": margin, "entropy": entropy}


def top_k(scores, k):
    idx = np.argpartition(-scores, k - 1)[:k]
    return idx[np.lexsort((idx, -scores[idx]))]


class Phases:
    def __init__(self):
        self.totals = {}

    def time(self, name, fn, *args):
        cpu, wall = time.process_time(), time.perf_counter()
        out = fn(*args)
        t = self.totals.setdefault(name, {"cpu_ms": 0.0, "wall_ms": 0.0})
        t["cpu_ms"] += (time.process_time() - cpu) * 1000.0
        t["wall_ms"] += (time.perf_counter() - wall) * 1000.0
        return out


def stratified(y, size, rng):
    """`size` pool indices, as even over the classes as `size` allows, each class's drawn at random."""
    classes = np.unique(y)
    per = [size // len(classes) + (1 if i < size % len(classes) else 0) for i in range(len(classes))]
    return np.concatenate([rng.choice(np.flatnonzero(y == c), k, replace=False) for c, k in zip(classes, per)])


def loop(request, phases):
    pool_x, pool_y, test_x, test_y = load(request["data"])
    seed = int(request.get("seed", 1))
    sampler = SAMPLERS[request["sampler"]]
    hidden = request.get("hidden", [128])
    rng = np.random.default_rng(seed)
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    labelled = np.zeros(pool_x.shape[0], dtype=bool)
    order = list(stratified(pool_y.numpy(), int(request.get("initial", 50)), rng))
    labelled[order] = True
    curve = []
    rounds = int(request.get("rounds", 10))
    k = int(request.get("batch", 50))
    for r in range(rounds + 1):
        idx = torch.as_tensor(np.asarray(order, dtype=np.int64))
        net = mlp(pool_x.shape[1], hidden, 10, float(request.get("dropout", 0.2)))
        phases.time("train", fit, net, pool_x[idx], pool_y[idx], int(request.get("epochs", 10)), int(request.get("batch_size", 32)), float(request.get("lr", 1e-3)), generator)
        curve.append(phases.time("evaluate", lambda: accuracy(probabilities(net, test_x), test_y)))
        if r == rounds:
            break
        probs = phases.time("score", probabilities, net, pool_x)

        def select():
            scores = sampler(probs).astype(np.float64)
            scores[labelled] = -np.inf
            return top_k(scores, k)

        picked = phases.time("select", select)
        labelled[picked] = True
        order.extend(int(i) for i in picked)
    return {"accuracy": curve, "final_accuracy": curve[-1], "labelled": len(order)}


def train(request, phases):
    pool_x, pool_y, test_x, test_y = load(request["data"])
    torch.manual_seed(int(request.get("seed", 1)))
    net = mlp(pool_x.shape[1], request.get("hidden", [256]), 10, float(request.get("dropout", 0.2)))
    generator = torch.Generator().manual_seed(int(request.get("seed", 1)))
    phases.time("train", fit, net, pool_x, pool_y, int(request.get("epochs", 10)), int(request.get("batch_size", 32)), float(request.get("lr", 1e-3)), generator)
    return {"accuracy": phases.time("evaluate", lambda: accuracy(probabilities(net, test_x), test_y))}


def mc(request, phases):
    pool_x = load(request["data"])[0]
    torch.manual_seed(int(request.get("seed", 1)))
    net = mlp(pool_x.shape[1], request.get("hidden", [256]), 10, float(request.get("dropout", 0.2)))
    inputs, passes, chunk = int(request.get("inputs", 10000)), int(request.get("passes", 20)), int(request.get("chunk", 2048))
    x = pool_x[torch.arange(inputs) % pool_x.shape[0]]

    def run():
        net.train()  # dropout on
        out = np.empty((inputs, passes, 10), dtype=np.float32)
        with torch.no_grad():
            for s in range(0, inputs, chunk):
                xs = x[s:s + chunk]
                for t in range(passes):
                    out[s:s + chunk, t] = torch.softmax(net(xs), dim=1).numpy()
        return out

    out = phases.time("mc", run)
    return {"mean_max_probability": float(out.mean(axis=1).max(axis=1).mean())}


def products(request, phases):
    """Bare matrix products of the shapes the MLP's training and inference multiply, each timed as
    a phase: `shapes` is a list of {"name", "m", "k", "n", "transpose_a", "reps"}; A (m×k, or k×m
    transposed) and B (k×n) are uniform in [0, 1), made once, so only the products are timed."""
    generator = torch.Generator().manual_seed(1)
    checks = {}
    with torch.no_grad():
        for shape in request["shapes"]:
            m, k, n = int(shape["m"]), int(shape["k"]), int(shape["n"])
            a = torch.rand((k, m) if shape.get("transpose_a") else (m, k), generator=generator)
            b = torch.rand((k, n), generator=generator)
            left = a.t() if shape.get("transpose_a") else a

            def run():
                out = None
                for _ in range(int(shape["reps"])):
                    out = torch.mm(left, b)
                return out

            out = phases.time(shape["name"], run)
            checks[shape["name"]] = float(out.sum())
    return {"sums": checks}


CASES = {"loop": loop, "train": train, "mc": mc, "products": products}


def answer(request):
    if torch is None:
        raise RuntimeError("torch is not installed for this interpreter")
    threads = int(request.get("threads", 0))
    torch.set_num_threads(threads if threads > 0 else DEFAULT_THREADS)
    phases = Phases()
    cpu, wall = time.process_time(), time.perf_counter()
    out = CASES[request["case"]](request, phases)
    out.update({
        "cpu_ms": (time.process_time() - cpu) * 1000.0,
        "wall_ms": (time.perf_counter() - wall) * 1000.0,
        "phases": phases.totals,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "numpy": np.__version__,
    })
    return out


DEFAULT_THREADS = torch.get_num_threads() if torch is not None else 1


def serve():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = answer(json.loads(line))
        except Exception as error:  # answered, so the bench can say which case failed
            out = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(out), flush=True)


def main():
    if sys.argv[1:] == ["serve"]:
        serve()
    elif sys.argv[1:] == ["check"]:
        if torch is None:
            raise SystemExit("loop_torch.py: torch is not installed for this interpreter")
        print(json.dumps({"torch": torch.__version__, "numpy": np.__version__, "threads": DEFAULT_THREADS}))
    else:
        raise SystemExit("usage: loop_torch.py serve | check")


if __name__ == "__main__":
    main()
