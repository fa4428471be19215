/**
 * End-to-end check of the report site in headless Chromium (test/browser/harness.ts builds it
 * once from a store with two experiments): no console errors or failed requests, one line per
 * sampler × panel, the controls change the chart. Each page of a report has its checks in
 * test/browser/pages/<page>.ts, imported here so the whole site is built once.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { MC_FOLD, STRATEGIES, TWO_DATASETS, twoDatasetsSpec } from "../site/fixture-store.ts";
import "./pages/comparison.ts";
import "./pages/rankings.ts";
import "./pages/diagnostics.ts";
import "./pages/modes-seeds.ts";
import "./pages/uncertainty-runs.ts";
import "./pages/selections.ts";
import "./pages/mc-fold.ts";
import "./pages/strategies.ts";
import "./pages/layout.ts";
import "./pages/reproductions.ts";
import { buildSite, builtRounds, CDN, linePaths, listFiles, open, remoteModulePatterns, RENDER_TIMEOUT_MS, SLOW } from "./harness.ts";

describe("report site", () => {
  it("builds one report per stored experiment, without any CDN or remote module URL", SLOW, async () => {
    const dir = await buildSite();
    const offenders: string[] = [];
    for (const file of await listFiles(dir)) {
      if (![".html", ".js", ".css", ".json"].includes(extname(file))) continue;
      const text = await readFile(file, "utf8");
      for (const pattern of [CDN, ...remoteModulePatterns(extname(file))]) {
        const match = pattern.exec(text);
        if (match) offenders.push(`${relative(dir, file)}: ${match[0]}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(existsSync(join(dir, "experiments", "quickstart.html"))).toBe(true);
    expect(existsSync(join(dir, "experiments", `${TWO_DATASETS}.html`))).toBe(true);
  });

  it("lists every experiment on the home page, names and descriptions as text", SLOW, async () => {
    const { page, problems } = await open("/index.html", ".experiment-list");
    const cards = page.locator(".experiment-list section");
    expect(await cards.count()).toBe(4);
    expect(await page.locator(".experiment-list h2 a").allTextContents()).toEqual(["quickstart", TWO_DATASETS, MC_FOLD, STRATEGIES]);
    // The description holds a <script> tag: it must show as text and create no element.
    await expect.poll(() => page.locator(`section[data-experiment="${TWO_DATASETS}"] p`).first().textContent()).toBe(twoDatasetsSpec.description);
    expect(await page.locator(".experiment-list script").count()).toBe(0);
    const facts = await page.locator(`section[data-experiment="${TWO_DATASETS}"] dd`).allTextContents();
    expect(facts).toContain("diabetes, noisy-blobs");
    expect(facts).toContain("logistic");
    expect(facts).toContain("12 done, 0 failed (of 12)");
    // The link goes to the report (a plain static server needs the .html).
    await page.locator(`a[href="./experiments/${TWO_DATASETS}.html"]`).click();
    await page.waitForSelector('figure svg g[aria-label="line"] path');
    expect(problems).toEqual([]);
  });

  it("renders the quickstart report: one line per sampler × mode, setup and table", SLOW, async () => {
    const { page, problems } = await open("/experiments/quickstart.html", 'figure svg g[aria-label="line"] path');
    const rows = (await builtRounds("quickstart")).filter((r) => r.kind === "al");
    const samplers = new Set(rows.map((r) => String(r.sampler)));
    const modes = new Set(rows.map((r) => String(r.mode)));
    expect(rows.length).toBeGreaterThan(0);
    expect(await page.locator('g[aria-label="line"] path').count()).toBe(samplers.size * modes.size);
    const facets = await page.locator('g[aria-label="fx-axis tick label"] text').allTextContents();
    expect([...facets].sort()).toEqual([...modes].sort());
    expect(await page.locator(".experiment-setup dt").allTextContents()).toContain("Total compute");
    // Area/final table: one row per sampler × mode (plus the header row).
    expect(await page.locator("table tr").count()).toBe(samplers.size * modes.size + 1);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("renders the two-data-set report: a data set picker that changes the plotted values", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${TWO_DATASETS}.html`, 'figure svg g[aria-label="line"] path');
    const rows = (await builtRounds(TWO_DATASETS)).filter((r) => r.kind === "al");
    expect(new Set(rows.map((r) => r.dataset))).toEqual(new Set(["diabetes", "noisy-blobs"]));
    // One panel (retrain) and one line per sampler: the data sets are picked, not pooled.
    expect(await page.locator('g[aria-label="line"] path').count()).toBe(2);
    // Baselines drawn as reference lines.
    expect(await page.locator('g[aria-label="rule"] line').count()).toBeGreaterThan(0);
    expect(await page.locator("table tr").count()).toBe(3);
    // al run analysed these runs, so the table's areas are the stored aulc_accuracy summaries.
    await page.getByText("Areas: the stored aulc_accuracy summaries").waitFor();
    const seeds = await page.locator("table tr").nth(1).locator("td").last().textContent();
    expect(seeds?.trim()).toBe("2");

    // The data set picker (Inputs.select's option values are indices: pick by label).
    const picker = page.locator("select", { has: page.locator("option", { hasText: "noisy-blobs" }) });
    const before = await linePaths(page);
    const first = await picker.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? "");
    expect(first).toBe("diabetes");
    await picker.selectOption({ label: "noisy-blobs" });
    await expect.poll(() => linePaths(page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(before);
    expect(await page.locator('g[aria-label="line"] path').count()).toBe(2);

    // Unticking a sampler leaves one line.
    await page.getByLabel("margin").uncheck();
    await expect.poll(() => page.locator('g[aria-label="line"] path').count(), { timeout: RENDER_TIMEOUT_MS }).toBe(1);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

