/**
 * The mc_samples grid axis belongs to the sampler, not to the grid cell: only samplers that draw
 * Monte-Carlo samples (BALD, variation ratios, …) carry a setting, the others have "—". Used as a
 * picker it would split random from BALD (no cell holds both), so pages fold it into the sampler's
 * name instead: "bald · mc-dropout 10" where that sampler was run with several settings, plain
 * "bald" where with one. The Rankings page names its methods the same way (rankings.ts). Pure.
 */

/** The label an absent axis value has (grid-axes.ts). */
const NONE = "—";

type Row = { readonly sampler?: unknown; readonly mc_samples?: unknown };

const settingOf = (row: Row): string => (row.mc_samples === undefined || row.mc_samples === null ? NONE : String(row.mc_samples));

/**
 * Names each row's sampler with its Monte-Carlo setting where the sampler has several among
 * `rows`. A row of a sampler `rows` lacks keeps its plain name.
 */
export function samplerNamer(rows: readonly Row[]): (row: Row) => string {
  const settings = new Map<string, Set<string>>();
  for (const r of rows) {
    const sampler = String(r.sampler);
    if (!settings.has(sampler)) settings.set(sampler, new Set());
    settings.get(sampler)!.add(settingOf(r));
  }
  return (r) => {
    const sampler = String(r.sampler);
    return (settings.get(sampler)?.size ?? 0) > 1 ? `${sampler} · ${settingOf(r)}` : sampler;
  };
}

/**
 * The rows with mc_samples folded into `sampler` (named by `options.namer`, default one built
 * from these rows) and the mc_samples column set to "—" on every row, so no grouping or pairing
 * by the curve's key columns tells two samplers apart by it.
 */
export function foldMcSamples<T extends Row>(rows: readonly T[], options: { namer?: (row: Row) => string } = {}): Array<T & { sampler: string; mc_samples: string }> {
  const name = options.namer ?? samplerNamer(rows);
  return rows.map((r) => ({ ...r, sampler: name(r), mc_samples: NONE }));
}
