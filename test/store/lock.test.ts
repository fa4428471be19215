import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../lib/store/duckdb.ts";
import { tempDir } from "./fixtures.ts";

const holder = fileURLToPath(new URL("./hold-store.ts", import.meta.url));
const children: ChildProcess[] = [];

/** Starts a separate Node process that opens the store for writing and keeps it open. */
async function holdInChild(path: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", holder, path], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`hold-store.ts exited with ${code}: ${stderr}`)));
  });
  return child;
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill();
      await once(child, "exit");
    }
  }
});

describe("store lock", () => {
  it("tells a second process that the store is in use, naming the holder's pid", async () => {
    const path = join(tempDir(), "results", "al.duckdb");
    const child = await holdInChild(path);
    const message = `${path} is in use by another process (pid ${child.pid}); wait for it to finish or pass --db to use another store`;
    await expect(openStore(path)).rejects.toThrow(message);
    // DuckDB also refuses readers while a writer holds the file.
    await expect(openStore(path, { readOnly: true })).rejects.toThrow(message);

    // Once the holder is gone, the lock goes with it.
    child.kill();
    await once(child, "exit");
    const store = await openStore(path);
    expect(await store.runs()).toEqual([]);
    await store.close();
  });
});
