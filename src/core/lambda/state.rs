//! The Lambda page's state (as typed) and its validation.

use super::{Arch, Billing, LambdaInput};
use crate::core::format::parse_number as number;
use serde::{Deserialize, Serialize};

/// How states of older formats become today's ([`crate::core::share::Upgrade`]); none yet.
pub const UPGRADES: &[crate::core::share::Upgrade] = &[];

/// The fields of a saved [`LambdaState`] and their JSON kinds: how a sandbox checks it without
/// linking its reader into every module (`sandbox::Slot::shape`; the page reads it fully).
pub const SHAPE: crate::core::share::Shape = {
    use crate::core::share::Kind;
    &[
        ("invocations", Kind::Text),
        ("per", Kind::Text),
        ("duration_ms", Kind::Text),
        ("memory_mb", Kind::Text),
        ("arch", Kind::Text),
        ("ephemeral_mb", Kind::Text),
        ("free_tier", Kind::Flag),
        ("historic", Kind::Flag),
        ("scale_duration", Kind::Flag),
        ("provisioned", Kind::Flag),
        ("pc_concurrency", Kind::Text),
        ("pc_hours", Kind::Text),
    ]
};
/// The state's format version (a link's `v`, a sandbox's `tools.*.version`).
pub const VERSION: u32 = 1 + UPGRADES.len() as u32;
/// Hours in a billing month, as the AWS Pricing Calculator counts them.
pub const MONTH_HOURS: f64 = 730.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    Second,
    Day,
    #[default]
    Month,
}

impl Per {
    /// How many of this unit fit in a 730-hour month.
    pub fn per_month(self) -> f64 {
        match self {
            Per::Second => MONTH_HOURS * 3600.0,
            Per::Day => MONTH_HOURS / 24.0,
            Per::Month => 1.0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LambdaState {
    pub invocations: String,
    pub per: Per,
    pub duration_ms: String,
    pub memory_mb: String,
    pub arch: Arch,
    pub ephemeral_mb: String,
    pub free_tier: bool,
    /// Show the course notes' historic 100 ms rounding beside today's bill.
    pub historic: bool,
    /// Chart assumption: duration shrinks as memory grows, up to 1 vCPU at 1,769 MB.
    pub scale_duration: bool,
    /// Price the same traffic with provisioned concurrency beside on-demand.
    pub provisioned: bool,
    /// Provisioned concurrency: execution environments, as typed.
    pub pc_concurrency: String,
    /// Hours a month provisioned concurrency is enabled, as typed.
    pub pc_hours: String,
}

impl Default for LambdaState {
    fn default() -> Self {
        // The AWS pricing page's example.
        LambdaState {
            invocations: "3,000,000".into(),
            per: Per::Month,
            duration_ms: "1000".into(),
            memory_mb: "512".into(),
            arch: Arch::X86,
            ephemeral_mb: "512".into(),
            free_tier: true,
            historic: false,
            scale_duration: false,
            provisioned: false,
            pc_concurrency: "10".into(),
            pc_hours: "730".into(),
        }
    }
}

fn whole_mb(text: &str, label: &str) -> Result<u32, String> {
    let v = number(text, label)?;
    if v.fract() != 0.0 || v < 0.0 || v > u32::MAX as f64 {
        return Err(format!("{label} is set in whole megabytes (1 MB steps)."));
    }
    Ok(v as u32)
}

impl LambdaState {
    /// Provisioned concurrency settings, or every problem found.
    pub fn provisioned(&self) -> Result<super::Provisioned, Vec<String>> {
        let c = number(&self.pc_concurrency, "Provisioned concurrency").and_then(|v| {
            if v.fract() != 0.0 || v < 0.0 || v > u32::MAX as f64 {
                Err(
                    "Provisioned concurrency is a whole number of execution environments."
                        .to_string(),
                )
            } else {
                Ok(v as u32)
            }
        });
        let h = number(&self.pc_hours, "Hours enabled");
        match (c, h) {
            (Ok(concurrency), Ok(hours)) => {
                let pc = super::Provisioned { concurrency, hours };
                super::validate_provisioned(&pc).map(|_| pc)
            }
            (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
        }
    }

    /// The model input for today's rules, or every problem found.
    pub fn input(&self) -> Result<LambdaInput, Vec<String>> {
        let rate = number(&self.invocations, "Invocations");
        let rate = rate.and_then(|r| {
            if r < 0.0 {
                Err("Invocations cannot be negative.".to_string())
            } else {
                Ok(r)
            }
        });
        let monthly = rate.map(|r| r * self.per.per_month());
        let ms = number(&self.duration_ms, "Duration");
        let mem = whole_mb(&self.memory_mb, "Memory");
        let eph = whole_mb(&self.ephemeral_mb, "Ephemeral storage");
        match (monthly, ms, mem, eph) {
            (Ok(invocations_month), Ok(duration_ms), Ok(memory_mb), Ok(ephemeral_mb)) => {
                let i = LambdaInput {
                    invocations_month,
                    duration_ms,
                    memory_mb,
                    arch: self.arch,
                    ephemeral_mb,
                    free_tier: self.free_tier,
                    billing: Billing::Current,
                };
                super::validate(&i).map(|_| i)
            }
            (a, b, c, d) => Err([a.err(), b.err(), c.err(), d.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    }
}

pub fn to_query(s: &LambdaState) -> String {
    crate::core::share::to_query(s, VERSION)
}

pub fn from_query(q: &str) -> Result<LambdaState, String> {
    crate::core::share::from_query(q, UPGRADES)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn default_is_the_aws_example() {
        let i = LambdaState::default().input().unwrap();
        assert_eq!(i.invocations_month, 3e6);
        assert_eq!(
            crate::core::lambda::money(
                crate::core::lambda::bill(&crate::core::lambda::US_EAST_1, &i).total
            ),
            "$18.73"
        );
        assert_eq!(to_query(&LambdaState::default()), "");
    }

    #[test]
    fn provisioned_settings() {
        let s = LambdaState {
            provisioned: true,
            pc_concurrency: "7".into(),
            pc_hours: "24".into(),
            ..Default::default()
        };
        assert_eq!(
            s.provisioned(),
            Ok(crate::core::lambda::Provisioned {
                concurrency: 7,
                hours: 24.0
            })
        );
        let bad = LambdaState {
            pc_concurrency: "2.5".into(),
            pc_hours: "".into(),
            ..Default::default()
        };
        let e = bad.provisioned().unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e[0].contains("whole number"));
        assert!(e[1].contains("Hours enabled: enter a number"));
        // Links from before provisioned concurrency still open, with it off.
        let old = format!(
            "v=1&s={}",
            crate::core::urlcodec::encode(r#"{"memory_mb":"1024"}"#)
        );
        let s = from_query(&old).unwrap();
        assert_eq!((s.memory_mb.as_str(), s.provisioned), ("1024", false));
    }

    #[test]
    fn rates_convert_to_a_730_hour_month() {
        let s = LambdaState {
            invocations: "1".into(),
            per: Per::Second,
            ..Default::default()
        };
        assert_eq!(s.input().unwrap().invocations_month, 2_628_000.0);
        let d = LambdaState {
            invocations: "24".into(),
            per: Per::Day,
            ..Default::default()
        };
        assert_eq!(d.input().unwrap().invocations_month, 730.0);
    }

    #[test]
    fn bad_input_is_named() {
        let e = |s: LambdaState| s.input().unwrap_err().join(" | ");
        assert!(e(LambdaState {
            invocations: "-5".into(),
            ..Default::default()
        })
        .contains("cannot be negative"));
        assert!(e(LambdaState {
            invocations: "1e30".into(),
            ..Default::default()
        })
        .contains("beyond any real workload"));
        assert!(e(LambdaState {
            invocations: "".into(),
            ..Default::default()
        })
        .contains("Invocations: enter a number"));
        assert!(e(LambdaState {
            duration_ms: "NaN".into(),
            ..Default::default()
        })
        .contains("not a number"));
        assert!(e(LambdaState {
            memory_mb: "1000.5".into(),
            ..Default::default()
        })
        .contains("whole megabytes"));
        assert!(e(LambdaState {
            memory_mb: "64".into(),
            ..Default::default()
        })
        .contains("64 MB is not allowed"));
        assert!(e(LambdaState {
            memory_mb: "10241".into(),
            ..Default::default()
        })
        .contains("10241 MB is not allowed"));
    }
}
