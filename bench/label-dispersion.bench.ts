/**
 * What label dispersion's per-epoch record costs: one active-learning round of the quickstart's
 * MLP (784-128-10, 10 epochs, batch 32) on fashion-mnist-small with 250 labels — fit, test and
 * pool predictions, selection — with the record (`recordPredictions`: an argmax pass over the
 * 3,000-point pool after every epoch, then label-dispersion) against without it (then
 * least-confidence), interleaved in CPU time.
 */
import { createRandom } from "../lib/al/random.ts";
import { labelDispersion } from "../lib/al/samplers/label-dispersion.ts";
import { leastConfidence } from "../lib/al/samplers/least-confidence.ts";
import { mlp } from "../lib/learners/mlp.ts";
import type { BenchCase } from "./harness.ts";
import { interleave, rounded, timeInProcess } from "./interleave.ts";
import { EPOCHS, LABELLED, quickstartRound, roundValue } from "./quickstart-round.ts";

export const cases: BenchCase[] = [
  {
    name: `loop/label-dispersion record: round of mlp 784-128-10, ${LABELLED} labels, ${EPOCHS} epochs, pool 3000`,
    async run() {
      const { backend, ds, x, y, labelled } = await quickstartRound();
      const learner = mlp.create(mlp.parseOptions({ hidden: [128], dropout: 0.2 }, "bench"), { inputSize: 784, classes: 10 });
      const round = (record: boolean) => () =>
        timeInProcess(async () => {
          learner.reset(1);
          const fitted = await learner.fit(x, y, { epochs: EPOCHS, random: createRandom(1, "fit"), ...(record ? { recordPredictions: ds.pool.x } : {}) });
          await learner.predictProba(ds.test.x);
          const probs = await learner.predictProba(ds.pool.x);
          const context = { random: createRandom(1, "select") };
          if (record) labelDispersion.select({ epochPredictions: fitted!.epochPredictions!, labelled }, 50, {}, context);
          else leastConfidence.select({ probs, labelled }, 50, {}, context);
        });
      try {
        const result = rounded(await interleave(round(true), round(false), { pairs: 4, warmup: 1 }));
        return roundValue(backend, result, { ours: "withRecord", reference: "withoutRecord" });
      } finally {
        learner.dispose();
      }
    },
  },
];
