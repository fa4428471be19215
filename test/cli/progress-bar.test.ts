import { describe, expect, it } from "vitest";
import { progressBar } from "../../lib/cli/progress-bar.ts";
import { plainProgress } from "../../lib/runner/progress.ts";

/** A terminal-like stream that records what is written. */
function fakeTerminal() {
  const chunks: string[] = [];
  const stream = { columns: 100, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join("") };
}

describe("progress display", () => {
  it("draws an overall bar with ETA and one line per run in flight, erasing it before redrawing", () => {
    const t = fakeTerminal();
    const p = progressBar(t.stream);
    p.start({ experiment: "x", total: 4, pending: 2, workers: 2, backend: "wasm" });
    p.runStart({ id: "a", label: "margin · retrain · seed 1", rounds: 3 });
    p.round({ id: "a", label: "margin · retrain · seed 1", round: 1, rounds: 3, metrics: { accuracy: 0.5 } });
    expect(t.text()).toContain("x: 4 runs (2 already stored, 2 to run) on wasm");
    expect(t.text()).toContain("  margin · retrain · seed 1: round 2/3");
    expect(t.text()).toMatch(/\] 0\/2 runs · \d+s elapsed · ETA /);
    // Redraws move the cursor up over the previous block (ESC[nA) and clear it (ESC[0J).
    expect(t.text()).toContain("\x1b[2A\x1b[0J");
    p.runEnd({ id: "a", label: "margin · retrain · seed 1", ok: true, seconds: 1.25, detail: "final accuracy 0.600" });
    expect(t.text()).toContain("margin · retrain · seed 1: done in 1.3 s, final accuracy 0.600\n");
    expect(t.text()).toContain("] 1/2 runs");
    p.close();
  });

  it("writes plain numbered lines when stderr is not a terminal", () => {
    const lines: string[] = [];
    const p = plainProgress((l) => lines.push(l));
    p.start({ experiment: "x", total: 3, pending: 2, workers: 2, backend: "cpu" });
    p.runStart({ id: "a", label: "A", rounds: 2, resumedAfter: 1 });
    p.round({ id: "a", label: "A", round: 2, rounds: 2, metrics: {} });
    p.runEnd({ id: "a", label: "A", ok: false, seconds: 0, detail: "boom" });
    expect(lines).toEqual(["x: 3 runs (1 already stored, 2 to run) on cpu with 2 worker(s)", "A: resuming after round 1", "[1/2] A: FAILED: boom"]);
  });
});
