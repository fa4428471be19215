/**
 * The Diagnostics page of both reports in headless Chromium (test/browser/harness.ts): one line
 * per sampler × diagnostic panel for the picked setting, a stopping table with a row per
 * sampler × rule, the advisor's messages as text, and a data set / mode picker that changes them.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { metricCatalogue } from "../../../lib/al/metrics/index.ts";
import { TWO_DATASETS } from "../../site/fixture-store.ts";
import { buildSite, builtRounds, open, RENDER_TIMEOUT_MS, SLOW } from "../harness.ts";
import type { ParsedRound } from "../../../src/components/read-rounds.ts";
import type { AnalysisData, PackedAnalysisData } from "../../../src/data/analysis-rows.ts";
import { readAnalysisEntries, unpackAnalysis } from "../../../src/components/analysis-data.ts";

const PANEL_LINES = '.diagnostic-panels g[aria-label="line"] path';
const DIAGNOSTICS = metricCatalogue.filter((m) => m.scope !== "test").map((m) => m.key);

/** The analysis files (JSON and Parquet) as the site shipped them, joined as the page joins them. */
async function builtAnalysis(experiment: string): Promise<AnalysisData> {
  const dir = join(await buildSite(), "_file", "data", "experiments", experiment);
  const files = await readdir(dir);
  const json = files.find((f) => /^analysis\.[0-9a-f]+\.json$/.test(f));
  const parquet = files.find((f) => /^analysis\.[0-9a-f]+\.parquet$/.test(f));
  if (!json || !parquet) throw new Error(`no analysis json and parquet in ${dir}`);
  const bytes = await readFile(join(dir, parquet));
  const entries = await readAnalysisEntries(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return unpackAnalysis(JSON.parse(await readFile(join(dir, json), "utf8")) as PackedAnalysisData, entries);
}

/** Diagnostics with a value in these rows, in catalogue order. */
const presentIn = (rows: readonly ParsedRound[]) => DIAGNOSTICS.filter((k) => rows.some((r) => typeof r[k] === "number" && Number.isFinite(r[k])));

const panelLines = (page: Page) => page.locator(PANEL_LINES).evaluateAll((paths) => paths.map((p) => p.getAttribute("d") ?? ""));
const panelMetrics = (page: Page) => page.locator("figure.diagnostic-panel").evaluateAll((figs) => figs.map((f) => f.getAttribute("data-metric")));
const tableText = (page: Page) => page.locator(".stopping-table tbody").textContent();

describe("diagnostics page", () => {
  it("two-datasets: panels per diagnostic of the picked data set, stopping rows, advice; the data set picker changes them", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${TWO_DATASETS}/diagnostics.html`, PANEL_LINES);
    const rows = (await builtRounds(TWO_DATASETS)).filter((r) => r.kind === "al");
    const analysis = await builtAnalysis(TWO_DATASETS);
    const samplers = new Set(rows.map((r) => r.sampler)).size;
    const diabetes = presentIn(rows.filter((r) => r.dataset === "diabetes"));
    const blobs = presentIn(rows.filter((r) => r.dataset === "noisy-blobs"));
    // The fixture: noisy-blobs records label noise, diabetes does not; no reference classifier.
    expect(blobs).toContain("noisy_ratio");
    expect(diabetes).not.toContain("noisy_ratio");
    expect(diabetes).not.toContain("easiness");

    // diabetes is picked first.
    await expect.poll(() => panelMetrics(page)).toEqual(diabetes);
    expect(await page.locator(PANEL_LINES).count()).toBe(samplers * diabetes.length);
    // Absent diagnostics are listed with a reason.
    expect(await page.locator(".diagnostics-absent li").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^noisy_ratio — .*noise/), expect.stringMatching(/^easiness — .*reference/)]),
    );
    // One stopping row per sampler × rule; the table's fired counts are out of the 2 seeds.
    expect(await page.locator(".stopping-table tbody tr").count()).toBe(samplers * analysis.rules.length);
    expect(await page.locator(".stopping-table tbody tr td:nth-child(3)").allTextContents()).toEqual(Array(samplers * analysis.rules.length).fill(expect.stringMatching(/^[0-2] of 2$/)));
    // The stopping chart: one mean curve per sampler.
    expect(await page.locator('.card g[aria-label="line"] path').count()).toBe(samplers * diabetes.length + samplers);

    // The advisor's messages for the default run (margin, first seed), as stored.
    const run = analysis.runs.find((r) => r.dataset === "diabetes" && r.sampler === "margin" && r.seed === 1)!;
    const reasons = await page.locator(".advice-list .advice-reason").allTextContents();
    expect(reasons).toEqual([...new Set(run.advice.map((a) => a.reason))]);
    expect(reasons.length).toBeGreaterThan(0);

    const before = { lines: await panelLines(page), table: await tableText(page) };
    const picker = page.locator("select", { has: page.locator("option", { hasText: "noisy-blobs" }) });
    await picker.selectOption({ label: "noisy-blobs" });
    await expect.poll(() => panelMetrics(page), { timeout: RENDER_TIMEOUT_MS }).toEqual(blobs);
    expect(await page.locator(PANEL_LINES).count()).toBe(samplers * blobs.length);
    expect(await panelLines(page)).not.toEqual(before.lines.slice(0, samplers * blobs.length));
    const other = analysis.runs.find((r) => r.dataset === "noisy-blobs" && r.sampler === "margin" && r.seed === 1)!;
    await expect.poll(() => page.locator(".advice-list .advice-reason").allTextContents()).toEqual([...new Set(other.advice.map((a) => a.reason))]);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(await page.locator(".advice-list script, .stopping-table script").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("quickstart: one mode at a time, easiness from its reference classifier; the mode picker changes the values", SLOW, async () => {
    const { page, problems } = await open("/experiments/quickstart/diagnostics.html", PANEL_LINES);
    const rows = (await builtRounds("quickstart")).filter((r) => r.kind === "al");
    const samplers = new Set(rows.map((r) => r.sampler)).size;
    const retrain = presentIn(rows.filter((r) => r.mode === "retrain"));
    expect(retrain).toContain("easiness");
    await expect.poll(() => panelMetrics(page)).toEqual(retrain);
    expect(await page.locator(PANEL_LINES).count()).toBe(samplers * retrain.length);
    expect(await page.locator(".stopping-table tbody tr").count()).toBe(samplers * (await builtAnalysis("quickstart")).rules.length);
    expect(await page.locator(".advice-list li").count()).toBeGreaterThan(0);

    const before = await panelLines(page);
    await page.locator("select", { has: page.locator("option", { hasText: "keep-train" }) }).selectOption({ label: "keep-train" });
    await expect.poll(() => panelLines(page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(before);
    expect(await page.locator(PANEL_LINES).count()).toBe(samplers * presentIn(rows.filter((r) => r.mode === "keep-train")).length);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("is readable at 400 px: panels stack in one column", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${TWO_DATASETS}/diagnostics.html`, PANEL_LINES, { width: 400 });
    const widths = await page.locator("figure.diagnostic-panel").evaluateAll((figs) => figs.map((f) => f.getBoundingClientRect()));
    expect(new Set(widths.map((w) => Math.round(w.left))).size).toBe(1);
    expect(Math.max(...widths.map((w) => w.right))).toBeLessThanOrEqual(400);
    expect(problems).toEqual([]);
  });
});
