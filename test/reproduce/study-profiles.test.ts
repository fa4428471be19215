/**
 * Which published profile a study's page (and its README row) leads with: the study's own
 * `profiles` first, then the published protocol ("full"), then "local", then by name; only
 * directories holding a meta.json count.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { studyProfiles } from "../../src/data/reproduction-data.ts";

const dir = mkdtempSync(join(tmpdir(), "study-profiles-"));
for (const p of ["b-cut", "local", "a-cut", "full", "local-cnn"]) {
  mkdirSync(join(dir, p));
  writeFileSync(join(dir, p, "meta.json"), "{}");
}
// A folder without meta.json (a half-written publish) is not a profile.
mkdirSync(join(dir, "partial"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("studyProfiles", () => {
  it("ranks full, then local, then the rest by name", () => {
    expect(studyProfiles(dir)).toEqual(["full", "local", "a-cut", "b-cut", "local-cnn"]);
  });
  it("puts the study's preferred profiles first, in its order, without repeating them", () => {
    expect(studyProfiles(dir, ["local-cnn"])).toEqual(["local-cnn", "full", "local", "a-cut", "b-cut"]);
    expect(studyProfiles(dir, ["local", "b-cut"])).toEqual(["local", "b-cut", "full", "a-cut", "local-cnn"]);
    // A preferred profile that was never published changes nothing.
    expect(studyProfiles(dir, ["gpu"])).toEqual(["full", "local", "a-cut", "b-cut", "local-cnn"]);
  });
  it("is empty for a study with nothing published", () => {
    expect(studyProfiles(join(dir, "missing"))).toEqual([]);
  });
});
