/** The code hash of a code-defined component does not depend on the path it imported helpers from. */
import { describe, expect, it } from "vitest";
import { withoutImportBindings } from "../../lib/experiments/plugins.ts";

describe("withoutImportBindings", () => {
  it("drops tsx's per-path import binding prefixes and nothing else", () => {
    const fromFile = 'inputShape=>import_tfjs_learner.tf.sequential({layers:[import_tfjs_learner.tf.layers.dense({inputShape,units:32})]})';
    const fromIndex = 'inputShape=>import_lib.tf.sequential({layers:[import_lib.tf.layers.dense({inputShape,units:32})]})';
    expect(withoutImportBindings(fromFile)).toBe("inputShape=>tf.sequential({layers:[tf.layers.dense({inputShape,units:32})]})");
    expect(withoutImportBindings(fromIndex)).toBe(withoutImportBindings(fromFile));
    // A user's own identifier that merely starts with "import" stays, and so does a changed body.
    expect(withoutImportBindings("x=>important.value+my_import_x.y")).toBe("x=>important.value+my_import_x.y");
    expect(withoutImportBindings(fromIndex.replace("32", "64"))).not.toBe(withoutImportBindings(fromFile));
  });
});
