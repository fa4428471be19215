/**
 * The `al` command line. Each verb lives in its own file; errors in user input print one line
 * and exit 2, failed runs exit 1.
 */
import { SpecError } from "../experiments/errors.ts";
import { exportHelp, exportVerb } from "./export.ts";
import { ls, lsHelp } from "./ls.ts";
import { replayHelp, replayVerb } from "./replay.ts";
import { rm, rmHelp } from "./rm.ts";
import { run, runHelp } from "./run.ts";
import { show, showHelp } from "./show.ts";
import { site, siteHelp } from "./site.ts";
import { status, statusHelp } from "./status.ts";

const verbs: Record<string, { main: (args: string[]) => Promise<number>; help: string }> = {
  run: { main: run, help: runHelp },
  ls: { main: ls, help: lsHelp },
  status: { main: status, help: statusHelp },
  show: { main: show, help: showHelp },
  export: { main: exportVerb, help: exportHelp },
  replay: { main: replayVerb, help: replayHelp },
  rm: { main: rm, help: rmHelp },
  site: { main: site, help: siteHelp },
};

const usage = `usage: al <command> [options]

commands:
  run <experiment.ts>   run an experiment's grid into the store (skips stored runs)
  ls                    list the store's experiments
  status [experiment]   runs done / interrupted / failed, and what resumes next
  show <run-id>         one run's config, provenance and rounds
  export                write the store as Parquet or CSV (partitioned by experiment/data set/sampler)
  replay                recompute selection-only metrics from stored selections (no retraining)
  rm                    delete an experiment or runs
  site build|dev        build or preview the report site for a store

al <command> --help for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [verb, ...args] = argv;
  if (verb === undefined || verb === "--help" || verb === "-h" || verb === "help") {
    process.stdout.write(usage + "\n");
    return verb === undefined ? 2 : 0;
  }
  const command = verbs[verb];
  if (!command || !Object.hasOwn(verbs, verb)) {
    process.stderr.write(`al: unknown command "${verb}"; expected one of ${Object.keys(verbs).join(", ")}\n`);
    return 2;
  }
  try {
    return await command.main(args);
  } catch (error) {
    const message = (error as Error).message;
    process.stderr.write(`al ${verb}: ${message}\n`);
    if (!(error instanceof SpecError) && process.env.AL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return error instanceof SpecError ? 2 : 1;
  }
}
