/**
 * The reproduction pages (src/reproductions/) in Chromium, on the shipped results
 * (results/published): the noisy-blobs page's table shows exactly what lib/reproduce computes
 * from the shipped Parquet beside the experiment file's paper values, its charts draw, and the
 * index lists the study with its headline and links to it.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reproduction } from "../../../experiments/reproductions/noisy-blobs.ts";
import { readPublished } from "../../../lib/reproduce/publish.ts";
import { comparisons } from "../../../lib/reproduce/verdict.ts";
import { publishedStudies } from "../../../src/data/reproduction-data.ts";
import { outdatedRevisions } from "../../../lib/revisions.ts";
import { open, SLOW } from "../harness.ts";

const root = join(import.meta.dirname, "../../..");

describe("reproduction pages", () => {
  it("noisy-blobs: the AUC table is the shipped numbers beside the paper's; dots and curves draw", SLOW, async () => {
    const published = await readPublished("results/published/noisy-blobs/full");
    const expected = comparisons(reproduction.paper.map((p) => ({ ...p, setting: p.setting ?? "all" })), published.measures).filter((c) => c.measure === "auc");
    const { page, problems } = await open("/reproductions/noisy-blobs.html", "table.paper-comparison tbody tr");
    const rows = await page.locator("table.paper-comparison").first().locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[6]])).toEqual(
      expected.map((c) => [c.setting, c.sampler, c.paper.toFixed(1), `${c.mean!.toFixed(1)} ± ${c.sd!.toFixed(1)}`, c.inside ? "yes" : "no"]),
    );
    // Two measures × two settings of dot plots, one curve chart per setting (8 samplers each).
    await expect.poll(() => page.locator("svg").count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('g[aria-label="line"] path').count()).toBe(16);
    const facts = await page.locator("main").textContent();
    expect(facts).toContain(`${published.meta.runs} runs`);
    expect(facts).toContain("Kendall τ");
    expect(facts).toMatch(/Code revisions: data 1, learners\.random-forest 2, loop 1, .*samplers\.wkmeans 2 \(current\)\./);
    expect(await page.locator("p.warning").count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a study computed by code revised since says so, naming what changed", SLOW, async () => {
    // bayesian-mnist's shipped runs record their CNN's revision; the warning follows the meta.
    const published = await readPublished("results/published/bayesian-mnist/local");
    const outdated = outdatedRevisions(published.meta.revisions!);
    const { page, problems } = await open("/reproductions/bayesian-mnist.html", "table.paper-comparison tbody tr");
    const warning = page.locator("p.warning");
    expect(await warning.count()).toBe(outdated.length > 0 ? 1 : 0);
    for (const o of outdated) expect(await warning.textContent()).toContain(`${o.component} (revision ${o.recorded}; the code is at ${o.current})`);
    if (outdated.length > 0) expect(await warning.textContent()).toContain("al reproduce experiments/reproductions/bayesian-mnist.ts --profile local");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the index lists each shipped study with its headline and links to its page", SLOW, async () => {
    const { page, problems } = await open("/reproductions/index.html", "table.reproductions tbody tr");
    const rows = page.locator("table.reproductions tbody tr");
    // One row per shipped study, in name order.
    expect(await rows.count()).toBe(publishedStudies(join(root, "results/published")).length);
    const cells = await rows.filter({ hasText: reproduction.title }).locator("td").allTextContents();
    expect(cells.slice(0, 3)).toEqual([reproduction.title, "auc of IWKMeans (low-dim)", "48.1"]);
    await page.locator("table.reproductions a", { hasText: reproduction.title }).click();
    await page.waitForSelector("table.paper-comparison");
    expect(page.url()).toMatch(/\/reproductions\/noisy-blobs\.html$/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
