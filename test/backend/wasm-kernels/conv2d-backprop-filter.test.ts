import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createRandom, type Random } from "../../../lib/al/random.ts";
import { conv2dBackpropFilterName } from "../../../lib/backend/wasm-kernels/conv2d-backprop-filter.ts";
import { prepareBackends, runKernelOn, worstRatio, type HostTensor } from "./backends.ts";

beforeAll(prepareBackends);

const normals = (random: Random, shape: number[]): HostTensor => {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = random.normal();
  return { values, shape, dtype: "float32" };
};
const abs = (t: HostTensor): HostTensor => ({ ...t, values: t.values.map(Math.abs) as Float32Array });

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

/** A random point of the kernel's attribute space with inputs to match. */
function randomCase(random: Random) {
  const format = random.next() < 0.5 ? "NHWC" : "NCHW";
  const [n, h, w, cin, cout] = [1 + random.int(3), 1 + random.int(9), 1 + random.int(9), 1 + random.int(3), 1 + random.int(3)];
  const strides: [number, number] = [1 + random.int(3), 1 + random.int(3)];
  const kind = random.int(4);
  let pad: Pad;
  let dimRoundingMode: "floor" | "round" | "ceil" | undefined;
  let padH = 0;
  let padW = 0;
  if (kind === 0) pad = "valid";
  else if (kind === 1) pad = "same";
  else if (kind === 2) {
    pad = random.int(3);
    padH = padW = 2 * pad;
    dimRoundingMode = (["floor", "round", "ceil"] as const)[random.int(3)];
  } else {
    const [t, b, l, r] = [random.int(3), random.int(3), random.int(3), random.int(3)];
    padH = t + b;
    padW = l + r;
    pad = format === "NHWC" ? [[0, 0], [t, b], [l, r], [0, 0]] : [[0, 0], [0, 0], [t, b], [l, r]];
  }
  // 'same' takes any filter; otherwise it must fit in the padded input.
  const fh = 1 + random.int(pad === "same" ? 4 : Math.min(4, h + padH));
  const fw = 1 + random.int(pad === "same" ? 4 : Math.min(4, w + padW));
  const filterShape: [number, number, number, number] = [fh, fw, cin, cout];
  const xShape: [number, number, number, number] = format === "NHWC" ? [n, h, w, cin] : [n, cin, h, w];
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode, false, format === "NHWC" ? "channelsLast" : "channelsFirst");
  const x = normals(random, xShape);
  const dy = normals(random, info.outShape);
  return { x, dy, attrs: { strides, pad, dataFormat: format, dimRoundingMode, filterShape } };
}

describe("Conv2DBackpropFilter on wasm", () => {
  it("computes a hand-worked filter gradient", async () => {
    // x = 1..9 as one 3×3 image, dy = ones (2×2 outputs of a 2×2 'valid' filter, stride 1):
    // dW[a,b] = sum of the 2×2 window of x starting at (a,b):
    //   (0,0) 1+2+4+5 = 12, (0,1) 2+3+5+6 = 16, (1,0) 4+5+7+8 = 24, (1,1) 5+6+8+9 = 28.
    const x: HostTensor = { values: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), shape: [1, 3, 3, 1], dtype: "float32" };
    const dy: HostTensor = { values: new Float32Array(4).fill(1), shape: [1, 2, 2, 1], dtype: "float32" };
    const out = await runKernelOn("wasm", conv2dBackpropFilterName, { x, dy }, { strides: 1, pad: "valid", dataFormat: "NHWC", filterShape: [2, 2, 1, 1] });
    expect(out.shape).toEqual([2, 2, 1, 1]);
    expect(Array.from(out.values)).toEqual([12, 16, 24, 28]);
    // Stride 2, 'same' padding on the 3×3 input with a 2×2 filter: out is 2×2, total padding
    // max((2−1)·2 + 2 − 3, 0) = 1, all of it at the bottom/right. Output (i,j) reads x rows
    // 2i, 2i+1 and columns 2j, 2j+1 (row/column 3 is padding). With dy = [[1,0],[0,1]]:
    //   dW[a,b] = x[a,b] + x[2+a, 2+b] (the second term only if inside): (0,0) 1+9 = 10,
    //   (0,1) 2+0 = 2, (1,0) 4+0 = 4, (1,1) 5+0 = 5.
    const dy2: HostTensor = { values: Float32Array.from([1, 0, 0, 1]), shape: [1, 2, 2, 1], dtype: "float32" };
    const out2 = await runKernelOn("wasm", conv2dBackpropFilterName, { x, dy: dy2 }, { strides: 2, pad: "same", dataFormat: "NHWC", filterShape: [2, 2, 1, 1] });
    expect(Array.from(out2.values)).toEqual([10, 2, 4, 5]);
  });

  it("matches the cpu backend over strides, padding modes, rounding, formats and shapes", async () => {
    // Tolerance per element: 2e-5 × Σ|x·dy| over the terms summed into it (float32 rounding of
    // a sum of K products is ≤ K·6e-8 of that; K ≤ 3·9·9 here), computed as the same kernel on |x|, |dy|.
    const random = createRandom(8, "conv2d-backprop-filter");
    const seen = new Set<string>();
    for (let trial = 0; trial < 120; trial++) {
      const { x, dy, attrs } = randomCase(random);
      const ours = await runKernelOn("wasm", conv2dBackpropFilterName, { x, dy }, attrs);
      const reference = await runKernelOn("cpu", conv2dBackpropFilterName, { x, dy }, attrs);
      const scale = await runKernelOn("cpu", conv2dBackpropFilterName, { x: abs(x), dy: abs(dy) }, attrs);
      expect(ours.shape).toEqual(reference.shape);
      const ratio = worstRatio(ours.values, reference.values, (i) => 2e-5 * scale.values[i]! + 1e-30);
      expect(ratio, `trial ${trial}: ${JSON.stringify({ x: x.shape, dy: dy.shape, ...attrs })}`).toBeLessThanOrEqual(1);
      const padKind = typeof attrs.pad === "string" ? attrs.pad : typeof attrs.pad === "number" ? "number" : "explicit";
      seen.add(`${attrs.dataFormat}/${padKind}/${attrs.strides.join("x")}`);
    }
    // The random cases covered both formats, all four padding kinds and several strides.
    expect([...seen].filter((k) => k.startsWith("NCHW")).length).toBeGreaterThan(4);
    for (const kind of ["valid", "same", "number", "explicit"]) expect([...seen].some((k) => k.includes(`/${kind}/`))).toBe(true);
  });

  it("gives a zero gradient when there is nothing to sum over, and rejects bad inputs in one line", async () => {
    const x: HostTensor = { values: new Float32Array(0), shape: [0, 4, 4, 2], dtype: "float32" };
    const dy: HostTensor = { values: new Float32Array(0), shape: [0, 2, 2, 3], dtype: "float32" };
    const zero = await runKernelOn("wasm", conv2dBackpropFilterName, { x, dy }, { strides: 1, pad: "valid", dataFormat: "NHWC", filterShape: [3, 3, 2, 3] });
    expect(zero.shape).toEqual([3, 3, 2, 3]);
    expect(zero.values.every((v) => v === 0)).toBe(true);
    const x1: HostTensor = { values: new Float32Array(16), shape: [1, 4, 4, 1], dtype: "float32" };
    const wrong: HostTensor = { values: new Float32Array(9), shape: [1, 3, 3, 1], dtype: "float32" };
    await expect(runKernelOn("wasm", conv2dBackpropFilterName, { x: x1, dy: wrong }, { strides: 1, pad: "valid", dataFormat: "NHWC", filterShape: [3, 3, 1, 1] })).rejects.toThrow(
      "Conv2DBackpropFilter (wasm): dy has shape [1, 3, 3, 1], but x, the filter and the attributes give [1, 2, 2, 1]",
    );
    const ints: HostTensor = { values: new Int32Array(16), shape: [1, 4, 4, 1], dtype: "int32" };
    await expect(runKernelOn("wasm", conv2dBackpropFilterName, { x: ints, dy: wrong }, { strides: 1, pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 1, 1] })).rejects.toThrow(
      "x has dtype int32; only float32 is supported",
    );
  });

  it("trains a conv2d and a conv1d filter through tf.grad exactly like cpu", async () => {
    // Through the public ops (conv1d reshapes to a 1×W conv2d), as the layers call it.
    const random = createRandom(8, "conv-through-grad");
    const x2 = normals(random, [2, 7, 6, 3]);
    const f2 = normals(random, [3, 2, 3, 4]);
    const x1 = normals(random, [3, 11, 5]);
    const f1 = normals(random, [4, 5, 2]);
    const grads = async (backend: "wasm" | "cpu") => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const a = tf.tensor4d(x2.values, x2.shape as [number, number, number, number]);
        const b = tf.tensor1d(x1.values).reshape([3, 11, 5]) as tf.Tensor3D;
        const g2 = tf.grad((f) => tf.conv2d(a, f as tf.Tensor4D, [2, 1], "same").square().sum())(tf.tensor4d(f2.values, [3, 2, 3, 4]));
        const g1 = tf.grad((f) => tf.conv1d(b, f as tf.Tensor3D, 2, "valid").square().sum())(tf.tensor3d(f1.values, [4, 5, 2]));
        return [g2.dataSync(), g1.dataSync()];
      });
    };
    const [w2, w1] = await grads("wasm");
    const [c2, c1] = await grads("cpu");
    const peak = (v: ArrayLike<number>) => Math.max(...Array.from(v, Math.abs));
    // Squared-output losses: gradients of magnitude ~100, summing ~100 terms each.
    expect(worstRatio(w2!, c2!, () => 1e-5 * peak(c2!))).toBeLessThanOrEqual(1);
    expect(worstRatio(w1!, c1!, () => 1e-5 * peak(c1!))).toBeLessThanOrEqual(1);
  });
});
