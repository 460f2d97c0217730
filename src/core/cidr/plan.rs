//! The VPC plan generator: from a VPC CIDR, a number of availability zones and tiers with a
//! size each, a non-overlapping subnet plan that leaves room to grow, with CSV and JSON
//! exports. Built as a network (internet and NAT gateways, route tables) it opens in the VPC
//! builder and exports as Terraform and CloudFormation: `core::views::vpc::plan`.
//!
//! Method: each tier gets one aligned block holding a subnet per AZ, rounded up to a power
//! of two of AZ slots (3 AZs → 4 slots, so a fourth AZ fits later without renumbering).
//! Tier blocks are placed largest first, which keeps every block aligned with no gaps; the
//! rest of the VPC stays free, listed as CIDR blocks.

use super::aws::RULES;
use super::explain::AWS_RESERVED_PER_SUBNET;
use super::ranges::range_to_blocks;
use super::{Block, Family};
use crate::core::format::thousands;
use crate::core::steps::Step;
use serde::{Deserialize, Serialize};

pub const MAX_AZS: u8 = 6;
pub const MAX_TIERS: usize = 8;
pub const MAX_TIER_NAME: usize = 32;

/// How big each subnet of a tier must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TierSize {
    /// A fixed prefix length, e.g. /24.
    Prefix(u8),
    /// At least this many usable addresses per subnet (after AWS's five reserved).
    Hosts(u64),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub name: String,
    pub size: TierSize,
    /// A public tier's subnets route to an internet gateway; the others reach out through
    /// NAT gateways (when built in the VPC builder or exported).
    #[serde(default)]
    pub public: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanInput {
    pub vpc: Block,
    pub azs: u8,
    pub tiers: Vec<Tier>,
}

/// One planned subnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedSubnet {
    pub tier: usize,
    /// 0-based AZ index; shown as a, b, c ...
    pub az: u8,
    pub block: Block,
}

impl PlannedSubnet {
    pub fn usable(&self) -> u128 {
        // Planned subnets are /28 or larger; saturating keeps any other block at 0.
        self.block
            .size()
            .unwrap_or(0)
            .saturating_sub(AWS_RESERVED_PER_SUBNET)
    }
}

/// The plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub vpc: Block,
    pub azs: u8,
    pub tiers: Vec<Tier>,
    /// Subnets in tier order, then AZ order.
    pub subnets: Vec<PlannedSubnet>,
    /// Each tier's block (its subnets plus spare AZ slots), in tier order.
    pub tier_blocks: Vec<Block>,
    /// Unused AZ slots inside tier blocks, with their tier.
    pub spare_slots: Vec<(usize, Block)>,
    /// Addresses of the VPC not given to any tier.
    pub free: Vec<Block>,
    pub steps: Vec<Step>,
}

/// The AZ letter for an index: 0 → "a".
pub fn az_letter(az: u8) -> char {
    char::from(b'a' + az.min(25))
}

/// The subnet prefix for a tier size.
pub fn tier_prefix(size: TierSize) -> Result<(u8, Step), String> {
    match size {
        TierSize::Prefix(p) => {
            if !RULES.v4_prefixes.contains(&p) {
                return Err(format!("A subnet must be /16 to /28; /{p} is not allowed."));
            }
            let n = 1u128 << (32 - p);
            Ok((
                p,
                Step::new(
                    format!("/{p} subnet"),
                    format!("2^(32 − {p}) − 5"),
                    format!("{} usable", thousands(n - 5)),
                ),
            ))
        }
        TierSize::Hosts(h) => {
            if h == 0 {
                return Err("A tier needs at least one host.".to_string());
            }
            // u64 + 5 cannot overflow u128.
            let need = h as u128 + AWS_RESERVED_PER_SUBNET;
            // The largest subnet AWS allows; checked before the prefix is worked out, so a
            // huge count is refused by name instead of wrapping `32 − log2(size)` (a tier of
            // 4,294,967,296 hosts once asked for 34,359,740,416 addresses).
            let largest_prefix = *RULES.v4_prefixes.start();
            let largest = 1u128 << (32 - largest_prefix);
            if need > largest {
                return Err(format!(
                    "{} hosts need {} addresses with AWS's five reserved, but the largest subnet is a /{largest_prefix} ({} usable). Split the tier.",
                    thousands(h as u128),
                    thousands(need),
                    thousands(largest - AWS_RESERVED_PER_SUBNET)
                ));
            }
            let size = need.next_power_of_two().max(16);
            // size ≤ 2^16 here, so the prefix is /16 to /28.
            let p = 32 - size.trailing_zeros() as u8;
            Ok((
                p,
                Step::new(
                    format!("{} hosts", thousands(h as u128)),
                    format!(
                        "{} + 5 reserved = {} → next power of two (at least 16)",
                        thousands(h as u128),
                        thousands(need)
                    ),
                    format!("{} addresses = /{p}", thousands(size)),
                ),
            ))
        }
    }
}

/// Validates a tier name: it appears in exports, so it is kept to safe characters.
pub fn check_tier_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("Give every tier a name.".to_string());
    }
    if name.chars().count() > MAX_TIER_NAME {
        return Err(format!(
            "The tier name “{name}” is longer than {MAX_TIER_NAME} characters."
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == ' '))
    {
        return Err(format!(
            "The tier name “{name}” contains “{c}”: use letters, digits, spaces, - and _."
        ));
    }
    Ok(())
}

/// Identifier form of a tier name (`private_app`); two tiers may not share one.
pub fn snake(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("t_{s}")
    } else {
        s
    }
}

/// Builds the plan, or explains why it cannot be built.
pub fn plan(input: &PlanInput) -> Result<Plan, Vec<String>> {
    let vpc = input.vpc;
    let mut errors = input_errors(input);
    let (prefixes, mut steps) = subnet_prefixes(input, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }

    let slots = AzSlots::new(input.azs);
    steps.push(slots.step());
    let tier_blocks_prefix = tier_block_prefixes(input, &prefixes, slots)?;
    steps.push(check_capacity(vpc, &tier_blocks_prefix)?);

    let (tier_blocks, next) = place_tier_blocks(vpc, &tier_blocks_prefix);
    let (subnets, spare_slots) = fill_slots(&tier_blocks, &prefixes, slots);
    let free = if next <= vpc.last() {
        range_to_blocks(Family::V4, next, vpc.last())
    } else {
        vec![]
    };
    Ok(Plan {
        vpc,
        azs: input.azs,
        tiers: input.tiers.clone(),
        subnets,
        tier_blocks,
        spare_slots,
        free,
        steps,
    })
}

/// What is wrong with the VPC CIDR, the number of AZs and the number of tiers.
fn input_errors(input: &PlanInput) -> Vec<String> {
    let mut errors = vec![];
    let vpc = input.vpc;
    if vpc.family != Family::V4 {
        errors.push("The planner lays out IPv4 subnets; give an IPv4 VPC CIDR (IPv6 subnet blocks come from the VPC's IPv6 block).".to_string());
    } else if !RULES.v4_prefixes.contains(&vpc.prefix) {
        errors.push(format!(
            "A VPC CIDR must be /16 to /28; {vpc} is a /{}.",
            vpc.prefix
        ));
    }
    if input.azs == 0 || input.azs > MAX_AZS {
        errors.push(format!("Choose 1 to {MAX_AZS} availability zones."));
    }
    if input.tiers.is_empty() {
        errors.push("Add at least one tier, for example public and private.".to_string());
    }
    if input.tiers.len() > MAX_TIERS {
        errors.push(format!("At most {MAX_TIERS} tiers."));
    }
    errors
}

/// Each tier's subnet prefix, with the step that chose it; a bad name, a duplicate name or
/// an impossible size is added to `errors` instead.
fn subnet_prefixes(input: &PlanInput, errors: &mut Vec<String>) -> (Vec<u8>, Vec<Step>) {
    let mut prefixes = vec![];
    let mut steps = vec![];
    for (i, tier) in input.tiers.iter().enumerate() {
        if let Err(e) = check_tier_name(&tier.name) {
            errors.push(e);
        }
        if input.tiers[..i]
            .iter()
            .any(|t| snake(&t.name) == snake(&tier.name))
        {
            errors.push(format!(
                "Two tiers are called “{}”; names must differ.",
                tier.name.trim()
            ));
        }
        match tier_prefix(tier.size) {
            Ok((p, step)) => {
                prefixes.push(p);
                steps.push(Step {
                    label: format!("{}: {}", tier.name.trim(), step.label),
                    ..step
                });
            }
            Err(e) => errors.push(format!("{}: {e}", tier.name.trim())),
        }
    }
    (prefixes, steps)
}

/// The AZ slots of each tier block: the number of AZs rounded up to a power of two.
#[derive(Clone, Copy)]
struct AzSlots {
    azs: u8,
    slots: u128,
    /// log2 of `slots`: how much larger a tier block is than its subnets.
    bits: u8,
}

impl AzSlots {
    fn new(azs: u8) -> AzSlots {
        let slots = (azs as u128).next_power_of_two();
        AzSlots {
            azs,
            slots,
            bits: slots.trailing_zeros() as u8,
        }
    }

    /// The step that shows the rounding, and the spare slots it leaves.
    fn step(&self) -> Step {
        let slots = self.slots;
        Step::new(
            "AZ slots per tier",
            format!("{} AZs → next power of two", self.azs),
            if slots > self.azs as u128 {
                format!(
                    "{slots} slots ({} spare for another AZ)",
                    slots - self.azs as u128
                )
            } else {
                format!("{slots} slots")
            },
        )
    }
}

/// Each tier block's prefix (its subnet prefix less the slot bits), or why a tier's block
/// cannot fit in the VPC.
fn tier_block_prefixes(
    input: &PlanInput,
    prefixes: &[u8],
    slots: AzSlots,
) -> Result<Vec<u8>, Vec<String>> {
    let vpc = input.vpc;
    let mut tier_blocks_prefix = vec![];
    for (tier, p) in input.tiers.iter().zip(prefixes) {
        if *p < vpc.prefix + slots.bits {
            return Err(vec![format!(
                "{}: {} subnets of /{p} need a /{} or larger, but the VPC is {vpc}.",
                tier.name.trim(),
                slots.slots,
                p.saturating_sub(slots.bits)
            )]);
        }
        tier_blocks_prefix.push(p - slots.bits);
    }
    Ok(tier_blocks_prefix)
}

/// The step adding up the addresses the tier blocks need against the VPC's, or why they do
/// not fit.
fn check_capacity(vpc: Block, tier_blocks_prefix: &[u8]) -> Result<Step, Vec<String>> {
    let need: u128 = tier_blocks_prefix.iter().map(|p| 1u128 << (32 - p)).sum();
    let have = vpc.size().unwrap_or(0);
    let step = Step::new(
        "Addresses the tiers need",
        tier_blocks_prefix
            .iter()
            .map(|p| thousands(1u128 << (32 - p)))
            .collect::<Vec<_>>()
            .join(" + "),
        format!(
            "{} of {} ({}%)",
            thousands(need),
            thousands(have),
            (need * 1000 / have.max(1)) as f64 / 10.0
        ),
    );
    if need > have {
        return Err(vec![format!(
            "The tiers need {} addresses but {vpc} has {}. Use a larger VPC CIDR, smaller tiers or fewer AZs.",
            thousands(need),
            thousands(have)
        )]);
    }
    Ok(step)
}

/// Places the tier blocks from the start of the VPC, largest first (which keeps every block
/// aligned); returns them in tier order, and the first address left free.
fn place_tier_blocks(vpc: Block, tier_blocks_prefix: &[u8]) -> (Vec<Block>, u128) {
    let mut order: Vec<usize> = (0..tier_blocks_prefix.len()).collect();
    order.sort_by_key(|i| (tier_blocks_prefix[*i], *i));
    let mut tier_blocks = vec![vpc; tier_blocks_prefix.len()];
    let mut next = vpc.start;
    for i in order {
        let p = tier_blocks_prefix[i];
        tier_blocks[i] = Block {
            family: Family::V4,
            start: next,
            prefix: p,
        };
        next += 1u128 << (32 - p);
    }
    (tier_blocks, next)
}

/// Cuts each tier block into its AZ slots: a subnet for each AZ, the rest spare.
fn fill_slots(
    tier_blocks: &[Block],
    prefixes: &[u8],
    slots: AzSlots,
) -> (Vec<PlannedSubnet>, Vec<(usize, Block)>) {
    let mut subnets = vec![];
    let mut spare_slots = vec![];
    for (i, tb) in tier_blocks.iter().enumerate() {
        for slot in 0..slots.slots {
            let block = tb.nth_subnet(prefixes[i], slot);
            if slot < slots.azs as u128 {
                subnets.push(PlannedSubnet {
                    tier: i,
                    az: slot as u8,
                    block,
                });
            } else {
                spare_slots.push((i, block));
            }
        }
    }
    (subnets, spare_slots)
}

impl Plan {
    fn tier_name(&self, i: usize) -> &str {
        self.tiers[i].name.trim()
    }

    /// `public-a`
    pub fn subnet_name(&self, s: &PlannedSubnet) -> String {
        format!(
            "{}-{}",
            self.tier_name(s.tier).replace(' ', "-"),
            az_letter(s.az)
        )
    }

    pub fn to_csv(&self) -> String {
        let mut out =
            String::from("tier,az,name,cidr,addresses,usable_in_aws,first_usable,last_usable\n");
        for s in &self.subnets {
            let first = super::Addr {
                family: Family::V4,
                value: s.block.start + 4,
            };
            let last = super::Addr {
                family: Family::V4,
                value: s.block.last() - 1,
            };
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                self.tier_name(s.tier),
                az_letter(s.az),
                self.subnet_name(s),
                s.block,
                s.block.size().unwrap_or(0),
                s.usable(),
                first,
                last
            ));
        }
        out
    }

    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Sub {
            name: String,
            tier: String,
            az: String,
            cidr: String,
            addresses: u128,
            usable_in_aws: u128,
        }
        #[derive(Serialize)]
        struct Out {
            vpc: String,
            availability_zones: u8,
            subnets: Vec<Sub>,
            spare_az_slots: Vec<String>,
            free: Vec<String>,
        }
        let out = Out {
            vpc: self.vpc.to_string(),
            availability_zones: self.azs,
            subnets: self
                .subnets
                .iter()
                .map(|s| Sub {
                    name: self.subnet_name(s),
                    tier: self.tier_name(s.tier).to_string(),
                    az: az_letter(s.az).to_string(),
                    cidr: s.block.to_string(),
                    addresses: s.block.size().unwrap_or(0),
                    usable_in_aws: s.usable(),
                })
                .collect(),
            spare_az_slots: self
                .spare_slots
                .iter()
                .map(|(_, b)| b.to_string())
                .collect(),
            free: self.free.iter().map(|b| b.to_string()).collect(),
        };
        serde_json::to_string_pretty(&out).unwrap_or_default()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::cidr::ranges::aggregate;
    use proptest::prelude::*;

    fn b(t: &str) -> Block {
        Block::parse(t).unwrap().block
    }

    fn tiers(spec: &[(&str, TierSize)]) -> Vec<Tier> {
        spec.iter()
            .map(|(n, s)| Tier {
                public: n.starts_with("public"),
                name: n.to_string(),
                size: *s,
            })
            .collect()
    }

    #[test]
    fn three_tiers_across_three_azs() {
        let p = plan(&PlanInput {
            vpc: b("10.0.0.0/16"),
            azs: 3,
            tiers: tiers(&[
                ("public", TierSize::Prefix(24)),
                ("private", TierSize::Hosts(1000)),
                ("data", TierSize::Hosts(200)),
            ]),
        })
        .unwrap();
        let rows: Vec<String> = p
            .subnets
            .iter()
            .map(|s| format!("{} {}", p.subnet_name(s), s.block))
            .collect();
        assert_eq!(
            rows,
            [
                "public-a 10.0.16.0/24",
                "public-b 10.0.17.0/24",
                "public-c 10.0.18.0/24",
                "private-a 10.0.0.0/22",
                "private-b 10.0.4.0/22",
                "private-c 10.0.8.0/22",
                "data-a 10.0.20.0/24",
                "data-b 10.0.21.0/24",
                "data-c 10.0.22.0/24",
            ]
        );
        assert_eq!(p.spare_slots.len(), 3, "one spare AZ slot per tier");
        assert_eq!(
            p.free.iter().map(|b| b.to_string()).collect::<Vec<_>>(),
            [
                "10.0.24.0/21",
                "10.0.32.0/19",
                "10.0.64.0/18",
                "10.0.128.0/17"
            ]
        );
        assert!(p.steps.iter().any(|s| s.formula
            == "1,000 + 5 reserved = 1,005 → next power of two (at least 16)"
            && s.result == "1,024 addresses = /22"));
    }

    #[test]
    fn host_counts_round_up_with_the_reserved_five() {
        assert_eq!(tier_prefix(TierSize::Hosts(251)).unwrap().0, 24);
        assert_eq!(tier_prefix(TierSize::Hosts(252)).unwrap().0, 23);
        assert_eq!(tier_prefix(TierSize::Hosts(11)).unwrap().0, 28);
        assert_eq!(
            tier_prefix(TierSize::Hosts(1)).unwrap().0,
            28,
            "the smallest subnet is a /28"
        );
        assert_eq!(tier_prefix(TierSize::Hosts(65_531)).unwrap().0, 16);
        assert!(tier_prefix(TierSize::Hosts(65_532))
            .unwrap_err()
            .contains("largest subnet is a /16"));
        assert!(tier_prefix(TierSize::Prefix(29)).is_err());
    }

    /// Issue 12: a tier of 2^32 hosts used to wrap `32 − trailing_zeros` in a u8 (a debug
    /// build panicked; a release build asked for 34,359,740,416 addresses).
    #[test]
    fn huge_host_counts_name_the_16_limit() {
        for h in [65_532, 1 << 31, 1 << 32, (1 << 32) + 1, u64::MAX] {
            let e = tier_prefix(TierSize::Hosts(h)).unwrap_err();
            assert!(
                e.contains("the largest subnet is a /16 (65,531 usable)"),
                "{h}: {e}"
            );
        }
        assert_eq!(
            tier_prefix(TierSize::Hosts(4_294_967_296)).unwrap_err(),
            "4,294,967,296 hosts need 4,294,967,301 addresses with AWS's five reserved, but the largest subnet is a /16 (65,531 usable). Split the tier."
        );
        assert!(tier_prefix(TierSize::Hosts(u64::MAX))
            .unwrap_err()
            .contains("18,446,744,073,709,551,620 addresses"));
        let e = plan(&PlanInput {
            vpc: b("10.0.0.0/16"),
            azs: 3,
            tiers: tiers(&[("huge", TierSize::Hosts(4_294_967_296))]),
        })
        .unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("huge: 4,294,967,296 hosts need 4,294,967,301 addresses"));
        assert!(!e[0].contains("34,359,740,416"));
    }

    #[test]
    fn refuses_what_does_not_fit_and_explains() {
        let e = plan(&PlanInput {
            vpc: b("10.0.0.0/24"),
            azs: 2,
            tiers: tiers(&[("a", TierSize::Prefix(25)), ("b", TierSize::Prefix(25))]),
        })
        .unwrap_err();
        assert!(
            e[0].contains("need 512 addresses but 10.0.0.0/24 has 256"),
            "{e:?}"
        );
        let e = plan(&PlanInput {
            vpc: b("10.0.0.0/8"),
            azs: 0,
            tiers: vec![],
        })
        .unwrap_err();
        assert_eq!(e.len(), 3);
        let e = plan(&PlanInput {
            vpc: b("10.0.0.0/16"),
            azs: 2,
            tiers: tiers(&[
                ("web\"}", TierSize::Prefix(24)),
                ("a b", TierSize::Prefix(24)),
                ("a_b", TierSize::Prefix(24)),
            ]),
        })
        .unwrap_err();
        assert!(e.iter().any(|m| m.contains("contains “\"”")));
        assert!(e.iter().any(|m| m.contains("Two tiers")));
    }

    #[test]
    fn exports_carry_every_subnet() {
        let p = plan(&PlanInput {
            vpc: b("10.0.0.0/16"),
            azs: 2,
            tiers: tiers(&[
                ("public", TierSize::Prefix(24)),
                ("private app", TierSize::Prefix(20)),
            ]),
        })
        .unwrap();
        let csv = p.to_csv();
        assert_eq!(csv.lines().count(), 1 + 4);
        assert!(csv.contains("public,a,public-a,10.0.32.0/24,256,251,10.0.32.4,10.0.32.254"));
        let json: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(json["subnets"].as_array().unwrap().len(), 4);
        assert_eq!(json["subnets"][2]["name"], "private-app-a");
        for s in &p.subnets {
            assert!(csv.contains(&s.block.to_string()));
        }
        assert_eq!(snake("9 lives"), "t_9_lives");
    }

    proptest! {
        /// Any plan that succeeds has aligned, non-overlapping subnets inside the VPC, and the
        /// subnets, spare slots and free blocks together are exactly the VPC.
        #[test]
        fn plans_tile_the_vpc(vpc_prefix in 16u8..=24, azs in 1u8..=6, sizes in proptest::collection::vec(18u8..=28, 1..5)) {
            let vpc = Block::new(Family::V4, 0x0a00_0000, vpc_prefix);
            let t: Vec<Tier> = sizes.iter().enumerate().map(|(i, p)| Tier { name: format!("t{i}"), size: TierSize::Prefix(*p), public: i == 0 }).collect();
            if let Ok(p) = plan(&PlanInput { vpc, azs, tiers: t }) {
                let mut all: Vec<Block> = p.subnets.iter().map(|s| s.block).collect();
                all.extend(p.spare_slots.iter().map(|(_, b)| *b));
                all.extend(p.free.iter().copied());
                for (i, x) in all.iter().enumerate() {
                    prop_assert!(vpc.contains(x));
                    for y in &all[i + 1..] {
                        prop_assert!(!x.overlaps(y), "{} overlaps {}", x, y);
                    }
                }
                prop_assert_eq!(aggregate(&all), vec![vpc]);
                prop_assert_eq!(p.subnets.len(), azs as usize * sizes.len());
            }
        }
    }
}
