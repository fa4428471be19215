/**
 * What VAAL costs per round: one active-learning round of the quickstart's MLP (784-128-10, 10
 * epochs, batch 32) on fashion-mnist-small with 250 labels — fit, test and pool predictions,
 * selection — where the selection trains VAAL's β-VAE and discriminator (default options: 10
 * passes over the 2,750 unlabelled images) and takes its top 50, against the same round selecting
 * by entropy; interleaved in CPU time.
 */
import { createRandom } from "../lib/al/random.ts";
import { entropy } from "../lib/al/samplers/entropy.ts";
import { parseVaalOptions, vaal } from "../lib/al/samplers/vaal.ts";
import { vaalLabelledness } from "../lib/learners/vaal/labelledness.ts";
import { mlp } from "../lib/learners/mlp.ts";
import type { BenchCase } from "./harness.ts";
import { interleave, rounded, timeInProcess } from "./interleave.ts";
import { EPOCHS, LABELLED, quickstartRound, roundValue } from "./quickstart-round.ts";

export const cases: BenchCase[] = [
  {
    name: `loop/vaal round: mlp 784-128-10, ${LABELLED} labels, ${EPOCHS} epochs, pool 3000, vs entropy`,
    async run() {
      const { backend, ds, rows, x, y, labelled } = await quickstartRound();
      const unlabelled = Int32Array.from({ length: ds.pool.x.n - LABELLED }, (_, i) => LABELLED + i);
      const options = parseVaalOptions({}, "bench");
      const learner = mlp.create(mlp.parseOptions({ hidden: [128], dropout: 0.2 }, "bench"), { inputSize: 784, classes: 10 });
      const round = (withVaal: boolean) => () =>
        timeInProcess(async () => {
          learner.reset(1);
          await learner.fit(x, y, { epochs: EPOCHS, random: createRandom(1, "fit") });
          await learner.predictProba(ds.test.x);
          const probs = await learner.predictProba(ds.pool.x);
          const context = { random: createRandom(1, "select") };
          if (withVaal) {
            const d = await vaalLabelledness({ x: ds.pool.x, labelled: rows, unlabelled }, options, createRandom(1, "vaal", 1));
            vaal.select({ labelledness: d, labelled }, 50, options, context);
          } else entropy.select({ probs, labelled }, 50, {}, context);
        });
      try {
        const result = rounded(await interleave(round(true), round(false), { pairs: 3, warmup: 1 }));
        return roundValue(backend, result, { ours: "vaal", reference: "entropy" });
      } finally {
        learner.dispose();
      }
    },
  },
];
