/** Shared by the sampler property tests: what every valid selection satisfies. */
import { expect } from "vitest";
import type { Random } from "../../../lib/al/random.ts";
import type { Sampler, SamplerInputs } from "../../../lib/al/samplers/sampler.ts";

/**
 * Selects k points and checks: exactly k, distinct, in range, never labelled, and the same
 * again for the same seed. Returns the selection for sampler-specific checks.
 */
export function expectValidSelection(
  sampler: Sampler<object>,
  inputs: SamplerInputs,
  k: number,
  options: object,
  context: () => { random: Random },
  where: string,
): Int32Array {
  const n = inputs.labelled.length;
  const chosen = sampler.select(inputs, k, options, context());
  expect(chosen.length, where).toBe(k);
  expect(new Set(chosen).size, where).toBe(k);
  for (const i of chosen) {
    expect(Number.isInteger(i) && i >= 0 && i < n, where).toBe(true);
    expect(inputs.labelled[i], where).toBe(0);
  }
  expect(sampler.select(inputs, k, options, context()), where).toEqual(chosen);
  return chosen;
}
