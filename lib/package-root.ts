/**
 * The al-lab package's own directory (where package.json, data/ and src/ live), found by walking
 * up from this module: the same code runs from lib/ in a checkout and from dist/lib/ in an
 * installed package, so a fixed number of "../" would be wrong in one of them.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === "al-lab") return dir;
    if (dirname(dir) === dir) throw new Error(`al-lab: no package.json named "al-lab" above ${start}; reinstall the package`);
  }
}

export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** package.json's fields this code reads. */
export const packageJson = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { name: string; version: string };
