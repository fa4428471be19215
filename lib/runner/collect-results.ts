/**
 * `al collect`: ingest a results folder's run folders into a store (lib/store/collect.ts), then
 * do what `al run` does when a grid finishes and a shard cannot: analyse each experiment that
 * gained runs (stopping rules, advice and curve summaries compare a run with its cell's random
 * partner and baselines, which may come from other shards), and store the selection maps of
 * each experiment whose grid is now complete.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { SpecError } from "../experiments/errors.ts";
import { saveSelectionMaps } from "../map/stored-maps.ts";
import { collectRunFolders, type CollectSummary } from "../store/collect.ts";
import { openStore } from "../store/duckdb.ts";
import { analyseExperiment } from "./analyse.ts";
import { defaultDb } from "./default-db.ts";

export interface CollectResultsOptions {
  /** The folder shards wrote into (`al run --shard i/n --results <dir>`). */
  results: string;
  /** The store to fill; default results/al.duckdb. */
  db?: string;
  /** Store the selection maps of experiments whose runs are all done; default true. */
  maps?: boolean;
  log?: (line: string) => void;
}

export interface CollectResultsSummary extends CollectSummary {
  /** Experiments analysed again after the ingest. */
  analysed: string[];
  /** Per experiment still missing runs: how many of its grid are done (its maps wait for the rest). */
  incomplete: Array<{ experiment: string; done: number; runs: number }>;
}

export async function collectResults(options: CollectResultsOptions): Promise<CollectResultsSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const results = options.results;
  if (!existsSync(results) || !statSync(results).isDirectory()) {
    throw new SpecError(`--results ${results}: no such directory; pass the folder given to al run --shard … --results`);
  }
  const dir = join(results, "runs");
  if (!existsSync(dir)) {
    throw new SpecError(`--results ${results}: holds no run folders (${dir} is missing); shards write them there as their runs finish`);
  }
  const store = await openStore(options.db ?? defaultDb);
  try {
    const summary = await collectRunFolders(store, dir, { log });
    // Also any experiment left with a done run lacking its analysis (a kill during this phase).
    const unanalysed = await store.query(
      `SELECT DISTINCT er.experiment FROM experiment_runs er JOIN runs r USING (run_id)
        WHERE r.status = 'done' AND NOT EXISTS (SELECT 1 FROM summaries s WHERE s.run_id = r.run_id AND s.name = 'final_accuracy')`,
    );
    const analysed = [...new Set([...summary.experiments, ...unanalysed.map((r) => String(r.experiment))])].sort();
    for (const experiment of analysed) await analyseExperiment(store, experiment);
    const incomplete: CollectResultsSummary["incomplete"] = [];
    // Every experiment the folders' runs belong to: a map a killed collect never stored is
    // stored by the next one, as `al run` does for a grid with nothing left to run.
    const ids = [...summary.collected, ...summary.skipped];
    const linked = ids.length === 0 ? [] : await store.query("SELECT DISTINCT experiment FROM experiment_runs WHERE run_id IN (SELECT unnest(string_split(?, ','))) ORDER BY experiment", [ids.join(",")]);
    for (const experiment of linked.map((r) => String(r.experiment))) {
      const [count] = await store.query(
        `SELECT count(*)::INTEGER AS runs, count(*) FILTER (WHERE r.status = 'done')::INTEGER AS done
           FROM experiment_runs er LEFT JOIN runs r USING (run_id) WHERE er.experiment = ?`,
        [experiment],
      );
      const runs = Number(count!.runs);
      const done = Number(count!.done);
      if (done < runs) {
        incomplete.push({ experiment, done, runs });
        log(`${experiment}: ${done} of ${runs} runs done; its selection maps are stored once all are collected (a site build computes missing ones itself)`);
      } else if (options.maps !== false) {
        await saveSelectionMaps(store, experiment, { log });
      }
    }
    return { ...summary, analysed, incomplete };
  } finally {
    await store.close();
  }
}
