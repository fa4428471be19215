/**
 * Shipped reproduction results record the code revisions that computed them, and a study's page
 * data names the components the code has revised since (their numbers would differ now).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { currentRevision, outdatedRevisions, revisions } from "../../lib/revisions.ts";
import { studyPage } from "../../src/data/reproduction-data.ts";

const root = join(import.meta.dirname, "../..");
const temp = mkdtempSync(join(tmpdir(), "al-outdated-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("currentRevision", () => {
  it("reads top-level, learner and sampler components as revisionOf names them", () => {
    expect(currentRevision("loop")).toBe(revisions.loop);
    expect(currentRevision("coldStart")).toBe(2);
    expect(currentRevision("learners.random-forest")).toBe(2);
    expect(currentRevision("samplers.margin")).toBe(1);
  });

  it("is undefined for what the code does not have (not an inherited property)", () => {
    for (const c of ["nope", "learners", "learners.nope", "samplers.constructor", "learners.__proto__", "other.margin"]) expect(currentRevision(c)).toBeUndefined();
  });
});

describe("outdatedRevisions", () => {
  it("lists exactly the components recorded at another revision", () => {
    const cnn = revisions.learners.cnn!;
    expect(outdatedRevisions({ loop: revisions.loop, "learners.cnn": cnn, "samplers.bald": 1 })).toEqual([]);
    expect(outdatedRevisions({ loop: revisions.loop, "learners.cnn": cnn - 1, "samplers.gone": 1 })).toEqual([
      { component: "learners.cnn", recorded: cnn - 1, current: cnn },
      { component: "samplers.gone", recorded: 1, current: undefined },
    ]);
  });
});

describe("studyPage on shipped files", () => {
  const copy = (revisionsField: Record<string, number> | undefined): string => {
    const published = join(temp, `root-${Math.random().toString(36).slice(2)}`);
    cpSync(join(root, "results/published/noisy-blobs"), join(published, "noisy-blobs"), { recursive: true });
    const metaFile = join(published, "noisy-blobs/full/meta.json");
    const meta = JSON.parse(readFileSync(metaFile, "utf8")) as Record<string, unknown>;
    if (revisionsField === undefined) delete meta.revisions;
    else meta.revisions = revisionsField;
    writeFileSync(metaFile, JSON.stringify(meta));
    return published;
  };

  it("the shipped noisy-blobs results record a random forest at revision 2 and are current", async () => {
    const page = await studyPage("noisy-blobs", join(root, "results/published"));
    expect(page.meta.revisions).toMatchObject({ "learners.random-forest": 2, "samplers.wkmeans": 2, "samplers.iwkmeans": 2, "samplers.margin": 1, loop: 1, data: 1 });
    expect(page.outdated).toEqual([]);
  });

  it("names a component the code has revised since, and says when nothing was recorded", async () => {
    const stale = await studyPage("noisy-blobs", copy({ loop: 1, data: 1, "learners.random-forest": 1, "samplers.margin": 1 }));
    expect(stale.outdated).toEqual([{ component: "learners.random-forest", recorded: 1, current: 2 }]);
    expect((await studyPage("noisy-blobs", copy(undefined))).outdated).toBeNull();
  });
});
