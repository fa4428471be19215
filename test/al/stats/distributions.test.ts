import { describe, expect, it } from "vitest";
import { regularizedBeta } from "../../../lib/al/stats/beta.ts";
import { chiSquareCdf, chiSquareSf, fCdf, fSf, normalCdf, normalTwoSided } from "../../../lib/al/stats/distributions.ts";
import { logGamma, regularizedGammaP, regularizedGammaQ } from "../../../lib/al/stats/gamma.ts";

/** |actual − expected| ≤ 1e-12 relative (or absolute near 0). */
function close(actual: number, expected: number, rel = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(Math.abs(expected), 1e-300));
}

// Reference values computed independently with scipy 1.17.1, e.g.
//   python3 -c "import scipy.special as s; print(repr(s.gammaln(3.7)))"
describe("special functions against scipy", () => {
  it("log-gamma matches closed forms and scipy.special.gammaln", () => {
    close(logGamma(0.5), 0.5 * Math.log(Math.PI)); // Γ(½) = √π
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-13); // Γ(1) = 1
    close(logGamma(5), Math.log(24)); // Γ(5) = 4! = 24
    close(logGamma(3.7), 1.428072326665388, 1e-13);
    close(logGamma(12.3), 18.238983407092245);
    close(logGamma(100), 359.1342053695754);
    close(logGamma(1e-5), 11.512919692895826);
  });

  it("regularized incomplete gamma P and Q match scipy.special.gammainc / gammaincc", () => {
    close(regularizedGammaP(0.5, 0.1), 0.34527915398142317, 1e-13);
    close(regularizedGammaP(3, 2.5), 0.45618688411667035, 1e-13);
    close(regularizedGammaP(1.5, 0.01), 0.0007477553393911979, 1e-13);
    close(regularizedGammaP(50, 45), 0.24680203440017026, 1e-13);
    close(regularizedGammaQ(0.5, 30), 9.485737571073857e-15, 1e-13); // deep upper tail, no 1 − P cancellation
    close(regularizedGammaQ(10, 40), 3.925932226286184e-9, 1e-13);
    close(regularizedGammaQ(2, 100), 3.75727673578106e-42, 1e-13);
    // P(1, x) = 1 − e^{−x} in closed form
    close(regularizedGammaP(1, 2), 1 - Math.exp(-2));
    close(regularizedGammaP(3, 2.5) + regularizedGammaQ(3, 2.5), 1);
  });

  it("regularized incomplete beta matches closed forms and scipy.special.betainc", () => {
    // I_x(1, 1) = x; I_x(2, 3) = 6x²(1−x)²/2... via scipy: I_0.3(2, 3) = 0.3483
    close(regularizedBeta(0.37, 1, 1), 0.37);
    close(regularizedBeta(0.3, 2, 3), 0.34829999999999994, 1e-13);
    close(regularizedBeta(0.9, 0.5, 0.5), (2 / Math.PI) * Math.asin(Math.sqrt(0.9)), 1e-13); // arcsine law
    close(regularizedBeta(0.01, 10, 2), 1.0900000000000003e-19, 1e-13);
    close(regularizedBeta(0.7, 50, 20), 0.3825092483812333, 1e-12);
  });

  it("chi-square, F and normal tails match scipy.stats", () => {
    close(chiSquareSf(9.28, 3), 0.025790724198756772, 1e-13);
    close(chiSquareSf(0.5, 1), 0.47950012218695337, 1e-13);
    close(chiSquareSf(50, 9), 1.0772382022574693e-7, 1e-13);
    close(chiSquareCdf(0.5, 1) + chiSquareSf(0.5, 1), 1);
    close(fSf(3.69, 3, 39), 0.01974409968948888, 1e-13);
    close(fSf(2.85, 3, 39), 0.04972540421069425, 1e-13); // Demšar's F(3, 39) critical value 2.85 ⇒ p ≈ 0.05
    close(fSf(100, 2, 10), 2.448519270213934e-7, 1e-13);
    close(fCdf(2.85, 3, 39) + fSf(2.85, 3, 39), 1);
    close(normalCdf(-1.96), 0.024997895148220435, 1e-13);
    close(normalCdf(2.5), 0.9937903346742238, 1e-13);
    close(normalTwoSided(8), 1.244192114854348e-15, 1e-13);
    close(normalCdf(0), 0.5);
  });

  it("F with d1 = 1 is the square of a t, and χ²(2) has survival e^{−x/2}", () => {
    // F(1, ∞)-like check: χ²(1) at z² equals the two-sided normal tail at z
    close(chiSquareSf(1.96 ** 2, 1), normalTwoSided(1.96));
    close(chiSquareSf(3, 2), Math.exp(-1.5));
    // F(2, d2) survival = (1 + 2x/d2)^(−d2/2)
    close(fSf(1.7, 2, 8), (1 + (2 * 1.7) / 8) ** -4);
  });

  it("rejects arguments outside the domain", () => {
    expect(() => logGamma(0)).toThrow(/logGamma: x = 0 must be a finite number > 0/);
    expect(() => regularizedGammaP(-1, 1)).toThrow(/a = -1/);
    expect(() => regularizedBeta(1.5, 1, 1)).toThrow(/x = 1.5 must lie in \[0, 1\]/);
    expect(() => chiSquareSf(1, 0)).toThrow(/df = 0/);
    expect(() => fSf(1, 3, -2)).toThrow(/d2 = -2/);
  });
});
