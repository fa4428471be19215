/**
 * The benchmark contract: each `bench/<area>.bench.ts` exports `cases`, and `npm run bench`
 * runs them and prints one JSON document on stdout (progress on stderr). Timings are goals
 * measured here, never asserted in tests.
 */
export type BenchValue = number | string | boolean | null | BenchValue[] | { [key: string]: BenchValue };

export interface BenchCase {
  /** e.g. "samplers/margin top-100 N=1e6 C=10" */
  name: string;
  /** Runs the case and returns its measurements (ms, samples/s, MB, ratios to references …). */
  run(): Promise<Record<string, BenchValue>>;
}

/** Median wall time in ms of `fn` over `repeats` runs after one warm-up. */
export async function timeMs(fn: () => unknown | Promise<unknown>, repeats = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Peak resident set size of this process so far, in MB (Linux: VmHWM). */
export async function peakRssMb(): Promise<number | null> {
  try {
    const { readFile } = await import("node:fs/promises");
    const status = await readFile("/proc/self/status", "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
