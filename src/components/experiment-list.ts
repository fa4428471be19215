/**
 * The home page's list of experiments: one card per experiment with what it ran and a link to
 * its report. Built with DOM calls and textContent only, so names, descriptions and labels from
 * the store render as text, never as HTML.
 */

export interface ExperimentSummary {
  name: string;
  description: string;
  file: string | null;
  datasets: { label: string; pool: number | null; test: number | null }[];
  learners: { label: string; options: string }[];
  samplers: string[];
  modes: string[];
  seeds: number[];
  runs: { total: number; done: number; failed: number; running: number };
  backends: string[];
  versions: Record<string, string>[];
  /** ISO time of the last change (experiment saved or a run finished); null if unknown. */
  updated: string | null;
  computeSeconds: number;
  setup: { initial: string[]; acquisition: string[]; rounds: string[]; budget: string[]; epochs: string[]; baselines: number[] };
}

export interface ExperimentListOptions {
  /** Link to a report, relative to the page; default `./experiments/<name>.html`. */
  href?: (name: string) => string;
  document?: Document;
}

export function experimentList(experiments: readonly ExperimentSummary[], options: ExperimentListOptions = {}): HTMLElement {
  const doc = options.document ?? document;
  const href = options.href ?? ((name: string) => `./experiments/${encodeURIComponent(name)}.html`);
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, textContent?: string, className?: string): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    if (textContent !== undefined) node.textContent = textContent;
    if (className) node.className = className;
    return node;
  };
  const root = el("div", undefined, "experiment-list");
  if (experiments.length === 0) {
    root.append(el("p", "The store holds no experiments yet: run one with `al run experiments/<file>.ts`, then rebuild.", "muted"));
    return root;
  }
  for (const e of experiments) {
    const card = el("section", undefined, "card experiment");
    card.dataset.experiment = e.name;
    const title = el("h2");
    const link = el("a", e.name);
    link.href = href(e.name);
    title.append(link);
    card.append(title);
    if (e.description) card.append(el("p", e.description));
    const facts = el("dl");
    facts.style.cssText = "display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0.2rem 1rem";
    const fact = (term: string, value: string) => {
      const dd = el("dd", value);
      dd.style.cssText = "margin:0;overflow-wrap:anywhere";
      facts.append(el("dt", term), dd);
    };
    fact("Data sets", e.datasets.map((d) => d.label).join(", ") || "—");
    fact("Learners", e.learners.map((l) => l.label).join(", ") || "—");
    fact("Samplers", e.samplers.join(", ") || "—");
    fact("Runs", runsText(e.runs));
    fact("Backend", e.backends.join(", ") || "—");
    fact("Last update", e.updated ? formatTime(e.updated) : "—");
    card.append(facts);
    root.append(card);
  }
  return root;
}

export function runsText(runs: ExperimentSummary["runs"]): string {
  const parts = [`${runs.done} done`, `${runs.failed} failed`];
  if (runs.running > 0) parts.push(`${runs.running} running`);
  return `${parts.join(", ")} (of ${runs.total})`;
}

/** "2026-12-02 14:03 UTC": fixed, locale-independent, so builds and tests agree. */
export function formatTime(iso: string): string {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "1 h 02 min", "3 min 05 s", "12.3 s". */
export function formatDuration(seconds: number): string {
  if (!(seconds >= 60)) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, "0")} min` : `${m} min ${String(s % 60).padStart(2, "0")} s`;
}
