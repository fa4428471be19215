/**
 * Win/tie/loss matrix: row method against column method over the complete blocks, "w/t/l" from
 * the row's side (rankings.ts rankMethods computes the counts with lib/al/stats winTieLoss).
 * A plain <table>, names as text.
 */
import type { WinTieLoss } from "./al-stats.js";

export interface WinTieLossData {
  methods: readonly string[];
  /** counts[i][j]: methods[i] against methods[j]. */
  counts: ReadonlyArray<ReadonlyArray<WinTieLoss>>;
}

export interface WinTieLossOptions {
  /** For tests (jsdom); the page's document otherwise. */
  document?: Document;
}

export function winTieLossMatrix(data: WinTieLossData, options: WinTieLossOptions = {}): HTMLTableElement {
  const doc = options.document ?? document;
  const k = data.methods.length;
  if (data.counts.length !== k || data.counts.some((row) => row.length !== k)) {
    throw new RangeError(`winTieLossMatrix: counts must be ${k} × ${k} (one row and column per method)`);
  }
  const table = doc.createElement("table");
  table.className = "wtl-matrix";
  const caption = doc.createElement("caption");
  caption.textContent = "Wins / ties / losses of the row's sampler against the column's, over the blocks";
  table.append(caption);
  const head = doc.createElement("tr");
  head.append(doc.createElement("th"));
  for (const m of data.methods) {
    const th = doc.createElement("th");
    th.scope = "col";
    th.textContent = m;
    head.append(th);
  }
  const thead = doc.createElement("thead");
  thead.append(head);
  const tbody = doc.createElement("tbody");
  data.methods.forEach((m, i) => {
    const tr = doc.createElement("tr");
    const th = doc.createElement("th");
    th.scope = "row";
    th.textContent = m;
    tr.append(th);
    data.methods.forEach((other, j) => {
      const td = doc.createElement("td");
      if (i === j) td.textContent = "—";
      else {
        const c = data.counts[i]![j]!;
        td.textContent = `${c.wins}/${c.ties}/${c.losses}`;
        td.title = `${m} vs ${other}: ${c.wins} wins, ${c.ties} ties, ${c.losses} losses`;
        if (c.wins > c.losses) td.className = "wtl-ahead";
        else if (c.wins < c.losses) td.className = "wtl-behind";
      }
      tr.append(td);
    });
    tbody.append(tr);
  });
  table.append(thead, tbody);
  return table;
}
