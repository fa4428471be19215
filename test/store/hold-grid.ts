/**
 * Child process for the snapshot tests: opens the store at argv[2] for writing as a running grid
 * would, begins one run of experiment argv[3] and stores its round 0, says "ready", and holds the
 * store until its parent kills it (or 60 s pass, so a crashed test leaves nothing behind).
 */
import { openStore } from "../../lib/store/duckdb.ts";
import { roundRecords, runRecord, spec } from "./fixtures.ts";

const HELD_RUN_ID = "0123456789abcdef";

const [path, experiment = spec.name] = process.argv.slice(2);
if (path === undefined) throw new Error("usage: hold-grid.ts <store path> [experiment]");
const store = await openStore(path, { snapshotIntervalMs: 0 });
const known = await store.query("SELECT 1 FROM experiments WHERE name = ?", [experiment]);
if (known.length === 0) await store.saveExperiment({ ...spec, name: experiment }, `experiments/${experiment}.ts`, [HELD_RUN_ID]);
await store.beginRun({ ...runRecord(HELD_RUN_ID, "entropy"), experiment, config: { ...runRecord(HELD_RUN_ID, "entropy").config, experiment } });
await store.writeRound(roundRecords(HELD_RUN_ID)[0]!);
// Snapshot now, so no rate-limited one is pending: the store then stays as it is while held.
await store.snapshot();
process.stdout.write("ready\n");
setTimeout(() => void store.close(), 60_000);
