/**
 * Browser checks of the Selection maps pages (src/experiments/[experiment]/selections-[pool].md,
 * one per pool) on the harness's two experiments: the quickstart's Fashion-MNIST pool
 * (thumbnails) and the two-data-set experiment (tabular + blobs, no thumbnails, a page each).
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { TWO_DATASETS } from "../../site/fixture-store.ts";
import { open, RENDER_TIMEOUT_MS, SLOW } from "../harness.ts";

const MAP = "figure svg g.map-pool circle";

/** Positions of the highlighted batch: changes whenever a different batch is drawn. */
const batchAt = (page: Page) => page.locator("g.map-batch circle").evaluateAll((cs) => cs.map((c) => `${c.getAttribute("cx")},${c.getAttribute("cy")}`));
const count = (page: Page, selector: string) => page.locator(selector).count();

/** Moves Inputs.range's slider to `value` (its number box takes typed input). */
async function setRound(page: Page, value: number): Promise<void> {
  const box = page.locator('form input[type="number"]').last();
  await box.fill(String(value));
  await box.dispatchEvent("input");
}

describe("selection maps page", () => {
  it("quickstart: pool, labelled set and batch; the round slider moves the batch; thumbnails of it", SLOW, async () => {
    const { page, problems } = await open("/experiments/quickstart/selections-0.html", MAP);
    // ci profile: a 1,000-image pool, every point shown.
    expect(await count(page, "g.map-pool circle")).toBe(1000);
    // Round 1 by default: the 50 initial images labelled, a batch of 50.
    expect(await count(page, "g.map-batch circle")).toBe(50);
    expect(await count(page, "g.map-labelled circle")).toBe(50);
    expect(await count(page, ".thumbnails canvas")).toBe(16);
    // The canvas holds drawn pixels (not all black).
    const lit = await page.locator(".thumbnails canvas").first().evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let s = 0;
      for (let i = 0; i < d.length; i += 4) s += d[i]!;
      return s;
    });
    expect(lit).toBeGreaterThan(0);
    const captions = await page.locator(".thumbnails figcaption").allTextContents();
    expect(captions.every((c) => c.length > 0)).toBe(true);

    const before = await batchAt(page);
    const thumbsBefore = await page.locator(".thumbnails canvas").evaluateAll((cs) => cs.map((c) => c.getAttribute("title")));
    await setRound(page, 3);
    await expect.poll(() => batchAt(page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(before);
    expect(await count(page, "g.map-labelled circle")).toBe(150);
    expect(await count(page, "g.map-batch circle")).toBe(50);
    await expect.poll(() => page.locator(".thumbnails canvas").evaluateAll((cs) => cs.map((c) => c.getAttribute("title"))), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(thumbsBefore);
    // Round 0: the initial set is the batch, nothing labelled before it.
    await setRound(page, 0);
    await expect.poll(() => count(page, "g.map-labelled circle"), { timeout: RENDER_TIMEOUT_MS }).toBe(0);
    expect(await count(page, "g.map-batch circle")).toBe(50);

    // Another sampler picks another batch.
    await setRound(page, 1);
    await expect.poll(() => count(page, "g.map-labelled circle"), { timeout: RENDER_TIMEOUT_MS }).toBe(50);
    const random = await batchAt(page);
    const sampler = page.locator("select", { has: page.locator("option", { hasText: "entropy" }) });
    expect(await sampler.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? "")).toBe("random");
    await sampler.selectOption({ label: "entropy" });
    await expect.poll(() => batchAt(page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(random);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("quickstart: the Projection picker switches PCA ↔ UMAP positions; the slider works with UMAP; both are the same on a second load", SLOW, async () => {
    const poolAt = (page: Page) => page.locator("g.map-pool circle").evaluateAll((cs) => cs.map((c) => `${c.getAttribute("cx")},${c.getAttribute("cy")}`));
    const axes = (page: Page) => page.locator("svg:has(g.map-pool)").evaluate((svg) => svg.textContent ?? "");
    const umap = (page: Page) => page.getByRole("radio", { name: "UMAP", exact: true });
    const first = await open("/experiments/quickstart/selections-0.html", MAP);
    const pca = await poolAt(first.page);
    expect(pca).toHaveLength(1000);
    expect(await axes(first.page)).toContain("PC 1");
    await umap(first.page).check();
    await expect.poll(() => poolAt(first.page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(pca);
    const layout = await poolAt(first.page);
    expect(layout).toHaveLength(1000);
    expect(await axes(first.page)).toContain("UMAP 1");
    expect(await axes(first.page)).not.toContain("of variance");
    // The round slider moves the batch on the UMAP map too.
    const batch = await batchAt(first.page);
    await setRound(first.page, 3);
    await expect.poll(() => batchAt(first.page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(batch);
    expect(await count(first.page, "g.map-labelled circle")).toBe(150);
    expect(await poolAt(first.page)).toEqual(layout);
    // Back to PCA: the first positions again.
    await first.page.getByRole("radio", { name: "PCA", exact: true }).check();
    await expect.poll(() => poolAt(first.page), { timeout: RENDER_TIMEOUT_MS }).toEqual(pca);
    expect(first.problems).toEqual([]);
    await first.page.close();

    // A second load draws the same points for both projections.
    const second = await open("/experiments/quickstart/selections-0.html", MAP);
    expect(await poolAt(second.page)).toEqual(pca);
    await umap(second.page).check();
    await expect.poll(() => poolAt(second.page), { timeout: RENDER_TIMEOUT_MS }).toEqual(layout);
    expect(await second.page.locator(".observablehq--error").count()).toBe(0);
    expect(second.problems).toEqual([]);
  });

  it("two data sets: a page per pool, linked by data set name; following the link changes the map; no thumbnails for tabular or blob data", SLOW, async () => {
    const { page, problems } = await open(`/experiments/${TWO_DATASETS}/selections-0.html`, MAP);
    const links = page.locator("nav.pool-links");
    expect(await links.textContent()).toMatch(/^Data set: (diabetes · noisy-blobs|noisy-blobs · diabetes)$/);
    const current = (await links.locator('[aria-current="page"]').textContent()) as "diabetes" | "noisy-blobs";
    const other = current === "diabetes" ? "noisy-blobs" : "diabetes";
    // diabetes: a 200-row pool; the blobs: 120 points; initial 20, batches of 10 on both.
    const size = { diabetes: 200, "noisy-blobs": 120 };
    expect(await count(page, "g.map-pool circle")).toBe(size[current]);
    expect(await count(page, "g.map-labelled circle")).toBe(20);
    expect(await count(page, "g.map-batch circle")).toBe(10);
    expect(await count(page, ".thumbnails")).toBe(0);
    // The data set is the page, not a picker on it.
    expect(await page.locator("select", { has: page.locator("option", { hasText: other }) }).count()).toBe(0);
    const pool = () => page.locator("g.map-pool circle").evaluateAll((cs) => cs.map((c) => `${c.getAttribute("cx")},${c.getAttribute("cy")}`));
    const before = await pool();
    await links.getByRole("link", { name: other, exact: true }).click();
    await page.waitForURL(/\/selections-1\.html$/);
    await page.waitForSelector(MAP);
    await expect.poll(() => count(page, "g.map-pool circle"), { timeout: RENDER_TIMEOUT_MS }).toBe(size[other]);
    expect(await pool()).not.toEqual(before);
    expect(await page.locator('nav.pool-links [aria-current="page"]').textContent()).toBe(other);
    expect(await count(page, "g.map-batch circle")).toBe(10);
    // The seed picker: another seed, another initial set.
    const seedPicker = page.locator("select", { has: page.locator("option", { hasText: /^2$/ }) }).last();
    const batch = await batchAt(page);
    await seedPicker.selectOption({ label: "2" });
    await expect.poll(() => batchAt(page), { timeout: RENDER_TIMEOUT_MS }).not.toEqual(batch);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("quickstart: one pool, so no data set links", SLOW, async () => {
    const { page, problems } = await open("/experiments/quickstart/selections-0.html", MAP);
    expect(await page.locator("nav.pool-links").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
