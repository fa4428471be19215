import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset } from "../../lib/data/registry.ts";
import { readIdx } from "../../lib/data/readers/idx.ts";

const fashion = join(import.meta.dirname, "../../../shared/data/image/fashion-mnist");

describe("data set registry", () => {
  it("loads the bundled quickstart set: 3,000 pool and 1,000 test images in [0, 1]", async () => {
    const ds = await loadDataset({ name: "fashion-mnist-small" });
    expect(ds.pool.x.n).toBe(3000);
    expect(ds.pool.x.c).toBe(784);
    expect(ds.test.x.n).toBe(1000);
    expect(ds.shape).toEqual([28, 28]);
    expect(ds.classes).toHaveLength(10);
    let max = 0;
    for (const v of ds.pool.x.data) max = Math.max(max, v);
    expect(max).toBeLessThanOrEqual(1);
    expect(ds.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the bundled subset is exactly the first rows of the canonical Fashion-MNIST files", async () => {
    const ds = await loadDataset({ name: "fashion-mnist-small" });
    const images = await readIdx(join(fashion, "train-images-idx3-ubyte.gz"));
    const labels = await readIdx(join(fashion, "t10k-labels-idx1-ubyte.gz"));
    for (const i of [0, 1234, 2999 * 784 + 783]) expect(ds.pool.x.data[i]).toBeCloseTo(images.data[i]! / 255, 6);
    expect(Array.from(ds.test.y)).toEqual(Array.from(labels.data.subarray(0, 1000)));
  });

  it("reads the full set from a local directory, with a row limit changing the checksum", async () => {
    const full = await loadDataset({ name: "fashion-mnist", dir: fashion, pool: 500, test: 200 });
    expect(full.pool.x.n).toBe(500);
    expect(full.test.x.n).toBe(200);
    const other = await loadDataset({ name: "fashion-mnist", dir: fashion, pool: 400, test: 200 });
    expect(other.checksum).not.toBe(full.checksum);
  });

  it("gives one clear line for an unknown set, a missing directory and a too-large subset", async () => {
    await expect(loadDataset({ name: "cifar" })).rejects.toThrow('dataset: unknown data set "cifar"; expected one of fashion-mnist-small, fashion-mnist');
    await expect(loadDataset({ name: "fashion-mnist", dir: "/nonexistent" })).rejects.toThrow(
      "/nonexistent/train-images-idx3-ubyte.gz: cannot read data file (file not found)",
    );
    await expect(loadDataset({ name: "fashion-mnist-small", pool: 5000 })).rejects.toThrow("asked for 5000 rows but the file has 3000");
    const saved = process.env.AL_DATA_DIR;
    delete process.env.AL_DATA_DIR;
    // fashion-mnist has a download URL now: keep this test offline and away from the user's cache.
    const env = { AL_OFFLINE: process.env.AL_OFFLINE, AL_CACHE_DIR: process.env.AL_CACHE_DIR };
    process.env.AL_OFFLINE = "1";
    const cache = mkdtempSync(join(tmpdir(), "al-cache-"));
    process.env.AL_CACHE_DIR = cache;
    try {
      await expect(loadDataset({ name: "fashion-mnist" })).rejects.toThrow('data set "fashion-mnist" has no local copy: set AL_DATA_DIR');
    } finally {
      if (saved !== undefined) process.env.AL_DATA_DIR = saved;
      rmSync(cache, { recursive: true, force: true });
      for (const [key, value] of Object.entries(env)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
