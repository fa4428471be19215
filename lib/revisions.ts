/**
 * Revisions of the code that computes a run's numbers. Run ids hash the config, the data, the
 * package version and the backend — not the code — so a fix that changes results would silently
 * reuse the stored runs of the old code. Bumping the revision of what changed gives exactly the
 * affected runs new ids. test/golden/ fails CI when a component's numbers change while its
 * revision (and the version) stay the same; `npm run golden:update` then records the new
 * fingerprints (see docs/architecture.md, Decisions).
 */
import type { RunConfig } from "./experiments/spec.ts";
import { stochasticOptionsSchema } from "./al/samplers/stochastic.ts";

export const revisions = {
  /**
   * Code every run goes through: the loop (lib/al/loop.ts), plans, initial sets, random
   * streams, input providers, round metrics and the metrics themselves.
   */
  loop: 1,
  /** Reading and preparing data: readers, splits, text features, the noisy-blobs generator. */
  data: 1,
  /**
   * A stratified initial set under an oracle (lib/al/loop.ts). 2: balanced by the labels the
   * oracle gives, not the true ones. Only those runs carry it, so no other run is re-keyed.
   */
  oracleInitial: 2,
  /** The k-means cold start (lib/al/cold-start.ts with lib/al/cluster/kmeans.ts). */
  // 2: k-means with 10 seeded restarts (best inertia).
  coldStart: 2,
  /** Per learner: its file and what only learners use (lib/learners/tf/, forest/, lbfgs, backend kernels). */
  learners: {
    // 2 (mlp, cnn, cnn1d, bilstm, transformer): transposed matrix products on wasm run on
    // XNNPACK (lib/backend/wasm-kernels/mat-mul.ts); a sum over k > 48 rounds differently. One
    // hidden layer with batches ≤ 48 (the quickstart's MLP) gives the same bits, deeper ones not.
    mlp: 2,
    cnn: 2,
    cnn1d: 2,
    bilstm: 2,
    transformer: 2,
    // 2: split thresholds between the node's in-bag neighbours (CART), exact splits by default.
    "random-forest": 2,
    logistic: 1,
    knn: 1,
  } as Record<string, number>,
  /** Per sampler: its file and the shared pieces it calls (top-k, clusters, MC-sample helpers). */
  samplers: {
    random: 1,
    "least-confidence": 1,
    margin: 1,
    entropy: 1,
    ratio: 1,
    bald: 1,
    "variation-ratios": 1,
    "mean-std": 1,
    "qbc-vote-entropy": 1,
    "qbc-kl": 1,
    batchbald: 1,
    stochastic: 1,
    "binary-minimum": 1,
    "max-loss": 1,
    "cardinality-inconsistency": 1,
    "binary-entropy": 1,
    "binary-bald": 1,
    "binary-batchbald": 1,
    "kcenter-greedy": 1,
    kmeans: 2, // 2: 10 seeded k-means restarts
    wkmeans: 2, // 2: 10 seeded k-means restarts
    iwkmeans: 2, // 2: 10 seeded k-means restarts
    iconfidence: 1,
    "information-density": 1,
    typicality: 1,
    badge: 1,
    egl: 1,
    cal: 1,
    "suggestive-annotation": 1,
    "label-dispersion": 1,
    ceal: 1,
    // Its β-VAE and discriminator (lib/learners/vaal/) too: they shape the selection, not the learner.
    vaal: 1,
    "loss-prediction": 1,
  } as Record<string, number>,
};

/** Flat component name (`loop`, `learners.mlp`, `samplers.margin`, …) → revision. */
export type RevisionSet = Record<string, number>;

function lookup(table: Record<string, number>, kind: string, name: string): number {
  if (!Object.hasOwn(table, name)) {
    throw new Error(`lib/revisions.ts: ${kind} "${name}" has no revision; add \`${JSON.stringify(name)}: 1\` to revisions.${kind}`);
  }
  return table[name]!;
}

/** The revisions of every component that shapes the numbers of this run. */
export function revisionOf(config: RunConfig): RevisionSet {
  const out: RevisionSet = { loop: revisions.loop, data: revisions.data };
  if (config.initial.kmeans) out["coldStart"] = revisions.coldStart;
  if (config.oracle && config.initial.stratified && !config.initial.kmeans && !config.baseline) out["oracleInitial"] = revisions.oracleInitial;
  const learner = (name: string) => (out[`learners.${name}`] = lookup(revisions.learners, "learners", name));
  const sampler = (name: string) => (out[`samplers.${name}`] = lookup(revisions.samplers, "samplers", name));
  // Code-defined components (a `code` hash) have no revision: their code hash is in the id.
  if (config.learner.code === undefined) learner(config.learner.name);
  // Ensembles (mcSamples "ensemble") are members of the run's own learner; the reference
  // classifier may be another one.
  if (config.reference && config.reference.learner.code === undefined) learner(config.reference.learner.name);
  // A baseline run trains once on a random part of the pool: its sampler selects nothing.
  if (!config.baseline && config.sampler.code === undefined) {
    sampler(config.sampler.name);
    // The stochastic sampler draws by another sampler's score.
    if (config.sampler.name === "stochastic") sampler(stochasticOptionsSchema.parse(config.sampler.options).score);
  }
  return out;
}

/** The code's revision of a component as revisionOf names it (`loop`, `learners.cnn`); undefined: the code has no such component. */
export function currentRevision(component: string): number | undefined {
  const [table, name] = component.split(".", 2) as [string, string | undefined];
  if (name === undefined) {
    const top = (revisions as Record<string, unknown>)[table];
    return typeof top === "number" ? top : undefined;
  }
  const group = table === "learners" ? revisions.learners : table === "samplers" ? revisions.samplers : undefined;
  return group !== undefined && Object.hasOwn(group, name) ? group[name] : undefined;
}

/** A component whose recorded revision is not the code's (current undefined: the code no longer has it). */
export interface OutdatedRevision {
  component: string;
  recorded: number;
  current: number | undefined;
}

/** The components of `recorded` (e.g. a published result's) that the code has since revised: those numbers are older code's. */
export function outdatedRevisions(recorded: RevisionSet): OutdatedRevision[] {
  return Object.entries(recorded)
    .filter(([component, r]) => currentRevision(component) !== r)
    .map(([component, r]) => ({ component, recorded: r, current: currentRevision(component) }));
}
