/**
 * The spec layer's errors. They live in the pure core (lib/al/errors.ts) because samplers parse
 * their options with them and the core imports nothing above itself.
 */
export { SpecError, formatPath, formatZodError, parseWith } from "../al/errors.ts";
