import { parse } from "./args.ts";
import { openExisting, table } from "./store.ts";
import { defaultDb } from "../runner/default-db.ts";
import { SpecError } from "../experiments/errors.ts";
import type { RunConfig } from "../experiments/spec.ts";
import type { RunArea } from "./ranking.ts";

export const compareHelp = `usage: al compare <experiment> [options]

Ranks the experiment's samplers (× training modes) by the area under their learning curves: the
trapezoid area of the metric over the labelled counts, divided by the labelled range (the mean
height of the curve; for accuracy it is the stored aulc_accuracy summary). Per data set, the
mean and 95% bootstrap CI over seeds; the average rank over blocks (data set × seed; rank 1 =
best, ties averaged); Friedman's test over the samplers (tie-corrected, as scipy's
friedmanchisquare) and, against random, the Wilcoxon signed-rank p (two-sided, exact for small
samples) and win/tie/loss counts over the blocks. Runs that differ in anything else (learner,
sizes, epochs…) are ranked separately. Only done runs count; baselines are left out.

options:
  --metric <name>  the per-round metric whose curve is ranked (default accuracy, or
                   auroc_multilabel for multi-label experiments; lower is
                   better for log_loss and ece)
  --db <path>      DuckDB store (default ${defaultDb})
  --json           print JSON on stdout
  -h, --help       this help`;

export async function compare(args: string[]): Promise<number> {
  const { values, positionals } = parse("compare", args, {
    metric: { type: "string" },
    db: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(compareHelp + "\n"), 0;
  if (positionals.length !== 1) throw new SpecError(`expected one experiment name, got ${positionals.length} (see al ls, al compare --help)`);
  const experiment = positionals[0]!;
  const db = values.db ?? defaultDb;
  const [{ normalisedArea }, { metricCatalogue }, { rankMethods }, { axisNames }, { runGaps }, { qualityMetric }] = await Promise.all([
    import("../al/curves/area-under-curve.ts"),
    import("../al/metrics/index.ts"),
    import("./ranking.ts"),
    import("../runner/progress.ts"),
    import("../runner/gaps.ts"),
    import("../al/analysis.ts"),
  ]);
  const store = await openExisting(db, { readOnly: true });
  try {
    const experiments = (await store.query("SELECT name FROM experiments ORDER BY name")).map((r) => String(r.name));
    if (!experiments.includes(experiment)) {
      throw new SpecError(`no experiment "${experiment}" in ${db}; ${experiments.length > 0 ? `known: ${experiments.join(", ")}` : "the store has none (al run one first)"}`);
    }
    const stored = await store.query(
      `SELECT r.run_id, r.config::VARCHAR AS config FROM experiment_runs er JOIN runs r USING (run_id)
        WHERE er.experiment = ? AND r.status = 'done' AND json_extract(r.config, '$.baseline') IS NULL ORDER BY r.finished_at, r.run_id`,
      [experiment],
    );
    if (stored.length === 0) throw new SpecError(`experiment "${experiment}" has no done runs (besides baselines) in ${db}; see al status ${experiment}`);
    const known = (await store.query(
      `SELECT DISTINCT m.metric FROM metrics m JOIN experiment_runs er USING (run_id) WHERE er.experiment = ? ORDER BY m.metric`,
      [experiment],
    )).map((r) => String(r.metric));
    // Multi-label experiments store no accuracy: ranked by what al run's analysis judges them by.
    const metric = values.metric ?? qualityMetric((name) => known.includes(name));
    if (!known.includes(metric)) throw new SpecError(`--metric ${metric}: not stored for "${experiment}"; known: ${known.join(", ") || "(none)"}`);
    const info = metricCatalogue.find((m) => m.key === metric || new RegExp(`^${m.key.replace(/<[a-z]+>/g, "\\d+")}$`).test(metric));
    const higherIsBetter = info?.better !== "lower";

    const gaps = await runGaps(store, stored.map((r) => String(r.run_id)));
    const rounds = await store.query(
      `SELECT ro.run_id, ro.labelled, m.value FROM rounds ro JOIN experiment_runs er ON er.run_id = ro.run_id AND er.experiment = ?
         LEFT JOIN metrics m ON m.run_id = ro.run_id AND m.round = ro.round AND m.metric = ?
        ORDER BY ro.run_id, ro.round`,
      [experiment, metric],
    );
    const curves = new Map<string, { labelled: number[]; values: Array<number | null> }>();
    for (const r of rounds) {
      const id = String(r.run_id);
      if (!curves.has(id)) curves.set(id, { labelled: [], values: [] });
      curves.get(id)!.labelled.push(Number(r.labelled));
      curves.get(id)!.values.push(r.value === null ? null : Number(r.value));
    }
    const configs = stored.map((r) => ({ runId: String(r.run_id), config: JSON.parse(String(r.config)) as RunConfig }));
    const datasetName = axisNames(configs.map((c) => c.config.dataset));
    const samplerName = methodNamer(configs.map((c) => c.config), axisNames(configs.map((c) => c.config.sampler)));
    const groupOf = grouping(configs.map((c) => c.config), axisNames(configs.map((c) => c.config.learner)));
    const skipped: Array<{ runId: string; why: string }> = [];
    const areas: RunArea[] = [];
    // Runs that share every ranked field but differ in what the config does not show (the data
    // file's bytes, edited between two `al run`s): only the newest is ranked, the others are named.
    const cellOf = new Map<string, number>();
    for (const { runId, config } of configs) {
      const curve = curves.get(runId);
      if (gaps.has(runId)) skipped.push({ runId, why: `stored rounds incomplete (${gaps.get(runId)})` });
      else if (!curve || curve.labelled.length < 2) skipped.push({ runId, why: "fewer than 2 rounds: no area" });
      else if (curve.values.some((v) => v === null || !Number.isFinite(v))) skipped.push({ runId, why: `${metric} missing in some round` });
      else {
        const area: RunArea = {
          runId,
          sampler: samplerName(config),
          mode: config.mode,
          group: groupOf(config),
          dataset: datasetName(config.dataset),
          seed: config.seed,
          area: normalisedArea(curve.labelled, curve.values as number[]),
        };
        const cell = JSON.stringify([area.group, area.dataset, area.seed, area.sampler, area.mode]);
        const earlier = cellOf.get(cell);
        if (earlier === undefined) {
          cellOf.set(cell, areas.length);
          areas.push(area);
        } else {
          skipped.push({ runId: areas[earlier]!.runId, why: `superseded by the newer run ${runId} with the same settings, e.g. after an edit of the data file` });
          areas[earlier] = area;
        }
      }
    }
    const methods = new Set(areas.map((a) => `${a.sampler} · ${a.mode}`));
    if (methods.size < 2) {
      throw new SpecError(`experiment "${experiment}" has ${methods.size === 0 ? "no runs with a curve" : `one sampler (${[...methods][0]})`} among its done runs; al compare needs at least 2 samplers or modes`);
    }
    const groups = rankMethods(areas, { higherIsBetter });
    if (groups.length === 0) throw new SpecError(`no learner/size setting of "${experiment}" has 2 samplers with done runs on the same data set and seed; nothing to rank`);
    if (values.json) {
      process.stdout.write(JSON.stringify({ experiment, metric, higherIsBetter, measure: "normalised area under the learning curve", groups, skipped }, null, 2) + "\n");
      return 0;
    }
    process.stdout.write(render(experiment, metric, higherIsBetter, groups, skipped) + "\n");
  } finally {
    await store.close();
  }
  return 0;
}

/**
 * A run's method name: its sampler, with the MC-sample setting where that sampler was run with
 * several (BALD with 3 and with 5 samples are two methods, not one run superseding another), as
 * the site names them. Exported for its test.
 */
export function methodNamer(configs: readonly RunConfig[], samplerName: (s: RunConfig["sampler"]) => string): (c: RunConfig) => string {
  const settings = new Map<string, Set<string>>();
  for (const c of configs) {
    const name = samplerName(c.sampler);
    if (!settings.has(name)) settings.set(name, new Set());
    settings.get(name)!.add(JSON.stringify(c.mcSamples ?? null));
  }
  return (c) => {
    const name = samplerName(c.sampler);
    return (settings.get(name)?.size ?? 0) > 1 && c.mcSamples !== undefined ? `${name} · ${c.mcSamples.method} ${c.mcSamples.samples}` : name;
  };
}

/**
 * What separates runs that must not be ranked together: everything in the config but the
 * experiment, data set, seed, sampler and mode (and what only some samplers carry). Returns a
 * display name naming only the fields that vary ("" when all runs agree). Exported for its test.
 */
export function grouping(configs: readonly RunConfig[], learnerName: (l: RunConfig["learner"]) => string): (c: RunConfig) => string {
  const rest = (c: RunConfig): Record<string, unknown> => {
    const { experiment: _e, dataset: _d, seed: _s, sampler: _p, mode: _m, mcSamples: _c, metrics: _x, ...others } = c;
    return others;
  };
  const keys = [...new Set(configs.flatMap((c) => Object.keys(rest(c))))].sort();
  const varying = keys.filter((k) => new Set(configs.map((c) => JSON.stringify(rest(c)[k]))).size > 1);
  return (c) =>
    varying
      .map((k) => {
        const v = rest(c)[k];
        if (k === "learner") return `learner ${learnerName(c.learner)}`;
        if (k === "initial") return `initial ${c.initial.size}`;
        // Two groups that differ only in their scored candidates must not read the same.
        if (k === "acquisition") return `batch ${c.acquisition.size}${c.acquisition.candidates === undefined ? "" : ` of ${c.acquisition.candidates} candidates`}`;
        // No oracle is the perfect annotator (as the report site names it).
        if (k === "oracle" && v === undefined) return "oracle perfect";
        return `${k} ${v === undefined ? "default" : JSON.stringify(v)}`;
      })
      .join(" · ");
}

type Groups = ReturnType<typeof import("./ranking.ts").rankMethods>;

const fixed = (x: number, digits = 4): string => x.toFixed(digits);
const pValue = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

function render(experiment: string, metric: string, higher: boolean, groups: Groups, skipped: Array<{ runId: string; why: string }>): string {
  const out = [
    `${experiment}: area under the ${metric} curve (mean ${metric} over the labelled range; ${higher ? "higher" : "lower"} is better), mean [95% bootstrap CI] over seeds`,
  ];
  for (const g of groups) {
    out.push("");
    const blocks = `${g.blocks} block${g.blocks === 1 ? "" : "s"} (${g.datasets.length > 1 ? `${g.datasets.length} data sets × seeds` : "seeds"})`;
    out.push(`${g.group ? `${g.group}: ` : ""}${g.methods.length} samplers over ${blocks}${g.incompleteBlocks > 0 ? `; ${g.incompleteBlocks} block(s) where some sampler has no done run left out` : ""}`);
    const rows = g.methods.map((m) => {
      const row: Record<string, unknown> = { sampler: m.sampler, mode: m.mode };
      for (const d of g.datasets) {
        const a = m.area[d]!;
        row[g.datasets.length > 1 ? d : `aulc ${metric}`] = `${fixed(a.mean)} [${fixed(a.lo, 3)}, ${fixed(a.hi, 3)}]`;
      }
      row["avg rank"] = m.averageRank.toFixed(2);
      row["w/t/l vs random"] = m.vsRandom ? `${m.vsRandom.wins}/${m.vsRandom.ties}/${m.vsRandom.losses}` : "";
      row["wilcoxon p"] = m.vsRandom ? pValue(m.vsRandom.wilcoxonP) : "";
      return row;
    });
    out.push(table(rows, undefined, { right: ["avg rank", "w/t/l vs random", "wilcoxon p"] }));
    const f = g.friedman;
    out.push(
      f
        ? `Friedman over ${f.n} blocks, ${f.k} samplers: χ² = ${f.chiSquare.toFixed(3)}, p = ${pValue(f.chiSquareP)} (Iman–Davenport F = ${Number.isFinite(f.f) ? f.f.toFixed(3) : "∞"}, p = ${pValue(f.fP)})`
        : "Friedman: needs at least 2 blocks (data sets × seeds); add seeds",
    );
  }
  if (skipped.length > 0) {
    out.push("", `left out ${skipped.length} run(s): ${skipped.slice(0, 3).map((s) => `${s.runId} (${s.why})`).join("; ")}${skipped.length > 3 ? "; …" : ""}`);
  }
  return out.join("\n");
}
