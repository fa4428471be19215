import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { unsortedSegmentSumName } from "../../../lib/backend/wasm-kernels/unsorted-segment-sum.ts";
import { prepareBackends, runKernelOn, worstRatio, type HostTensor } from "./backends.ts";

beforeAll(prepareBackends);

const ids = (values: number[], shape = [values.length]): HostTensor => ({ values: Int32Array.from(values), shape, dtype: "int32" });

describe("UnsortedSegmentSum on wasm", () => {
  it("sums rows into their segments, dropping negative ids (hand-worked)", async () => {
    // rows [1,2], [3,4], [5,6], [7,8] with ids 2, 0, 2, −1 into 3 segments:
    //   segment 0 = [3,4]; segment 1 = nothing = [0,0]; segment 2 = [1+5, 2+6] = [6,8]; row 3 is dropped.
    const x: HostTensor = { values: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), shape: [4, 2], dtype: "float32" };
    const out = await runKernelOn("wasm", unsortedSegmentSumName, { x, segmentIds: ids([2, 0, 2, -1]) }, { numSegments: 3 });
    expect(out.shape).toEqual([3, 2]);
    expect(out.dtype).toBe("float32");
    expect(Array.from(out.values)).toEqual([3, 4, 0, 0, 6, 8]);
    // int32 data keeps its dtype (TensorFlow's definition; tfjs's cpu kernel returns float32):
    const xi: HostTensor = { values: Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), shape: [4, 2], dtype: "int32" };
    const outInt = await runKernelOn("wasm", unsortedSegmentSumName, { x: xi, segmentIds: ids([2, 0, 2, -1]) }, { numSegments: 3 });
    expect(outInt.dtype).toBe("int32");
    expect(Array.from(outInt.values)).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it("matches the cpu backend over ranks, id ranks, segment counts and dtypes", async () => {
    // float32 tolerance per element: 1e-6 × Σ|x| over the rows summed into it (we sum in float64
    // and round once; cpu's float32 steps add at most that), computed as the same kernel on |x|.
    const random = createRandom(8, "unsorted-segment-sum");
    let ints = 0;
    let multiRank = 0;
    for (let trial = 0; trial < 80; trial++) {
      const rank = 1 + random.int(4);
      const shape = Array.from({ length: rank }, () => 1 + random.int(5));
      const idRank = 1 + random.int(rank);
      const numSegments = 1 + random.int(8);
      const dtype = random.next() < 0.3 ? "int32" : "float32";
      const size = shape.reduce((a, b) => a * b, 1);
      const values = dtype === "int32" ? new Int32Array(size) : new Float32Array(size);
      for (let i = 0; i < size; i++) values[i] = dtype === "int32" ? random.int(201) - 100 : random.normal();
      const idShape = shape.slice(0, idRank);
      if (idRank > 1) multiRank++;
      const idValues = Array.from({ length: idShape.reduce((a, b) => a * b, 1) }, () => random.int(numSegments + 1) - 1);
      const x: HostTensor = { values, shape, dtype };
      const segmentIds = ids(idValues, idShape);
      const ours = await runKernelOn("wasm", unsortedSegmentSumName, { x, segmentIds }, { numSegments });
      // tfjs's cpu kernel only handles rank-1 ids; TensorFlow defines rank-k ids as the rank-1 case
      // on x with its first k dimensions flattened, which is what the reference gets.
      const flatX: HostTensor = { ...x, shape: [idValues.length, ...shape.slice(idRank)] };
      const reference = await runKernelOn("cpu", unsortedSegmentSumName, { x: flatX, segmentIds: ids(idValues) }, { numSegments });
      expect(ours.shape).toEqual([numSegments, ...shape.slice(idRank)]);
      expect(ours.shape).toEqual(reference.shape);
      expect(ours.dtype).toBe(dtype);
      if (dtype === "int32") {
        ints++;
        expect(Array.from(ours.values)).toEqual(Array.from(reference.values)); // small integers: exact
      } else {
        const scale = await runKernelOn("cpu", unsortedSegmentSumName, { x: { ...flatX, values: values.map(Math.abs) }, segmentIds: ids(idValues) }, { numSegments });
        expect(worstRatio(ours.values, reference.values, (i) => 1e-6 * scale.values[i]! + 1e-30), `trial ${trial}`).toBeLessThanOrEqual(1);
      }
    }
    expect(ints).toBeGreaterThan(10);
    expect(multiRank).toBeGreaterThan(10);
  });

  it("gives an embedding's gradient like cpu (gather → unsortedSegmentSum)", async () => {
    // 300 tokens into a 1,000 × 16 table, with repeats, as an embedding layer's backward pass does.
    const random = createRandom(8, "embedding-grad");
    const table = Float32Array.from({ length: 1000 * 16 }, () => random.normal());
    const tokens = Int32Array.from({ length: 300 }, () => random.int(50) * 20);
    const upstream = Float32Array.from({ length: 300 * 16 }, () => random.normal());
    const grad = async (backend: "wasm" | "cpu") => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const idx = tf.tensor2d(tokens, [30, 10], "int32");
        const dy = tf.tensor3d(upstream, [30, 10, 16]);
        return tf.grad((w) => tf.gather(w, idx).mul(dy).sum())(tf.tensor2d(table, [1000, 16])).dataSync();
      });
    };
    const ours = await grad("wasm");
    const reference = await grad("cpu");
    expect(worstRatio(ours, reference, () => 1e-5)).toBeLessThanOrEqual(1);
    expect(ours.some((v) => v !== 0)).toBe(true);
  });

  it("rejects ids past numSegments and mismatched shapes in one line", async () => {
    const x: HostTensor = { values: new Float32Array(6), shape: [3, 2], dtype: "float32" };
    await expect(runKernelOn("wasm", unsortedSegmentSumName, { x, segmentIds: ids([0, 4, 1]) }, { numSegments: 3 })).rejects.toThrow(
      "UnsortedSegmentSum (wasm): segmentIds[1] = 4 is not below numSegments = 3 (an embedding index past the vocabulary?)",
    );
    await expect(runKernelOn("wasm", unsortedSegmentSumName, { x, segmentIds: ids([0, 1]) }, { numSegments: 3 })).rejects.toThrow(
      "segmentIds shape [2] is not a prefix of x shape [3, 2]",
    );
  });
});
