/**
 * Shared by the reproduction loaders (not a loader itself): the studies shipped under
 * results/published/<study>/<profile>/ (env AL_PUBLISHED), and one study's page data — our
 * numbers from the shipped files beside the paper's from the study's experiment file. Reads
 * files only: no store, no training.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Measure, Reproduction } from "../../lib/reproduce/define.ts";
import type { MeasureRow, PublishedMeta } from "../../lib/reproduce/publish.ts";
import { PUBLISHED_ROOT } from "../../lib/reproduce/published-root.ts";
import type { Agreement, Comparison, CurvePoint, Headline } from "../../lib/reproduce/verdict.ts";
import type { OutdatedRevision } from "../../lib/revisions.ts";

export const publishedRoot = (): string => process.env.AL_PUBLISHED ?? PUBLISHED_ROOT;

/** Profiles shown first when a study has several: the published protocol, then what ran here. */
const PREFERRED = ["full", "local"];

/** Study names (directory names) with at least one published profile. */
export function publishedStudies(root = publishedRoot()): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[a-z0-9][a-z0-9._-]*$/.test(e.name) && studyProfiles(join(root, e.name)).length > 0)
    .map((e) => e.name)
    .sort();
}

/** A study's published profiles, preferred first: the study's own `first` (its `profiles`), then PREFERRED, then by name. */
export function studyProfiles(dir: string, first: readonly string[] = []): string[] {
  if (!existsSync(dir)) return [];
  const found = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "meta.json"))).map((e) => e.name);
  const order = [...first, ...PREFERRED.filter((p) => !first.includes(p))];
  const rank = (p: string): number => (order.includes(p) ? order.indexOf(p) : order.length);
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface StudyPage {
  study: string;
  profile: string;
  profiles: string[];
  meta: PublishedMeta;
  title: string;
  citation: string;
  url: string | null;
  deviations: readonly string[];
  discussion: readonly string[];
  measures: Record<string, Pick<Measure, "label" | "better"> & { digits: number }>;
  curveLabel: string;
  comparisons: Comparison[];
  agreements: Agreement[];
  headline: Headline;
  /** Every run's value of every measure (dot plots). */
  values: MeasureRow[];
  curves: CurvePoint[];
  /** Components the code has revised since these results were computed (numbers would differ now); null: the files do not record revisions. */
  outdated: OutdatedRevision[] | null;
}

/** One study's page data from its preferred published profile. */
export async function studyPage(study: string, root = publishedRoot()): Promise<StudyPage> {
  const ranked = studyProfiles(join(root, study));
  if (ranked.length === 0) throw new Error(`${join(root, study)}: no published results (run al reproduce experiments/reproductions/${study}.ts)`);
  const [{ readPublished }, { loadReproduction }, verdict, { outdatedRevisions }] = await Promise.all([
    import("../../lib/reproduce/publish.ts"),
    import("../../lib/reproduce/load.ts"),
    import("../../lib/reproduce/verdict.ts"),
    import("../../lib/revisions.ts"),
  ]);
  // The experiment file (named in every profile's meta) says which profile the page leads with.
  const named = (JSON.parse(readFileSync(join(root, study, ranked[0]!, "meta.json"), "utf8")) as Partial<PublishedMeta>).file;
  const file = named !== undefined && existsSync(named) ? named : `experiments/reproductions/${study}.ts`;
  const reproduction: Reproduction = await loadReproduction(file, study);
  const profiles = studyProfiles(join(root, study), reproduction.profiles);
  const profile = profiles[0]!;
  const published = await readPublished(join(root, study, profile));
  const paper = reproduction.paper.map((p) => ({ ...p, setting: p.setting ?? "all" }));
  const comparisons = verdict.comparisons(paper, published.measures);
  const agreements = verdict.agreements(comparisons, (m) => reproduction.measures[m]!.better);
  const digits = (m: string): number => reproduction.measures[m]?.digits ?? 1;
  return {
    study,
    profile,
    profiles,
    meta: published.meta,
    title: reproduction.title,
    citation: reproduction.citation,
    url: reproduction.url ?? null,
    deviations: reproduction.deviations ?? [],
    discussion: reproduction.discussion,
    measures: Object.fromEntries(Object.entries(reproduction.measures).map(([k, m]) => [k, { label: m.label, better: m.better, digits: m.digits ?? 1 }])),
    curveLabel: reproduction.curve.label,
    comparisons,
    agreements,
    headline: verdict.headline(comparisons, agreements, reproduction.headline, digits(reproduction.headline.measure)),
    values: published.measures,
    curves: verdict.curveSummary(published.curves),
    outdated: published.meta.revisions === undefined ? null : outdatedRevisions(published.meta.revisions),
  };
}
