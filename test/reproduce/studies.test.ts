/**
 * Every shipped reproduction (experiments/reproductions/*.ts): its experiment and profiles
 * load, its reproduction matches the experiment (every paper row names a setting and a sampler
 * its grid has), and its `ci` profile goes through `al reproduce` — grid, measures, shipped
 * files — with every run measured. The ci runs check the pipeline, not the paper's numbers.
 */
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadExperiment } from "../../lib/experiments/define.ts";
import { expandExperiment } from "../../lib/experiments/grid.ts";
import { loadReproduction } from "../../lib/reproduce/load.ts";
import { readPublished, sampledName } from "../../lib/reproduce/publish.ts";
import { al, root } from "../cli/al.ts";

const files = readdirSync(join(root, "experiments/reproductions")).filter((f) => f.endsWith(".ts")).sort();

let dir: string;
let savedDataDir: string | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "al-studies-"));
  // The studies' data sets from the shared folder (the al processes inherit it): tests never download.
  savedDataDir = process.env.AL_DATA_DIR;
  process.env.AL_DATA_DIR = join(root, "../shared/data");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  if (savedDataDir === undefined) delete process.env.AL_DATA_DIR;
  else process.env.AL_DATA_DIR = savedDataDir;
});

describe.each(files)("experiments/reproductions/%s", (name) => {
  const file = `experiments/reproductions/${name}`;

  it("names only settings and samplers its published grid has", async () => {
    const spec = await loadExperiment(join(root, file));
    const reproduction = await loadReproduction(join(root, file), spec.name);
    const configs = expandExperiment(spec, join(root, file));
    const settings = new Set(configs.map((c) => (reproduction.setting ?? (() => "all"))(c)));
    const samplers = new Set(configs.map((c) => (reproduction.sampler ?? sampledName)(c)));
    for (const p of reproduction.paper) {
      // A row we cannot run says why (the page shows it); every other row must name a grid cell.
      if (p.notRun !== undefined) {
        expect(p.notRun.length, `paper row ${JSON.stringify(p)}`).toBeGreaterThan(10);
        continue;
      }
      expect(settings, `paper row ${JSON.stringify(p)}`).toContain(p.setting ?? "all");
      expect(samplers, `paper row ${JSON.stringify(p)}`).toContain(p.sampler);
    }
    expect(Object.keys(spec.profiles ?? {})).toContain("ci");
  });

  it("its ci profile runs through al reproduce and measures every run", { timeout: 240_000 }, async () => {
    const spec = await loadExperiment(join(root, file), "ci");
    const reproduction = await loadReproduction(join(root, file), spec.name);
    const db = join(dir, `${spec.name}.duckdb`);
    const out = join(dir, "published");
    const r = al("reproduce", file, "--profile", "ci", "--db", db, "--out", out, "--workers", "1");
    expect(r.stderr.split("\n").filter((l) => l.startsWith("al reproduce:"))).toEqual([]);
    expect(r.code).toBe(0);
    const published = await readPublished(join(out, spec.name, "ci"));
    const runs = expandExperiment(spec, join(root, file)).length;
    expect(published.meta.runs).toBe(runs);
    expect(published.measures).toHaveLength(runs * Object.keys(reproduction.measures).length);
    expect(published.curves.length).toBeGreaterThan(0);
  });
});
