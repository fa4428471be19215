/**
 * The README's Reproductions table is the shipped results, not a copy that drifts: each row's
 * headline, our number, the paper's and the verdict are recomputed from results/published and
 * the study's experiment file, and every shipped study has a row.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { headlineText } from "../../lib/reproduce/verdict.ts";
import { publishedStudies, studyPage } from "../../src/data/reproduction-data.ts";

const root = join(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("\n## Reproductions\n"), readme.indexOf("\n## ", readme.indexOf("\n## Reproductions\n") + 5));
const rows = section
  .split("\n")
  .filter((l) => l.startsWith("| [") )
  .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));

describe("README Reproductions table", () => {
  it("has one row per shipped study, each recomputed from its shipped files", async () => {
    const studies = publishedStudies(join(root, "results/published"));
    expect(studies.length).toBeGreaterThan(0);
    expect(rows.map((r) => /\(experiments\/reproductions\/([a-z0-9._-]+)\.ts\)/.exec(r[0]!)?.[1])).toEqual(studies);
    for (const [i, study] of studies.entries()) {
      const page = await studyPage(study, join(root, "results/published"));
      const h = page.headline;
      const text = headlineText(h);
      expect(rows[i]!.slice(1)).toEqual([h.label, text.ours, text.paper, h.verdict]);
    }
  });

  it("the noisy-blobs summary counts what the shipped files say", async () => {
    const page = await studyPage("noisy-blobs", join(root, "results/published"));
    const inside = page.comparisons.filter((c) => c.inside).length;
    expect(section).toContain(`${inside} of the paper's ${page.comparisons.length} values`);
    const worst = Math.max(...page.comparisons.filter((c) => c.measure === "auc").map((c) => Math.abs(c.difference!)));
    expect(section).toContain(`all AUCs are within ${worst.toFixed(1)} points`);
    expect(section).toContain(`(${page.meta.runs} runs,`);
  });
});
