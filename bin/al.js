#!/usr/bin/env node
// tfjs and native bindings may print banners with console.log at any time; stdout is reserved
// for data (--json), which the CLI writes with process.stdout.write.
console.log = console.error;

// An installed package ships the CLI compiled (dist/) and no lib/ sources (package.json
// `files`); a checkout runs the TypeScript through tsx, so there is no build step between
// editing and running, and a stale dist/ from `npm pack` there is never used.
import { existsSync } from "node:fs";

const compiled = new URL("../dist/lib/cli/main.js", import.meta.url);
const source = new URL("../lib/cli/main.ts", import.meta.url);
let main;
if (!existsSync(source) && existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
}
process.exitCode = await main(process.argv.slice(2));
