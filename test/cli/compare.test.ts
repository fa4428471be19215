import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { al, queryStore } from "./al.ts";
import { study, type Study } from "./study.ts";

let s: Study;
beforeAll(async () => {
  s = await study();
});

interface Run { sampler: string; dataset: string; seed: number; area: number }

/** Every logistic AL run's area under its accuracy curve, by hand from the stored rounds. */
async function logisticAreas(): Promise<Run[]> {
  const rows = await queryStore(
    s.db,
    `SELECT r.run_id, r.sampler, r.dataset, r.seed, ro.labelled, m.value
       FROM runs r JOIN rounds ro USING (run_id) JOIN metrics m ON m.run_id = ro.run_id AND m.round = ro.round AND m.metric = 'accuracy'
      WHERE r.learner = 'logistic' AND json_extract(r.config, '$.baseline') IS NULL ORDER BY r.run_id, ro.round`,
  );
  const runs = new Map<string, { run: Omit<Run, "area">; x: number[]; y: number[] }>();
  for (const r of rows) {
    const id = String(r.run_id);
    if (!runs.has(id)) runs.set(id, { run: { sampler: String(r.sampler), dataset: String(r.dataset), seed: Number(r.seed) }, x: [], y: [] });
    runs.get(id)!.x.push(Number(r.labelled));
    runs.get(id)!.y.push(Number(r.value));
  }
  return [...runs.values()].map(({ run, x, y }) => {
    let area = 0;
    for (let i = 1; i < x.length; i++) area += (x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!) / 2;
    return { ...run, area: area / (x.at(-1)! - x[0]!) };
  });
}

/** The exact two-sided Wilcoxon signed-rank p by enumerating every sign pattern (zeros dropped). */
function wilcoxonByEnumeration(a: number[], b: number[]): number {
  const d = a.map((x, i) => x - b[i]!).filter((x) => x !== 0);
  const abs = d.map(Math.abs);
  const rank = abs.map((v) => 1 + abs.filter((w) => w < v).length + (abs.filter((w) => w === v).length - 1) / 2);
  const observed = d.reduce((sum, x, i) => sum + (x > 0 ? rank[i]! : 0), 0);
  let lower = 0;
  let upper = 0;
  const patterns = 2 ** d.length;
  for (let p = 0; p < patterns; p++) {
    let w = 0;
    for (let i = 0; i < d.length; i++) if (p & (1 << i)) w += rank[i]!;
    if (w <= observed + 1e-9) lower++;
    if (w >= observed - 1e-9) upper++;
  }
  return d.length === 0 ? 1 : Math.min(1, (2 * Math.min(lower, upper)) / patterns);
}

const compareJson = (...args: string[]) => {
  const r = al("compare", "study", "--db", s.db, "--json", ...args);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe("al compare", () => {
  it("ranks the samplers per learner: areas, ranks, Friedman, Wilcoxon and W/T/L vs random, as computed by hand", async () => {
    const out = compareJson();
    expect(out).toMatchObject({ experiment: "study", metric: "accuracy", higherIsBetter: true, skipped: [] });
    expect(out.groups.map((g: { group: string }) => g.group).sort()).toEqual(["learner knn", "learner logistic"]);
    const g = out.groups.find((x: { group: string }) => x.group === "learner logistic");
    expect([g.blocks, g.incompleteBlocks, [...g.datasets].sort()]).toEqual([6, 0, ["diabetes", "noisy-blobs"]]);

    const runs = await logisticAreas();
    const samplers = ["random", "margin", "entropy"];
    const blocks = ["noisy-blobs", "diabetes"].flatMap((dataset) => [1, 2, 3].map((seed) => ({ dataset, seed })));
    const score = (sampler: string, b: { dataset: string; seed: number }) => runs.find((r) => r.sampler === sampler && r.dataset === b.dataset && r.seed === b.seed)!.area;
    const method = (sampler: string) => g.methods.find((m: { sampler: string }) => m.sampler === sampler);

    for (const sampler of samplers) {
      for (const dataset of ["noisy-blobs", "diabetes"]) {
        const values = [1, 2, 3].map((seed) => score(sampler, { dataset, seed }));
        const a = method(sampler).area[dataset];
        expect(a.n).toBe(3);
        expect(a.mean).toBeCloseTo((values[0]! + values[1]! + values[2]!) / 3, 12);
        expect(a.lo).toBeGreaterThanOrEqual(Math.min(...values) - 1e-12);
        expect(a.hi).toBeLessThanOrEqual(Math.max(...values) + 1e-12);
      }
    }
    // Ranks within each block (1 = largest area, ties share), averaged over the 6 blocks.
    const rankIn = (sampler: string, b: { dataset: string; seed: number }) => {
      const v = score(sampler, b);
      const others = samplers.filter((x) => x !== sampler).map((x) => score(x, b));
      return 1 + others.filter((o) => o > v).length + others.filter((o) => o === v).length / 2;
    };
    const average = Object.fromEntries(samplers.map((x) => [x, blocks.reduce((sum, b) => sum + rankIn(x, b), 0) / blocks.length]));
    for (const x of samplers) expect(method(x).averageRank).toBeCloseTo(average[x]!, 12);
    expect(g.methods.map((m: { averageRank: number }) => m.averageRank)).toEqual([...g.methods.map((m: { averageRank: number }) => m.averageRank)].sort((p, q) => p - q));

    // Friedman's χ² from the average ranks, tie-corrected; with 3 samplers (2 df) p = exp(−χ²/2).
    const N = blocks.length;
    const k = 3;
    let ties = 0;
    for (const b of blocks) {
      const v = samplers.map((x) => score(x, b));
      for (const x of new Set(v)) {
        const t = v.filter((y) => y === x).length;
        ties += t ** 3 - t;
      }
    }
    const chi = ((12 * N) / (k * (k + 1))) * (samplers.reduce((sum, x) => sum + average[x]! ** 2, 0) - (k * (k + 1) ** 2) / 4) / (1 - ties / (N * k * (k * k - 1)));
    expect(g.friedman.n).toBe(6);
    expect(g.friedman.k).toBe(3);
    expect(g.friedman.chiSquare).toBeCloseTo(chi, 10);
    expect(g.friedman.chiSquareP).toBeCloseTo(Math.exp(-chi / 2), 10);

    for (const x of ["margin", "entropy"]) {
      const a = blocks.map((b) => score(x, b));
      const r = blocks.map((b) => score("random", b));
      expect(method(x).vsRandom).toEqual({
        reference: "random · retrain",
        wilcoxonP: expect.closeTo(wilcoxonByEnumeration(a, r), 12),
        wins: a.filter((v, i) => v > r[i]!).length,
        ties: a.filter((v, i) => v === r[i]!).length,
        losses: a.filter((v, i) => v < r[i]!).length,
      });
    }
    expect(method("random").vsRandom).toBeNull();
  });

  it("prints the ranking table", () => {
    const r = al("compare", "study", "--db", s.db);
    expect(r.code).toBe(0);
    const out = compareJson();
    const text = r.stdout;
    expect(text.split("\n")[0]).toBe("study: area under the accuracy curve (mean accuracy over the labelled range; higher is better), mean [95% bootstrap CI] over seeds");
    for (const g of out.groups) {
      const heading = `${g.group}: 3 samplers over 6 blocks (2 data sets × seeds)`;
      expect(text).toContain(`\n\n${heading}\n`);
      const section = text.slice(text.indexOf(heading));
      const lines = section.split("\n");
      expect(lines[1]).toMatch(/^sampler +mode +(noisy-blobs|diabetes) +(noisy-blobs|diabetes) +avg rank +w\/t\/l vs random +wilcoxon p$/);
      g.methods.forEach((m: { sampler: string; averageRank: number; vsRandom: null | { wins: number; ties: number; losses: number } }, i: number) => {
        expect(lines[3 + i]).toMatch(new RegExp(`^${m.sampler} +retrain +\\d\\.\\d{4} \\[\\d\\.\\d{3}, \\d\\.\\d{3}\\] +\\d\\.\\d{4} \\[\\d\\.\\d{3}, \\d\\.\\d{3}\\] +${m.averageRank.toFixed(2)}`));
        if (m.vsRandom) expect(lines[3 + i]).toContain(`${m.vsRandom.wins}/${m.vsRandom.ties}/${m.vsRandom.losses}`);
      });
      expect(lines[6]).toMatch(new RegExp(`^Friedman over 6 blocks, 3 samplers: χ² = ${g.friedman.chiSquare.toFixed(3)}, p = `));
    }
  });

  it("--metric ranks another metric's curve, lower-is-better ones ascending", () => {
    const out = compareJson("--metric", "log_loss");
    expect(out.higherIsBetter).toBe(false);
    for (const g of out.groups) {
      const best = g.methods[0];
      const worst = g.methods.at(-1);
      // The best-ranked sampler has the smallest loss area on at least one data set.
      expect(g.datasets.some((d: string) => best.area[d].mean <= worst.area[d].mean)).toBe(true);
    }
    const bad = al("compare", "study", "--metric", "acuracy", "--db", s.db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^al compare: --metric acuracy: not stored for "study"; known: accuracy, agreement, .*log_loss, /);
  });

  it("says why it cannot compare: unknown experiment, one sampler, no done runs", async () => {
    const unknown = al("compare", "studdy", "--db", s.db);
    expect([unknown.code, unknown.stderr]).toEqual([2, `al compare: no experiment "studdy" in ${s.db}; known: study\n`]);
    const copy = async (sql: string): Promise<string> => {
      const db = join(mkdtempSync(join(tmpdir(), "al-compare-")), "al.duckdb");
      copyFileSync(s.db, db);
      const instance = await DuckDBInstance.create(db);
      const conn = await instance.connect();
      await conn.run(sql);
      conn.closeSync();
      instance.closeSync();
      return db;
    };
    const onlyRandom = await copy("DELETE FROM runs WHERE sampler <> 'random'");
    const one = al("compare", "study", "--db", onlyRandom);
    expect([one.code, one.stderr]).toEqual([2, 'al compare: experiment "study" has one sampler (random · retrain) among its done runs; al compare needs at least 2 samplers or modes\n']);
    const failed = await copy("UPDATE runs SET status = 'failed'");
    const none = al("compare", "study", "--db", failed);
    expect([none.code, none.stderr]).toEqual([2, `al compare: experiment "study" has no done runs (besides baselines) in ${failed}; see al status study\n`]);
  });
});
