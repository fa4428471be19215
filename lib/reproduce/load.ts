/** Imports an experiment file's `reproduction` export (beside its default export) and checks it matches the experiment. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import { SpecError } from "../experiments/errors.ts";
import type { Reproduction } from "./define.ts";

export async function loadReproduction(file: string, experiment: string): Promise<Reproduction> {
  const path = resolve(file);
  if (!existsSync(path)) throw new SpecError(`${file}: experiment file not found`);
  const mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { reproduction?: Reproduction; default?: { reproduction?: Reproduction } };
  const reproduction = mod.reproduction ?? mod.default?.reproduction;
  if (!reproduction || typeof reproduction !== "object" || typeof reproduction.study !== "string") {
    throw new SpecError(`${file}: no \`reproduction\` export; add \`export const reproduction = defineReproduction({...})\` (lib/reproduce/define.ts) beside the experiment`);
  }
  if (reproduction.study !== experiment) {
    throw new SpecError(`${file}: reproduction.study is "${reproduction.study}" but the experiment is "${experiment}"; make them the same name`);
  }
  return reproduction;
}
