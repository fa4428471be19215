/**
 * The initial labelled set: uniformly random, or stratified (classes as equally represented as
 * the count allows, remainder to the classes drawn first in a seeded order).
 */
import { permutation, type Random } from "./random.ts";

export function initialSet(
  labels: Int32Array,
  count: number,
  options: { stratified: boolean; random: Random; exclude?: Uint8Array },
): Int32Array {
  const { random, exclude } = options;
  let order = permutation(labels.length, random);
  // Points set aside (e.g. a validation set) are never part of the initial set.
  if (exclude) order = order.filter((i) => !exclude[i]);
  if (!options.stratified) return order.slice(0, count).sort();
  const byClass = new Map<number, number[]>();
  for (const i of order) {
    const c = labels[i]!;
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  }
  // Round-robin over classes (in seeded first-appearance order) keeps strata balanced.
  const queues = [...byClass.values()];
  const chosen: number[] = [];
  for (let depth = 0; chosen.length < count; depth++) {
    let took = false;
    for (const q of queues) {
      if (depth < q.length && chosen.length < count) {
        chosen.push(q[depth]!);
        took = true;
      }
    }
    if (!took) break;
  }
  return Int32Array.from(chosen).sort();
}
