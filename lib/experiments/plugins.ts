/**
 * The per-process registry of code-defined components: learners made with `tfjsLearner` and
 * samplers made with `defineSampler` in an experiment file. A RunConfig must stay plain JSON
 * (it is stored, hashed and sent to worker processes), so such a component enters it as
 * `{ name, options, code }`, where `code` is the sha256 of its functions' source text, its
 * options and its name; the registry maps (name, code) back to the object. Grid expansion
 * registers what the experiment defines; a worker process registers the same by loading the
 * experiment file itself (lib/runner/load-plugins.ts) before it runs a job.
 *
 * Every lookup the runner does (grid, preflight, execute-run) goes through `resolveLearner` /
 * `resolveSampler`, which answer code-defined references first and the built-in registries
 * otherwise; the pure core never sees this registry.
 *
 * Limits of the code hash (docs: README "Your own model and sampler"): it covers the source text
 * of `build` / `score` / `select` (Function.prototype.toString, after tsx compiles the file) and
 * the options — not helper functions they call, not imported modules, not values captured from
 * the file's scope. Put parameters in `options` so they are part of the run id.
 */
import { createHash } from "node:crypto";
import type { DefinedSampler } from "../al/samplers/define-sampler.ts";
import { getSampler, samplerRegistry } from "../al/samplers/index.ts";
import type { Sampler } from "../al/samplers/sampler.ts";
import { capabilitiesOf, getLearner, learnerRegistry } from "../learners/index.ts";
import type { LearnerCapabilities, LearnerFactory, LearnerShape } from "../learners/learner.ts";
import type { DefinedLearner } from "../learners/tfjs-learner.ts";
import { canonicalJson } from "./id.ts";
import type { ComponentRef, RunConfig } from "./spec.ts";

export function isDefinedLearner(value: unknown): value is DefinedLearner {
  const v = value as Partial<DefinedLearner> | null;
  return typeof v === "object" && v !== null && typeof v.defined === "object" && typeof v.create === "function" && typeof v.capabilities === "function";
}

export function isDefinedSampler(value: unknown): value is DefinedSampler {
  const v = value as Partial<DefinedSampler> | null;
  return typeof v === "object" && v !== null && typeof v.defined === "object" && typeof v.select === "function" && Array.isArray(v.needs);
}

/** The code hash of a defined component: its kind, name, functions' source text and options. */
/**
 * tsx compiles `import { tf } from "…/x"` so that `tf.sequential` reads `import_x.tf.sequential`
 * in the function's source text: the binding's name follows the import path. Dropped before
 * hashing, so importing the same helpers from "al-lab" or "al-lab/learners" keeps the run ids.
 */
export function withoutImportBindings(source: string): string {
  return source.replace(/\bimport_[A-Za-z0-9_$]*\./g, "");
}

export function codeHash(kind: "learner" | "sampler", component: DefinedLearner | DefinedSampler): string {
  const { options } = component.defined;
  const sources = Object.fromEntries(Object.entries(component.defined.sources).map(([key, text]) => [key, withoutImportBindings(text)]));
  return createHash("sha256").update(canonicalJson({ kind, name: component.name, sources, options })).digest("hex");
}

const learners = new Map<string, DefinedLearner>();
const samplers = new Map<string, DefinedSampler>();
const key = (name: string, code: string): string => `${name}\0${code}`;

/** Registers a code-defined learner; returns its RunConfig form. Throws on a built-in's name. */
export function registerLearner(learner: DefinedLearner, path: string): ComponentRef {
  if (Object.hasOwn(learnerRegistry, learner.name)) {
    throw new Error(`${path}: "${learner.name}" is a built-in learner's name; give tfjsLearner another name`);
  }
  const code = codeHash("learner", learner);
  learners.set(key(learner.name, code), learner);
  return { name: learner.name, options: { ...learner.defined.options }, code };
}

/** Registers a code-defined sampler; returns its RunConfig form. Throws on a registered sampler's name. */
export function registerSampler(sampler: DefinedSampler, path: string): ComponentRef {
  if (Object.hasOwn(samplerRegistry, sampler.name) || sampler.name === "baseline") {
    throw new Error(`${path}: "${sampler.name}" is a registered sampler's name; give defineSampler another name`);
  }
  const code = codeHash("sampler", sampler);
  samplers.set(key(sampler.name, code), sampler);
  return { name: sampler.name, options: { ...sampler.defined.options }, code };
}

/** Codes registered under `name` (to say what a file now defines when a job's code is missing). */
export function registeredCodes(kind: "learner" | "sampler", name: string): string[] {
  const map: Map<string, unknown> = kind === "learner" ? learners : samplers;
  return [...map.keys()].filter((k) => k.startsWith(`${name}\0`)).map((k) => k.slice(name.length + 1));
}

/** Whether a (name, code) pair is registered in this process. */
export function isRegistered(kind: "learner" | "sampler", ref: ComponentRef): boolean {
  return ref.code !== undefined && (kind === "learner" ? learners : samplers).has(key(ref.name, ref.code));
}

function missing(kind: "learner" | "sampler", ref: ComponentRef & { code: string }, path: string): Error {
  return new Error(
    `${path}: ${kind} "${ref.name}" is defined in code (hash ${ref.code.slice(0, 12)}) that this process has not loaded; run it with \`al run <experiment file>\`, which loads the file in every worker`,
  );
}

/** The learner factory a reference names: a code-defined one (by name and code) or a built-in. */
export function resolveLearner(ref: ComponentRef, path: string): LearnerFactory {
  if (ref.code === undefined) return getLearner(ref.name, path);
  const found = learners.get(key(ref.name, ref.code));
  if (!found) throw missing("learner", { ...ref, code: ref.code }, path);
  return found as unknown as LearnerFactory;
}

/** The sampler a reference names: a code-defined one (by name and code) or a registered one. */
export function resolveSampler(ref: ComponentRef, path: string): Sampler<object> {
  if (ref.code === undefined) return getSampler(ref.name, path);
  const found = samplers.get(key(ref.name, ref.code));
  if (!found) throw missing("sampler", { ...ref, code: ref.code }, path);
  return found as unknown as Sampler<object>;
}

/** What the referenced learner can give samplers on data of this shape (code-defined: its built body). */
export function learnerCapabilities(ref: ComponentRef, shape: LearnerShape): LearnerCapabilities {
  if (ref.code === undefined) return capabilitiesOf(ref.name, ref.options);
  const found = learners.get(key(ref.name, ref.code));
  if (!found) throw missing("learner", { ...ref, code: ref.code }, "learner");
  return found.capabilities(shape);
}

/** Whether a run uses any code-defined component (then a worker must load the experiment file). */
export function usesCode(config: RunConfig): boolean {
  return config.learner.code !== undefined || config.sampler.code !== undefined || config.reference?.learner.code !== undefined;
}
