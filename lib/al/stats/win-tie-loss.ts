/** Win/tie/loss counts of sampler a against sampler b over paired scores (data sets or seeds). */
import { checkPaired, finiteValues } from "./check.ts";

export interface WinTieLossOptions {
  /** |a − b| ≤ tolerance counts as a tie (default 0: only exact equality). */
  tolerance?: number;
  /** Higher scores win (default true); false for losses/errors. */
  higherIsBetter?: boolean;
}

export interface WinTieLoss {
  wins: number;
  ties: number;
  losses: number;
}

/** Counts from a's side: a win is a pair where a beats b by more than the tolerance. */
export function winTieLoss(a: ArrayLike<number>, b: ArrayLike<number>, options: WinTieLossOptions = {}): WinTieLoss {
  checkPaired("winTieLoss", a, b);
  const xs = finiteValues("winTieLoss", "a", a);
  const ys = finiteValues("winTieLoss", "b", b);
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0)) throw new RangeError(`winTieLoss: tolerance = ${tolerance} must be ≥ 0`);
  const sign = (options.higherIsBetter ?? true) ? 1 : -1;
  const out: WinTieLoss = { wins: 0, ties: 0, losses: 0 };
  for (let i = 0; i < xs.length; i++) {
    const d = sign * (xs[i]! - ys[i]!);
    if (Math.abs(d) <= tolerance) out.ties++;
    else if (d > 0) out.wins++;
    else out.losses++;
  }
  return out;
}
