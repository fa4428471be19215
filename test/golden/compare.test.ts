/** The golden comparison on hand-made files: which changes are explained, and what each message says. */
import { describe, expect, it } from "vitest";
import { compareGolden, rebased, revisionPath, unexplainedChange } from "./compare.ts";
import type { GoldenFile } from "./golden-file.ts";

const forest = { revisions: { loop: 1, data: 1, "learners.random-forest": 1, "samplers.margin": 1 }, fingerprint: "aa" };
const margin = { revisions: { "samplers.margin": 1 }, fingerprint: "bb" };
const loop = { revisions: { loop: 1, data: 1, "samplers.random": 1 }, fingerprint: "cc" };
const stored: GoldenFile = { version: "0.1.0", cases: 1, shared: { loop }, learners: { "random-forest": forest }, samplers: { margin } };

/** `stored` with one entry's fingerprint and/or revisions replaced. */
function changed(kind: "shared" | "learners" | "samplers", name: string, fingerprint?: string, revisions?: Record<string, number>): GoldenFile {
  const file = structuredClone(stored);
  const entry = file[kind][name]!;
  if (fingerprint) entry.fingerprint = fingerprint;
  if (revisions) Object.assign(entry.revisions, revisions);
  return file;
}

describe("golden comparison", () => {
  it("accepts an identical file", () => {
    expect(compareGolden(stored, structuredClone(stored))).toEqual([]);
  });

  it("rejects changed numbers under unchanged revisions, naming the revision to bump", () => {
    expect(compareGolden(stored, changed("learners", "random-forest", "dd"))).toEqual([
      'numbers of learner random-forest changed but its revision did not: bump revisions.learners["random-forest"] in lib/revisions.ts (or, if shared code changed them, one of revisions.loop, revisions.data, revisions.samplers["margin"]), then `npm run golden:update`',
    ]);
    expect(compareGolden(stored, changed("samplers", "margin", "dd"))).toEqual([
      'numbers of sampler margin changed but its revision did not: bump revisions.samplers["margin"] in lib/revisions.ts, then `npm run golden:update`',
    ]);
    expect(compareGolden(stored, changed("shared", "loop", "dd"))[0]).toMatch(/^numbers of loop changed but its revision did not: bump revisions\.loop in lib\/revisions\.ts \(or/);
  });

  it("explains a change by a bump of anything that shapes it, but still asks for the update", () => {
    // The forest's own revision, or the margin sampler its golden run selects with.
    const bumps: Array<Record<string, number>> = [{ "learners.random-forest": 2 }, { "samplers.margin": 2 }];
    for (const bump of bumps) {
      const current = changed("learners", "random-forest", "dd", bump);
      expect(unexplainedChange("learners", "random-forest", forest, current.learners["random-forest"]!, false)).toBeUndefined();
      expect(compareGolden(stored, current)).toEqual([
        `revisions of learner random-forest changed (${Object.keys(bump)[0]} 1 → 2) but test/golden/fingerprints.json was not updated: run \`npm run golden:update\``,
      ]);
    }
    // A bump with unchanged numbers is stale too: the file must record the new revision.
    expect(compareGolden(stored, changed("samplers", "margin", undefined, { "samplers.margin": 3 }))).toHaveLength(1);
  });

  it("explains every change by a new version, and asks for the update once", () => {
    const current = { ...changed("learners", "random-forest", "dd"), version: "0.2.0" };
    expect(compareGolden(stored, current)).toEqual(["test/golden/fingerprints.json belongs to version 0.1.0 but the package is 0.2.0: run `npm run golden:update`"]);
  });

  it("explains every change by new golden cases (a case itself was edited)", () => {
    const current = { ...changed("samplers", "margin", "dd"), cases: 2 };
    expect(compareGolden(stored, current)).toEqual([
      "test/golden/fingerprints.json was recorded for golden cases revision 1, test/golden/cases.ts is at 2: run `npm run golden:update`",
    ]);
    expect(unexplainedChange("samplers", "margin", margin, current.samplers["margin"]!, rebased(stored, current))).toBeUndefined();
  });

  it("reports components missing from the file and entries of unregistered ones", () => {
    const current = structuredClone(stored);
    current.samplers["entropy"] = { revisions: { "samplers.entropy": 1 }, fingerprint: "ee" };
    delete current.learners["random-forest"];
    expect(compareGolden(stored, current)).toEqual([
      "test/golden/fingerprints.json has learner random-forest, which is no longer registered: run `npm run golden:update`",
      "sampler entropy has no golden fingerprint: run `npm run golden:update`",
    ]);
  });

  it("writes where a revision lives in lib/revisions.ts", () => {
    expect(revisionPath("loop")).toBe("revisions.loop");
    expect(revisionPath("samplers.qbc-kl")).toBe('revisions.samplers["qbc-kl"]');
  });
});
