import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx, parseIdx, readIdx } from "../../lib/data/readers/idx.ts";

const shared = join(import.meta.dirname, "../../../shared/data/image");

describe("IDX reader", () => {
  it("reads the real Fashion-MNIST test labels (gzip) with the documented shape", async () => {
    const labels = await readIdx(join(shared, "fashion-mnist/t10k-labels-idx1-ubyte.gz"));
    expect(labels.shape).toEqual([10000]);
    // Fashion-MNIST's test set has exactly 1,000 images per class.
    const counts = new Array(10).fill(0);
    for (const l of labels.data) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(1000));
  });

  it("reads real MNIST images with shape 10000×28×28 and pixel bytes", async () => {
    const images = await readIdx(join(shared, "mnist/t10k-images-idx3-ubyte.gz"));
    expect(images.shape).toEqual([10000, 28, 28]);
    expect(images.data.length).toBe(10000 * 784);
  });

  it("round-trips encodeIdx, plain and gzip", () => {
    const idx = { shape: [2, 3], data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    expect(parseIdx(encodeIdx(idx), "x")).toEqual(idx);
    expect(parseIdx(gzipSync(encodeIdx(idx)), "x")).toEqual(idx);
  });

  it("names the file and the problem for bad magic, truncation, trailing bytes and bad type", () => {
    const good = encodeIdx({ shape: [2, 3], data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    expect(() => parseIdx(Uint8Array.from([1, 2, 8, 1]), "a.idx")).toThrow("a.idx: bad magic number 0x01020801");
    expect(() => parseIdx(good.slice(0, good.length - 2), "b.idx")).toThrow("b.idx: truncated IDX data: shape 2×3 needs 6 bytes, found 4");
    expect(() => parseIdx(Uint8Array.from([...good, 0]), "c.idx")).toThrow("c.idx: 1 unexpected bytes");
    const float = good.slice();
    float[2] = 0x0d;
    expect(() => parseIdx(float, "d.idx")).toThrow("d.idx: IDX data type 0xd is not supported");
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 1, 2, 3]), "e.gz")).toThrow("e.gz: not a valid gzip stream");
  });

  it("reports a missing file by path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "idx-"));
    await expect(readIdx(join(dir, "nope.gz"))).rejects.toThrow(`${join(dir, "nope.gz")}: cannot read IDX file (file not found)`);
    writeFileSync(join(dir, "short.gz"), gzipSync(Uint8Array.from([0, 0, 8])));
    await expect(readIdx(join(dir, "short.gz"))).rejects.toThrow("truncated IDX file");
  });
});
