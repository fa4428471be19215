/**
 * Run before `observable build|preview` (npm run build / dev): fills Framework's npm cache from
 * node_modules so the site builds with no network, and deletes the cached loader outputs so every
 * loader reads the store as it is now (lib/site/offline-cache.ts); bundles the statistics pages
 * compute with into src/components/al-stats.js (lib/site/browser-stats.ts).
 *
 *   tsx scripts/site-cache.ts [--root src] [--keep-loader-cache]
 */
import { parseArgs } from "node:util";
import { writeBrowserStats } from "../lib/site/browser-stats.ts";
import { clearLoaderCache, prepareOfflineCache } from "../lib/site/offline-cache.ts";

const { values } = parseArgs({ options: { root: { type: "string", default: "src" }, "keep-loader-cache": { type: "boolean", default: false } } });
const root = values.root!;
const log = (line: string): void => void process.stderr.write(line + "\n");
if (!values["keep-loader-cache"]) clearLoaderCache(root);
await writeBrowserStats(root);
const { versions, written } = await prepareOfflineCache(root, { log });
log(`offline npm cache: ${versions.length} packages resolved from node_modules${written.length > 0 ? `, ${written.length} files written` : ""}`);
