import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { parseBackendChoice, selectBackend } from "../../lib/backend/select.ts";

describe("backend selection", () => {
  it("skips the native backends that cannot load here and picks wasm, saying why", async () => {
    const saved = process.env.AL_BACKEND;
    delete process.env.AL_BACKEND;
    try {
      const chosen = await selectBackend();
      expect(chosen.choice).toBe("wasm");
      expect(tf.getBackend()).toBe("wasm");
      expect(chosen.skipped.join("\n")).toContain("@tensorflow/tfjs-node");
    } finally {
      if (saved !== undefined) process.env.AL_BACKEND = saved;
    }
  });

  it("can be forced to cpu, which is warned about", async () => {
    const warnings: string[] = [];
    const chosen = await selectBackend({ force: "cpu", warn: (l) => warnings.push(l) });
    expect(chosen.choice).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(warnings[0]).toContain("≈30× slower");
  });

  it("fails loudly when a forced backend cannot load, and rejects unknown names", async () => {
    await expect(selectBackend({ force: "node" })).rejects.toThrow('backend "node" cannot be used: @tensorflow/tfjs-node is not installed');
    expect(() => parseBackendChoice("gpu", "--backend")).toThrow('--backend: unknown backend "gpu"; expected one of node-gpu, node, wasm, cpu');
  });
});
