/**
 * A real annotator's labels and costs from your own table: margin vs random when the labels
 * come from the `annotator` column of annotator-column.csv (beside this file) instead of the
 * true `label`, each label costs the seconds in its `seconds` column, and the study stops once
 * 2,400 seconds of annotation are spent. The perfect annotator on the same features is the
 * reference (`{ noise: 0 }`).
 *
 *   al run experiments/examples/annotator-column.ts              # 2 samplers × 2 oracles × 3 seeds
 *   al run experiments/examples/annotator-column.ts --profile ci # one seed
 *
 * The data: the first 160 rows of the Wisconsin diagnostic breast cancer set (UCI, CC BY 4.0;
 * W. Wolberg, O. Mangasarian, N. Street, W. Street), with two columns made up for the example:
 * `annotator` is the true label except on every data row i with i % 8 === 5 (20 rows, flipped),
 * and `seconds` is 20 + (37 i mod 41). Neither column is ever a feature.
 */
import { defineExperiment } from "../../lib/experiments/define.ts";

export default defineExperiment({
  name: "annotator-column",
  description: "Margin vs random with a real annotator's labels and seconds per label read from columns of the data file",
  dataset: { file: "annotator-column.csv", label: "label", testFraction: 0.25, standardize: true },
  learner: "logistic",
  samplers: ["random", "margin"],
  initial: { size: 10, stratified: true },
  acquisition: { size: 5 },
  oracle: [{ noise: 0 }, { column: "annotator" }],
  cost: { column: "seconds" },
  costBudget: 2400,
  epochs: 50,
  seeds: [1, 2, 3],
  profiles: {
    ci: { seeds: [1] },
  },
});
