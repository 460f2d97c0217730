//! The planner's whole state, and its form in the URL fragment.
//!
//! Format (docs/cidr.md): `#/cidr?v=1&s=<percent-encoded JSON of CidrState>`. Every field
//! is optional when reading, so old links keep working as fields are added; a newer `v` is
//! refused with a message rather than misread.

use super::aws::{SubnetInput, VpcInput};
use super::division::{Division, RowMeta, Run};
use super::plan::{PlanInput, Tier, TierSize};
use super::ranges::parse_list;
use super::{Block, Family};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version this build writes and the newest it reads.
/// How states of older formats become today's ([`crate::core::share::Upgrade`]); none yet.
pub const UPGRADES: &[crate::core::share::Upgrade] = &[];

/// The fields of a saved [`CidrState`] and their JSON kinds: how a sandbox checks it without
/// linking its reader into every module (`sandbox::Slot::shape`; the page reads it fully).
pub const SHAPE: crate::core::share::Shape = {
    use crate::core::share::Kind;
    &[
        ("tab", Kind::Text),
        ("explain", Kind::Text),
        ("table", Kind::Object),
        ("range", Kind::Text),
        ("list", Kind::Text),
        ("plan", Kind::Object),
        ("aws", Kind::Object),
    ]
};
/// The state's format version (a link's `v`, a sandbox's `tools.*.version`).
pub const VERSION: u32 = 1 + UPGRADES.len() as u32;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    #[default]
    Explain,
    Subnets,
    Lists,
    Plan,
    Aws,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Explain, Tab::Subnets, Tab::Lists, Tab::Plan, Tab::Aws];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Explain => "Explain",
            Tab::Subnets => "Subnet table",
            Tab::Lists => "Ranges & lists",
            Tab::Plan => "VPC plan",
            Tab::Aws => "AWS check",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Tab::Explain => "explain",
            Tab::Subnets => "subnets",
            Tab::Lists => "lists",
            Tab::Plan => "plan",
            Tab::Aws => "aws",
        }
    }
}

/// A run of the subnet table as stored: `[prefix, count]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRun(pub u8, pub u64);

/// A row label as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMeta {
    pub cidr: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub colour: u8,
}

fn is_zero(v: &u8) -> bool {
    *v == 0
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TableState {
    pub root: String,
    pub runs: Vec<StoredRun>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<StoredMeta>,
}

impl Default for TableState {
    fn default() -> Self {
        // The course notes' example: a /22 divided into four /24s.
        TableState {
            root: "10.0.0.0/22".into(),
            runs: vec![StoredRun(24, 4)],
            labels: vec![],
        }
    }
}

/// How a tier's size is given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SizeKind {
    /// A prefix length such as 24.
    #[default]
    Prefix,
    /// A number of usable hosts per subnet.
    Hosts,
}

/// A tier as the user typed it (the size is text until it is valid).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TierDraft {
    pub name: String,
    pub kind: SizeKind,
    pub value: String,
    /// Public (subnets route to an internet gateway) or private (out through NAT); links
    /// made before the choice existed leave it out, and a tier named "public…" is public.
    pub public: Option<bool>,
}

impl TierDraft {
    pub fn new(name: &str, kind: SizeKind, value: &str) -> TierDraft {
        TierDraft {
            name: name.into(),
            kind,
            value: value.into(),
            public: None,
        }
    }

    /// Whether the tier is public: as chosen, or by its name ("public", "public-web").
    pub fn is_public(&self) -> bool {
        self.public
            .unwrap_or_else(|| self.name.trim().to_ascii_lowercase().starts_with("public"))
    }

    /// The tier, or what is wrong with the size.
    pub fn to_tier(&self) -> Result<Tier, String> {
        let name = self.name.trim();
        let label = if name.is_empty() { "A tier" } else { name };
        let v = self.value.trim();
        let size = match self.kind {
            SizeKind::Prefix => {
                let digits = v.trim_start_matches('/');
                let p: u8 = digits
                    .parse()
                    .map_err(|_| format!("{label}: “{v}” is not a prefix length such as 24."))?;
                TierSize::Prefix(p)
            }
            SizeKind::Hosts => {
                let digits: String = v.chars().filter(|c| *c != ',' && *c != '_').collect();
                let h: u64 = digits
                    .parse()
                    .map_err(|_| format!("{label}: “{v}” is not a whole number of hosts."))?;
                TierSize::Hosts(h)
            }
        };
        Ok(Tier {
            name: self.name.clone(),
            size,
            public: self.is_public(),
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanState {
    pub vpc: String,
    pub azs: u8,
    pub tiers: Vec<TierDraft>,
}

impl Default for PlanState {
    fn default() -> Self {
        PlanState {
            vpc: "10.0.0.0/16".into(),
            azs: 3,
            tiers: vec![
                TierDraft::new("public", SizeKind::Prefix, "24"),
                TierDraft::new("private", SizeKind::Hosts, "1000"),
                TierDraft::new("data", SizeKind::Hosts, "200"),
            ],
        }
    }
}

impl PlanState {
    /// The planner's input, or every problem with the typed values.
    pub fn to_input(&self) -> Result<PlanInput, Vec<String>> {
        let mut errors = vec![];
        let vpc = Block::parse(&self.vpc)
            .map(|p| p.block)
            .map_err(|e| errors.push(format!("VPC CIDR: {e}")))
            .ok();
        let tiers: Vec<Tier> = self
            .tiers
            .iter()
            .filter_map(|t| t.to_tier().map_err(|e| errors.push(e)).ok())
            .collect();
        match vpc {
            Some(vpc) if errors.is_empty() => Ok(PlanInput {
                vpc,
                azs: self.azs,
                tiers,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AwsState {
    /// IPv4 VPC CIDRs, primary first, one per line.
    pub v4: String,
    pub v6: String,
    /// Subnets, one per line: `name cidr [ipv6-cidr]`.
    pub subnets: String,
}

impl Default for AwsState {
    fn default() -> Self {
        AwsState {
            v4: "10.0.0.0/16".into(),
            v6: String::new(),
            subnets: "public-a 10.0.0.0/24\npublic-b 10.0.1.0/24\nprivate-a 10.0.16.0/20\nprivate-b 10.0.32.0/20".into(),
        }
    }
}

impl AwsState {
    /// The checker's input and a message for every line that could not be read.
    pub fn to_input(&self) -> (VpcInput, Vec<String>) {
        let mut errors = vec![];
        let mut list = |text: &str, what: &str| -> Vec<Block> {
            let (entries, bad) = parse_list(text);
            errors.extend(bad.iter().map(|e| format!("{what}: {e}")));
            entries.iter().map(|e| e.block).collect()
        };
        let v4 = list(&self.v4, "IPv4 VPC blocks");
        let v6 = list(&self.v6, "IPv6 VPC blocks");
        let mut subnets = vec![];
        for (i, line) in self.subnets.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("");
            let tokens: Vec<&str> = line
                .split([' ', '\t', ','])
                .filter(|t| !t.is_empty())
                .collect();
            if tokens.is_empty() {
                continue;
            }
            let mut subnet = SubnetInput::default();
            for token in tokens {
                match Block::parse(token) {
                    Ok(p) if p.block.family == Family::V4 && subnet.v4.is_none() => {
                        subnet.v4 = Some(p.block)
                    }
                    Ok(p) if p.block.family == Family::V6 && subnet.v6.is_none() => {
                        subnet.v6 = Some(p.block)
                    }
                    Ok(p) => errors.push(format!(
                        "Subnets, line {}: a second {} block ({}).",
                        i + 1,
                        p.block.family.name(),
                        p.block
                    )),
                    Err(_)
                        if subnet.name.is_empty() && subnet.v4.is_none() && subnet.v6.is_none() =>
                    {
                        subnet.name = token.chars().take(40).collect()
                    }
                    Err(e) => errors.push(format!("Subnets, line {} (“{token}”): {e}", i + 1)),
                }
            }
            subnets.push(subnet);
        }
        (VpcInput { v4, v6, subnets }, errors)
    }
}

/// Everything the planner shows, for share links and sandboxes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CidrState {
    pub tab: Tab,
    pub explain: String,
    pub table: TableState,
    pub range: String,
    pub list: String,
    pub plan: PlanState,
    pub aws: AwsState,
}

impl Default for CidrState {
    fn default() -> Self {
        CidrState {
            tab: Tab::Explain,
            explain: "10.0.0.0/16".into(),
            table: TableState::default(),
            range: "23.128.1.0-23.128.7.255".into(),
            list: "10.0.0.0/24\n10.0.1.0/24\n10.0.2.0/23\n10.0.1.128/25".into(),
            plan: PlanState::default(),
            aws: AwsState::default(),
        }
    }
}

impl TableState {
    /// Stores a division.
    pub fn from_division(d: &Division) -> TableState {
        TableState {
            root: d.root().to_string(),
            runs: d
                .runs()
                .iter()
                .map(|r| StoredRun(r.prefix, r.count as u64))
                .collect(),
            labels: d
                .meta()
                .iter()
                .map(|(b, m)| StoredMeta {
                    cidr: b.to_string(),
                    note: m.note.clone(),
                    colour: m.colour,
                })
                .collect(),
        }
    }

    /// Rebuilds the division, explaining what is wrong with a hand-edited or damaged one.
    pub fn to_division(&self) -> Result<Division, String> {
        let root = Block::parse(&self.root)
            .map_err(|e| format!("The table's block: {e}"))?
            .block;
        let runs = self
            .runs
            .iter()
            .map(|r| Run {
                prefix: r.0,
                count: r.1 as u128,
            })
            .collect();
        let mut meta = BTreeMap::new();
        for m in &self.labels {
            if let Ok(p) = Block::parse(&m.cidr) {
                meta.insert(
                    p.block,
                    RowMeta {
                        note: m.note.chars().take(200).collect(),
                        colour: m.colour.min(PALETTE_SIZE),
                    },
                );
            }
        }
        Division::from_runs(root, runs, meta).map_err(|e| format!("The table's rows: {e}"))
    }
}

/// Number of row colours offered (1..=PALETTE_SIZE; 0 = none).
pub const PALETTE_SIZE: u8 = 6;

/// The query part of the fragment for a state (see [`crate::core::share`]).
pub fn to_query(state: &CidrState) -> String {
    crate::core::share::to_query(state, VERSION)
}

/// Reads the query part of the fragment. An empty query is the default state.
pub fn from_query(query: &str) -> Result<CidrState, String> {
    crate::core::share::from_query(query, UPGRADES)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Whatever a link holds, reading it and using every part of it never panics.
        #[test]
        fn any_link_is_safe(q in "\\PC{0,80}", json in "[{}\\[\\]\":,0-9a-z/. ]{0,80}") {
            for query in [q.clone(), format!("v=1&s={}", crate::core::urlcodec::encode(&json)), format!("v=1&s={q}")] {
                if let Ok(state) = from_query(&query) {
                    let _ = state.table.to_division();
                    let _ = state.plan.to_input().map(|i| crate::core::cidr::plan::plan(&i));
                    let _ = crate::core::cidr::aws::check(&state.aws.to_input().0);
                    if let Ok(p) = Block::parse(&state.explain) {
                        let _ = crate::core::cidr::explain::explain(&p);
                    }
                }
            }
        }

        #[test]
        fn any_block_text_explains_or_errs(text in "[0-9a-fA-F:./ %]{0,44}") {
            if let Ok(p) = Block::parse(&text) {
                let e = crate::core::cidr::explain::explain(&p);
                proptest::prop_assert!(!e.figures.is_empty());
            }
        }
    }

    #[test]
    fn default_round_trips() {
        let s = CidrState::default();
        assert_eq!(to_query(&s), "", "the default state needs no query");
        assert_eq!(from_query("").unwrap(), s);
        let one = CidrState {
            explain: "10.0.0.5/24".into(),
            ..Default::default()
        };
        assert_eq!(
            to_query(&one),
            "v=1&s=%7B%22explain%22:%2210.0.0.5/24%22%7D"
        );
        assert_eq!(from_query(&to_query(&one)).unwrap(), one);
    }

    #[test]
    fn edited_state_round_trips_with_a_division() {
        let mut s = CidrState {
            tab: Tab::Subnets,
            explain: "2001:db8::/56 & more \"quotes\"".into(),
            ..Default::default()
        };
        let mut d = s.table.to_division().unwrap();
        d.divide(1).unwrap();
        d.set_meta(
            d.row(0).unwrap().block,
            RowMeta {
                note: "web tier".into(),
                colour: 2,
            },
        );
        s.table = TableState::from_division(&d);
        let back = from_query(&to_query(&s)).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.table.to_division().unwrap(), d);
    }

    #[test]
    fn plan_drafts_become_input_or_errors() {
        let input = PlanState::default().to_input().unwrap();
        assert_eq!(input.tiers[1].size, TierSize::Hosts(1000));
        let mut bad = PlanState {
            vpc: "10.0.0.0/33".into(),
            ..Default::default()
        };
        bad.tiers[0].value = "abc".into();
        bad.tiers[1].value = "1,000".into();
        let errors = bad.to_input().unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("VPC CIDR:"));
        assert!(errors[1].contains("public: “abc” is not a prefix length"));
        assert_eq!(
            TierDraft::new("x", SizeKind::Prefix, "/26")
                .to_tier()
                .unwrap()
                .size,
            TierSize::Prefix(26)
        );
        assert_eq!(
            TierDraft::new("x", SizeKind::Hosts, "1,000")
                .to_tier()
                .unwrap()
                .size,
            TierSize::Hosts(1000)
        );
    }

    #[test]
    fn aws_text_becomes_checker_input() {
        let (input, errors) = AwsState::default().to_input();
        assert!(errors.is_empty());
        assert_eq!(input.subnets.len(), 4);
        assert_eq!(input.subnets[2].name, "private-a");
        assert!(
            crate::core::cidr::aws::check(&input).is_empty(),
            "the default example is valid"
        );
        let (input, errors) = AwsState {
            v4: "10.0.0.0/16\n10.0.0.300/24".into(),
            v6: "2600::/56".into(),
            subnets: "web 10.0.1.0/24 2600::/64 10.0.2.0/24\ndb 10.0.9.0/33".into(),
        }
        .to_input();
        assert_eq!(input.v4.len(), 1);
        assert_eq!(
            input.subnets[0].v6.map(|b| b.to_string()),
            Some("2600::/64".into())
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[1].contains("a second IPv4 block"));
        assert!(errors[2].contains("line 2") && errors[2].contains("/0 to /32"));
    }

    #[test]
    fn bad_links_are_explained() {
        assert!(from_query("v=9&s=%7B%7D")
            .unwrap_err()
            .contains("newer Stratus"));
        assert!(from_query("s=%7B%7D").unwrap_err().contains("no version"));
        assert!(from_query("v=1&s=%7Bnot json")
            .unwrap_err()
            .contains("damaged"));
        assert!(from_query("v=1&s=%zz")
            .unwrap_err()
            .contains("broken escape"));
        // Missing fields take defaults; unknown fields are ignored.
        let s = from_query("v=1&s=%7B%22tab%22:%22plan%22,%22future%22:1%7D").unwrap();
        assert_eq!(s.tab, Tab::Plan);
        assert_eq!(s.plan, PlanState::default());
        // A damaged table is reported when used, not when the link is read.
        let bad = TableState {
            root: "10.0.0.0/22".into(),
            runs: vec![StoredRun(24, 3)],
            labels: vec![],
        };
        assert!(bad.to_division().unwrap_err().contains("do not cover"));
    }
}
