/**
 * Suggestive annotation (Yang et al. 2017): uncertainty from an ensemble, then representativeness.
 *
 * 1. Uncertainty u(x): the variance of the members' predictions, averaged over the classes
 *    (the paper's bootstrap FCNs; here `mcSamples`, best with `{ method: "bootstrap" }`).
 * 2. The K most uncertain unlabelled points are the candidates (K = `candidates`, default 2k as
 *    in the paper's 16 → 8).
 * 3. From them, k points are chosen greedily to maximise the facility-location coverage of the
 *    unlabelled pool U,  F(S) = Σ_{x ∈ U} max_{s ∈ S} cos(x, s),  on the learner's embeddings.
 *    Coverage starts at 0, so a negative similarity never counts (the paper's descriptors are
 *    non-negative). F is submodular, so gains only shrink as S grows: lazy greedy re-evaluates
 *    a candidate only when its stale gain still tops the others, and picks exactly what plain
 *    greedy picks (ties go to the more uncertain candidate, then the lower index).
 *
 * Memory: the K×|U| similarities (float32), 48 MB for K = 200 and a 60,000-point pool.
 */
import { z } from "zod";
import { parseWith } from "../errors.ts";
import { inverseRowNorms, type Matrix } from "../matrix.ts";
import { requireSamples } from "./mc-samples.ts";
import { requireEmbeddings } from "./require-inputs.ts";
import type { Sampler, Samples, SamplerInputs } from "./sampler.ts";
import { topKUnlabelled } from "./top-k.ts";
import { checkK } from "./validate.ts";

export const suggestiveAnnotationOptionsSchema = z.strictObject({
  /** Candidates K taken by uncertainty before the representativeness step; default 2k. */
  candidates: z.int().min(1).optional(),
});
export type SuggestiveAnnotationOptions = z.output<typeof suggestiveAnnotationOptionsSchema>;

/** Per point, the variance of the T samples' probabilities averaged over the C classes. */
export function ensembleVarianceScores(samples: Samples): Float64Array {
  const { data, n, t, c } = samples;
  const out = new Float64Array(n);
  const mean = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    mean.fill(0);
    let squares = 0;
    for (let j = i * t * c, end = j + t * c; j < end; j += c) {
      for (let l = 0; l < c; l++) {
        const p = data[j + l]!;
        mean[l] += p;
        squares += p * p;
      }
    }
    let meanSquares = 0;
    for (let l = 0; l < c; l++) meanSquares += (mean[l]! / t) ** 2;
    const variance = (squares / t - meanSquares) / c;
    out[i] = variance > 0 ? variance : 0;
  }
  return out;
}

/**
 * Greedy facility location: `k` of `candidates` (pool indices, in priority order) maximising
 * Σ_{u ∈ universe} max(0, max_{s ∈ S} cos(u, s)). Returns the picks in the order chosen.
 */
export function facilityLocationGreedy(embeddings: Matrix, candidates: Int32Array, universe: Int32Array, k: number): Int32Array {
  const { c: d, data } = embeddings;
  const inverse = inverseRowNorms(embeddings);
  const m = candidates.length;
  const u = universe.length;
  const similarity = new Float32Array(m * u);
  for (let a = 0; a < m; a++) {
    const ia = candidates[a]!;
    const wa = inverse[ia]!;
    if (wa === 0) continue;
    const offset = ia * d;
    for (let b = 0; b < u; b++) {
      const ib = universe[b]!;
      let s = 0;
      for (let j = 0, o = ib * d; j < d; j++) s += data[offset + j]! * data[o + j]!;
      similarity[a * u + b] = s * wa * inverse[ib]!;
    }
  }
  const cover = new Float64Array(u);
  const gainOf = (a: number): number => {
    let g = 0;
    for (let b = 0, row = a * u; b < u; b++) {
      const s = similarity[row + b]!;
      if (s > cover[b]!) g += s - cover[b]!;
    }
    return g;
  };
  const bound = new Float64Array(m).fill(Infinity);
  const freshAt = new Int32Array(m).fill(-1);
  const taken = new Uint8Array(m);
  const picks = new Int32Array(Math.min(k, m));
  for (let step = 0; step < picks.length; step++) {
    for (;;) {
      let best = -1;
      for (let a = 0; a < m; a++) if (!taken[a] && (best < 0 || bound[a]! > bound[best]!)) best = a;
      if (freshAt[best] === step) {
        taken[best] = 1;
        picks[step] = candidates[best]!;
        for (let b = 0, row = best * u; b < u; b++) if (similarity[row + b]! > cover[b]!) cover[b] = similarity[row + b]!;
        break;
      }
      bound[best] = gainOf(best);
      freshAt[best] = step;
    }
  }
  return picks;
}

function selectSuggestive(inputs: SamplerInputs, k: number, options: SuggestiveAnnotationOptions): Int32Array {
  const samples = requireSamples("suggestive-annotation", inputs);
  const embeddings = requireEmbeddings("suggestive-annotation", inputs);
  const unlabelled = checkK("suggestive-annotation", k, inputs.labelled);
  const wanted = options.candidates ?? 2 * k;
  if (wanted < k) {
    throw new RangeError(`suggestive-annotation: candidates = ${wanted} is below the batch size k = ${k}; set candidates ≥ ${k} (default 2k)`);
  }
  const candidates = topKUnlabelled(ensembleVarianceScores(samples), Math.min(wanted, unlabelled), inputs.labelled);
  const universe = new Int32Array(unlabelled);
  for (let i = 0, j = 0; i < inputs.labelled.length; i++) if (inputs.labelled[i] === 0) universe[j++] = i;
  return facilityLocationGreedy(embeddings, candidates, universe, k);
}

export const suggestiveAnnotation: Sampler<SuggestiveAnnotationOptions> = {
  name: "suggestive-annotation",
  description: "The most representative (cosine facility location over the pool) of the 2k points an ensemble disagrees on most.",
  needs: ["mcSamples", "embeddings"],
  parseOptions: (options, path) => parseWith(suggestiveAnnotationOptionsSchema, options ?? {}, path),
  // No pointwise `score`: the picks are not the top k of any one score (Sampler.score's contract).
  select: selectSuggestive,
};
