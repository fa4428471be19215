import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { experimentList, formatDuration, formatTime, type ExperimentSummary } from "../../src/components/experiment-list.ts";
import { experimentSetup } from "../../src/components/experiment-setup.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const evil = '<script>alert("x")</script>';

function summary(name: string, extra: Partial<ExperimentSummary> = {}): ExperimentSummary {
  return {
    name,
    description: "Entropy vs random",
    file: "experiments/a.ts",
    datasets: [{ label: "digits", pool: 1000, test: 500 }, { label: "diabetes", pool: 200, test: 100 }],
    learners: [{ label: "logistic", options: '{"l2":0.001}' }],
    samplers: ["entropy", "random"],
    modes: ["retrain"],
    seeds: [1, 2, 3],
    runs: { total: 12, done: 11, failed: 1, running: 0 },
    backends: ["wasm"],
    versions: [{ "al-lab": "0.1.0", node: "v20.19.0" }],
    updated: "2026-12-02T14:03:09.123Z",
    computeSeconds: 3725,
    setup: { initial: ["20"], acquisition: ["10"], rounds: ["3"], budget: [], epochs: ["5"], baselines: [10] },
    ...extra,
  };
}

describe("experimentList", () => {
  it("lists each experiment with its facts and a relative .html link to its report", () => {
    const el = experimentList([summary("alpha"), summary("beta", { runs: { total: 4, done: 2, failed: 0, running: 2 } })], { document });
    const cards = el.querySelectorAll("section");
    expect(cards).toHaveLength(2);
    expect([...el.querySelectorAll("h2 a")].map((a) => a.getAttribute("href"))).toEqual(["./experiments/alpha.html", "./experiments/beta.html"]);
    const facts = (card: Element) => Object.fromEntries([...card.querySelectorAll("dt")].map((dt) => [dt.textContent, dt.nextElementSibling!.textContent]));
    expect(facts(cards[0]!)).toEqual({
      "Data sets": "digits, diabetes",
      Learners: "logistic",
      Samplers: "entropy, random",
      Runs: "11 done, 1 failed (of 12)",
      Backend: "wasm",
      "Last update": "2026-12-02 14:03 UTC",
    });
    expect(facts(cards[1]!).Runs).toBe("2 done, 0 failed, 2 running (of 4)");
  });

  it("renders names, descriptions and labels with <script> as text, never as HTML", () => {
    const el = experimentList(
      [summary(evil, { description: evil, samplers: [evil], datasets: [{ label: `<img src=x onerror="alert(1)">`, pool: null, test: null }] })],
      { document },
    );
    expect(el.querySelectorAll("script, img")).toHaveLength(0);
    expect(el.querySelector("h2 a")!.textContent).toBe(evil);
    expect(el.querySelector("p")!.textContent).toBe(evil);
    expect(el.textContent).toContain('<img src=x onerror="alert(1)">');
    // The link stays inside the site: the name is percent-encoded into one path segment.
    expect(el.querySelector("h2 a")!.getAttribute("href")).toBe(`./experiments/${encodeURIComponent(evil)}.html`);
  });

  it("says how to add an experiment when the store holds none", () => {
    expect(experimentList([], { document }).textContent).toMatch(/no experiments yet: run one with `al run/);
  });
});

describe("experimentSetup", () => {
  it("shows what a reader needs to reproduce the experiment", () => {
    const el = experimentSetup(summary("alpha"), { document });
    const facts = Object.fromEntries([...el.querySelectorAll("dt")].map((dt) => [dt.textContent, dt.nextElementSibling!.textContent]));
    expect(facts).toMatchObject({
      "Data sets": "digits (pool 1000, test 500), diabetes (pool 200, test 100)",
      Learners: 'logistic {"l2":0.001}',
      "Initial labelled": "20",
      "Acquisition size": "10",
      Rounds: "3",
      Epochs: "5",
      Seeds: "1, 2, 3",
      "Naive baselines": "10%",
      Backend: "wasm",
      Versions: "al-lab 0.1.0, node v20.19.0",
      "Total compute": "1 h 02 min",
    });
  });

  it("keeps stored strings as text", () => {
    const el = experimentSetup(summary("a", { learners: [{ label: evil, options: "{}" }] }), { document });
    expect(el.querySelectorAll("script")).toHaveLength(0);
    expect(el.textContent).toContain(evil);
  });
});

describe("formatting", () => {
  it("formats durations and times without the locale", () => {
    expect(formatDuration(12.34)).toBe("12.3 s");
    expect(formatDuration(185)).toBe("3 min 05 s");
    expect(formatDuration(3725)).toBe("1 h 02 min");
    // DuckDB TIMESTAMPs come without a zone: they are UTC.
    expect(formatTime("2026-12-02 14:03:09")).toBe("2026-12-02 14:03 UTC");
  });
});
