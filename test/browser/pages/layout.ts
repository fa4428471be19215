/**
 * Readable at 400 px (issue 13): every page of the built site — listed from the build, so pages
 * added later are covered — opened 400 px wide: the page does not scroll sideways (tables scroll
 * inside their card), no two tick labels of one axis overlap, no console problems or cell errors.
 * AL_SITE_SCREENSHOTS=<dir> saves each page as layout-<page>-400px.png once it has rendered.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { buildSite, open, RENDER_TIMEOUT_MS, SLOW } from "../harness.ts";

const WIDTH = 400;

/** Every page of the build as a site path (/index.html, /experiments/quickstart.html, …). */
async function builtPages(dir: string): Promise<string[]> {
  const files = await readdir(dir, { recursive: true });
  return files
    .filter((f) => f.endsWith(".html") && !f.startsWith("_") && f !== "404.html")
    .map((f) => `/${f.split("\\").join("/")}`)
    .sort();
}

/** Waits until Framework has run every cell (no loading placeholders) and charts stopped resizing. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => document.querySelector("observablehq-loading") === null, undefined, { timeout: RENDER_TIMEOUT_MS });
  // resize() re-renders on the next frames once the card has its width.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** What sticks out past the viewport: the page's scroll width and the widest offenders. */
function overflow(page: Page): Promise<{ scrollWidth: number; offenders: string[] }> {
  return page.evaluate((width) => {
    const offenders: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.right <= width + 1 || r.width === 0) continue;
      // Only the outermost: a child of an offender says nothing new.
      if (el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1) continue;
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${typeof el.className === "string" && el.className ? `.${el.className.split(/\s+/).join(".")}` : ""}`;
      offenders.push(`${name} (right ${Math.round(r.right)} px)`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 5) };
  }, WIDTH);
}

/** Pairs of tick labels of one axis whose boxes overlap (more than half a pixel each way). */
function overlappingTicks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const groups = document.querySelectorAll('g[aria-label$="tick label"]');
    groups.forEach((g) => {
      const labels = [...g.querySelectorAll("text")]
        .map((t) => ({ text: t.textContent ?? "", r: t.getBoundingClientRect() }))
        .filter((l) => l.r.width > 0 && l.r.height > 0);
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          const a = labels[i]!.r;
          const b = labels[j]!.r;
          const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (x > 0.5 && y > 0.5) found.push(`${g.getAttribute("aria-label")}: "${labels[i]!.text}" × "${labels[j]!.text}"`);
        }
      }
    });
    return found.slice(0, 5);
  });
}

describe("layout at 400 px", () => {
  it("fits every built page into 400 px: no sideways scrolling, no overlapping tick labels, no errors", SLOW, async () => {
    const dir = await buildSite();
    const pages = await builtPages(dir);
    // The home page and both experiments' reports at least (sub-pages join as they are added).
    expect(pages).toContain("/index.html");
    expect(pages.filter((p) => p.startsWith("/experiments/")).length).toBeGreaterThanOrEqual(2);
    const failures: string[] = [];
    for (const path of pages) {
      const { page, problems } = await open(path, "#observablehq-main", { width: WIDTH });
      try {
        await settle(page);
        const { scrollWidth, offenders } = await overflow(page);
        if (scrollWidth > WIDTH + 1) failures.push(`${path}: page is ${scrollWidth} px wide; sticking out: ${offenders.join(", ")}`);
        for (const pair of await overlappingTicks(page)) failures.push(`${path}: overlapping tick labels ${pair}`);
        const errors = await page.locator(".observablehq--error").allTextContents();
        for (const e of errors) failures.push(`${path}: cell error ${e.slice(0, 200)}`);
        for (const p of problems) failures.push(`${path}: ${p}`);
        if (process.env.AL_SITE_SCREENSHOTS) {
          const name = path.replace(/^\//, "").replace(/\.html$/, "").replaceAll("/", "-");
          await page.screenshot({ path: join(process.env.AL_SITE_SCREENSHOTS, `layout-${name}-${WIDTH}px.png`), fullPage: true });
        }
      } finally {
        await page.close();
      }
    }
    expect(failures).toEqual([]);
  });
});
