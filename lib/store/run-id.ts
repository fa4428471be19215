/**
 * Stored run ids are data, not paths: a store can be crafted (or damaged) to hold an id like
 * `../../victim`, so every place that joins a stored id into a file name checks its form first.
 * Real ids are 16 hex digits (lib/experiments/id.ts).
 */
const RUN_ID = /^[0-9a-f]{16}$/;

export function isRunId(value: unknown): value is string {
  return typeof value === "string" && RUN_ID.test(value);
}
