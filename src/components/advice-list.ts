/**
 * The sampler advisor's messages (al run's stored `advice`: one per round, after Abraham &
 * Dreyfus-Schmidt 2020) for one run, with identical messages grouped and their rounds listed
 * as ranges; and how often each action came up per sampler over seeds. Action, use and reason
 * are stored strings: DOM + textContent only, never parsed as HTML.
 */

export interface AdviceEntry {
  round: number;
  action: string;
  use: string | null;
  reason: string;
}

export interface AdviceGroup {
  action: string;
  use: string | null;
  reason: string;
  /** Rounds with this exact message, ascending. */
  rounds: number[];
}

/** Identical (action, use, reason) messages as one group, in order of their first round. */
export function groupAdvice(advice: readonly AdviceEntry[]): AdviceGroup[] {
  const groups = new Map<string, AdviceGroup>();
  for (const a of [...advice].sort((x, y) => x.round - y.round)) {
    const id = JSON.stringify([a.action, a.use, a.reason]);
    const g = groups.get(id);
    if (g) g.rounds.push(a.round);
    else groups.set(id, { action: a.action, use: a.use, reason: a.reason, rounds: [a.round] });
  }
  return [...groups.values()];
}

/** Ascending rounds as ranges: [0, 1, 2, 5, 7, 8] → "rounds 0–2, 5, 7–8"; one round → "round 3". */
export function roundRanges(rounds: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < rounds.length; ) {
    let j = i;
    while (j + 1 < rounds.length && rounds[j + 1] === rounds[j]! + 1) j++;
    parts.push(i === j ? String(rounds[i]) : `${rounds[i]}–${rounds[j]}`);
    i = j + 1;
  }
  return `${rounds.length === 1 ? "round" : "rounds"} ${parts.join(", ")}`;
}

export interface AdviceListOptions {
  document?: Document;
}

/** An <ol class="advice-list">: per group its rounds, action (with the reference to use) and reason. */
export function adviceList(groups: readonly AdviceGroup[], options: AdviceListOptions = {}): HTMLOListElement {
  const doc = options.document ?? document;
  const list = doc.createElement("ol");
  list.className = "advice-list";
  for (const g of groups) {
    const li = doc.createElement("li");
    li.dataset.action = g.action;
    const rounds = doc.createElement("span");
    rounds.className = "advice-rounds";
    rounds.textContent = roundRanges(g.rounds);
    const action = doc.createElement("strong");
    action.className = "advice-action";
    action.textContent = g.use === null ? g.action : `${g.action} with ${g.use}`;
    const reason = doc.createElement("span");
    reason.className = "advice-reason";
    reason.textContent = g.reason;
    li.append(rounds, ": ", action, " — ", reason);
    list.append(li);
  }
  return list;
}

export interface AdviceCount {
  sampler: string;
  action: string;
  /** Rounds with this action, summed over the runs (seeds). */
  rounds: number;
  /** Of all the sampler's advised rounds. */
  share: number;
}

/** How often each action was advised per sampler, over every round of the given runs. */
export function adviceCounts(runs: ReadonlyArray<{ sampler: string; advice: readonly AdviceEntry[] }>): AdviceCount[] {
  const totals = new Map<string, number>();
  const counts = new Map<string, AdviceCount>();
  for (const run of runs) {
    for (const a of run.advice) {
      totals.set(run.sampler, (totals.get(run.sampler) ?? 0) + 1);
      const id = JSON.stringify([run.sampler, a.action]);
      const c = counts.get(id) ?? { sampler: run.sampler, action: a.action, rounds: 0, share: 0 };
      c.rounds++;
      counts.set(id, c);
    }
  }
  const order = [...totals.keys()];
  const ACTIONS = ["continue", "explore", "easier", "harder", "stop"];
  const rank = (a: string) => (ACTIONS.includes(a) ? ACTIONS.indexOf(a) : ACTIONS.length);
  return [...counts.values()]
    .map((c) => ({ ...c, share: c.rounds / totals.get(c.sampler)! }))
    // Samplers in the runs' order, actions in the advisor's order (unknown ones after, by name).
    .sort((a, b) => order.indexOf(a.sampler) - order.indexOf(b.sampler) || rank(a.action) - rank(b.action) || (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
}
