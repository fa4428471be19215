/** Shared by the queue tests: `al` processes that run side by side, and what they printed. */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { join } from "node:path";
import { root } from "../cli/al.ts";
import { smallGrid } from "../runner/small-grid.ts";
import { startRedis, type TestRedis } from "./redis-server.ts";

export interface AlProcess {
  child: ChildProcess;
  /** stderr so far. */
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code (128 + n for a signal). */
  exited: Promise<number>;
  /** Resolves once stderr (from character `since` on: 0 = all of it) matches. */
  waitFor(pattern: RegExp, timeoutMs?: number, since?: number): Promise<void>;
}

export function alProcess(args: string[], env: Record<string, string> = {}): AlProcess {
  const child = spawn("nice", [process.execPath, join(root, "bin/al.js"), ...args], { cwd: root, env: { ...process.env, AL_BACKEND: "wasm", ...env } });
  let stderr = "";
  let stdout = "";
  const waiters: Array<() => void> = [];
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    for (const w of [...waiters]) w();
  });
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  const signals: Record<string, number> = { SIGKILL: 137, SIGTERM: 143, SIGINT: 130 };
  const exited = new Promise<number>((resolve) => child.on("close", (code, signal) => resolve(code ?? signals[signal ?? ""] ?? 1)));
  return {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    waitFor: (pattern, timeoutMs = 60_000, since = 0) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in:\n${stderr}`)), timeoutMs);
        const check = (): void => {
          if (!pattern.test(stderr.slice(since))) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        check();
      }),
  };
}

/** How many times each run id was begun, over the given worker logs. */
export function begunPerRun(...logs: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const log of logs) for (const m of log.matchAll(/\(([0-9a-f]{16})\) begins/g)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  return counts;
}

/** The grid both queue test files run: 2 samplers × 2 seeds + 2 baselines, as the shards test. */
export const GRID = smallGrid("queue-grid", { baselines: [100] });

export interface QueueJson {
  counts: Record<string, number>;
  runs: Array<{ runId: string; state: string; label: string; attempts: number; error: string | null; worker: string | null }>;
}

/** `al status --queue <url> --json` (plus `extra`), parsed. */
export async function queueJson(url: string, ...extra: string[]): Promise<QueueJson> {
  const p = alProcess(["status", "--queue", url, "--json", ...extra]);
  expect(await p.exited, p.stderr()).toBe(0);
  return JSON.parse(p.stdout()) as QueueJson;
}

/**
 * For a describe block: a redis-server of its own (started before, stopped after) and `worker`,
 * which starts `al worker` on it with a 2 s stall time (and `extra` flags). Workers are killed after each test, so
 * one a failed test left running cannot take the next test's jobs.
 */
export function queueFixture(): { url: () => string; worker: (results: string, env?: Record<string, string>, extra?: string[]) => AlProcess } {
  let redis: TestRedis | undefined;
  const started: AlProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(() => {
    for (const p of started.splice(0)) p.child.kill("SIGKILL");
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const url = (): string => redis!.url;
  const worker = (results: string, env: Record<string, string> = {}, extra: string[] = []): AlProcess => {
    const w = alProcess(["worker", "--queue", url(), "--results", results, "--stall-seconds", "2", ...extra], env);
    started.push(w);
    return w;
  };
  return { url, worker };
}
