/**
 * Battery: a user's own data file that is wrong. Each is refused with exit 2 and one line that
 * names the file (absolute, as resolved against the experiment file's folder), the line or row
 * and the column or array where there is one, and what to do — before the store is opened.
 */
import { battery, type Context } from "./harness.ts";
import { npy, npz } from "../data/npy-fixtures.ts";

/** 30 rows of a, b (numbers) and y (A/B alternating, or `label(r)`); `cell` overwrites one cell. */
function table(ctx: Context, name: string, options: { label?: (r: number) => string; cell?: [number, number, string] } = {}): void {
  const { label = (r) => (r % 2 === 0 ? "A" : "B"), cell } = options;
  const lines = ["a,b,y"];
  for (let r = 0; r < 30; r++) {
    const values = [String(r), String((r * 7) % 10), label(r)];
    if (cell && cell[0] === r) values[cell[1]] = cell[2];
    lines.push(values.join(","));
  }
  ctx.file(name, lines.join("\n") + "\n");
}

const plan = { samplers: ["random"], initial: { size: 6 }, acquisition: { size: 2 }, rounds: 1 };
const onFile = (dataset: Record<string, unknown>) => ({ ...plan, dataset });

const X = npy("<f4", [30, 2], Array.from({ length: 60 }, (_, k) => k));
const Y = npy("<i4", [30], Array.from({ length: 30 }, (_, r) => r % 2));

battery("reliability: the user's own data file", [
  {
    name: "the file does not exist (looked for next to the experiment file)",
    setup: (ctx) => {
      // The data lies next to where `al` is started, not next to the experiment file.
      ctx.experiment("study/exp", onFile({ file: "data/mine.csv", label: "y" }));
      table(ctx, "data/mine.csv");
    },
    args: ["run", "study/exp.ts"],
    code: 2,
    stderr: /^al run: study\/exp\.ts: dataset: \/.*\/study\/data\/mine\.csv: file not found \(dataset\.file\); check the path \(a relative path is read from the experiment file's folder\)$/,
  },
  {
    name: "an unknown extension",
    setup: (ctx) => {
      ctx.file("mine.xls", "a,b,y\n");
      ctx.experiment("exp", onFile({ file: "mine.xls", label: "y" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/mine\.xls: unknown file type "\.xls" in dataset\.file; use one of \.csv, .*, or set dataset\.format$/,
  },
  {
    name: "the label column is missing",
    setup: (ctx) => {
      table(ctx, "mine.csv");
      ctx.experiment("exp", onFile({ file: "mine.csv", label: "class" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/mine\.csv: no label column "class"; the columns are a, b, y$/,
  },
  {
    name: "the label column holds one class",
    setup: (ctx) => {
      table(ctx, "mine.csv", { label: () => "yes" });
      ctx.experiment("exp", onFile({ file: "mine.csv", label: "y" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/mine\.csv: the labels \(column "y"\) hold only one class \("yes"\); a classifier needs at least 2, so check that it is the label column$/,
  },
  {
    name: "a word in a numeric feature column",
    setup: (ctx) => {
      table(ctx, "mine.csv", { cell: [11, 1, "seven"] });
      ctx.experiment("exp", onFile({ file: "mine.csv", label: "y" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/mine\.csv: line 13, column "b": "seven" is not a number; fix the value/,
  },
  {
    name: "a features entry that is not in the file",
    setup: (ctx) => {
      table(ctx, "mine.csv");
      ctx.experiment("exp", onFile({ file: "mine.csv", label: "y", features: ["a", "b", "c"] }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/mine\.csv: no feature column "c"; the columns are a, b, y$/,
  },
  {
    name: "a misspelt option of the file form",
    setup: (ctx) => {
      table(ctx, "mine.csv");
      ctx.experiment("exp", onFile({ file: "mine.csv", lable: "y" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset\.lable: unknown field; remove it or check its spelling$/,
  },
  {
    name: "an option that does not apply to the format",
    setup: (ctx) => {
      ctx.file("x.npy", X);
      ctx.file("y.npy", Y);
      ctx.experiment("exp", onFile({ file: "x.npy", labelsFile: "y.npy", label: "y" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: "label" applies only to table files \(csv, tsv, jsonl, parquet\), not npy; remove it$/,
  },
  {
    name: ".npy with a bad magic string (a CSV renamed)",
    setup: (ctx) => {
      table(ctx, "x.npy");
      ctx.file("y.npy", Y);
      ctx.experiment("exp", onFile({ file: "x.npy", labelsFile: "y.npy" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/x\.npy: not a \.npy file \(it does not start with "\\x93NUMPY"\); write it with numpy\.save/,
  },
  {
    name: ".npy cut short",
    setup: (ctx) => {
      ctx.file("x.npy", X.subarray(0, X.length - 10));
      ctx.file("y.npy", Y);
      ctx.experiment("exp", onFile({ file: "x.npy", labelsFile: "y.npy" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/x\.npy: truncated: the header says 30×2 f4 \(240 data bytes\) but the file holds 230; copy the file again or re-save it$/,
  },
  {
    name: ".npy features and labels of different lengths",
    setup: (ctx) => {
      ctx.file("x.npy", X);
      ctx.file("y.npy", npy("<i4", [29], Array.from({ length: 29 }, (_, r) => r % 2)));
      ctx.experiment("exp", onFile({ file: "x.npy", labelsFile: "y.npy" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/y\.npy: 29 labels for the 30 rows of \/.*\/x\.npy \(shapes \(30, 2\) and \(29,\)\); give one label per row$/,
  },
  {
    name: ".npy in Fortran order",
    setup: (ctx) => {
      ctx.file("x.npy", npy("<f4", [30, 2], Array.from({ length: 60 }, (_, k) => k), { fortran: true }));
      ctx.file("y.npy", Y);
      ctx.experiment("exp", onFile({ file: "x.npy", labelsFile: "y.npy" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/x\.npy: the array is stored in Fortran \(column-major\) order; save np\.ascontiguousarray\(a\) instead$/,
  },
  {
    name: ".npz without the named array",
    setup: (ctx) => {
      ctx.file("d.npz", npz({ features: X, y: Y }, { deflate: true }));
      ctx.experiment("exp", onFile({ file: "d.npz" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/d\.npz: no array "x" in the archive \(it holds "features", "y"\); set dataset\.xKey to the right name$/,
  },
  {
    name: ".npz whose x and y disagree in length",
    setup: (ctx) => {
      ctx.file("d.npz", npz({ x: X, y: npy("<i4", [31], Array.from({ length: 31 }, (_, r) => r % 2)) }));
      ctx.experiment("exp", onFile({ file: "d.npz" }));
    },
    args: ["run", "exp.ts"],
    code: 2,
    stderr: /^al run: exp\.ts: dataset: \/.*\/d\.npz: y: 31 labels for the 30 rows of array "x" \(shapes \(30, 2\) and \(31,\)\); give one label per row$/,
  },
]);
