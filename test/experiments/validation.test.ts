/**
 * Spec validation beyond the field schemas: include rules checked like the grid's fields,
 * repeated list values, the ambiguous `1.0` size, and load errors that keep their location.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkAmbiguousSizes, loadExperiment, parseExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";

const base = {
  name: "t",
  dataset: "noisy-blobs",
  learner: "logistic",
  samplers: ["random"],
  initial: { size: 4 },
  acquisition: { size: 2 },
  rounds: 1,
  epochs: 1,
  seeds: [1],
};

function errorOf(spec: Record<string, unknown>): string {
  try {
    expandExperiment(parseExperiment({ ...base, ...spec }, "exp.ts"), "exp.ts");
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("include rules use the grid's schemas", () => {
  it.each([
    [{ seed: 1.5 }, "exp.ts: include[0].seed: expected int, got 1.5"],
    [{ seed: "abc" }, 'exp.ts: include[0].seed: expected number, got "abc"'],
    [{ seed: [3, -2] }, "exp.ts: include[0].seed[1]: Too small: expected number to be >=0, got -2"],
    [{ initial: -5 }, "exp.ts: include[0].initial: expected an integer ≥ 1 or a fraction in (0, 1), got -5"],
    [{ acquisition: 0 }, "exp.ts: include[0].acquisition: expected an integer ≥ 1 or a fraction in (0, 1), got 0"],
    [{ epochs: 0 }, "exp.ts: include[0].epochs: Too small: expected number to be >=1, got 0"],
    [{ period: 2.5 }, "exp.ts: include[0].period: expected int, got 2.5"],
    [{ rounds: 0 }, "exp.ts: include[0].rounds: Too small: expected number to be >=1, got 0"],
    [{ rounds: [2, 0] }, "exp.ts: include[0].rounds[1]: Too small: expected number to be >=1, got 0"],
    [{ rounds: 2, budget: 9 }, "exp.ts: include[0].budget: give rounds or budget, not both"],
  ])("include %j → %s", (rule, message) => {
    expect(errorOf({ include: [rule] })).toBe(message);
  });

  it("accepts valid values outside the grid and keeps the grid's for matching ones", () => {
    const runs = expandExperiment(parseExperiment({ ...base, include: [{ seed: 7, initial: 0.5, epochs: 3 }, { seed: "1" }] }, "exp.ts"), "exp.ts");
    expect(runs.map((r) => [r.seed, r.initial.size, r.epochs])).toEqual([
      [1, 4, 1],
      [7, 0.5, 3],
    ]);
  });
});

describe("repeated values in lists", () => {
  it.each([
    [{ seeds: [1, 2, 1] }, "exp.ts: seeds[2]: 1 is listed twice (also at [0]); remove the repeat or change it"],
    [{ modes: ["keep-train", "keep-train"] }, 'exp.ts: modes[1]: "keep-train" is listed twice (also at [0]); remove the repeat or change it'],
    [{ epochs: [5, 3, 5] }, "exp.ts: epochs[2]: 5 is listed twice (also at [0]); remove the repeat or change it"],
    [{ initial: [{ size: 4 }, { size: 4 }] }, "exp.ts: initial[1]: this value is listed twice (also at [0]); remove the repeat or change it"],
  ])("%j → %s", (spec, message) => {
    expect(errorOf(spec)).toBe(message);
  });

  it("still reports a plain bad value inside a list at its index", () => {
    expect(errorOf({ epochs: [2, 0] })).toBe("exp.ts: epochs[1]: Too small: expected number to be >=1, got 0");
  });
});

describe("size 1.0 is ambiguous", () => {
  const message = (where: string, field: string, literal = "1.0") => `f.ts:${where}: ${field}: ${literal} is ambiguous: write 1 for one label or a fraction below 1`;
  it.each([
    ["{\n  initial: { size: 1.0, stratified: true },\n}", message("2:20", "initial.size")],
    ["{ initial: [{ size: 5 }, { size: 1. }] }", message("1:49", "initial.size", "1.")],
    ["{ acquisition: {\n size: 1.00 } }", message("2:8", "acquisition.size", "1.00")],
    ['{ "initial": { "size": 1.0 } }', message("1:39", "initial.size")],
    ["{ saturation: { validation: 1.0 } }", message("1:44", "saturation.validation")],
    ["{ include: [{ initial: 1.0 }] }", message("1:39", "initial")],
  ])("%s", (text, expected) => {
    expect(() => checkAmbiguousSizes(`export default ${text};`, "f.ts")).toThrow(expected);
  });

  it("ignores 1, fractions, other fields, strings and comments", () => {
    const text = `export default { initial: { size: 1 }, acquisition: { size: 1.05 }, epochs: 1.0, name: "size: 1.0", "size": 3, note: 'initial: 1.0' /* size: 1.0 */ }; // size: 1.0`;
    expect(() => checkAmbiguousSizes(text, "f.ts")).not.toThrow();
  });
});

describe("loading an experiment file", () => {
  const dir = mkdtempSync(join(tmpdir(), "al-load-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a syntax error keeps the file's line and column", async () => {
    const file = join(dir, "bad.ts");
    writeFileSync(file, 'export default {\n  name: "x",,\n};\n');
    await expect(loadExperiment(file)).rejects.toThrow(`${file}:2:12: syntax error: Expected identifier but found ","`);
  });

  it("an error thrown on import is one line with its message", async () => {
    const file = join(dir, "throws.ts");
    writeFileSync(file, 'throw new Error("no data here");\nexport default {};\n');
    await expect(loadExperiment(file)).rejects.toThrow(`${file}: cannot load the experiment file (no data here)`);
  });

  it("1.0 in the file is refused with its location", async () => {
    const file = join(dir, "one.ts");
    writeFileSync(file, `export default ${JSON.stringify({ ...base, initial: { size: 4 } })}`.replace('"size":4', '"size":1.0'));
    await expect(loadExperiment(file)).rejects.toThrow(/one\.ts:1:\d+: initial\.size: 1\.0 is ambiguous/);
  });
});
