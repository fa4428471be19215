import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests train real models and build the site: give them room.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
