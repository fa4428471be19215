/**
 * Seeded randomness. Every random choice in a run (initial set, shuffles, weight init,
 * dropout masks, random sampling) draws from a stream derived from the run's seed and a
 * label naming its purpose, so streams are independent and a round can be replayed from
 * (seed, round) alone — no generator state has to be checkpointed.
 */

/** A seeded uniform generator (sfc32) with helpers. */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A fresh uint32, e.g. to seed a tfjs initializer. */
  uint32(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** The generator's four-word state, to save and restore it. */
  state(): [number, number, number, number];
}

/** 32-bit FNV-1a over a string, then finalised with a murmur mix: a stable string hash. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A uint32 seed derived from a base seed and labels, e.g. deriveSeed(7, "round", 3, "shuffle"). */
export function deriveSeed(seed: number, ...labels: Array<string | number>): number {
  return hashString(`${seed >>> 0}/${labels.join("/")}`);
}

/** A generator for seed + labels. */
export function createRandom(seed: number, ...labels: Array<string | number>): Random {
  const s = deriveSeed(seed, ...labels);
  // Expand one word into four with splitmix32 so nearby seeds give unrelated streams.
  let x = s;
  const split = (): number => {
    x = (x + 0x9e3779b9) >>> 0;
    return mix32(x);
  };
  const random = fromState([split(), split(), split(), split()]);
  for (let i = 0; i < 12; i++) random.next();
  return random;
}

/** A generator resumed from a saved state. */
export function fromState(state: readonly [number, number, number, number]): Random {
  let [a, b, c, d] = state.map((v) => v >>> 0) as [number, number, number, number];
  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  const next = (): number => uint32() / 4294967296;
  let spare: number | undefined;
  return {
    next,
    uint32,
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0) throw new RangeError(`random.int: expected a positive integer, got ${n}`);
      return Math.floor(next() * n);
    },
    normal(): number {
      if (spare !== undefined) {
        const v = spare;
        spare = undefined;
        return v;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    state: () => [a, b, c, d],
  };
}

/** In-place Fisher–Yates shuffle of a typed or plain array. */
export function shuffle<T extends { length: number; [i: number]: number }>(array: T, random: Random): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = array[i]!;
    array[i] = array[j]!;
    array[j] = t;
  }
  return array;
}

/** 0..n-1 in a seeded random order. */
export function permutation(n: number, random: Random): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffle(order, random);
}
