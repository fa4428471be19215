import { isAbsolute, relative, resolve, sep } from "node:path";
import { packageRoot } from "../package-root.ts";
import { SpecError } from "../experiments/errors.ts";
import { defaultDb } from "../runner/default-db.ts";
import { parse, positiveInt } from "./args.ts";
import { PUBLISHED_ROOT } from "../reproduce/published-root.ts";

export const reproduceHelp = `usage: al reproduce <experiments/reproductions/study.ts> [options]

Runs a reproduction's grid (as al run: only what the store lacks), computes the paper's
measures for every run and writes them, with the drawn curve and what it ran on, to
<out>/<study>/<profile>/ (measures.parquet, curves.parquet, meta.json), which the report
site's reproduction page reads. Prints our numbers beside the paper's.

options:
  --profile <name>   a profile of the experiment (default: the published protocol, "full")
  --db <path>        DuckDB store (default ${defaultDb})
  --out <dir>        where published results go (default ${PUBLISHED_ROOT})
  --no-run           publish from what the store holds; fail if the grid is incomplete
  --backend <b>      as al run
  --workers <n>      as al run
  --json             print the comparison as JSON on stdout
  -h, --help         this help`;

export async function reproduce(args: string[]): Promise<number> {
  const { values, positionals } = parse("reproduce", args, {
    profile: { type: "string" },
    db: { type: "string" },
    out: { type: "string" },
    "no-run": { type: "boolean" },
    backend: { type: "string" },
    workers: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(reproduceHelp + "\n"), 0;
  if (positionals.length !== 1) throw new SpecError(`expected one experiment file, got ${positionals.length} (see al reproduce --help)`);
  const file = positionals[0]!;
  const db = values.db ?? defaultDb;
  const profile = values.profile ?? "full";
  const [{ loadExperiment }, { expandExperiment }, { loadReproduction }, { preflight }, { storedState }, { openExisting }, publish, verdict] = await Promise.all([
    import("../experiments/define.ts"),
    import("../experiments/grid.ts"),
    import("../reproduce/load.ts"),
    import("../runner/preflight.ts"),
    import("../runner/ensure.ts"),
    import("./store.ts"),
    import("../reproduce/publish.ts"),
    import("../reproduce/verdict.ts"),
  ]);
  // The default spec is the published protocol; a profile named "full", if any, must equal it.
  const spec = await loadExperiment(file, values.profile === "full" ? undefined : values.profile);
  const reproduction = await loadReproduction(file, spec.name);

  let failed = 0;
  if (!values["no-run"]) {
    const [{ parseBackendChoice }, { progressBar }, { runExperiment }] = await Promise.all([
      import("../backend/select.ts"),
      import("./progress-bar.ts"),
      import("../runner/run-experiment.ts"),
    ]);
    const summary = await runExperiment({
      file,
      db,
      profile: values.profile === "full" ? undefined : values.profile,
      backend: values.backend === undefined ? undefined : parseBackendChoice(values.backend, "--backend"),
      workers: positiveInt(values.workers, "--workers"),
      ...(process.stderr.isTTY ? { progress: progressBar() } : {}),
    });
    failed = summary.failed;
  }

  const configs = expandExperiment(spec, file);
  const { checksums } = await preflight(configs, file);
  // With --no-run another process may be running a grid in the same store: read its snapshot,
  // as openExisting below does (and says on stderr).
  const state = await storedState(db, spec.name, configs, checksums, { snapshot: { notice: () => {} } });
  const missing = state.cells.filter((c) => !c.stored).length;
  if (missing === state.cells.length) throw new SpecError(`${db}: none of the ${missing} runs of "${spec.name}" (profile ${profile}) is stored; run al reproduce without --no-run`);
  if (missing > 0) process.stderr.write(`al reproduce: ${missing} of ${state.cells.length} runs are not done (failed or never run); publishing the ${state.cells.length - missing} that are\n`);

  const store = await openExisting(db, { readOnly: true });
  let published;
  try {
    published = await publish.collectPublished(store, reproduction, { file: siteRelative(file), profile }, state.cells.flatMap((c) => (c.stored ? [c.stored.runId] : [])));
  } finally {
    await store.close();
  }
  const dir = publish.publishedDir(values.out ?? PUBLISHED_ROOT, reproduction.study, profile);
  await publish.writePublished(dir, published);

  const paper = reproduction.paper.map((p) => ({ ...p, setting: p.setting ?? "all" }));
  const list = verdict.comparisons(paper, published.measures);
  const agreement = verdict.agreements(list, (m) => reproduction.measures[m]!.better);
  if (values.json) process.stdout.write(JSON.stringify({ dir, meta: published.meta, comparisons: list, agreements: agreement }, null, 2) + "\n");
  else {
    const lines = [`${reproduction.title} — ${reproduction.citation}`, `profile ${profile}: ${published.meta.runs} runs → ${dir}`];
    for (const c of list) {
      const digits = reproduction.measures[c.measure]!.digits ?? 1;
      lines.push(`  ${c.setting === "all" ? "" : `${c.setting} · `}${c.measure} · ${c.sampler}: ${verdict.describeComparison(c, digits)}`);
    }
    for (const a of agreement) {
      lines.push(`  ${a.setting === "all" ? "" : `${a.setting} · `}${a.measure}: order of ${a.samplers} samplers, Kendall τ ${a.tau === null ? "—" : a.tau.toFixed(2)}; best: paper ${a.paperBest}, ours ${a.oursBest ?? "—"}`);
    }
    process.stdout.write(lines.join("\n") + "\n");
  }
  return failed > 0 || missing > 0 ? 1 : 0;
}

/** The experiment file as the site (run from the package root) finds it: relative to the root when inside it. */
function siteRelative(file: string): string {
  const path = resolve(file);
  const rel = relative(packageRoot, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel.split(sep).join("/");
}
