import { spawn } from "node:child_process";
import { join } from "node:path";
import { SpecError } from "../experiments/errors.ts";
import { parse, positiveInt } from "./args.ts";

export const workerHelp = `usage: al worker --queue redis://host:port[/db] --results <dir> [options]

Takes runs that al run <experiment.ts> --queue enqueued and runs them, one at a time per worker
process, until stopped (SIGTERM or Ctrl-C: a run in progress stops after its current round and
goes back to the queue). Each round is checkpointed to <dir>/checkpoints/, so a run whose worker
dies is continued by another worker; each finished run is written to <dir>/runs/<run-id>/ for
al collect --results <dir>. Start as many workers, on as many machines, as you like: each
needs the same checkout (experiment file), data (AL_DATA_DIR) and <dir> (a shared folder).

options:
  --queue <url>        the Redis server the runs are queued on (required)
  --results <dir>      the shared results folder (required)
  --concurrency <n>    worker processes on this machine (default 1; wasm uses one core each)
  --stall-seconds <s>  a run whose worker gave no sign of life for this long goes to another
                       worker (default 30; the same on every worker)
  -h, --help           this help`;

export async function worker(args: string[]): Promise<number> {
  const { values, positionals } = parse("worker", args, {
    queue: { type: "string" },
    results: { type: "string" },
    concurrency: { type: "string" },
    "stall-seconds": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(workerHelp + "\n"), 0;
  if (positionals.length > 0) throw new SpecError(`unexpected argument "${positionals[0]}"; al worker takes its runs from --queue (see al worker --help)`);
  if (values.queue === undefined) throw new SpecError("--queue redis://host:port[/db] is required: the server al run --queue enqueued the runs on");
  if (values.results === undefined) throw new SpecError("--results <dir> is required: the shared folder workers write checkpoints and finished runs to");
  const { parseRedisUrl } = await import("../queue/redis-url.ts");
  const target = parseRedisUrl(values.queue);
  const concurrency = positiveInt(values.concurrency, "--concurrency") ?? 1;
  const stallSeconds = positiveInt(values["stall-seconds"], "--stall-seconds");
  if (concurrency > 1) return fleet(args, concurrency);

  const { runQueueWorker } = await import("../queue/queue-worker.ts");
  const stop = new AbortController();
  let caught: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    caught ??= signal;
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const counts = await runQueueWorker({ queue: target, results: values.results, ...(stallSeconds !== undefined ? { stallSeconds } : {}), signal: stop.signal });
    process.stderr.write(`al worker: stopped; ${counts.completed} run(s) done, ${counts.failed} failed attempt(s), ${counts.handedBack} handed back\n`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  return caught === "SIGINT" ? 130 : caught === "SIGTERM" ? 143 : 0;
}

/**
 * --concurrency n: n worker processes (wasm is single-threaded in Node), each `al worker` with
 * the same flags; signals are passed on, and the exit status is the worst of theirs.
 */
async function fleet(args: string[], n: number): Promise<number> {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--concurrency") i++;
    else if (!args[i]!.startsWith("--concurrency=")) rest.push(args[i]!);
  }
  const { packageRoot } = await import("../package-root.ts");
  const bin = join(packageRoot, "bin/al.js");
  const children = Array.from({ length: n }, () => spawn(process.execPath, [bin, "worker", ...rest], { stdio: "inherit" }));
  const pass = (signal: NodeJS.Signals): void => {
    for (const child of children) child.kill(signal);
  };
  process.on("SIGINT", pass);
  process.on("SIGTERM", pass);
  const codes = await Promise.all(children.map((child) => new Promise<number>((done) => child.on("exit", (code, signal) => done(code ?? (signal === "SIGKILL" ? 137 : 1))))));
  process.off("SIGINT", pass);
  process.off("SIGTERM", pass);
  return Math.max(...codes);
}
