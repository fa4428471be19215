/**
 * What loss prediction costs: one active-learning round of the quickstart's MLP (784-128-10,
 * 10 epochs, batch 32) on fashion-mnist-small with 250 labels — fit, test and pool predictions,
 * selection — with the loss-prediction module (`lossPrediction: {}`: joint training, then
 * `predictLoss` over the 3,000-point pool and loss-prediction) against without it (then
 * least-confidence), interleaved in CPU time.
 */
import { createRandom } from "../lib/al/random.ts";
import { leastConfidence } from "../lib/al/samplers/least-confidence.ts";
import { lossPrediction } from "../lib/al/samplers/loss-prediction.ts";
import { mlp } from "../lib/learners/mlp.ts";
import type { BenchCase } from "./harness.ts";
import { interleave, rounded, timeInProcess } from "./interleave.ts";
import { EPOCHS, LABELLED, quickstartRound, roundValue } from "./quickstart-round.ts";

export const cases: BenchCase[] = [
  {
    name: `loop/loss-prediction module: round of mlp 784-128-10, ${LABELLED} labels, ${EPOCHS} epochs, pool 3000`,
    async run() {
      const { backend, ds, x, y, labelled } = await quickstartRound();
      const shape = { inputSize: 784, classes: 10 };
      const plain = mlp.create(mlp.parseOptions({ hidden: [128], dropout: 0.2 }, "bench"), shape);
      const withModule = mlp.create(mlp.parseOptions({ hidden: [128], dropout: 0.2, lossPrediction: {} }, "bench"), shape);
      const round = (module: boolean) => () =>
        timeInProcess(async () => {
          const learner = module ? withModule : plain;
          learner.reset(1);
          await learner.fit(x, y, { epochs: EPOCHS, random: createRandom(1, "fit") });
          await learner.predictProba(ds.test.x);
          const probs = await learner.predictProba(ds.pool.x);
          const context = { random: createRandom(1, "select") };
          if (module) lossPrediction.select({ predictedLoss: await learner.predictLoss!(ds.pool.x), labelled }, 50, {}, context);
          else leastConfidence.select({ probs, labelled }, 50, {}, context);
        });
      try {
        const result = rounded(await interleave(round(true), round(false), { pairs: 4, warmup: 1 }));
        return roundValue(backend, result, { ours: "withModule", reference: "withoutModule" });
      } finally {
        plain.dispose();
        withModule.dispose();
      }
    },
  },
];
