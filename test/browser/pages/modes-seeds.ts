/**
 * Browser checks of a report's "Retrain vs keep-train" and "Seed variance" pages
 * (src/experiments/[experiment]/modes.md, seeds.md) on the harness's two experiments.
 */
import { describe, expect, it } from "vitest";
import { TWO_DATASETS } from "../../site/fixture-store.ts";
import { builtRounds, linePaths, open, RENDER_TIMEOUT_MS, SLOW } from "../harness.ts";

const distinct = (values: unknown[]): string[] => [...new Set(values.map(String))].sort();

describe("report sub-pages: modes and seeds", () => {
  it("quickstart modes: paired lines per sampler × mode, the difference, the time chart and table", SLOW, async () => {
    const { page, problems } = await open("/experiments/quickstart/modes.html", 'figure svg g[aria-label="line"] path');
    const rows = (await builtRounds("quickstart")).filter((r) => r.kind === "al");
    const samplers = distinct(rows.map((r) => r.sampler));
    const modes = distinct(rows.map((r) => r.mode));
    expect(modes).toEqual(["keep-train", "retrain"]);
    await page.waitForSelector("table tr");
    const chart = (id: string) => page.locator(`[data-chart="${id}"] svg[class^="plot"]`);
    const linesIn = (id: string) => chart(id).locator('g[aria-label="line"] path').count();
    await chart("time-curve").waitFor();
    expect(await linesIn("paired-curves")).toBe(samplers.length * modes.length);
    // One panel title per sampler in the paired and the difference charts.
    expect((await chart("paired-curves").locator('g[aria-label="text"] text').allTextContents()).sort()).toEqual(samplers);
    expect((await chart("mode-difference").locator('g[aria-label="text"] text').allTextContents()).sort()).toEqual(samplers);
    expect(await linesIn("mode-difference")).toBe(samplers.length);
    expect(await chart("mode-difference").locator('g[aria-label="rule"] line').count()).toBeGreaterThan(0);
    expect(await linesIn("time-curve")).toBe(samplers.length * modes.length);
    // The time table: one row per sampler × mode, keep-train rows with a saving in %.
    const table = page.locator("table");
    expect(await table.locator("tr").count()).toBe(samplers.length * modes.length + 1);
    // Inputs.table leads each row with its (empty) selection cell: columns start at 1.
    const savings = await table.locator("tr").evaluateAll((trs) => trs.slice(1).map((tr) => [tr.children[2]?.textContent ?? "", tr.children[5]?.textContent ?? ""]));
    for (const [mode, saving] of savings) expect(saving!).toMatch(mode === "keep-train" ? /^-?\d+\.\d%$/ : /^—$/);
    // Unticking a sampler removes its pair of lines.
    await page.getByLabel(samplers[0]!, { exact: true }).uncheck();
    await expect.poll(() => linesIn("paired-curves"), { timeout: RENDER_TIMEOUT_MS }).toBe((samplers.length - 1) * modes.length);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("two-datasets modes: says only retrain ran and still shows the time table", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${TWO_DATASETS}/modes.html`, "table tr");
    await page.getByText("This experiment ran only retrain: nothing to compare").waitFor();
    // No paired or difference chart; the time chart has one line per sampler.
    expect(await page.locator("[data-chart]").evaluateAll((els) => els.map((e) => e.getAttribute("data-chart")))).toEqual(["time-curve"]);
    expect(await page.locator('[data-chart="time-curve"] g[aria-label="line"] path').count()).toBe(2);
    expect(await page.locator("table tr").count()).toBe(3);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("two-datasets seeds: one line per sampler × seed for the picked data set; the picker changes them", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${TWO_DATASETS}/seeds.html`, 'figure svg g[aria-label="line"] path');
    const rows = (await builtRounds(TWO_DATASETS)).filter((r) => r.kind === "al");
    const samplers = distinct(rows.map((r) => r.sampler));
    const seeds = distinct(rows.map((r) => r.seed));
    expect([samplers.length, seeds.length]).toEqual([2, 2]);
    const chart = (id: string) => page.locator(`[data-chart="${id}"] svg[class^="plot"]`);
    const lines = () => chart("seed-curves").locator('g[aria-label="line"] path').count();
    expect(await lines()).toBe(samplers.length * seeds.length);
    // Final values: one dot per run of the picked data set.
    expect(await chart("final-distribution").locator('g[aria-label="dot"] circle').count()).toBe(samplers.length * seeds.length);
    // Bump chart: one line per sampler.
    expect(await chart("ranking").locator('g[aria-label="line"] path').count()).toBe(samplers.length);
    // Ranking: a per-seed table row each and a sentence on the mean ranking.
    await page.getByText(/retrain: mean ranking /).waitFor();
    expect(await page.locator("table").last().locator("tr").count()).toBe(seeds.length + 1);
    const before = await linePaths(page);
    const picker = page.locator("select", { has: page.locator("option", { hasText: "noisy-blobs" }) });
    await picker.selectOption({ label: "noisy-blobs" });
    await expect.poll(() => linePaths(page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(before);
    expect(await lines()).toBe(samplers.length * seeds.length);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("quickstart seeds: says there is one seed", SLOW, async () => {
    const { page, problems } = await open("/experiments/quickstart/seeds.html", 'figure svg g[aria-label="line"] path');
    await page.getByText(/This experiment ran one seed \(\d+\)/).waitFor();
    await page.getByText("One seed: its ranking is the mean ranking").waitFor();
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
