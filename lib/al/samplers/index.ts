/** The sampler registry: the names experiment specs may use. */
import { entropy } from "./entropy.ts";
import { leastConfidence } from "./least-confidence.ts";
import { margin } from "./margin.ts";
import { random } from "./random.ts";
import { ratio } from "./ratio.ts";
import type { Sampler } from "./sampler.ts";

export const samplerRegistry = {
  random,
  "least-confidence": leastConfidence,
  margin,
  entropy,
  ratio,
} as const satisfies Record<string, Sampler<object>>;

export type SamplerName = keyof typeof samplerRegistry;

/** Registered names, in registry order (for error messages and CLI help). */
export const samplerNames = Object.keys(samplerRegistry) as SamplerName[];

/** The sampler called `name`; `path` locates the name in the config for the error message. */
export function getSampler(name: string, path: string): Sampler<object> {
  // hasOwn, not `in`: "toString" must not resolve through the prototype.
  if (!Object.hasOwn(samplerRegistry, name)) {
    throw new RangeError(`${path}: unknown sampler "${name}"; expected one of ${samplerNames.join(", ")}`);
  }
  return samplerRegistry[name as SamplerName];
}
