import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Pages import the statistics as the bundle lib/site/browser-stats.ts writes before a build;
    // component tests run the TypeScript it is bundled from.
    alias: [{ find: /^(?:\.{1,2}\/)+(?:[\w.-]+\/)*al-stats\.js$/, replacement: fileURLToPath(new URL("./lib/site/browser-stats-entry.ts", import.meta.url)) }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests train real models and build the site: give them room.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
