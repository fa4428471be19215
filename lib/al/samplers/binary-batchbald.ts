/**
 * BatchBALD for multi-label tasks (one sigmoid per label): a greedy batch maximising
 *   Σ_l I(y^l_B; w),
 * per label l the mutual information between the batch's joint binary labels y^l_B and the
 * weights (the T MC-dropout passes, uniform), summed over the labels.
 *
 * Why the sum and not the joint over all labels: given the weights the labels are independent,
 * so H(Y_B | w) = Σ_l H(Y^l_B | w) exactly, while H(Y_B) ≤ Σ_l H(Y^l_B) (subadditivity). The sum
 * is therefore an upper bound of the joint I(Y_B; w), computable per label over 2^b outcomes
 * instead of 2^(L·b), and for a batch of one it is binary-bald's score: step 1 uses
 * binaryBaldScores itself, so a batch of one equals binary-bald's top-1.
 *
 * Each label is a two-class BatchBALD over (p, 1 − p) with its own joint state (joint-state.ts):
 * exact over its 2^(n−1) configurations while they fit in `maxConfigurations`, then `draws`
 * sampled configurations, exactly as batchbald. Step n adds the candidate x maximising
 *   Σ_l [H(y^l_x | y^l_chosen) − E_w H(y^l_x | w)].
 * Cost per step: labels × candidates × configurations × T, so only the `candidates` points with
 * the highest binary-bald score are scored (default max(4k, 100): see defaultCandidates), and
 * bounds skip work without changing the result: candidates are visited in decreasing order of
 * their summed per-label Jensen bound (posteriorMixture), the scan stopping once no bound can beat
 * the best gain; a candidate is first screened on float32 upper bounds of its label terms
 * (screenConditionalEntropy), and its exact label sum stops once its partial sum plus its
 * remaining labels' bounds cannot win.
 * Memory: labels × candidates × T × 2 float32 for the per-label views, plus per label
 * 2 · max(maxConfigurations, draws) · T float64 for its configurations.
 */
import { z } from "zod";
import type { Random } from "../random.ts";
import { binaryBaldScores } from "./binary-bald.ts";
import {
  absorb, conditionalEntropyOf, createJointState, indicesOf, posteriorMixture, screenConditionalEntropy, type JointState,
} from "./joint-state.ts";
import { requireSamples } from "./mc-samples.ts";
import { parseSamplerOptions, positiveInt } from "./option-schemas.ts";
import type { Sampler, Samples } from "./sampler.ts";
import { topK } from "./top-k.ts";
import { checkK } from "./validate.ts";

export const binaryBatchBaldOptionsSchema = z.strictObject({
  /** Configurations sampled per label once exact enumeration would exceed maxConfigurations. */
  draws: positiveInt().default(1000),
  /** Exact enumeration while a label's configurations × 2 stay within this. */
  maxConfigurations: positiveInt().default(1000),
  /** Score only the this-many highest-binary-bald unlabelled points; absent: max(4k, 100). */
  candidates: positiveInt().optional(),
});
export type BinaryBatchBaldOptions = z.output<typeof binaryBatchBaldOptionsSchema>;

/**
 * The pre-filter when `candidates` is absent: 4 candidates per pick leave the greedy steps room
 * to pass over redundant high scorers, and 100 keeps small batches from a too-narrow list.
 */
export function defaultCandidates(k: number): number {
  return Math.max(4 * k, 100);
}

export interface BinaryBatchBaldResult {
  /** The batch, in the order chosen (pool indices). */
  indices: Int32Array;
  /**
   * values[j]: Σ_l I(y^l of the first j+1 picks; w), nats — values[0] is the first pick's
   * binary-bald score; exact while configurations are enumerated, else re-estimated with fresh
   * draws after selection (unbiased, as in batchbald).
   */
  values: Float64Array;
  /** How many of the steps after the first had at least one label on sampled configurations. */
  sampledSteps: number;
  /** The points scored (after the pre-filter), ascending. */
  candidates: Int32Array;
  /** Candidate gains started over all steps (the rest were pruned by their bound). */
  evaluated: number;
  /** Of those, how many the float32 screen ruled out before any exact (Math.log) label term. */
  screenedOut: number;
}

/** Knobs for tests and benchmarks, not experiment options. */
export interface BinaryBatchBaldTuning {
  /** Score every open candidate exactly over every label at every step, pruning and screening nothing (same result, slower). */
  exhaustive?: boolean;
}

/** Slack on the pruning bounds, so rounding in a bound never prunes a candidate that would win. */
const BOUND_SLACK = 1e-9;

/**
 * Per label, a two-class view of the chosen points' samples, (p, 1 − p) in float32 over the local
 * indices 0..m−1 of `points`, and E_w H_b(p) per (label, point), row-major L×m, nats.
 */
function labelViews(samples: Samples, points: ArrayLike<number>): { views: Samples[]; expected: Float64Array } {
  const { data, t, c } = samples;
  const m = points.length;
  const views: Samples[] = [];
  const expected = new Float64Array(c * m);
  for (let l = 0; l < c; l++) {
    const view = new Float32Array(m * t * 2);
    for (let j = 0; j < m; j++) {
      const o = points[j]! * t * c + l;
      let h = 0;
      for (let u = 0; u < t; u++) {
        const d = (j * t + u) * 2;
        view[d] = data[o + u * c]!;
        view[d + 1] = 1 - view[d]!;
        // From the stored float32 pair, so a gain is exactly 0 where the label carries nothing.
        const p = view[d]!;
        const q = view[d + 1]!;
        if (p > 0) h -= p * Math.log(p);
        if (q > 0) h -= q * Math.log(q);
      }
      expected[l * m + j] = h / t;
    }
    views.push({ data: view, n: m, t, c: 2 });
  }
  return { views, expected };
}

/**
 * Σ_l I(y^l_batch; w) for a given batch (pool indices), nats: exact or estimated under the same
 * options as the sampler (for tests and diagnostics).
 */
export function summedJointMutualInformation(
  samples: Samples,
  batch: ArrayLike<number>,
  options: BinaryBatchBaldOptions,
  random: Random,
): number {
  const { views, expected } = labelViews(samples, batch);
  const states = views.map((view) => createJointState(view, options, random));
  return prefixGains(states, expected, batch.length).reduce((a, b) => a + b, 0);
}

/** Per step j of the batch 0..b−1 (local indices in order): Σ_l [H(y^l_j | y^l_<j) − E_w H(y^l_j | w)]. */
function prefixGains(states: JointState[], expected: Float64Array, b: number, order?: ArrayLike<number>): number[] {
  const m = states.length === 0 ? 0 : states[0]!.samples.n;
  const gains: number[] = [];
  for (let j = 0; j < b; j++) {
    const x = order === undefined ? j : order[j]!;
    let g = 0;
    for (let l = 0; l < states.length; l++) g += conditionalEntropyOf(states[l]!, x) - expected[l * m + x]!;
    gains.push(g);
    for (const state of states) absorb(state, x);
  }
  return gains;
}

/**
 * Greedy multi-label BatchBALD over the unlabelled points. Uses `random` only once some label's
 * configurations are sampled, so small batches are deterministic regardless of the stream.
 */
export function binaryBatchBald(
  samples: Samples,
  k: number,
  labelled: Uint8Array,
  options: BinaryBatchBaldOptions,
  random: Random,
  tuning: BinaryBatchBaldTuning = {},
): BinaryBatchBaldResult {
  const { n } = samples;
  const scores = binaryBaldScores(samples);
  const eligible = new Uint8Array(n);
  let unlabelled = 0;
  for (let i = 0; i < n; i++) if (labelled[i] === 0) (eligible[i] = 1), unlabelled++;
  if (options.candidates !== undefined && options.candidates < k) {
    throw new RangeError(
      `binary-batchbald: candidates = ${options.candidates} is below k = ${k}; raise candidates or lower the acquisition size`,
    );
  }
  const wanted = options.candidates ?? defaultCandidates(k);
  // Ascending by index, so local ties (lowest local index) are pool ties (lowest pool index).
  const candidates = wanted < unlabelled ? topK(scores, wanted, eligible).sort() : indicesOf(eligible);
  const m = candidates.length;
  const local = new Float64Array(m);
  for (let j = 0; j < m; j++) local[j] = scores[candidates[j]!]!;
  const open = new Uint8Array(m).fill(1);

  const picks = new Int32Array(k);
  const values = new Float64Array(k);
  // Step 1 is binary-bald itself (same scores, same tie rule): a batch of one equals it exactly.
  const first = topK(local, 1, open)[0]!;
  picks[0] = first;
  values[0] = local[first]!;
  open[first] = 0;

  const { views, expected } = labelViews(samples, candidates);
  const states = views.map((view) => createJointState(view, options, random));
  let sampledSteps = 0;
  let evaluated = 0;
  let screenedOut = 0;
  for (let step = 1; step < k; step++) {
    for (const state of states) absorb(state, picks[step - 1]!);
    if (states.some((s) => s.sampled)) sampledSteps++;
    const { best, gain, scored, ruledOut } = bestCandidate(states, expected, open, tuning.exhaustive === true);
    evaluated += scored;
    screenedOut += ruledOut;
    picks[step] = best;
    values[step] = values[step - 1]! + gain;
    open[best] = 0;
  }
  if (sampledSteps > 0) {
    // The winners' gains are maxima of noisy estimates: re-estimate along the batch with fresh draws.
    const fresh = views.map((view) => createJointState(view, options, random));
    const gains = prefixGains(fresh, expected, k, picks);
    for (let step = 1; step < k; step++) values[step] = values[step - 1]! + gains[step]!;
  }
  const indices = new Int32Array(k);
  for (let j = 0; j < k; j++) indices[j] = candidates[picks[j]!]!;
  return { indices, values, sampledSteps, candidates, evaluated, screenedOut };
}

/**
 * The open candidate (local index) with the largest summed gain, lowest index on ties. Bounds:
 * per label, H_b(Σ_t ρ_l(t) p_tl) − E_w H_b(p_l) ≥ that label's gain (posteriorMixture), so
 * their sum bounds the candidate, and a partial label sum plus the remaining labels' bounds
 * bounds it as it is summed; either stops work only where the candidate cannot win. Before any
 * exact label term, the labels are screened the same way with each label's float32 upper bound
 * (screenConditionalEntropy) in place of its exact term.
 */
function bestCandidate(
  states: JointState[],
  expected: Float64Array,
  open: Uint8Array,
  exhaustive: boolean,
): { best: number; gain: number; scored: number; ruledOut: number } {
  const labels = states.length;
  const m = open.length;
  const t = states[0]!.samples.t;
  const bound = new Float64Array(labels * m);
  const total = new Float64Array(m);
  const order: number[] = [];
  for (let j = 0; j < m; j++) if (open[j] === 1) order.push(j);
  if (!exhaustive) {
    for (let l = 0; l < labels; l++) {
      const state = states[l]!;
      const rho = posteriorMixture(state);
      const data = state.samples.data;
      for (const j of order) {
        let p = 0;
        let q = 0;
        for (let u = 0, o = j * t * 2; u < t; u++, o += 2) {
          p += rho[u]! * data[o]!;
          q += rho[u]! * data[o + 1]!;
        }
        let h = 0;
        if (p > 0) h -= p * Math.log(p);
        if (q > 0) h -= q * Math.log(q);
        const b = h - expected[l * m + j]!;
        bound[l * m + j] = b === b ? b : Infinity; // a NaN bound prunes nothing
        total[j] = total[j]! + bound[l * m + j]!;
      }
    }
    order.sort((a, b) => total[b]! - total[a]! || a - b);
  }
  let best = -1;
  let bestKey = -Infinity;
  let scored = 0;
  let ruledOut = 0;
  for (const j of order) {
    if (!exhaustive && best >= 0) {
      const limit = total[j]! + BOUND_SLACK;
      if (limit < bestKey) break;
      if (limit === bestKey && j > best) continue;
    }
    scored++;
    if (!exhaustive && best >= 0 && screenedOutBy(states, expected, bound, total[j]!, j, m, bestKey)) {
      ruledOut++;
      continue;
    }
    let gain = 0;
    let remaining = total[j]!;
    let pruned = false;
    for (let l = 0; l < labels; l++) {
      gain += conditionalEntropyOf(states[l]!, j) - expected[l * m + j]!;
      if (exhaustive || best < 0) continue;
      remaining -= bound[l * m + j]!;
      // NaN (an infinite bound) compares false: never pruned on it.
      if (gain + remaining + BOUND_SLACK < bestKey) {
        pruned = true;
        break;
      }
    }
    if (pruned) continue;
    const key = gain === gain ? gain : -Infinity;
    if (best < 0 || key > bestKey || (key === bestKey && j < best)) {
      best = j;
      bestKey = key;
    }
  }
  return { best, gain: bestKey, scored, ruledOut };
}

/**
 * Whether candidate j's screened upper bound falls below bestKey: per label its float32 upper
 * bound on H(y^l_j | y^l_chosen) minus E_w H, summed in label order, plus the Jensen bounds of the
 * labels not yet screened. Room for the float64 rounding of those sums and of the exact gain's.
 */
function screenedOutBy(
  states: JointState[],
  expected: Float64Array,
  bound: Float64Array,
  total: number,
  j: number,
  m: number,
  bestKey: number,
): boolean {
  let upper = 0;
  let magnitude = 0;
  let remaining = total;
  for (let l = 0; l < states.length; l++) {
    const e = expected[l * m + j]!;
    const h = screenConditionalEntropy(states[l]!, j);
    upper += h - e;
    if (!(upper < Infinity)) return false; // no kernel, or premises not met: the rest cannot rule it out
    magnitude += Math.abs(h) + Math.abs(e) + Math.abs(bound[l * m + j]!);
    remaining -= bound[l * m + j]!;
    // NaN (no kernel's ∞ minus ∞, or non-finite mixtures) compares false: never ruled out on it.
    if (upper + remaining + BOUND_SLACK + (states.length + 4) * 2 ** -50 * (magnitude + Math.abs(total)) < bestKey) return true;
  }
  return false;
}

export const binaryBatchBaldSampler: Sampler<BinaryBatchBaldOptions> = {
  name: "binary-batchbald",
  description: "Multi-label BatchBALD: a batch with the highest summed per-label joint mutual information with the weights (greedy).",
  needs: ["mcSamples"],
  tasks: ["multilabel"],
  parseOptions: (options, path) => parseSamplerOptions(binaryBatchBaldOptionsSchema, options, path),
  select(inputs, k, options, context) {
    const samples = requireSamples("binary-batchbald", inputs, "per-label");
    checkK("binary-batchbald", k, inputs.labelled);
    return binaryBatchBald(samples, k, inputs.labelled, options, context.random).indices;
  },
};
