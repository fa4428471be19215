/**
 * Named data sets and where their files live. The bundled set ships in the package; the
 * others are read from a local directory (`dataset.dir`, or $AL_DATA_DIR/<name>).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseIdx } from "./readers/idx.ts";
import type { Dataset, Split } from "./dataset.ts";
import type { RunConfig } from "../experiments/spec.ts";

interface IdxSetEntry {
  description: string;
  classes: string[];
  /** Default directory, or undefined when the user must point at one. */
  bundledDir?: string;
  files: { poolImages: string; poolLabels: string; testImages: string; testLabels: string };
}

const FASHION_CLASSES = [
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
];

const packageDir = fileURLToPath(new URL("../../", import.meta.url));

export const datasetRegistry: Record<string, IdxSetEntry> = {
  "fashion-mnist-small": {
    description: "3,000 pool + 1,000 test Fashion-MNIST images, shipped with the package",
    classes: FASHION_CLASSES,
    bundledDir: join(packageDir, "data", "fashion-mnist-small"),
    files: {
      poolImages: "pool-images-idx3-ubyte.gz",
      poolLabels: "pool-labels-idx1-ubyte.gz",
      testImages: "test-images-idx3-ubyte.gz",
      testLabels: "test-labels-idx1-ubyte.gz",
    },
  },
  "fashion-mnist": {
    description: "Fashion-MNIST, 60,000 pool + 10,000 test images, from a local copy",
    classes: FASHION_CLASSES,
    files: {
      poolImages: "train-images-idx3-ubyte.gz",
      poolLabels: "train-labels-idx1-ubyte.gz",
      testImages: "t10k-images-idx3-ubyte.gz",
      testLabels: "t10k-labels-idx1-ubyte.gz",
    },
  },
};

export function datasetNames(): string[] {
  return Object.keys(datasetRegistry);
}

/** Throws `path: unknown data set …` naming the known ones. */
export function checkDatasetName(name: string, path: string): void {
  if (!Object.hasOwn(datasetRegistry, name)) {
    throw new Error(`${path}: unknown data set "${name}"; expected one of ${datasetNames().join(", ")}`);
  }
}

function resolveDir(name: string, entry: IdxSetEntry, dir: string | undefined): string {
  if (dir) return dir;
  if (process.env.AL_DATA_DIR) return join(process.env.AL_DATA_DIR, name);
  if (entry.bundledDir) return entry.bundledDir;
  throw new Error(
    `data set "${name}" has no local copy: set AL_DATA_DIR (files under $AL_DATA_DIR/${name}) or dataset.dir in the experiment`,
  );
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new Error(`${path}: cannot read data file (${why})`);
  }
}

function toSplit(images: ReturnType<typeof parseIdx>, labels: ReturnType<typeof parseIdx>, limit: number | undefined, classes: number, source: string): Split {
  const total = images.shape[0]!;
  if (labels.shape.length !== 1 || labels.shape[0] !== total) {
    throw new Error(`${source}: ${labels.shape[0]} labels for ${total} images; the two files must match`);
  }
  if (limit !== undefined && limit > total) {
    throw new Error(`${source}: asked for ${limit} rows but the file has ${total}; lower dataset.pool / dataset.test`);
  }
  const n = limit ?? total;
  const d = images.shape.slice(1).reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) x[i] = images.data[i]! / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i]!;
    if (label >= classes) throw new Error(`${source}: label ${label} at row ${i} is outside 0..${classes - 1}`);
    y[i] = label;
  }
  return { x: { data: x, n, c: d }, y };
}

/** Loads a data set named in a run config (reading only local files). */
export async function loadDataset(ref: RunConfig["dataset"]): Promise<Dataset> {
  checkDatasetName(ref.name, "dataset");
  const entry = datasetRegistry[ref.name]!;
  const dir = resolveDir(ref.name, entry, ref.dir);
  const { poolImages, poolLabels, testImages, testLabels } = entry.files;
  const paths = [poolImages, poolLabels, testImages, testLabels].map((f) => join(dir, f));
  // One at a time, so a missing set always reports its first missing file.
  const bytes: Uint8Array[] = [];
  for (const path of paths) bytes.push(await readBytes(path));
  const hash = createHash("sha256");
  for (const b of bytes) hash.update(createHash("sha256").update(b).digest());
  hash.update(JSON.stringify({ pool: ref.pool ?? null, test: ref.test ?? null }));
  const [pi, pl, ti, tl] = bytes.map((b, i) => parseIdx(b, paths[i]!));
  const k = entry.classes.length;
  return {
    name: ref.name,
    task: "multiclass",
    classes: entry.classes,
    shape: pi!.shape.slice(1),
    pool: toSplit(pi!, pl!, ref.pool, k, paths[0]!),
    test: toSplit(ti!, tl!, ref.test, k, paths[2]!),
    checksum: hash.digest("hex"),
  };
}
