/** Share of points whose given label differs from the true one (0 for an empty list). */
export function labelNoise(given: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (given.length !== truth.length) throw new Error(`labelNoise: ${given.length} given labels for ${truth.length} true ones`);
  if (given.length === 0) return 0;
  let wrong = 0;
  for (let i = 0; i < given.length; i++) if (given[i] !== truth[i]) wrong++;
  return wrong / given.length;
}

function checkSets(name: string, given: ArrayLike<number>, truth: ArrayLike<number>, labels: number): number {
  if (given.length !== truth.length) throw new Error(`${name}: ${given.length} given label entries for ${truth.length} true ones`);
  if (!(Number.isInteger(labels) && labels > 0) || given.length % labels !== 0) throw new Error(`${name}: ${given.length} entries are not whole sets of ${labels} labels`);
  return given.length / labels;
}

/**
 * Multi-label: share of points whose given 0/1 label set (rows of `labels` entries, flattened)
 * differs from the true one in any label (0 for no points).
 */
export function labelSetNoise(given: ArrayLike<number>, truth: ArrayLike<number>, labels: number): number {
  const n = checkSets("labelSetNoise", given, truth, labels);
  if (n === 0) return 0;
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    for (let l = i * labels, end = l + labels; l < end; l++) {
      if (given[l] !== truth[l]) {
        wrong++;
        break;
      }
    }
  }
  return wrong / n;
}

/** Multi-label: share of the (point, label) answers that are wrong (0 for no points). */
export function labelEntryNoise(given: ArrayLike<number>, truth: ArrayLike<number>, labels: number): number {
  const n = checkSets("labelEntryNoise", given, truth, labels);
  if (n === 0) return 0;
  let wrong = 0;
  for (let l = 0; l < given.length; l++) if (given[l] !== truth[l]) wrong++;
  return wrong / given.length;
}
