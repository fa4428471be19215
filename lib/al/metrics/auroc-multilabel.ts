/** Multi-label AUROC, macro over labels: how well each label's score ranks the points carrying it. */
import type { Matrix } from "../matrix.ts";
import type { AveragedAuroc } from "./auroc-macro.ts";
import { aurocFromScores } from "./binary-auroc.ts";
import { checkMatrix } from "./check.ts";

/**
 * For each label l, the AUROC of scores[:, l] against truth[:, l] (an N×L 0/1 matrix, > 0.5 = 1);
 * the mean over labels. A label that is all 0 or all 1 in the test set has no AUROC and is listed
 * in `skipped` — common for rare labels in small test sets, so reports must say which.
 */
export function aurocMultilabel(scores: Matrix, truth: Matrix): AveragedAuroc {
  checkMatrix("aurocMultilabel", "truth", truth);
  checkMatrix("aurocMultilabel", "scores", scores, truth.n, truth.c);
  if (truth.n === 0) throw new RangeError("aurocMultilabel: no test points; evaluate on a non-empty test set");
  const { n, c } = truth;
  let sum = 0;
  let used = 0;
  const skipped: number[] = [];
  for (let l = 0; l < c; l++) {
    let p = 0;
    for (let i = 0; i < n; i++) if (truth.data[i * c + l]! > 0.5) p++;
    // The scores are float32 already: float32 copies lose nothing and sort faster.
    const pos = new Float32Array(p);
    const neg = new Float32Array(n - p);
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const v = scores.data[i * c + l]!;
      if (truth.data[i * c + l]! > 0.5) pos[a++] = v;
      else neg[b++] = v;
    }
    const auc = aurocFromScores(pos, neg);
    if (auc === null) skipped.push(l);
    else {
      sum += auc;
      used++;
    }
  }
  return { value: used === 0 ? null : sum / used, skipped };
}
