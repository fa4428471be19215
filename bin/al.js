#!/usr/bin/env node
// tfjs and native bindings may print banners with console.log at any time; stdout is reserved
// for data (--json), which the CLI writes with process.stdout.write.
console.log = console.error;

// An installed package ships the CLI compiled (dist/) and no lib/ sources (package.json
// `files`). A checkout runs lib/ as esbuild compiled it into .cache/al-cli/ (bin/cli-cache.js:
// compiled again after any change under lib/, so there is no build step between editing and
// running, and a stale dist/ from `npm pack` there is never used), or through tsx when that
// cannot be made or AL_TSX=1 asks for it.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../dist/lib/cli/main.js", import.meta.url);
const source = new URL("../lib/cli/main.ts", import.meta.url);

/** @returns {Promise<(argv: string[]) => Promise<number>>} */
async function checkoutMain() {
  if (!process.env.AL_TSX || process.env.AL_TSX === "0") {
    const { compiledCli } = await import("./cli-cache.js");
    const entry = await compiledCli(fileURLToPath(new URL("..", import.meta.url)));
    if (entry) {
      // Stack traces then name lib/*.ts lines (only AL_DEBUG prints them).
      if (process.env.AL_DEBUG) process.setSourceMapsEnabled(true);
      try {
        return (await import(entry)).main;
      } catch (error) {
        if (process.env.AL_DEBUG) process.stderr.write(`al: running lib/ through tsx, the compiled CLI did not load: ${error.message}\n`);
      }
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  return (await import(source.href)).main;
}

const main = !existsSync(source) && existsSync(compiled) ? (await import(compiled.href)).main : await checkoutMain();
process.exitCode = await main(process.argv.slice(2));
