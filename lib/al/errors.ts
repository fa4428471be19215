import type { z } from "zod";

/** Thrown for bad user input; the CLI prints `message` as one line and exits 2. */
export class SpecError extends Error {
  override name = "SpecError";
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}

/**
 * Joins a prefix and a path like ["samplers", 2, "options", "beta"]: "learner.options" +
 * ["hidden"] → learner.options.hidden; "foo.ts: " + ["samplers", 2] → foo.ts: samplers[2].
 */
export function formatPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out ? `.${String(key)}` : String(key);
  if (!out) return prefix.replace(/(:\s*|\.)$/, "");
  if (!prefix || /[ .]$/.test(prefix) || out.startsWith("[")) return prefix + out;
  return `${prefix}.${out}`;
}

/** The first zod issue as one line: `where: what was expected, got what`. */
export function formatZodError(error: z.ZodError, prefix: string, input?: unknown): SpecError {
  let issue = error.issues[0]!;
  let path = issue.path;
  // A union ("a value or a list of values", "a name or {name, options}") fails as a whole with
  // "Invalid input": report why the first alternative that fits the value's type failed (a list
  // whose values repeat), else why the first failed, which is the plain form.
  while (issue.code === "invalid_union") {
    const alternatives = (issue as { errors?: Array<Array<z.core.$ZodIssue>> }).errors ?? [];
    const first = alternatives.find((a) => a[0] && !(a[0].code === "invalid_type" && a[0].path.length === 0))?.[0] ?? alternatives[0]?.[0];
    if (!first) break;
    path = [...path, ...first.path];
    issue = { ...first, path };
  }
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys: string[] }).keys;
    path = [...issue.path, keys[0]!];
    message = `unknown field; remove it or check its spelling`;
  }
  let got = "";
  if (input !== undefined && issue.code !== "unrecognized_keys" && issue.code !== "custom") {
    let v: unknown = input;
    for (const key of issue.path) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
    // zod says "Invalid input: expected number, received string"; we show the value itself.
    message = message.replace(/^Invalid input: /, "").replace(/[,;] received .*$/, "");
    if (v === undefined) message = "required field is missing";
    else got = `, got ${describe(v)}`;
  }
  return new SpecError(`${formatPath(prefix, path)}: ${message}${got}`);
}

/** Parses `value` with `schema`, throwing a one-line SpecError naming `prefix` + the path. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw formatZodError(result.error, prefix, value);
  return result.data;
}
