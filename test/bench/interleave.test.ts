/** The bench's interleaved timing (bench/interleave.ts) and its reference-script server. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { interleave, interleaveAll, rounded, spread, timeInProcess } from "../../bench/interleave.ts";
import { PythonServer } from "../../bench/reference/python-server.ts";

describe("spread", () => {
  it("gives median (mean of the middle two for an even count), min and max", () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(spread([7])).toEqual({ median: 7, min: 7, max: 7 });
    expect(() => spread([])).toThrow("spread: no values");
  });
});

describe("interleave", () => {
  it("alternates ours and the reference, warm-up first, and takes the ratio pair by pair", async () => {
    const order: string[] = [];
    // Pair i: ours 2(i+1) ms of CPU, the reference i+1: every pair's ratio is 2 although both sides vary 5×.
    let a = 0;
    let b = 0;
    const ours = async () => (order.push("A"), { cpuMs: 2 * ++a, wallMs: 10 });
    const reference = async () => (order.push("B"), { cpuMs: ++b, wallMs: 20 });
    const result = await interleave(ours, reference, { pairs: 4, warmup: 1 });
    expect(order).toEqual(["A", "B", "A", "B", "A", "B", "A", "B", "A", "B"]);
    expect(result.pairs).toBe(4);
    // The warm-up pair (2, 1) is not counted.
    expect(result.ours.cpuMs).toEqual({ median: 7, min: 4, max: 10 });
    expect(result.reference.cpuMs).toEqual({ median: 3.5, min: 2, max: 5 });
    expect(result.cpuRatio).toEqual({ median: 2, min: 2, max: 2 });
    expect(result.wallRatio).toEqual({ median: 0.5, min: 0.5, max: 0.5 });
    expect(result.load.before).toBeGreaterThanOrEqual(0);
  });

  it("interleaveAll runs every reference after each run of ours and gives each its own ratios", async () => {
    const order: string[] = [];
    let a = 0;
    // Ours 6 ms of CPU every pair; B takes 2 and 3 alternately, C always 12.
    const ours = async () => (order.push("A"), { cpuMs: 6, wallMs: 6 });
    const b = async () => (order.push("B"), { cpuMs: ++a % 2 === 1 ? 2 : 3, wallMs: 1 });
    const c = async () => (order.push("C"), { cpuMs: 12, wallMs: 4 });
    const result = await interleaveAll(ours, { b, c }, { pairs: 2, warmup: 1 });
    expect(order.join("")).toBe("ABCABCABC");
    // Warm-up B took 2; the timed pairs took 3 and 2: ratios 6/3 = 2 and 6/2 = 3.
    expect(result.b!.cpuRatio).toEqual({ median: 2.5, min: 2, max: 3 });
    expect(result.c!.cpuRatio).toEqual({ median: 0.5, min: 0.5, max: 0.5 });
    expect(result.c!.wallRatio.median).toBe(1.5);
    expect(result.b!.ours).toEqual(result.c!.ours);
    await expect(interleaveAll(ours, {})).rejects.toThrow("interleave: no references; pass at least one");
  });

  it("refuses a pair count below 1 or a fractional warm-up", async () => {
    const t = async () => ({ cpuMs: 1, wallMs: 1 });
    await expect(interleave(t, t, { pairs: 0 })).rejects.toThrow("interleave: pairs must be a whole number ≥ 1, got 0");
    await expect(interleave(t, t, { warmup: 0.5 })).rejects.toThrow("interleave: warmup must be a whole number ≥ 0, got 0.5");
  });

  it("rounds ms to 0.01 and ratios to 0.001", () => {
    const s = (x: number) => ({ median: x, min: x, max: x });
    const r = rounded({ pairs: 1, ours: { cpuMs: s(1.23456), wallMs: s(2) }, reference: { cpuMs: s(3), wallMs: s(4) }, cpuRatio: s(0.123456), wallRatio: s(1), load: { before: 1.234, after: 2 } });
    expect([r.ours.cpuMs.median, r.cpuRatio.median, r.load.before]).toEqual([1.23, 0.123, 1.23]);
  });

  it("timeInProcess measures this process's CPU time, not only the wall clock", async () => {
    // Busy until this process has had 30 ms of CPU (not 30 ms of wall clock: on a loaded
    // machine a wall-clock loop may get only a fraction of that on a core).
    const busy = await timeInProcess(() => {
      const start = process.cpuUsage();
      let x = 0;
      for (;;) {
        for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + 1);
        const used = process.cpuUsage(start);
        if ((used.user + used.system) / 1000 >= 30) return x;
      }
    });
    expect(busy.cpuMs).toBeGreaterThanOrEqual(29);
    expect(busy.wallMs).toBeGreaterThan(0);
    const idle = await timeInProcess(() => new Promise((resolve) => setTimeout(resolve, 30)));
    expect(idle.wallMs).toBeGreaterThanOrEqual(25);
    expect(idle.cpuMs).toBeLessThan(idle.wallMs);
  });
});

describe("PythonServer", () => {
  const script = join(import.meta.dirname, "echo-server.py");

  it("answers requests in order over one process, and turns an answered error into a rejection", async () => {
    // python3 from PATH: the stand-in needs no numpy.
    const server = new PythonServer(script, { python: "python3" });
    try {
      const answers = await Promise.all([1, 2, 3].map((value) => server.call<{ value: number }>({ value })));
      expect(answers.map((a) => a.value)).toEqual([2, 4, 6]);
      await expect(server.call({ fail: true })).rejects.toThrow(`${script}: asked to fail`);
      expect((await server.call<{ value: number }>({ value: 5 })).value).toBe(10);
      await expect(server.call({ exit: true })).rejects.toThrow(/exited \(3\)/);
      await expect(server.call({ value: 1 })).rejects.toThrow(/exited \(3\)/);
    } finally {
      server.close();
    }
  });
});
