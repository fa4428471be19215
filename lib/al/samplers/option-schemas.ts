/**
 * Small zod pieces for sampler options, worded so parseWith's one-line errors read naturally:
 * `samplers[2].options.temperature: expected a number > 0, got "high"`.
 */
import { z } from "zod";
import { parseWith } from "../errors.ts";

/** A finite number > 0. */
export function positiveNumber(): z.ZodNumber {
  const error = "expected a number > 0";
  return z.number({ error }).gt(0, { error });
}

/** A whole number ≥ 1. */
export function positiveInt(): z.ZodNumber {
  const error = "expected a whole number ≥ 1";
  return z.int({ error }).min(1, { error });
}

/** One of a few strings, listed in the error. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });
}

/** Parses sampler options (absent = {}) with `schema`, naming `path` in the error. */
export function parseSamplerOptions<S extends z.ZodType>(schema: S, options: unknown, path: string): z.output<S> {
  return parseWith(schema, options ?? {}, path);
}
