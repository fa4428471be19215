/**
 * The Rankings page (src/rankings.md) in Chromium, on the harness's store: the quickstart (one
 * data set, one seed, 4 samplers × 2 modes) and two-datasets (2 data sets × random, margin × 2
 * seeds). Two-datasets ranked over data set × seed blocks gives a CD diagram with one tick per
 * sampler and Friedman's p; the quickstart has one block, and the page says so; the metric picker
 * changes the numbers.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { TWO_DATASETS } from "../../site/fixture-store.ts";
import { open, RENDER_TIMEOUT_MS, SLOW } from "../harness.ts";

/**
 * Ticks exactly the given boxes of the checkbox group labelled `group`. A pick re-renders the
 * controls that depend on it, so the group is looked up afresh for every click, and done only once
 * it has stayed right for a moment.
 */
async function tickOnly(page: Page, group: string, labels: string[]): Promise<void> {
  let settled = 0;
  await expect.poll(async () => {
    const boxes = page.locator("form", { has: page.locator("label", { hasText: new RegExp(`^${group}$`) }) }).first().locator("input[type=checkbox]");
    const states = await boxes.evaluateAll((bs) => bs.map((b) => [(b.parentElement?.textContent ?? "").trim(), (b as HTMLInputElement).checked] as const));
    const wrong = states.findIndex(([label, checked]) => labels.includes(label) !== checked);
    if (wrong < 0 && states.length > 0) return ++settled >= 3;
    settled = 0;
    if (wrong >= 0) await boxes.nth(wrong).click({ timeout: 5_000 }).catch(() => {});
    return false;
  }, { timeout: RENDER_TIMEOUT_MS, interval: 150 }).toBe(true);
}

/** With AL_SITE_SCREENSHOTS, keeps a screenshot of the page as the checks left it. */
async function keep(page: Page, name: string): Promise<void> {
  if (process.env.AL_SITE_SCREENSHOTS) await page.screenshot({ path: join(process.env.AL_SITE_SCREENSHOTS, `${name}.png`), fullPage: true });
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
    await keep(page, "rankings-two-datasets-log-loss");

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
    // One mode is picked (the quickstart ran two)…
    const modePicker = page.locator("select", { has: page.locator("option", { hasText: /^mode retrain$/ }) });
    expect(await modePicker.count()).toBe(1);
    // …until modes are methods: 4 samplers × 2 modes, still one block, and no mode picker left.
    await page.getByLabel("Sampler × mode").check();
    await expect.poll(() => tableText(page)).toHaveLength(8);
    await expect.poll(() => modePicker.count()).toBe(0);
    await keep(page, "rankings-quickstart-modes");
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("fits a 400 px screen: the CD diagram and the tables stay inside the page", SLOW, async () => {
    const { page, problems } = await open("/rankings.html", "svg.cd-diagram g.cd-sampler", { width: 400 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await page.locator("svg.cd-diagram").boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(400);
    // Every sampler label is inside the diagram.
    const inside = await page.locator("svg.cd-diagram").evaluate((svg) => {
      const outer = svg.getBoundingClientRect();
      return [...svg.querySelectorAll("g.cd-sampler text")].every((t) => {
        const r = t.getBoundingClientRect();
        return r.left >= outer.left - 0.5 && r.right <= outer.right + 0.5;
      });
    });
    expect(inside).toBe(true);
    expect(problems).toEqual([]);
  });
});
