import { loadExperiment } from "../experiments/define.ts";
import { expandExperiment, matchesRule, type GridRule } from "../experiments/grid.ts";
import { SpecError } from "../experiments/errors.ts";
import type { ExperimentSpec, RunConfig } from "../experiments/spec.ts";
import { runLabeller } from "./progress.ts";

export interface GridSelection {
  spec: ExperimentSpec;
  /** The grid's runs, or those `only` matches, in grid order. */
  configs: RunConfig[];
  /** Progress labels over the whole grid: they name what varies there, also when `only` runs a slice. */
  label: ReturnType<typeof runLabeller>;
}

/** An experiment file's grid (of a profile), cut to the cells matching `only` (`--only key=value`). */
export async function selectGrid(file: string, options: { profile?: string; only?: GridRule } = {}): Promise<GridSelection> {
  const spec = await loadExperiment(file, options.profile);
  let configs = expandExperiment(spec, file);
  const label = runLabeller(configs);
  const only = options.only;
  if (only && Object.keys(only).length > 0) {
    const all = configs.length;
    configs = configs.filter((c) => matchesRule(c, only));
    if (configs.length === 0) throw new SpecError(`--only: matches none of the experiment's ${all} runs`);
  }
  return { spec, configs, label };
}
