#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so there is no build step between editing and running.
import { register } from "tsx/esm/api";

register();
// tfjs and native bindings may print banners with console.log at any time; stdout is reserved
// for data (--json), which the CLI writes with process.stdout.write.
console.log = console.error;
const { main } = await import("../lib/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
