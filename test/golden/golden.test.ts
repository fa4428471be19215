/**
 * The golden guard: every component with a revision recomputes its tiny golden case and must
 * match test/golden/fingerprints.json. Numbers that change while the revisions that shape them
 * (and the package version) stay put fail here, because the changed code would otherwise reuse
 * the stored runs of the old code under the same run ids.
 */
import { describe, expect, it } from "vitest";
import { version } from "../../lib/version.ts";
import { casesRevision, goldenCases } from "./cases.ts";
import { compareEntry, compareFile, rebased } from "./compare.ts";
import { kinds, readGoldenFile, type Kind } from "./golden-file.ts";

const stored = readGoldenFile();
const cases = goldenCases();
const rebase = rebased(stored, { version, cases: casesRevision });

describe("golden fingerprints", () => {
  it("belong to this version and these cases, and list exactly the registered components", () => {
    const names = Object.fromEntries(kinds.map((k) => [k, cases.filter((c) => c.kind === k).map((c) => c.name)])) as Record<Kind, string[]>;
    expect(compareFile(stored, { version, cases: casesRevision, names })).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.kind}/${c.name}`, c] as const))("%s matches its stored fingerprint and revisions", async (_, c) => {
    const entry = await c.compute();
    expect(compareEntry(c.kind, c.name, stored[c.kind]?.[c.name], entry, rebase)).toEqual([]);
  });
});
