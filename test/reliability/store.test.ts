/**
 * Battery: the store and the verbs that read it — export never deletes what it did not write,
 * stored ids never become paths, broken or busy stores get one clear line (exit 2), and the
 * read-only verbs work while a grid holds the store (from its snapshot).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { expect } from "vitest";
import { battery, root, snapshot, spawnAl, type Context } from "./harness.ts";

const MARKER = ".al-export.json";
const holder = join(root, "test/store/hold-grid.ts");
const HELD_RUN_ID = "0123456789abcdef";

/** Runs SQL on the case's store directly, as someone crafting a store would. */
async function sql(ctx: Context, ...statements: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(join(ctx.dir, "results/al.duckdb"));
  const conn = await instance.connect();
  try {
    for (const s of statements) await conn.run(s);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function count(ctx: Context, query: string): Promise<number> {
  const instance = await DuckDBInstance.create(join(ctx.dir, "results/al.duckdb"), { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  try {
    return Number((await conn.runAndReadAll(query)).getRows()[0]![0]);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Links a copy of the fixture's experiment under another name, with the same runs. */
function alias(name: string): string[] {
  const quoted = `'${name.replaceAll("'", "''")}'`;
  return [
    `INSERT INTO experiments SELECT ${quoted}, spec, file, updated_at FROM experiments WHERE name = 'small'`,
    `INSERT INTO experiment_runs SELECT ${quoted}, run_id FROM experiment_runs WHERE experiment = 'small'`,
  ];
}

const pids = new Map<string, number>();

/** Starts a real 200-run grid and waits until its first snapshot is on disk. */
async function startGrid(ctx: Context): Promise<void> {
  const file = ctx.experiment("grid", { name: "grid", seeds: Array.from({ length: 100 }, (_, i) => i + 1) });
  const child = spawnAl(ctx.dir, ["run", file, "--workers", "1"]);
  child.stdout.resume();
  child.stderr.resume();
  pids.set(ctx.dir, child.pid!);
  const snap = join(ctx.dir, "results/al.duckdb.snapshot");
  for (let waited = 0; !existsSync(snap); waited += 100) {
    if (child.exitCode !== null || waited > 120_000) throw new Error(`al run exited (${child.exitCode}) or wrote no snapshot`);
    await new Promise((r) => setTimeout(r, 100));
  }
  child.unref();
}

/** Starts a process that holds the case's store as a running grid does (one run begun, round 0 stored). */
async function holdStore(ctx: Context, experiment = "small"): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", holder, join(ctx.dir, "results/al.duckdb"), experiment], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`hold-grid.ts exited with ${code}: ${stderr}`)));
  });
  child.stdout.destroy();
  child.stderr.destroy();
  child.unref();
  pids.set(ctx.dir, child.pid!);
}

function release(ctx: Context): void {
  const pid = pids.get(ctx.dir);
  if (pid !== undefined) process.kill(pid);
  pids.delete(ctx.dir);
}

const busy = (ctx: Context) => new RegExp(`al\\.duckdb is being written by pid ${pids.get(ctx.dir)}; showing its state as of \\d{4}-`);

/** A file outside results/ and a stored run whose id would reach it if joined into a path. */
async function plantVictim(ctx: Context): Promise<void> {
  ctx.file("victim.ckpt", "precious");
  await sql(
    ctx,
    "INSERT INTO runs BY NAME SELECT * REPLACE ('../../victim' AS run_id) FROM runs LIMIT 1",
    "INSERT INTO experiment_runs VALUES ('small', '../../victim')",
  );
}

battery("reliability: store, export and read-only verbs", [
  {
    name: "export into a non-empty directory it did not write: refused, the user's notes untouched",
    point: 3,
    store: true,
    setup: (ctx) => void ctx.file("out/runs/notes.md", "my notes\n"),
    args: ["export", "--out", "out"],
    code: 2,
    stderr: /out is not empty \(runs\) and holds no earlier al export/,
    check: (ctx) => {
      expect(readFileSync(join(ctx.dir, "out/runs/notes.md"), "utf8")).toBe("my notes\n");
      expect(readdirSync(join(ctx.dir, "out"))).toEqual(["runs"]);
      expect(readdirSync(join(ctx.dir, "out/runs"))).toEqual(["notes.md"]);
    },
  },
  {
    name: "export into the default results/export holding a user's notes: refused, nothing changed",
    point: 3,
    store: true,
    setup: (ctx) => void ctx.file("results/export/rounds/README.txt", "mine\n"),
    args: ["export"],
    code: 2,
    stderr: /results\/export is not empty/,
  },
  {
    name: "export over its own previous export replaces it; a user's file beside it survives",
    point: 3,
    store: true,
    setup: (ctx) => {
      expect(ctx.al("export", "--out", "out").code).toBe(0);
      ctx.file("out/my-analysis.txt", "keep\n");
      // A stale partition of our previous export must go, as the table is rewritten whole.
      ctx.file("out/rounds/experiment=gone/data_0.parquet", "old");
      const marker = JSON.parse(readFileSync(join(ctx.dir, "out", MARKER), "utf8")) as { wrote: string[] };
      expect(marker.wrote).toContain("rounds");
    },
    args: ["export", "--out", "out"],
    code: 0,
    check: (ctx) => {
      expect(readFileSync(join(ctx.dir, "out/my-analysis.txt"), "utf8")).toBe("keep\n");
      expect(readdirSync(join(ctx.dir, "out/rounds"))).toEqual(["experiment=small"]);
      expect(readdirSync(join(ctx.dir, "out")).sort()).toEqual(
        [MARKER, "advice", "my-analysis.txt", "round_mask", "rounds", "runs", "selections", "stopping", "summaries"].sort(),
      );
    },
  },
  {
    name: "export --flat over its own partitioned export removes only its old partition directories",
    point: 3,
    store: true,
    setup: (ctx) => {
      expect(ctx.al("export", "--out", "out").code).toBe(0);
      ctx.file("out/notes.md", "keep\n");
    },
    args: ["export", "--out", "out", "--flat"],
    code: 0,
    check: (ctx) => {
      const entries = readdirSync(join(ctx.dir, "out")).sort();
      expect(entries).toEqual([MARKER, "advice.parquet", "notes.md", "round_mask.parquet", "rounds.parquet", "runs.parquet", "selections.parquet", "stopping.parquet", "summaries.parquet"].sort());
    },
  },
  {
    name: "export over its own export where the user put notes inside a table directory: refused, notes kept",
    point: 3,
    store: true,
    setup: (ctx) => {
      expect(ctx.al("export", "--out", "out").code).toBe(0);
      ctx.file("out/runs/experiment=small/notes.md", "mine\n");
    },
    args: ["export", "--out", "out"],
    code: 2,
    stderr: /out\/runs\/experiment=small\/notes\.md was not written by al export; move it away/,
    check: (ctx) => expect(readFileSync(join(ctx.dir, "out/runs/experiment=small/notes.md"), "utf8")).toBe("mine\n"),
  },
  {
    name: "export whose file name is taken by a user's file in our own export directory: refused",
    point: 3,
    store: true,
    setup: (ctx) => {
      expect(ctx.al("export", "--out", "out").code).toBe(0);
      ctx.file("out/rounds.parquet", "the user's own file");
    },
    args: ["export", "--out", "out", "--flat"],
    code: 2,
    stderr: /out\/rounds\.parquet was not written by al export/,
    check: (ctx) => expect(readFileSync(join(ctx.dir, "out/rounds.parquet"), "utf8")).toBe("the user's own file"),
  },
  {
    name: "export --experiment of an unknown experiment: one line naming the known ones, nothing written",
    point: 8,
    store: true,
    args: ["export", "--out", "out", "--experiment", "nope"],
    code: 2,
    stderr: /no experiment "nope" in results\/al\.duckdb \(it has "small"\); see al ls$/,
    check: (ctx) => expect(existsSync(join(ctx.dir, "out"))).toBe(false),
  },
  {
    name: "export --experiment of an unknown experiment over a good export leaves that export as it was",
    point: 8,
    store: true,
    setup: (ctx) => {
      expect(ctx.al("export", "--out", "out").code).toBe(0);
      ctx.file("out.sha256.json", JSON.stringify(snapshot(join(ctx.dir, "out"))));
    },
    args: ["export", "--out", "out", "--experiment", "smal"],
    code: 2,
    stderr: /no experiment "smal"/,
    check: (ctx) => {
      const before = JSON.parse(readFileSync(join(ctx.dir, "out.sha256.json"), "utf8")) as Record<string, string>;
      expect(Object.keys(before).filter((f) => f.startsWith("rounds/experiment=small/")).length).toBe(2);
      expect(snapshot(join(ctx.dir, "out"))).toEqual(before);
    },
  },
  {
    name: "export --out /proc/x: one line, no endless mkdir loop",
    point: 8,
    store: true,
    args: ["export", "--out", "/proc/al-export-test/x"],
    code: 2,
    stderr: /^al export: cannot create \/proc\/al-export-test: this file system does not allow it; pass --out with a writable directory$/,
  },
  {
    name: "export --out below a file: one line",
    point: 8,
    store: true,
    setup: (ctx) => void ctx.file("blocker", "a file"),
    args: ["export", "--out", "blocker/x"],
    code: 2,
    stderr: /^al export: cannot create \/.*\/blocker\/x: \/.*\/blocker is a file, not a directory; pass --out with a writable directory$/,
  },
  {
    name: "a 5,000-character experiment name does not break the partitioned export of every experiment",
    point: 8,
    store: true,
    setup: (ctx) => sql(ctx, ...alias("x".repeat(5000))),
    args: ["export", "--out", "out"],
    code: 0,
    check: (ctx) => {
      const dirs = readdirSync(join(ctx.dir, "out/rounds")).sort();
      expect(dirs).toEqual(["experiment=small", `experiment=${"x".repeat(40)}~${dirs[1]!.slice(-12)}`]);
      expect(dirs[1]).toMatch(/~[0-9a-f]{12}$/);
      const marker = JSON.parse(readFileSync(join(ctx.dir, "out", MARKER), "utf8")) as { partitions: Record<string, string> };
      expect(Object.values(marker.partitions)).toEqual(["x".repeat(5000)]);
    },
  },
  {
    name: "a long non-ASCII experiment name (percent-encoded beyond 255 bytes) exports too",
    point: 8,
    store: true,
    setup: (ctx) => sql(ctx, ...alias("é".repeat(60))),
    args: ["export", "--out", "out", "--format", "csv"],
    code: 0,
    check: (ctx) => expect(readdirSync(join(ctx.dir, "out/runs")).length).toBe(2),
  },
  {
    name: "rm of a crafted run id '../../victim' deletes the row, never a file outside results/",
    point: 9,
    store: true,
    unchanged: false,
    setup: plantVictim,
    args: ["rm", "--run", "../../victim"],
    code: 0,
    stderr: /removed 1 run\(s\) with malformed ids/,
    check: async (ctx) => {
      expect(readFileSync(join(ctx.dir, "victim.ckpt"), "utf8")).toBe("precious");
      expect(await count(ctx, "SELECT count(*) FROM runs WHERE run_id = '../../victim'")).toBe(0);
      expect(await count(ctx, "SELECT count(*) FROM runs")).toBe(2);
    },
  },
  {
    name: "rm --experiment linking a crafted run id leaves the victim file alone",
    point: 9,
    store: true,
    unchanged: false,
    setup: plantVictim,
    args: ["rm", "--experiment", "small"],
    code: 0,
    check: async (ctx) => {
      expect(readFileSync(join(ctx.dir, "victim.ckpt"), "utf8")).toBe("precious");
      expect(await count(ctx, "SELECT count(*) FROM runs")).toBe(0);
    },
  },
  {
    name: "rm removes a run's checkpoint from the store's own checkpoint folder",
    point: 9,
    store: true,
    unchanged: false,
    setup: async (ctx) => {
      const id = String((await firstRunId(ctx)));
      ctx.file(`results/al.duckdb.checkpoints/${id}.ckpt`, "checkpoint");
      ctx.file("id", id);
    },
    args: (ctx) => ["rm", "--run", readFileSync(join(ctx.dir, "id"), "utf8")],
    code: 0,
    check: (ctx) => expect(readdirSync(join(ctx.dir, "results/al.duckdb.checkpoints"))).toEqual([]),
  },
  ...(["ls", "status", "show", "export", "rm"] as const).map((verb) => ({
    name: `al ${verb} on a store file of random bytes: one line, exit 2`,
    point: 15,
    setup: (ctx: Context) => void ctx.file("results/al.duckdb", randomBytes(20_000)),
    args: verb === "show" ? [verb, "0123"] : verb === "rm" ? [verb, "--run", "0123456789abcdef"] : [verb],
    code: 2,
    stderr: new RegExp(`^al ${verb}: results/al\\.duckdb is not a DuckDB database \\(or is damaged\\); move it aside or pass --db`),
  })),
  {
    name: "a store path that is a directory: one line saying so",
    point: 15,
    setup: (ctx) => void mkdirSync(join(ctx.dir, "results/al.duckdb"), { recursive: true }),
    args: ["ls"],
    code: 2,
    stderr: /^al ls: results\/al\.duckdb is a directory, not a store file/,
  },
  {
    name: "al run with a store below a file (directory cannot be made): exit 2, says why",
    point: 15,
    setup: (ctx) => {
      ctx.file("blocker", "a file");
      ctx.experiment("small");
    },
    args: ["run", "small.ts", "--db", "blocker/al.duckdb", "--workers", "1"],
    code: 2,
    stderr: /^al run: cannot create blocker: blocker is a file, not a directory; pass --db with a store in a writable place$/,
  },
  {
    // Tests run as root, so chmod cannot deny access; sysfs refuses new files even to root.
    name: "al run with a store where this user may not create files: says permission denied, exit 2",
    point: 15,
    setup: (ctx) => void ctx.experiment("small"),
    args: ["run", "small.ts", "--db", "/sys/al.duckdb", "--workers", "1"],
    code: 2,
    stderr: /^al run: \/sys\/al\.duckdb: permission denied; give this user read and write access/,
  },
  {
    name: "al run with a store on a file system that allows no files (/proc): one line, exit 2",
    point: 15,
    setup: (ctx) => void ctx.experiment("small"),
    args: ["run", "small.ts", "--db", "/proc/al.duckdb", "--workers", "1"],
    code: 2,
    stderr: /^al run: cannot create or open \/proc\/al\.duckdb: No such file or directory; pass --db with a path this user can write/,
  },
  {
    name: "al run with a store below /proc: one line, no endless mkdir loop",
    point: 15,
    setup: (ctx) => void ctx.experiment("small"),
    args: ["run", "small.ts", "--db", "/proc/al-test/al.duckdb", "--workers", "1"],
    code: 2,
    stderr: /^al run: cannot create \/proc\/al-test: this file system does not allow it; pass --db with a store in a writable place$/,
  },
  {
    name: "al status while a grid writes the store: from its snapshot, the begun run shows as running",
    point: 11,
    store: true,
    setup: (ctx) => holdStore(ctx),
    args: ["status", "--json"],
    code: 0,
    check: (ctx, r) => {
      expect(r.first).toMatch(busy(ctx));
      expect(JSON.parse(r.stdout).snapshot.pid).toBe(pids.get(ctx.dir));
      release(ctx);
      const out = JSON.parse(r.stdout) as {
        experiments: Array<Record<string, number | string>>;
        unfinished: Array<Record<string, unknown>>;
        snapshot: { pid: number; at: string };
      };
      expect(r.first).toContain(`as of ${out.snapshot.at}`);
      expect(out.experiments).toEqual([{ experiment: "small", runs: 3, done: 2, running: 1, failed: 0, not_started: 0, rounds: expect.any(Number), seconds: expect.any(Number) }]);
      expect(out.unfinished.map((u) => [u.run_id, u.status, u.last_round])).toEqual([[HELD_RUN_ID, "running", 0]]);
    },
  },
  {
    name: "al ls while a grid writes the store lists what is done and running",
    point: 11,
    store: true,
    setup: (ctx) => holdStore(ctx),
    args: ["ls", "--json"],
    code: 0,
    check: (ctx, r) => {
      expect(r.first).toMatch(busy(ctx));
      release(ctx);
      const [row] = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      expect([row!.experiment, row!.runs, row!.done, row!.running]).toEqual(["small", 3, 2, 1]);
    },
  },
  {
    name: "al export while a grid writes the store exports the snapshot",
    point: 11,
    store: true,
    setup: (ctx) => holdStore(ctx),
    args: ["export", "--out", "out", "--flat", "--format", "csv"],
    code: 0,
    check: (ctx, r) => {
      expect(r.first).toMatch(busy(ctx));
      release(ctx);
      const runs = readFileSync(join(ctx.dir, "out/runs.csv"), "utf8").trim().split("\n").slice(1);
      expect(runs.length).toBe(3);
      expect(runs.filter((l) => l.includes(HELD_RUN_ID) && l.includes(",running,")).length).toBe(1);
    },
  },
  {
    name: "al show of the running run while a grid writes the store",
    point: 11,
    store: true,
    setup: (ctx) => holdStore(ctx),
    args: ["show", HELD_RUN_ID.slice(0, 6)],
    code: 0,
    check: (ctx, r) => {
      expect(r.first).toMatch(busy(ctx));
      release(ctx);
      expect(r.stdout).toMatch(/^status: running$/m);
    },
  },
  {
    name: "al ls during a real al run: the runner's runs appear as they finish",
    point: 11,
    unchanged: false,
    setup: (ctx) => startGrid(ctx),
    args: ["ls", "--json"],
    code: 0,
    check: (ctx, r) => {
      expect(r.first).toMatch(busy(ctx));
      release(ctx);
      const [row] = JSON.parse(r.stdout) as Array<Record<string, number>>;
      expect(row!.runs).toBe(200);
      expect(row!.done).toBeLessThan(200);
      expect(row!.running + row!.done + row!.not_started).toBe(200);
    },
  },
  {
    name: "al rm while a grid writes the store: refused with the holder's pid, nothing changed",
    point: 11,
    store: true,
    setup: (ctx) => holdStore(ctx),
    args: ["rm", "--experiment", "small"],
    code: 2,
    stderr: /^al rm: results\/al\.duckdb is in use by another process \(pid \d+\); wait for it to finish/,
    check: (ctx) => release(ctx),
  },
]);

async function firstRunId(ctx: Context): Promise<string> {
  const instance = await DuckDBInstance.create(join(ctx.dir, "results/al.duckdb"), { access_mode: "READ_ONLY" });
  const conn = await instance.connect();
  try {
    return String((await conn.runAndReadAll("SELECT min(run_id) FROM runs")).getRows()[0]![0]);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
