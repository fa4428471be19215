/**
 * The links between the pages of one experiment's report (src/experiments/[experiment].md and
 * the pages in src/experiments/[experiment]/), as relative .html links so the site works from any
 * static server and sub-path. DOM + textContent only: the experiment name is stored text.
 */

/** The report's pages in reading order: "" is the main page (setup and sampler comparison). */
export const REPORT_PAGES = [
  { page: "", title: "Sampler comparison" },
  { page: "modes", title: "Retrain vs keep-train" },
  { page: "seeds", title: "Seed variance" },
  { page: "diagnostics", title: "Diagnostics" },
  { page: "uncertainty", title: "Uncertainty" },
  { page: "selections", title: "Selection maps" },
  { page: "runs", title: "Runs" },
] as const;

export type ReportPage = (typeof REPORT_PAGES)[number]["page"];

export interface ReportNavOptions {
  /** The page this nav is on ("" for the main report page). */
  current: ReportPage;
  /** Pages to leave out (e.g. a section the experiment has no data for). */
  omit?: readonly ReportPage[];
  /** For tests (jsdom); the page's document otherwise. */
  document?: Document;
}

/** The href from page `from` to page `to` of `experiment`'s report. */
export function reportHref(experiment: string, from: ReportPage, to: ReportPage): string {
  // Selection maps have a page per pool (selections-<k>.html); the link opens the first.
  const file = to === "" ? `${experiment}.html` : `${experiment}/${to === "selections" ? "selections-0" : to}.html`;
  // The main page is /experiments/<name>.html, the others /experiments/<name>/<page>.html.
  return from === "" ? `./${file}` : `../${file}`;
}

/** A <nav class="report-nav"> with one link per page; the current one is plain text (aria-current). */
export function reportNav(experiment: string, options: ReportNavOptions): HTMLElement {
  const doc = options.document ?? document;
  const nav = doc.createElement("nav");
  nav.className = "report-nav";
  nav.setAttribute("aria-label", "Report pages");
  const home = doc.createElement("a");
  home.href = options.current === "" ? "../index.html" : "../../index.html";
  home.textContent = "All experiments";
  nav.append(home);
  for (const { page, title } of REPORT_PAGES) {
    if (options.omit?.includes(page)) continue;
    nav.append(" · ");
    if (page === options.current) {
      const span = doc.createElement("strong");
      span.textContent = title;
      span.setAttribute("aria-current", "page");
      nav.append(span);
    } else {
      const a = doc.createElement("a");
      a.href = reportHref(experiment, options.current, page);
      a.textContent = title;
      nav.append(a);
    }
  }
  return nav;
}
