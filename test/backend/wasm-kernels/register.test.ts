import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { registerWasmKernels, wasmKernelConfigs } from "../../../lib/backend/wasm-kernels/index.ts";
import { selectBackend } from "../../../lib/backend/select.ts";

// Runs in its own process (vitest's forks pool), so nothing is registered before the first test.
describe("registerWasmKernels", () => {
  it("adds only the kernels stock wasm lacks, and is idempotent", () => {
    // Pretend a newer tfjs shipped its own UnsortedSegmentSum: ours must not replace it.
    const native: tf.KernelConfig = { kernelName: "UnsortedSegmentSum", backendName: "wasm", kernelFunc: () => { throw new Error("native stub"); } };
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeUndefined();
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBeUndefined();
    tf.registerKernel(native);
    try {
      expect(registerWasmKernels()).toEqual(["Conv2DBackpropFilter"]);
      expect(registerWasmKernels()).toEqual(["Conv2DBackpropFilter"]);
      expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBe(native);
      expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBe(wasmKernelConfigs[0]);
    } finally {
      tf.unregisterKernel("UnsortedSegmentSum", "wasm");
    }
    // With the stub gone, the next call fills the gap.
    expect(registerWasmKernels()).toEqual(["Conv2DBackpropFilter", "UnsortedSegmentSum"]);
    expect(wasmKernelConfigs.every((c) => tf.getKernel(c.kernelName, "wasm") === c)).toBe(true);
  });

  it("is what backend selection records: wasm with custom kernels", async () => {
    const chosen = await selectBackend({ force: "wasm" });
    expect(chosen).toMatchObject({ choice: "wasm", tfName: "wasm", customKernels: true });
    expect(tf.getBackend()).toBe("wasm");
  });
});
