/**
 * Expected gradient length (Settles, Craven & Ray 2008) on the last layer, in closed form.
 * For softmax + cross-entropy, the gradient of the loss on x with label c with respect to the
 * last layer's weights is the outer product (p − e_c) ⊗ h, h the penultimate embedding, whose
 * norm is ‖p − e_c‖·‖h‖. Its expectation under the model's own prediction:
 *
 *   EGL(x) = ‖h‖ · Σ_c p_c · ‖p − e_c‖,   ‖p − e_c‖² = ‖p‖² − 2p_c + 1
 *
 * O(N·(C + d)), no gradient is ever formed. Points whose labelling would move the model most win.
 */
import { scoreSampler } from "./score-sampler.ts";
import type { Matrix } from "../matrix.ts";
import { requireEmbeddings } from "./require-inputs.ts";
import type { Sampler, SamplerInputs } from "./sampler.ts";
import { requireProbs } from "./validate.ts";

export function eglScores(probs: Matrix, embeddings: Matrix): Float64Array {
  const { n, c } = probs;
  const p = probs.data;
  const h = embeddings.data;
  const d = embeddings.c;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let pp = 0;
    for (let j = i * c, end = j + c; j < end; j++) pp += p[j]! * p[j]!;
    let expected = 0;
    for (let j = i * c, end = j + c; j < end; j++) {
      const pc = p[j]!;
      if (pc > 0) expected += pc * Math.sqrt(Math.max(0, pp - 2 * pc + 1));
    }
    let hh = 0;
    for (let j = i * d, end = j + d; j < end; j++) hh += h[j]! * h[j]!;
    out[i] = expected * Math.sqrt(hh);
  }
  return out;
}

function scores(inputs: SamplerInputs): Float64Array {
  const probs = requireProbs("egl", inputs, "distribution");
  return eglScores(probs, requireEmbeddings("egl", inputs));
}

export const egl: Sampler = scoreSampler({
  name: "egl",
  description: "Expected gradient length of the last layer: ‖h‖ · Σ_c p_c ‖p − e_c‖ (closed form).",
  needs: ["probs", "embeddings"],
  scores,
});
