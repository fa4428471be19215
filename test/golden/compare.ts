/**
 * Compares computed golden entries with the stored ones. A changed fingerprint is explained
 * only by a bumped revision of something that shapes it or by a new package version (both
 * re-key the stored runs), or by a change of the golden cases themselves; anything else means
 * stored runs would be reused with stale numbers.
 */
import type { RevisionSet } from "../../lib/revisions.ts";
import { kinds, type Baseline, type GoldenEntry, type GoldenFile, type Kind } from "./golden-file.ts";

const update = "`npm run golden:update`";
const singular: Record<Kind, string> = { shared: "shared code", learners: "learner", samplers: "sampler" };

/** Where a flat revision name lives in lib/revisions.ts, e.g. revisions.learners["random-forest"]. */
export function revisionPath(name: string): string {
  const dot = name.indexOf(".");
  return dot === -1 ? `revisions.${name}` : `revisions.${name.slice(0, dot)}[${JSON.stringify(name.slice(dot + 1))}]`;
}

function ownRevision(kind: Kind, name: string): string {
  return kind === "shared" ? name : `${kind}.${name}`;
}

function changedRevisions(stored: RevisionSet, current: RevisionSet): string[] {
  const names = [...new Set([...Object.keys(stored), ...Object.keys(current)])].sort();
  return names.filter((n) => stored[n] !== current[n]).map((n) => `${n} ${stored[n] ?? "none"} → ${current[n] ?? "none"}`);
}

/** A new version or new golden cases: every fingerprint may change (the file is re-recorded). */
export function rebased(stored: Baseline, current: Baseline): boolean {
  return stored.version !== current.version || stored.cases !== current.cases;
}

/**
 * An unexplained change: the numbers moved but no revision that shapes them did, under the same
 * baseline. The update script refuses to record these.
 */
export function unexplainedChange(kind: Kind, name: string, stored: GoldenEntry | undefined, current: GoldenEntry, rebase: boolean): string | undefined {
  if (!stored || rebase || stored.fingerprint === current.fingerprint) return undefined;
  if (changedRevisions(stored.revisions, current.revisions).length > 0) return undefined;
  const own = ownRevision(kind, name);
  const others = Object.keys(current.revisions).filter((n) => n !== own);
  const label = kind === "shared" ? `of ${name}` : `of ${singular[kind]} ${name}`;
  const rest = others.length > 0 ? ` (or, if shared code changed them, one of ${others.map(revisionPath).join(", ")})` : "";
  return `numbers ${label} changed but its revision did not: bump ${revisionPath(own)} in lib/revisions.ts${rest}, then ${update}`;
}

/** Every way one stored entry disagrees with the computed one; empty when it is current. */
export function compareEntry(kind: Kind, name: string, stored: GoldenEntry | undefined, current: GoldenEntry, rebase: boolean): string[] {
  const what = `${singular[kind]} ${name}`;
  if (!stored) return [`${what} has no golden fingerprint: run ${update}`];
  const unexplained = unexplainedChange(kind, name, stored, current, rebase);
  if (unexplained) return [unexplained];
  const bumped = changedRevisions(stored.revisions, current.revisions);
  if (bumped.length > 0) return [`revisions of ${what} changed (${bumped.join(", ")}) but test/golden/fingerprints.json was not updated: run ${update}`];
  // A changed fingerprint here comes with a new baseline, which compareFile reports.
  return [];
}

/** Disagreements of the file as a whole: its baseline, and entries of unregistered components. */
export function compareFile(stored: GoldenFile, current: Baseline & { names: Record<Kind, string[]> }): string[] {
  const problems: string[] = [];
  if (stored.version !== current.version) problems.push(`test/golden/fingerprints.json belongs to version ${stored.version} but the package is ${current.version}: run ${update}`);
  if (stored.cases !== current.cases) problems.push(`test/golden/fingerprints.json was recorded for golden cases revision ${stored.cases}, test/golden/cases.ts is at ${current.cases}: run ${update}`);
  for (const kind of kinds) {
    for (const name of Object.keys(stored[kind] ?? {})) {
      if (!current.names[kind].includes(name)) problems.push(`test/golden/fingerprints.json has ${singular[kind]} ${name}, which is no longer registered: run ${update}`);
    }
  }
  return problems;
}

/** Every way the stored file disagrees with the computed entries; empty when it is current. */
export function compareGolden(stored: GoldenFile, current: GoldenFile): string[] {
  const rebase = rebased(stored, current);
  const names = Object.fromEntries(kinds.map((k) => [k, Object.keys(current[k])])) as Record<Kind, string[]>;
  const problems = compareFile(stored, { version: current.version, cases: current.cases, names });
  for (const kind of kinds) {
    for (const [name, entry] of Object.entries(current[kind])) problems.push(...compareEntry(kind, name, stored[kind]?.[name], entry, rebase));
  }
  return problems;
}
