/**
 * The interpreter for the PyTorch references: AL_TORCH_PYTHON when set (only it: an explicit
 * choice is not replaced by another), else the first of AL_PYTHON, /usr/bin/python3 (Debian's
 * python3-torch installs there) and the python3 on PATH that imports torch and numpy. Cases that
 * need it report "skipped" with `reason` when none does.
 */
import { spawnSync } from "node:child_process";

export type TorchPython = { python: string; torch: string; numpy: string; threads: number } | { reason: string };

/** Probed once per process for each script and candidate list (every case asks). */
const found = new Map<string, TorchPython>();

export function findTorchPython(script: string): TorchPython {
  const forced = process.env.AL_TORCH_PYTHON;
  const candidates = forced ? [forced] : [process.env.AL_PYTHON, "/usr/bin/python3", "python3"].filter((p): p is string => !!p);
  const key = JSON.stringify([script, candidates]);
  const known = found.get(key);
  if (known) return known;
  const result = probe(script, candidates);
  found.set(key, result);
  return result;
}

function probe(script: string, candidates: string[]): TorchPython {
  const tried: string[] = [];
  for (const python of [...new Set(candidates)]) {
    const run = spawnSync(python, [script, "check"], { encoding: "utf8", timeout: 120_000 });
    if (run.status === 0) {
      const info = JSON.parse(run.stdout) as { torch: string; numpy: string; threads: number };
      return { python, ...info };
    }
    tried.push(`${python}: ${(run.error?.message ?? run.stderr.trim().split("\n").pop() ?? `exit ${run.status}`).trim()}`);
  }
  return { reason: `no interpreter with torch and numpy (${tried.join("; ")}); install Debian's python3-torch (npm run bench -- --with-python-refs) or set AL_TORCH_PYTHON` };
}
