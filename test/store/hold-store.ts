/**
 * Child process for the lock test: opens the store at argv[2] for writing, says "ready", and
 * holds it until its parent kills it (or 60 s pass, so a crashed test leaves nothing behind).
 */
import { openStore } from "../../lib/store/duckdb.ts";

const path = process.argv[2];
if (path === undefined) throw new Error("usage: hold-store.ts <store path>");
const store = await openStore(path);
process.stdout.write("ready\n");
setTimeout(() => void store.close(), 60_000);
