// Types of src/components/al-stats.js, which lib/site/browser-stats.ts generates from this entry.
export * from "../../lib/site/browser-stats-entry.ts";
