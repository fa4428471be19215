/** causeOf: the one line of a dead worker's stderr that says why it died. */
import { describe, expect, it } from "vitest";
import { causeOf } from "../../lib/runner/pool.ts";

describe("causeOf", () => {
  it("picks Node's error line out of a module-not-found trace", () => {
    const trace = [
      "node:internal/modules/esm/resolve:873",
      "  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);",
      "        ^",
      "",
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'tsx' imported from /tmp/x/",
      "    at packageResolve (node:internal/modules/esm/resolve:873:9)",
      "",
      "Node.js v20.20.2",
    ].join("\n");
    expect(causeOf(trace)).toBe("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'tsx' imported from /tmp/x/");
  });

  it("picks a thrown error after its code frame, and falls back to the last line", () => {
    expect(causeOf("file:///w.ts:3\nthrow new Error('x');\n^\n\nTypeError: x is not a function\n    at f (w.ts:3)\n")).toBe("TypeError: x is not a function");
    expect(causeOf("out of memory\nAborted\n")).toBe("Aborted");
    expect(causeOf("")).toBeUndefined();
  });
});
