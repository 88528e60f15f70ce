//! Random draws and floating-point functions that give the same bits on
//! every platform, so the demo town is the same town natively and on wasm32.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A uniform index below `len`, the same on every platform: rand samples a
/// `usize` range from 64 random bits on 64-bit targets and from 32 on wasm32,
/// which would shift the whole random stream, so sample a `u64` range (what
/// 64-bit targets always did, keeping the story as it was written there).
pub(super) fn index(rng: &mut ChaCha8Rng, len: usize) -> usize {
    rng.gen_range(0..len as u64) as usize
}

// `f64::exp`, `ln` and `cos` call the platform's math library, whose last
// bit differs between glibc, macOS and wasm32's; a count truncated from such
// a result, or a range bounded by it, could then differ. These use only
// `+ - * /` and `sqrt`, which IEEE 754 rounds exactly everywhere (and Rust
// never fuses into FMA), so they give the same bits on every platform.

/// e^x: e^(x/1024) by its Taylor series, squared ten times (relative error
/// near 1e-13 for |x| < 20, ample for generated data).
pub(super) fn exp(x: f64) -> f64 {
    let r = x / 1024.0;
    let (mut term, mut sum) = (1.0, 1.0);
    for n in 1..=10 {
        term *= r / f64::from(n);
        sum += term;
    }
    for _ in 0..10 {
        sum *= sum;
    }
    sum
}

/// ln x for x > 0: x = m * 2^k with m in [1, 2), ln m = 2 artanh((m-1)/(m+1))
/// by its series.
pub(super) fn ln(x: f64) -> f64 {
    let (mut m, mut k) = (x, 0.0);
    while m >= 2.0 {
        m /= 2.0;
        k += 1.0;
    }
    while m < 1.0 {
        m *= 2.0;
        k -= 1.0;
    }
    let t = (m - 1.0) / (m + 1.0);
    let (t2, mut power, mut sum) = (t * t, t, 0.0);
    for n in 0..40 {
        sum += power / f64::from(2 * n + 1);
        power *= t2;
    }
    2.0 * sum + k * std::f64::consts::LN_2
}

/// cos x for x in [0, 2π]: Taylor series around the nearest of 0, π/2, π,
/// 3π/2, 2π.
pub(super) fn cos(x: f64) -> f64 {
    use std::f64::consts::FRAC_PI_2;
    let quadrant = (x / FRAC_PI_2).round();
    let r = x - quadrant * FRAC_PI_2;
    let r2 = r * r;
    // cos r and sin r, |r| <= π/4.
    let (mut c, mut s, mut term_c, mut term_s) = (1.0, r, 1.0, r);
    for n in 1..12 {
        term_c *= -r2 / f64::from((2 * n - 1) * (2 * n));
        term_s *= -r2 / f64::from((2 * n) * (2 * n + 1));
        c += term_c;
        s += term_s;
    }
    match quadrant as i64 % 4 {
        0 => c,
        1 => -s,
        2 => -c,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portable_functions_agree_with_the_platforms() {
        for k in 0..=1000 {
            let x = f64::from(k) / 100.0;
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
            assert!(close(exp(x - 5.0), (x - 5.0).exp()), "exp {x}");
            assert!(close(ln(x + 1e-3), (x + 1e-3).ln()), "ln {x}");
            let angle = x / 10.0 * std::f64::consts::TAU;
            if angle <= std::f64::consts::TAU {
                assert!(close(cos(angle), angle.cos()), "cos {angle}");
            }
        }
    }
}
