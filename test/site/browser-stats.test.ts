import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { friedmanTest } from "../../lib/al/stats/friedman.ts";
import { labelsToReach } from "../../lib/al/curves/labels-to-reach.ts";
import { wilcoxonSignedRank } from "../../lib/al/stats/wilcoxon.ts";
import { writeBrowserStats } from "../../lib/site/browser-stats.ts";
// Mapped by vitest.config.ts to lib/site/browser-stats-entry.ts, as components import it.
import * as viaAlias from "../../src/components/al-stats.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("writeBrowserStats", () => {
  it("bundles the statistics into one import-free module that computes what lib/al does", async () => {
    const root = await mkdtemp(join(tmpdir(), "al-stats-"));
    dirs.push(root);
    const out = await writeBrowserStats(root);
    expect(out).toBe(join(root, "components", "al-stats.js"));
    const text = await readFile(out, "utf8");
    expect(text).not.toMatch(/^\s*import\b|\brequire\(/m);
    const bundled = await import(pathToFileURL(out).href);
    const scores = [[0.8, 0.7, 0.6], [0.9, 0.85, 0.5], [0.7, 0.75, 0.65], [0.95, 0.9, 0.7]];
    expect(bundled.friedmanTest(scores)).toEqual(friedmanTest(scores));
    const a = [0.81, 0.77, 0.9, 0.66, 0.72];
    const b = [0.8, 0.7, 0.85, 0.6, 0.74];
    expect(bundled.wilcoxonSignedRank(a, b)).toEqual(wilcoxonSignedRank(a, b));
    expect(bundled.labelsToReach([20, 30, 40], [0.5, 0.7, 0.9], 0.8)).toBe(labelsToReach([20, 30, 40], [0.5, 0.7, 0.9], 0.8));
    expect(bundled.labelsToReach([20, 30, 40], [0.5, 0.7, 0.9], 0.8)).toBe(35);
  });

  it("leaves an unchanged bundle untouched (dev's watcher would otherwise reload every page)", async () => {
    const root = await mkdtemp(join(tmpdir(), "al-stats-"));
    dirs.push(root);
    const out = await writeBrowserStats(root);
    const before = (await stat(out)).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await writeBrowserStats(root);
    expect((await stat(out)).mtimeMs).toBe(before);
  });

  it("is what component tests import as al-stats.js", () => {
    expect(viaAlias.friedmanTest).toBe(friedmanTest);
  });
});
