//! The CIDR planner's VPC plan built as a network: the EC2 calls that create it, replayed
//! through the same operations and checks as any edit (`edit::apply_named`), so the plan
//! opens in the VPC builder and exports as Terraform and CloudFormation
//! (`services::ec2::network::export`) as one deployable design.
//!
//! What the calls build (the layout of the VPC console's "VPC and more", AWS VPC User
//! Guide, "Create a VPC"): the VPC; one subnet per tier in each Availability Zone; with a
//! public tier, an internet gateway and a public route table sending 0.0.0.0/0 to it;
//! with private tiers as well, one NAT gateway per AZ (in that AZ's first public subnet,
//! with an Elastic IP) and a route table per AZ sending 0.0.0.0/0 to it, so an AZ's outage
//! does not cut the others off (the NAT gateway documentation's recommendation). Without a
//! public tier the private tiers keep their local routes only.
//!
//! With `examples`, each tier also gets a security group and an instance in the first AZ
//! so reachability questions have ends: the public tier's group admits HTTP and HTTPS from
//! anywhere, the others admit all traffic from the VPC's CIDR.

use crate::core::cidr::plan::{az_letter, Plan, PlannedSubnet};
use crate::core::services::ec2::network::edit::{apply_named, Edit};
use crate::core::services::ec2::network::model::*;

/// The ids of the tier's resources are made from its name: `private app` → `private-app`.
fn slug(name: &str) -> String {
    crate::core::cidr::plan::snake(name).replace('_', "-")
}

/// Addresses of the documentation range (RFC 5737) for the design's public addresses.
fn doc_ip(last: u8) -> u32 {
    u32::from_be_bytes([192, 0, 2, last])
}

struct Builder {
    net: Network,
}

impl Builder {
    /// Makes one call; a refusal names the call and AWS's answer.
    fn call(&mut self, ids: &[String], request: Edit) -> Result<(), String> {
        let named: Vec<&str> = ids.iter().map(|s| s.as_str()).collect();
        self.net = apply_named(&self.net, &request, &named).map_err(|r| {
            format!(
                "{} was refused ({}): {}",
                request.operation(),
                r.code,
                r.messages.join(" ")
            )
        })?;
        Ok(())
    }
}

/// The subnet id of a planned subnet: `subnet-public-a`.
pub fn subnet_id(plan: &Plan, s: &PlannedSubnet) -> String {
    format!(
        "subnet-{}-{}",
        slug(&plan.tiers[s.tier].name),
        az_letter(s.az)
    )
}

/// The instance a tier's example gets with `examples`: `i-public`.
pub fn example_instance(plan: &Plan, tier: usize) -> String {
    format!("i-{}", slug(&plan.tiers[tier].name))
}

/// The network the plan describes, in us-east-1 (whose six AZs cover the planner's
/// maximum); errors name the EC2 call that refused and why.
pub fn network(plan: &Plan, examples: bool) -> Result<Network, String> {
    let region = "us-east-1";
    let zones = availability_zones(region).unwrap_or(&[]);
    let mut b = Builder {
        net: Network {
            region: region.into(),
            azs: zones.iter().map(|z| z.to_string()).collect(),
            ..Default::default()
        },
    };
    let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let vpc = "vpc-main".to_string();
    b.call(
        &ids(&["vpc-main", "acl-main", "sg-default-main", "rtb-main"]),
        Edit::CreateVpc {
            name: "planned".into(),
            cidr: Net::v4(plan.vpc.start as u32, plan.vpc.prefix),
        },
    )?;
    for s in &plan.subnets {
        let az = zones
            .get(s.az as usize)
            .ok_or_else(|| format!("{region} has no AZ number {}.", s.az + 1))?;
        b.call(
            &[subnet_id(plan, s)],
            Edit::CreateSubnet {
                name: plan.subnet_name(s),
                vpc: vpc.clone(),
                az: az.to_string(),
                cidr: Net::v4(s.block.start as u32, s.block.prefix),
            },
        )?;
    }
    let public_tier = plan.tiers.iter().position(|t| t.public);
    let has_private = plan.tiers.iter().any(|t| !t.public);
    if let Some(pt) = public_tier {
        b.call(
            &ids(&["igw-main"]),
            Edit::CreateInternetGateway {
                vpc: Some(vpc.clone()),
            },
        )?;
        route_table(&mut b, plan, "rtb-public", "public", |s| {
            plan.tiers[s.tier].public
        })?;
        b.call(
            &[],
            default_route("rtb-public", Target::Igw("igw-main".into())),
        )?;
        if has_private {
            for az in 0..plan.azs {
                let nat = format!("nat-{}", az_letter(az));
                let home = plan
                    .subnets
                    .iter()
                    .find(|s| s.tier == pt && s.az == az)
                    .map(|s| subnet_id(plan, s))
                    .ok_or("The public tier has no subnet in every AZ.")?;
                b.call(
                    std::slice::from_ref(&nat),
                    Edit::CreateNatGateway {
                        subnet: home,
                        eip: doc_ip(100 + az),
                    },
                )?;
                let table = format!("rtb-private-{}", az_letter(az));
                route_table(
                    &mut b,
                    plan,
                    &table,
                    &format!("private {}", az_letter(az)),
                    |s| !plan.tiers[s.tier].public && s.az == az,
                )?;
                b.call(&[], default_route(&table, Target::Nat(nat)))?;
            }
        }
    }
    if examples {
        add_examples(&mut b, plan)?;
    }
    Ok(b.net)
}

/// The VPC builder's state for the plan: its network with the examples, and a question
/// that shows the design working (a private tier's instance reaching the internet through
/// its NAT gateway on 443; with no private tier, the internet reaching the public one).
pub fn builder_state(plan: &Plan) -> Result<super::state::VpcState, String> {
    let net = network(plan, true)?;
    let public = plan.tiers.iter().position(|t| t.public);
    let private = plan.tiers.iter().position(|t| !t.public);
    let (from, to) = match (public, private) {
        (Some(_), Some(p)) => (example_instance(plan, p), "internet".to_string()),
        (Some(p), None) => ("internet".to_string(), example_instance(plan, p)),
        (None, _) => (example_instance(plan, 0), "internet".to_string()),
    };
    Ok(super::state::VpcState {
        template: String::new(),
        network: Some(net),
        check: example_instance(plan, public.unwrap_or(0)),
        from,
        to,
        port: "443".into(),
        ..Default::default()
    })
}

/// The builder link's query for the plan (compact, like every share link).
pub fn builder_query(plan: &Plan) -> Result<String, String> {
    builder_state(plan).map(|s| crate::core::share::compact(&super::state::to_query(&s)))
}

/// The plan as a Terraform configuration: its network without examples
/// (`services::ec2::network::export::terraform`).
pub fn terraform(plan: &Plan) -> Result<String, String> {
    network(plan, false).map(|n| crate::core::services::ec2::network::export::terraform(&n))
}

/// The plan as a CloudFormation template (JSON).
pub fn cloudformation(plan: &Plan) -> Result<String, String> {
    network(plan, false).map(|n| crate::core::services::ec2::network::export::cloudformation(&n))
}

/// CreateRouteTable for the first subnet `serves`, then AssociateRouteTable for the rest.
fn route_table(
    b: &mut Builder,
    plan: &Plan,
    id: &str,
    name: &str,
    serves: impl Fn(&PlannedSubnet) -> bool,
) -> Result<(), String> {
    let mut subnets = plan.subnets.iter().filter(|s| serves(s));
    let first = subnets.next().map(|s| subnet_id(plan, s));
    b.call(
        &[id.to_string()],
        Edit::CreateRouteTable {
            vpc: "vpc-main".into(),
            name: name.into(),
            subnet: first,
        },
    )?;
    for s in subnets {
        b.call(
            &[],
            Edit::AssociateRouteTable {
                table: id.into(),
                subnet: subnet_id(plan, s),
            },
        )?;
    }
    Ok(())
}

fn default_route(table: &str, target: Target) -> Edit {
    Edit::CreateRoute {
        table: table.into(),
        route: Route {
            dest: Dest::Cidr(Net::ANY),
            target,
        },
    }
}

/// A security group and an instance per tier, in the tier's first-AZ subnet.
fn add_examples(b: &mut Builder, plan: &Plan) -> Result<(), String> {
    let vpc_cidr = Net::v4(plan.vpc.start as u32, plan.vpc.prefix);
    for (t, tier) in plan.tiers.iter().enumerate() {
        let Some(sub) = plan.subnets.iter().find(|s| s.tier == t) else {
            continue;
        };
        // `sg-tier-…`: never one of the VPC's own ids (a tier named "default main").
        let group = format!("sg-tier-{}", slug(&tier.name));
        b.call(
            std::slice::from_ref(&group),
            Edit::CreateSecurityGroup {
                vpc: "vpc-main".into(),
                name: tier.name.trim().to_string(),
            },
        )?;
        let rules = if tier.public {
            vec![(Proto::Tcp, Ports::one(80)), (Proto::Tcp, Ports::one(443))]
        } else {
            vec![(Proto::All, Ports::ALL)]
        };
        for (proto, ports) in rules {
            let peer = if tier.public {
                Peer::Cidr(Net::ANY)
            } else {
                Peer::Cidr(vpc_cidr)
            };
            b.call(
                &[],
                Edit::AuthorizeSecurityGroupIngress {
                    group: group.clone(),
                    rule: SgRule { proto, ports, peer },
                },
            )?;
        }
        b.call(
            &[example_instance(plan, t)],
            Edit::RunInstances {
                name: format!("{} example", tier.name.trim()),
                subnet: subnet_id(plan, sub),
                ip: (sub.block.start as u32).wrapping_add(10),
                public_ip: tier.public.then(|| doc_ip(10 + t as u8)),
                groups: vec![group],
            },
        )?;
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::cidr::plan::{plan, PlanInput, Tier, TierSize};
    use crate::core::cidr::Block;
    use crate::core::services::ec2::network::query::is_public;
    use crate::core::services::ec2::network::reach::{analyze, End, Query};
    use crate::core::services::ec2::network::validate::validate;

    pub fn three_tiers(azs: u8) -> Plan {
        let tier = |name: &str, p: u8, public: bool| Tier {
            name: name.into(),
            size: TierSize::Prefix(p),
            public,
        };
        plan(&PlanInput {
            vpc: Block::parse("10.0.0.0/16").unwrap().block,
            azs,
            tiers: vec![
                tier("public", 24, true),
                tier("private app", 22, false),
                tier("data", 24, false),
            ],
        })
        .unwrap()
    }

    #[test]
    fn a_plan_builds_a_network_that_answers_reachability() {
        let p = three_tiers(3);
        let n = network(&p, true).unwrap();
        assert!(validate(&n).is_empty(), "{:?}", validate(&n));
        assert_eq!(n.subnets.len(), 9);
        // Subnets in their AZs with the plan's blocks.
        for s in &p.subnets {
            let sub = n.subnet(&subnet_id(&p, s)).unwrap();
            assert_eq!(sub.cidr.to_string(), s.block.to_string());
            assert_eq!(sub.az, format!("us-east-1{}", az_letter(s.az)));
            assert_eq!(is_public(&n, &sub.id), s.tier == 0, "{}", sub.id);
        }
        assert_eq!((n.igws.len(), n.nats.len()), (1, 3));
        // Each private subnet routes out through its own AZ's NAT gateway.
        let t = n.route_table_of("subnet-data-c").unwrap();
        assert_eq!(t.routes[0].target, Target::Nat("nat-c".into()));
        assert_eq!(
            n.nats[2].subnet, "subnet-public-c",
            "a NAT gateway lives in a public subnet of its AZ"
        );
        let q = |from: End, to: End, port| analyze(&n, &Query::new(from, to, Proto::Tcp, port));
        let inst = |t| End::Instance(example_instance(&p, t));
        assert!(q(End::Internet, inst(0), 443).reachable);
        assert!(q(inst(1), End::Internet, 443).reachable, "out through NAT");
        assert!(
            !q(End::Internet, inst(1), 443).reachable,
            "NAT is outbound only"
        );
        assert!(q(inst(0), inst(2), 5432).reachable, "inside the VPC");
        // The builder opens on the NAT question, answered yes, and its link reads back.
        let s = builder_state(&p).unwrap();
        assert_eq!(
            (s.from.as_str(), s.to.as_str()),
            ("i-private-app", "internet")
        );
        let net = s.network();
        assert!(analyze(&net, &s.query(&net).unwrap()).reachable);
        let q = builder_query(&p).unwrap();
        assert!(q.len() < 2_000, "{} characters", q.len());
        assert_eq!(super::super::state::from_query(&q).unwrap(), s);
    }

    #[test]
    fn without_a_public_tier_nothing_reaches_out() {
        let mut p = three_tiers(2);
        for t in &mut p.tiers {
            t.public = false;
        }
        let n = network(&p, true).unwrap();
        assert!(n.igws.is_empty() && n.nats.is_empty());
        let v = analyze(
            &n,
            &Query::new(
                End::Instance("i-data".into()),
                End::Internet,
                Proto::Tcp,
                443,
            ),
        );
        assert!(!v.reachable);
        // Without examples the network is the plan's alone.
        let bare = network(&three_tiers(2), false).unwrap();
        assert!(bare.instances.is_empty() && bare.groups.len() == 1);
    }
}
