//! Numerically careful probability functions.

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error ~1e-15).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection formula.
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// ln C(n, k).
pub fn ln_choose(n: u64, k: u64) -> f64 {
    if k > n {
        return f64::NEG_INFINITY;
    }
    let k = k.min(n - k);
    if k < 30 {
        // Exact enough and cheaper for the small k of redundancy schemes.
        (1..=k).map(|i| ((n - k + i) as f64 / i as f64).ln()).sum()
    } else {
        ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
    }
}

/// P(X = k) for X ~ Binomial(n, q).
pub fn binomial_pmf(n: u64, k: u64, q: f64) -> f64 {
    if k > n {
        return 0.0;
    }
    if q <= 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    if q >= 1.0 {
        return if k == n { 1.0 } else { 0.0 };
    }
    (ln_choose(n, k) + k as f64 * q.ln() + (n - k) as f64 * (-q).ln_1p()).exp()
}

/// P(X ≥ r) for X ~ Binomial(n, q), accurate in both tails: the small tail is summed
/// directly, and the large one is 1 minus the small one.
pub fn binomial_tail(n: u64, r: u64, q: f64) -> f64 {
    if r == 0 {
        return 1.0;
    }
    if r > n {
        return 0.0;
    }
    if r == 1 {
        return at_least_once(q, n as f64);
    }
    let mean = n as f64 * q;
    if (r as f64) > mean {
        sum_terms(n, q, r..=n)
    } else {
        1.0 - sum_terms(n, q, (0..r).rev())
    }
}

/// Sums pmf terms moving away from the mean, stopping once they no longer matter. Terms
/// only shrink in that direction, so a term that underflows to 0 ends the sum (without
/// this, a k far out in a billion-drive fleet would walk a billion terms).
fn sum_terms(n: u64, q: f64, ks: impl Iterator<Item = u64>) -> f64 {
    let mut sum = 0.0;
    for k in ks {
        let term = binomial_pmf(n, k, q);
        sum += term;
        if term == 0.0 || term < sum * 1e-18 {
            break;
        }
    }
    sum.min(1.0)
}

/// 1 − (1 − p)^n without cancellation: −expm1(n·ln1p(−p)).
pub fn at_least_once(p: f64, n: f64) -> f64 {
    if p >= 1.0 {
        return if n > 0.0 { 1.0 } else { 0.0 };
    }
    -(n * (-p).ln_1p()).exp_m1()
}

/// P(X = k) for X ~ Poisson(λ).
pub fn poisson_pmf(lambda: f64, k: u64) -> f64 {
    if lambda <= 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    (k as f64 * lambda.ln() - lambda - ln_gamma(k as f64 + 1.0)).exp()
}

/// "Nines" of a durability: −log10(loss probability); ∞ for a loss of 0.
pub fn nines(loss: f64) -> f64 {
    if loss <= 0.0 {
        f64::INFINITY
    } else {
        -loss.log10()
    }
}

/// Formats a probability for people: "0.0553%" for ordinary values, "5.53e-5" style with
/// three significant digits for tiny ones, "1 − 2.1e-9" when it is near 1 and the
/// complement is known.
pub fn fmt_prob(p: f64) -> String {
    if p.is_nan() {
        return "undefined".into();
    }
    if p == 0.0 {
        return "0".into();
    }
    if p >= 1.0 {
        return "1 (certain)".into();
    }
    if p < 1e-3 {
        return sci(p);
    }
    format!("{}%", sig(p * 100.0, 4))
}

/// Formats a probability given with its complement (computed separately, without
/// cancellation): near 1 it reads "1 − 1.68e-9" instead of a rounded "100%".
pub fn fmt_prob_with_complement(p: f64, complement: f64) -> String {
    if p > 0.999 && complement > 0.0 {
        format!("1 − {}", sci(complement))
    } else {
        fmt_prob(p)
    }
}

/// Scientific notation with 3 significant digits: 5.53e-5.
pub fn sci(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let exp = x.abs().log10().floor() as i32;
    let mut mant = x / 10f64.powi(exp);
    let mut exp = exp;
    if (mant * 100.0).round() >= 1000.0 {
        mant /= 10.0;
        exp += 1;
    }
    format!("{:.2}e{}", mant, exp)
}

/// A number with `digits` significant digits, without trailing zeros.
pub fn sig(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor() as i32;
    let decimals = (digits - 1 - mag).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    #[test]
    fn gamma_matches_factorials() {
        let mut f = 1.0f64;
        for n in 1..=30u32 {
            f *= n as f64;
            assert!(close(ln_gamma(n as f64 + 1.0), f.ln(), 1e-13), "{n}");
        }
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-13
        ));
        // C(100, 50) = 100891344545564193334812497256
        assert!(close(
            ln_choose(100, 50),
            100891344545564193334812497256f64.ln(),
            1e-13
        ));
        assert!(close(ln_choose(6, 3), 20f64.ln(), 1e-15));
    }

    #[test]
    fn binomial_wikipedia_values() {
        // The Backblaze model's own test cases (from Wikipedia).
        assert!(close(binomial_pmf(6, 0, 0.3), 0.117649, 1e-6));
        assert!(close(binomial_pmf(6, 1, 0.3), 0.302526, 1e-6));
        assert!(close(binomial_pmf(6, 2, 0.3), 0.324135, 1e-6));
        assert!(close(1.0 - binomial_tail(6, 3, 0.3), 0.744310, 1e-6));
    }

    #[test]
    fn tiny_probabilities_do_not_collapse() {
        // Backblaze test vectors for 1 − (1 − p)^200.
        assert!(close(at_least_once(1e-3, 200.0), 0.18135117, 1e-7));
        assert!(close(at_least_once(1e-6, 200.0), 1.999801e-4, 1e-6));
        assert!(close(at_least_once(1e-12, 200.0), 2.0e-10, 1e-9));
        assert!(close(at_least_once(1e-20, 200.0), 2.0e-18, 1e-9));
        // The naive formula loses everything here.
        assert_eq!(1.0 - (1.0 - 1e-20f64).powf(200.0), 0.0);
        // Upper tails far below 1e-12 stay exact: P(X ≥ 5) for Bin(6, 1e-4) ≈ 6e-20.
        let t = binomial_tail(6, 5, 1e-4);
        let exact = 6.0 * 1e-20 * (1.0 - 1e-4) + 1e-24;
        assert!(close(t, exact, 1e-9), "{t}");
        // And near 1: P(X ≥ 1) for a huge fleet is 1 − tiny, not rounded garbage.
        assert!(binomial_tail(1_000_000, 1, 0.02) == 1.0);
        assert!(close(
            1.0 - binomial_tail(100, 1, 0.01),
            0.99f64.powi(100),
            1e-12
        ));
    }

    #[test]
    fn tails_agree_with_direct_sums() {
        for (n, q) in [(10u64, 0.3), (50, 0.02), (200, 0.5), (1000, 0.001)] {
            for r in 0..=n.min(40) {
                let direct: f64 = (r..=n).map(|k| binomial_pmf(n, k, q)).sum();
                assert!(
                    close(binomial_tail(n, r, q), direct.min(1.0), 1e-9),
                    "n={n} q={q} r={r}"
                );
            }
        }
    }

    #[test]
    fn far_tails_of_huge_fleets_end_quickly() {
        // k = half a billion failures among a billion drives at 2%: 0, found at once.
        assert_eq!(binomial_tail(1_000_000_000, 500_000_000, 0.02), 0.0);
        // And just past the mean the tail is about a half.
        let t = binomial_tail(1_000_000_000, 20_000_001, 0.02);
        assert!((t - 0.5).abs() < 0.01, "{t}");
    }

    #[test]
    fn poisson_sums_to_one() {
        let s: f64 = (0..200).map(|k| poisson_pmf(20.0, k)).sum();
        assert!(close(s, 1.0, 1e-12));
        assert!(close(poisson_pmf(2.0, 3), 8.0 / 6.0 * (-2f64).exp(), 1e-13));
    }

    #[test]
    fn formatting() {
        assert_eq!(sci(5.5354e-5), "5.54e-5");
        assert_eq!(sci(9.996e-4), "1.00e-3");
        assert_eq!(fmt_prob(0.634), "63.4%");
        assert_eq!(fmt_prob(2.14e-5), "2.14e-5");
        assert_eq!(fmt_prob(0.0), "0");
        assert_eq!(sig(365.0, 4), "365");
        assert_eq!(sig(2.6667, 3), "2.67");
        assert_eq!(nines(1e-11).round(), 11.0);
        assert_eq!(
            fmt_prob_with_complement(1.0 - 1.68e-9, 1.68e-9),
            "1 − 1.68e-9"
        );
        assert_eq!(fmt_prob_with_complement(0.5, 0.5), "50%");
    }
}
