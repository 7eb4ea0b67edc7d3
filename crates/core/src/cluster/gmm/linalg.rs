//! The small dense linear algebra a mixture needs: Cholesky factors of `d × d`
//! covariances (d is the number of features, rarely above 50), kept here rather than
//! pulling a LAPACK binding into the WebAssembly build.

/// Cholesky factor `L` (lower, row-major `d × d`) of a symmetric matrix given by its lower
/// triangle, or `None` when the matrix is not positive definite.
pub fn cholesky(a: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let mut sum = a[i * d + j];
            for k in 0..j {
                sum -= l[i * d + k] * l[j * d + k];
            }
            if i == j {
                if !(sum > 0.0 && sum.is_finite()) {
                    return None;
                }
                l[i * d + i] = sum.sqrt();
            } else {
                l[i * d + j] = sum / l[j * d + j];
            }
        }
    }
    Some(l)
}

/// `P = L⁻ᵀ` for a lower Cholesky factor `L`, so that `Σ⁻¹ = P Pᵀ` (scikit-learn's
/// `precisions_cholesky_`). `P` is upper triangular, returned row-major `d × d` with zeros
/// below the diagonal.
pub fn precision_factor(l: &[f64], d: usize) -> Vec<f64> {
    // M = L⁻¹ (lower), column by column; P = Mᵀ.
    let mut m = vec![0.0; d * d];
    for j in 0..d {
        m[j * d + j] = 1.0 / l[j * d + j];
        for i in j + 1..d {
            let mut sum = 0.0;
            for k in j..i {
                sum += l[i * d + k] * m[k * d + j];
            }
            m[i * d + j] = -sum / l[i * d + i];
        }
    }
    let mut p = vec![0.0; d * d];
    for i in 0..d {
        for j in i..d {
            p[i * d + j] = m[j * d + i];
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_inverts_the_covariance() {
        // Σ = [[4, 2, 0.4], [2, 3, 0.5], [0.4, 0.5, 2]]
        let a = [4.0, 0.0, 0.0, 2.0, 3.0, 0.0, 0.4, 0.5, 2.0];
        let full = [4.0, 2.0, 0.4, 2.0, 3.0, 0.5, 0.4, 0.5, 2.0];
        let d = 3;
        let l = cholesky(&a, d).unwrap();
        let p = precision_factor(&l, d);
        // Σ P Pᵀ = I
        let get = |i: usize, j: usize| p[i * d + j];
        assert_eq!(get(2, 0), 0.0);
        for r in 0..d {
            for c in 0..d {
                let mut v = 0.0;
                for k in 0..d {
                    let ppt: f64 = (0..d).map(|m| get(k, m) * get(c, m)).sum();
                    v += full[r * d + k] * ppt;
                }
                assert!(
                    (v - f64::from(u8::from(r == c))).abs() < 1e-12,
                    "{r} {c} {v}"
                );
            }
        }
        assert!(cholesky(&[1.0, 0.0, 2.0, 1.0], 2).is_none());
    }
}
