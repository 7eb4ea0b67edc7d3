//! Special functions the lifetime-value models need: log-gamma (from `libm`, the same bits
//! natively and in wasm), digamma, and Gauss' hypergeometric function ₂F₁.
//!
//! `libm` has no digamma or ₂F₁ and no maintained pure-Rust crate offers both without
//! pulling in a large statistics stack, so the two are written here from their textbook
//! series (Abramowitz & Stegun 6.3.18 and 15.1.1) and tested against scipy's values.

/// `ln Γ(x)` for `x > 0`.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The digamma function ψ(x) = d/dx ln Γ(x), for `x > 0`.
pub(crate) fn digamma(mut x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut shift = 0.0;
    // ψ(x) = ψ(x + 1) − 1/x moves x to where the asymptotic series is exact to 1e-16.
    while x < 12.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2 * (1.0 / 252.0 - inv2 * (1.0 / 240.0 - inv2 * (1.0 / 132.0)))));
    shift + libm::log(x) - 0.5 * inv - series
}

/// ₂F₁(a, b; c; z) for `0 ≤ z < 1` and `c` not zero or a negative integer, as
/// `(ln |value|, sign)`. The power series is summed with rescaling, so values far beyond
/// `f64`'s range (large `a` and `b` with `z` near 1) still come out as logarithms.
/// `None` when the series does not settle within its term budget.
pub(crate) fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<(f64, f64)> {
    const BIG: f64 = 1e200;
    const MAX_TERMS: usize = 1_000_000;
    if !(0.0..1.0).contains(&z) {
        return None;
    }
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    let mut scale = 0.0f64; // ln of the factor `term` and `sum` are divided by
    for n in 0..MAX_TERMS {
        let n = n as f64;
        let denominator = (c + n) * (n + 1.0);
        if denominator == 0.0 {
            return None;
        }
        term *= (a + n) * (b + n) / denominator * z;
        sum += term;
        if term == 0.0 || (n > 2.0 * (a.abs() + b.abs()) && term.abs() <= 1e-17 * sum.abs()) {
            // Past the largest term, the tail shrinks at least geometrically.
            let tail_ratio =
                ((a + n + 1.0) * (b + n + 1.0) / ((c + n + 1.0) * (n + 2.0)) * z).abs();
            if tail_ratio < 1.0 {
                return (sum != 0.0).then(|| (libm::log(sum.abs()) + scale, sum.signum()));
            }
        }
        if sum.abs() > BIG || term.abs() > BIG {
            sum /= BIG;
            term /= BIG;
            scale += libm::log(BIG);
        }
        if !sum.is_finite() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// scipy.special.psi and scipy.special.hyp2f1 (scipy 1.17.1).
    #[test]
    fn agrees_with_scipy() {
        for (x, want) in [
            (0.01, -100.56088545786868),
            (0.5, -1.9635100260214235),
            (1.0, -0.5772156649015329),
            (7.3, 1.917820335637986),
            (250.0, 5.519459584531046),
        ] {
            let got = digamma(x);
            assert!(
                (got - want).abs() < 1e-13 * want.abs().max(1.0),
                "{x}: {got}"
            );
        }
        for (a, b, c, z, want) in [
            (1.0, 1.0, 2.0, 0.5, 1.3862943611198901),
            (2.5, 3.0, 1.5, 0.3, 5.414410662224075),
            (12.2, 11.3, 11.3, 0.7, 2_393_980.962_212_905_3),
            (2.2, 0.27, -0.72, 0.2, 0.4121046116470894),
        ] {
            let (ln, sign) = ln_hyp2f1(a, b, c, z).unwrap();
            let got = sign * ln.exp();
            assert!(
                (got - want).abs() < 1e-12 * want.abs(),
                "{a} {b} {c} {z}: {got}"
            );
        }
        // Beyond f64: ₂F₁(300, 300; 300; 0.9) = 0.1^-300.
        let (ln, sign) = ln_hyp2f1(300.0, 300.0, 300.0, 0.9).unwrap();
        assert_eq!(sign, 1.0);
        assert!((ln - 300.0 * 10f64.ln()).abs() < 1e-9, "{ln}");
        assert!(ln_hyp2f1(1.0, 1.0, 2.0, 1.0).is_none());
    }
}
