import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as metrics from "../../../lib/al/metrics/index.ts";

describe("metric catalogue", () => {
  const docs = readFileSync(join(import.meta.dirname, "../../../docs/metrics.md"), "utf8");

  it("every entry names an exported function, a unique key and one-line texts", () => {
    const keys = new Set<string>();
    for (const entry of metrics.metricCatalogue) {
      expect(typeof (metrics as Record<string, unknown>)[entry.fn], entry.fn).toBe("function");
      expect(keys.has(entry.key), entry.key).toBe(false);
      keys.add(entry.key);
      for (const text of [entry.description, entry.helps]) {
        expect(text).not.toMatch(/\n/);
        expect(text.length).toBeGreaterThan(10);
      }
    }
  });

  it("docs/metrics.md documents every stored metric name", () => {
    for (const entry of metrics.metricCatalogue) expect(docs, entry.key).toContain(`\`${entry.key}\``);
  });

  it("looks up stored names, per-class ones included", () => {
    expect(metrics.metricInfo("auroc_macro")?.fn).toBe("aurocMacro");
    expect(metrics.metricInfo("recall_class_3")?.key).toBe("recall_class_<class>");
    expect(metrics.metricInfo("recall_class_x")).toBeUndefined();
    expect(metrics.metricInfo("nope")).toBeUndefined();
  });
});
