/**
 * BatchBALD (Kirsch, van Amersfoort & Gal 2019): choose a batch whose labels are jointly most
 * informative about the weights, I(y_1..y_b; w), so near-duplicates — each high-BALD on its own
 * — do not fill the batch. The joint score is submodular and is maximised greedily: step n adds
 * the candidate x maximising
 *   I(y_1..y_{n−1}, y_x; w) − I(y_1..y_{n−1}; w) = H(y_x | y_1..y_{n−1}) − E_w H(y_x | w),
 * where predictions are the T samples p_t(· | x) with the weights uniform over t.
 *
 * The conditional entropy is computed against the chosen points' joint state (joint-state.ts):
 * exact over label configurations while they fit in `maxConfigurations`, then an unbiased
 * Monte-Carlo estimate over `draws` sampled ones, with the same draws shared by every candidate
 * so their comparison is far less noisy than each value.
 * Three speed-ups leave the result unchanged: configurations with bit-identical posteriors are
 * merged; candidates are visited in decreasing order of a cheap upper bound on their gain, the
 * scan stopping once no bound can beat the best gain found; and a float32 estimate of each
 * visited candidate's conditional entropy, with a rigorous error bound, rules out those that
 * cannot win before their exact (Math.log) value is computed (see bestCandidate).
 * Memory: 2 · max(maxConfigurations, draws) · T float64 for the configurations, plus O(N + T·C);
 * `candidates` bounds the time on large pools.
 * Step 1 is exactly BALD (same function), so a batch of one equals BALD's top-1 and score.
 */
import { z } from "zod";
import type { Random } from "../random.ts";
import { baldTerms } from "./bald.ts";
import {
  absorb, conditionalEntropyOf, createJointState, entropyOf, indicesOf, posteriorMixture, screenConditionalEntropy, type JointState,
} from "./joint-state.ts";
import { requireSamples } from "./mc-samples.ts";
import { parseSamplerOptions, positiveInt } from "./option-schemas.ts";
import type { Sampler, Samples } from "./sampler.ts";
import { topK } from "./top-k.ts";
import { checkK } from "./validate.ts";

export const batchBaldOptionsSchema = z.strictObject({
  /** Configurations sampled per step once exact enumeration would exceed maxConfigurations. */
  draws: positiveInt().default(1000),
  /** Exact enumeration while the chosen points' configurations × C stay within this. */
  maxConfigurations: positiveInt().default(1000),
  /** Score only the this-many highest-BALD unlabelled points (all when absent): bounds time on big pools. */
  candidates: positiveInt().optional(),
});
export type BatchBaldOptions = z.output<typeof batchBaldOptionsSchema>;

export interface BatchBaldResult {
  /** The batch, in the order chosen. */
  indices: Int32Array;
  /**
   * values[j]: the joint mutual information I(y_1..y_{j+1}; w) of the first j+1 picks, nats:
   * exact while configurations are enumerated, else an unbiased Monte-Carlo estimate from
   * fresh draws (see batchBald).
   */
  values: Float64Array;
  /** How many of the steps after the first used sampled configurations rather than exact ones. */
  sampledSteps: number;
  /** Candidates whose conditional entropy was computed, over all steps (the rest were pruned). */
  evaluated: number;
  /** Of those, how many the float32 screen ruled out before their exact (Math.log) part. */
  screenedOut: number;
}

/** Knobs for tests and benchmarks, not experiment options. */
export interface BatchBaldTuning {
  /**
   * Score every open candidate exactly at every step, pruning neither by the Jensen bound nor by
   * the float32 screen (same result, slower).
   */
  exhaustive?: boolean;
}

export { absorb, conditionalEntropyOf, createJointState, type JointState } from "./joint-state.ts";

/** Slack on the pruning bound, so rounding in the bound never prunes a candidate that would win. */
const BOUND_SLACK = 1e-9;

/**
 * I(y_batch; w) for a given batch, nats: Σ_j [H(y_j | y_<j) − E_w H(y_j | w)], exact or estimated
 * under the same options as the sampler (for tests and diagnostics).
 */
export function jointMutualInformation(samples: Samples, batch: ArrayLike<number>, options: BatchBaldOptions, random: Random): number {
  const { expectedEntropy } = baldTerms(samples);
  const state = createJointState(samples, options, random);
  let total = 0;
  for (let j = 0; j < batch.length; j++) {
    const x = batch[j]!;
    total += conditionalEntropyOf(state, x) - expectedEntropy[x]!;
    absorb(state, x);
  }
  return total;
}

/**
 * Greedy BatchBALD over the unlabelled points. Uses `random` only once it samples
 * configurations, so small batches are deterministic regardless of the stream.
 *
 * Once configurations are sampled, each step's winning gain is the maximum of noisy estimates,
 * so summing the winners would overstate the batch's joint MI (by 1–3 % in the tests). The
 * reported values are therefore re-estimated along the chosen batch with fresh draws from the
 * same stream, after selection — independent of the choice, hence unbiased (as
 * jointMutualInformation). The batch itself is unchanged.
 */
export function batchBald(
  samples: Samples,
  k: number,
  labelled: Uint8Array,
  options: BatchBaldOptions,
  random: Random,
  tuning: BatchBaldTuning = {},
): BatchBaldResult {
  const { n } = samples;
  const { scores: bald, expectedEntropy } = baldTerms(samples);
  const eligible = new Uint8Array(n);
  let unlabelled = 0;
  for (let i = 0; i < n; i++) if (labelled[i] === 0) (eligible[i] = 1), unlabelled++;
  if (options.candidates !== undefined && options.candidates < k) {
    throw new RangeError(`batchbald: candidates = ${options.candidates} is below k = ${k}; raise candidates or lower the acquisition size`);
  }
  // The candidate list, ascending by index so ties keep going to the lowest index.
  const candidates =
    options.candidates !== undefined && options.candidates < unlabelled
      ? topK(bald, options.candidates, eligible).sort()
      : indicesOf(eligible);
  const open = new Uint8Array(n);
  for (const i of candidates) open[i] = 1;

  const indices = new Int32Array(k);
  const values = new Float64Array(k);
  // Step 1 is BALD itself (same scores, same tie rule), so a batch of one equals BALD exactly.
  const first = topK(bald, 1, open)[0]!;
  indices[0] = first;
  values[0] = bald[first]!;
  open[first] = 0;

  const state = createJointState(samples, options, random);
  let sampledSteps = 0;
  let evaluated = 0;
  let screenedOut = 0;
  for (let step = 1; step < k; step++) {
    absorb(state, indices[step - 1]!);
    if (state.sampled) sampledSteps++;
    const { best, gain, scored, ruledOut } = bestCandidate(state, candidates, open, expectedEntropy, tuning.exhaustive === true);
    evaluated += scored;
    screenedOut += ruledOut;
    indices[step] = best;
    values[step] = values[step - 1]! + gain;
    open[best] = 0;
  }
  if (sampledSteps > 0) {
    // Fresh estimate of every prefix's joint MI (exact steps come out identical).
    const fresh = createJointState(samples, options, random);
    for (let step = 1; step < k; step++) {
      absorb(fresh, indices[step - 1]!);
      const x = indices[step]!;
      values[step] = values[step - 1]! + conditionalEntropyOf(fresh, x) - expectedEntropy[x]!;
    }
  }
  return { indices, values, sampledSteps, evaluated, screenedOut };
}

/**
 * The open candidate with the largest gain H(y_x | y_chosen) − E_w H(y_x | w), lowest index on
 * ties. Computing a gain costs configurations × T × C, so candidates are visited in decreasing
 * order of a cheap upper bound and the scan stops once no bound can beat the best gain. The bound:
 * with ρ(t) = Σ_y w_y π_y(t), concavity of entropy gives Σ_y w_y H(Σ_t π_y(t) p_t) ≤
 * H(Σ_t ρ(t) p_t) (Jensen), and this holds for the sampled estimate too, so pruning never changes
 * the result. (With exact configurations ρ is uniform and the bound is the candidate's BALD.)
 * Each candidate that is not pruned is then screened: a float32 estimate of its conditional
 * entropy (from float32 mixtures) with a rigorous error bound (screenConditionalEntropy); only
 * a candidate whose upper bound can still win gets the exact value (float64 mixtures and
 * Math.log, as without the screen), so the winner, its gain and every tie are exactly those of
 * the exact scan.
 */
function bestCandidate(
  state: JointState,
  candidates: Int32Array,
  open: Uint8Array,
  expectedEntropy: Float64Array,
  exhaustive: boolean,
): { best: number; gain: number; scored: number; ruledOut: number } {
  const { data, t, c } = state.samples;
  const rho = posteriorMixture(state);
  const order: number[] = [];
  const bound = new Float64Array(candidates.length);
  const mix = state.mix;
  for (let j = 0; j < candidates.length; j++) {
    const x = candidates[j]!;
    if (open[x] === 0) continue;
    order.push(j);
    if (exhaustive) continue;
    mix.fill(0, 0, c);
    for (let u = 0, o = x * t * c; u < t; u++, o += c) {
      const r = rho[u]!;
      for (let l = 0; l < c; l++) mix[l] += r * data[o + l]!;
    }
    const b = entropyOf(mix, 0, c) - expectedEntropy[x]!;
    bound[j] = b === b ? b : Infinity; // a NaN bound prunes nothing
  }
  // Highest bound first; candidates are ascending by index, so ties keep index order.
  if (!exhaustive) order.sort((a, b) => bound[b]! - bound[a]! || a - b);
  let best = -1;
  let bestKey = -Infinity;
  let scored = 0;
  let ruledOut = 0;
  for (const j of order) {
    const x = candidates[j]!;
    if (!exhaustive && best >= 0) {
      const limit = bound[j]! + BOUND_SLACK;
      if (limit < bestKey) break;
      if (limit === bestKey && x > best) continue;
      const upper = screenConditionalEntropy(state, x) - expectedEntropy[x]!;
      // Room for the rounding of that subtraction and of the exact gain's own (NaN rules nothing out).
      const screen = upper + BOUND_SLACK + 2 ** -50 * (Math.abs(upper) + Math.abs(expectedEntropy[x]!));
      if (screen < bestKey || (screen === bestKey && x > best)) {
        scored++;
        ruledOut++;
        continue;
      }
    }
    const s = conditionalEntropyOf(state, x) - expectedEntropy[x]!;
    scored++;
    const key = s === s ? s : -Infinity;
    if (best < 0 || key > bestKey || (key === bestKey && x < best)) {
      best = x;
      bestKey = key;
    }
  }
  return { best, gain: bestKey, scored, ruledOut };
}

export const batchBaldSampler: Sampler<BatchBaldOptions> = {
  name: "batchbald",
  description: "A batch with the highest joint mutual information with the weights (greedy BatchBALD).",
  needs: ["mcSamples"],
  parseOptions: (options, path) => parseSamplerOptions(batchBaldOptionsSchema, options, path),
  select(inputs, k, options, context) {
    const samples = requireSamples("batchbald", inputs);
    checkK("batchbald", k, inputs.labelled);
    return batchBald(samples, k, inputs.labelled, options, context.random).indices;
  },
};
