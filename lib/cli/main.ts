/**
 * The `al` command line. Each verb lives in its own file and is imported only when called, so
 * `al --help` and the read-only verbs never load tfjs (nor DuckDB, for help); errors in user
 * input print one line and exit 2, failed runs exit 1.
 */
import { SpecError } from "../experiments/errors.ts";

type Verb = (args: string[]) => Promise<number>;

/** Each verb's module, loaded on demand. A verb file keeps its heavy imports inside its function. */
const verbs: Record<string, () => Promise<Verb>> = {
  run: async () => (await import("./run.ts")).run,
  ls: async () => (await import("./ls.ts")).ls,
  status: async () => (await import("./status.ts")).status,
  show: async () => (await import("./show.ts")).show,
  compare: async () => (await import("./compare.ts")).compare,
  export: async () => (await import("./export.ts")).exportVerb,
  replay: async () => (await import("./replay.ts")).replayVerb,
  rm: async () => (await import("./rm.ts")).rm,
  collect: async () => (await import("./collect.ts")).collect,
  worker: async () => (await import("./worker.ts")).worker,
  site: async () => (await import("./site.ts")).site,
  reproduce: async () => (await import("./reproduce.ts")).reproduce,
};

const usage = `usage: al <command> [options]

commands:
  run <experiment.ts>     run an experiment's grid into the store (skips stored runs)
  ls                      list the experiments; with --runs or a filter, the runs (ids, statuses)
  status [experiment]     runs done / interrupted / failed, and what resumes next
  show <run-id>           one run: config, data provenance, rounds, stopping rules, advice, summaries
  compare <experiment>    rank the samplers: area under the learning curve ± CI, ranks, Friedman, Wilcoxon
  export                  write the store as Parquet or CSV (partitioned by experiment/data set/sampler)
  replay                  recompute selection-only metrics from stored selections (no retraining)
  rm                      delete an experiment or runs
  collect                 ingest the runs that shards or queue workers wrote into --results <dir>
  worker                  take runs that al run --queue enqueued, and run them (BullMQ on Redis)
  site build|dev          build or preview the report site for a store
  reproduce <study.ts>    run a published study's reproduction and ship our numbers beside the paper's

al <command> --help for a command's options; al --version for the version.`;

export async function main(argv: string[]): Promise<number> {
  const [verb, ...args] = argv;
  if (verb === undefined || verb === "--help" || verb === "-h" || verb === "help") {
    // `al help ls` is `al ls --help`.
    if (verb === "help" && args[0] !== undefined && Object.hasOwn(verbs, args[0])) return main([args[0], "--help"]);
    process.stdout.write(usage + "\n");
    return verb === undefined ? 2 : 0;
  }
  if (verb === "--version" || verb === "-V") {
    const { version } = await import("../version.ts");
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (!Object.hasOwn(verbs, verb)) {
    process.stderr.write(`al: unknown command "${verb}"; expected one of ${Object.keys(verbs).join(", ")} (or --help, --version)\n`);
    return 2;
  }
  try {
    const command = await verbs[verb]!();
    return await command(args);
  } catch (error) {
    const message = (error as Error).message;
    process.stderr.write(`al ${verb}: ${message}\n`);
    if (!(error instanceof SpecError) && process.env.AL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return error instanceof SpecError ? 2 : 1;
  }
}
