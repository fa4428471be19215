/**
 * CIFAR-10 on small files made here: records with known labels and pixels, packed by hand into
 * a ustar archive (headers written byte by byte in this file) and gzip-compressed, served by a
 * local HTTP server on 127.0.0.1 (never the internet). Checks the tar reader, the record
 * reader pixel by pixel (CHW planes → HWC), the download-and-extract cache, the registry's
 * `cifar10` entry with the 1,000 + 5,000 row limits, and the corrupt-file errors.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CifarEntry } from "../../lib/data/catalog.ts";
import { loadCifarSet } from "../../lib/data/loaders/cifar.ts";
import { locateArchiveSet } from "../../lib/data/locate-archive.ts";
import { resolveOptions } from "../../lib/data/options.ts";
import { CIFAR_RECORD, readCifarRecords } from "../../lib/data/readers/cifar.ts";
import { tarFiles, tarGzFiles } from "../../lib/data/readers/tar.ts";
import { checkDatasetRef, datasetRegistry, loadDataset } from "../../lib/data/registry.ts";

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "al-cifar-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Pixel value of record `r` (of batch `b`), channel `c` (0 R, 1 G, 2 B), plane position `p`. */
const pixel = (b: number, r: number, c: number, p: number): number => (p * (c + 1) + 37 * r + 101 * b + 60 * c) % 256;
const label = (b: number, r: number): number => (3 * r + b) % 10;

/** A batch file of `count` records: label byte, then the R, G and B planes. */
function batch(b: number, count: number): Uint8Array {
  const out = new Uint8Array(count * CIFAR_RECORD);
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR_RECORD;
    out[at] = label(b, r);
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[at + 1 + c * 1024 + p] = pixel(b, r, c, p);
  }
  return out;
}

/** One 512-byte ustar header; `prefix` fills the ustar prefix field. */
function tarHeader(name: string, size: number, type: string, prefix = ""): Uint8Array {
  const h = new Uint8Array(512);
  const put = (text: string, at: number) => h.set(Buffer.from(text, "ascii"), at);
  put(name, 0);
  put("0000644\0", 100);
  put("0001750\0", 108);
  put("0001750\0", 116);
  put(`${size.toString(8).padStart(11, "0")}\0`, 124);
  put("14401234567\0", 136);
  put(type, 156);
  put("ustar\0", 257);
  put("00", 263);
  put(prefix, 345);
  put("        ", 148);
  const sum = h.reduce((a, b) => a + b, 0);
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return h;
}

/** A tar archive of the given entries (directories have no data), ended by two zero blocks. */
function tar(entries: Array<{ name: string; data?: Uint8Array; type?: string; prefix?: string }>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = e.data ?? new Uint8Array(0);
    parts.push(tarHeader(e.name, data.length, e.type ?? "0", e.prefix), data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return Buffer.concat(parts);
}

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(files: AsyncIterable<{ name: string; data: Uint8Array }>) {
  const out: Array<{ name: string; data: Uint8Array }> = [];
  for await (const f of files) out.push(f);
  return out;
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Checks row `row` of x/y against record `r` of batch `b`, every pixel. */
function expectRecord(x: Float32Array, y: Int32Array, row: number, b: number, r: number): void {
  expect(y[row]).toBe(label(b, r));
  const base = row * 3072;
  for (let yy = 0; yy < 32; yy++)
    for (let xx = 0; xx < 32; xx++)
      for (let c = 0; c < 3; c++) {
        const got = x[base + (yy * 32 + xx) * 3 + c]!;
        if (Math.abs(got - pixel(b, r, c, yy * 32 + xx) / 255) > 1e-7) expect({ row, yy, xx, c, got }).toEqual({ row, yy, xx, c, got: pixel(b, r, c, yy * 32 + xx) / 255 });
      }
}

describe("tar reader", () => {
  const a = Buffer.from("hello, tar");
  const b = new Uint8Array(1500).map((_, i) => i % 251);
  const archive = tar([
    { name: "dir/", type: "5" },
    { name: "dir/a.txt", data: a },
    { name: "link", type: "2" },
    { name: "b.bin", data: b, prefix: "deep/er" },
  ]);

  it("yields regular files with their bytes, in order, from any chunking", async () => {
    for (const size of [1, 7, 512, 100_000]) {
      const files = await collect(tarFiles(chunked(archive, size), "t.tar"));
      expect(files.map((f) => f.name)).toEqual(["dir/a.txt", "deep/er/b.bin"]);
      expect(Buffer.from(files[0]!.data).toString()).toBe("hello, tar");
      expect([...files[1]!.data]).toEqual([...b]);
    }
  });

  it("reads GNU long names and pax paths for the next member", async () => {
    const long = `${"x".repeat(120)}.bin`;
    const pax = Buffer.from("27 path=pax/named/file.bin\n");
    const files = await collect(tarFiles(chunked(tar([{ name: "././@LongLink", type: "L", data: Buffer.from(`${long}\0`) }, { name: "short", data: a }, { name: "PaxHeader", type: "x", data: pax }, { name: "cut", data: a }]), 64), "t.tar"));
    expect(files.map((f) => f.name)).toEqual([long, "pax/named/file.bin"]);
  });

  it("names the archive on a bad checksum or a cut", async () => {
    const bad = Buffer.from(archive);
    bad[600] = bad[600]! ^ 1; // inside the second header's name
    await expect(collect(tarFiles(chunked(bad, 512), "t.tar"))).rejects.toThrow("t.tar: not a tar archive, or a corrupt one (header checksum of entry 2 does not match)");
    await expect(collect(tarFiles(chunked(archive.subarray(0, 2824), 512), "t.tar"))).rejects.toThrow('t.tar: truncated tar archive ("deep/er/b.bin" needs 1500 bytes, 264 remain)');
    await expect(collect(tarFiles(chunked(Buffer.from("not a tar at all"), 512), "t.tar"))).rejects.toThrow("t.tar: truncated tar archive (a header of 16 of 512 bytes)");
  });

  it("streams a gzip file and reports a broken one", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "t.tar.gz"), gzipSync(archive));
    expect((await collect(tarGzFiles(join(dir, "t.tar.gz")))).map((f) => f.data.length)).toEqual([10, 1500]);
    writeFileSync(join(dir, "bad.tar.gz"), gzipSync(archive).subarray(0, 60));
    await expect(collect(tarGzFiles(join(dir, "bad.tar.gz")))).rejects.toThrow(`${join(dir, "bad.tar.gz")}: cannot read the gzip-compressed tar archive (`);
  });
});

describe("CIFAR records", () => {
  it("turns the R, G, B planes into HWC rows in [0, 1], pixel by pixel", () => {
    const bytes = batch(2, 3);
    const out = { x: new Float32Array(4 * 3072), y: new Int32Array(4), offset: 1 };
    readCifarRecords(bytes, "b.bin", { start: 0, count: 3 }, 10, out);
    for (let r = 0; r < 3; r++) expectRecord(out.x, out.y, r + 1, 2, r);
    // Row 0 untouched; row 1's first pixel: (R, G, B) = planes' position 0.
    expect(out.x.subarray(0, 3072).every((v) => v === 0)).toBe(true);
    expect([...out.x.subarray(3072, 3075)].map((v) => Math.round(v * 255))).toEqual([pixel(2, 0, 0, 0), pixel(2, 0, 1, 0), pixel(2, 0, 2, 0)]);
  });

  it("refuses a truncated record and an out-of-range label, naming the file", () => {
    const out = { x: new Float32Array(3 * 3072), y: new Int32Array(3), offset: 0 };
    const cut = batch(0, 3).subarray(0, 2 * CIFAR_RECORD + 100);
    expect(() => readCifarRecords(cut, "data_batch_1.bin", { start: 0, count: 2 }, 10, out)).toThrow(
      "data_batch_1.bin: truncated or corrupt CIFAR batch: 6246 bytes is not a whole number of 3073-byte records (record 3 has only 100 bytes); re-download the file",
    );
    const bad = batch(0, 2);
    bad[CIFAR_RECORD] = 10;
    expect(() => readCifarRecords(bad, "data_batch_1.bin", { start: 0, count: 2 }, 10, out)).toThrow("data_batch_1.bin: record 1 has label 10, outside 0..9; the file is corrupt or not a CIFAR-10 batch");
    expect(() => readCifarRecords(new Uint8Array(0), "e.bin", { start: 0, count: 0 }, 10, out)).toThrow("e.bin: empty CIFAR batch file");
  });
});

describe("CIFAR-10 download, cache and loader", () => {
  const counts = [3, 2, 2, 1, 2, 4]; // records per member: data_batch_1..5, test_batch
  const members = counts.map((n, i) => ({ name: i < 5 ? `data_batch_${i + 1}.bin` : "test_batch.bin", split: (i < 5 ? "pool" : "test") as "pool" | "test", bytes: n * CIFAR_RECORD }));
  const batches = counts.map((n, i) => batch(i, n));
  const archive = gzipSync(
    tar([
      { name: "cifar-10-batches-bin/", type: "5" },
      { name: "cifar-10-batches-bin/batches.meta.txt", data: Buffer.from("airplane\nautomobile\n") },
      ...members.map((m, i) => ({ name: `cifar-10-batches-bin/${m.name}`, data: batches[i]! })),
      { name: "cifar-10-batches-bin/readme.html", data: Buffer.from("<html></html>") },
    ]),
  );
  const hits = new Map<string, number>();
  let server: Server;
  let base: string;
  const entry = (url: string, sha256 = sha(archive)): CifarEntry => ({
    ...(datasetRegistry.cifar10 as CifarEntry),
    name: "cifar-test",
    members,
    archive: { url, sha256, bytes: archive.length, memberFolder: "cifar-10-batches-bin" },
  });

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = new URL(request.url!, "http://x").pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (path === "/cifar-10-binary.tar.gz" || path === "/mirror/image/cifar10/cifar-10-binary.tar.gz") return void response.end(archive);
      response.writeHead(404, "Not Found");
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("downloads the archive once, verifies it, extracts the batches and reads them pixel by pixel", async () => {
    const cacheDir = tempDir();
    const e = entry(`${base}/cifar-10-binary.tar.gz`);
    const paths = await locateArchiveSet(e, { cacheDir, dataDir: "", progress: false, download: true });
    expect(paths).toEqual(members.map((m) => join(cacheDir, "image/cifar10/cifar-10-batches-bin", m.name)));
    members.forEach((m, i) => expect(sha(readFileSync(paths[i]!))).toBe(sha(batches[i]!)));
    // Only the batches are kept: no archive, no readme, no temporary files.
    expect(existsSync(join(cacheDir, "image/cifar10/cifar-10-binary.tar.gz"))).toBe(false);
    expect(existsSync(join(cacheDir, "image/cifar10/cifar-10-batches-bin/readme.html"))).toBe(false);

    const ds = await loadCifarSet(e, paths, resolveOptions(e, { name: e.name }));
    expect(ds.shape).toEqual([32, 32, 3]);
    expect(ds.classes).toHaveLength(10);
    expect([ds.pool.x.n, ds.pool.x.c, ds.test.x.n]).toEqual([10, 3072, 4]);
    // Pool rows run through data_batch_1..5 in order.
    const order = counts.slice(0, 5).flatMap((n, b) => Array.from({ length: n }, (_, r) => [b, r] as const));
    order.forEach(([b, r], row) => expectRecord(ds.pool.x.data, ds.pool.y, row, b, r));
    for (let r = 0; r < 4; r++) expectRecord(ds.test.x.data, ds.test.y, r, 5, r);
    expect([...ds.pool.rows!]).toEqual(order.map((_, i) => i));

    // The cache verifies against the sha256 recorded at extraction: no second download…
    await locateArchiveSet(e, { cacheDir, dataDir: "", progress: false, download: false });
    expect(hits.get("/cifar-10-binary.tar.gz")).toBe(1);
    // …until a cached batch changes; then the archive is fetched (here from a mirror) and extracted again.
    writeFileSync(paths[2]!, batch(9, 2));
    await expect(locateArchiveSet(e, { cacheDir, dataDir: "", progress: false, download: false })).rejects.toThrow('data set "cifar-test" has no local copy');
    await locateArchiveSet(e, { cacheDir, dataDir: "", progress: false, download: true, mirror: `${base}/mirror` });
    expect(hits.get("/mirror/image/cifar10/cifar-10-binary.tar.gz")).toBe(1);
    expect(sha(readFileSync(paths[2]!))).toBe(sha(batches[2]!));
  });

  it("refuses an archive whose sha256 is not the entry's, and one that lacks a batch", async () => {
    const cacheDir = tempDir();
    await expect(locateArchiveSet(entry(`${base}/cifar-10-binary.tar.gz`, "0".repeat(64)), { cacheDir, dataDir: "", progress: false, download: true })).rejects.toThrow(/sha256 mismatch: expected 0{64}, got [0-9a-f]{64}; the file was deleted/);
    const short = { ...entry(`${base}/cifar-10-binary.tar.gz`), members: [...members, { name: "extra.bin", split: "test" as const, bytes: 3073 }] };
    await expect(locateArchiveSet(short, { cacheDir, dataDir: "", progress: false, download: true })).rejects.toThrow("the archive lacks cifar-10-batches-bin/extra.bin");
  });

  it("cifar10 from a data root: the 1,000 + 5,000 study's limits, rows across batch files, swap", async () => {
    const root = tempDir();
    const folder = join(root, "image/cifar10/cifar-10-batches-bin");
    mkdirSync(folder, { recursive: true });
    const sizes = [250, 250, 250, 250, 250, 5000];
    const real = datasetRegistry.cifar10 as CifarEntry;
    real.members.forEach((m, i) => writeFileSync(join(folder, m.name), batch(i, sizes[i]!)));
    const ds = await loadDataset({ name: "cifar10", pool: 1000, test: 5000 }, { dataDir: root, download: false });
    expect([ds.pool.x.n, ds.test.x.n, ds.pool.x.c]).toEqual([1000, 5000, 3072]);
    expect(ds.shape).toEqual([32, 32, 3]);
    // Row 999 is data_batch_4's last record; row 250 data_batch_2's first.
    expectRecord(ds.pool.x.data, ds.pool.y, 999, 3, 249);
    expectRecord(ds.pool.x.data, ds.pool.y, 250, 1, 0);
    expectRecord(ds.test.x.data, ds.test.y, 4999, 5, 4999);
    expect(ds.pool.rows![999]).toBe(999);
    // The extracted folder one level up is found too, and gives the same data.
    const flat = tempDir();
    mkdirSync(join(flat, "image/cifar10"), { recursive: true });
    real.members.forEach((m, i) => writeFileSync(join(flat, "image/cifar10", m.name), batch(i, sizes[i]!)));
    expect((await loadDataset({ name: "cifar10", pool: 1000, test: 5000 }, { dataDir: flat, download: false })).checksum).toBe(ds.checksum);
    const swapped = await loadDataset({ name: "cifar10", swap: true, pool: 10, test: 1250 }, { dataDir: root, download: false });
    expectRecord(swapped.pool.x.data, swapped.pool.y, 9, 5, 9);
    expectRecord(swapped.test.x.data, swapped.test.y, 1249, 4, 249);
    const carved = await loadDataset({ name: "cifar10", validationFraction: 0.2, test: 100 }, { dataDir: root, download: false });
    expect([carved.pool.x.n, carved.validation!.x.n, carved.test.x.n]).toEqual([1000, 250, 100]);
    await expect(loadDataset({ name: "cifar10", pool: 1251 }, { dataDir: root, download: false })).rejects.toThrow("cifar10: asked for 1251 rows but the files have 1250; lower dataset.pool / dataset.test");
    expect(() => checkDatasetRef({ name: "cifar10", testFraction: 0.3 }, "dataset")).toThrow('dataset: "testFraction" does not apply: "cifar10" has a predefined test split; remove it');
  });

  it("names the batch file when it is truncated", async () => {
    const dir = tempDir();
    const real = datasetRegistry.cifar10 as CifarEntry;
    real.members.forEach((m, i) => writeFileSync(join(dir, m.name), batch(i, 2)));
    writeFileSync(join(dir, "data_batch_3.bin"), batch(2, 2).subarray(0, CIFAR_RECORD + 5));
    await expect(loadDataset({ name: "cifar10", dir })).rejects.toThrow(`${join(dir, "data_batch_3.bin")}: truncated or corrupt CIFAR batch: 3078 bytes is not a whole number of 3073-byte records (record 2 has only 5 bytes)`);
  });
});
