/**
 * The survey's strategies on a built report (test/site/fixture-store.ts `strategiesSpec`): label
 * dispersion, suggestive annotation, CEAL, VAAL and loss prediction beside random, each run by
 * `al run` into the harness's store. The comparison page draws one curve and one legend entry
 * per sampler; the diagnostics page draws CEAL's pseudo-label count and accuracy, which only its
 * run stores. With a label cost (1.5 each) the comparison's table follows the annotation-cost
 * axis: its reach column becomes the cost to reach the target.
 */
import { describe, expect, it } from "vitest";
import { STRATEGIES, strategiesSpec } from "../../site/fixture-store.ts";
import { builtRounds, open, RENDER_TIMEOUT_MS, SLOW, tableRows } from "../harness.ts";

const LINES = 'figure svg g[aria-label="line"] path';
const PANEL_LINES = '.diagnostic-panels g[aria-label="line"] path';
const names = strategiesSpec.samplers.map((s) => (typeof s === "string" ? s : s.name)).sort();

describe("the survey's strategies on the report site", () => {
  it("comparison: a curve and a legend entry per strategy, random beside them", SLOW, async () => {
    const rows = (await builtRounds(STRATEGIES)).filter((r) => r.kind === "al");
    expect([...new Set(rows.map((r) => r.sampler))].sort()).toEqual(names);
    const { page, problems } = await open(`/experiments/${STRATEGIES}.html`, LINES);
    expect(await page.locator(LINES).count()).toBe(names.length);
    expect((await page.locator("figure [class$='-swatch']").allTextContents()).sort()).toEqual(names);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("comparison: the annotation-cost axis turns the table's reach into cost, areas unchanged at a constant cost", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${STRATEGIES}.html`, "table tbody tr");
    const target = page.getByLabel("Target");
    // A target of 0 is reached by the initial set: 20 labels, 30 at 1.5 each.
    await target.fill("0");
    await target.dispatchEvent("input");
    await expect.poll(async () => (await tableRows(page)).map((r) => r["Labels to reach"]), { timeout: RENDER_TIMEOUT_MS }).toEqual(names.map(() => "20"));
    const byCount = (await tableRows(page)).map((r) => r["Area [95% CI]"]);
    await page.getByLabel("Annotation cost").check();
    await expect.poll(async () => (await tableRows(page)).map((r) => r["Cost to reach"]), { timeout: RENDER_TIMEOUT_MS }).toEqual(names.map(() => "30.0"));
    // A constant cost only rescales x: the normalised areas are the same.
    expect((await tableRows(page)).map((r) => r["Area [95% CI]"])).toEqual(byCount);
    expect(await page.getByText("Areas over annotation cost").count()).toBe(1);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("diagnostics: CEAL's pseudo-label panels, from the ceal run's rounds only", SLOW, async () => {
    const rows = (await builtRounds(STRATEGIES)).filter((r) => r.kind === "al");
    const counted = rows.filter((r) => typeof r.pseudo_labels === "number");
    expect(new Set(counted.map((r) => r.sampler))).toEqual(new Set(["ceal"]));
    // Round 0 has none; the loose threshold gives the later fits some.
    expect(counted.some((r) => (r.pseudo_labels as number) > 0)).toBe(true);
    // (Not a line to wait for: on this tiny grid the first panel's lines may be flat, and a
    // zero-height path never counts as visible.)
    const { page, problems } = await open(`/experiments/${STRATEGIES}/diagnostics.html`, "figure.diagnostic-panel");
    expect(await page.locator(PANEL_LINES).count()).toBeGreaterThan(0);
    const metrics = await page.locator("figure.diagnostic-panel").evaluateAll((figs) => figs.map((f) => f.getAttribute("data-metric")));
    expect(metrics).toContain("pseudo_labels");
    expect(metrics).toContain("pseudo_label_accuracy");
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
