/**
 * The float32 polynomial log2s of the SIMD screens (samplers/simd-row-stats.ts for entropy and
 * BALD, mixtures.ts for BatchBALD) and the error bounds their slack formulas rest on.
 */

/**
 * BatchBALD's mixture screen (mixtures.ts): log2(1 + x) ≈ x·(a1 + x·(a2 + x·(a3 + x·(a4 + x·a5)))) on [0, 1): fitted to the relative-
 * weighted minimax error by iterated least squares (bench/reference/log2_poly.py), rounded to
 * float32. No constant term, so 1 (and every power of two) gets log2 exactly and a zero
 * probability adds 0.
 */
export const MIXTURE_LOG2_POLY = [1.4419654607772827, -0.709661602973938, 0.41759204864501953, -0.19626517593860626, 0.04638352990150452] as const;

/**
 * The largest |P(x) − log2(1 + x)| over every float32 x = m − 1 a mantissa m ∈ [1, 2) gives,
 * with P evaluated in float32 exactly as the kernel does (Horner, no fused multiply-add):
 * checked over all 2²³ mantissas (test/al/simd/mixtures.test.ts), which measures
 * 1.45e-5; this leaves room.
 */
export const MIXTURE_POLY_ERROR = 1.5e-5;

/**
 * The row screens' polynomial (simd-row-stats.ts: entropy's rowEntropy and BALD's block
 * screen): the same fit at degree 3 (log2_poly.py 3), log2(1 + x) ≈ x·(a1 + x·(a2 + x·a3)).
 * Four fewer vector operations per four values than degree 5, for a looser bound: a few more
 * candidates are scored exactly (BALD: 191 against 119 of 10⁴ points on the 400 MB bench;
 * entropy: ~108 against ~100 rows of 10⁶ whose bound reaches the final floor), which costs less
 * than the polynomial saved (README, "Selection speed").
 */
export const ROW_LOG2_POLY = [1.4245915412902832, -0.5891990661621094, 0.16537827253341675] as const;

/** MIXTURE_POLY_ERROR for ROW_LOG2_POLY: 7.71e-4 over all 2²³ mantissas (bald-single-pass.test.ts). */
export const ROW_POLY_ERROR = 7.8e-4;
