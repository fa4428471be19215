/**
 * A critical-difference diagram (Demšar 2006): the methods' average ranks on an axis 1…k (1 =
 * best, on the left), one `g.cd-sampler` per method with its tick and label, the critical
 * difference drawn to scale above the axis, and a bar joining each group of methods whose ranks
 * lie less than CD apart (Nemenyi cannot tell them apart). SVG built with DOM calls; names are text.
 */
import { notSignificantGroups } from "./rankings.js";

export interface CdDiagramData {
  /** Each method's average rank (any order). */
  ranks: ReadonlyArray<{ method: string; averageRank: number }>;
  /** Nemenyi's critical difference for these ranks (rankings.ts rankMethods). */
  criticalDifference: number;
}

export interface CdDiagramOptions {
  width?: number;
  /** For tests (jsdom); the page's document otherwise. */
  document?: Document;
}

const SVG = "http://www.w3.org/2000/svg";
const ROW = 18;
const BAR_GAP = 7;

export function cdDiagram(data: CdDiagramData, options: CdDiagramOptions = {}): SVGSVGElement {
  const doc = options.document ?? document;
  const k = data.ranks.length;
  if (k < 2) throw new RangeError(`cdDiagram: ${k} method(s); a CD diagram compares at least 2`);
  const cd = data.criticalDifference;
  if (!(cd > 0)) throw new RangeError(`cdDiagram: critical difference = ${cd} must be > 0`);
  const sorted = [...data.ranks].sort((a, b) => a.averageRank - b.averageRank || (a.method < b.method ? -1 : 1));
  const groups = notSignificantGroups(sorted.map((d) => d.averageRank), cd);

  const width = Math.max(320, options.width ?? 640);
  const longest = Math.max(...sorted.map((d) => d.method.length + 7));
  // Labels sit beside the axis ends; give them room, but keep at least half the width for the axis.
  const side = Math.min(width * 0.38, 12 + longest * 6.8);
  const x0 = side;
  const x1 = width - side;
  const x = (rank: number): number => x0 + ((rank - 1) / Math.max(1, k - 1)) * (x1 - x0);
  const axisY = 44;
  const barsY = axisY + 12;
  const labelsY = barsY + groups.length * BAR_GAP + 14;
  const leftCount = Math.ceil(k / 2);
  const rows = Math.max(leftCount, k - leftCount);
  const height = labelsY + rows * ROW + 6;

  const el = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent: Element): SVGElementTagNameMap[K] => {
    const node = doc.createElementNS(SVG, tag) as SVGElementTagNameMap[K];
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    parent.append(node);
    return node;
  };
  const svg = doc.createElementNS(SVG, "svg") as SVGSVGElement;
  svg.setAttribute("class", "cd-diagram");
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("font-family", "system-ui, sans-serif");
  svg.setAttribute("font-size", "12");
  const title = el("title", {}, svg);
  title.textContent = `Critical-difference diagram: average ranks of ${k} samplers, CD = ${cd.toFixed(3)}`;

  // The rank axis with a tick at every whole rank.
  const axis = el("g", { class: "cd-axis" }, svg);
  el("line", { x1: x0, x2: x1, y1: axisY, y2: axisY, stroke: "currentColor" }, axis);
  for (let r = 1; r <= k; r++) {
    el("line", { x1: x(r), x2: x(r), y1: axisY - 5, y2: axisY, stroke: "currentColor" }, axis);
    const t = el("text", { x: x(r), y: axisY - 8, "text-anchor": "middle", fill: "currentColor" }, axis);
    t.textContent = String(r);
  }

  // The critical difference to scale, from rank 1.
  const scale = el("g", { class: "cd-scale" }, svg);
  const cdEnd = x0 + (cd / Math.max(1, k - 1)) * (x1 - x0);
  el("line", { x1: x0, x2: cdEnd, y1: 12, y2: 12, stroke: "currentColor", "stroke-width": 2 }, scale);
  for (const at of [x0, cdEnd]) el("line", { x1: at, x2: at, y1: 8, y2: 16, stroke: "currentColor" }, scale);
  const cdText = el("text", { x: cdEnd + 6, y: 16, fill: "currentColor" }, scale);
  cdText.textContent = `CD = ${cd.toFixed(2)}`;

  // One bar per group Nemenyi cannot separate, just below the axis.
  const bars = el("g", { class: "cd-groups" }, svg);
  groups.forEach(([first, last], i) => {
    const y = barsY + i * BAR_GAP;
    const bar = el("line", { class: "cd-group", x1: x(sorted[first]!.averageRank) - 3, x2: x(sorted[last]!.averageRank) + 3, y1: y, y2: y, stroke: "currentColor", "stroke-width": 3 }, bars);
    bar.dataset.from = sorted[first]!.method;
    bar.dataset.to = sorted[last]!.method;
  });

  // Best half labelled on the left (best on top), the rest on the right (worst on top): no crossing lines.
  sorted.forEach((d, i) => {
    const left = i < leftCount;
    const row = left ? i : k - 1 - i;
    const y = labelsY + row * ROW;
    const at = x(d.averageRank);
    const g = el("g", { class: "cd-sampler" }, svg);
    g.dataset.method = d.method;
    g.dataset.rank = String(d.averageRank);
    el("line", { class: "cd-tick", x1: at, x2: at, y1: axisY - 4, y2: axisY + 4, stroke: "currentColor", "stroke-width": 2 }, g);
    el("polyline", { points: `${at},${axisY} ${at},${y} ${left ? x0 - 4 : x1 + 4},${y}`, fill: "none", stroke: "currentColor", "stroke-opacity": 0.6 }, g);
    const t = el("text", { x: left ? x0 - 8 : x1 + 8, y: y + 4, "text-anchor": left ? "end" : "start", fill: "currentColor" }, g);
    t.textContent = `${d.method} (${d.averageRank.toFixed(2)})`;
  });
  return svg;
}
