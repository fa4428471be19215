/**
 * Your own model and sampler, worked: a tfjs network defined here (`tfjsLearner`) and a sampler
 * that combines two registered ones (`defineSampler`), in the two-step style of Zhdanov (2019),
 * "Diverse mini-batch Active Learning": pre-filter the β·k most uncertain unlabelled points by
 * margin, then cluster their embeddings with k-means into k groups and take the point nearest
 * each centre — uncertain, but not k copies of the same confusion.
 *
 *   al run experiments/examples/two-step.ts --profile ci
 *
 * β is an option, not a constant captured by the function, so it is stored with every run and
 * part of its id (a changed β or a changed function gives new runs; a change inside the margin
 * or k-means samplers it calls does not — those have their own revisions in lib/revisions.ts).
 */
import { defineSampler } from "../../lib/al/samplers/define-sampler.ts";
import { getSampler } from "../../lib/al/samplers/index.ts";
import { topKUnlabelled } from "../../lib/al/samplers/top-k.ts";
import { countUnlabelled } from "../../lib/al/samplers/validate.ts";
import { defineExperiment } from "../../lib/experiments/define.ts";
import { tf, tfjsLearner } from "../../lib/learners/tfjs-learner.ts";

/** Margin pre-filter (β·k points) → k-means diversity on their embeddings. */
export const marginKMeans = defineSampler({
  name: "margin-kmeans",
  description: "Zhdanov 2019 two-step: the β·k smallest-margin points, then the k-means representative of each of k clusters of their embeddings",
  needs: ["probs", "embeddings"],
  options: { beta: 10 },
  select: (inputs, k, { random, options }) => {
    const margin = getSampler("margin", "margin-kmeans");
    const kmeans = getSampler("kmeans", "margin-kmeans");
    // The β·k most uncertain unlabelled points (all of them when the pool is smaller).
    const keep = Math.min(countUnlabelled(inputs.labelled), Math.max(k, Math.ceil(options.beta * k)));
    const candidates = topKUnlabelled(margin.score!(inputs, {}), keep, inputs.labelled);
    // k-means sees only the candidates: every other point counts as labelled.
    const outside = new Uint8Array(inputs.labelled.length).fill(1);
    for (const i of candidates) outside[i] = 0;
    return kmeans.select({ ...inputs, labelled: outside }, k, kmeans.parseOptions({}, "kmeans"), { random });
  },
});

/**
 * A small MLP body (al-lab adds the classification head): images arrive with their shape
 * ([28, 28] here), so flatten first; dropout makes MC dropout available too.
 */
export const smallNet = tfjsLearner({
  name: "small-net",
  build: (inputShape) =>
    tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape }),
        tf.layers.dense({ units: 64, activation: "relu" }),
        tf.layers.dropout({ rate: 0.2 }),
      ],
    }),
  learningRate: 0.001,
  batchSize: 32,
});

export default defineExperiment({
  name: "two-step",
  description: "Margin vs margin → k-means (Zhdanov 2019) vs random, with a model defined in the file",
  dataset: { name: "fashion-mnist-small", pool: 2000, test: 1000 },
  learner: smallNet,
  samplers: ["random", "margin", marginKMeans],
  initial: { size: 50, stratified: true },
  acquisition: { size: 50 },
  rounds: 8,
  epochs: 10,
  seeds: [1, 2, 3],
  profiles: {
    ci: { dataset: { name: "fashion-mnist-small", pool: 300, test: 200 }, acquisition: { size: 10 }, rounds: 2, epochs: 1, seeds: [1] },
  },
});
