/** 1D-CNN and transformer text learners on real sentences (subj), wasm. */
import { beforeAll, describe, expect, it } from "vitest";
import { argmaxRows, type Matrix } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { createRandom } from "../../lib/al/random.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import { cnn1d } from "../../lib/learners/cnn1d.ts";
import type { LearnerFactory } from "../../lib/learners/learner.ts";
import { transformer } from "../../lib/learners/transformer.ts";
import { encodeTexts, majorityShare, textRows } from "./real-data.ts";

const LENGTH = 24;
let train: { x: Matrix; y: Int32Array };
let test: { x: Matrix; y: Int32Array };
let vocabSize: number;

beforeAll(async () => {
  await selectBackend({ force: "wasm" });
  // subj: objective (0) vs subjective (1) sentences; 1,000 to train, 500 to test.
  const rows = textRows("subj/all.csv", 1500, 1);
  const texts = rows.map((r) => r.text);
  const encoded = encodeTexts(texts.slice(0, 1000), [texts.slice(0, 1000), texts.slice(1000)], LENGTH);
  vocabSize = encoded.vocabSize;
  const y = Int32Array.from(rows, (r) => Number(r.label));
  train = { x: encoded.sets[0]!, y: y.slice(0, 1000) };
  test = { x: encoded.sets[1]!, y: y.slice(1000) };
});

async function testAccuracy<O extends object>(factory: LearnerFactory<O>, options: object): Promise<number> {
  const learner = factory.create(factory.parseOptions(options, "learner.options"), { inputSize: LENGTH, classes: 2, vocabSize });
  learner.reset(1);
  await learner.fit(train.x, train.y, { epochs: 3, random: createRandom(1, "fit") });
  const acc = accuracy(argmaxRows(await learner.predictProba(test.x)), test.y);
  learner.dispose();
  return acc;
}

describe("text learners on subj", () => {
  it("1D-CNN beats the majority class by a clear margin", async () => {
    // ≈ 0.84 here against a majority of ≈ 0.51.
    const acc = await testAccuracy(cnn1d, { embeddingSize: 32, filters: 16, learningRate: 0.003 });
    expect(acc).toBeGreaterThan(majorityShare(test.y) + 0.2);
  });

  it("the transformer encoder beats the majority class by a clear margin", async () => {
    // ≈ 0.85 here against ≈ 0.51: attention trained from scratch on 1,000 sentences.
    const acc = await testAccuracy(transformer, { embeddingSize: 16, heads: 2, feedForward: 32, learningRate: 0.003 });
    expect(acc).toBeGreaterThan(majorityShare(test.y) + 0.15);
  });

  it("check token ids, the vocabulary size and kernel lengths with one line", async () => {
    const options = cnn1d.parseOptions({}, "learner.options");
    expect(() => cnn1d.create(options, { inputSize: 24, classes: 2 })).toThrow("cnn1d: needs the vocabulary size (vocabSize ≥ 2, padding id 0 included) in the learner shape; got none");
    expect(() => cnn1d.create(options, { inputSize: 4, classes: 2, vocabSize: 10 })).toThrow("cnn1d: kernel size 5 is longer than the 4-token sequences");
    const learner = transformer.create(transformer.parseOptions({ embeddingSize: 4, heads: 2 }, "o"), { inputSize: 3, classes: 2, vocabSize: 10 });
    learner.reset(1);
    const x = { data: Float32Array.of(1, 2, 0, 3, 10, 0), n: 2, c: 3 };
    await expect(learner.fit(x, Int32Array.of(0, 1), { epochs: 1, random: createRandom(1) })).rejects.toThrow("transformer: row 1, position 1 holds 10, not a token id in 0..9");
    await expect(learner.predictProba({ ...x, data: Float32Array.of(1, 2.5, 0, 0, 0, 0) })).rejects.toThrow("row 0, position 1 holds 2.5");
    learner.dispose();
    expect(() => transformer.parseOptions({ embeddingSize: 10, heads: 4 }, "learner.options")).toThrow("learner.options.heads: embeddingSize must be a multiple of heads");
  });
});
