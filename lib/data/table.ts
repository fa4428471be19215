/**
 * Tables of records (from CSV, JSONL or Parquet) → features and labels. Two steps, so that the
 * files of one data set (train and test) share one schema: `inferSchema` over all of them fixes
 * the class order, which columns are numeric, and the one-hot levels; `encodeTable` turns one
 * table into a feature matrix, labels and texts. Both steps take one row at a time
 * (`SchemaScan`, `TableEncoder`), so the streaming readers (`read-tables.ts`) feed them without
 * holding a file's cells; `inferSchema` and `encodeTable` are the same steps over a `RawTable`
 * in memory, so both paths give the same arrays bit for bit. Every error names the file, the line
 * (or row) and the column.
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

/**
 * Names a row's position for errors ("line 12", "row 12"): a streaming reader passes a row's
 * line number as the position, a table in memory its row index (and `RawTable.where`).
 */
export type Where = (position: number) => string;

export interface TableSpec {
  /** Multi-class label column. */
  label?: string;
  /**
   * Multi-label: one column of `separator`-joined labels (default "|") or lists; or several 0/1
   * columns, one per label, whose names are the classes (in the order listed).
   */
  labels?: string | string[];
  separator?: string;
  /** Text column, kept as text (text sets have no other features). */
  text?: string;
  /** The 0/1 noise-flag column (1 = deliberately mislabelled); default the column named "noisy", when a file has one. */
  noisy?: string;
  /**
   * Feature columns; default every column that is not a label, text or noise-flag column.
   * When listed (or when the set is a text set), any other column in a file is an error, so an
   * id or flag column is never silently trained on.
   */
  features?: string[];
  /**
   * Columns of annotators' labels (`oracle: { column }`): read as class indices of `label`'s
   * classes, never as features. Required in every file, like a named `noisy` column.
   */
  annotators?: string[];
  /** A column of per-point annotation costs (`cost: { column }`): numbers > 0, never a feature. */
  cost?: string;
  /** Columns to one-hot encode even when their values are numbers. */
  categorical?: string[];
  /**
   * Columns that are none of the above: refused by name (default; a catalogue set's declared
   * columns), or ignored — a user who lists `features` (or names a `text` column) of their own
   * file has chosen what to read, so an id or date column beside them is left out.
   */
  otherColumns?: "refuse" | "ignore";
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
  /** Each annotator column's labels (class indices), by column name. */
  annotators?: Record<string, Int32Array>;
  /** Multi-label: each annotator column's 0/1 label sets, by column name (`annotators` then holds each row's first listed label). */
  annotatorSets?: Record<string, Matrix>;
  /** The cost column's values. */
  costs?: Float64Array;
  /** 0-based data row of each row in the table's file (0 = the first row after a CSV header). */
  rows: Int32Array;
}

/** By default a column with this name is the noise flag (1 = a deliberately mislabelled point), never a feature. */
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

function columnIndex(source: string, columns: readonly string[], name: string, role: string): number {
  const i = columns.indexOf(name);
  if (i < 0) {
    // One column holding tabs: a TSV read as CSV (e.g. named .csv).
    const tabs = columns.length === 1 && columns[0]!.includes("\t");
    const hint = tabs ? `; the header is tab-separated: set dataset.format to "tsv" (or name the file .tsv)` : "";
    throw new Error(`${source}: no ${role} column "${name}"; the columns are ${tabs ? columns[0]!.split("\t").join(", ") : columns.join(", ")}${hint}`);
  }
  return i;
}

/** The labels of one row, in the order listed (duplicates dropped); `where` is built only on error. */
function rowLabels(where: () => string, cell: Cell, multi: boolean, separator: string): string[] {
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

/** What the spec makes of the columns: label column(s), noise flag, and the names no feature may take. */
interface Roles {
  multi: boolean;
  /** The one label column (multi-class, or joined multi-labels). */
  labelColumn?: string;
  /** The 0/1 label columns (multi-label as one column per label). */
  labelColumns?: string[];
  /** Every label column, for messages. */
  labelNames: string[];
  separator: string;
  noisy: string;
  /** A noise-flag column named in the spec must be in every file; the default one is optional. */
  noisyRequired: boolean;
  /** Annotator-label columns and the cost column (may be empty / absent). */
  annotators: string[];
  cost?: string;
  reserved: Set<string>;
}

function rolesOf(spec: TableSpec): Roles {
  if ((spec.label === undefined) === (spec.labels === undefined)) {
    throw new Error("table spec: give exactly one of `label` (multi-class) or `labels` (multi-label)");
  }
  const labelColumns = Array.isArray(spec.labels) ? [...spec.labels] : undefined;
  if (labelColumns) {
    if (labelColumns.length === 0) throw new Error("table spec: `labels` lists no columns; name one 0/1 column per label, or one column of joined labels");
    const twice = labelColumns.find((c, i) => labelColumns.indexOf(c) !== i);
    if (twice !== undefined) throw new Error(`table spec: \`labels\` lists column "${twice}" twice`);
    if (spec.classes) throw new Error("table spec: `classes` cannot be given with a list of `labels` columns; the column names are the classes");
  }
  const labelColumn = labelColumns ? undefined : ((spec.label ?? spec.labels) as string);
  const labelNames = labelColumns ?? [labelColumn!];
  const noisy = spec.noisy ?? NOISY_COLUMN;
  if (spec.noisy !== undefined && (labelNames.includes(noisy) || noisy === spec.text)) {
    throw new Error(`table spec: the noise-flag column "${noisy}" cannot also be a label or text column`);
  }
  const annotators = [...(spec.annotators ?? [])];
  const annotation = [...annotators, ...(spec.cost !== undefined ? [spec.cost] : [])];
  for (const name of annotation) {
    if (labelNames.includes(name) || name === spec.text || name === noisy) {
      throw new Error(`table spec: column "${name}" holds annotations (oracle or cost), so it cannot also be the label, text or noise-flag column; name another column`);
    }
  }
  if (spec.cost !== undefined && annotators.includes(spec.cost)) {
    throw new Error(`table spec: column "${spec.cost}" cannot hold both an annotator's labels and costs; name two columns`);
  }
  return {
    multi: spec.labels !== undefined,
    ...(labelColumn !== undefined ? { labelColumn } : {}),
    ...(labelColumns ? { labelColumns } : {}),
    labelNames,
    separator: spec.separator ?? "|",
    noisy,
    noisyRequired: spec.noisy !== undefined,
    annotators,
    ...(spec.cost !== undefined ? { cost: spec.cost } : {}),
    reserved: new Set([...labelNames, noisy, ...annotation, ...(spec.text !== undefined ? [spec.text] : [])]),
  };
}

/**
 * Pass 1 over the tables of one data set, a row at a time: `begin` a table with its header,
 * `row` each data row, `end` it (→ its row count); `finish` fixes the schema.
 */
export class SchemaScan {
  private readonly roles: Roles;
  private featureNames: string[] = [];
  private categorical = new Set<string>();
  private expected = new Set<string>();
  private numeric: number[] = [];
  private firstText: Array<{ source: string; where: Where; position: number; cell: Cell } | undefined> = [];
  private levels: Array<Set<string>> = [];
  private readonly seen = new Set<string>();
  private tables = 0;
  // The table being read.
  private source = "";
  private columns: readonly string[] = [];
  private where: Where = String;
  private rows = 0;
  private li = -1;
  private fi: number[] = [];

  constructor(private readonly spec: TableSpec) {
    this.roles = rolesOf(spec);
  }

  begin(source: string, columns: readonly string[], where: Where): void {
    const { spec, roles } = this;
    if (this.tables++ === 0) {
      // The first table's columns are the default features.
      this.featureNames = spec.features ?? (spec.text !== undefined ? [] : columns.filter((c) => !roles.reserved.has(c)));
      const annotation = spec.features?.find((f) => roles.annotators.includes(f) || f === roles.cost);
      // An annotator's labels or a cost as a feature would leak the annotation into the model.
      if (annotation !== undefined) throw new Error(`table spec: feature column "${annotation}" is the oracle or cost column; remove it from dataset.features`);
      if (spec.features?.some((f) => roles.reserved.has(f))) throw new Error(`table spec: a feature column cannot be the label, text or "${roles.noisy}" column`);
      this.categorical = new Set(spec.categorical ?? []);
      for (const name of this.categorical) {
        if (!this.featureNames.includes(name)) throw new Error(`${source}: categorical column "${name}" is not a feature column`);
      }
      this.numeric = this.featureNames.map(() => 0);
      this.firstText = this.featureNames.map(() => undefined);
      this.levels = this.featureNames.map(() => new Set<string>());
      this.expected = new Set([...roles.reserved, ...this.featureNames]);
    }
    this.source = source;
    this.columns = columns;
    this.where = where;
    this.rows = 0;
  }

  /** The column checks, made at the first data row so that a header-only file says so first. */
  private checkColumns(): void {
    const { spec, roles, source, columns } = this;
    // Missing columns first: a misspelt feature would otherwise show up as the others being "unexpected".
    if (roles.labelColumn !== undefined) this.li = columnIndex(source, columns, roles.labelColumn, roles.multi ? "labels" : "label");
    else for (const name of roles.labelColumns!) columnIndex(source, columns, name, "labels");
    if (spec.text !== undefined) columnIndex(source, columns, spec.text, "text");
    for (const name of roles.annotators) columnIndex(source, columns, name, "oracle");
    if (roles.cost !== undefined) columnIndex(source, columns, roles.cost, "cost");
    this.fi = this.featureNames.map((name) => columnIndex(source, columns, name, "feature"));
    const extra = spec.otherColumns === "ignore" ? [] : columns.filter((c) => !this.expected.has(c));
    if (extra.length > 0) {
      const named = extra.map((c) => `"${c}"`).join(", ");
      throw new Error(
        `${source}: unexpected column${extra.length > 1 ? "s" : ""} ${named}; this data set reads only ${roles.labelNames.join(", ")}, ${spec.text ?? `${this.featureNames.length} feature columns`} (and an optional 0/1 "${roles.noisy}" flag); remove ${extra.length > 1 ? "them" : "it"}`,
      );
    }
  }

  row(cells: readonly Cell[], position: number): void {
    if (this.rows++ === 0) this.checkColumns();
    const { roles, source, where, featureNames, fi } = this;
    if (roles.labelColumn !== undefined) {
      const at = (): string => `${source}: ${where(position)}, column "${roles.labelColumn}"`;
      for (const l of rowLabels(at, cells[this.li]!, roles.multi, roles.separator)) this.seen.add(l);
    }
    for (let f = 0; f < fi.length; f++) {
      const cell = cells[fi[f]!]!;
      if (Array.isArray(cell)) {
        throw new Error(`${source}: ${where(position)}, column "${featureNames[f]}": a list is not a feature value; only the labels column may hold lists`);
      }
      // Levels matter only for categorical columns: listed ones, or those with no number so far.
      if (this.numeric[f] === 0 || this.categorical.has(featureNames[f]!)) this.levels[f]!.add(levelOf(cell as Cell));
      if (numberOf(cell as Cell) !== undefined) this.numeric[f]!++;
      else if (!isMissing(cell as Cell)) this.firstText[f] ??= { source, where, position, cell: cell as Cell };
    }
  }

  /** Ends the table; returns its number of data rows. */
  end(): number {
    if (this.rows === 0) throw new Error(`${this.source}: the file has no data rows, only a header; add rows or point dataset.dir at another copy`);
    return this.rows;
  }

  finish(): TableSchema {
    if (this.tables === 0) throw new Error("table spec: no tables to read");
    const { spec, roles } = this;
    const features: FeatureColumn[] = this.featureNames.map((name, f) => {
      const text = this.firstText[f];
      // A column is categorical when listed, or when none of its values is a number.
      if (this.categorical.has(name) || (this.numeric[f] === 0 && text)) {
        return { name, type: "categorical", levels: [...this.levels[f]!].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
      }
      if (text) {
        throw new Error(
          `${text.source}: ${text.where(text.position)}, column "${name}": ${show(text.cell)} is not a number; fix the value (a column is one-hot encoded only when none of its values is a number)`,
        );
      }
      return { name, type: "numeric" };
    });
    const classes = roles.labelColumns ? [...roles.labelColumns] : spec.classes ? [...spec.classes] : sortClasses(this.seen);
    return {
      task: roles.multi ? "multilabel" : "multiclass",
      classes,
      features,
      featureNames: features.flatMap((f) => (f.type === "numeric" ? [f.name] : f.levels.map((l) => `${f.name}=${l}`))),
      spec,
    };
  }
}

/** Fixes classes, column types and one-hot levels over all the tables of one data set. */
export function inferSchema(tables: readonly RawTable[], spec: TableSpec): TableSchema {
  const scan = new SchemaScan(spec);
  for (const table of tables) {
    scan.begin(table.source, table.columns, (r) => table.where(r));
    for (let r = 0; r < table.rows.length; r++) scan.row(table.rows[r]!, r);
    scan.end();
  }
  return scan.finish();
}

type Encoding = { index: number; offset: number } & ({ numeric: true } | { numeric: false; levels: Map<string, number> });

/**
 * Pass 2 over one table: its `n` rows (counted in pass 1) written one at a time into arrays
 * allocated up front; `end` hands them over.
 */
export class TableEncoder {
  private readonly roles: Roles;
  private readonly classIndex: Map<string, number>;
  private readonly li: number;
  private readonly lis: number[];
  private readonly encodings: Encoding[];
  private readonly ti: number;
  private readonly ni: number;
  private readonly d: number;
  private readonly y: Int32Array;
  private readonly sets?: Float32Array;
  private readonly data?: Float32Array;
  private readonly texts?: string[];
  private readonly noisy?: Uint8Array;
  private readonly ai: number[];
  private readonly annotators: Int32Array[];
  /** Multi-label: each annotator column's 0/1 label sets (n × labels). */
  private readonly annotatorSets?: Float32Array[];
  private readonly ci: number;
  private readonly costs?: Float64Array;
  private r = 0;

  constructor(
    private readonly schema: TableSchema,
    private readonly source: string,
    columns: readonly string[],
    private readonly n: number,
    private readonly where: Where,
  ) {
    const { spec } = schema;
    const roles = (this.roles = rolesOf(spec));
    this.classIndex = new Map(schema.classes.map((c, i) => [c, i]));
    this.li = roles.labelColumn !== undefined ? columnIndex(source, columns, roles.labelColumn, roles.multi ? "labels" : "label") : -1;
    this.lis = (roles.labelColumns ?? []).map((name) => columnIndex(source, columns, name, "labels"));
    let offset = 0;
    this.encodings = schema.features.map((feature) => {
      const index = columnIndex(source, columns, feature.name, "feature");
      const at = offset;
      if (feature.type === "numeric") {
        offset++;
        return { index, offset: at, numeric: true };
      }
      offset += feature.levels.length;
      return { index, offset: at, numeric: false, levels: new Map(feature.levels.map((l, i) => [l, i])) };
    });
    this.d = schema.featureNames.length;
    this.ti = spec.text !== undefined ? columnIndex(source, columns, spec.text, "text") : -1;
    this.ni = roles.noisyRequired ? columnIndex(source, columns, roles.noisy, "noise-flag") : columns.indexOf(roles.noisy);
    this.y = new Int32Array(n);
    if (roles.multi) this.sets = new Float32Array(n * schema.classes.length);
    if (this.d > 0) this.data = new Float32Array(n * this.d);
    if (this.ti >= 0) this.texts = [];
    if (this.ni >= 0) this.noisy = new Uint8Array(n);
    this.ai = roles.annotators.map((name) => columnIndex(source, columns, name, "oracle"));
    this.annotators = roles.annotators.map(() => new Int32Array(n));
    if (roles.multi) this.annotatorSets = roles.annotators.map(() => new Float32Array(n * schema.classes.length));
    this.ci = roles.cost !== undefined ? columnIndex(source, columns, roles.cost, "cost") : -1;
    if (this.ci >= 0) this.costs = new Float64Array(n);
  }

  /**
   * Row r's `labels` as class indices: each one's bit set in `set` (n × classes, when given),
   * the first one's index returned; a label that is not a class throws `unknown(label)`.
   */
  private markLabels(labels: readonly string[], set: Float32Array | undefined, r: number, unknown: (label: string) => string): number {
    const C = this.schema.classes.length;
    let first = -1;
    for (let k = 0; k < labels.length; k++) {
      const c = this.classIndex.get(labels[k]!);
      if (c === undefined) throw new Error(unknown(labels[k]!));
      if (k === 0) first = c;
      if (set) set[r * C + c] = 1;
    }
    return first;
  }

  private at(position: number, column: string): string {
    return `${this.source}: ${this.where(position)}, column "${column}"`;
  }

  row(cells: readonly Cell[], position: number): void {
    const r = this.r++;
    if (r >= this.n) throw new Error(`${this.source}: more than the ${this.n} rows counted when the schema was built; the file changed while it was read`);
    const { roles, classIndex, sets, schema } = this;
    const C = schema.classes.length;
    if (this.li >= 0) {
      const column = roles.labelColumn!;
      const labels = rowLabels(() => this.at(position, column), cells[this.li]!, roles.multi, roles.separator);
      this.y[r] = this.markLabels(labels, sets, r, (label) => `${this.at(position, column)}: label "${label}" is not one of the classes ${schema.classes.join(", ")}`);
    } else {
      // One 0/1 column per label: y is the first label set.
      let first = -1;
      for (let k = 0; k < this.lis.length; k++) {
        const cell = cells[this.lis[k]!]!;
        const v = numberOf(cell);
        if (v !== 0 && v !== 1) throw new Error(`${this.at(position, roles.labelColumns![k]!)}: ${show(cell)} is not 0 or 1; each labels column flags one label`);
        if (v === 1) {
          if (first < 0) first = k;
          sets![r * C + k] = 1;
        }
      }
      if (first < 0) throw new Error(`${this.source}: ${this.where(position)}: no label set; every row needs a 1 in one of the labels columns ${roles.labelColumns!.join(", ")}`);
      this.y[r] = first;
    }

    const data = this.data;
    if (data) {
      const base = r * this.d;
      for (let f = 0; f < this.encodings.length; f++) {
        const e = this.encodings[f]!;
        const cell = cells[e.index]!;
        if (e.numeric) {
          const v = numberOf(cell);
          if (v === undefined) {
            const name = schema.features[f]!.name;
            if (isMissing(cell)) throw new Error(`${this.at(position, name)}: missing value (${show(cell)}); impute it or drop the row`);
            throw new Error(`${this.at(position, name)}: ${show(cell)} is not a number`);
          }
          if (!Number.isFinite(v)) throw new Error(`${this.at(position, schema.features[f]!.name)}: ${show(cell)} is not a finite number`);
          if (Math.abs(v) > MAX_FEATURE_MAGNITUDE) {
            throw new Error(`${this.at(position, schema.features[f]!.name)}: ${show(cell)} is too large for the float32 learners (|x| ≤ 1e30); rescale the column`);
          }
          data[base + e.offset] = v;
        } else {
          const j = e.levels.get(levelOf(cell));
          // Levels come from every table of the set, so an unknown one means a schema from other tables.
          if (j === undefined) throw new Error(`${this.at(position, schema.features[f]!.name)}: category ${show(cell)} was not seen when the schema was built`);
          data[base + e.offset + j] = 1;
        }
      }
    }
    if (this.texts) {
      const cell = cells[this.ti]!;
      this.texts.push(cell === null ? "" : Array.isArray(cell) ? cell.join(" ") : String(cell));
    }
    if (this.noisy) {
      const cell = cells[this.ni]!;
      const v = numberOf(cell);
      if (v !== 0 && v !== 1) throw new Error(`${this.at(position, roles.noisy)}: ${show(cell)} is not 0 or 1; the "${roles.noisy}" column flags mislabelled points`);
      this.noisy[r] = v;
    }
    for (let a = 0; a < this.ai.length; a++) {
      const column = roles.annotators[a]!;
      const cell = cells[this.ai[a]!]!;
      if (this.annotatorSets) {
        // Multi-label: the annotator's label set, written like a `labels` cell (joined or a list).
        if (isMissing(cell) || (Array.isArray(cell) && cell.length === 0)) {
          throw new Error(`${this.at(position, column)}: missing label set (${show(cell)}); the oracle column needs one annotator's label set per row (fill the cell or drop the row)`);
        }
        const given = rowLabels(() => this.at(position, column), cell, true, roles.separator);
        this.annotators[a]![r] = this.markLabels(given, this.annotatorSets[a], r, (label) =>
          `${this.at(position, column)}: label "${label}" is not one of the labels ${schema.classes.join(", ")}; the annotator's label sets must use the data set's labels`,
        );
        continue;
      }
      // A missing answer is an error, never the true label: that would hide the annotator's gaps.
      if (isMissing(cell) || Array.isArray(cell)) {
        throw new Error(`${this.at(position, column)}: ${Array.isArray(cell) ? "a list" : `missing label (${show(cell)})`}; the oracle column needs one annotator's label per row (fill the cell or drop the row)`);
      }
      const c = classIndex.get(levelOf(cell as Cell));
      if (c === undefined) {
        throw new Error(`${this.at(position, column)}: label ${show(cell as Cell)} is not one of the classes ${schema.classes.join(", ")}; the annotator's labels must use the label column's classes`);
      }
      this.annotators[a]![r] = c;
    }
    if (this.costs) {
      const cell = cells[this.ci]!;
      const v = numberOf(cell);
      const column = roles.cost!;
      if (v === undefined) {
        throw new Error(`${this.at(position, column)}: ${isMissing(cell) ? `missing cost (${show(cell)})` : `${show(cell)} is not a number`}; the cost column needs a number > 0 per row`);
      }
      if (!(v > 0 && Number.isFinite(v))) throw new Error(`${this.at(position, column)}: cost ${show(cell)} is not a finite number > 0; fix the cell (every label costs something)`);
      this.costs[r] = v;
    }
  }

  end(): EncodedTable {
    const { n } = this;
    if (this.r !== n) throw new Error(`${this.source}: ${this.r} rows, not the ${n} counted when the schema was built; the file changed while it was read`);
    return {
      ...(this.data ? { x: { data: this.data, n, c: this.d } } : {}),
      y: this.y,
      ...(this.sets ? { labelSets: { data: this.sets, n, c: this.schema.classes.length } } : {}),
      ...(this.texts ? { texts: this.texts } : {}),
      ...(this.noisy ? { noisy: this.noisy } : {}),
      ...(this.ai.length > 0 ? { annotators: Object.fromEntries(this.roles.annotators.map((name, a) => [name, this.annotators[a]!])) } : {}),
      ...(this.annotatorSets && this.ai.length > 0
        ? { annotatorSets: Object.fromEntries(this.roles.annotators.map((name, a): [string, Matrix] => [name, { data: this.annotatorSets![a]!, n, c: this.schema.classes.length }])) }
        : {}),
      ...(this.costs ? { costs: this.costs } : {}),
      rows: Int32Array.from({ length: n }, (_, i) => i),
    };
  }
}

/** One table → features (numeric as is, categorical one-hot), labels and texts. */
export function encodeTable(table: RawTable, schema: TableSchema): EncodedTable {
  const encoder = new TableEncoder(schema, table.source, table.columns, table.rows.length, (r) => table.where(r));
  for (let r = 0; r < table.rows.length; r++) encoder.row(table.rows[r]!, r);
  return encoder.end();
}
