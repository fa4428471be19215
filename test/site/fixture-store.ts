/**
 * A second, real experiment for the site's tests: two data sets (synthetic noisy blobs and the
 * shared Pima diabetes table) × the logistic learner × two samplers × two seeds, retrain only,
 * plus 10% baselines; trained by `al run` (seconds on the wasm backend). The site build adds
 * the quickstart's ci grid to the same store, so the store holds two experiments on different
 * grid axes. A third, smaller one (mcFoldSpec, named MC_FOLD) varies the MC-sample count of BALD, an axis only
 * some samplers have, which the report pages fold into the sampler's name.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");

export const TWO_DATASETS = "two-datasets";

export const twoDatasetsSpec = {
  name: TWO_DATASETS,
  description: "Margin vs random on <script>blobs</script> & diabetes (logistic)",
  dataset: [
    { name: "noisy-blobs", blobs: 20, perBlob: 10, noisyPairs: 2, dimension: 2 },
    { name: "diabetes", dir: join(ROOT, "../shared/data/tabular"), pool: 200, test: 100 },
  ],
  learner: "logistic",
  samplers: ["random", "margin"],
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 3,
  epochs: 5,
  seeds: [1, 2],
  baselines: [10],
};

// Named to sort after the other two, so the Rankings page's default pick (its first experiments sharing 2+ samplers) stays theirs.
export const MC_FOLD = "with-mc-samples";

/** BALD with 3 and with 5 MC-dropout samples beside random: random has no MC setting at all. */
export const mcFoldSpec = {
  name: MC_FOLD,
  description: "BALD at two MC-dropout sample counts vs random (blobs, small MLP)",
  dataset: { name: "noisy-blobs", blobs: 10, perBlob: 10, noisyPairs: 1, dimension: 2 },
  learner: { name: "mlp", options: { hidden: [8], dropout: 0.2 } },
  samplers: ["random", "bald"],
  mcSamples: [{ method: "mc-dropout", samples: 3 }, { method: "mc-dropout", samples: 5 }],
  initial: { size: 10 },
  acquisition: { size: 5 },
  rounds: 2,
  epochs: 2,
  seeds: [1],
};

// Named to sort last too, for the same reason.
export const STRATEGIES = "with-survey-strategies";

/**
 * The survey's strategies that need more than probabilities, each beside random: label
 * dispersion (per-epoch records), suggestive annotation (MC samples + embeddings), CEAL
 * (pseudo-labels, a threshold loose enough for a tiny MLP), VAAL (its own β-VAE, tiny) and loss
 * prediction (the learner's module, so the whole grid trains one).
 */
export const strategiesSpec = {
  name: STRATEGIES,
  description: "Label dispersion, suggestive annotation, CEAL, VAAL and loss prediction vs random (diabetes, small MLP)",
  dataset: { name: "diabetes", dir: join(ROOT, "../shared/data/tabular"), pool: 200, test: 100 },
  learner: { name: "mlp", options: { hidden: [16], dropout: 0.2, learningRate: 0.01, lossPrediction: { units: 8 } } },
  samplers: [
    "random",
    "label-dispersion",
    "suggestive-annotation",
    { name: "ceal", options: { threshold: 0.5, decay: 0 } },
    { name: "vaal", options: { latent: 2, hidden: 8, epochs: 2 } },
    "loss-prediction",
  ],
  mcSamples: { method: "mc-dropout", samples: 3 },
  initial: { size: 20 },
  acquisition: { size: 10 },
  rounds: 3,
  epochs: 5,
  seeds: [1],
  // 1.5 per label, for the comparison's annotation-cost axis.
  cost: 1.5,
};

/** Writes the experiment file into `dir` and runs it into `db`; returns the file's path. */
export function runTwoDatasets(dir: string, db: string): string {
  return runSpec(dir, db, TWO_DATASETS, twoDatasetsSpec);
}

/** The same for strategiesSpec. */
export function runStrategies(dir: string, db: string): string {
  return runSpec(dir, db, STRATEGIES, strategiesSpec);
}

/** The same for mcFoldSpec. */
export function runMcFold(dir: string, db: string): string {
  return runSpec(dir, db, MC_FOLD, mcFoldSpec);
}

function runSpec(dir: string, db: string, name: string, spec: object): string {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, `export default ${JSON.stringify(spec)};\n`);
  const r = spawnSync(process.execPath, [join(ROOT, "bin/al.js"), "run", file, "--db", db], {
    cwd: ROOT,
    env: { ...process.env, AL_BACKEND: process.env.AL_BACKEND ?? "wasm", NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`al run ${file} failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  return file;
}
