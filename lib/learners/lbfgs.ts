/**
 * Limited-memory BFGS for smooth convex objectives (the logistic loss): two-loop recursion over
 * the last `memory` curvature pairs, backtracking line search with the Armijo condition.
 * Deterministic; works in place on `x`.
 */

export interface LbfgsOptions {
  maxIterations: number;
  /** Stop when every gradient entry is at most this in absolute value. */
  tolerance: number;
  memory?: number;
}

export interface LbfgsResult {
  iterations: number;
  value: number;
  converged: boolean;
}

/** `evaluate(x, grad)` writes ∇f(x) into grad and returns f(x). */
export function minimizeLbfgs(evaluate: (x: Float64Array, grad: Float64Array) => number, x: Float64Array, options: LbfgsOptions): LbfgsResult {
  const m = options.memory ?? 10;
  const dim = x.length;
  const g = new Float64Array(dim);
  const gNext = new Float64Array(dim);
  const xNext = new Float64Array(dim);
  const dir = new Float64Array(dim);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += a[i]! * b[i]!;
    return s;
  };
  const maxAbs = (a: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < dim; i++) s = Math.max(s, Math.abs(a[i]!));
    return s;
  };

  let f = evaluate(x, g);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (maxAbs(g) <= options.tolerance) return { iterations: iteration, value: f, converged: true };
    // Two-loop recursion: dir = −H·g.
    for (let i = 0; i < dim; i++) dir[i] = -g[i]!;
    for (let j = S.length - 1; j >= 0; j--) {
      const a = rho[j]! * dot(S[j]!, dir);
      alpha[j] = a;
      const y = Y[j]!;
      for (let i = 0; i < dim; i++) dir[i]! -= a * y[i]!;
    }
    let gamma = 1;
    if (S.length > 0) gamma = dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!);
    else gamma = 1 / Math.max(Math.sqrt(dot(g, g)), 1e-12);
    for (let i = 0; i < dim; i++) dir[i]! *= gamma;
    for (let j = 0; j < S.length; j++) {
      const b = rho[j]! * dot(Y[j]!, dir);
      const s = S[j]!;
      for (let i = 0; i < dim; i++) dir[i]! += (alpha[j]! - b) * s[i]!;
    }
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < dim; i++) dir[i] = -g[i]! / Math.max(Math.sqrt(dot(g, g)), 1e-12);
      slope = dot(g, dir);
    }
    let step = 1;
    let fNext = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < dim; i++) xNext[i] = x[i]! + step * dir[i]!;
      fNext = evaluate(xNext, gNext);
      if (fNext <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNext < f)) return { iterations: iteration, value: f, converged: false };
    const s = new Float64Array(dim);
    const y = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      s[i] = xNext[i]! - x[i]!;
      y[i] = gNext[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const fPrev = f;
    x.set(xNext);
    g.set(gNext);
    f = fNext;
    // Relative decrease too small to matter in float32 predictions: done.
    if ((fPrev - f) / Math.max(Math.abs(fPrev), Math.abs(f), 1) <= 1e-12) return { iterations: iteration + 1, value: f, converged: true };
  }
  return { iterations: options.maxIterations, value: f, converged: maxAbs(g) <= options.tolerance };
}
