// Observable Framework config for the static report site (`observable build`).
// The site must build and render offline, so nothing here may point at a CDN or web font.
import { existsSync, readdirSync } from "node:fs";

/**
 * One report page per experiment in the store (src/experiments/[experiment].md), read-only from
 * the store or, while `al run` writes it, its snapshot. The quickstart is always listed: its
 * loaders run it when the store lacks it (a fresh `npm start`). Env: AL_DB.
 */
async function experimentPaths(): Promise<string[]> {
  const db = process.env.AL_DB ?? "results/al.duckdb";
  // The quickstart's page exists even before its runs (its loaders run it), except for
  // `al site build` on a user's store, which publishes only what the store holds.
  const names = new Set(process.env.AL_SITE_QUICKSTART === "skip" ? [] : ["quickstart"]);
  // Pools (data sets) per experiment: the Selection maps have a page each; at least one, so the
  // report's link to the first always lands (a page without runs says so).
  const pools = new Map<string, number>();
  if (existsSync(db)) {
    const { openStore } = await import("./lib/store/duckdb.ts");
    const { poolGroups, readRunFields } = await import("./lib/map/stored-maps.ts");
    try {
      const store = await openStore(db, { readOnly: true, snapshotFallback: { notice: (line) => void process.stderr.write(line + "\n") } });
      try {
        for (const row of await store.query("SELECT name FROM experiments ORDER BY name")) {
          const name = String(row.name);
          names.add(name);
          pools.set(name, poolGroups(await readRunFields(store, name)).length);
        }
      } finally {
        await store.close();
      }
    } catch (error) {
      process.stderr.write(`report pages: cannot list the experiments in ${db} (${error instanceof Error ? error.message : String(error)}); building the quickstart's only\n`);
    }
  }
  // Stored names are validated (lower-case letters, digits, . _ -), so each is a safe path segment.
  // Each report has the pages in src/experiments/[experiment]/ besides its main page; a page
  // named with [pool] is one page per pool.
  const subpages = reportSubpages();
  const pagesOf = (n: string) =>
    subpages.flatMap((p) => (p.includes("[pool]") ? Array.from({ length: Math.max(1, pools.get(n) ?? 1) }, (_, k) => p.replace("[pool]", String(k))) : [p]));
  return [...names].filter((n) => /^[a-z0-9][a-z0-9._-]*$/.test(n)).flatMap((n) => [`/experiments/${n}`, ...pagesOf(n).map((p) => `/experiments/${n}/${p}`)]);
}

/** The report's other pages: every markdown file in src/experiments/[experiment]/ (by name). */
function reportSubpages(): string[] {
  const dir = "src/experiments/[experiment]";
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3)).sort();
}

export default {
  title: "Active-learning report",
  root: "src",
  // Tests build into a temporary directory; everything else gets dist/.
  output: process.env.AL_SITE_OUT ?? "dist",
  pages: [
    { name: "Home", path: "/" },
    { name: "Rankings", path: "/rankings" },
    { name: "Reproductions", path: "/reproductions/" },
    { name: "Benchmarks", path: "/bench" },
  ],
  // Framework wants an async iterable of paths.
  async *dynamicPaths() {
    yield* await experimentPaths();
    // One page per study shipped under results/published/ (env AL_PUBLISHED), read from its files alone.
    const { publishedStudies } = await import("./src/data/reproduction-data.ts");
    yield* publishedStudies().map((study) => `/reproductions/${study}`);
  },
  // The default is a Google Fonts stylesheet (plus a fonts.gstatic.com preconnect): an
  // external request that fails offline; the theme falls back to system fonts. Instead ship
  // Framework's own Inputs stylesheet: it is added only for the implicit (CDN) Inputs import,
  // and pages import Inputs from node_modules, which would otherwise leave inputs unstyled.
  globalStylesheets: ["observablehq:stdlib/inputs.css"],
  // The default theme plus the rules that keep pages readable at 400 px (src/style.css).
  style: "style.css",
  // The default footer links to observablehq.com; keep the site self-contained.
  footer: "Active-learning report, built with Observable Framework.",
  search: false,
  // Links end in .html (and "/" is index.html): a plain static server (python3 -m http.server)
  // has no clean-URL rewriting, so /sampler-comparison would be a 404 there.
  preserveExtension: true,
  preserveIndex: true,
};
