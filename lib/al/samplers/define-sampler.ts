/**
 * A sampler defined in code (an experiment file's `samplers` may hold one): a pointwise
 * `score` (higher = more informative; the top k unlabelled points are taken, ties → lowest
 * index) or a whole `select`. Either way the result is checked like the loop checks a built-in
 * sampler's — k distinct, in-range, unlabelled pool indices — and a violation is one line
 * naming the sampler. Pure: it only wraps arrays.
 *
 * Parameters belong in `options` (plain JSON): they are stored with every run and hashed into its
 * id together with the functions' source text, whereas values a function captures from its
 * surroundings are not seen (lib/experiments/plugins.ts).
 */
import type { Random } from "../random.ts";
import type { Sampler, SamplerContext, SamplerInput, SamplerInputs, Task } from "./sampler.ts";
import { topKUnlabelled } from "./top-k.ts";
import { checkK } from "./validate.ts";

/** Plain JSON: what options may hold (they are stored, hashed and sent to worker processes). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface SelectContext<O extends JsonObject> {
  /** Seeded stream of this selection (the same for a replayed round). */
  random: Random;
  options: O;
}

export interface DefineSamplerSpec<O extends JsonObject = JsonObject> {
  /** Stored name of the sampler; must differ from the registered samplers. */
  name: string;
  description?: string;
  /** What the runner computes for it: "probs", "mcSamples", "embeddings", "labels", "referenceProbs", "epochPredictions", "labelledness", "predictedLoss". */
  needs: readonly SamplerInput[];
  /** Tasks it is meant for; default multi-class only. */
  tasks?: readonly Task[];
  /** Parameters, passed to score and select. */
  options?: O;
  /** One number per pool point, higher = more informative. */
  score?(inputs: SamplerInputs, options: O): ArrayLike<number>;
  /** k pool indices, most informative first (overrides the top-k of `score` for selection). */
  select?(inputs: SamplerInputs, k: number, context: SelectContext<O>): ArrayLike<number>;
}

/** A code-defined sampler: a Sampler plus what the runner needs to identify it. */
export interface DefinedSampler<O extends JsonObject = JsonObject> extends Sampler<O> {
  readonly defined: {
    options: O;
    /** Source text of the user's functions, hashed into the run id. */
    sources: Record<string, string>;
  };
  /** How the stored experiment spec shows it (functions as their source text). */
  toJSON(): { name: string; options: O; kind: "defined-sampler"; sources: Record<string, string> };
}

const inputNames: readonly SamplerInput[] = ["probs", "mcSamples", "embeddings", "labels", "referenceProbs", "epochPredictions", "labelledness", "predictedLoss"];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Throws unless `value` is plain JSON (finite numbers, no functions, no undefined, no class instances). */
export function checkJson(value: unknown, path: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not JSON; use a finite number`);
    return;
  }
  if (Array.isArray(value)) return value.forEach((v, i) => checkJson(v, `${path}[${i}]`));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) checkJson(v, `${path}.${k}`);
    return;
  }
  const what = typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value;
  throw new TypeError(`${path}: options must be plain JSON (numbers, strings, booleans, lists, objects), got ${what}`);
}

/**
 * Throws unless `picked` holds exactly k distinct integer indices into the pool, none labelled;
 * returns them as an Int32Array. `who` names the sampler in the message.
 */
export function checkSelection(who: string, picked: ArrayLike<number>, k: number, labelled: Uint8Array): Int32Array {
  if (picked === null || typeof picked !== "object" || typeof picked.length !== "number") {
    throw new TypeError(`${who}: select returned ${picked === null ? "null" : typeof picked}; return an array of k pool indices`);
  }
  if (picked.length !== k) {
    throw new RangeError(`${who}: select returned ${picked.length} indices for k = ${k}; return exactly k`);
  }
  const n = labelled.length;
  const out = new Int32Array(k);
  const first = new Map<number, number>();
  for (let j = 0; j < k; j++) {
    const i = picked[j]!;
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new RangeError(`${who}: select returned ${String(i)} at position ${j}, not a pool index in [0, ${n}); return integer indices into the pool`);
    }
    if (labelled[i] !== 0) {
      throw new RangeError(`${who}: select returned pool point ${i} (position ${j}), which is already labelled; return unlabelled points only (labelled[i] = 0)`);
    }
    const earlier = first.get(i);
    if (earlier !== undefined) {
      throw new RangeError(`${who}: select returned pool point ${i} twice (positions ${earlier} and ${j}); return k distinct points`);
    }
    first.set(i, j);
    out[j] = i;
  }
  return out;
}

/** The scores as Float64Array, checked: one per pool point, no NaN where a point can be picked. */
function checkScores(who: string, scores: ArrayLike<number>, labelled: Uint8Array): Float64Array {
  if (scores === null || typeof scores !== "object" || typeof scores.length !== "number") {
    throw new TypeError(`${who}: score returned ${scores === null ? "null" : typeof scores}; return one number per pool point`);
  }
  if (scores.length !== labelled.length) {
    throw new RangeError(`${who}: score returned ${scores.length} values for ${labelled.length} pool points; return one number per pool point`);
  }
  const out = Float64Array.from(scores);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (labelled[i] === 0 && v !== v) throw new RangeError(`${who}: score of pool point ${i} is NaN (or not a number); return a number per point, higher = more informative (±Infinity ranks first / last)`);
  }
  return out;
}

/** Throws unless every declared input is there (a direct call without it, or a runner bug). */
function checkNeeds(who: string, needs: readonly SamplerInput[], inputs: SamplerInputs): void {
  for (const need of needs) {
    const present = need === "labels" ? inputs.labels !== undefined || inputs.labelSets !== undefined : inputs[need] !== undefined;
    if (!present) throw new TypeError(`${who}: needs "${need}" but got none`);
  }
}

/** Defines a sampler from a score or a select function; see the file comment. */
export function defineSampler<O extends JsonObject = JsonObject>(spec: DefineSamplerSpec<O>): DefinedSampler<O> {
  const name = spec?.name;
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError(`defineSampler: name ${JSON.stringify(name)}: expected letters, digits, '.', '_' or '-'`);
  }
  const who = `defineSampler(${JSON.stringify(name)})`;
  if (!Array.isArray(spec.needs)) throw new TypeError(`${who}: needs: expected a list such as ["probs"]`);
  spec.needs.forEach((need, i) => {
    if (!inputNames.includes(need)) throw new TypeError(`${who}: needs[${i}]: unknown input ${JSON.stringify(need)}; expected one of ${inputNames.join(", ")}`);
  });
  const { score, select } = spec;
  if (score === undefined && select === undefined) throw new TypeError(`${who}: give a score(inputs, options) or a select(inputs, k, context) function`);
  if (score !== undefined && typeof score !== "function") throw new TypeError(`${who}: score: expected a function`);
  if (select !== undefined && typeof select !== "function") throw new TypeError(`${who}: select: expected a function`);
  const defaults = (spec.options ?? {}) as O;
  checkJson(defaults, `${who}: options`);
  const needs = [...spec.needs];
  const scores = (inputs: SamplerInputs, options: O): Float64Array => {
    checkNeeds(name, needs, inputs);
    return checkScores(name, score!.call(spec, inputs, options), inputs.labelled);
  };
  const sources: Record<string, string> = {};
  if (score) sources["score"] = score.toString();
  if (select) sources["select"] = select.toString();

  const sampler: DefinedSampler<O> = {
    name,
    description: spec.description ?? "a sampler defined in the experiment file",
    needs,
    ...(spec.tasks ? { tasks: [...spec.tasks] } : {}),
    defined: { options: defaults, sources },
    parseOptions(options: unknown, path: string): O {
      if (options === undefined) return defaults;
      if (options === null || typeof options !== "object" || Array.isArray(options)) throw new TypeError(`${path}: expected an options object`);
      checkJson(options, path);
      return options as O;
    },
    select(inputs: SamplerInputs, k: number, options: O, context: SamplerContext): Int32Array {
      checkK(name, k, inputs.labelled);
      if (select) {
        checkNeeds(name, needs, inputs);
        return checkSelection(name, select.call(spec, inputs, k, { random: context.random, options }), k, inputs.labelled);
      }
      return topKUnlabelled(scores(inputs, options), k, inputs.labelled);
    },
    ...(score ? { score: scores } : {}),
    toJSON: () => ({ name, options: defaults, kind: "defined-sampler", sources }),
  };
  return sampler;
}
