/**
 * IConfidence ("informed confidence"): least confidence capped by a reference classifier. A
 * model trained on an independent labelled set gives c_ref(x), its probability of x's true
 * label; the score min(1 − max_c p(c|x), c_ref(x)) stays low for points even a well-trained
 * model gets wrong or finds ambiguous (label noise, overlap), so the sampler stops returning
 * to them.
 */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import { leastConfidenceScores } from "./least-confidence.ts";
import { requireReferenceProbs } from "./require-inputs.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { requireProbs } from "./validate.ts";

/** min(1 − max p, c_ref) per row. */
export function iconfidenceScores(probs: Matrix, referenceProbs: Float32Array): Float64Array {
  const out = leastConfidenceScores(probs);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(out[i]!, referenceProbs[i]!);
  return out;
}

function scores(inputs: SamplerInputs): Float64Array {
  const probs = requireProbs("iconfidence", inputs, "distribution");
  return iconfidenceScores(probs, requireReferenceProbs("iconfidence", inputs));
}

export const iconfidence: Sampler = scoreSampler({
  name: "iconfidence",
  description: "Least confidence capped by a reference model's probability of the true label: min(1 − max p, c_ref).",
  needs: ["probs", "referenceProbs"],
  scores,
});
