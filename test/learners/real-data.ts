/**
 * Real data for the learner tests, read from ../shared/data with a tiny CSV parser and a simple
 * tokenizer kept here, so these tests do not depend on the data readers being built in parallel.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Matrix } from "../../lib/al/matrix.ts";
import { createRandom, permutation } from "../../lib/al/random.ts";

export const sharedData = fileURLToPath(new URL("../../../shared/data/", import.meta.url));

/** RFC-4180-ish: quoted fields with doubled quotes; no newlines inside fields (none in our sets). */
export function readCsv(path: string): string[][] {
  const rows: string[][] = [];
  for (const line of readFileSync(sharedData + path, "utf8").split(/\r?\n/)) {
    if (!line) continue;
    const fields: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = "";
        let j = i + 1;
        for (;;) {
          const q = line.indexOf('"', j);
          value += line.slice(j, q);
          if (line[q + 1] === '"') {
            value += '"';
            j = q + 2;
          } else {
            j = q + 1;
            break;
          }
        }
        fields.push(value);
        i = j + 1;
      } else {
        const comma = line.indexOf(",", i);
        const end = comma === -1 ? line.length : comma;
        fields.push(line.slice(i, end));
        i = end + 1;
      }
    }
    rows.push(fields);
  }
  return rows;
}

export interface TabularSplit {
  train: { x: Matrix; y: Int32Array };
  test: { x: Matrix; y: Int32Array };
}

/** A tabular set (label column last) split at random (seeded) into train and test. */
export function loadTabular(file: string, testFraction: number, seed: number): TabularSplit {
  const [, ...rows] = readCsv(`tabular/${file}`);
  const d = rows[0]!.length - 1;
  const labels = [...new Set(rows.map((r) => r[d]!))].sort();
  const order = permutation(rows.length, createRandom(seed, "split"));
  const nTest = Math.round(testFraction * rows.length);
  const take = (indices: Int32Array) => {
    const x = new Float32Array(indices.length * d);
    const y = new Int32Array(indices.length);
    indices.forEach((r, i) => {
      for (let f = 0; f < d; f++) x[i * d + f] = Number(rows[r]![f]);
      y[i] = labels.indexOf(rows[r]![d]!);
    });
    return { x: { data: x, n: indices.length, c: d }, y };
  };
  return { test: take(order.slice(0, nTest)), train: take(order.slice(nTest)) };
}

/** Lower-case words and single punctuation marks. */
export const tokenize = (text: string): string[] => text.toLowerCase().match(/[a-z0-9']+|[^\sa-z0-9']/g) ?? [];

/** Token ids (1 = unknown, 2.. = words seen ≥ minCount times in `fitTexts`), post-padded with 0. */
export function encodeTexts(fitTexts: string[], texts: string[][], maxLength: number, minCount = 2): { sets: Matrix[]; vocabSize: number } {
  const counts = new Map<string, number>();
  for (const t of fitTexts) for (const w of tokenize(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const vocab = new Map<string, number>();
  for (const [w, c] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) if (c >= minCount) vocab.set(w, vocab.size + 2);
  const sets = texts.map((list) => {
    const data = new Float32Array(list.length * maxLength);
    list.forEach((t, i) => tokenize(t).slice(0, maxLength).forEach((w, j) => (data[i * maxLength + j] = vocab.get(w) ?? 1)));
    return { data, n: list.length, c: maxLength };
  });
  return { sets, vocabSize: vocab.size + 2 };
}

/** `count` rows of a CSV text set (text, label columns) in a seeded order. */
export function textRows(file: string, count: number, seed: number): Array<{ text: string; label: string }> {
  const [header, ...rows] = readCsv(`text/${file}`);
  const order = permutation(rows.length, createRandom(seed, "text"));
  const ti = header!.indexOf(header!.includes("text") ? "text" : "title");
  const li = header!.indexOf(header!.includes("label") ? "label" : "labels");
  return Array.from(order.slice(0, count), (r) => ({ text: rows[r]![ti]!, label: rows[r]![li]! }));
}

/** Share of the most frequent value: the majority-class accuracy. */
export function majorityShare(y: Int32Array): number {
  const counts = new Map<number, number>();
  for (const k of y) counts.set(k, (counts.get(k) ?? 0) + 1);
  return Math.max(...counts.values()) / y.length;
}
