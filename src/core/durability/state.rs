//! The drive-failure page's state (as typed, so nothing the user writes is lost) and its
//! validation into model inputs with messages that name the field.

use super::model::{
    self, OneDrive, Redundancy, RedundancyInput, Scheme, MAX_DRIVES, S3_TARGET_LOSS,
};
use crate::core::format::parse_number as number;
use serde::{Deserialize, Serialize};

/// How states of older formats become today's ([`crate::core::share::Upgrade`]); none yet.
pub const UPGRADES: &[crate::core::share::Upgrade] = &[];

/// The fields of a saved [`DriveState`] and their JSON kinds: how a sandbox checks it without
/// linking its reader into every module (`sandbox::Slot::shape`; the page reads it fully).
pub const SHAPE: crate::core::share::Shape = {
    use crate::core::share::Kind;
    &[
        ("rate_kind", Kind::Text),
        ("rate", Kind::Text),
        ("period_days", Kind::Text),
        ("drives", Kind::Text),
        ("fleet_days", Kind::Text),
        ("at_least", Kind::Text),
        ("scheme", Kind::Text),
        ("set_size", Kind::Text),
        ("data", Kind::Text),
        ("parity", Kind::Text),
        ("rebuild_days", Kind::Text),
        ("drive_tb", Kind::Text),
        ("ure", Kind::Text),
    ]
};
/// The state's format version (a link's `v`, a sandbox's `tools.*.version`).
pub const VERSION: u32 = 1 + UPGRADES.len() as u32;
/// Shortest rebuild time accepted: a year then has at most 365,000 rebuild windows.
pub const MIN_REBUILD_DAYS: f64 = 0.001;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RateKind {
    /// Annualized failure rate in percent.
    #[default]
    Afr,
    /// Mean time between failures in hours.
    Mtbf,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DriveState {
    pub rate_kind: RateKind,
    pub rate: String,
    pub period_days: String,
    pub drives: String,
    pub fleet_days: String,
    pub at_least: String,
    pub scheme: Scheme,
    /// Drives in a RAID set, or copies for replication.
    pub set_size: String,
    pub data: String,
    pub parity: String,
    pub rebuild_days: String,
    pub drive_tb: String,
    /// "1e-14", "1e-15" or "0" (ignore read errors).
    pub ure: String,
}

impl Default for DriveState {
    fn default() -> Self {
        DriveState {
            rate_kind: RateKind::Afr,
            rate: "2".into(),
            period_days: "1".into(),
            drives: "1000".into(),
            fleet_days: "365".into(),
            at_least: "30".into(),
            scheme: Scheme::Raid5,
            set_size: "8".into(),
            data: "17".into(),
            parity: "3".into(),
            rebuild_days: "1".into(),
            drive_tb: "16".into(),
            ure: "1e-14".into(),
        }
    }
}

fn positive(text: &str, label: &str, max: f64, unit: &str) -> Result<f64, String> {
    let v = number(text, label)?;
    if v <= 0.0 {
        return Err(format!("{label} must be more than 0 {unit}."));
    }
    if v > max {
        return Err(format!(
            "{label} can be at most {} {unit}.",
            super::math::sig(max, 6)
        ));
    }
    Ok(v)
}

fn whole(text: &str, label: &str, min: u64, max: u64) -> Result<u64, String> {
    let v = number(text, label)?;
    if v.fract() != 0.0 {
        return Err(format!("{label} must be a whole number."));
    }
    if v < min as f64 || v > max as f64 {
        return Err(format!(
            "{label} must be from {} to {}{}.",
            crate::core::format::thousands(min as u128),
            crate::core::format::thousands(max as u128),
            if v > max as f64 && max == MAX_DRIVES {
                " (that is already more drives than any fleet on Earth)"
            } else {
                ""
            }
        ));
    }
    Ok(v as u64)
}

impl DriveState {
    /// The annualized failure rate as a fraction.
    pub fn afr(&self) -> Result<f64, String> {
        match self.rate_kind {
            RateKind::Afr => {
                let v = number(&self.rate, "AFR")?;
                if v <= 0.0 {
                    Err("AFR must be more than 0%.".into())
                } else if v > 100.0 {
                    Err(format!(
                        "AFR is a yearly probability, so it cannot exceed 100% (got {}%).",
                        self.rate.trim()
                    ))
                } else {
                    Ok(v / 100.0)
                }
            }
            RateKind::Mtbf => positive(&self.rate, "MTBF", 1e12, "hours").map(model::afr_from_mtbf),
        }
    }

    pub fn one_drive(&self) -> Result<OneDrive, Vec<String>> {
        let afr = self.afr();
        let days = positive(&self.period_days, "Period", 36_500.0, "days");
        match (afr, days) {
            (Ok(a), Ok(d)) => Ok(model::one_drive(a, d)),
            (a, d) => Err([a.err(), d.err()].into_iter().flatten().collect()),
        }
    }

    pub fn fleet(&self) -> Result<model::Fleet, Vec<String>> {
        let afr = self.afr();
        let drives = whole(&self.drives, "Drives", 1, MAX_DRIVES);
        let days = positive(&self.fleet_days, "Fleet period", 36_500.0, "days");
        let k = whole(&self.at_least, "k", 0, MAX_DRIVES);
        match (afr, drives, days, k) {
            (Ok(a), Ok(n), Ok(d), Ok(k)) => Ok(model::fleet(n, a, d, k)),
            (a, n, d, k) => Err([a.err(), n.err(), d.err(), k.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    }

    /// The scheme's (data, parity) shards.
    pub fn shape(&self) -> Result<(u32, u32), String> {
        match self.scheme {
            Scheme::Single | Scheme::Mirror => Ok(self.scheme.shape(0, 0, 0)),
            Scheme::Raid5 => whole(&self.set_size, "RAID 5 drives", 3, 32)
                .map(|n| self.scheme.shape(n as u32, 0, 0)),
            Scheme::Raid6 => whole(&self.set_size, "RAID 6 drives", 4, 32)
                .map(|n| self.scheme.shape(n as u32, 0, 0)),
            Scheme::Replication => {
                whole(&self.set_size, "Copies", 1, 10).map(|n| self.scheme.shape(n as u32, 0, 0))
            }
            Scheme::Erasure => {
                let k = whole(&self.data, "Data shards k", 1, 64)?;
                let m = whole(&self.parity, "Parity shards m", 0, 32)?;
                Ok((k as u32, m as u32))
            }
        }
    }

    pub fn redundancy_input(&self) -> Result<RedundancyInput, Vec<String>> {
        let afr = self.afr();
        let shape = self.shape();
        let days =
            positive(&self.rebuild_days, "Rebuild time", 365.0, "days").and_then(|d| {
                // The model splits a year into floor(365 / rebuild) windows counted in a
                // u32; a rebuild of nanoseconds would saturate that count (a wrong answer,
                // not an error), so the shortest rebuild is named.
                if d < MIN_REBUILD_DAYS {
                    Err(format!(
                        "Rebuild time must be at least {MIN_REBUILD_DAYS} days (about 1.4 minutes); no rebuild of a whole drive is faster."
                    ))
                } else {
                    Ok(d)
                }
            });
        let tb = positive(&self.drive_tb, "Drive size", 1000.0, "TB");
        let ure = match self.ure.trim() {
            "0" => Ok(0.0),
            "1e-14" => Ok(1e-14),
            "1e-15" => Ok(1e-15),
            other => Err(format!(
                "Read-error rate “{other}” is not one of 1e-14, 1e-15 or 0."
            )),
        };
        match (afr, shape, days, tb, ure) {
            (Ok(afr), Ok((data, parity)), Ok(rebuild_days), Ok(drive_tb), Ok(ure_per_bit)) => {
                Ok(RedundancyInput {
                    data,
                    parity,
                    afr,
                    rebuild_days,
                    drive_tb,
                    ure_per_bit,
                })
            }
            (a, s, d, t, u) => Err([a.err(), s.err(), d.err(), t.err(), u.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    }

    pub fn redundancy(&self) -> Result<Redundancy, Vec<String>> {
        self.redundancy_input().map(|i| model::redundancy(&i))
    }
}

/// One row of the side-by-side comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct MediaRow {
    pub label: &'static str,
    pub afr: f64,
    pub annual_loss: f64,
    /// Parity shards the same data count needs for eleven nines, if 32 or fewer do.
    pub parity_for_11_nines: Option<u32>,
}

/// Media whose AFRs the course notes quote: commodity HDDs 2-4%, EBS 0.1-0.2%.
pub const MEDIA: [(&str, f64); 4] = [
    ("Commodity HDD, 2% AFR", 0.02),
    ("Commodity HDD, 4% AFR", 0.04),
    ("EBS volume, 0.2% AFR", 0.002),
    ("EBS volume, 0.1% AFR", 0.001),
];

/// The chosen scheme's rebuild window and drives, on each medium.
pub fn compare(input: &RedundancyInput) -> Vec<MediaRow> {
    MEDIA
        .iter()
        .map(|(label, afr)| {
            let i = RedundancyInput {
                afr: *afr,
                ..*input
            };
            MediaRow {
                label,
                afr: *afr,
                annual_loss: model::redundancy(&i).annual_loss,
                parity_for_11_nines: model::parity_for(
                    S3_TARGET_LOSS,
                    i.data,
                    *afr,
                    i.rebuild_days,
                    i.drive_tb,
                    i.ure_per_bit,
                    32,
                ),
            }
        })
        .collect()
}

pub fn to_query(s: &DriveState) -> String {
    crate::core::share::to_query(s, VERSION)
}

pub fn from_query(q: &str) -> Result<DriveState, String> {
    crate::core::share::from_query(q, UPGRADES)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn defaults_compute() {
        let s = DriveState::default();
        assert!(s.one_drive().is_ok() && s.fleet().is_ok() && s.redundancy().is_ok());
        assert_eq!(to_query(&s), "");
        let t = DriveState {
            rate: "4".into(),
            scheme: Scheme::Erasure,
            ..Default::default()
        };
        assert_eq!(from_query(&to_query(&t)).unwrap(), t);
    }

    #[test]
    fn bad_input_is_named() {
        let e = |s: DriveState| {
            let mut all = vec![];
            all.extend(s.one_drive().err().unwrap_or_default());
            all.extend(s.fleet().err().unwrap_or_default());
            all.extend(s.redundancy().err().unwrap_or_default());
            all.join(" | ")
        };
        assert!(e(DriveState {
            rate: "150".into(),
            ..Default::default()
        })
        .contains("cannot exceed 100%"));
        assert!(e(DriveState {
            rate: "-1".into(),
            ..Default::default()
        })
        .contains("more than 0%"));
        assert!(e(DriveState {
            rate: "".into(),
            ..Default::default()
        })
        .contains("AFR: enter a number"));
        assert!(e(DriveState {
            drives: "1e12".into(),
            ..Default::default()
        })
        .contains("more drives than any fleet on Earth"));
        assert!(e(DriveState {
            drives: "-5".into(),
            ..Default::default()
        })
        .contains("Drives must be from 1"));
        assert!(e(DriveState {
            drives: "2.5".into(),
            ..Default::default()
        })
        .contains("whole number"));
        assert!(e(DriveState {
            fleet_days: "NaN".into(),
            ..Default::default()
        })
        .contains("not a number"));
        assert!(e(DriveState {
            set_size: "2".into(),
            ..Default::default()
        })
        .contains("RAID 5 drives must be from 3"));
        assert!(e(DriveState {
            rebuild_days: "0".into(),
            ..Default::default()
        })
        .contains("more than 0"));
        // Issue 12: a rebuild of 1e-9 days used to saturate the u32 count of rebuild
        // windows at 4,294,967,295 and report a durability for that count.
        for tiny in ["1e-9", "0.0009", "5e-324"] {
            assert!(
                e(DriveState {
                    rebuild_days: tiny.into(),
                    ..Default::default()
                })
                .contains("Rebuild time must be at least 0.001 days"),
                "{tiny}"
            );
        }
        let shortest = DriveState {
            rebuild_days: "0.001".into(),
            ..Default::default()
        }
        .redundancy()
        .unwrap();
        assert_eq!(shortest.periods, 365_000);
        assert!(e(DriveState {
            ure: "7".into(),
            ..Default::default()
        })
        .contains("Read-error rate"));
        let mtbf = DriveState {
            rate_kind: RateKind::Mtbf,
            rate: "1,000,000".into(),
            ..Default::default()
        };
        assert!((mtbf.afr().unwrap() - 0.008722).abs() < 1e-5);
    }

    #[test]
    fn comparison_has_every_medium() {
        let rows = compare(&DriveState::default().redundancy_input().unwrap());
        assert_eq!(rows.len(), 4);
        assert!(
            rows[0].annual_loss < rows[1].annual_loss,
            "4% AFR loses more than 2%"
        );
        assert!(rows[3].annual_loss < rows[2].annual_loss);
    }
}
