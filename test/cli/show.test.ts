import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../lib/data/registry.ts";
import { runId } from "../../lib/experiments/id.ts";
import { al, queryStore } from "./al.ts";
import { sharedData, study, type Study } from "./study.ts";

let s: Study;
let id: string;
let blobsId: string;
let baselineId: string;
beforeAll(async () => {
  s = await study();
  const pick = async (where: string) => String((await queryStore(s.db, `SELECT run_id FROM runs WHERE ${where} ORDER BY run_id LIMIT 1`))[0]!.run_id);
  const al = "json_extract(config, '$.baseline') IS NULL";
  id = await pick(`${al} AND dataset = 'diabetes' AND learner = 'logistic' AND sampler = 'margin' AND seed = 1`);
  blobsId = await pick(`${al} AND dataset = 'noisy-blobs' AND sampler = 'entropy'`);
  baselineId = await pick(`json_extract(config, '$.baseline') IS NOT NULL`);
});

const show = (...args: string[]) => {
  const r = al("show", ...args, "--db", s.db);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
};

describe("al show", () => {
  it("--metrics prints only the chosen per-round metrics, with the stored values", async () => {
    const detail = JSON.parse(show(id.slice(0, 8), "--metrics", "accuracy,macro_f1", "--json"));
    const stored = await queryStore(
      s.db,
      `SELECT round, metric, value FROM metrics WHERE run_id = '${id}' AND metric IN ('accuracy', 'macro_f1') ORDER BY round, metric`,
    );
    expect(detail.rounds).toEqual([0, 1, 2].map((round) => ({
      round,
      labelled: 20 + 10 * round,
      accuracy: stored.find((m) => m.round === round && m.metric === "accuracy")!.value,
      macro_f1: stored.find((m) => m.round === round && m.metric === "macro_f1")!.value,
    })));
    const text = show(id, "--metrics", "accuracy");
    expect(text).toMatch(/^round {2}labelled {2}accuracy$/m);
    expect(text).not.toMatch(/macro_f1 |train_seconds/);
    // Without --metrics: every stored metric and the timings, as before.
    const all = JSON.parse(show(id, "--json"));
    expect(Object.keys(all.rounds[0])).toEqual(expect.arrayContaining(["accuracy", "log_loss", "stability_kappa", "train_seconds", "reference_seconds"]));
  });

  it("an unknown metric is one line naming the known ones, exit 2", () => {
    const r = al("show", id, "--metrics", "accuracy,acuracy", "--db", s.db);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^al show: --metrics: acuracy is not a metric of run ${id}; known: accuracy, agreement, .*macro_f1, `));
  });

  it("shows the stored curve summaries, stopping rules and advice", async () => {
    const detail = JSON.parse(show(id, "--json"));
    const rounds = await queryStore(s.db, `SELECT ro.labelled, m.value FROM rounds ro JOIN metrics m USING (run_id, round) WHERE run_id = '${id}' AND metric = 'accuracy' ORDER BY ro.round`);
    const [x, y] = [rounds.map((r) => Number(r.labelled)), rounds.map((r) => Number(r.value))];
    // Trapezoids over labelled 20 → 30 → 40, divided by the 20-point range.
    const area = (10 * (y[0]! + y[1]!) / 2 + 10 * (y[1]! + y[2]!) / 2) / (x[2]! - x[0]!);
    expect(detail.summaries.aulc_accuracy).toBeCloseTo(area, 12);
    expect(detail.summaries.final_accuracy).toBe(y[2]);
    expect(detail.stopping.map((r: { rule: string }) => r.rule)).toEqual([
      "contradiction", "max_uncertainty", "overall_uncertainty", "selected_accuracy", "stabilising_predictions", "uncertainty_variance",
    ]);
    for (const r of detail.stopping) if (r.stop_round !== null) expect(r.stop_labelled).toBe(x[r.stop_round]);
    expect(detail.advice.map((a: { round: number }) => a.round)).toEqual([0, 1, 2]);
    const text = show(id);
    expect(text).toMatch(new RegExp(`^  aulc_accuracy +${area.toFixed(4)}$`, "m"));
    expect(text).toMatch(/^stopping rules .*\nrule +stop_round +stop_labelled +lost_accuracy$/m);
    expect(text).toMatch(/^advice per round:\nround +action +use +reason$/m);
  });

  it("names the data set, the checksum its run id hashes, and the files it read with their sha256 and size", async () => {
    const detail = JSON.parse(show(id, "--json"));
    const path = join(sharedData, "tabular/diabetes.csv");
    const bytes = readFileSync(path);
    const sha = createHash("sha256").update(bytes).digest("hex");
    const reference = { name: "diabetes", dir: join(sharedData, "tabular"), pool: 200, test: 100 };
    // The checksum the run id was made from: the id is a hash of the config and it.
    const checksum = (await loadDataset(reference)).checksum;
    expect(runId(detail.config, { checksum, version: detail.versions["al-lab"], backend: detail.backend })).toBe(id);
    expect(detail.data).toEqual({ dataset: "diabetes", reference, checksum, files: [{ path, sha256: sha, bytes: bytes.byteLength }] });
    const text = show(id);
    expect(text).toContain(
      `data: diabetes (dir ${join(sharedData, "tabular")}, pool 200, test 100) · checksum ${checksum.slice(0, 16)}…\n  file: ${path} (sha256 ${sha}, ${bytes.byteLength} bytes)\n`,
    );
    const blobs = JSON.parse(show(blobsId, "--json"));
    expect(blobs.data).toMatchObject({ dataset: "noisy-blobs", files: [], note: "generated (lib/data/synthetic/blobs.ts), no files" });
    expect(blobs.data.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(show(blobsId)).toMatch(/\n {2}generated \(lib\/data\/synthetic\/blobs\.ts\), no files\n/);
  });

  it("a baseline shows its one round and its summary, no stopping rules", () => {
    const detail = JSON.parse(show(baselineId, "--json"));
    expect(detail.config.baseline).toEqual({ percent: 10 });
    expect(detail.rounds).toHaveLength(1);
    expect(Object.keys(detail.summaries)).toEqual(["final_accuracy"]);
    expect(detail.stopping).toEqual([]);
  });

  it("an ambiguous or unknown prefix is one line", async () => {
    const ids = (await queryStore(s.db, "SELECT run_id FROM runs")).map((r) => String(r.run_id));
    const shared = [..."0123456789abcdef"].find((c) => ids.filter((i) => i.startsWith(c)).length >= 2)!;
    const n = ids.filter((i) => i.startsWith(shared)).length;
    const r = al("show", shared, "--db", s.db);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(new RegExp(`^al show: "${shared}" matches ${n} runs \\([0-9a-f, ]+…\\); give more characters\\n$`))]);
    expect(al("show", "zzzz", "--db", s.db).stderr).toBe(`al show: no run id starts with "zzzz" in ${s.db} (see al ls --runs)\n`);
  });
});
