/**
 * Wrapped facets for Plot, which has no facet wrap of its own: panel i goes to column i mod c,
 * row ⌊i / c⌋, with c chosen so a panel stays readable at the given width (one column at 400 px).
 * The panel's name is drawn as a text mark in its corner since the fx/fy axes are numbers. Pure.
 */
import * as Plot from "@observablehq/plot";

export interface FacetWrap {
  columns: number;
  rows: number;
  /** fx (column) and fy (row) of a panel name. */
  fx: (name: string) => number;
  fy: (name: string) => number;
}

export function facetWrap(panels: readonly string[], width: number, minPanelWidth = 260): FacetWrap {
  if (panels.length === 0) throw new Error("facetWrap: no panels to lay out");
  const columns = Math.max(1, Math.min(panels.length, Math.floor(width / minPanelWidth)));
  const index = new Map(panels.map((p, i) => [p, i]));
  const at = (name: string): number => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`facetWrap: "${name}" is not one of the panels (${panels.join(", ")})`);
    return i;
  };
  return { columns, rows: Math.ceil(panels.length / columns), fx: (n) => at(n) % columns, fy: (n) => Math.floor(at(n) / columns) };
}

/** A title in each panel's top-left corner. */
export function panelTitles(panels: readonly string[], wrap: FacetWrap): Plot.Markish {
  return Plot.text(panels, { fx: (d: string) => wrap.fx(d), fy: (d: string) => wrap.fy(d), text: (d: string) => d, frameAnchor: "top-left", dx: 4, dy: 4, fontWeight: "bold" });
}
