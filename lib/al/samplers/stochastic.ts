/**
 * Stochastic batch acquisition (Kirsch et al. 2023, "Stochastic Batch Acquisition: A Simple
 * Baseline for Deep Active Learning"): instead of the top-k of a pointwise score — which fills a
 * batch with near-duplicates — draw k points without replacement with probabilities that favour
 * high scores. Works for the score of any registered sampler, costs one pass plus O(N log k),
 * and is the cheap alternative to BatchBALD. With s_i the score and rank_i its rank among the
 * unlabelled points (1 = best; equal scores share a rank):
 *   power:    p_i ∝ s_i^(1/temperature)         (scores must be ≥ 0; "PowerBALD" with bald)
 *   softmax:  p_i ∝ exp(s_i / temperature)
 *   softrank: p_i ∝ rank_i^(−1/temperature)     (ignores the score's scale)
 * Sampling is Gumbel-top-k on the log-weights with the selection's seeded stream. As the
 * temperature goes to 0 the picks approach the deterministic top-k; large temperatures approach
 * uniform sampling.
 */
import { z } from "zod";
import { gumbelTopK } from "./gumbel-top-k.ts";
import { oneOf, parseSamplerOptions, positiveNumber } from "./option-schemas.ts";
import type { Sampler, SamplerInput, SamplerInputs } from "./sampler.ts";
import { checkK } from "./validate.ts";

export const stochasticMethods = ["power", "softmax", "softrank"] as const;
export type StochasticMethod = (typeof stochasticMethods)[number];

export const stochasticOptionsSchema = z.strictObject({
  /** Name of a registered sampler with a pointwise score (e.g. bald, margin, entropy). */
  score: z.string({ error: "expected a sampler name" }).default("bald"),
  /** Options for that sampler, validated by it. */
  scoreOptions: z.record(z.string(), z.unknown(), { error: "expected an options object" }).default({}),
  method: oneOf(stochasticMethods).default("power"),
  temperature: positiveNumber().default(1),
});
export type StochasticOptions = z.output<typeof stochasticOptionsSchema>;

/**
 * Inputs the wrapped score may use. `needs` is static in the sampler contract, so the stochastic
 * sampler declares all of them; `needsFor(options)` says what a given score really reads.
 */
const allowedInputs: readonly SamplerInput[] = ["probs", "mcSamples", "labels", "epochPredictions", "predictedLoss"];

/** Finds a registered sampler by name (the registry's getSampler, injected to avoid an import cycle). */
export type SamplerLookup = (name: string, path: string) => Sampler<object>;

/** Log-weights for the chosen method; −∞ marks a zero weight (and NaN scores). */
export function stochasticLogWeights(
  scores: ArrayLike<number>,
  eligible: Uint8Array,
  method: StochasticMethod,
  temperature: number,
  scoreName = "the score",
): Float64Array {
  const n = scores.length;
  const out = new Float64Array(n).fill(-Infinity);
  const beta = 1 / temperature;
  if (method === "softrank") {
    const ranks = competitionRanks(scores, eligible);
    for (let i = 0; i < n; i++) if (eligible[i] === 1) out[i] = -beta * Math.log(ranks[i]!);
    return out;
  }
  for (let i = 0; i < n; i++) {
    if (eligible[i] === 0) continue;
    const s = scores[i]!;
    if (s !== s) continue;
    if (method === "softmax") {
      out[i] = beta * s;
    } else {
      if (s < 0) {
        throw new RangeError(
          `stochastic: method "power" needs scores ≥ 0, but ${scoreName} gave ${s} at pool point ${i}; use method "softmax" or "softrank"`,
        );
      }
      out[i] = beta * Math.log(s); // s = 0 → −∞: never drawn before a positive score
    }
  }
  return out;
}

/** 1 + the number of eligible points with a strictly higher score (NaN counts as −∞). */
function competitionRanks(scores: ArrayLike<number>, eligible: Uint8Array): Float64Array {
  const n = scores.length;
  let count = 0;
  for (let i = 0; i < n; i++) count += eligible[i] === 1 ? 1 : 0;
  const sorted = new Float64Array(count);
  for (let i = 0, m = 0; i < n; i++) {
    if (eligible[i] === 0) continue;
    const s = scores[i]!;
    sorted[m++] = s === s ? s : -Infinity;
  }
  sorted.sort();
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (eligible[i] === 0) continue;
    const s = scores[i]!;
    const key = s === s ? s : -Infinity;
    // First position holding a value > key: everything from there on beats this point.
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! > key) hi = mid;
      else lo = mid + 1;
    }
    ranks[i] = 1 + (count - lo);
  }
  return ranks;
}

/** The stochastic sampler, given the registry's lookup. */
export function stochasticSampler(lookup: SamplerLookup): Sampler<StochasticOptions> & {
  needsFor(options: StochasticOptions): readonly SamplerInput[];
} {
  const scorer = (name: string, path: string): Sampler<object> & Required<Pick<Sampler<object>, "score">> => {
    const sampler = lookup(name, path);
    if (sampler.score === undefined) {
      throw new TypeError(`${path}: sampler "${name}" has no pointwise score to sample from; pick one that scores points (e.g. bald, margin, entropy)`);
    }
    const outside = sampler.needs.find((input) => !allowedInputs.includes(input));
    if (outside !== undefined) {
      throw new TypeError(
        `${path}: sampler "${name}" needs "${outside}", which the stochastic sampler does not request; pick a score computed from ${allowedInputs.join(", ")}`,
      );
    }
    return sampler as Sampler<object> & Required<Pick<Sampler<object>, "score">>;
  };

  return {
    name: "stochastic",
    description: "A random batch drawn in proportion to another sampler's score (power / softmax / soft-rank).",
    needs: allowedInputs,
    needsFor(options) {
      return lookup(options.score, "score").needs;
    },
    parseOptions(options, path) {
      const parsed = parseSamplerOptions(stochasticOptionsSchema, options, path);
      const inner = scorer(parsed.score, `${path}.score`);
      // Normalise the inner options now, so equal configurations hash equally.
      const scoreOptions = inner.parseOptions(parsed.scoreOptions, `${path}.scoreOptions`) as Record<string, unknown>;
      return { ...parsed, scoreOptions };
    },
    select(inputs: SamplerInputs, k, options, context) {
      const inner = scorer(options.score, "stochastic.score");
      const scores = inner.score(inputs, options.scoreOptions);
      checkK("stochastic", k, inputs.labelled);
      const eligible = new Uint8Array(inputs.labelled.length);
      for (let i = 0; i < eligible.length; i++) eligible[i] = inputs.labelled[i] === 0 ? 1 : 0;
      const logWeights = stochasticLogWeights(scores, eligible, options.method, options.temperature, `"${options.score}"`);
      return gumbelTopK(logWeights, k, eligible, context.random);
    },
  };
}
