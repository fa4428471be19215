/**
 * Writes fixtureRounds() as Parquet, the same format the real `quickstart.parquet` loader
 * emits. Run as a script it writes the bytes to stdout, so it can stand in for that loader:
 *   tsx test/site/fixture-parquet.ts > quickstart.parquet
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { fixtureRounds } from "./fixture.ts";

export async function fixtureParquetBytes(): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "al-fixture-"));
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const json = join(dir, "rounds.json");
    const out = join(dir, "rounds.parquet");
    await writeFile(json, JSON.stringify(fixtureRounds()));
    // Integer columns are BIGINT (as DuckDB would store counts), so readers must cope with
    // INT64 → BigInt; metrics and timings are DOUBLE.
    await conn.run(
      `COPY (SELECT * FROM read_json(${sqlString(json)}, columns = {
         experiment: 'VARCHAR', run_id: 'VARCHAR', dataset: 'VARCHAR', learner: 'VARCHAR',
         sampler: 'VARCHAR', mode: 'VARCHAR', seed: 'BIGINT', round: 'BIGINT', labelled: 'BIGINT',
         accuracy: 'DOUBLE', macro_f1: 'DOUBLE', train_seconds: 'DOUBLE', score_seconds: 'DOUBLE',
         select_seconds: 'DOUBLE', evaluate_seconds: 'DOUBLE', backend: 'VARCHAR'
       }) ORDER BY sampler, mode, seed, round) TO ${sqlString(out)} (FORMAT parquet)`,
    );
    return new Uint8Array(await readFile(out));
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(await fixtureParquetBytes());
}
