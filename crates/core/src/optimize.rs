//! A small BFGS minimizer for the few-parameter maximum-likelihood fits of the lifetime
//! models (3–4 parameters, smooth objectives with exact gradients).
//!
//! Written here rather than taken from `argmin`: the fits need nothing but BFGS with a
//! backtracking line search, and `argmin` would bring its timer and RNG dependencies into
//! the wasm engine for these few dozen lines.

/// Why a minimization ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The gradient is as small as asked.
    Converged,
    /// No step along the search direction lowers the objective any more (at the
    /// precision of `f64`): a minimum to machine precision, in practice.
    NoProgress,
    /// The iteration budget ran out.
    Budget,
}

/// The result of [`bfgs`].
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    /// Where the minimum is.
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// The largest absolute gradient component there.
    pub gradient_norm: f64,
    /// Why the search ended.
    pub stop: Stop,
}

/// Minimizes `f` from `x0`, where `f(x, grad)` returns the objective at `x` and writes its
/// gradient into `grad`. A non-finite value means "outside the domain": the line search
/// backs off from it.
pub(crate) fn bfgs(
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    x0: &[f64],
    gradient_tolerance: f64,
    max_iterations: usize,
) -> Minimum {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut value = f(&x, &mut g);
    // Inverse Hessian approximation, row-major, starting as the identity.
    let mut h = identity(n);
    let mut stop = Stop::Budget;
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    for _ in 0..max_iterations {
        if max_abs(&g) <= gradient_tolerance {
            stop = Stop::Converged;
            break;
        }
        let mut direction: Vec<f64> = (0..n)
            .map(|i| -(0..n).map(|j| h[i * n + j] * g[j]).sum::<f64>())
            .collect();
        let mut slope = dot(&direction, &g);
        if slope.is_nan() || slope >= 0.0 {
            // The approximation lost positive definiteness: restart from steepest descent.
            h = identity(n);
            direction = g.iter().map(|v| -v).collect();
            slope = dot(&direction, &g);
        }
        // Backtracking line search with Armijo's sufficient-decrease condition.
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..60 {
            for i in 0..n {
                x_new[i] = x[i] + step * direction[i];
            }
            let v = f(&x_new, &mut g_new);
            if v.is_finite() && v <= value + 1e-4 * step * slope {
                accepted = v < value || max_abs(&g_new) < max_abs(&g);
                if accepted {
                    value = v;
                }
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            stop = Stop::NoProgress;
            break;
        }
        let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| g_new[i] - g[i]).collect();
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        let sy = dot(&s, &y);
        if sy > 1e-300 {
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
            let rho = 1.0 / sy;
            let hy: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| h[i * n + j] * y[j]).sum())
                .collect();
            let yhy = dot(&y, &hy);
            for i in 0..n {
                for j in 0..n {
                    h[i * n + j] +=
                        rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
                }
            }
        }
    }
    Minimum {
        gradient_norm: max_abs(&g),
        x,
        value,
        stop,
    }
}

fn identity(n: usize) -> Vec<f64> {
    (0..n * n)
        .map(|i| if i / n == i % n { 1.0 } else { 0.0 })
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let rosenbrock = |x: &[f64], g: &mut [f64]| {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        };
        let m = bfgs(rosenbrock, &[-1.2, 1.0], 1e-10, 500);
        assert_ne!(m.stop, Stop::Budget);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-8 && (m.x[1] - 1.0).abs() < 1e-8,
            "{:?}",
            m.x
        );
    }

    #[test]
    fn backs_off_from_outside_the_domain() {
        // ln-barrier: undefined for x ≤ 0, minimum at x = 1.
        let f = |x: &[f64], g: &mut [f64]| {
            if x[0] <= 0.0 {
                return f64::NAN;
            }
            g[0] = 1.0 - 1.0 / x[0];
            x[0] - x[0].ln()
        };
        let m = bfgs(f, &[5.0], 1e-12, 100);
        assert!((m.x[0] - 1.0).abs() < 1e-9, "{:?}", m);
    }
}
