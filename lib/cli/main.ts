/**
 * The `al` command line. Each verb lives in its own file; errors in user input print one line
 * and exit 2, failed runs exit 1.
 */
import { SpecError } from "../experiments/errors.ts";
import { exportHelp, exportVerb } from "./export.ts";
import { run, runHelp } from "./run.ts";

const verbs: Record<string, { main: (args: string[]) => Promise<number>; help: string }> = {
  run: { main: run, help: runHelp },
  export: { main: exportVerb, help: exportHelp },
};

const usage = `usage: al <command> [options]

commands:
  run <experiment.ts>   run an experiment's grid into the store (skips stored runs)
  export                write the store as Parquet or CSV

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
