//! The three calculators: one drive, a fleet of drives, and redundancy schemes.

use super::math::{
    at_least_once, binomial_pmf, binomial_tail, fmt_prob, fmt_prob_with_complement, nines,
    poisson_pmf, sci, sig,
};
use crate::core::format::thousands;
use crate::core::steps::{Figure, Step};

pub const DAYS_PER_YEAR: f64 = 365.0;
pub const HOURS_PER_YEAR: f64 = 8760.0;
/// Most drives a fleet may have (more is not a fleet anyone runs; the math would still work).
pub const MAX_DRIVES: u64 = 1_000_000_000;
/// S3 Standard's design target: 99.999999999% durability per object per year.
pub const S3_TARGET_LOSS: f64 = 1e-11;

/// Probability that a drive with annualized failure rate `afr` fails within `days`, under a
/// constant failure rate: 1 − (1 − AFR)^(days/365).
pub fn period_failure(afr: f64, days: f64) -> f64 {
    at_least_once(afr, days / DAYS_PER_YEAR)
}

/// AFR from MTBF in hours: 1 − exp(−8760 / MTBF).
pub fn afr_from_mtbf(mtbf_hours: f64) -> f64 {
    -(-HOURS_PER_YEAR / mtbf_hours).exp_m1()
}

/// MTBF in hours from AFR: −8760 / ln(1 − AFR).
pub fn mtbf_from_afr(afr: f64) -> f64 {
    -HOURS_PER_YEAR / (-afr).ln_1p()
}

// ---------------------------------------------------------------- one drive

/// One drive: its chance of failing per period and the dice comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct OneDrive {
    pub afr: f64,
    pub per_day: f64,
    pub per_hour: f64,
    pub per_period: f64,
    pub period_days: f64,
    pub mtbf_hours: f64,
    /// Number of dice whose all-ones probability equals the daily failure probability.
    pub dice: f64,
    pub coins: f64,
    pub figures: Vec<Figure>,
}

/// One drive's failure chances per day, hour and period, its MTBF, and the dice and coin
/// comparisons, each with its figure.
pub fn one_drive(afr: f64, period_days: f64) -> OneDrive {
    let per_day = period_failure(afr, 1.0);
    let mut d = OneDrive {
        afr,
        per_day,
        per_hour: period_failure(afr, 1.0 / 24.0),
        per_period: period_failure(afr, period_days),
        period_days,
        mtbf_hours: mtbf_from_afr(afr),
        dice: per_day.ln() / (1.0f64 / 6.0).ln(),
        coins: -per_day.log2(),
        figures: vec![],
    };
    d.figures = vec![
        afr_figure(&d),
        per_day_figure(&d),
        per_hour_figure(&d),
        per_period_figure(&d),
        mtbf_figure(&d),
        dice_figure(&d),
        coins_figure(&d),
    ];
    d
}

/// The AFR as a percentage, as the figures write it.
fn afr_pct(afr: f64) -> String {
    sig(afr * 100.0, 4)
}

/// The chance a drive fails within a year, and how it follows from the MTBF.
fn afr_figure(d: &OneDrive) -> Figure {
    Figure::new(
        "drive-afr",
        "Annualized failure rate (AFR)",
        format!("{}%", afr_pct(d.afr)),
    )
    .step(Step::new(
        "AFR and MTBF (constant rate)",
        format!(
            "1 − exp(−8760 / {})",
            if d.mtbf_hours.is_finite() {
                sig(d.mtbf_hours, 6)
            } else {
                "∞".into()
            }
        ),
        format!("{}%", sig(d.afr * 100.0, 6)),
    ))
    .note("the chance a drive fails within a year; what MTBF is converted to")
}

/// The chance of failing on a given day, from surviving a year at a constant rate.
fn per_day_figure(d: &OneDrive) -> Figure {
    let afr = d.afr;
    Figure::new("drive-per-day", "Failure chance per day", sci(d.per_day))
        .odds(d.per_day)
        .step(Step::new(
            "Survive a year",
            format!("1 − AFR = 1 − {}%", afr_pct(afr)),
            sig(1.0 - afr, 6),
        ))
        .step(Step::new(
            "Survive a day (constant rate)",
            format!(
                "(1 − p)^365 = {} ⇒ 1 − p = {}^(1/365)",
                sig(1.0 - afr, 6),
                sig(1.0 - afr, 6)
            ),
            sig(1.0 - d.per_day, 9),
        ))
        .step(Step::new(
            "Fail on a given day",
            "p = −expm1(ln(1 − AFR) / 365)",
            sci(d.per_day),
        ))
}

/// The chance of failing in a given hour.
fn per_hour_figure(d: &OneDrive) -> Figure {
    Figure::new("drive-per-hour", "Failure chance per hour", sci(d.per_hour))
        .odds(d.per_hour)
        .step(Step::new(
            "Fail in a given hour",
            "−expm1(ln(1 − AFR) / 8760)",
            sci(d.per_hour),
        ))
}

/// The chance of failing within the chosen period.
fn per_period_figure(d: &OneDrive) -> Figure {
    Figure::new(
        "drive-per-period",
        "Failure chance in the chosen period",
        fmt_prob(d.per_period),
    )
    .odds(d.per_period)
    .step(Step::new(
        format!("Fail within {} days", sig(d.period_days, 6)),
        format!("1 − (1 − AFR)^({} / 365)", sig(d.period_days, 6)),
        fmt_prob(d.per_period),
    ))
}

/// The mean time between failures, in hours and years.
fn mtbf_figure(d: &OneDrive) -> Figure {
    let mtbf_hours = d.mtbf_hours;
    Figure::new(
        "drive-mtbf",
        "Mean time between failures",
        if mtbf_hours.is_finite() {
            format!("{} hours", thousands(mtbf_hours.round() as u128))
        } else {
            "unbounded".into()
        },
    )
    .step(Step::new(
        "MTBF from AFR",
        format!("−8760 / ln(1 − {}%)", afr_pct(d.afr)),
        format!(
            "{} hours ≈ {} years",
            sig(mtbf_hours, 6),
            sig(mtbf_hours / HOURS_PER_YEAR, 4)
        ),
    ))
}

/// How many dice must all show 1 to be as unlikely as a failure today, against six 1s in a row.
fn dice_figure(d: &OneDrive) -> Figure {
    let (per_day, dice) = (d.per_day, d.dice);
    let six_ones = (1.0f64 / 6.0).powi(6);
    Figure::new(
        "drive-dice",
        "Dice that must all show 1 to be as unlikely",
        sig(dice, 3),
    )
    .step(Step::new(
        "Solve (1/6)^n = p",
        format!("n = ln({}) / ln(1/6)", sci(per_day)),
        sig(dice, 4),
    ))
    .step(Step::new(
        "Six dice all showing 1",
        "(1/6)^6",
        sci(six_ones),
    ))
    .step(Step::new(
        "A failure today vs six 1s in a row",
        format!("{} / {}", sci(per_day), sci(six_ones)),
        format!("{}×", sig(per_day / six_ones, 3)),
    ))
    .note(if per_day > six_ones {
        format!(
            "A drive failing today is {}× as likely as rolling six 1s in a row.",
            sig(per_day / six_ones, 3)
        )
    } else {
        format!(
            "Rolling six 1s in a row is {}× as likely as this drive failing today.",
            sig(six_ones / per_day, 3)
        )
    })
}

/// How many coin flips must all land heads to be as unlikely as a failure today.
fn coins_figure(d: &OneDrive) -> Figure {
    Figure::new(
        "drive-coins",
        "Coin flips that must all land heads",
        sig(d.coins, 3),
    )
    .step(Step::new(
        "Solve (1/2)^n = p",
        format!("n = −log2({})", sci(d.per_day)),
        sig(d.coins, 4),
    ))
}

// ---------------------------------------------------------------- fleet

/// One bar of the failure distribution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub k: u64,
    pub binomial: f64,
    pub poisson: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fleet {
    pub drives: u64,
    pub q: f64,
    pub expected: f64,
    pub p_any: f64,
    pub bars: Vec<Bar>,
    pub figures: Vec<Figure>,
}

/// Failures in a fleet of `drives` over `days`; `at_least` is the k of P(≥ k failures).
pub fn fleet(drives: u64, afr: f64, days: f64, at_least: u64) -> Fleet {
    let q = period_failure(afr, days);
    let n = drives as f64;
    let expected = n * q;
    let sd = (n * q * (1.0 - q)).sqrt();
    let p_any = binomial_tail(drives, 1, q);
    // P(no failure), computed directly so that P(any) near 1 keeps its precision.
    let p_none = (n * (-q).ln_1p()).exp();
    let p_k = binomial_tail(drives, at_least, q);
    let lambda_year = -(-afr).ln_1p(); // per-drive hazard per year
    let fleet_rate = n * lambda_year; // failures per year
    let mean_first_days = DAYS_PER_YEAR / fleet_rate;
    let median_first_days = DAYS_PER_YEAR * std::f64::consts::LN_2 / fleet_rate;
    // Bars: mean ± 5 sd, at most 61 of them.
    let lo = (expected - 5.0 * sd).floor().max(0.0) as u64;
    let hi = ((expected + 5.0 * sd).ceil() as u64)
        .max(lo + 4)
        .min(drives);
    let step = (hi - lo).div_ceil(60).max(1);
    let bars = (lo..=hi)
        .step_by(step as usize)
        .map(|k| Bar {
            k,
            binomial: binomial_pmf(drives, k, q),
            poisson: poisson_pmf(expected, k),
        })
        .collect();
    let d = sig(days, 6);
    let figures = vec![
        Figure::new("fleet-q", "Each drive fails in the period", fmt_prob(q))
            .odds(q)
            .step(Step::new(
                format!("One drive, {d} days"),
                format!("1 − (1 − AFR)^({d} / 365)"),
                fmt_prob(q),
            )),
        Figure::new("fleet-expected", "Expected failures", sig(expected, 4))
            .step(Step::new(
                "Drives × chance each",
                format!("{} × {}", thousands(drives as u128), fmt_prob(q)),
                sig(expected, 4),
            ))
            .note(format!(
                "Standard deviation {}; most periods see {} to {} failures.",
                sig(sd, 3),
                ((expected - 2.0 * sd).max(0.0)).round(),
                (expected + 2.0 * sd).round()
            )),
        Figure::new(
            "fleet-any",
            "At least one failure",
            fmt_prob_with_complement(p_any, p_none),
        )
        .step(Step::new(
            "No drive fails",
            format!("(1 − {})^{}", fmt_prob(q), thousands(drives as u128)),
            sci(p_none),
        ))
        .step(Step::new(
            "At least one fails",
            format!("1 − {}", sci(p_none)),
            fmt_prob_with_complement(p_any, p_none),
        )),
        Figure::new("fleet-at-least", "At least k failures", fmt_prob(p_k))
            .odds(p_k)
            .step(Step::new(
                format!(
                    "P(X ≥ {at_least}), X ~ Binomial({}, q)",
                    thousands(drives as u128)
                ),
                "sum of the smaller tail, complemented when needed",
                fmt_prob(p_k),
            )),
        Figure::new(
            "fleet-first",
            "Time to the first failure",
            format!("{} days (median)", sig(median_first_days, 3)),
        )
        .step(Step::new(
            "Fleet failure rate",
            format!("{} drives × −ln(1 − AFR)", thousands(drives as u128)),
            format!("{} per year", sig(fleet_rate, 4)),
        ))
        .step(Step::new(
            "Median wait",
            "365 × ln 2 / rate",
            format!("{} days", sig(median_first_days, 4)),
        ))
        .note(format!(
            "Mean {} days: failures arrive as a Poisson process.",
            sig(mean_first_days, 3)
        )),
    ];
    Fleet {
        drives,
        q,
        expected,
        p_any,
        bars,
        figures,
    }
}

// ---------------------------------------------------------------- redundancy

/// How data is spread over drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// One drive, no redundancy.
    Single,
    /// Two copies (RAID 1).
    Mirror,
    /// `n` drives, one parity.
    Raid5,
    /// `n` drives, two parity.
    Raid6,
    /// `n` full copies.
    Replication,
    /// `k` data + `m` parity shards.
    Erasure,
}

impl Scheme {
    pub const ALL: [Scheme; 6] = [
        Scheme::Single,
        Scheme::Mirror,
        Scheme::Raid5,
        Scheme::Raid6,
        Scheme::Replication,
        Scheme::Erasure,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Scheme::Single => "Single drive",
            Scheme::Mirror => "Mirror (RAID 1)",
            Scheme::Raid5 => "RAID 5",
            Scheme::Raid6 => "RAID 6",
            Scheme::Replication => "n-way replication",
            Scheme::Erasure => "Erasure coding k+m",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Scheme::Single => "single",
            Scheme::Mirror => "mirror",
            Scheme::Raid5 => "raid5",
            Scheme::Raid6 => "raid6",
            Scheme::Replication => "replication",
            Scheme::Erasure => "erasure",
        }
    }

    /// (data shards k, parity shards m) for the scheme's size parameters.
    pub fn shape(self, drives: u32, data: u32, parity: u32) -> (u32, u32) {
        match self {
            Scheme::Single => (1, 0),
            Scheme::Mirror => (1, 1),
            Scheme::Raid5 => (drives.saturating_sub(1), 1),
            Scheme::Raid6 => (drives.saturating_sub(2), 2),
            Scheme::Replication => (1, drives.saturating_sub(1)),
            Scheme::Erasure => (data, parity),
        }
    }
}

/// Inputs of the redundancy model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RedundancyInput {
    pub data: u32,
    pub parity: u32,
    pub afr: f64,
    pub rebuild_days: f64,
    /// Capacity of each drive in terabytes (10^12 bytes), for read errors during a rebuild.
    pub drive_tb: f64,
    /// Unrecoverable read errors per bit read (1e-14 consumer, 1e-15 enterprise); 0 = ignore.
    pub ure_per_bit: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Redundancy {
    /// Shards in all (data + parity).
    pub n: u32,
    /// Parity shards: how many can be lost at once.
    pub parity: u32,
    pub periods: u32,
    pub q: f64,
    pub p_period_failures: f64,
    pub p_ure: f64,
    pub p_period_loss: f64,
    pub annual_loss: f64,
    pub nines: f64,
    pub figures: Vec<Figure>,
}

/// Annual probability of losing data (Backblaze's model, plus read errors during rebuilds).
///
/// A year is split into `floor(365 / rebuild_days)` periods; each shard fails in a period
/// with probability AFR / periods. Data is lost in a period when more than `parity` shards
/// fail, or when exactly `parity` fail and reading the `data` surviving shards to rebuild
/// hits an unrecoverable read error. The year survives only if every period does.
pub fn redundancy(input: &RedundancyInput) -> Redundancy {
    let RedundancyInput {
        data: k,
        parity: m,
        afr,
        rebuild_days,
        drive_tb: _,
        ure_per_bit,
    } = *input;
    let n = k + m;
    let periods = ((DAYS_PER_YEAR / rebuild_days).floor() as u32).max(1);
    let q = afr / periods as f64;
    let p_period_failures = binomial_tail(n as u64, m as u64 + 1, q);
    let bits = rebuild_bits(input);
    let p_ure = if m == 0 || ure_per_bit <= 0.0 {
        0.0
    } else {
        at_least_once(ure_per_bit, bits)
    };
    let p_exactly_m = if m == 0 {
        0.0
    } else {
        binomial_pmf(n as u64, m as u64, q)
    };
    let p_period_loss = (p_period_failures + p_exactly_m * p_ure).min(1.0);
    let annual_loss = at_least_once(p_period_loss, periods as f64);
    let mut r = Redundancy {
        n,
        parity: m,
        periods,
        q,
        p_period_failures,
        p_ure,
        p_period_loss,
        annual_loss,
        nines: nines(annual_loss),
        figures: vec![],
    };
    r.figures = vec![
        periods_figure(input, &r),
        shard_failure_figure(input, &r),
        period_failures_figure(input, &r),
        read_error_figure(input, &r),
        period_loss_figure(input, &r),
        annual_loss_figure(&r),
        nines_figure(&r),
    ];
    r
}

/// Bits read to rebuild: the `data` surviving shards, each a whole drive.
fn rebuild_bits(input: &RedundancyInput) -> f64 {
    input.data as f64 * input.drive_tb * 1e12 * 8.0
}

/// The rebuild periods a year is split into.
fn periods_figure(input: &RedundancyInput, r: &Redundancy) -> Figure {
    let periods = r.periods;
    let days_per_period = DAYS_PER_YEAR / periods as f64;
    Figure::new(
        "red-periods",
        "Rebuild periods per year",
        periods.to_string(),
    )
    .step(Step::new(
        "Whole rebuild windows in a year",
        format!("floor(365 / {})", sig(input.rebuild_days, 6)),
        format!("{periods} (of {} days each)", sig(days_per_period, 4)),
    ))
}

/// The chance each shard fails in one period: the AFR spread over the periods.
fn shard_failure_figure(input: &RedundancyInput, r: &Redundancy) -> Figure {
    Figure::new("red-q", "Each shard fails in one period", sci(r.q))
        .odds(r.q)
        .step(Step::new(
            "AFR spread over the periods",
            format!("{} / {}", sig(input.afr, 6), r.periods),
            sci(r.q),
        ))
}

/// The chance more than `parity` shards fail in one period.
fn period_failures_figure(input: &RedundancyInput, r: &Redundancy) -> Figure {
    let (m, n) = (input.parity, r.n);
    Figure::new(
        "red-period-failures",
        "Too many failures in one period",
        fmt_prob(r.p_period_failures),
    )
    .odds(r.p_period_failures)
    .step(Step::new(
        format!("More than {m} of {n} shards fail"),
        format!("P(X ≥ {}), X ~ Binomial({n}, {})", m + 1, sci(r.q)),
        fmt_prob(r.p_period_failures),
    ))
}

/// The chance of an unrecoverable read error while reading the surviving shards to rebuild.
fn read_error_figure(input: &RedundancyInput, r: &Redundancy) -> Figure {
    let bits = rebuild_bits(input);
    Figure::new(
        "red-ure",
        "Read error during a rebuild",
        if input.parity == 0 {
            "not applicable".into()
        } else {
            fmt_prob(r.p_ure)
        },
    )
    .step(Step::new(
        "Bits read to rebuild",
        format!(
            "{} drives × {} TB × 8×10^12",
            input.data,
            sig(input.drive_tb, 4)
        ),
        sci(bits),
    ))
    .step(Step::new(
        "At least one unrecoverable error",
        format!("1 − (1 − {})^{}", sci(input.ure_per_bit), sci(bits)),
        fmt_prob(r.p_ure),
    ))
    .note("Fatal only when the rebuild has no parity left: exactly m shards already lost.")
}

/// The chance of losing data in one period: too many failures, or `parity` failures and a
/// read error.
fn period_loss_figure(input: &RedundancyInput, r: &Redundancy) -> Figure {
    Figure::new(
        "red-period-loss",
        "Data loss in one period",
        fmt_prob(r.p_period_loss),
    )
    .odds(r.p_period_loss)
    .step(Step::new(
        "Too many failures, or m failures and a read error",
        format!(
            "{} + P(X = {}) × {}",
            fmt_prob(r.p_period_failures),
            input.parity,
            fmt_prob(r.p_ure)
        ),
        fmt_prob(r.p_period_loss),
    ))
}

/// The chance of losing data in at least one period of the year.
fn annual_loss_figure(r: &Redundancy) -> Figure {
    Figure::new(
        "red-annual-loss",
        "Annual chance of losing data",
        fmt_prob(r.annual_loss),
    )
    .odds(r.annual_loss)
    .step(Step::new(
        "Lost in at least one period",
        format!("1 − (1 − {})^{}", fmt_prob(r.p_period_loss), r.periods),
        fmt_prob(r.annual_loss),
    ))
}

/// Durability in nines, and as a percentage.
fn nines_figure(r: &Redundancy) -> Figure {
    Figure::new(
        "red-nines",
        "Durability",
        if r.nines.is_finite() {
            format!("{} nines", r.nines.floor())
        } else {
            "no loss possible".into()
        },
    )
    .step(Step::new(
        "Nines",
        format!("−log10({})", fmt_prob(r.annual_loss)),
        sig(r.nines, 4),
    ))
    .note(durability_percent(r.annual_loss))
}

/// "99.99998500% durable per year".
pub fn durability_percent(loss: f64) -> String {
    if loss <= 0.0 {
        return "100% durable per year".into();
    }
    let n = nines(loss);
    let decimals = (n.floor() as i32 + 1).clamp(2, 15) as usize;
    format!("{:.*}% durable per year", decimals, (1.0 - loss) * 100.0)
}

/// The smallest parity count that reaches `target` annual loss with `data` shards, if any
/// within `max_parity`.
pub fn parity_for(
    target: f64,
    data: u32,
    afr: f64,
    rebuild_days: f64,
    drive_tb: f64,
    ure: f64,
    max_parity: u32,
) -> Option<u32> {
    (0..=max_parity).find(|&m| {
        redundancy(&RedundancyInput {
            data,
            parity: m,
            afr,
            rebuild_days,
            drive_tb,
            ure_per_bit: ure,
        })
        .annual_loss
            <= target
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn course_dice_demo() {
        // AFR 2%: (1 − p)^365 = 0.98 gives p = 5.53e-5, more than twice (1/6)^6 = 2.14e-5.
        let d = one_drive(0.02, 1.0);
        assert!(close(d.per_day, 5.5349e-5, 1e-4), "{}", d.per_day);
        assert!(close((1.0 - d.per_day).powf(365.0), 0.98, 1e-12));
        let fig = d.figures.iter().find(|f| f.id == "drive-per-day").unwrap();
        assert_eq!(fig.value, "5.53e-5");
        let dice = d.figures.iter().find(|f| f.id == "drive-dice").unwrap();
        assert!(
            dice.note
                .as_deref()
                .unwrap()
                .contains("2.58× as likely as rolling six 1s"),
            "{:?}",
            dice.note
        );
        assert!(d.dice > 5.0 && d.dice < 6.0, "{}", d.dice);
        assert!(close((1.0f64 / 6.0).powi(6), 2.1433e-5, 1e-4));
    }

    #[test]
    fn mtbf_round_trips() {
        for afr in [0.001, 0.02, 0.04, 0.5] {
            assert!(close(afr_from_mtbf(mtbf_from_afr(afr)), afr, 1e-12));
        }
        // 1,000,000 h MTBF ≈ 0.872% AFR.
        assert!(close(afr_from_mtbf(1e6), 0.008722, 1e-3));
        // The one-drive figures show AFR in both directions: 1,000,000 h MTBF is 0.8722% AFR,
        // 2% AFR is 433,605 h MTBF.
        let d = one_drive(afr_from_mtbf(1e6), 1.0);
        let afr_fig = d.figures.iter().find(|f| f.id == "drive-afr").unwrap();
        assert_eq!(afr_fig.value, "0.8722%");
        assert_eq!(afr_fig.steps[0].formula, "1 − exp(−8760 / 1000000)");
        let d = one_drive(0.02, 1.0);
        let mtbf = d.figures.iter().find(|f| f.id == "drive-mtbf").unwrap();
        assert_eq!(mtbf.value, "433,605 hours");
    }

    #[test]
    fn fleet_examples() {
        // Course notes: 100 drives at AFR 1% → 1 − 0.99^100 ≈ 63.4%.
        let f = fleet(100, 0.01, 365.0, 1);
        assert!(close(f.p_any, 1.0 - 0.99f64.powi(100), 1e-12));
        assert_eq!(
            f.figures
                .iter()
                .find(|x| x.id == "fleet-any")
                .unwrap()
                .value,
            "63.4%"
        );
        // Near 1 the complement is shown instead of a rounded 100%: 0.98^1000 = 1.68e-9.
        let big = fleet(1000, 0.02, 365.0, 1);
        let any = big.figures.iter().find(|x| x.id == "fleet-any").unwrap();
        assert_eq!(any.value, "1 − 1.68e-9");
        // 1,000 drives at 2-4% expect 20-40 failures a year.
        assert!(close(fleet(1000, 0.02, 365.0, 1).expected, 20.0, 1e-12));
        assert!(close(fleet(1000, 0.04, 365.0, 1).expected, 40.0, 1e-12));
        let f = fleet(1000, 0.02, 365.0, 30);
        let direct: f64 = (30..=1000).map(|k| binomial_pmf(1000, k, 0.02)).sum();
        assert!(close(
            f.figures[3]
                .value
                .trim_end_matches('%')
                .parse::<f64>()
                .unwrap()
                / 100.0,
            direct,
            1e-3
        ));
        // The Poisson approximation sits close to the binomial for a big fleet.
        let f = fleet(100_000, 0.02, 365.0, 1);
        for b in &f.bars {
            assert!((b.binomial - b.poisson).abs() < 2e-4, "{b:?}");
        }
        assert!(!f.bars.is_empty() && f.bars.len() <= 62);
    }

    #[test]
    fn backblaze_published_result() {
        // durability.py 4 2 0.10 1: annual loss 1.500e-07, period probability 4.109e-10.
        let r = redundancy(&RedundancyInput {
            data: 4,
            parity: 2,
            afr: 0.10,
            rebuild_days: 1.0,
            drive_tb: 0.0,
            ure_per_bit: 0.0,
        });
        assert_eq!(r.periods, 365);
        assert!(
            close(r.p_period_failures, 4.109e-10, 1e-3),
            "{}",
            r.p_period_failures
        );
        assert!(close(r.annual_loss, 1.500e-7, 1e-3), "{}", r.annual_loss);
        assert_eq!(r.nines.floor(), 6.0);
        // The other rows of the same published table: tolerating 0, 1, 3 and 4 failures.
        for (parity_tolerated, loss) in [(1u32, 4.105e-4), (3, 3.082e-11), (4, 3.377e-15)] {
            let rr = redundancy(&RedundancyInput {
                data: 6 - parity_tolerated,
                parity: parity_tolerated,
                afr: 0.10,
                rebuild_days: 1.0,
                drive_tb: 0.0,
                ure_per_bit: 0.0,
            });
            assert!(
                close(rr.annual_loss, loss, 2e-3),
                "parity {parity_tolerated}: {}",
                rr.annual_loss
            );
        }
    }

    #[test]
    fn read_errors_dominate_big_raid5_rebuilds() {
        // RAID 5 of 8 × 16 TB at 1e-14: reading 7 drives is 8.96e14 bits, so an error is
        // almost certain: 1 − exp(−8.96) ≈ 0.99987.
        let base = RedundancyInput {
            data: 7,
            parity: 1,
            afr: 0.02,
            rebuild_days: 2.0,
            drive_tb: 16.0,
            ure_per_bit: 1e-14,
        };
        let r = redundancy(&base);
        assert!(close(r.p_ure, -(-8.96f64).exp_m1(), 1e-9));
        let without = redundancy(&RedundancyInput {
            ure_per_bit: 0.0,
            ..base
        });
        assert!(r.annual_loss > 100.0 * without.annual_loss);
        assert!(
            redundancy(&RedundancyInput {
                ure_per_bit: 1e-15,
                ..base
            })
            .annual_loss
                < r.annual_loss
        );
    }

    #[test]
    fn eleven_nines_needs_parity() {
        let m = parity_for(S3_TARGET_LOSS, 17, 0.04, 1.0, 0.0, 0.0, 10).unwrap();
        let r = redundancy(&RedundancyInput {
            data: 17,
            parity: m,
            afr: 0.04,
            rebuild_days: 1.0,
            drive_tb: 0.0,
            ure_per_bit: 0.0,
        });
        assert!(r.annual_loss <= S3_TARGET_LOSS);
        let less = redundancy(&RedundancyInput {
            data: 17,
            parity: m - 1,
            afr: 0.04,
            rebuild_days: 1.0,
            drive_tb: 0.0,
            ure_per_bit: 0.0,
        });
        assert!(less.annual_loss > S3_TARGET_LOSS);
    }

    /// A tiny seeded generator for the Monte-Carlo check (SplitMix64).
    struct Rng(u64);
    impl Rng {
        fn next_f64(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn monte_carlo_agrees_with_the_closed_forms() {
        // A deliberately fragile setup so that a simulation sees many losses.
        let input = RedundancyInput {
            data: 4,
            parity: 2,
            afr: 0.5,
            rebuild_days: 30.0,
            drive_tb: 0.0,
            ure_per_bit: 0.0,
        };
        let r = redundancy(&input);
        let years = 200_000u32;
        let mut rng = Rng(42);
        let mut lost = 0u32;
        for _ in 0..years {
            let mut year_lost = false;
            for _ in 0..r.periods {
                let failures = (0..r.n).filter(|_| rng.next_f64() < r.q).count() as u32;
                if failures > input.parity {
                    year_lost = true;
                }
            }
            lost += year_lost as u32;
        }
        let est = lost as f64 / years as f64;
        let sd = (r.annual_loss * (1.0 - r.annual_loss) / years as f64).sqrt();
        assert!(
            (est - r.annual_loss).abs() < 4.0 * sd,
            "simulated {est}, closed form {}, sd {sd}",
            r.annual_loss
        );
        // Fleet failures: the simulated mean matches N·q.
        let (n, q) = (500u32, period_failure(0.04, 365.0));
        let trials = 2_000;
        let total: u32 = (0..trials)
            .map(|_| (0..n).filter(|_| rng.next_f64() < q).count() as u32)
            .sum();
        let mean = total as f64 / trials as f64;
        let sd = (n as f64 * q * (1.0 - q) / trials as f64).sqrt();
        assert!((mean - n as f64 * q).abs() < 4.0 * sd, "{mean}");
    }

    proptest! {
        #[test]
        // From m = 0 to m = 1 read errors enter the model (a single drive is never rebuilt),
        // so with read errors the property is stated from one parity shard up.
        fn more_parity_never_lowers_durability(k in 1u32..20, m0 in 0u32..5, afr in 0.001f64..0.5, days in 0.5f64..60.0, tb in 0.0f64..20.0, ure in prop_oneof![Just(0.0), Just(1e-14), Just(1e-15)]) {
            let m = if ure > 0.0 { m0.max(1) } else { m0 };
            let a = redundancy(&RedundancyInput { data: k, parity: m, afr, rebuild_days: days, drive_tb: tb, ure_per_bit: ure });
            let b = redundancy(&RedundancyInput { data: k, parity: m + 1, afr, rebuild_days: days, drive_tb: tb, ure_per_bit: ure });
            prop_assert!(b.annual_loss <= a.annual_loss * (1.0 + 1e-12), "{} > {}", b.annual_loss, a.annual_loss);
        }

        #[test]
        fn longer_rebuilds_never_raise_durability(k in 1u32..20, m in 0u32..5, afr in 0.001f64..0.5, d1 in 0.5f64..60.0, extra in 0.0f64..100.0) {
            let short = redundancy(&RedundancyInput { data: k, parity: m, afr, rebuild_days: d1, drive_tb: 0.0, ure_per_bit: 0.0 });
            let long = redundancy(&RedundancyInput { data: k, parity: m, afr, rebuild_days: d1 + extra, drive_tb: 0.0, ure_per_bit: 0.0 });
            prop_assert!(long.annual_loss >= short.annual_loss * (1.0 - 1e-9), "{} < {}", long.annual_loss, short.annual_loss);
        }

        #[test]
        fn probabilities_stay_in_range(afr in 1e-9f64..=1.0, days in 1e-3f64..3650.0, n in 1u64..1_000_000) {
            let p = period_failure(afr, days);
            prop_assert!((0.0..=1.0).contains(&p));
            let f = fleet(n, afr, days, 2);
            prop_assert!((0.0..=1.0).contains(&f.p_any));
        }
    }
}
