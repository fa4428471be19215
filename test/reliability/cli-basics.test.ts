/** Battery: input mistakes the CLI already refuses cleanly (kept so they stay refused). */
import { battery } from "./harness.ts";

battery("reliability: CLI basics", [
  { name: "an unknown command", args: ["frobnicate"], code: 2, stderr: /^al: unknown command "frobnicate"; expected one of run, ls/ },
  { name: "al run without a file", args: ["run"], code: 2, stderr: /^al run: expected one experiment file, got 0/ },
  { name: "al run on a missing file", args: ["run", "nope.ts"], code: 2, stderr: /nope\.ts: experiment file not found/ },
  {
    name: "a misspelt field in the experiment",
    setup: (ctx) => void ctx.experiment("typo", { rounds: undefined, rouns: 2 }),
    args: ["run", "typo.ts"],
    code: 2,
    stderr: /typo\.ts: .*rouns/,
  },
  {
    name: "an experiment name longer than 80 characters",
    point: 8,
    setup: (ctx) => void ctx.experiment("long", { name: "x".repeat(81) }),
    args: ["run", "long.ts"],
    code: 2,
    stderr: /^al run: long\.ts: name: at most 80 characters/,
  },
  { name: "al ls with no store", args: ["ls"], code: 2, stderr: /no store here/ },
  { name: "al show of an unknown run", store: true, args: ["show", "0123456789abcdef"], code: 2, stderr: /0123456789abcdef/ },
  { name: "al ls on the fixture store lists it", store: true, args: ["ls"], code: 0 },
]);
