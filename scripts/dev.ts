/**
 * `npm run dev`: Framework's preview of the site, following the store. Fills the offline npm
 * cache first (lib/site/offline-cache.ts), marks the loaders stale (the store may have changed
 * since their output was cached), then watches the store ($AL_DB, default results/al.duckdb) and
 * touches the loaders whenever `al run` changes it (lib/site/store-watch.ts), so open pages show
 * new runs as they land. Arguments go to `observable preview` (e.g. -- --port 3001).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { writeBrowserStats } from "../lib/site/browser-stats.ts";
import { prepareOfflineCache } from "../lib/site/offline-cache.ts";
import { invalidateLoaders, watchStore } from "../lib/site/store-watch.ts";

const root = "src";
const db = process.env.AL_DB ?? "results/al.duckdb";
const log = (line: string): void => void process.stderr.write(line + "\n");

await writeBrowserStats(root);
await prepareOfflineCache(root, { log });
invalidateLoaders(root);
const stop = watchStore(db, root, {
  onInvalidate: (loaders) => log(`${db} changed: re-running ${loaders.map((l) => relative(root, l)).join(", ")}`),
});
log(`watching ${db} for new runs`);

const require = createRequire(import.meta.url);
const observable = join(dirname(require.resolve("@observablehq/framework/package.json")), "dist", "bin", "observable.js");
const child = spawn(process.execPath, [observable, "preview", ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void child.kill(signal));
child.once("exit", (code, signal) => {
  stop();
  process.exit(code ?? (signal ? 1 : 0));
});
