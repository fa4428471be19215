import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { adviceCounts, adviceList, groupAdvice, roundRanges } from "../../src/components/advice-list.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

const explore = { action: "explore", use: "random", reason: "random explores more (exploration gain 9.61 vs 6.06)" };
const cont = { action: "continue", use: null, reason: "contradictions falling" };
// Out of order on purpose: grouping follows the rounds.
const advice = [
  { round: 3, ...cont },
  { round: 0, ...explore },
  { round: 1, ...explore },
  { round: 2, ...cont },
  { round: 4, ...explore },
  { round: 5, action: "explore", use: "k-means", reason: explore.reason },
];

describe("groupAdvice and roundRanges", () => {
  it("groups identical messages (action, use and reason) in order of their first round", () => {
    expect(groupAdvice(advice)).toEqual([
      { ...explore, rounds: [0, 1, 4] },
      { ...cont, rounds: [2, 3] },
      // Same reason, another reference to use: a message of its own.
      { action: "explore", use: "k-means", reason: explore.reason, rounds: [5] },
    ]);
    expect(groupAdvice([])).toEqual([]);
  });

  it("writes rounds as ranges", () => {
    expect(roundRanges([0, 1, 2, 5, 7, 8])).toBe("rounds 0–2, 5, 7–8");
    expect(roundRanges([3])).toBe("round 3");
    expect(roundRanges([1, 3])).toBe("rounds 1, 3");
  });
});

describe("adviceList", () => {
  it("lists each message once with its rounds, action and reason as text", () => {
    const list = adviceList(groupAdvice(advice), { document });
    const items = [...list.querySelectorAll("li")];
    expect(items.map((li) => li.dataset.action)).toEqual(["explore", "continue", "explore"]);
    expect(items.map((li) => li.textContent)).toEqual([
      "rounds 0–1, 4: explore with random — random explores more (exploration gain 9.61 vs 6.06)",
      "rounds 2–3: continue — contradictions falling",
      "round 5: explore with k-means — random explores more (exploration gain 9.61 vs 6.06)",
    ]);
  });

  it("keeps a reason or action holding <script> as text", () => {
    const list = adviceList(groupAdvice([{ round: 0, action: "<b>stop</b>", use: "<i>x</i>", reason: "<script>alert(1)</script>" }]), { document });
    expect(list.querySelector(".advice-reason")!.textContent).toBe("<script>alert(1)</script>");
    expect(list.querySelector(".advice-action")!.textContent).toBe("<b>stop</b> with <i>x</i>");
    expect(list.querySelectorAll("script, b, i")).toHaveLength(0);
  });
});

describe("adviceCounts", () => {
  it("counts each action's rounds per sampler over seeds, with its share", () => {
    const counts = adviceCounts([
      { sampler: "margin", advice },
      { sampler: "random", advice: [{ round: 0, ...cont }] },
      { sampler: "margin", advice: [{ round: 0, action: "stop", use: null, reason: "settled" }, { round: 1, ...cont }] },
    ]);
    // margin: 8 rounds — continue 2 + 1, explore 4, stop 1.
    expect(counts).toEqual([
      { sampler: "margin", action: "continue", rounds: 3, share: 3 / 8 },
      { sampler: "margin", action: "explore", rounds: 4, share: 4 / 8 },
      { sampler: "margin", action: "stop", rounds: 1, share: 1 / 8 },
      { sampler: "random", action: "continue", rounds: 1, share: 1 },
    ]);
  });
});
