/**
 * Regenerates data/fashion-mnist-small from a full Fashion-MNIST copy:
 *   npx tsx scripts/make-fashion-mnist-small.ts <dir with the four *-ubyte.gz files>
 * Takes the first 3,000 training images (the AL pool) and the first 1,000 test images, in
 * file order, so the subset is reproducible from the canonical files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { encodeIdx, readIdx } from "../lib/data/readers/idx.ts";

const source = process.argv[2];
if (!source) {
  console.error("usage: npx tsx scripts/make-fashion-mnist-small.ts <fashion-mnist dir>");
  process.exit(2);
}
const out = "data/fashion-mnist-small";
mkdirSync(out, { recursive: true });
const parts = [
  ["train-images-idx3-ubyte.gz", "pool-images-idx3-ubyte.gz", 3000],
  ["train-labels-idx1-ubyte.gz", "pool-labels-idx1-ubyte.gz", 3000],
  ["t10k-images-idx3-ubyte.gz", "test-images-idx3-ubyte.gz", 1000],
  ["t10k-labels-idx1-ubyte.gz", "test-labels-idx1-ubyte.gz", 1000],
] as const;
for (const [from, to, n] of parts) {
  const idx = await readIdx(join(source, from));
  const rowBytes = idx.shape.slice(1).reduce((a, b) => a * b, 1);
  const subset = { shape: [n, ...idx.shape.slice(1)], data: idx.data.slice(0, n * rowBytes) };
  writeFileSync(join(out, to), gzipSync(encodeIdx(subset), { level: 9 }));
  console.error(`${to}: ${subset.shape.join("×")}`);
}
