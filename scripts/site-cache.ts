/**
 * Run before `observable build|preview` (npm run build / dev): fills Framework's npm cache from
 * node_modules so the site builds with no network, and deletes the cached loader outputs so every
 * loader reads the store as it is now (lib/site/offline-cache.ts); bundles the statistics pages
 * compute with into src/components/al-stats.js (lib/site/browser-stats.ts).
 *
 *   tsx scripts/site-cache.ts [--root src] [--keep-loader-cache]
 */
import { existsSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeBrowserStats } from "../lib/site/browser-stats.ts";
import { clearLoaderCache, prepareOfflineCache } from "../lib/site/offline-cache.ts";

const { values } = parseArgs({ options: { root: { type: "string", default: "src" }, "keep-loader-cache": { type: "boolean", default: false } } });
const root = values.root!;
const log = (line: string): void => void process.stderr.write(line + "\n");
if (!values["keep-loader-cache"]) clearLoaderCache(root);
await writeBrowserStats(root);
// Framework clears only an output folder inside the working directory; an earlier build into an
// AL_SITE_OUT outside it would make this one fail with "file conflict". Remove it when it is one
// of our builds (it has Framework's _observablehq folder), never an arbitrary folder.
const out = process.env.AL_SITE_OUT ? resolve(process.env.AL_SITE_OUT) : undefined;
if (out && relative(process.cwd(), out).startsWith("..") && existsSync(join(out, "_observablehq"))) {
  rmSync(out, { recursive: true, force: true });
  log(`removed the previous build in ${out}`);
}
const { versions, written } = await prepareOfflineCache(root, { log });
log(`offline npm cache: ${versions.length} packages resolved from node_modules${written.length > 0 ? `, ${written.length} files written` : ""}`);
