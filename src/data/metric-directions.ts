/**
 * Which way is better for each metric one experiment stores, from lib/al/metrics' catalogue (the
 * one place a metric's direction is defined), so the report page orders, targets and compares
 * with random the right way without a list of its own: a new metric in the catalogue needs no
 * page edit. "neither" (pool and batch summaries) and names the catalogue lacks are listed too,
 * so the page can say it has no direction. Not a loader: experiments/[experiment]/metrics.json.ts
 * calls it. Reads the store only.
 */
import { metricInfo } from "../../lib/al/metrics/index.ts";
import type { Store } from "../../lib/store/duckdb.ts";
import { metricNamesQuery } from "../../lib/store/views.ts";

export interface MetricDirection {
  name: string;
  /** "unknown": the catalogue has no entry for this stored name. */
  better: "higher" | "lower" | "neither" | "unknown";
}

/** The direction of one stored metric name (recall_class_3 finds recall_class_<class>). */
export function metricDirection(name: string): MetricDirection {
  return { name, better: metricInfo(name)?.better ?? "unknown" };
}

export async function metricDirections(store: Store, experiment: string): Promise<MetricDirection[]> {
  const q = metricNamesQuery({ experiment });
  return (await store.query(q.sql, q.params)).map((r) => metricDirection(String(r.metric)));
}
