/**
 * Browser checks of the main report page's sampler comparison (src/experiments/[experiment].md):
 * the difference-to-random view, and the table's labels to reach, Wilcoxon and win/tie/loss
 * columns against random. Imported by test/browser/site.test.ts (one build for the whole site).
 */
import { describe, expect, it } from "vitest";
import { normalisedArea } from "../../../lib/al/curves/area-under-curve.ts";
import { wilcoxonSignedRank } from "../../../lib/al/stats/wilcoxon.ts";
import { TWO_DATASETS } from "../../site/fixture-store.ts";
import { builtRounds, linePaths, open, RENDER_TIMEOUT_MS, SLOW, tableRows } from "../harness.ts";

const LINES = 'figure svg g[aria-label="line"] path';
const ZERO = 'g[aria-label="rule"] line[aria-label="zero"]';

/** The comparison table as header → cell text per body row. */
describe("sampler comparison", () => {
  it("draws the difference to random: one line per non-random sampler, a zero rule, no baselines", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${TWO_DATASETS}.html`, LINES);
    const rows = (await builtRounds(TWO_DATASETS)).filter((r) => r.kind === "al");
    const others = new Set(rows.filter((r) => r.sampler !== "random").map((r) => r.sampler));
    const modes = new Set(rows.map((r) => r.mode));
    expect(await page.locator(LINES).count()).toBe(2);
    expect(await page.locator(ZERO).count()).toBe(0);
    const values = await linePaths(page);

    await page.getByLabel("Difference to random").check();
    await expect.poll(() => page.locator(ZERO).count(), { timeout: RENDER_TIMEOUT_MS }).toBe(modes.size);
    expect(await page.locator(LINES).count()).toBe(others.size * modes.size);
    expect(await page.locator('g[aria-label="rule"] line:not([aria-label="zero"])').count()).toBe(0);
    // random is the zero line, not a curve: not in the legend.
    expect(await page.locator("figure [class$='-swatch']").allTextContents()).toEqual([...others].sort());
    expect(await page.locator('g[aria-label="y-axis label"]').first().textContent()).toMatch(/Accuracy − random/);
    await page.getByText("minus random's at the same labelled count, paired by seed").waitFor();
    const differences = await linePaths(page);
    expect(differences).not.toEqual(values);

    // The data set picker changes the differences too.
    await page.locator("select", { has: page.locator("option", { hasText: "noisy-blobs" }) }).selectOption({ label: "noisy-blobs" });
    await expect.poll(() => linePaths(page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(differences);
    expect(await page.locator(LINES).count()).toBe(others.size * modes.size);

    // Back to values: the sampler lines and baselines return.
    await page.getByLabel("Value", { exact: true }).check();
    await expect.poll(() => page.locator(ZERO).count(), { timeout: RENDER_TIMEOUT_MS }).toBe(0);
    expect(await page.locator(LINES).count()).toBe(2);
    expect(await page.locator('g[aria-label="rule"] line').count()).toBeGreaterThan(0);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("tests margin against random over the 2 seeds: a Wilcoxon p-value and win/tie/loss", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${TWO_DATASETS}.html`, "table tbody tr");
    // The paired areas the page should have compared (the first data set, diabetes, is picked).
    const rows = (await builtRounds(TWO_DATASETS)).filter((r) => r.kind === "al" && r.dataset === "diabetes");
    const area = (sampler: string, seed: number) => {
      const curve = rows.filter((r) => r.sampler === sampler && r.seed === seed).sort((a, b) => Number(a.labelled) - Number(b.labelled));
      return normalisedArea(curve.map((r) => Number(r.labelled)), curve.map((r) => Number(r.accuracy)));
    };
    const margin = [1, 2].map((seed) => area("margin", seed));
    const random = [1, 2].map((seed) => area("random", seed));
    const p = wilcoxonSignedRank(margin, random).pValue;
    const wins = margin.filter((m, i) => m > random[i]!).length;
    const losses = margin.filter((m, i) => m < random[i]!).length;

    const table = await tableRows(page);
    expect(table.map((r) => r.Sampler)).toEqual(["random", "margin"]);
    const row = table.find((r) => r.Sampler === "margin")!;
    expect(row["Wilcoxon p"]).toMatch(/^(\d\.\d{3}|<0\.001)$/);
    expect(Number(row["Wilcoxon p"])).toBeCloseTo(p, 3);
    expect(row["W/T/L"]).toBe(`${wins}/${2 - wins - losses}/${losses}`);
    expect(table.find((r) => r.Sampler === "random")!["Wilcoxon p"]).toBe("reference");
    expect(row["Labels to reach"]).toMatch(/^\d+( \[-?\d+, \d+\])?( \(\d of 2 never\))?$|^never \(2 seeds\)$/);
    expect(row.Seeds).toBe("2");

    // A target of 0 is reached at once (the initial set); one above 1 never.
    const target = page.getByLabel("Target");
    const first = String(Math.min(...rows.map((r) => Number(r.labelled))));
    await target.fill("0");
    await target.dispatchEvent("input");
    await expect.poll(async () => (await tableRows(page)).map((r) => r["Labels to reach"]), { timeout: RENDER_TIMEOUT_MS }).toEqual([first, first]);
    await target.fill("2");
    await target.dispatchEvent("input");
    await expect.poll(async () => (await tableRows(page)).map((r) => r["Labels to reach"]), { timeout: RENDER_TIMEOUT_MS }).toEqual(["never (2 seeds)", "never (2 seeds)"]);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("says n/a, not NaN, for the quickstart's single seed, and draws its differences per mode", SLOW, async () => {
    const { page, problems } = await open("/experiments/quickstart.html", "table tbody tr");
    const rows = (await builtRounds("quickstart")).filter((r) => r.kind === "al");
    const others = new Set(rows.filter((r) => r.sampler !== "random").map((r) => r.sampler));
    const modes = new Set(rows.map((r) => r.mode));
    const table = await tableRows(page);
    expect(table).toHaveLength((others.size + 1) * modes.size);
    for (const row of table) {
      expect(row["Wilcoxon p"]).toBe(row.Sampler === "random" ? "reference" : "n/a (1 seed)");
      expect(row["W/T/L"]).toMatch(row.Sampler === "random" ? /^—$/ : /^[01]\/[01]\/[01]$/);
      expect(Object.values(row).join(" ")).not.toMatch(/NaN|undefined|Infinity/);
    }
    await page.getByLabel("Difference to random").check();
    await expect.poll(() => page.locator(ZERO).count(), { timeout: RENDER_TIMEOUT_MS }).toBe(modes.size);
    expect(await page.locator(LINES).count()).toBe(others.size * modes.size);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
