import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { registerWasmKernels, wasmKernelConfigs } from "../../../lib/backend/wasm-kernels/index.ts";
import { selectBackend } from "../../../lib/backend/select.ts";

// Runs in its own process (vitest's forks pool), so nothing is registered before the first test.
describe("registerWasmKernels", () => {
  it("adds only the kernels stock wasm lacks, wraps its matrix products once, and is idempotent", () => {
    const stockMatMul = tf.getKernel("BatchMatMul", "wasm");
    // Pretend a newer tfjs shipped its own UnsortedSegmentSum: ours must not replace it.
    const native: tf.KernelConfig = { kernelName: "UnsortedSegmentSum", backendName: "wasm", kernelFunc: () => { throw new Error("native stub"); } };
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeUndefined();
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBeUndefined();
    tf.registerKernel(native);
    try {
      expect(registerWasmKernels()).toEqual(["Conv2DBackpropFilter", "AlAdamUpdate", "BatchMatMul", "_FusedMatMul"]);
      expect(registerWasmKernels()).toEqual(["Conv2DBackpropFilter", "AlAdamUpdate", "BatchMatMul", "_FusedMatMul"]);
      expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBe(native);
      expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBe(wasmKernelConfigs[0]);
    } finally {
      tf.unregisterKernel("UnsortedSegmentSum", "wasm");
    }
    // With the stub gone, the next call fills the gap.
    expect(registerWasmKernels()).toEqual(["Conv2DBackpropFilter", "UnsortedSegmentSum", "AlAdamUpdate", "BatchMatMul", "_FusedMatMul"]);
    expect(wasmKernelConfigs.every((c) => tf.getKernel(c.kernelName, "wasm") === c)).toBe(true);
    // Wrapped once: a second call must not wrap our wrapper again.
    const wrapped = tf.getKernel("BatchMatMul", "wasm");
    expect(wrapped).not.toBe(stockMatMul);
    registerWasmKernels();
    expect(tf.getKernel("BatchMatMul", "wasm")).toBe(wrapped);
  });

  it("is what backend selection records: wasm with custom kernels", async () => {
    const chosen = await selectBackend({ force: "wasm" });
    expect(chosen).toMatchObject({ choice: "wasm", tfName: "wasm", customKernels: true });
    expect(tf.getBackend()).toBe("wasm");
  });
});
