import "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "../../../lib/al/random.ts";
import { registerWasmKernels } from "../../../lib/backend/wasm-kernels/index.ts";
import { matMulPlan } from "../../../lib/backend/wasm-kernels/mat-mul.ts";
import { runKernelOn, worstRatio, type HostTensor } from "./backends.ts";

// This file runs in its own process (vitest's forks pool): the stock kernels are captured here,
// before registerWasmKernels replaces them, so ours can be compared with them directly.
let stockBatch: tf.KernelConfig;
let stockFused: tf.KernelConfig;

beforeAll(async () => {
  for (const name of ["cpu", "wasm"]) if (!(await tf.setBackend(name))) throw new Error(`test setup: ${name} did not initialise`);
  stockBatch = { ...tf.getKernel("BatchMatMul", "wasm")!, kernelName: "StockBatchMatMul" };
  stockFused = { ...tf.getKernel("_FusedMatMul", "wasm")!, kernelName: "StockFusedMatMul" };
  tf.registerKernel(stockBatch);
  tf.registerKernel(stockFused);
  registerWasmKernels();
});

const matrix = (values: number[], shape: number[]): HostTensor => ({ values: Float32Array.from(values), shape, dtype: "float32" });

function randomMatrix(shape: number[], random: ReturnType<typeof createRandom>): HostTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return { values: Float32Array.from({ length: size }, () => random.normal()), shape, dtype: "float32" };
}

describe("BatchMatMul and _FusedMatMul on wasm: transposed products on XNNPACK", () => {
  it("replaces the stock kernels", () => {
    expect(tf.getKernel("BatchMatMul", "wasm")!.kernelFunc).not.toBe(stockBatch.kernelFunc);
    expect(tf.getKernel("_FusedMatMul", "wasm")!.kernelFunc).not.toBe(stockFused.kernelFunc);
  });

  it("computes hand-worked transposed products", async () => {
    // a = [[1, 2], [3, 4], [5, 6]] (3×2), b = [[1, 0, 2], [0, 1, 3]] (2×3).
    const a = matrix([1, 2, 3, 4, 5, 6], [3, 2]);
    const b = matrix([1, 0, 2, 0, 1, 3], [2, 3]);
    // aᵀ·bᵀ (2×3 · 3×2): rows of aᵀ = [1,3,5], [2,4,6]; columns of bᵀ = b's rows [1,0,2], [0,1,3].
    const both = await runKernelOn("wasm", "BatchMatMul", { a, b }, { transposeA: true, transposeB: true });
    expect(both.shape).toEqual([2, 2]);
    expect(Array.from(both.values)).toEqual([1 + 10, 3 + 15, 2 + 12, 4 + 18]);
    // aᵀ·a (2×2): [[1+9+25, 2+12+30], [.., 4+16+36]].
    const gram = await runKernelOn("wasm", "BatchMatMul", { a, b: a }, { transposeA: true, transposeB: false });
    expect(Array.from(gram.values)).toEqual([35, 44, 44, 56]);
    // a·aᵀ (3×3), first row [1·1+2·2, 1·3+2·4, 1·5+2·6].
    const outer = await runKernelOn("wasm", "BatchMatMul", { a, b: a }, { transposeA: false, transposeB: true });
    expect(outer.shape).toEqual([3, 3]);
    expect(Array.from(outer.values.subarray(0, 3))).toEqual([5, 11, 17]);
    // Fused (tfjs passes it rank-3 operands): relu(aᵀ·a − [40, 40]) = [[0, 4], [4, 16]].
    const a3 = { ...a, shape: [1, 3, 2] };
    const fused = await runKernelOn("wasm", "_FusedMatMul", { a: a3, b: a3, bias: matrix([-40, -40], [2]) }, { transposeA: true, transposeB: false, activation: "relu" });
    expect(Array.from(fused.values)).toEqual([0, 4, 4, 16]);
  });

  it("picks the form that copies less: the large weight stays in place for dy·Wᵀ", () => {
    // dW = xᵀ·dy, x 32×784, dy 32×256: direct copies x (25,088) and packs dy (8,192).
    expect(matMulPlan([32, 784], [32, 256], true, false)).toBe("direct");
    // dx = dy·Wᵀ, W 784×256: direct copies and packs W (2 × 200,704); swapped copies dy twice
    // (8,192 each) and the 32×784 product (25,088).
    expect(matMulPlan([32, 256], [784, 256], false, true)).toBe("swapped");
    // A small weight (256×10): direct (2 × 2,560) beats swapped (320 + 320 + 8,192).
    expect(matMulPlan([32, 10], [256, 10], false, true)).toBe("direct");
  });

  it("equals the stock kernel bit for bit when k ≤ 48 and matches cpu otherwise, over shapes, flags and batch-1 ranks", async () => {
    const random = createRandom(15, "mat-mul");
    let exact = 0;
    let swapped = 0;
    for (let trial = 0; trial < 60; trial++) {
      const [m, k, n] = [1 + random.int(70), 1 + random.int(trial % 3 === 0 ? 48 : 120), 1 + random.int(70)];
      const transposeA = random.next() < 0.6;
      const transposeB = random.next() < 0.6;
      const lead = random.next() < 0.2 ? [1] : [];
      const a = randomMatrix([...lead, ...(transposeA ? [k, m] : [m, k])], random);
      const b = randomMatrix(transposeB ? [n, k] : [k, n], random);
      const attrs = { transposeA, transposeB };
      if (matMulPlan(a.shape, b.shape, transposeA, transposeB) === "swapped") swapped++;
      const ours = await runKernelOn("wasm", "BatchMatMul", { a, b }, attrs);
      const stock = await runKernelOn("wasm", "StockBatchMatMul", { a, b }, attrs);
      const cpu = await runKernelOn("cpu", "BatchMatMul", { a, b }, attrs);
      expect(ours.shape, `trial ${trial}`).toEqual(cpu.shape);
      if (k <= 48) {
        exact++;
        expect(Array.from(ours.values), `trial ${trial}`).toEqual(Array.from(stock.values));
      }
      // Σ|a·b| bounds the rounding error of a k-term float32 sum.
      const abs = await runKernelOn("cpu", "BatchMatMul", { a: { ...a, values: a.values.map(Math.abs) }, b: { ...b, values: b.values.map(Math.abs) } }, attrs);
      expect(worstRatio(ours.values, cpu.values, (i) => 1e-6 * k * abs.values[i]! + 1e-30), `trial ${trial}`).toBeLessThanOrEqual(1);
    }
    expect(exact).toBeGreaterThan(15);
    expect(swapped).toBeGreaterThan(5);
  });

  it("keeps bias and activation in a transposed fused product (like cpu), and frees its intermediates", async () => {
    // Not compared with the stock kernel: its transposed path indexes the bias by the flat
    // output position (clamped to the last entry) and adds it once per block of 48 along k.
    const random = createRandom(16, "fused-mat-mul");
    for (const [transposeA, transposeB] of [[true, false], [false, true], [true, true]] as const) {
      const k = 60;
      const a = randomMatrix(transposeA ? [1, k, 7] : [1, 7, k], random);
      const b = randomMatrix(transposeB ? [1, 9, k] : [1, k, 9], random);
      const bias = randomMatrix([9], random);
      const attrs = { transposeA, transposeB, activation: "relu" };
      const ours = await runKernelOn("wasm", "_FusedMatMul", { a, b, bias }, attrs);
      const cpu = await runKernelOn("cpu", "_FusedMatMul", { a, b, bias }, attrs);
      expect(ours.shape).toEqual([1, 7, 9]);
      expect(worstRatio(ours.values, cpu.values, () => 1e-5 * k), `${transposeA} ${transposeB}`).toBeLessThanOrEqual(1);
      expect(ours.values.some((v) => v === 0) && ours.values.some((v) => v > 0)).toBe(true);
    }
    // Backend-level transposes are invisible to tf.memory(); the backend's own count sees them.
    await tf.setBackend("wasm");
    const backend = tf.engine().backend;
    const before = backend.numDataIds();
    const x = tf.randomNormal([32, 300]);
    const w = tf.randomNormal([200, 300]);
    for (let i = 0; i < 3; i++) tf.tidy(() => tf.matMul(x, w, false, true).add(tf.matMul(w, x, false, true).transpose()).add(tf.matMul(x.transpose(), w, true, true))).dispose();
    // A shape mismatch is reported in the caller's terms, by the stock kernel.
    expect(() => tf.matMul(x, w, true, false)).toThrow(/inner shapes \(32\) and \(200\) of Tensors with shapes 32,300 and 200,300 and transposeA=true/);
    tf.dispose([x, w]);
    expect(backend.numDataIds()).toBe(before);
  });
});
