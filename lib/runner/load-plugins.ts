/**
 * Makes a job's code-defined learner and sampler available in this process. A RunJob is JSON
 * and carries only their names and code hashes, so a worker loads the experiment file (same
 * loader, same profile) and expands it, which registers every component the file defines
 * (lib/experiments/plugins.ts). A file edited since the grid was expanded defines other code:
 * that run fails with a message saying so, instead of running code its id does not describe.
 */
import { loadExperiment } from "../experiments/define.ts";
import { expandExperiment } from "../experiments/grid.ts";
import { isRegistered, registeredCodes, usesCode } from "../experiments/plugins.ts";
import type { ComponentRef } from "../experiments/spec.ts";
import type { RunJob } from "./job.ts";

/** Files loaded in this process, by file and profile (each file is loaded once). */
const loaded = new Map<string, Promise<void>>();

function load(file: string, profile: string | undefined): Promise<void> {
  const key = JSON.stringify([file, profile ?? null]);
  let hit = loaded.get(key);
  if (!hit) {
    hit = loadExperiment(file, profile).then((spec) => void expandExperiment(spec, file));
    hit.catch(() => loaded.delete(key));
    loaded.set(key, hit);
  }
  return hit;
}

/** The code-defined components a run uses, with what each is in the config. */
function codeRefs(job: RunJob): Array<{ kind: "learner" | "sampler"; ref: ComponentRef }> {
  const { config } = job;
  const refs: Array<{ kind: "learner" | "sampler"; ref: ComponentRef }> = [];
  if (config.learner.code !== undefined) refs.push({ kind: "learner", ref: config.learner });
  if (config.reference?.learner.code !== undefined) refs.push({ kind: "learner", ref: config.reference.learner });
  if (config.sampler.code !== undefined && !config.baseline) refs.push({ kind: "sampler", ref: config.sampler });
  return refs;
}

export async function ensurePlugins(job: RunJob): Promise<void> {
  if (!usesCode(job.config)) return;
  const wanted = codeRefs(job);
  if (wanted.every(({ kind, ref }) => isRegistered(kind, ref))) return;
  const source = job.experiment;
  if (!source) {
    const { kind, ref } = wanted.find(({ kind, ref }) => !isRegistered(kind, ref))!;
    throw new Error(`run ${job.runId}: ${kind} "${ref.name}" is defined in code, but the job names no experiment file to load it from`);
  }
  try {
    await load(source.file, source.profile);
  } catch (error) {
    throw new Error(`run ${job.runId}: cannot load ${source.file} for its code-defined components: ${(error as Error).message}`);
  }
  for (const { kind, ref } of wanted) {
    if (isRegistered(kind, ref)) continue;
    const now = registeredCodes(kind, ref.name);
    const found = now.length > 0 ? `it now defines it with code ${now.map((c) => c.slice(0, 12)).join(", ")}` : "it no longer defines it";
    throw new Error(
      `run ${job.runId}: ${kind} "${ref.name}" changed in ${source.file} since the grid was expanded (the run wants code ${ref.code!.slice(0, 12)}; ${found}); run \`al run\` again to compute the new version`,
    );
  }
}
