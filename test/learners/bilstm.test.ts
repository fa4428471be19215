/** BiLSTM text learner on real sentences (subj), wasm; padding is masked. */
import { beforeAll, describe, expect, it } from "vitest";
import { argmaxRows } from "../../lib/al/matrix.ts";
import { accuracy } from "../../lib/al/metrics/accuracy.ts";
import { createRandom } from "../../lib/al/random.ts";
import { selectBackend } from "../../lib/backend/select.ts";
import { bilstm } from "../../lib/learners/bilstm.ts";
import { encodeTexts, majorityShare, textRows } from "./real-data.ts";

beforeAll(async () => {
  await selectBackend({ force: "wasm" });
});

describe("BiLSTM learner", () => {
  it("beats the majority class by a clear margin on subj (800 sentences, 3 epochs)", async () => {
    const length = 20;
    const rows = textRows("subj/all.csv", 1300, 2);
    const texts = rows.map((r) => r.text);
    const { sets, vocabSize } = encodeTexts(texts.slice(0, 800), [texts.slice(0, 800), texts.slice(800)], length);
    const y = Int32Array.from(rows, (r) => Number(r.label));
    const learner = bilstm.create(bilstm.parseOptions({ embeddingSize: 16, units: 16, learningRate: 0.005 }, "learner.options"), { inputSize: length, classes: 2, vocabSize });
    learner.reset(1);
    await learner.fit(sets[0]!, y.slice(0, 800), { epochs: 3, random: createRandom(1, "fit") });
    const truth = y.slice(800);
    // ≈ 0.82 here against a majority of ≈ 0.51.
    expect(accuracy(argmaxRows(await learner.predictProba(sets[1]!)), truth)).toBeGreaterThan(majorityShare(truth) + 0.2);
    learner.dispose();
  });

  it("ignores padding: a sentence padded to 3 or to 6 tokens embeds identically (1 and 2 layers)", async () => {
    // LSTM and embedding weights do not depend on the sequence length, so the same seed builds
    // the same weights for both lengths; only masking makes the padded steps irrelevant.
    for (const layers of [1, 2]) {
      const embed = async (length: number, data: number[]) => {
        const learner = bilstm.create(bilstm.parseOptions({ embeddingSize: 8, units: 6, layers }, "o"), { inputSize: length, classes: 3, vocabSize: 20 });
        learner.reset(5);
        const e = await learner.embed!({ data: Float32Array.from(data), n: 2, c: length });
        learner.dispose();
        return e.data;
      };
      const short = await embed(3, [4, 7, 9, 3, 0, 0]);
      const long = await embed(6, [4, 7, 9, 0, 0, 0, 3, 0, 0, 0, 0, 0]);
      expect(Array.from(long)).toEqual(Array.from(short));
      expect(short.some((v) => v !== 0)).toBe(true);
    }
  });

  it("validates options with the field named", () => {
    expect(() => bilstm.parseOptions({ layers: 3 }, "learner.options")).toThrow("learner.options.layers: Too big");
    expect(() => bilstm.parseOptions({ units: 0 }, "learner.options")).toThrow("learner.options.units");
  });
});
