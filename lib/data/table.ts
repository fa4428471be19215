/**
 * Tables of records (from CSV, JSONL or Parquet) → features and labels. Two steps, so that the
 * files of one data set (train and test) share one schema: `inferSchema` over all of them fixes
 * the class order, which columns are numeric, and the one-hot levels; `encodeTable` turns one
 * table into a feature matrix, labels and texts. Every error names the file, the line (or row)
 * and the column.
 */
import type { Matrix } from "../al/matrix.ts";
import type { Task } from "./dataset.ts";

/** One cell as a reader hands it over: CSV gives strings, JSONL and Parquet typed values. */
export type Cell = string | number | boolean | null | ReadonlyArray<string | number>;

export interface RawTable {
  /** The file, for errors. */
  source: string;
  columns: string[];
  /** rows × columns. */
  rows: Cell[][];
  /** Where row i is, for errors: "line 12" (CSV, JSONL) or "row 12" (Parquet). */
  where(row: number): string;
}

export interface TableSpec {
  /** Multi-class label column. */
  label?: string;
  /** Multi-label column: `separator`-joined labels (default "|") or a list. */
  labels?: string;
  separator?: string;
  /** Text column, kept as text (text sets have no other features). */
  text?: string;
  /**
   * Feature columns; default every column that is not the label, text or noise-flag column.
   * When listed (or when the set is a text set), any other column in a file is an error, so an
   * id or flag column is never silently trained on.
   */
  features?: string[];
  /** Columns to one-hot encode even when their values are numbers. */
  categorical?: string[];
  /** A fixed class order; a label outside it is an error. Default: sorted (numerically when all are numbers). */
  classes?: string[];
}

export type FeatureColumn = { name: string; type: "numeric" } | { name: string; type: "categorical"; levels: string[] };

export interface TableSchema {
  task: Task;
  classes: string[];
  features: FeatureColumn[];
  /** Names of the encoded columns: numeric columns by name, one-hot columns as `column=level`. */
  featureNames: string[];
  spec: TableSpec;
}

export interface EncodedTable {
  /** Present when the table has feature columns. */
  x?: Matrix;
  y: Int32Array;
  labelSets?: Matrix;
  texts?: string[];
  /** The table's `noisy` column (0/1), when it has one. */
  noisy?: Uint8Array;
  /** 0-based data row of each row in the table's file (0 = the first row after a CSV header). */
  rows: Int32Array;
}

/** A column with this name is the noise flag (1 = a deliberately mislabelled point), never a feature. */
export const NOISY_COLUMN = "noisy";

/**
 * Largest feature magnitude accepted: the learners compute in float32 (max ≈ 3.4e38), where
 * squares and sums of larger values overflow to Infinity.
 */
export const MAX_FEATURE_MAGNITUDE = 1e30;

/** Spellings of a missing value: a feature column must not contain them. */
const MISSING = /^\s*(?:|nan|na|n\/a|null|\?)\s*$/i;

function isMissing(cell: Cell): boolean {
  if (cell === null) return true;
  if (typeof cell === "number") return Number.isNaN(cell);
  return typeof cell === "string" && MISSING.test(cell);
}

/** A decimal number written plainly (sign, digits, fraction, exponent), else undefined. */
function parseDecimal(text: string): number | undefined {
  const value = Number(text);
  if (Number.isNaN(value) || text.length === 0) return undefined;
  // Number() also reads "", " ", "0x1f", "0b1" and "Infinity": only plain decimals count.
  let digits = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits = true;
    else if (c !== 43 && c !== 45 && c !== 46 && c !== 101 && c !== 69 && c !== 32 && c !== 9) return undefined;
  }
  return digits ? value : undefined;
}

/** The number a cell holds, or undefined when it holds something else. */
function numberOf(cell: Cell): number | undefined {
  if (typeof cell === "number") return Number.isNaN(cell) ? undefined : cell;
  if (typeof cell === "boolean") return cell ? 1 : 0;
  if (typeof cell === "string") return parseDecimal(cell);
  return undefined;
}

function show(cell: Cell): string {
  const text = JSON.stringify(cell);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** The category a cell names (strings trimmed; other scalars as text). */
function levelOf(cell: Cell): string {
  if (typeof cell === "string") return cell.trim();
  return String(cell);
}

function columnIndex(table: RawTable, name: string, role: string): number {
  const i = table.columns.indexOf(name);
  if (i < 0) {
    throw new Error(`${table.source}: no ${role} column "${name}"; the columns are ${table.columns.join(", ")}`);
  }
  return i;
}

function at(table: RawTable, row: number, column: string): string {
  return `${table.source}: ${table.where(row)}, column "${column}"`;
}

/** The labels of one row, in the order listed (duplicates dropped). */
function rowLabels(table: RawTable, row: number, column: string, cell: Cell, multi: boolean, separator: string): string[] {
  // Built only on error: this runs for every row.
  const where = (): string => at(table, row, column);
  if (Array.isArray(cell)) {
    if (!multi) throw new Error(`${where()}: expected one label, got a list; name the column in \`labels\` for multi-label data`);
    const parts = (cell as ReadonlyArray<string | number>).map((v) => String(v).trim());
    if (parts.length === 0) throw new Error(`${where()}: empty label set`);
    if (parts.some((p) => p === "")) throw new Error(`${where()}: empty label in ${show(cell as Cell)}`);
    return [...new Set(parts)];
  }
  if (cell === null || (typeof cell === "number" && Number.isNaN(cell)) || (typeof cell === "string" && cell.trim() === "")) {
    throw new Error(`${where()}: empty label; every row needs a label`);
  }
  const text = levelOf(cell as Cell);
  if (!multi) return [text];
  const parts = text.split(separator).map((p) => p.trim());
  if (parts.some((p) => p === "")) throw new Error(`${where()}: empty label in ${show(cell as Cell)} (labels are joined by "${separator}")`);
  return [...new Set(parts)];
}

function sortClasses(names: Iterable<string>): string[] {
  const list = [...names];
  if (list.every((n) => parseDecimal(n) !== undefined)) return list.sort((a, b) => Number(a) - Number(b));
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Fixes classes, column types and one-hot levels over all the tables of one data set. */
export function inferSchema(tables: readonly RawTable[], spec: TableSpec): TableSchema {
  if ((spec.label === undefined) === (spec.labels === undefined)) {
    throw new Error("table spec: give exactly one of `label` (multi-class) or `labels` (multi-label)");
  }
  const multi = spec.labels !== undefined;
  const labelColumn = (spec.label ?? spec.labels)!;
  const separator = spec.separator ?? "|";
  const first = tables[0];
  if (!first) throw new Error("table spec: no tables to read");

  const reserved = new Set([labelColumn, NOISY_COLUMN, ...(spec.text !== undefined ? [spec.text] : [])]);
  const featureNames = spec.features ?? (spec.text !== undefined ? [] : first.columns.filter((c) => !reserved.has(c)));
  if (spec.features?.some((f) => reserved.has(f))) throw new Error(`table spec: a feature column cannot be the label, text or "${NOISY_COLUMN}" column`);
  const categorical = new Set(spec.categorical ?? []);
  for (const name of categorical) {
    if (!featureNames.includes(name)) throw new Error(`${first.source}: categorical column "${name}" is not a feature column`);
  }

  const seen = new Set<string>();
  const numeric = featureNames.map(() => 0);
  const firstText: Array<{ table: RawTable; row: number; cell: Cell } | undefined> = featureNames.map(() => undefined);
  const levels = featureNames.map(() => new Set<string>());
  const expected = new Set([...reserved, ...featureNames]);
  for (const table of tables) {
    if (table.rows.length === 0) throw new Error(`${table.source}: the file has no data rows, only a header; add rows or point dataset.dir at another copy`);
    const extra = table.columns.filter((c) => !expected.has(c));
    if (extra.length > 0) {
      const named = extra.map((c) => `"${c}"`).join(", ");
      throw new Error(
        `${table.source}: unexpected column${extra.length > 1 ? "s" : ""} ${named}; this data set reads only ${labelColumn}, ${spec.text ?? `${featureNames.length} feature columns`} (and an optional 0/1 "${NOISY_COLUMN}" flag); remove ${extra.length > 1 ? "them" : "it"}`,
      );
    }
    const li = columnIndex(table, labelColumn, multi ? "labels" : "label");
    if (spec.text !== undefined) columnIndex(table, spec.text, "text");
    const fi = featureNames.map((name) => columnIndex(table, name, "feature"));
    for (let r = 0; r < table.rows.length; r++) {
      const row = table.rows[r]!;
      for (const l of rowLabels(table, r, labelColumn, row[li]!, multi, separator)) seen.add(l);
      for (let f = 0; f < fi.length; f++) {
        const cell = row[fi[f]!]!;
        if (Array.isArray(cell)) {
          throw new Error(`${at(table, r, featureNames[f]!)}: a list is not a feature value; only the labels column may hold lists`);
        }
        // Levels matter only for categorical columns: listed ones, or those with no number so far.
        if (numeric[f] === 0 || categorical.has(featureNames[f]!)) levels[f]!.add(levelOf(cell as Cell));
        if (numberOf(cell as Cell) !== undefined) numeric[f]!++;
        else if (!isMissing(cell as Cell)) firstText[f] ??= { table, row: r, cell: cell as Cell };
      }
    }
  }

  const features: FeatureColumn[] = featureNames.map((name, f) => {
    const text = firstText[f];
    // A column is categorical when listed, or when none of its values is a number.
    if (categorical.has(name) || (numeric[f] === 0 && text)) {
      return { name, type: "categorical", levels: [...levels[f]!].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
    }
    if (text) {
      throw new Error(
        `${at(text.table, text.row, name)}: ${show(text.cell)} is not a number; fix the value (a column is one-hot encoded only when none of its values is a number)`,
      );
    }
    return { name, type: "numeric" };
  });

  let classes: string[];
  if (spec.classes) {
    classes = [...spec.classes];
  } else {
    classes = sortClasses(seen);
  }
  return {
    task: multi ? "multilabel" : "multiclass",
    classes,
    features,
    featureNames: features.flatMap((f) => (f.type === "numeric" ? [f.name] : f.levels.map((l) => `${f.name}=${l}`))),
    spec,
  };
}

/** One table → features (numeric as is, categorical one-hot), labels and texts. */
export function encodeTable(table: RawTable, schema: TableSchema): EncodedTable {
  const { spec } = schema;
  const multi = schema.task === "multilabel";
  const labelColumn = (spec.label ?? spec.labels)!;
  const separator = spec.separator ?? "|";
  const n = table.rows.length;
  const classIndex = new Map(schema.classes.map((c, i) => [c, i]));
  const li = columnIndex(table, labelColumn, multi ? "labels" : "label");

  const y = new Int32Array(n);
  const sets = multi ? new Float32Array(n * schema.classes.length) : undefined;
  for (let r = 0; r < n; r++) {
    const labels = rowLabels(table, r, labelColumn, table.rows[r]![li]!, multi, separator);
    for (let k = 0; k < labels.length; k++) {
      const c = classIndex.get(labels[k]!);
      if (c === undefined) {
        throw new Error(`${at(table, r, labelColumn)}: label "${labels[k]}" is not one of the classes ${schema.classes.join(", ")}`);
      }
      if (k === 0) y[r] = c;
      if (sets) sets[r * schema.classes.length + c] = 1;
    }
  }

  const d = schema.featureNames.length;
  let x: Matrix | undefined;
  if (d > 0) {
    const data = new Float32Array(n * d);
    let offset = 0;
    for (const feature of schema.features) {
      const fi = columnIndex(table, feature.name, "feature");
      if (feature.type === "numeric") {
        for (let r = 0; r < n; r++) {
          const cell = table.rows[r]![fi]!;
          const v = numberOf(cell as Cell);
          if (v === undefined) {
            if (isMissing(cell as Cell)) throw new Error(`${at(table, r, feature.name)}: missing value (${show(cell as Cell)}); impute it or drop the row`);
            throw new Error(`${at(table, r, feature.name)}: ${show(cell as Cell)} is not a number`);
          }
          if (!Number.isFinite(v)) throw new Error(`${at(table, r, feature.name)}: ${show(cell as Cell)} is not a finite number`);
          if (Math.abs(v) > MAX_FEATURE_MAGNITUDE) {
            throw new Error(`${at(table, r, feature.name)}: ${show(cell as Cell)} is too large for the float32 learners (|x| ≤ 1e30); rescale the column`);
          }
          data[r * d + offset] = v;
        }
        offset++;
      } else {
        const level = new Map(feature.levels.map((l, i) => [l, i]));
        for (let r = 0; r < n; r++) {
          const j = level.get(levelOf(table.rows[r]![fi]! as Cell));
          // Levels come from every table of the set, so an unknown one means a schema from other tables.
          if (j === undefined) throw new Error(`${at(table, r, feature.name)}: category ${show(table.rows[r]![fi]! as Cell)} was not seen when the schema was built`);
          data[r * d + offset + j] = 1;
        }
        offset += feature.levels.length;
      }
    }
    x = { data, n, c: d };
  }

  let texts: string[] | undefined;
  if (spec.text !== undefined) {
    const ti = columnIndex(table, spec.text, "text");
    texts = table.rows.map((row) => {
      const cell = row[ti]!;
      return cell === null ? "" : Array.isArray(cell) ? cell.join(" ") : String(cell);
    });
  }
  let noisy: Uint8Array | undefined;
  const ni = table.columns.indexOf(NOISY_COLUMN);
  if (ni >= 0) {
    noisy = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      const v = numberOf(table.rows[r]![ni]! as Cell);
      if (v !== 0 && v !== 1) throw new Error(`${at(table, r, NOISY_COLUMN)}: ${show(table.rows[r]![ni]! as Cell)} is not 0 or 1; the "${NOISY_COLUMN}" column flags mislabelled points`);
      noisy[r] = v;
    }
  }
  return {
    ...(x ? { x } : {}),
    y,
    ...(sets ? { labelSets: { data: sets, n, c: schema.classes.length } } : {}),
    ...(texts ? { texts } : {}),
    ...(noisy ? { noisy } : {}),
    rows: Int32Array.from({ length: n }, (_, i) => i),
  };
}
