/**
 * The regularized incomplete beta function I_x(a, b), on which the F distribution's tail
 * probability (Iman–Davenport) rests.
 */
import { logGamma } from "./gamma.ts";

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

/**
 * The continued fraction for I_x(a, b) (modified Lentz); it converges quickly for
 * x < (a + 1) / (a + b + 2), so the caller mirrors x otherwise.
 */
function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // even step
    let an = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + an * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // odd step
    an = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + an * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** I_x(a, b) for 0 ≤ x ≤ 1 and a, b > 0. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`regularizedBeta: a = ${a}, b = ${b} must be finite numbers > 0`);
  }
  if (!(x >= 0 && x <= 1)) throw new RangeError(`regularizedBeta: x = ${x} must lie in [0, 1]`);
  if (x === 0) return 0;
  if (x === 1) return 1;
  // x^a (1 − x)^b / (a B(a, b)), in logs to avoid overflow for large a, b.
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}
