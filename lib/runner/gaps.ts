/**
 * Whether a run's stored rows are complete: rounds exactly 0..R of its plan, each with the
 * labelled count and the selections the plan says. A run is only marked done when it has no
 * gap, and `al status` can use the same check to find stores damaged before that rule existed.
 */
import { planRun } from "../al/plan.ts";
import type { RunConfig } from "../experiments/spec.ts";
import type { Store } from "../store/duckdb.ts";

/** What a run's rows should hold, from its plan: labelled points and new selections per round. */
export interface ExpectedRounds {
  /** labelled[r] = points trained on in round r, for r = 0..R. */
  labelled: number[];
  /** added[r] = selections stored under round r (round 0: the initial set). */
  added: number[];
}

export function expectedRounds(config: RunConfig, poolSize: number): ExpectedRounds {
  // Class count only matters for a stratified-set check the run already passed.
  const plan = planRun(config, poolSize, 0);
  const added = [plan.initial, ...plan.batches];
  const labelled: number[] = [];
  let sum = 0;
  for (const a of added) labelled.push((sum += a));
  return { labelled, added };
}

function ranges(values: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    out.push(i === j ? `${values[i]}` : `${values[i]}-${values[j]}`);
    i = j;
  }
  return out.join(", ");
}

/**
 * The runs among `runIds` whose stored rounds are incomplete or inconsistent, each with a
 * one-line description. Runs not in the store are ignored. Without a stored pool size (older
 * stores) the plan is unknown, so only holes and selection counts against `labelled` are checked.
 */
export async function runGaps(store: Store, runIds: readonly string[]): Promise<Map<string, string>> {
  const gaps = new Map<string, string>();
  if (runIds.length === 0) return gaps;
  const ids = [...new Set(runIds)].join(",");
  const where = "run_id IN (SELECT unnest(string_split(?, ',')))";
  const runs = await store.query(`SELECT run_id, config::VARCHAR AS config, pool_size FROM runs WHERE ${where}`, [ids]);
  const rounds = await store.query(`SELECT run_id, round, labelled FROM rounds WHERE ${where} ORDER BY run_id, round`, [ids]);
  const selections = await store.query(
    `SELECT run_id, round, count(*)::INTEGER AS n FROM selections WHERE ${where} GROUP BY ALL`,
    [ids],
  );
  const stored = new Map<string, Map<number, number>>();
  for (const r of rounds) {
    const id = String(r.run_id);
    if (!stored.has(id)) stored.set(id, new Map());
    stored.get(id)!.set(Number(r.round), Number(r.labelled));
  }
  const picked = new Map<string, Map<number, number>>();
  for (const s of selections) {
    const id = String(s.run_id);
    if (!picked.has(id)) picked.set(id, new Map());
    picked.get(id)!.set(Number(s.round), Number(s.n));
  }

  for (const run of runs) {
    const id = String(run.run_id);
    const have = stored.get(id) ?? new Map<number, number>();
    const chosen = picked.get(id) ?? new Map<number, number>();
    let expected: ExpectedRounds | undefined;
    const config = JSON.parse(String(run.config)) as RunConfig;
    // A cost budget's stop depends on what was picked: only the weaker checks apply, plus that
    // the last round selected nothing (a run cut short has a batch beyond its last round).
    const byCost = config.costBudget !== undefined;
    if (run.pool_size !== null && !byCost) {
      try {
        expected = expectedRounds(config, Number(run.pool_size));
      } catch {
        expected = undefined; // a config this version cannot plan: fall back to the weaker checks
      }
    }
    const last = expected ? expected.labelled.length - 1 : Math.max(-1, ...have.keys());
    const problems: string[] = [];
    const missing: number[] = [];
    for (let r = 0; r <= last; r++) if (!have.has(r)) missing.push(r);
    if (missing.length > 0) problems.push(`rounds ${ranges(missing)} of 0-${last} missing`);
    const extra = [...have.keys()].filter((r) => r > last || r < 0).sort((a, b) => a - b);
    if (extra.length > 0) problems.push(`rounds ${ranges(extra)} beyond the plan's last round ${last}`);
    let total = 0;
    let want = 0;
    for (let r = 0; r <= last; r++) {
      const n = chosen.get(r) ?? 0;
      total += n;
      const labelled = have.get(r);
      if (expected) {
        want += expected.added[r]!;
        if (labelled !== undefined && labelled !== expected.labelled[r]) problems.push(`round ${r} trained on ${labelled} points, the plan says ${expected.labelled[r]}`);
      } else if (labelled !== undefined && labelled !== total) {
        problems.push(`round ${r} trained on ${labelled} points but ${total} were selected by then`);
      }
    }
    for (const [r, n] of chosen) if (r > last || r < 0) total += n;
    if (expected && total !== want) problems.push(`${total} of ${want} selections stored`);
    if (byCost && (chosen.get(last + 1) ?? 0) > 0) problems.push(`round ${last} selected ${chosen.get(last + 1)} points but round ${last + 1} is missing (the cost budget was not reached)`);
    if (problems.length > 0) gaps.set(id, problems.slice(0, 3).join("; "));
  }
  return gaps;
}
