/** The last step of every loader: text features (fit on the final pool) and the Split objects. */
import type { Matrix } from "../../al/matrix.ts";
import type { Split } from "../dataset.ts";
import type { Columns, Parts } from "../assemble.ts";
import type { ResolvedOptions } from "../options.ts";
import { textFeatures } from "../text/features.ts";

export interface FinishedParts {
  pool: Split;
  test: Split;
  validation?: Split;
  vocabulary?: string[];
  /** Shape of one example, when the features define it (text). */
  shape?: number[];
  featureNames?: string[];
}

function withX(columns: Columns, x: Matrix | undefined, what: string): Split {
  const features = x ?? columns.x;
  if (!features) throw new Error(`${what}: no features were built`);
  return { ...columns, x: features };
}

export function finishSplits(parts: Parts, options: ResolvedOptions, name: string, tokenize?: (text: string) => string[]): FinishedParts {
  if (!options.text) {
    return {
      pool: withX(parts.pool, undefined, name),
      test: withX(parts.test, undefined, name),
      ...(parts.validation ? { validation: withX(parts.validation, undefined, name) } : {}),
    };
  }
  const texts = (c: Columns): string[] => c.texts ?? [];
  const others = [texts(parts.test), ...(parts.validation ? [texts(parts.validation)] : [])];
  const features = textFeatures(texts(parts.pool), others, { ...options.text, ...(tokenize ? { tokenize } : {}) });
  return {
    pool: withX(parts.pool, features.pool, name),
    test: withX(parts.test, features.others[0], name),
    ...(parts.validation ? { validation: withX(parts.validation, features.others[1], name) } : {}),
    vocabulary: features.vocabulary,
    shape: features.shape,
    ...(features.featureNames ? { featureNames: features.featureNames } : {}),
  };
}
