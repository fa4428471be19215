/**
 * Checks shared by samplers. A bad k or a missing input is a configuration mistake, so the
 * message names the sampler, the value, and the fix, on one line.
 */
import type { Matrix } from "../matrix.ts";
import type { SamplerInputs } from "./sampler.ts";

/** Number of pool points with labelled[i] === 0. */
export function countUnlabelled(labelled: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < labelled.length; i++) if (labelled[i] === 0) count++;
  return count;
}

/** Throws unless 1 ≤ k ≤ unlabelled pool size and k is an integer; returns the unlabelled count. */
export function checkK(sampler: string, k: number, labelled: Uint8Array): number {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`${sampler}: k = ${k} must be a whole number ≥ 1; pass a positive acquisition size`);
  }
  const unlabelled = countUnlabelled(labelled);
  if (k > unlabelled) {
    throw new RangeError(
      `${sampler}: k = ${k} exceeds the ${unlabelled} unlabelled pool points; lower the acquisition size`,
    );
  }
  return unlabelled;
}

/** The pool probabilities, checked to be present and to have one row per pool point. */
export function requireProbs(sampler: string, inputs: SamplerInputs): Matrix {
  const probs = inputs.probs;
  if (probs === undefined) {
    throw new TypeError(`${sampler}: needs "probs" but the runner gave none`);
  }
  if (probs.n !== inputs.labelled.length) {
    throw new RangeError(
      `${sampler}: probs has ${probs.n} rows but the pool has ${inputs.labelled.length} points; pass one probability row per pool point`,
    );
  }
  if (probs.data.length !== probs.n * probs.c) {
    throw new RangeError(
      `${sampler}: probs data has ${probs.data.length} values, expected ${probs.n}×${probs.c}; build it with matrix()`,
    );
  }
  return probs;
}

/** For samplers without options: accepts undefined or {}, rejects anything else by name. */
export function parseNoOptions(options: unknown, path: string): Record<string, never> {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const got = options === null ? "null" : Array.isArray(options) ? "an array" : typeof options;
    throw new TypeError(`${path}: expected an options object, got ${got}; omit it or pass {}`);
  }
  const keys = Object.keys(options);
  if (keys.length > 0) {
    throw new TypeError(`${path}: unknown option "${keys[0]}" (this sampler takes no options)`);
  }
  return {};
}
