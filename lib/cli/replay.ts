import { parse } from "./args.ts";
import { openExisting } from "./store.ts";
import { defaultDb } from "../runner/run-experiment.ts";
import { replay, replayableMetrics } from "../runner/replay.ts";
import { SpecError } from "../experiments/errors.ts";

export const replayHelp = `usage: al replay [options]

Recomputes the metrics that need only stored selections and the data — ${replayableMetrics.join(", ")} —
without retraining, and stores them again (or, with --check, only compares).

options:
  --experiment <name>  only this experiment's runs
  --check              compare with the stored values, write nothing; exit 1 on a difference
  --db <path>          DuckDB store (default ${defaultDb})
  --json               print JSON on stdout
  -h, --help           this help`;

export async function replayVerb(args: string[]): Promise<number> {
  const { values, positionals } = parse("replay", args, {
    experiment: { type: "string" },
    check: { type: "boolean" },
    db: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(replayHelp + "\n"), 0;
  if (positionals.length > 0) throw new SpecError(`unexpected argument "${positionals[0]}" (see al replay --help)`);
  const check = values.check ?? false;
  const store = await openExisting(values.db, { readOnly: check });
  try {
    const result = await replay(store, { experiment: values.experiment, write: !check });
    if (values.json) process.stdout.write(JSON.stringify(result) + "\n");
    else {
      process.stderr.write(`replayed ${result.values} values of ${result.runs} runs; ${result.changed.length} differ from the store${check ? "" : " (now replaced)"}\n`);
      for (const c of result.changed.slice(0, 10)) process.stderr.write(`  ${c.runId} round ${c.round} ${c.metric}: stored ${c.stored}, replayed ${c.replayed}\n`);
    }
    return check && result.changed.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
