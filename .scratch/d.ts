import { tf, tfjsLearner } from "../lib/learners/tfjs-learner.ts";
const shape = { inputSize: 4, classes: 3 };
const cases: Record<string, () => unknown> = {
  noInputShape: () => tf.sequential({ layers: [tf.layers.dense({ units: 8 })] }),
  head: () => tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: "softmax", inputShape: [4] })] }),
  gauss: () => tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] }), tf.layers.gaussianNoise({ stddev: 0.1 })] }),
  wrongShape: () => tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [5] })] }),
  notModel: () => ({}),
  throws: () => { throw new Error("boom"); },
};
for (const [k, build] of Object.entries(cases)) {
  try { tfjsLearner({ name: k, build: build as never }).capabilities(shape); console.log(k, "OK"); } catch (e) { console.log(k, "->", (e as Error).message); }
}
try { tfjsLearner({ name: "e", build: cases.head as never, epochs: 3 } as never); } catch (e) { console.log((e as Error).message); }
try { tfjsLearner({ name: "e", build: cases.head as never, batchSize: 0 }); } catch (e) { console.log((e as Error).message); }
try { tfjsLearner({ name: "e", build: cases.head as never, foo: 1 } as never); } catch (e) { console.log((e as Error).message); }
