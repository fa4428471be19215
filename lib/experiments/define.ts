/**
 * `defineExperiment` types an experiment file's default export; validation happens when the
 * file is loaded, so errors can name the file and the field.
 */
import { existsSync } from "node:fs";
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
    throw new SpecError(`${file}: cannot load the experiment file (${(error as Error).message.split("\n")[0]})`);
  }
  if (exported === undefined) {
    throw new SpecError(`${file}: no default export; write \`export default defineExperiment({...})\``);
  }
  const spec = parseExperiment(exported, file);
  return profile === undefined ? spec : resolveProfile(exported as Record<string, unknown>, profile, file);
}
