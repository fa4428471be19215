/**
 * What report pages compute with in the browser: the pure statistics and curve summaries of
 * lib/al, bundled by lib/site/browser-stats.ts into src/components/al-stats.js, so a page's
 * intervals, ranks and tests are the same code as `al compare` and the package's `al-lab/stats`.
 */
export * from "../entry/stats.ts";
export { normalisedArea, type AreaOptions } from "../al/curves/area-under-curve.ts";
export { finalValue, type FinalValueOptions } from "../al/curves/final-value.ts";
export { gapToBaseline } from "../al/curves/gap-to-baseline.ts";
export { labelsToReach } from "../al/curves/labels-to-reach.ts";
