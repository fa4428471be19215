/**
 * Synthetic quickstart rounds, shaped exactly like the `quickstart.parquet` loader's output,
 * so the site and its chart can be developed and tested without running an experiment.
 */

export interface FixtureRound {
  experiment: string;
  run_id: string;
  dataset: string;
  learner: string;
  sampler: string;
  mode: "retrain" | "keep-train";
  seed: number;
  round: number;
  labelled: number;
  accuracy: number;
  macro_f1: number;
  train_seconds: number;
  score_seconds: number;
  select_seconds: number;
  evaluate_seconds: number;
  backend: string;
}

export const FIXTURE_SAMPLERS = ["random", "least-confidence", "margin", "entropy"] as const;
export const FIXTURE_MODES = ["retrain", "keep-train"] as const;
export const FIXTURE_SEEDS = [0, 1, 2] as const;
export const FIXTURE_ROUNDS = 11;

/** mulberry32: tiny deterministic PRNG, so fixtures are identical on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Uncertainty samplers learn faster than random; keep-train a little behind retrain.
const GAIN: Record<string, number> = { random: 1, "least-confidence": 1.45, margin: 1.55, entropy: 1.35 };
const MODE_OFFSET: Record<string, number> = { retrain: 0, "keep-train": -0.015 };

export function fixtureRounds(): FixtureRound[] {
  const rows: FixtureRound[] = [];
  FIXTURE_SAMPLERS.forEach((sampler, si) => {
    FIXTURE_MODES.forEach((mode, mi) => {
      for (const seed of FIXTURE_SEEDS) {
        const rand = prng(1000 * si + 100 * mi + seed + 1);
        const runId = `quickstart-${sampler}-${mode}-s${seed}`;
        for (let round = 0; round < FIXTURE_ROUNDS; round++) {
          const labelled = 20 * (round + 1);
          // Saturating curve from ~0.45 towards ~0.92, plus seed noise.
          const progress = 1 - Math.exp((-GAIN[sampler]! * labelled) / 90);
          const noise = (rand() - 0.5) * 0.04;
          const accuracy = clamp(0.45 + 0.47 * progress + MODE_OFFSET[mode]! + noise);
          const macroF1 = clamp(accuracy - 0.03 - rand() * 0.02);
          rows.push({
            experiment: "quickstart",
            run_id: runId,
            dataset: "digits",
            learner: "mlp",
            sampler,
            mode,
            seed,
            round,
            labelled,
            accuracy: round6(accuracy),
            macro_f1: round6(macroF1),
            train_seconds: round6(0.05 + (mode === "retrain" ? 0.004 * labelled : 0.03) + rand() * 0.01),
            score_seconds: round6(0.01 + rand() * 0.005),
            select_seconds: round6(sampler === "random" ? 0.0005 : 0.002 + rand() * 0.001),
            evaluate_seconds: round6(0.008 + rand() * 0.002),
            backend: "cpu",
          });
        }
      }
    });
  });
  return rows;
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
