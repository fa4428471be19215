import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { diagnosticAvailability, diagnosticPanels, panelSeries, type DiagnosticInfo } from "../../src/components/diagnostics-panels.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const info = (key: string, better: DiagnosticInfo["better"] = "neither", description = `${key} means`): DiagnosticInfo => ({
  key, scope: "batch", better, description, helps: `${key} helps`,
});
const catalogue = [info("contradiction_ratio", "lower"), info("agreement"), info("easiness"), info("noisy_ratio", "lower"), info("mystery")];

// Two samplers × two seeds × two rounds. Contradictions exist from the second round only (null
// at the first), easiness is null everywhere and noisy_ratio/mystery are not columns at all.
const rows = [
  { sampler: "margin", mode: "retrain", dataset: "a", seed: 1, labelled: 10, contradiction_ratio: null, agreement: 0.5, easiness: null },
  { sampler: "margin", mode: "retrain", dataset: "a", seed: 2, labelled: 10, contradiction_ratio: null, agreement: 0.7, easiness: null },
  { sampler: "margin", mode: "retrain", dataset: "a", seed: 1, labelled: 20, contradiction_ratio: 0.2, agreement: 0.6, easiness: null },
  { sampler: "margin", mode: "retrain", dataset: "a", seed: 2, labelled: 20, contradiction_ratio: 0.1, agreement: 0.9, easiness: null },
  { sampler: "random", mode: "retrain", dataset: "a", seed: 1, labelled: 10, contradiction_ratio: null, agreement: 0.4, easiness: null },
  { sampler: "random", mode: "retrain", dataset: "a", seed: 2, labelled: 10, contradiction_ratio: null, agreement: 0.2, easiness: null },
  { sampler: "random", mode: "retrain", dataset: "a", seed: 1, labelled: 20, contradiction_ratio: 0.3, agreement: 0.3, easiness: null },
  { sampler: "random", mode: "retrain", dataset: "a", seed: 2, labelled: 20, contradiction_ratio: 0.5, agreement: 0.1, easiness: null },
];

describe("diagnosticAvailability", () => {
  it("keeps diagnostics with a value, in catalogue order, and says why the others are missing", () => {
    const { present, absent } = diagnosticAvailability(rows, catalogue);
    expect(present.map((d) => d.key)).toEqual(["contradiction_ratio", "agreement"]);
    expect(absent.map((d) => d.key)).toEqual(["easiness", "noisy_ratio", "mystery"]);
    expect(absent[0]!.reason).toMatch(/reference classifier/);
    expect(absent[1]!.reason).toMatch(/noise/);
    expect(absent[2]!.reason).toMatch(/metrics/);
  });
});

describe("panelSeries", () => {
  it("averages over seeds per sampler and labelled count, skipping rounds without a value", () => {
    const s = panelSeries(rows, "contradiction_ratio");
    // Only labelled = 20 has contradictions: margin (0.2 + 0.1) / 2, random (0.3 + 0.5) / 2.
    expect(s.map((d) => [d.sampler, d.labelled, d.n])).toEqual([["margin", 20, 2], ["random", 20, 2]]);
    expect(s[0]!.mean).toBeCloseTo(0.15, 12);
    expect([s[0]!.min, s[0]!.max]).toEqual([0.1, 0.2]);
    expect(s[1]!.mean).toBeCloseTo(0.4, 12);
    const a = panelSeries(rows, "agreement");
    expect(a.map((d) => [d.sampler, d.labelled, Number(d.mean.toFixed(10))])).toEqual([
      ["margin", 10, 0.6], ["margin", 20, 0.75], ["random", 10, 0.3], ["random", 20, 0.2],
    ]);
  });

  it("refuses rows that hold two values of another grid axis", () => {
    const pooled = [...rows, ...rows.map((r) => ({ ...r, dataset: "b" }))];
    expect(() => panelSeries(pooled, "agreement")).toThrow(/several dataset values \(a, b\) for sampler margin; pick one dataset/);
  });
});

describe("diagnosticPanels", () => {
  it("draws one panel per present diagnostic, one line per sampler each, titled with the catalogue text", () => {
    const el = diagnosticPanels(rows, { diagnostics: catalogue, document, width: 700 });
    const panels = [...el.querySelectorAll("figure.diagnostic-panel")];
    expect(panels.map((p) => p.getAttribute("data-metric"))).toEqual(["contradiction_ratio", "agreement"]);
    expect(panels.map((p) => p.querySelector("h3")!.textContent)).toEqual(["contradiction_ratio", "agreement"]);
    expect(panels[0]!.querySelector(".diagnostic-description")!.textContent).toBe("contradiction_ratio means");
    expect(panels[1]!.querySelector(".diagnostic-helps")!.textContent).toBe("agreement helps");
    for (const p of panels) {
      expect(p.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
      expect(p.querySelectorAll('g[aria-label="area"] path')).toHaveLength(2);
    }
    expect(el.querySelectorAll('g[aria-label="line"] path')).toHaveLength(4);
    // Both panels span the rows' labelled range, though contradictions start at 20.
    for (const p of panels) expect((p.querySelector("svg") as unknown as { scale(n: string): { domain: number[] } }).scale("x").domain).toEqual([10, 20]);
    // The y label says which way is good.
    expect(panels[0]!.querySelector('g[aria-label="y-axis label"]')!.textContent).toBe("contradiction_ratio ↓");
    // No direction for agreement: no arrow (Plot's default ↑ would claim one).
    expect(panels[1]!.querySelector('g[aria-label="y-axis label"]')!.textContent).toBe("agreement");
    // Two columns of panels in 700 px; the shared legend lists the samplers, random first.
    expect((el.querySelector(".diagnostic-grid") as HTMLElement).style.gridTemplateColumns).toBe("repeat(2, minmax(0, 1fr))");
    expect([...el.querySelectorAll("[class$='-swatch']")].map((s) => s.textContent)).toEqual(["random", "margin"]);
  });

  it("plots the seed means: the agreement dots sit at the hand-computed values", () => {
    const el = diagnosticPanels(rows.filter((r) => r.sampler === "margin"), { diagnostics: [info("agreement")], document, band: false });
    expect(el.querySelectorAll('g[aria-label="area"] path')).toHaveLength(0);
    // Each dot sits at its seed mean on the panel's own y scale: 0.6 at 10 labels, 0.75 at 20.
    const svg = el.querySelector("figure.diagnostic-panel svg") as unknown as SVGSVGElement & { scale(name: "x" | "y"): { apply(v: number): number } };
    const dots = [...el.querySelectorAll('g[aria-label="dot"] circle')].map((c) => [Number(c.getAttribute("cx")), Number(c.getAttribute("cy"))]);
    expect(dots).toHaveLength(2);
    const expected = [[10, 0.6], [20, 0.75]].map(([x, y]) => [svg.scale("x").apply(x!), svg.scale("y").apply(y!)]);
    for (let i = 0; i < 2; i++) {
      expect(dots[i]![0]).toBeCloseTo(expected[i]![0]!, 1);
      expect(dots[i]![1]).toBeCloseTo(expected[i]![1]!, 1);
    }
  });

  it("renders a description holding <script> as text", () => {
    const el = diagnosticPanels(rows, { diagnostics: [info("agreement", "neither", "<script>alert(1)</script>")], document });
    expect(el.querySelector(".diagnostic-description")!.textContent).toBe("<script>alert(1)</script>");
    expect(el.querySelectorAll("script")).toHaveLength(0);
  });
});
