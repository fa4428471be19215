/**
 * The interpreter for the PyTorch references: the first of AL_TORCH_PYTHON, AL_PYTHON,
 * /usr/bin/python3 (Debian's python3-torch installs there) and the python3 on PATH that imports
 * torch and numpy. Cases that need it report "skipped" with `reason` when none does.
 */
import { spawnSync } from "node:child_process";

export type TorchPython = { python: string; torch: string; numpy: string; threads: number } | { reason: string };

let found: TorchPython | undefined;

export function findTorchPython(script: string): TorchPython {
  if (found) return found;
  const candidates = [process.env.AL_TORCH_PYTHON, process.env.AL_PYTHON, "/usr/bin/python3", "python3"].filter((p): p is string => !!p);
  const tried: string[] = [];
  for (const python of [...new Set(candidates)]) {
    const probe = spawnSync(python, [script, "check"], { encoding: "utf8", timeout: 120_000 });
    if (probe.status === 0) {
      const info = JSON.parse(probe.stdout) as { torch: string; numpy: string; threads: number };
      return (found = { python, ...info });
    }
    tried.push(`${python}: ${(probe.error?.message ?? probe.stderr.trim().split("\n").pop() ?? `exit ${probe.status}`).trim()}`);
  }
  return (found = {
    reason: `no interpreter with torch and numpy (${tried.join("; ")}); install Debian's python3-torch (npm run bench -- --with-python-refs) or set AL_TORCH_PYTHON`,
  });
}
