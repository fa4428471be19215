/**
 * The setup block of a report: everything a reader needs to reproduce the experiment (data
 * sets and sizes, learners and options, initial/acquisition/rounds, seeds, backend, versions,
 * date, compute time). DOM calls and textContent only: stored strings never become HTML.
 */
import { formatDuration, formatTime, runsText, type ExperimentSummary } from "./experiment-list.js";

export function experimentSetup(e: ExperimentSummary, options: { document?: Document } = {}): HTMLElement {
  const doc = options.document ?? document;
  const dl = doc.createElement("dl");
  dl.className = "experiment-setup";
  // Term and value side by side; wraps on narrow screens as the value column shrinks.
  dl.style.cssText = "display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0.2rem 1rem;max-width:none";
  const fact = (term: string, value: string) => {
    const dt = doc.createElement("dt");
    dt.textContent = term;
    const dd = doc.createElement("dd");
    dd.textContent = value;
    dd.style.cssText = "margin:0;overflow-wrap:anywhere";
    dt.style.cssText = "font-weight:600";
    dl.append(dt, dd);
  };
  const list = (values: readonly (string | number)[]) => (values.length ? values.join(", ") : "—");
  fact("Data sets", list(e.datasets.map((d) => (d.pool === null ? d.label : `${d.label} (pool ${d.pool}, test ${d.test ?? "?"})`))));
  fact("Learners", list(e.learners.map((l) => (l.options === "{}" ? l.label : `${l.label} ${l.options}`))));
  fact("Samplers", list(e.samplers));
  fact("Modes", list(e.modes));
  fact("Initial labelled", list(e.setup.initial));
  fact("Acquisition size", list(e.setup.acquisition));
  fact(e.setup.budget.length ? "Budget" : "Rounds", list(e.setup.budget.length ? e.setup.budget : e.setup.rounds));
  fact("Epochs", list(e.setup.epochs));
  fact("Seeds", list(e.seeds));
  if (e.setup.baselines.length) fact("Naive baselines", list(e.setup.baselines.map((p) => `${p}%`)));
  fact("Runs", runsText(e.runs));
  fact("Backend", list(e.backends));
  fact("Versions", list(e.versions.map((v) => Object.entries(v).map(([k, x]) => `${k} ${x}`).join(", "))));
  fact("Last update", e.updated ? formatTime(e.updated) : "—");
  fact("Total compute", formatDuration(e.computeSeconds));
  if (e.file) fact("Experiment file", e.file);
  return dl;
}
