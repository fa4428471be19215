/**
 * The Rankings page (src/rankings.md) in Chromium, on the harness's store: the quickstart (one
 * data set, one seed, 4 samplers × 2 modes) and two-datasets (2 data sets × random, margin × 2
 * seeds). Two-datasets ranked over data set × seed blocks gives a CD diagram with one tick per
 * sampler and Friedman's p; the quickstart has one block, and the page says so; the metric picker
 * changes the numbers.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { TWO_DATASETS } from "../../site/fixture-store.ts";
import { open, RENDER_TIMEOUT_MS, SLOW } from "../harness.ts";

/** Ticks exactly the given boxes of the checkbox group labelled `group`. */
async function tickOnly(page: Page, group: string, labels: string[]): Promise<void> {
  const form = page.locator("form", { has: page.locator("label", { hasText: new RegExp(`^${group}$`) }) }).first();
  for (const box of await form.locator("input[type=checkbox]").all()) {
    const label = (await box.evaluate((el) => el.parentElement?.textContent ?? "")).trim();
    if (labels.includes(label) !== (await box.isChecked())) await box.click();
  }
}

const tableText = (page: Page): Promise<string[]> => page.locator("table:not(.wtl-matrix) tbody tr").allTextContents();

describe("rankings page", () => {
  it("ranks two-datasets over data set × seed blocks: 2 sampler ticks, Friedman's p, a 2 × 2 W/T/L matrix", SLOW, async () => {
    const { page, problems } = await open("/rankings.html", "form");
    await tickOnly(page, "Experiments", [TWO_DATASETS]);
    await tickOnly(page, "Blocks", ["data set", "seed"]);
    await page.waitForSelector("svg.cd-diagram g.cd-sampler");
    expect(await page.locator("svg.cd-diagram g.cd-sampler").count()).toBe(2);
    expect((await page.locator("svg.cd-diagram g.cd-sampler").evaluateAll((gs) => gs.map((g) => g.getAttribute("data-method")))).sort()).toEqual(["margin", "random"]);
    await expect.poll(() => page.locator("p.ranking-blocks").textContent()).toMatch(/^4 complete blocks \(data set × seed\) ranked by the area under the accuracy curve/);
    expect(await page.locator("p.friedman").textContent()).toMatch(/over 4 blocks and 2 samplers: χ² = [\d.]+ \(df 1, tie-corrected\), p = [\d.e-]+\./);
    // Average ranks of 2 samplers sum to 3.
    const ranks = await page.locator("svg.cd-diagram g.cd-sampler").evaluateAll((gs) => gs.map((g) => Number(g.getAttribute("data-rank"))));
    expect(ranks[0]! + ranks[1]!).toBeCloseTo(3, 9);
    expect(await page.locator("table.wtl-matrix tbody tr").count()).toBe(2);
    // W/T/L over 4 blocks: each off-diagonal cell adds up to 4, and the two sides mirror.
    const cells = await page.locator("table.wtl-matrix tbody td").allTextContents();
    const [ab, ba] = [cells[1]!, cells[2]!].map((c) => c.split("/").map(Number));
    expect(ab!.reduce((a, b) => a + b, 0)).toBe(4);
    expect(ba).toEqual([ab![2], ab![1], ab![0]]);

    // Another metric changes the values (log loss: lower is better).
    const before = await tableText(page);
    expect(before).toHaveLength(2);
    const metric = page.locator("select", { has: page.locator("option", { hasText: /^log_loss$/ }) });
    await metric.selectOption({ label: "log_loss" });
    await expect.poll(() => tableText(page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(before);
    expect(await page.locator("p.ranking-blocks").textContent()).toMatch(/area under the log_loss curve \(lower is better\)/);
    expect(await page.locator("svg.cd-diagram g.cd-sampler").count()).toBe(2);

    // Blocks of data sets only: seed must be picked, so the blocks halve and a setting picker appears.
    await tickOnly(page, "Blocks", ["data set"]);
    await expect.poll(() => page.locator("p.ranking-blocks").textContent()).toMatch(/^2 complete blocks \(data set\)/);
    expect(await page.locator("select", { has: page.locator("option", { hasText: /^seed 2$/ }) }).count()).toBe(1);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("says plainly that the quickstart's one data set and one seed give fewer than 2 blocks", SLOW, async () => {
    const { page, problems } = await open("/rankings.html", "form");
    await tickOnly(page, "Experiments", ["quickstart"]);
    await tickOnly(page, "Blocks", ["data set"]);
    await expect.poll(() => page.locator("p.ranking-why").textContent()).toMatch(/^No test: fewer than 2 blocks \(1 complete block\)/);
    expect(await page.locator("p.cd-why").textContent()).toMatch(/fewer than 2 blocks/);
    expect(await page.locator("svg.cd-diagram").count()).toBe(0);
    // Still ranked within the one block: a row per sampler of the picked mode.
    expect(await tableText(page)).toHaveLength(4);
    await tickOnly(page, "Blocks", ["data set", "seed"]);
    await expect.poll(() => page.locator("p.ranking-blocks").textContent()).toMatch(/^1 complete block \(data set × seed\)/);
    expect(await page.locator("p.ranking-why").textContent()).toMatch(/fewer than 2 blocks/);
    // Modes as methods: 4 samplers × 2 modes, still one block.
    await page.getByLabel("Sampler × mode").check();
    await expect.poll(() => tableText(page)).toHaveLength(8);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
