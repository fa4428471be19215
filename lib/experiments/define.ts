/**
 * `defineExperiment` types an experiment file's default export; validation happens when the
 * file is loaded, so errors can name the file and the field.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import { SpecError, parseWith } from "./errors.ts";
import { baseExperimentSchema, experimentSchema, type ExperimentInput, type ExperimentSpec } from "./spec.ts";

export function defineExperiment(input: ExperimentInput): ExperimentInput {
  return input;
}

/** Validates an experiment object; `source` (usually the file) prefixes every error. */
export function parseExperiment(input: unknown, source: string): ExperimentSpec {
  const spec = parseWith(experimentSchema, input, `${source}: `);
  // Check every profile now, not only when one is used, so a broken `ci` profile fails early.
  for (const name of Object.keys(spec.profiles ?? {})) resolveProfile(input as Record<string, unknown>, name, source);
  return spec;
}

/** The experiment with profile `name`'s overrides applied, validated as a whole. */
export function resolveProfile(input: Record<string, unknown>, name: string, source: string): ExperimentSpec {
  const { profiles, ...base } = input;
  const overrides = (profiles as Record<string, Record<string, unknown>> | undefined)?.[name];
  if (!overrides) {
    const known = Object.keys((profiles as object | undefined) ?? {});
    throw new SpecError(
      `${source}: unknown profile "${name}"; ${known.length ? `expected one of ${known.join(", ")}` : "the experiment defines no profiles"}`,
    );
  }
  if ("name" in overrides) throw new SpecError(`${source}: profiles.${name}.name: a profile cannot rename the experiment`);
  return parseWith(baseExperimentSchema, { ...base, ...overrides }, `${source}: profiles.${name}.`);
}

/**
 * One line for a file that does not compile or throws on import. esbuild reports
 * "Transform failed with 1 error:\n/abs/foo.ts:2:12: ERROR: Expected …": keep the location
 * (as the user named the file) and the reason, which sit on the second line.
 */
function loadFailure(file: string, path: string, message: string): string {
  const located = message.split("\n").map((l) => l.trim()).find((l) => l.startsWith(`${path}:`) && /^:\d+:\d+: /.test(l.slice(path.length)));
  if (located) {
    const rest = located.slice(path.length).replace(/^(:\d+:\d+): (?:ERROR: )?/, "$1: syntax error: ");
    return `${file}${rest}`;
  }
  const lines = message.split("\n").map((l) => l.trim()).filter(Boolean);
  return `${file}: cannot load the experiment file (${lines.join(" ").replace(/^Transform failed with \d+ errors?: /, "")})`;
}

/** Source text with comments and string contents (not quoted keys) blanked; same length, newlines kept. */
function codeOnly(text: string): string {
  let out = "";
  let i = 0;
  const blank = (from: number, to: number): string => text.slice(from, to).replace(/[^\n]/g, " ");
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    let end = i + 1;
    if (c === "/" && next === "/") end = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
    else if (c === "/" && next === "*") end = text.indexOf("*/", i + 2) === -1 ? text.length : text.indexOf("*/", i + 2) + 2;
    else if (c === '"' || c === "'" || c === "`") {
      while (end < text.length && text[end] !== c) end += text[end] === "\\" ? 2 : 1;
      end = Math.min(end + 1, text.length);
    } else {
      out += c;
      i++;
      continue;
    }
    // A quoted key ("size": …) stays readable: its quotes become spaces.
    const key = (c === '"' || c === "'") && /^\s*:/.test(text.slice(end, end + 20)) && /^\w+$/.test(text.slice(i + 1, end - 1));
    out += key ? ` ${text.slice(i + 1, end - 1)} ` : blank(i, end);
    i = end;
  }
  return out;
}

/**
 * `size: 1.0` imports as the number 1, one label, though the writer likely meant the whole pool
 * (a fraction). The value cannot tell, so the source text is checked for such literals.
 */
export function checkAmbiguousSizes(text: string, file: string): void {
  const code = codeOnly(text);
  const literal = /\b(size|validation|initial|acquisition)\s*:\s*(1\.0*)(?![\w.])/g;
  const match = literal.exec(code);
  if (!match) return;
  // Located at the literal itself, as a compiler would point at it.
  const at = match.index + match[0].length - match[2]!.length;
  const before = code.slice(0, at);
  const line = before.split("\n").length;
  const column = at - before.lastIndexOf("\n");
  // Name the field as the schema would: the key of the object that holds `size`.
  let field = match[1]!;
  if (field === "size" || field === "validation") {
    // The innermost unclosed `{` (or, for a list of objects, the `[` around it) follows the key.
    let depth = 0;
    for (let k = match.index - 1; k >= 0; k--) {
      const ch = code[k]!;
      if (ch === "}" || ch === "]") depth++;
      else if (ch === "{" || ch === "[") {
        if (depth > 0) {
          depth--;
          continue;
        }
        const key = /(\w+)\s*:\s*$/.exec(code.slice(Math.max(0, k - 80), k));
        if (key) {
          field = `${key[1]}.${field}`;
          break;
        }
        if (ch === "[") break;
      }
    }
  }
  throw new SpecError(`${file}:${line}:${column}: ${field}: ${match[2]} is ambiguous: write 1 for one label or a fraction below 1`);
}

/** Imports `experiments/foo.ts` (its default export) and validates it. */
export async function loadExperiment(file: string, profile?: string): Promise<ExperimentSpec> {
  const path = resolve(file);
  if (!existsSync(path)) throw new SpecError(`${file}: experiment file not found`);
  let exported: unknown;
  try {
    // tsImport compiles TypeScript wherever the file lives, even outside an ESM package.
    const mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
    exported = mod.default;
    // A file outside an ESM package loads as CommonJS, whose namespace wraps the export once more.
    if (exported && typeof exported === "object" && Object.keys(exported).every((k) => k === "default" || k === "__esModule")) {
      exported = (exported as { default?: unknown }).default;
    }
  } catch (error) {
    throw new SpecError(loadFailure(file, path, (error as Error).message));
  }
  if (exported === undefined) {
    throw new SpecError(`${file}: no default export; write \`export default defineExperiment({...})\``);
  }
  checkAmbiguousSizes(await readFile(path, "utf8"), file);
  const spec = parseExperiment(exported, file);
  return profile === undefined ? spec : resolveProfile(exported as Record<string, unknown>, profile, file);
}
