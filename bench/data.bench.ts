/**
 * Data loading: CSV parsing throughput, tokenization, and whole-set loads (file read, parse,
 * split, features) for the larger sets. Reads ../shared/data (or $AL_DATA_DIR).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadDataset } from "../lib/data/registry.ts";
import { parseCsv } from "../lib/data/readers/csv.ts";
import { tokenize } from "../lib/data/text/tokenize.ts";
import type { DatasetOptions } from "../lib/experiments/spec.ts";
import { peakRssMb, timeMs, type BenchCase } from "./harness.ts";

const dataDir = process.env.AL_DATA_DIR ?? join(import.meta.dirname, "../../shared/data");

function loadCase(ref: DatasetOptions, repeats = 3): BenchCase {
  return {
    name: `data/load ${JSON.stringify(ref)}`,
    async run() {
      const ms = await timeMs(() => loadDataset(ref, { dataDir }), repeats);
      const ds = await loadDataset(ref, { dataDir });
      return { ms: +ms.toFixed(1), pool: ds.pool.x.n, test: ds.test.x.n, columns: ds.pool.x.c, peakRssMb: await peakRssMb() };
    },
  };
}

export const cases: BenchCase[] = [
  {
    name: "data/csv parse letter.csv (733 kB) and arxiv-titles.csv (3.4 MB)",
    async run() {
      const out: Record<string, number> = {};
      for (const [key, path] of [["letter", "tabular/letter.csv"], ["arxiv", "text/arxiv-titles/arxiv-titles.csv"]] as const) {
        const text = readFileSync(join(dataDir, path), "utf8");
        const ms = await timeMs(() => parseCsv(text, path));
        out[`${key}Ms`] = +ms.toFixed(1);
        out[`${key}MBps`] = +(text.length / 1e6 / (ms / 1000)).toFixed(1);
      }
      return out;
    },
  },
  {
    name: "data/tokenize 41,000 arXiv titles",
    async run() {
      const titles = parseCsv(readFileSync(join(dataDir, "text/arxiv-titles/arxiv-titles.csv"), "utf8"), "arxiv").rows.map((r) => r[0] as string);
      const ms = await timeMs(() => titles.forEach((t) => tokenize(t)));
      return { ms: +ms.toFixed(1), titlesPerSecond: Math.round(titles.length / (ms / 1000)) };
    },
  },
  loadCase({ name: "letter" }),
  loadCase({ name: "arxiv-titles" }),
  loadCase({ name: "arxiv-titles", features: "tfidf" }),
  loadCase({ name: "sst2" }),
  loadCase({ name: "mnist" }),
  loadCase({ name: "fashion-mnist" }, 1),
  loadCase({ name: "noisy-blobs", blobs: 200, perBlob: 500, dimension: 10, noisyPairs: 50 }),
];
