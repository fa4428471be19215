/**
 * ingestRunFolder's experiment rows and run links (lib/store/collect.ts): with the store's spec
 * the links are added to its own (shards on other backends link their own ids); with another
 * spec the newer of the two defines the experiment, as the latest al run does locally. And the
 * format is the store's own tables: a column or per-run table added later travels unchanged.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runExperiment } from "../../lib/runner/run-experiment.ts";
import { shardRun } from "../../lib/runner/shard.ts";
import { ingestRunFolder } from "../../lib/store/collect.ts";
import { openStore, type Store } from "../../lib/store/duckdb.ts";
import { writeRunFolder } from "../../lib/store/run-folder.ts";

const dir = mkdtempSync(join(tmpdir(), "al-collect-links-"));
const file = join(dir, "one.ts");
writeFileSync(
  file,
  `export default ${JSON.stringify({
    name: "links",
    dataset: { name: "noisy-blobs" },
    learner: { name: "logistic" },
    samplers: ["random"],
    initial: { size: 10 },
    acquisition: { size: 5 },
    rounds: 1,
    epochs: 1,
    seeds: [1, 2],
  })};\n`,
);
const results = join(dir, "results");
// Another backend's id for a cell of the same grid, as a shard on another node links it.
const OTHER = "00000000000000aa";
let folder: string;
let grid: string[];
let runId: string;

async function withStore(body: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore(":memory:");
  try {
    await body(store);
  } finally {
    await store.close();
  }
}

const links = async (store: Store) => (await store.query("SELECT run_id FROM experiment_runs WHERE experiment = 'links' ORDER BY run_id")).map((r) => String(r.run_id));
const experiment = async (store: Store) => (await store.query("SELECT spec::VARCHAR AS spec, epoch_ms(updated_at)::DOUBLE AS at FROM experiments"))[0];

beforeAll(async () => {
  // Shard 0 of 2 runs one of the grid's two runs, and links both.
  await runExperiment({ file, workers: 1, backend: "wasm", log: () => {}, ...shardRun(results, { index: 0, count: 2 }) });
  [runId] = readdirSync(join(results, "runs"));
  folder = join(results, "runs", runId!);
  const store = await openStore(join(results, "shards", "0-of-2.duckdb"), { readOnly: true });
  grid = (await store.query("SELECT run_id FROM experiment_runs ORDER BY run_id")).map((r) => String(r.run_id));
  await store.close();
}, 60_000);

describe("ingestRunFolder: experiments and links", () => {
  it("into an empty store: the experiment row and the whole grid's links", async () => {
    expect(grid).toHaveLength(2);
    await withStore(async (store) => {
      expect(await ingestRunFolder(store, folder)).toEqual({ status: "collected", runId, experiments: ["links"] });
      expect(await links(store)).toEqual(grid);
      expect(await ingestRunFolder(store, folder)).toEqual({ status: "skipped", runId });
    });
  });

  it("with the same spec: adds its links to the store's and keeps the newer row", async () => {
    await withStore(async (store) => {
      await ingestRunFolder(store, folder);
      const row = await experiment(store);
      // The store's row: same spec, a day later, linking another backend's id too.
      await store.query("DELETE FROM runs");
      await store.query("UPDATE experiments SET updated_at = updated_at + INTERVAL 1 DAY");
      await store.query("INSERT INTO experiment_runs VALUES ('links', ?)", [OTHER]);
      await ingestRunFolder(store, folder);
      expect(await links(store)).toEqual([OTHER, ...grid].sort());
      expect(await experiment(store)).toEqual({ spec: row!.spec, at: Number(row!.at) + 86_400_000 });
    });
  });

  it("with another spec: a newer store row stays as it is, with its links", async () => {
    await withStore(async (store) => {
      await store.query("INSERT INTO experiments VALUES ('links', '{\"name\":\"links\",\"seeds\":[7]}', 'x.ts', now()::TIMESTAMP + INTERVAL 1 DAY)");
      await store.query("INSERT INTO experiment_runs VALUES ('links', ?)", [OTHER]);
      await ingestRunFolder(store, folder);
      expect(await links(store)).toEqual([OTHER]);
      expect((await experiment(store))!.spec).toBe('{"name":"links","seeds":[7]}');
      // The run itself is stored, as a local run of a grid since edited would be.
      expect(await store.query("SELECT status FROM runs")).toEqual([{ status: "done" }]);
    });
  });

  it("with another spec: an older store row is replaced, links and all", async () => {
    await withStore(async (store) => {
      await store.query("INSERT INTO experiments VALUES ('links', '{\"name\":\"links\",\"seeds\":[7]}', 'x.ts', TIMESTAMP '2001-01-01')");
      await store.query("INSERT INTO experiment_runs VALUES ('links', ?)", [OTHER]);
      await ingestRunFolder(store, folder);
      expect(await links(store)).toEqual(grid);
      expect((await experiment(store))!.spec).not.toContain('"seeds":[7]');
    });
  });

  it("carries a column or table a later migration adds, with no change to the format", async () => {
    // The shard's store as a later schema would have it: a new column and a new per-run table.
    const copy = join(dir, "later.duckdb");
    cpSync(join(results, "shards", "0-of-2.duckdb"), copy);
    const later = async (store: Store) => {
      await store.query("ALTER TABLE rounds ADD COLUMN note VARCHAR");
      await store.query("CREATE TABLE round_notes (run_id VARCHAR, round INTEGER, text VARCHAR)");
    };
    const source = await openStore(copy);
    const out = join(dir, "later-runs");
    try {
      await later(source);
      await source.query("UPDATE rounds SET note = 'r' || round::VARCHAR");
      await source.query("INSERT INTO round_notes VALUES (?, 0, 'first'), (?, 1, 'second')", [runId!, runId!]);
      await writeRunFolder(source, runId!, out);
    } finally {
      await source.close();
    }
    expect(Object.keys(JSON.parse(readFileSync(join(out, runId!, "manifest.json"), "utf8")).tables)).toContain("round_notes");
    await withStore(async (store) => {
      await later(store);
      await ingestRunFolder(store, join(out, runId!));
      expect(await store.query("SELECT round, note FROM rounds ORDER BY round")).toEqual([{ round: 0, note: "r0" }, { round: 1, note: "r1" }]);
      expect(await store.query("SELECT round, text FROM round_notes ORDER BY round")).toEqual([{ round: 0, text: "first" }, { round: 1, text: "second" }]);
    });
    // A store without the new table refuses the folder by name rather than drop its rows.
    await withStore(async (store) => {
      await expect(ingestRunFolder(store, join(out, runId!))).rejects.toThrow("lists round_notes.parquet, a table this store does not have");
    });
  });
});
