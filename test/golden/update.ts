/**
 * `npm run golden:update`: recomputes every golden fingerprint and rewrites
 * test/golden/fingerprints.json — but refuses when numbers changed without a revision bump (or
 * a new version, or a new casesRevision in cases.ts), since recording them would let stored runs
 * of the old code be reused.
 */
import { version } from "../../lib/version.ts";
import { casesRevision, goldenCases } from "./cases.ts";
import { rebased, unexplainedChange } from "./compare.ts";
import { readGoldenFile, writeGoldenFile, type GoldenFile } from "./golden-file.ts";

async function main(): Promise<number> {
  const stored = readGoldenFile();
  const next: GoldenFile = { version, cases: casesRevision, shared: {}, learners: {}, samplers: {} };
  const rebase = rebased(stored, next);
  const refused: string[] = [];
  for (const c of goldenCases()) {
    const entry = await c.compute();
    next[c.kind][c.name] = entry;
    const problem = unexplainedChange(c.kind, c.name, stored[c.kind]?.[c.name], entry, rebase);
    if (problem) refused.push(problem);
    process.stderr.write(`${c.kind}/${c.name}: ${entry.fingerprint.slice(0, 12)}${problem ? " (changed, revision not bumped)" : ""}\n`);
  }
  if (refused.length > 0) {
    for (const line of refused) process.stderr.write(`golden:update: ${line}\n`);
    process.stderr.write("golden:update: test/golden/fingerprints.json left unchanged\n");
    return 1;
  }
  writeGoldenFile(next);
  process.stderr.write(`golden:update: wrote test/golden/fingerprints.json for version ${version}\n`);
  return 0;
}

// Reported here: tfjs-backend-wasm's own uncaught-error handler would print its whole source line.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`golden:update: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
