/**
 * Where a run's time goes: seconds per phase (train, score, select, evaluate, reference fit),
 * summed over its rounds, as a stacked horizontal bar per sampler × mode, the mean over seeds of
 * the finished runs. Settings that differ in any other grid axis get their own panel (never
 * averaged together). `phaseTimes` (pure) shapes, `phaseTimesChart` draws.
 */
import * as Plot from "@observablehq/plot";
import { GRID_AXIS_NAMES } from "./grid-axes.js";
import { PHASES, type Phase, type RunRow } from "./runs-table.js";

export interface PhaseTime {
  /** The other grid axes' labels, "axis: label" joined by " · " ("" when the runs vary none). */
  setting: string;
  /** Sampler (or "baseline p%") · mode: one bar. */
  bar: string;
  sampler: string;
  mode: string;
  phase: Phase;
  /** Mean over the bar's runs of the phase's seconds summed over rounds (a phase no round timed counts 0). */
  seconds: number;
  /** Finished runs averaged. */
  runs: number;
}

/** Mean per-phase seconds of the done runs, one entry per setting × sampler × mode × phase, in the runs' order. */
export function phaseTimes(rows: readonly RunRow[]): PhaseTime[] {
  const done = rows.filter((r) => r.status === "done");
  // Axes that vary among the AL runs (a baseline's sizes are its own: one fit, no rounds); a
  // baseline is placed by its data set and learner, as the main page draws it beside the curves.
  const al = rows.filter((r) => r.kind === "al");
  const axes = GRID_AXIS_NAMES.filter((a) => new Set((al.length > 0 ? al : rows).map((r) => r[a])).size > 1);
  const baselineAxes = axes.filter((a) => a === "dataset" || a === "learner");
  const groups = new Map<string, { setting: string; bar: string; sampler: string; mode: string; runs: RunRow[] }>();
  for (const r of done) {
    const setting = (r.kind === "baseline" ? baselineAxes : axes).map((a) => `${a.replace("_", " ")}: ${r[a]}`).join(" · ");
    const sampler = r.kind === "baseline" ? `baseline ${r.baseline_percent ?? "?"}%` : r.sampler;
    const bar = `${sampler} · ${r.mode}`;
    const key = JSON.stringify([setting, bar]);
    const group = groups.get(key) ?? { setting, bar, sampler, mode: r.mode, runs: [] };
    groups.set(key, group);
    group.runs.push(r);
  }
  const out: PhaseTime[] = [];
  for (const g of groups.values()) {
    for (const phase of PHASES) {
      const total = g.runs.reduce((s, r) => s + (r[`${phase}_seconds`] ?? 0), 0);
      out.push({ setting: g.setting, bar: g.bar, sampler: g.sampler, mode: g.mode, phase, seconds: total / g.runs.length, runs: g.runs.length });
    }
  }
  return out;
}

export interface PhaseTimesOptions {
  width?: number;
  /** Height per bar; default 22. */
  barHeight?: number;
  /** Document to create elements in; default the global one (pass jsdom's in Node). */
  document?: Document;
}

const PHASE_LABELS: Record<Phase, string> = { train: "train", score: "score", select: "select", evaluate: "evaluate", reference: "reference fit" };

/**
 * A <div class="phase-times">: per setting a caption (text) and a stacked bar chart, the phase
 * legend on the first. Separate charts rather than Plot facets: a long setting label then wraps
 * as text instead of crowding a narrow screen.
 */
export function phaseTimesChart(times: readonly PhaseTime[], options: PhaseTimesOptions = {}): HTMLDivElement {
  const doc = options.document ?? document;
  const { width = 720, barHeight = 22 } = options;
  const settings = [...new Set(times.map((t) => t.setting))];
  const bars = [...new Set(times.map((t) => t.bar))];
  // One x scale for all panels: the longest stacked bar anywhere.
  const totals = new Map<string, number>();
  for (const t of times) totals.set(JSON.stringify([t.setting, t.bar]), (totals.get(JSON.stringify([t.setting, t.bar])) ?? 0) + t.seconds);
  const xMax = Math.max(0, ...totals.values());
  // The longest bar label sets the left margin (about 6 px a character at 10 px).
  const marginLeft = Math.min(Math.round(width / 2), 12 + 6 * Math.max(0, ...bars.map((b) => b.length)));
  const out = doc.createElement("div");
  out.className = "phase-times";
  settings.forEach((setting, i) => {
    const data = times.filter((t) => t.setting === setting).map((t) => ({ ...t, label: PHASE_LABELS[t.phase] }));
    const own = bars.filter((b) => data.some((d) => d.bar === b));
    if (setting !== "") {
      const caption = doc.createElement("p");
      caption.className = "phase-setting";
      caption.textContent = setting;
      out.append(caption);
    }
    out.append(
      Plot.plot({
        document: doc,
        width,
        height: own.length * barHeight + 50,
        marginLeft,
        marginRight: 20,
        x: { label: "Seconds per run (mean over seeds, summed over rounds) →", grid: true, domain: [0, xMax || 1] },
        y: { label: null, domain: own },
        color: { legend: i === 0, domain: PHASES.map((p) => PHASE_LABELS[p]) },
        marks: [
          Plot.barX(
            data,
            Plot.stackX({
              x: "seconds",
              y: "bar",
              fill: "label",
              order: PHASES.map((p) => PHASE_LABELS[p]),
              channels: { runs: { value: "runs", label: "runs" } },
              tip: { format: { x: ".3f", y: true, fill: true, runs: true } },
            }),
          ),
          Plot.ruleX([0]),
        ],
      }),
    );
  });
  return out;
}
