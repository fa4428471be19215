import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { winTieLoss } from "../../lib/al/stats/win-tie-loss.ts";
import { winTieLossMatrix } from "../../src/components/win-tie-loss-matrix.ts";

const { document } = new JSDOM("<!doctype html><body></body>").window;

describe("winTieLossMatrix", () => {
  it("shows row-vs-column counts as w/t/l, the diagonal empty, names as text", () => {
    // Per block: a .9 .8 .85, b .8 .8 .9 → a vs b: win, tie, loss.
    const a = [0.9, 0.8, 0.85];
    const b = [0.8, 0.8, 0.9];
    const counts = [
      [winTieLoss(a, a), winTieLoss(a, b)],
      [winTieLoss(b, a), winTieLoss(b, b)],
    ];
    const table = winTieLossMatrix({ methods: ["a", "<b>"], counts }, { document });
    expect([...table.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual(["", "a", "<b>"]);
    const body = [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(body).toEqual([
      ["a", "—", "1/1/1"],
      ["<b>", "1/1/1", "—"],
    ]);
    expect(table.querySelector("b")).toBeNull();
  });

  it("marks the side that is ahead and refuses counts of the wrong shape", () => {
    const counts = [
      [{ wins: 0, ties: 3, losses: 0 }, { wins: 3, ties: 0, losses: 0 }],
      [{ wins: 0, ties: 0, losses: 3 }, { wins: 0, ties: 3, losses: 0 }],
    ];
    const table = winTieLossMatrix({ methods: ["x", "y"], counts }, { document });
    expect([...table.querySelectorAll("td")].map((td) => td.className)).toEqual(["", "wtl-ahead", "wtl-behind", ""]);
    expect(() => winTieLossMatrix({ methods: ["x", "y", "z"], counts }, { document })).toThrow(/3 × 3/);
  });
});
