/** Share of points whose given label differs from the true one (0 for an empty list). */
export function labelNoise(given: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (given.length !== truth.length) throw new Error(`labelNoise: ${given.length} given labels for ${truth.length} true ones`);
  if (given.length === 0) return 0;
  let wrong = 0;
  for (let i = 0; i < given.length; i++) if (given[i] !== truth[i]) wrong++;
  return wrong / given.length;
}
