/**
 * Reliability battery for the samplers and metrics that read probabilities: every sampler that
 * reads `probs`, `mcSamples` or `referenceProbs`, and every metric that reads `probs`, is fed
 * one broken value at a known place and must refuse it with one line naming itself, the row
 * and the input — never rank the broken row first or skip it silently. Plain vitest, no CLI:
 * these are pure-core functions.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import type { Matrix } from "../../lib/al/matrix.ts";
import { aurocMacro } from "../../lib/al/metrics/auroc-macro.ts";
import { aurocMicro } from "../../lib/al/metrics/auroc-micro.ts";
import { expectedCalibrationError } from "../../lib/al/metrics/expected-calibration-error.ts";
import { logLoss } from "../../lib/al/metrics/log-loss.ts";
import { createRandom } from "../../lib/al/random.ts";
import { getSampler } from "../../lib/al/samplers/index.ts";
import type { SamplerInputs } from "../../lib/al/samplers/sampler.ts";

const root = join(import.meta.dirname, "../..");
const n = 6;
const c = 3;
const t = 4;
const bad = 4; // the broken pool row (unlabelled)
const labelled = Uint8Array.from([1, 0, 0, 1, 0, 0]);

/** A valid input set for every sampler: softmax probs, per-label probs, MC samples, embeddings. */
function validInputs(multilabel: boolean): SamplerInputs {
  const r = createRandom(7, "battery");
  const probs = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < c; j++) sum += probs[i * c + j] = 0.1 + r.next();
    if (!multilabel) for (let j = 0; j < c; j++) probs[i * c + j] = probs[i * c + j]! / sum;
    else for (let j = 0; j < c; j++) probs[i * c + j] = probs[i * c + j]! / 1.2;
  }
  const mc = new Float32Array(n * t * c);
  for (let row = 0; row < n * t; row++) {
    let sum = 0;
    for (let j = 0; j < c; j++) sum += mc[row * c + j] = 0.05 + r.next();
    for (let j = 0; j < c; j++) mc[row * c + j] = mc[row * c + j]! / sum;
  }
  const embeddings = Float32Array.from({ length: n * 2 }, () => r.normal());
  const labels = Int32Array.from([0, -1, -1, 2, -1, -1]);
  const labelSets = Float32Array.from([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  return {
    probs: { data: probs, n, c },
    mcSamples: { data: mc, n, t, c },
    embeddings: { data: embeddings, n, c: 2 },
    labels,
    labelSets: { data: labelSets, n, c },
    referenceProbs: Float32Array.from([0.9, 0.2, 0.6, 0.4, 0.7, 0.1]),
    labelled,
  };
}

type Input = "probs" | "mcSamples" | "referenceProbs";

interface Corruption {
  name: string;
  /** Which input kinds it applies to (all-zero rows and wrong sums are fine per label). */
  kinds: ReadonlyArray<"distribution" | "per-label" | "samples" | "label-samples" | "reference">;
  apply(inputs: SamplerInputs, input: Input): void;
  /** The expected message after "<sampler>: <input> ", for a distribution, per-label row or sample. */
  message(input: Input): RegExp;
}

const samplesRow = `row ${bad} \\(sample 2\\)`;
const where = (input: Input): string => (input === "mcSamples" ? samplesRow : `row ${bad}`);
/** Flat offset of the broken row's first value. */
const offset = (input: Input): number => (input === "mcSamples" ? (bad * t + 2) * c : input === "probs" ? bad * c : bad);

function setAt(inputs: SamplerInputs, input: Input, column: number, value: number): void {
  const data = input === "probs" ? inputs.probs!.data : input === "mcSamples" ? inputs.mcSamples!.data : inputs.referenceProbs!;
  data[offset(input) + column] = value;
}

const corruptions: Corruption[] = [
  {
    name: "NaN",
    kinds: ["distribution", "per-label", "samples", "label-samples", "reference"],
    apply: (inputs, input) => setAt(inputs, input, input === "referenceProbs" ? 0 : 1, NaN),
    message: (input) => new RegExp(`${where(input)} holds NaN${input === "referenceProbs" ? "" : " \\(column 1\\)"}; `),
  },
  {
    name: "Infinity",
    kinds: ["distribution", "per-label", "samples", "label-samples", "reference"],
    apply: (inputs, input) => setAt(inputs, input, 0, Infinity),
    message: (input) => new RegExp(`${where(input)} holds Infinity${input === "referenceProbs" ? "" : " \\(column 0\\)"}; `),
  },
  {
    name: "a negative value",
    kinds: ["distribution", "per-label", "samples", "label-samples", "reference"],
    apply: (inputs, input) => setAt(inputs, input, 0, -0.25),
    message: (input) => new RegExp(`${where(input)} holds -0\\.25${input === "referenceProbs" ? "" : " \\(column 0\\)"}; `),
  },
  {
    name: "a value above 1",
    kinds: ["per-label", "label-samples", "reference"],
    apply: (inputs, input) => setAt(inputs, input, 0, 1.5),
    message: (input) => new RegExp(`${where(input)} holds 1\\.5${input === "referenceProbs" ? "" : " \\(column 0\\)"}; `),
  },
  {
    name: "an all-zero row",
    kinds: ["distribution", "samples"],
    apply: (inputs, input) => {
      for (let j = 0; j < c; j++) setAt(inputs, input, j, 0);
    },
    message: (input) => new RegExp(`${where(input)} sums to 0, not 1 \\(±0\\.001\\); pass softmax probabilities`),
  },
  {
    name: "an unnormalised row (sums to 2)",
    kinds: ["distribution", "samples"],
    apply: (inputs, input) => {
      setAt(inputs, input, 0, 0.9);
      setAt(inputs, input, 1, 0.8);
      setAt(inputs, input, 2, 0.3);
    },
    message: (input) => new RegExp(`${where(input)} sums to 2, not 1 \\(±0\\.001\\)`),
  },
  {
    name: "a row cut short",
    kinds: ["distribution", "per-label", "samples", "label-samples"],
    apply: (inputs, input) => {
      if (input === "probs") inputs.probs = { ...inputs.probs!, data: inputs.probs!.data.subarray(0, n * c - 1) };
      else inputs.mcSamples = { ...inputs.mcSamples!, data: inputs.mcSamples!.data.subarray(0, n * t * c - 1) };
    },
    message: (input) =>
      input === "probs"
        ? new RegExp(`has ${n * c - 1} values for ${n} rows of ${c} \\(row ${n - 1} is cut short\\)`)
        : new RegExp(`data has ${n * t * c - 1} values, expected ${n}×${t}×${c} = ${n * t * c} \\(row ${n - 1} is cut short\\)`),
  },
];

/** Every sampler that reads probabilities, with the input it reads and what kind of rows they are. */
const readers: Array<{ sampler: string; input: Input; kind: Corruption["kinds"][number]; options?: object }> = [
  ...["least-confidence", "margin", "entropy", "ratio", "badge", "cal", "egl", "iconfidence", "information-density", "wkmeans", "iwkmeans"].map(
    (sampler) => ({ sampler, input: "probs" as const, kind: "distribution" as const }),
  ),
  ...["binary-minimum", "binary-entropy", "max-loss", "cardinality-inconsistency"].map((sampler) => ({
    sampler,
    input: "probs" as const,
    kind: "per-label" as const,
  })),
  ...["bald", "variation-ratios", "mean-std", "qbc-vote-entropy", "qbc-kl", "batchbald", "suggestive-annotation"].map((sampler) => ({
    sampler,
    input: "mcSamples" as const,
    kind: "samples" as const,
  })),
  // Multi-label MC samples: one sigmoid per label, so only the per-value checks apply.
  { sampler: "binary-bald", input: "mcSamples", kind: "label-samples" },
  { sampler: "binary-batchbald", input: "mcSamples", kind: "label-samples" },
  { sampler: "iconfidence", input: "referenceProbs", kind: "reference" },
  // The stochastic wrapper refuses through the score it wraps, under that score's name.
  { sampler: "stochastic", input: "mcSamples", kind: "samples", options: { score: "bald" } },
];

const cases = readers.flatMap((reader) =>
  corruptions
    .filter((corruption) => corruption.kinds.includes(reader.kind))
    .map((corruption) => ({ ...reader, corruption, label: `${reader.sampler} × ${reader.input} with ${corruption.name}` })),
);

describe("samplers refuse broken probabilities with one line naming the sampler, the row and the input", () => {
  it("the table covers every reader × bad input (at least 12 cases)", () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it("a valid input set passes every reader (so each failure below is the corruption's)", () => {
    for (const reader of readers) {
      const sampler = getSampler(reader.sampler, "sampler");
      const options = sampler.parseOptions(reader.options, "options");
      const inputs = validInputs(reader.kind === "per-label");
      expect(sampler.select(inputs, 2, options, { random: createRandom(1, "select") }).length, reader.sampler).toBe(2);
    }
  });

  it.each(cases)("$label", ({ sampler: name, input, kind, corruption, options: raw }) => {
    const sampler = getSampler(name, "sampler");
    const options = sampler.parseOptions(raw, "options");
    const inputs = validInputs(kind === "per-label");
    corruption.apply(inputs, input);
    const reported = name === "stochastic" ? "bald" : name;
    let message = "";
    try {
      sampler.select(inputs, 2, options, { random: createRandom(1, "select") });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe("");
    expect(message).not.toContain("\n");
    expect(message.startsWith(`${reported}: ${input} `), message).toBe(true);
    expect(message).toMatch(corruption.message(input));
  });

  it("the issue's example: a NaN row is refused, not ranked first by least-confidence, margin and ratio", () => {
    const probs: Matrix = { data: Float32Array.from([0.6, 0.3, 0.1, 0.05, NaN, 0.05]), n: 2, c: 3 };
    for (const name of ["least-confidence", "margin", "ratio"]) {
      const sampler = getSampler(name, "sampler");
      expect(() => sampler.select({ probs, labelled: new Uint8Array(2) }, 1, {}, { random: createRandom(1) }), name).toThrow(
        `${name}: probs row 1 holds NaN (column 1); probabilities must be finite numbers in [0, 1], each row summing to 1 (softmax outputs)`,
      );
    }
  });

  it("float32 softmax rows (sums off by rounding) and a sigmoid overshooting 1 by an ulp are accepted", () => {
    // 1000 classes of float32 1/1000: the sum is off by ~1e-6, far inside the 1e-3 tolerance.
    const wide = new Float32Array(2 * 1000).fill(1 / 1000);
    const margin = getSampler("margin", "sampler");
    expect(margin.select({ probs: { data: wide, n: 2, c: 1000 }, labelled: new Uint8Array(2) }, 1, {}, { random: createRandom(1) })).toEqual(
      Int32Array.of(0),
    );
    // −0 has the sign bit set (the fast scan flags it) but is a valid probability.
    const negativeZero = Float32Array.from([0.5, 0.5, -0, 1]);
    expect(margin.select({ probs: { data: negativeZero, n: 2, c: 2 }, labelled: new Uint8Array(2) }, 1, {}, { random: createRandom(1) })).toEqual(
      Int32Array.of(0),
    );
    const overshoot = Float32Array.from([1 + 2 ** -23, 0.5, 0.2, 0.3]);
    const binaryMinimum = getSampler("binary-minimum", "sampler");
    expect(Array.from(binaryMinimum.select({ probs: { data: overshoot, n: 2, c: 2 }, labelled: new Uint8Array(2) }, 1, {}, { random: createRandom(1) }))).toEqual([
      0,
    ]);
  });
});

/** Metrics over test probabilities: N = 3 points, C = 3 classes, truth 0, 1, 2. */
const truth = Int32Array.from([0, 1, 2]);
const testProbs = (row: number[]): Matrix => ({ data: Float32Array.from([0.7, 0.2, 0.1, ...row, 0.1, 0.1, 0.8]), n: 3, c: 3 });
const metrics: Array<[string, (probs: Matrix) => unknown]> = [
  ["expectedCalibrationError", (p) => expectedCalibrationError(p, truth)],
  ["logLoss", (p) => logLoss(p, truth)],
  ["aurocMacro", (p) => aurocMacro(p, truth)],
  ["aurocMicro", (p) => aurocMicro(p, truth)],
];
const badRows: Array<[string, number[], RegExp]> = [
  // ECE used to skip a NaN that is not the top probability; log loss one not on the true class.
  ["NaN below the top probability", [0.6, 0.3, NaN], /probs row 1 holds NaN \(column 2\); probabilities must be finite/],
  ["Infinity", [Infinity, 0, 0], /probs row 1 holds Infinity \(column 0\)/],
  ["a negative value", [0.6, 0.5, -0.1], /probs row 1 holds -0\.1 \(column 2\)/],
  ["an all-zero row", [0, 0, 0], /probs row 1 sums to 0, not 1 \(±0\.001\); pass softmax probabilities/],
  ["a row summing to 0.5", [0.2, 0.2, 0.1], /probs row 1 sums to 0\.5, not 1/],
];
const metricCases = metrics.flatMap(([metric, run]) => badRows.map(([what, row, message]) => ({ metric, run, what, row, message })));

describe("metrics refuse probability rows that are not distributions", () => {
  it("valid rows pass", () => {
    for (const [metric, run] of metrics) expect(() => run(testProbs([0.2, 0.5, 0.3])), metric).not.toThrow();
  });

  it.each(metricCases)("$metric with $what", ({ metric, run, row, message }) => {
    expect(() => run(testProbs(row))).toThrow(new RegExp(`^${metric}: ${message.source}`));
  });
});

describe("the pure core imports nothing above lib/al", () => {
  // lib/al/{samplers,metrics,stats,cluster} and everything they import, transitively, must live
  // in lib/al or be a package (SpecError, which the samplers' option parsing throws so the CLI
  // exits 2, lives in lib/al/errors.ts for that reason).
  const lib = join(root, "lib");
  const core = ["samplers", "metrics", "stats", "cluster"].map((dir) => join(lib, "al", dir));
  const packages = new Set(["zod"]);

  function importsOf(file: string): string[] {
    const text = readFileSync(file, "utf8");
    const found: string[] = [];
    for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) found.push(match[1]!);
    for (const match of text.matchAll(/import\(\s*"([^"]+)"\s*\)/g)) found.push(match[1]!);
    return found;
  }

  it("every file reached from the core is in lib/al or a package", () => {
    const queue = core.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f)));
    expect(queue.length).toBeGreaterThan(40);
    const seen = new Set(queue);
    const outside: string[] = [];
    while (queue.length > 0) {
      const file = queue.pop()!;
      for (const specifier of importsOf(file)) {
        if (!specifier.startsWith(".")) {
          if (!packages.has(specifier.split("/")[0]!)) outside.push(`${relative(root, file)} imports package ${specifier}`);
          continue;
        }
        const target = resolve(dirname(file), specifier);
        if (!target.startsWith(join(lib, "al") + sep)) outside.push(`${relative(root, file)} imports ${relative(root, target)}`);
        else if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    expect(outside).toEqual([]);
  });
});
