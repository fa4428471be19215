/**
 * Battery: issue 12 (own data, code-defined learners and samplers, al compare) tried by a
 * hostile user. Each case is a defect found in that pass, fixed: the message a user got was
 * misleading, preceded by a banner, or a comparison silently dropped a run.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { battery, root, type Context } from "./harness.ts";

/** 40 rows of a, b (numbers) and y (A/B alternating), joined by `sep`. */
function table(ctx: Context, name: string, sep = ","): void {
  const lines = [["a", "b", "y"].join(sep)];
  for (let r = 0; r < 40; r++) lines.push([String(r % 9), String((r * 7) % 10), r % 2 === 0 ? "A" : "B"].join(sep));
  ctx.file(name, lines.join("\n") + "\n");
}

const plan = { learner: "logistic", samplers: ["random"], initial: { size: 6 }, acquisition: { size: 4 }, rounds: 2, epochs: 1, seeds: [1] };

/** An experiment file in TypeScript (for code-defined parts), importing al-lab by absolute path. */
function codeExperiment(ctx: Context, name: string, body: string): string {
  const lib = join(root, "lib");
  return ctx.file(
    `${name}.ts`,
    [
      `import { defineExperiment } from "${lib}/experiments/define.ts";`,
      `import { defineSampler } from "${lib}/al/samplers/define-sampler.ts";`,
      `import { tf, tfjsLearner } from "${lib}/learners/tfjs-learner.ts";`,
      body,
    ].join("\n"),
  );
}

battery("reliability: issue 12, hostile pass", [
  {
    name: "a features list naming a missing column, in a file with other columns: the missing one is named",
    setup: (ctx) => {
      table(ctx, "mine.csv");
      ctx.experiment("exp", { ...plan, dataset: { file: "mine.csv", label: "y", features: ["a", "zz"] } });
    },
    args: ["run", "exp.ts"],
    code: 2,
    // Before: `unexpected column "b"; … remove it` — about the column the user did not misspell.
    stderr: /^al run: exp\.ts: dataset: \/.*\/mine\.csv: no feature column "zz"; the columns are a, b, y$/,
  },
  {
    name: "a TSV named .csv: the columns are shown split and format tsv suggested",
    setup: (ctx) => {
      table(ctx, "mine.csv", "\t");
      ctx.experiment("exp", { ...plan, dataset: { file: "mine.csv", label: "y" } });
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/mine\.csv: no label column "y"; the columns are a, b, y; the header is tab-separated: set dataset\.format to "tsv" \(or name the file \.tsv\)$/,
  },
  {
    name: "a tfjsLearner whose body ends in softmax: the one-line error comes first, no tfjs banner before it",
    setup: (ctx) => {
      table(ctx, "mine.csv");
      codeExperiment(
        ctx,
        "exp",
        `const net = tfjsLearner({ name: "net", build: (inputShape, classes) => tf.sequential({ layers: [tf.layers.dense({ inputShape, units: 4, activation: "relu" }), tf.layers.dense({ units: classes, activation: "softmax" })] }) });
export default defineExperiment({ name: "exp", dataset: { file: "mine.csv", label: "y" }, learner: net, samplers: ["random"], initial: { size: 6 }, acquisition: { size: 4 }, rounds: 1, epochs: 1, seeds: [1] });`,
      );
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: net: build returns a model ending in a softmax head; return the body without it/,
    check: (_ctx, result) => expect(result.stderr).not.toMatch(/looks like you are running TensorFlow\.js/),
  },
  {
    name: "al compare after the data file and the sampler changed: the newest run of a cell is ranked, the older one named, code versions shortened",
    setup: (ctx) => {
      table(ctx, "mine.csv");
      const spec = (version: string): string =>
        `const mine = defineSampler({ name: "mine", needs: ["probs"], score: (inputs) => Array.from({ length: inputs.labelled.length }, (_, i) => ${version}) });
export default defineExperiment({ name: "exp", dataset: { file: "mine.csv", label: "y" }, learner: "logistic", samplers: ["random", mine], initial: { size: 6 }, acquisition: { size: 4 }, rounds: 2, epochs: 1, seeds: [1] });`;
      codeExperiment(ctx, "exp", spec("i"));
      const first = ctx.al("run", "exp.ts", "--workers", "1");
      expect(first.code, first.stderr).toBe(0);
      // Edit one cell (random's run gets a new id with the same config) and the sampler's function.
      const csv = join(ctx.dir, "mine.csv");
      writeFileSync(csv, readFileSync(csv, "utf8").replace("\n0,0,A\n", "\n0,1,A\n"));
      codeExperiment(ctx, "exp", spec("-i"));
      const second = ctx.al("run", "exp.ts", "--workers", "1");
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/2 done, 0 reused/);
    },
    args: ["compare", "exp", "--json"],
    code: 0,
    unchanged: false,
    check: (ctx, result) => {
      const out = JSON.parse(result.stdout) as {
        groups: Array<{ blocks: number; methods: Array<{ sampler: string }> }>;
        skipped: Array<{ runId: string; why: string }>;
      };
      const runs = JSON.parse(ctx.al("ls", "--runs", "--json").stdout) as Array<{ run_id: string; sampler: string }>;
      const randoms = runs.filter((r) => r.sampler === "random").map((r) => r.run_id);
      expect(randoms).toHaveLength(2);
      // One random run is left out, superseded by the other (before: one silently overwrote the other).
      expect(out.skipped).toHaveLength(1);
      expect(randoms).toContain(out.skipped[0]!.runId);
      const newer = randoms.find((id) => id !== out.skipped[0]!.runId)!;
      expect(out.skipped[0]!.why).toBe(`superseded by the newer run ${newer} with the same settings, e.g. after an edit of the data file`);
      // The two versions of the sampler are told apart by 12 hex digits of their code hash.
      const names = out.groups[0]!.methods.map((m) => m.sampler).sort();
      expect(names).toHaveLength(3);
      expect(names[0]).toMatch(/^mine \(code [0-9a-f]{12}\)$/);
      expect(names[1]).toMatch(/^mine \(code [0-9a-f]{12}\)$/);
      expect(names[0]).not.toBe(names[1]);
      expect(names[2]).toBe("random");
      expect(out.groups[0]!.blocks).toBe(1);
    },
  },
]);
