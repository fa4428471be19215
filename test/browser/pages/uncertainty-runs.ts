/**
 * Browser checks of two report pages (imported by test/browser/site.test.ts, which builds the
 * site once): the uncertainty histograms (bars per sampler, a round slider that changes them)
 * and the Runs page (every run in the table, no failures, phase times, a run's config on click).
 */
import { describe, expect, it } from "vitest";
import { TWO_DATASETS, twoDatasetsSpec } from "../../site/fixture-store.ts";
import { open, RENDER_TIMEOUT_MS, SLOW } from "../harness.ts";

const BINS = 20;

describe("uncertainty and runs pages", () => {
  it("draws the quickstart's pool and batch histograms per sampler; the round slider changes them", SLOW, async () => {
    const { page, problems } = await open("/experiments/quickstart/uncertainty.html", `g.histogram-pool rect:not([height="0"])`);
    const panels = await page.locator('g[aria-label="fy-axis tick label"] text').allTextContents();
    expect(panels.length).toBeGreaterThan(1); // one per sampler (random first)
    expect(panels[0]).toBe("random");
    expect(await page.locator("g.histogram-pool rect").count()).toBe(panels.length * BINS);
    expect(await page.locator("g.histogram-batch rect").count()).toBe(panels.length * BINS);
    const heights = () => page.locator("g.histogram-pool rect, g.histogram-batch rect").evaluateAll((rects) => rects.map((r) => r.getAttribute("height")).join(","));
    const before = await heights();
    // Inputs.range: a number box beside the slider; moving to round 1 redraws the bars.
    const slider = page.locator('input[type="range"]');
    expect(await slider.count()).toBe(1);
    expect(await slider.getAttribute("step")).toBe("1");
    await slider.fill("1");
    await expect.poll(heights, { timeout: RENDER_TIMEOUT_MS }).not.toBe(before);
    expect(await page.locator("g.histogram-pool rect").count()).toBe(panels.length * BINS);
    // Mode is picked, never pooled: a select offers the quickstart's two modes.
    const mode = page.locator("select", { has: page.locator("option", { hasText: "keep-train" }) });
    expect(await mode.count()).toBe(1);
    const atRound1 = await heights();
    await mode.selectOption({ label: "keep-train" });
    await expect.poll(heights, { timeout: RENDER_TIMEOUT_MS }).not.toBe(atRound1);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("lists every two-data-set run, no failures, phase times, and a picked run's config as text", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${TWO_DATASETS}/runs.html`, ".phase-times svg");
    const { dataset, samplers, seeds, baselines } = twoDatasetsSpec;
    const al = dataset.length * samplers.length * seeds.length;
    const base = dataset.length * baselines.length * seeds.length;
    await page.getByText(`${al + base} runs: ${al + base} done, 0 failed, 0 running (${al} active-learning runs, ${base} naive baselines).`).waitFor();
    // No failure entries, and the section says so.
    expect(await page.locator(".run-failures li").count()).toBe(0);
    await page.getByText("No run failed.").waitFor();
    // The table: one row per run (plus the header); baselines named by their share.
    const table = page.locator("form table, table").first();
    expect(await table.locator("tbody tr").count()).toBe(al + base);
    const cells = await table.locator("tbody tr td").allTextContents();
    expect(cells.filter((c) => c === "baseline 10%")).toHaveLength(base);
    for (const s of samplers) expect(cells.filter((c) => c === s)).toHaveLength(al / samplers.length);
    // Phase times: one chart per data set, stacked bars present.
    expect(await page.locator(".phase-times p.phase-setting").allTextContents()).toEqual(["dataset: diabetes", "dataset: noisy-blobs"]);
    expect(await page.locator('.phase-times g[aria-label="bar"] rect').count()).toBeGreaterThan(0);
    // Searching narrows the table; picking a row shows that run's config.
    await page.getByPlaceholder("Search runs…").fill("margin");
    await expect.poll(() => table.locator("tbody tr").count(), { timeout: RENDER_TIMEOUT_MS }).toBe(al / samplers.length);
    const id = (await table.locator("tbody tr").first().locator("td").nth(1).textContent())!.trim();
    await table.locator("tbody tr").first().locator("input").check();
    const pre = page.locator("pre.run-config");
    await expect.poll(() => pre.getAttribute("data-run-id"), { timeout: RENDER_TIMEOUT_MS }).toBe(id);
    const shown = JSON.parse((await pre.textContent())!);
    expect(shown.run_id).toBe(id);
    expect(shown.config.sampler.name).toBe("margin");
    expect(shown.provenance.backend).toBe("wasm");
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
