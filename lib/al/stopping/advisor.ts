/**
 * The sampler advisor: per round, what the published procedure of Abraham & Dreyfus-Schmidt
 * ("Rebuilding Trust in Active Learning with Actionable Metrics", ICDM workshops 2020,
 * arXiv:2012.11365) says to do next, read off the run's stored metrics. Thresholds are ours.
 *
 * Rules, first match wins:
 * 1. stop     — contradictions are low (C(t) ≤ stopBelow for stopWindow rounds): more labels no
 *               longer change the model's predictions. Checked first, because an explorative
 *               reference out-exploring the sampler would otherwise postpone stopping forever.
 * 2. explore  — random or k-means explore more than the chosen sampler this round (larger
 *               exploration gain): use that reference until the sampler catches up.
 * 3. easier   — contradictions did not decrease since the last round: the batches are too hard
 *               (outliers, noise) to settle the model; switch to a sampler that selects easier
 *               batches.
 * 4. harder   — agreement with 1-NN is above a random batch's: the batches are too easy; switch
 *               to a sampler that selects harder batches.
 * 5. continue — none of the above.
 */
import { type Series, checkWindow } from "./stop-result.ts";

export type Advice =
  | { action: "continue"; reason: string }
  | { action: "explore"; use: "random" | "k-means"; reason: string }
  | { action: "easier"; reason: string }
  | { action: "harder"; reason: string }
  | { action: "stop"; reason: string };

export interface AdvisorSeries {
  /** EG(t) of the chosen sampler's run. */
  explorationGain: Series;
  /** EG(t) of the explorative references at the same round (same data, seed and space); either may be absent. */
  reference: { random?: Series; kMeans?: Series };
  /** C(t) of the chosen sampler's run. */
  contradiction: Series;
  /** Agreement of the chosen sampler's batch with 1-NN. */
  agreement: Series;
  /** Agreement of a random batch at the same round (the random run's, or a random draw's). */
  randomAgreement: Series;
}

export interface AdvisorOptions {
  /** C(t) at or below which contradictions count as low (default 0.02). */
  stopBelow?: number;
  /** Rounds C(t) must stay low before advising to stop (default 2). */
  stopWindow?: number;
  /** A reference must exceed the sampler's EG by more than this to advise exploring (default 0). */
  exploreMargin?: number;
  /** Agreement must exceed random's by more than this to advise harder batches (default 0). */
  agreementMargin?: number;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString());
const at = (s: Series | undefined, r: number): number | null => (s === undefined ? null : (s[r] ?? null));

/** One piece of advice per round (same length as the series). */
export function advise(series: AdvisorSeries, options: AdvisorOptions = {}): Advice[] {
  const rounds = series.contradiction.length;
  const named: Array<[string, Series | undefined]> = [
    ["explorationGain", series.explorationGain],
    ["reference.random", series.reference.random],
    ["reference.kMeans", series.reference.kMeans],
    ["agreement", series.agreement],
    ["randomAgreement", series.randomAgreement],
  ];
  for (const [name, s] of named) {
    if (s !== undefined && s.length !== rounds) {
      throw new RangeError(`advise: ${name} has ${s.length} rounds but contradiction has ${rounds}; pass one entry per round (null where undefined)`);
    }
  }
  const stopBelow = options.stopBelow ?? 0.02;
  const stopWindow = options.stopWindow ?? 2;
  const exploreMargin = options.exploreMargin ?? 0;
  const agreementMargin = options.agreementMargin ?? 0;
  checkWindow("advise", stopWindow);

  const advice: Advice[] = [];
  let lowRun = 0;
  for (let r = 0; r < rounds; r++) {
    const c = at(series.contradiction, r);
    lowRun = c !== null && c <= stopBelow ? lowRun + 1 : 0;
    if (lowRun >= stopWindow) {
      advice.push({
        action: "stop",
        reason: `contradiction ratio ${fmt(c!)} ≤ ${fmt(stopBelow)} for ${lowRun} round(s): predictions have settled`,
      });
      continue;
    }

    const eg = at(series.explorationGain, r);
    const random = at(series.reference.random, r);
    const kMeans = at(series.reference.kMeans, r);
    if (eg !== null && (random !== null || kMeans !== null)) {
      const use: "random" | "k-means" = kMeans !== null && (random === null || kMeans > random) ? "k-means" : "random";
      const best = use === "k-means" ? kMeans! : random!;
      if (best > eg + exploreMargin) {
        advice.push({
          action: "explore",
          use,
          reason: `${use} explores more (exploration gain ${fmt(best)} vs ${fmt(eg)}): keep exploring with ${use}`,
        });
        continue;
      }
    }

    const previous = r > 0 ? at(series.contradiction, r - 1) : null;
    if (c !== null && previous !== null && c >= previous) {
      advice.push({
        action: "easier",
        reason: `contradictions did not decrease (${fmt(previous)} → ${fmt(c)}): switch to a sampler that selects easier batches`,
      });
      continue;
    }

    const agree = at(series.agreement, r);
    const randomAgree = at(series.randomAgreement, r);
    if (agree !== null && randomAgree !== null && agree > randomAgree + agreementMargin) {
      advice.push({
        action: "harder",
        reason: `agreement with 1-NN ${fmt(agree)} is above random's ${fmt(randomAgree)}: switch to a sampler that selects harder batches`,
      });
      continue;
    }

    // Say what was actually checked: a rule whose inputs are null at this round did not apply.
    const checked: string[] = [];
    if (eg !== null && (random !== null || kMeans !== null)) checked.push("no reference explores more");
    if (c !== null && previous !== null) checked.push("contradictions falling");
    if (agree !== null && randomAgree !== null) checked.push("agreement not above random's");
    advice.push({
      action: "continue",
      reason: checked.length === 0 ? "no metrics to compare at this round" : checked.join("; "),
    });
  }
  return advice;
}
