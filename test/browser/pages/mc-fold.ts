/**
 * Browser check of the MC-sample fold (src/components/mc-samples-fold.ts) on a built report:
 * the fixture runs BALD with 3 and with 5 MC-dropout samples beside random, whose runs carry no
 * MC setting. Used as a picker, the setting would split random from BALD (no cell holds both);
 * the report instead names BALD's two settings as two samplers, each its own line.
 */
import { describe, expect, it } from "vitest";
import { samplerNamer } from "../../../src/components/mc-samples-fold.ts";
import { MC_FOLD } from "../../site/fixture-store.ts";
import { builtRounds, open, SLOW } from "../harness.ts";

const LINES = 'figure svg g[aria-label="line"] path';

describe("MC-sample settings on a report page", () => {
  it("are folded into the sampler name: one line and one legend entry per setting, random beside them, no MC picker", SLOW, async () => {
    const rows = (await builtRounds(MC_FOLD)).filter((r) => r.kind === "al");
    const name = samplerNamer(rows);
    const samplers = [...new Set(rows.map(name))].sort();
    // The fold itself, from the built rounds: two BALD settings plus random.
    expect(samplers).toHaveLength(3);
    expect(samplers.filter((s) => s.startsWith("bald · "))).toHaveLength(2);
    expect(samplers).toContain("random");
    const { page, problems } = await open(`/experiments/${MC_FOLD}.html`, LINES);
    expect(await page.locator(LINES).count()).toBe(3);
    expect((await page.locator("figure [class$='-swatch']").allTextContents()).sort()).toEqual(samplers);
    // No control offers the MC setting as a value of its own.
    const settings = [...new Set(rows.map((r) => String(r.mc_samples)).filter((s) => s !== "—"))];
    expect(settings).toHaveLength(2);
    for (const s of settings) expect(await page.locator("select option", { hasText: new RegExp(`^${s}$`) }).count()).toBe(0);
    expect(await page.locator(".observablehq--error").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
