import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { nemenyiCriticalDifference } from "../../lib/al/stats/nemenyi.ts";
import { cdDiagram } from "../../src/components/cd-diagram.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;
const ranks = [
  { method: "margin", averageRank: 1.5 },
  { method: "random", averageRank: 3.9 },
  { method: "entropy", averageRank: 1.9 },
  { method: "<script>x</script>", averageRank: 2.7 },
];
const k = ranks.length;
const width = 640;

/** Rank → x, read back from the axis ticks: ranks 1 and k are the first and last tick. */
function axisScale(svg: SVGSVGElement): (rank: number) => number {
  const ticks = [...svg.querySelectorAll("g.cd-axis line")].slice(1).map((l) => Number(l.getAttribute("x1")));
  expect(ticks).toHaveLength(k);
  return (r) => ticks[0]! + ((r - 1) / (k - 1)) * (ticks[k - 1]! - ticks[0]!);
}

describe("cdDiagram", () => {
  it("draws one g.cd-sampler per sampler, its tick at its average rank, labels as text", () => {
    const cd = nemenyiCriticalDifference(k, 10);
    const svg = cdDiagram({ ranks, criticalDifference: cd }, { document, width });
    const x = axisScale(svg);
    const samplers = [...svg.querySelectorAll("g.cd-sampler")];
    expect(samplers).toHaveLength(4);
    // Sorted best first; each tick at its rank.
    expect(samplers.map((g) => g.getAttribute("data-method"))).toEqual(["margin", "entropy", "<script>x</script>", "random"]);
    for (const g of samplers) {
      const tick = g.querySelector("line.cd-tick")!;
      expect(Number(tick.getAttribute("x1"))).toBeCloseTo(x(Number(g.getAttribute("data-rank"))), 9);
    }
    expect(samplers.map((g) => g.querySelector("text")!.textContent)).toEqual(["margin (1.50)", "entropy (1.90)", "<script>x</script> (2.70)", "random (3.90)"]);
    expect(svg.querySelector("script")).toBeNull();
    // Best half on the left of the axis, the rest on the right.
    expect(samplers.map((g) => g.querySelector("text")!.getAttribute("text-anchor"))).toEqual(["end", "end", "start", "start"]);
  });

  it("draws the CD to scale and joins the samplers Nemenyi cannot tell apart", () => {
    // N = 10: CD = 2.569 · √(4·5/60) = 1.4832. Sorted 1.5, 1.9, 2.7, 3.9: 1.5–2.7 = 1.2 < CD, 1.5–3.9 = 2.4
    // is not; 1.9–3.9 = 2.0 is not; 2.7–3.9 = 1.2 < CD. Bars: margin…<script>, <script>…random.
    const cd = nemenyiCriticalDifference(k, 10);
    expect(cd).toBeCloseTo(2.569 * Math.sqrt(20 / 60), 10);
    const svg = cdDiagram({ ranks, criticalDifference: cd }, { document, width });
    const x = axisScale(svg);
    const scale = svg.querySelector("g.cd-scale line")!;
    expect(Number(scale.getAttribute("x2")) - Number(scale.getAttribute("x1"))).toBeCloseTo(x(1 + cd) - x(1), 9);
    expect(svg.querySelector("g.cd-scale text")!.textContent).toBe("CD = 1.48");
    const bars = [...svg.querySelectorAll("line.cd-group")].map((b) => [b.getAttribute("data-from"), b.getAttribute("data-to")]);
    expect(bars).toEqual([["margin", "<script>x</script>"], ["<script>x</script>", "random"]]);
    // With many more blocks the CD shrinks below every gap: no bar.
    const small = nemenyiCriticalDifference(k, 1000);
    expect(small).toBeLessThan(0.4);
    expect(cdDiagram({ ranks, criticalDifference: small }, { document }).querySelectorAll("line.cd-group")).toHaveLength(0);
  });

  it("refuses fewer than 2 samplers or a CD that is not positive", () => {
    expect(() => cdDiagram({ ranks: ranks.slice(0, 1), criticalDifference: 1 }, { document })).toThrow(/1 method\(s\)/);
    expect(() => cdDiagram({ ranks, criticalDifference: Number.NaN }, { document })).toThrow(/must be > 0/);
  });
});
