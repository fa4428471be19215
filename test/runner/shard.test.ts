/** Shard slices (lib/runner/shard.ts): the i/n parser and the slicing invariants. */
import { describe, expect, it } from "vitest";
import { createRandom, permutation } from "../../lib/al/random.ts";
import { parseShard, shardKey, shardStorePath, sliceOf } from "../../lib/runner/shard.ts";
import { smallConfig } from "./small-config.ts";

describe("parseShard", () => {
  it("reads i/n as Slurm's array variables give it", () => {
    expect(parseShard("0/1")).toEqual({ index: 0, count: 1 });
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard(" 9/10 ")).toEqual({ index: 9, count: 10 });
  });

  it.each([
    ["3/3", "--shard 3/3: expected 0 ≤ i < 3; shards count from 0 (0/3 … 2/3)"],
    ["5/3", "--shard 5/3: expected 0 ≤ i < 3"],
    ["0/0", "--shard 0/0: the shard count must be at least 1"],
    ["-1/3", "--shard -1/3: expected i/n with whole numbers"],
    ["1.5/3", "--shard 1.5/3: expected i/n with whole numbers"],
    ["1", "--shard 1: expected i/n with whole numbers"],
    ["a/b", "--shard a/b: expected i/n with whole numbers"],
    ["", "--shard : expected i/n with whole numbers"],
  ])("refuses %j with one line", (value, message) => {
    expect(() => parseShard(value)).toThrow(message);
    try {
      parseShard(value);
    } catch (error) {
      expect((error as Error).message).not.toContain("\n");
    }
  });
});

describe("sliceOf", () => {
  it("deals the sorted keys round-robin: shard i takes positions i, i + n, …", () => {
    const items = ["d", "a", "c", "b", "e"];
    const slice = (index: number) => sliceOf(items, (x) => x, { index, count: 2 });
    // sorted: a b c d e → shard 0: a c e, shard 1: b d; each slice keeps the input's order.
    expect(slice(0)).toEqual(["a", "c", "e"]);
    expect(slice(1)).toEqual(["d", "b"]);
  });

  it("keeps items that share a key together", () => {
    const items = [{ k: "x", v: 1 }, { k: "y", v: 2 }, { k: "x", v: 3 }];
    expect(sliceOf(items, (i) => i.k, { index: 0, count: 2 })).toEqual([{ k: "x", v: 1 }, { k: "x", v: 3 }]);
    expect(sliceOf(items, (i) => i.k, { index: 1, count: 2 })).toEqual([{ k: "y", v: 2 }]);
  });

  it("property: slices are disjoint, cover every item, differ in size by at most one and ignore input order", () => {
    const random = createRandom(16, "shards");
    for (let trial = 0; trial < 200; trial++) {
      const size = Math.floor(random.next() * 40);
      const count = 1 + Math.floor(random.next() * 12);
      const keys = Array.from({ length: size }, (_, i) => `${Math.floor(random.next() * 1e9).toString(16)}-${i}`);
      const shuffled = Array.from(permutation(size, random), (i) => keys[i]!);
      const slices = Array.from({ length: count }, (_, index) => sliceOf(keys, (k) => k, { index, count }));
      const seen = slices.flat();
      expect(seen.length).toBe(size);
      expect(new Set(seen).size).toBe(size);
      const sizes = slices.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      for (let index = 0; index < count; index++) {
        expect(new Set(sliceOf(shuffled, (k) => k, { index, count }))).toEqual(new Set(slices[index]));
      }
    }
  });
});

describe("shardKey", () => {
  it("depends on the run's config only, not on where its data lies", () => {
    const a = smallConfig("one");
    const b = { ...smallConfig("other-experiment"), dataset: { name: "noisy-blobs", dir: "/elsewhere" } };
    expect(shardKey(a)).toBe(shardKey(b));
    expect(shardKey(a)).not.toBe(shardKey({ ...a, seed: 2 }));
    expect(shardKey(a)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("gives each shard its own store file", () => {
    expect(shardStorePath("/r", { index: 1, count: 4 })).toBe("/r/shards/1-of-4.duckdb");
    expect(shardStorePath("/r", { index: 1, count: 4 })).not.toBe(shardStorePath("/r", { index: 1, count: 5 }));
  });
});
