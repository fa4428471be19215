/**
 * Large table files stream: a generated 1M-row CSV (20 numeric columns and a label, ≈ 180 MB)
 * read by `readTables` in a child process, peak RSS and seconds, against the whole-file path
 * (text → string cells → arrays) and against a child that only loads the modules. The goal: peak
 * RSS ≈ the output arrays + a constant, far under 10× the file (1 GB must not need 10 GB).
 * AL_BENCH_ROWS changes the row count.
 */
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { createRandom } from "../lib/al/random.ts";
import type { BenchCase, BenchValue } from "./harness.ts";

const ROWS = Number(process.env.AL_BENCH_ROWS ?? 1_000_000);
const COLUMNS = 20;
const CLASSES = 10;

/** Writes the CSV: features uniform in (-100, 100) with 6 decimals, label 0–9. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const random = createRandom(12, "bench-read-tables");
  const out = createWriteStream(path);
  out.write(["label", ...Array.from({ length: COLUMNS }, (_, k) => `f${k + 1}`)].join(",") + "\n");
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const fields = [String(random.int(CLASSES))];
    for (let k = 0; k < COLUMNS; k++) fields.push((random.next() * 200 - 100).toFixed(6));
    lines.push(fields.join(","));
    if (lines.length === 10_000 || r === rows - 1) {
      if (!out.write(lines.join("\n") + "\n")) await once(out, "drain");
      lines.length = 0;
    }
  }
  out.end();
  await once(out, "finish");
}

function child(mode: "stream" | "whole" | "none", path: string): Record<string, number> {
  const script = join(import.meta.dirname, "read-tables-child.ts");
  // A large old space so that the whole-file path is measured rather than killed.
  // From the repository root, where `--import tsx` resolves.
  const text = execFileSync(process.execPath, ["--max-old-space-size=16384", "--import", "tsx", script, mode, path], {
    cwd: join(import.meta.dirname, ".."),
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(text.trim().split("\n").at(-1)!) as Record<string, number>;
}

export const cases: BenchCase[] = [
  {
    name: `data/readTables ${ROWS.toLocaleString("en")}-row CSV: peak RSS, streaming vs whole file`,
    async run() {
      const dir = mkdtempSync(join(tmpdir(), "al-bench-tables-"));
      try {
        const path = join(dir, "big.csv");
        const t = performance.now();
        await writeCsv(path, ROWS);
        const generateSeconds = (performance.now() - t) / 1000;
        const fileMb = statSync(path).size / 2 ** 20;
        // x (n × 20 float32) + y and rows (int32 each).
        const arraysMb = (ROWS * COLUMNS * 4 + ROWS * 8) / 2 ** 20;
        const base = child("none", path);
        const measured: Record<string, BenchValue> = {
          rows: ROWS,
          fileMb: +fileMb.toFixed(1),
          arraysMb: +arraysMb.toFixed(1),
          generateSeconds: +generateSeconds.toFixed(1),
          modulesOnlyRssMb: base.peakRssMb!,
        };
        for (const mode of ["stream", "whole"] as const) {
          const m = child(mode, path);
          if (m.rows !== ROWS || m.columns !== COLUMNS) throw new Error(`${mode}: read ${m.rows} rows × ${m.columns} columns, expected ${ROWS} × ${COLUMNS}`);
          measured[mode] = {
            seconds: m.seconds!,
            peakRssMb: m.peakRssMb!,
            rssOverFile: +(m.peakRssMb! / fileMb).toFixed(2),
            rssAboveModulesMb: m.peakRssMb! - base.peakRssMb!,
          };
        }
        return measured;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
