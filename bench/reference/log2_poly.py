"""
The float32 polynomials behind the SIMD screens (lib/al/simd/log2-poly.ts; degree 5,
MIXTURE_LOG2_POLY, shown): log2(1 + x) ~ x*(a1 + x*(a2 + x*(a3 + x*(a4 + x*a5)))) on [0, 1), fitted
to the absolute-error minimax by iteratively reweighted least squares on Chebyshev nodes
(written for this project), then rounded to float32. Prints the coefficients and the largest
error over every float32 x = m - 1 (all 2^23 mantissas), with the polynomial evaluated in float32
exactly as the kernel does (Horner, no fused multiply-add). Run: /usr/bin/python3 log2_poly.py
[degree]: 5 (the default) gives MIXTURE_LOG2_POLY, 3 gives ROW_LOG2_POLY (the row screens: entropy's and BALD's).
"""
import sys

import numpy as np

DEGREE = int(sys.argv[1]) if len(sys.argv) > 1 else 5
x64 = np.arange(2**23, dtype=np.float64) / 2**23
target = np.log2(1 + x64)


def horner_f32(coefs, x):
    x = x.astype(np.float32)
    q = np.full_like(x, np.float32(coefs[-1]))
    for c in coefs[-2::-1]:
        q = (q * x).astype(np.float32)
        q = (q + np.float32(c)).astype(np.float32)
    return (q * x).astype(np.float32)


nodes = (1 - np.cos(np.pi * (np.arange(4000) + 0.5) / 4000)) / 2
basis = np.stack([nodes ** (k + 1) for k in range(DEGREE)], axis=1)
weights = np.ones_like(nodes)
for _ in range(60):
    coefs, *_ = np.linalg.lstsq(basis * weights[:, None], np.log2(1 + nodes) * weights, rcond=None)
    err = basis @ coefs - np.log2(1 + nodes)
    weights = weights * (np.abs(err) / np.abs(err).max()) ** 0.3 + 1e-12
    weights /= weights.max()
c32 = coefs.astype(np.float32)
print("coefficients", [float(v) for v in c32])
print("max |P(x) - log2(1 + x)| over all float32 mantissas", np.abs(horner_f32(list(c32), x64).astype(np.float64) - target).max())
