/**
 * Battery: experiment files and data files that are wrong in ways knowable before training.
 * Each is refused with exit 2 and one line naming the file and the field, row or column, before
 * the store is opened (cases with `store: true` check it keeps its bytes).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../lib/al/random.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import { loadDataset } from "../../lib/data/registry.ts";
import { learnerCapabilities, learnerRegistry } from "../../lib/learners/index.ts";
import { battery, type Context } from "./harness.ts";

const DIABETES_HEADER = "pregnant,glucose,pressure,triceps,insulin,mass,pedigree,age";

/**
 * A crafted copy of the catalogue's diabetes.csv in the case dir: `rows` rows of small integer
 * features (row r, column k holds (r·7 + k·3) mod 10), labels from `label(r)`; `cell` may
 * overwrite one cell (row, column index, text); `extra` adds a column.
 */
function diabetes(ctx: Context, options: { rows?: number; label?: (r: number) => string; cell?: [number, number, string]; extra?: [string, (r: number) => string] } = {}): void {
  const { rows = 40, label = (r) => String(r % 2), cell, extra } = options;
  const lines = [DIABETES_HEADER + ",label" + (extra ? `,${extra[0]}` : "")];
  for (let r = 0; r < rows; r++) {
    const values = Array.from({ length: 8 }, (_, k) => String((r * 7 + k * 3) % 10));
    if (cell && cell[0] === r) values[cell[1]] = cell[2];
    lines.push([...values, label(r), ...(extra ? [extra[1](r)] : [])].join(","));
  }
  ctx.file("diabetes.csv", lines.join("\n") + "\n");
}

/** The experiment over the crafted diabetes copy (logistic, random sampler, tiny plan). */
const onDiabetes = { dataset: { name: "diabetes", dir: "." }, samplers: ["random"], initial: { size: 6 }, acquisition: { size: 2 }, rounds: 1 };

battery("reliability: spec validation and pre-flight checks", [
  // Point 6: include rules are checked with the grid's own schemas.
  {
    point: 6,
    name: "include seed 1.5 (was stored as seed 2)",
    store: true,
    setup: (ctx) => void ctx.experiment("small", { include: [{ seed: 1.5 }] }),
    args: ["run", "small.ts", "--workers", "1"],
    code: 2,
    stderr: /^al run: small\.ts: include\[0\]\.seed: expected int, got 1\.5$/,
  },
  {
    point: 6,
    name: 'include seed "abc" (crashed mid-grid after storing runs)',
    store: true,
    setup: (ctx) => void ctx.experiment("small", { include: [{ seed: "abc" }] }),
    args: ["run", "small.ts", "--workers", "1"],
    code: 2,
    stderr: /^al run: small\.ts: include\[0\]\.seed: expected number, got "abc"$/,
  },
  {
    point: 6,
    name: "include seed list with a bad second value",
    setup: (ctx) => void ctx.experiment("inc", { include: [{ seed: [2, -1] }] }),
    args: ["run", "inc.ts"],
    code: 2,
    stderr: /^al run: inc\.ts: include\[0\]\.seed\[1\]: .*>=0, got -1$/,
  },
  {
    point: 6,
    name: "include initial −5",
    setup: (ctx) => void ctx.experiment("inc", { include: [{ initial: -5 }] }),
    args: ["run", "inc.ts"],
    code: 2,
    stderr: /^al run: inc\.ts: include\[0\]\.initial: expected an integer ≥ 1 or a fraction in \(0, 1\), got -5$/,
  },
  {
    point: 6,
    name: "include epochs 0",
    setup: (ctx) => void ctx.experiment("inc", { include: [{ epochs: 0 }] }),
    args: ["run", "inc.ts"],
    code: 2,
    stderr: /^al run: inc\.ts: include\[0\]\.epochs: .*>=1, got 0$/,
  },
  {
    point: 6,
    name: "include rounds 0",
    setup: (ctx) => void ctx.experiment("inc", { include: [{ rounds: 0 }] }),
    args: ["run", "inc.ts"],
    code: 2,
    stderr: /^al run: inc\.ts: include\[0\]\.rounds: .*>=1, got 0$/,
  },
  {
    point: 6,
    name: "include acquisition 2.5",
    setup: (ctx) => void ctx.experiment("inc", { include: [{ acquisition: 2.5 }] }),
    args: ["run", "inc.ts"],
    code: 2,
    stderr: /^al run: inc\.ts: include\[0\]\.acquisition: expected an integer ≥ 1 or a fraction in \(0, 1\), got 2\.5$/,
  },
  // Point 7: failures knowable before training, found before the store is opened.
  {
    point: 7,
    name: "single-class data (crafted diabetes.csv via dataset.dir)",
    store: true,
    setup: (ctx) => {
      diabetes(ctx, { label: () => "1" });
      ctx.experiment("one", onDiabetes);
    },
    args: ["run", "one.ts", "--workers", "1"],
    code: 2,
    stderr: /^al run: one\.ts: dataset "diabetes": the pool holds only class "1"; a classifier needs at least 2 classes/,
  },
  {
    point: 7,
    name: "bald with logistic (no MC samples)",
    store: true,
    setup: (ctx) => void ctx.experiment("bald", { samplers: ["bald"] }),
    args: ["run", "bald.ts", "--workers", "1"],
    code: 2,
    stderr: /^al run: bald\.ts: sampler "bald" needs MC samples, but learner "logistic" has no MC dropout; set mcSamples: \{ method: "ensemble" \}/,
  },
  {
    point: 7,
    name: "batchbald with an mlp without dropout",
    setup: (ctx) => void ctx.experiment("bb", { learner: { name: "mlp", options: { dropout: 0 } }, samplers: ["batchbald"] }),
    args: ["run", "bb.ts"],
    code: 2,
    stderr: /^al run: bb\.ts: sampler "batchbald" needs MC samples, but learner "mlp" has no MC dropout/,
  },
  {
    point: 7,
    name: "bald with a 5-tree forest asked for 20 samples",
    setup: (ctx) => void ctx.experiment("rf", { learner: { name: "random-forest", options: { trees: 5 } }, samplers: ["bald"] }),
    args: ["run", "rf.ts"],
    code: 2,
    stderr: /^al run: rf\.ts: mcSamples\.samples: 20 samples, but learner "random-forest" gives at most 5/,
  },
  {
    point: 7,
    name: "label-dispersion with logistic (no epochs)",
    setup: (ctx) => void ctx.experiment("ld", { samplers: ["label-dispersion"] }),
    args: ["run", "ld.ts"],
    code: 2,
    stderr: /^al run: ld\.ts: sampler "label-dispersion" needs the pool's predictions after every training epoch, but learner "logistic" does not train in epochs; use a tfjs learner/,
  },
  {
    point: 7,
    name: "label-dispersion with keep-train period 1",
    setup: (ctx) => void ctx.experiment("ld1", { learner: "mlp", samplers: ["label-dispersion"], modes: ["keep-train"], epochs: 3, period: 1 }),
    args: ["run", "ld1.ts"],
    code: 2,
    stderr: /^al run: ld1\.ts: sampler "label-dispersion" measures how predictions change across a fit's epochs, but period is 1; raise it to at least 2$/,
  },
  {
    point: 7,
    name: "vaal on text read as token ids",
    setup: (ctx) => {
      const rows = (n: number) => ["text,label", ...Array.from({ length: n }, (_, i) => `"word${i % 5} thing ${i % 2 ? "a" : "b"}",${i % 2 ? "a" : "b"}`)].join("\n") + "\n";
      ctx.file("train.csv", rows(20));
      ctx.file("test.csv", rows(6));
      ctx.experiment("vt", { dataset: { name: "trec", dir: "." }, learner: "mlp", samplers: ["vaal"], initial: { size: 6 }, acquisition: { size: 2 }, rounds: 1 });
    },
    args: ["run", "vt.ts"],
    code: 2,
    stderr: /^al run: vt\.ts: sampler "vaal" trains a VAE on feature vectors, but data set "trec" gives token ids; set features: "tfidf" in its dataset options$/,
  },
  {
    point: 7,
    name: "vaal with a latent size of 0",
    setup: (ctx) => void ctx.experiment("vl", { samplers: [{ name: "vaal", options: { latent: 0 } }] }),
    args: ["run", "vl.ts"],
    code: 2,
    stderr: /^al run: vl\.ts: samplers\[0\]\.options\.latent: expected a whole number ≥ 1/,
  },
  {
    point: 7,
    name: "loss-prediction with logistic (no loss-prediction module)",
    setup: (ctx) => void ctx.experiment("lpl", { samplers: ["loss-prediction"] }),
    args: ["run", "lpl.ts"],
    code: 2,
    stderr: /^al run: lpl\.ts: sampler "loss-prediction" needs the loss a loss-prediction module predicts, but learner "logistic" has none; use a tfjs learner \(mlp, cnn, cnn1d, bilstm, transformer or a tfjsLearner\) with lossPrediction: \{\} in its options$/m,
  },
  {
    point: 7,
    name: "loss-prediction with an mlp without lossPrediction",
    setup: (ctx) => void ctx.experiment("lpm", { learner: "mlp", samplers: ["loss-prediction"] }),
    args: ["run", "lpm.ts"],
    code: 2,
    stderr: /^al run: lpm\.ts: sampler "loss-prediction" needs the loss a loss-prediction module predicts, but learner "mlp" has none; add lossPrediction: \{\} to its options$/m,
  },
  {
    point: 7,
    name: "lossPrediction.layers beyond the network's feature maps",
    setup: (ctx) => void ctx.experiment("lpx", { learner: { name: "mlp", options: { hidden: [8, 8], lossPrediction: { layers: [0, 2] } } }, samplers: ["random"] }),
    args: ["run", "lpx.ts"],
    code: 2,
    stderr: /^al run: lpx\.ts: learner "mlp": lossPrediction\.layers: 2 is out of range; the network has 2 feature maps \(0–1\)$/m,
  },
  {
    point: 7,
    name: "iconfidence without a reference classifier",
    setup: (ctx) => void ctx.experiment("ic", { samplers: ["iconfidence"] }),
    args: ["run", "ic.ts"],
    code: 2,
    stderr: /^al run: ic\.ts: sampler "iconfidence" needs a reference classifier; add reference: \{\}/,
  },
  {
    point: 7,
    name: "a feature of 1e308 (became Infinity at run time)",
    store: true,
    setup: (ctx) => {
      diabetes(ctx, { cell: [1, 1, "1e308"] });
      ctx.experiment("huge", onDiabetes);
    },
    args: ["run", "huge.ts", "--workers", "1"],
    code: 2,
    stderr: /^al run: huge\.ts: dataset: diabetes\.csv: line 3, column "glucose": "1e308" is too large for the float32 learners/,
  },
  {
    point: 7,
    name: "a feature of 1e31 (finite in float32, overflows when squared)",
    setup: (ctx) => {
      diabetes(ctx, { cell: [4, 0, "-1e31"] });
      ctx.experiment("big", onDiabetes);
    },
    args: ["run", "big.ts"],
    code: 2,
    stderr: /^al run: big\.ts: dataset: diabetes\.csv: line 6, column "pregnant": "-1e31" is too large/,
  },
  // Point 15: messages.
  {
    point: 15,
    name: "a header-only CSV says the file has no rows",
    setup: (ctx) => {
      diabetes(ctx, { rows: 0 });
      ctx.experiment("hdr", onDiabetes);
    },
    args: ["run", "hdr.ts"],
    code: 2,
    stderr: /^al run: hdr\.ts: dataset: diabetes\.csv: the file has no data rows, only a header/,
  },
  {
    point: 15,
    name: "a syntax error keeps its line and column",
    setup: (ctx) => void ctx.file("syntax.ts", 'export default {\n  name: "x",,\n};\n'),
    args: ["run", "syntax.ts"],
    code: 2,
    stderr: /^al run: syntax\.ts:2:12: syntax error: Expected identifier but found ","$/,
  },
  {
    point: 15,
    name: "initial.size 1.0 is ambiguous",
    // Written by hand: JSON (ctx.experiment) would print 1.0 as 1.
    setup: (ctx) =>
      void ctx.file(
        "one.ts",
        'export default {\n  name: "one",\n  dataset: { name: "noisy-blobs", blobs: 20, perBlob: 10, noisyPairs: 2, dimension: 2 },\n  learner: "logistic",\n  samplers: ["random"],\n  initial: { size: 1.0 },\n  acquisition: { size: 10 },\n  rounds: 2,\n  epochs: 1,\n  seeds: [1],\n};\n',
      ),
    args: ["run", "one.ts"],
    code: 2,
    stderr: /^al run: one\.ts:6:20: initial\.size: 1\.0 is ambiguous: write 1 for one label or a fraction below 1$/,
  },
  {
    point: 15,
    name: "duplicate seeds",
    store: true,
    setup: (ctx) => void ctx.experiment("small", { seeds: [1, 2, 1] }),
    args: ["run", "small.ts", "--workers", "1"],
    code: 2,
    stderr: /^al run: small\.ts: seeds\[2\]: 1 is listed twice \(also at \[0\]\)/,
  },
  {
    point: 15,
    name: "duplicate modes",
    setup: (ctx) => void ctx.experiment("modes", { modes: ["retrain", "keep-train", "retrain"] }),
    args: ["run", "modes.ts"],
    code: 2,
    stderr: /^al run: modes\.ts: modes\[2\]: "retrain" is listed twice \(also at \[0\]\)/,
  },
  {
    point: 15,
    name: "a non-numeric feature value: no hint at an option the spec lacks",
    setup: (ctx) => {
      diabetes(ctx, { cell: [2, 3, "abc"] });
      ctx.experiment("text", onDiabetes);
    },
    args: ["run", "text.ts"],
    code: 2,
    stderr: /^al run: text\.ts: dataset: diabetes\.csv: line 4, column "triceps": "abc" is not a number; fix the value \((?!.*categorical)/,
  },
  {
    point: 15,
    name: "a class only in the test split runs, with a warning first",
    unchanged: false,
    setup: (ctx) => {
      const rows = (labels: string[]) => ["text,label", ...labels.map((l, i) => `"word${i % 5} ${l} thing",${l}`)].join("\n") + "\n";
      ctx.file("train.csv", rows(Array.from({ length: 20 }, (_, i) => (i % 2 ? "a" : "b"))));
      ctx.file("test.csv", rows(["a", "b", "c", "a", "b", "c"]));
      ctx.experiment("lab", {
        dataset: { name: "trec", dir: ".", features: "tfidf", vocabSize: 20 },
        samplers: ["random"],
        initial: { size: 6 },
        acquisition: { size: 2 },
        rounds: 1,
      });
    },
    args: ["run", "lab.ts", "--workers", "1"],
    code: 0,
    stderr: /^warning: lab\.ts: dataset "trec": class "c" occurs only in the test split/,
  },
  // Point 18: column use is explicit.
  {
    point: 18,
    name: "an extra CSV column is refused, not fed to the learner",
    store: true,
    setup: (ctx) => {
      diabetes(ctx, { extra: ["id", (r) => String(1000 + r)] });
      ctx.experiment("extra", onDiabetes);
    },
    args: ["run", "extra.ts", "--workers", "1"],
    code: 2,
    stderr: /^al run: extra\.ts: dataset: diabetes\.csv: unexpected column "id"; this data set reads only label, 8 feature columns/,
  },
  {
    point: 18,
    name: "a noisy 0/1 column in the user's file gives the noisy-sample ratio",
    unchanged: false,
    setup: (ctx) => {
      diabetes(ctx, { extra: ["noisy", (r) => (r % 5 === 0 ? "1" : "0")] });
      ctx.experiment("noisy", { ...onDiabetes, acquisition: { size: 4 }, rounds: 2 });
    },
    args: (ctx) => {
      const run = ctx.al("run", "noisy.ts", "--workers", "1");
      if (run.code !== 0) throw new Error(`al run exited ${run.code}: ${run.stderr}`);
      return ["export", "--flat", "--format", "csv", "--out", "out"];
    },
    code: 0,
    check: (ctx) => {
      const [header, ...lines] = readFileSync(join(ctx.dir, "out", "rounds.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
      const column = header!.indexOf("noisy_ratio");
      expect(column, header!.join(",")).toBeGreaterThan(0);
      // Rounds 1 and 2 each select 4 points: the ratio is a multiple of 1/4.
      const ratios = lines.filter((l) => l[header!.indexOf("round")] !== "0").map((l) => Number(l[column]));
      expect(ratios).toHaveLength(2);
      for (const r of ratios) expect([0, 0.25, 0.5, 0.75, 1]).toContain(r);
    },
  },
  {
    point: 18,
    name: "each selected point's source row in the user's file is stored and exported",
    unchanged: false,
    setup: (ctx) => {
      // Feature 0 of each row is its own 0-based data row number, so a point's features say
      // which row it came from, whatever the seeded split did.
      const lines = [DIABETES_HEADER + ",label"];
      for (let r = 0; r < 40; r++) lines.push([r, ...Array.from({ length: 7 }, (_, k) => (r * 7 + k * 3) % 10), r % 2].join(","));
      ctx.file("diabetes.csv", lines.join("\n") + "\n");
      ctx.experiment("rows", { ...onDiabetes, acquisition: { size: 4 }, rounds: 2 });
    },
    args: (ctx) => {
      const run = ctx.al("run", "rows.ts", "--workers", "1");
      if (run.code !== 0) throw new Error(`al run exited ${run.code}: ${run.stderr}`);
      return ["export", "--flat", "--format", "csv", "--out", "out"];
    },
    code: 0,
    check: async (ctx) => {
      const [header, ...lines] = readFileSync(join(ctx.dir, "out", "selections.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
      const col = (name: string) => header!.indexOf(name);
      expect(col("source_row"), header!.join(",")).toBeGreaterThan(0);
      const dataset = await loadDataset({ name: "diabetes", dir: ctx.dir });
      expect(lines).toHaveLength(6 + 2 * 4);
      for (const line of lines) {
        const point = Number(line[col("pool_index")]);
        const row = Number(line[col("source_row")]);
        expect(dataset.pool.x.data[point * dataset.pool.x.c]).toBe(row);
      }
    },
  },
  {
    point: 18,
    name: "a noisy column must hold 0 or 1",
    setup: (ctx) => {
      diabetes(ctx, { extra: ["noisy", (r) => (r === 5 ? "2" : "0")] });
      ctx.experiment("noisy", onDiabetes);
    },
    args: ["run", "noisy.ts"],
    code: 2,
    stderr: /^al run: noisy\.ts: dataset: diabetes\.csv: line 7, column "noisy": "2" is not 0 or 1/,
  },
]);

describe("learner capability flags", () => {
  // The flags stand in for building a learner: check they say what `create` really gives.
  const shape = { inputSize: 8, inputShape: [8], classes: 3, vocabSize: 50 };
  const optionSets: Record<string, Array<Record<string, unknown>>> = {
    mlp: [{}, { dropout: 0 }, { hidden: [] }, { lossPrediction: {} }],
    cnn: [{}, { dropout: 0, convDropout: 0 }, { dropout: 0 }, { hidden: [], convDropout: 0 }, { lossPrediction: {} }],
    cnn1d: [{}, { dropout: 0 }, { lossPrediction: {} }],
    bilstm: [{}, { dropout: 0 }, { lossPrediction: {} }],
    transformer: [{}, { dropout: 0 }, { lossPrediction: {} }],
    "random-forest": [{}, { trees: 7 }],
    logistic: [{}],
    knn: [{}],
  };
  it("has flags for every registered learner", () => {
    expect(Object.keys(learnerCapabilities).sort()).toEqual(Object.keys(learnerRegistry).sort());
    expect(Object.keys(optionSets).sort()).toEqual(Object.keys(learnerRegistry).sort());
  });
  for (const [name, sets] of Object.entries(optionSets)) {
    it(`${name}: mcSamples / embeddings / predictedLoss flags match predictSamples / embed / predictLoss`, () => {
      const factory = learnerRegistry[name]!;
      for (const given of sets) {
        const options = factory.parseOptions(given, "learner.options") as Record<string, unknown>;
        const shapeFor = name === "cnn" ? { ...shape, inputSize: 64, inputShape: [8, 8] } : shape;
        const learner = factory.create(options, shapeFor);
        try {
          const flags = learnerCapabilities[name]!(options);
          expect(flags.mcSamples, `${name} ${JSON.stringify(given)}`).toBe(typeof learner.predictSamples === "function");
          expect(flags.embeddings, `${name} ${JSON.stringify(given)}`).toBe(typeof learner.embed === "function");
          expect(flags.predictedLoss, `${name} ${JSON.stringify(given)}`).toBe(typeof learner.predictLoss === "function");
          if (flags.featureMaps !== undefined) {
            // The count is what the built body exposes: its last map can be read, one more cannot.
            const withModule = (layers: number[]) => factory.create({ ...options, lossPrediction: { units: 2, margin: 1, weight: 1, layers } }, shapeFor);
            if (flags.featureMaps > 0) {
              const last = withModule([flags.featureMaps - 1]);
              last.reset(1);
              last.dispose();
            }
            const beyond = withModule([flags.featureMaps]);
            expect(() => beyond.reset(1), `${name} ${JSON.stringify(given)}`).toThrow(/lossPrediction/);
          }
          if (name === "random-forest") expect(flags.maxSamples).toBe(options.trees);
        } finally {
          learner.dispose();
        }
      }
    });
    it(`${name}: the epochPredictions flag matches what fit records`, async () => {
      await selectBackend({ force: "wasm", warn: () => {} });
      const factory = learnerRegistry[name]!;
      const options = factory.parseOptions({}, "learner.options") as Record<string, unknown>;
      const shapeFor = name === "cnn" ? { ...shape, inputSize: 64, inputShape: [8, 8] } : shape;
      // Token ids for the text learners, features otherwise; six rows, two of each class.
      const r = createRandom(1, "capabilities");
      const tokens = ["cnn1d", "bilstm", "transformer"].includes(name);
      const x = { data: Float32Array.from({ length: 6 * shapeFor.inputSize }, () => (tokens ? 1 + r.int(49) : r.normal())), n: 6, c: shapeFor.inputSize };
      const learner = factory.create(options, shapeFor);
      try {
        learner.reset(1);
        const fitted = await learner.fit(x, Int32Array.of(0, 1, 2, 0, 1, 2), { epochs: 2, random: createRandom(1, "fit"), recordPredictions: x });
        const record = fitted ? fitted.epochPredictions : undefined;
        expect(learnerCapabilities[name]!(options).epochPredictions).toBe(record !== undefined);
        if (record) {
          expect([record.n, record.e]).toEqual([6, 2]);
          for (const v of record.data) expect(v >= 0 && v < 3).toBe(true);
        }
      } finally {
        learner.dispose();
      }
    });
  }
});
