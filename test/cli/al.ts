/** Shared by the CLI tests: run `al` as a user would, and read a store behind its back. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

export const root = join(import.meta.dirname, "../..");

/** Runs bin/al.js with the wasm backend forced, so results never depend on what loads. */
export function al(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, "bin/al.js"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, AL_BACKEND: "wasm" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One read-only query against a store file (plain JS values). */
export async function queryStore(db: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(db, { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
