//! The rules every edit must keep, each broken one with a clear message.

use super::model::*;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    pub code: &'static str,
    pub resource: String,
    pub message: String,
}

fn p(code: &'static str, resource: &str, message: String) -> Problem {
    Problem {
        code,
        resource: resource.into(),
        message,
    }
}

/// Every problem in the network; empty when it is consistent.
pub fn validate(n: &Network) -> Vec<Problem> {
    let mut out = vec![];
    unique_ids(n, &mut out);
    vpcs(n, &mut out);
    subnets(n, &mut out);
    route_tables(n, &mut out);
    nat_gateways(n, &mut out);
    endpoints(n, &mut out);
    peerings(n, &mut out);
    nacls(n, &mut out);
    groups(n, &mut out);
    interfaces(n, &mut out);
    public_addresses(n, &mut out);
    out
}

/// Every id is unique.
fn unique_ids(n: &Network, out: &mut Vec<Problem>) {
    let mut ids = BTreeSet::new();
    let all_ids = n.ids();
    for id in all_ids {
        if !ids.insert(id) {
            out.push(p(
                "DUPLICATE_ID",
                id,
                format!("Two resources are called {id}."),
            ));
        }
    }
}

/// VPCs: their IPv4 and IPv6 blocks, gateways, main route table and defaults.
fn vpcs(n: &Network, out: &mut Vec<Problem>) {
    for v in &n.vpcs {
        for (i, c) in v.cidrs.iter().enumerate() {
            if c.is_v6() {
                out.push(p(
                    "VPC_CIDR_FAMILY",
                    &v.id,
                    format!("{c}: a VPC's CIDR blocks are IPv4; an IPv6 block is associated separately."),
                ));
            } else if !(16..=28).contains(&c.prefix) {
                out.push(p(
                    "VPC_CIDR_SIZE",
                    &v.id,
                    format!("{c}: a VPC CIDR block is /16 to /28."),
                ));
            }
            for d in &v.cidrs[i + 1..] {
                if c.overlaps(*d) {
                    out.push(p(
                        "VPC_CIDR_OVERLAP",
                        &v.id,
                        format!("{c} and {d} overlap within {}.", v.id),
                    ));
                }
            }
        }
        if let Some(b) = v.ipv6 {
            if !b.is_v6() || !crate::core::cidr::explain::is_aws_v6_vpc_prefix(b.prefix) {
                out.push(p(
                    "VPC_IPV6_SIZE",
                    &v.id,
                    format!(
                        "{b}: a VPC's IPv6 block is an IPv6 prefix from {}.",
                        crate::core::cidr::explain::AWS_V6_VPC_RULE
                    ),
                ));
            }
        }
        if v.ipv6.is_none()
            && n.eigws
                .iter()
                .any(|g| crate::core::services::ec2::network::query::attached(g, &v.id))
        {
            out.push(p(
                "EIGW_WITHOUT_IPV6",
                &v.id,
                format!("{} has an egress-only internet gateway but no IPv6 block: the gateway carries IPv6 only.", v.id),
            ));
        }
        if n.igws
            .iter()
            .filter(|g| crate::core::services::ec2::network::query::attached(g, &v.id))
            .count()
            > 1
        {
            out.push(p(
                "SECOND_IGW",
                &v.id,
                format!(
                    "{} has more than one internet gateway attached; a VPC takes one.",
                    v.id
                ),
            ));
        }
        if n.route_tables
            .iter()
            .filter(|t| t.main && t.vpc == v.id)
            .count()
            != 1
        {
            out.push(p(
                "MAIN_ROUTE_TABLE",
                &v.id,
                format!("{} needs exactly one main route table.", v.id),
            ));
        }
    }
}

/// Subnets: blocks inside their VPC, sizes, overlaps, zones, IPv6.
fn subnets(n: &Network, out: &mut Vec<Problem>) {
    for (i, s) in n.subnets.iter().enumerate() {
        let Some(v) = n.vpc(&s.vpc) else {
            out.push(p(
                "MISSING_VPC",
                &s.id,
                format!("{} belongs to {}, which does not exist.", s.id, s.vpc),
            ));
            continue;
        };
        if !v.cidrs.iter().any(|c| c.contains_net(s.cidr)) {
            out.push(p(
                "SUBNET_OUTSIDE_VPC",
                &s.id,
                format!(
                    "{} is outside {}'s CIDR blocks ({}).",
                    s.cidr,
                    v.id,
                    v.cidrs
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if !(16..=28).contains(&s.cidr.prefix) {
            out.push(p(
                "SUBNET_CIDR_SIZE",
                &s.id,
                format!("{}: a subnet is /16 to /28.", s.cidr),
            ));
        }
        if s.cidr.is_v6() {
            out.push(p(
                "SUBNET_CIDR_FAMILY",
                &s.id,
                format!(
                    "{}: a subnet's CIDR block is IPv4; its IPv6 block is a separate field.",
                    s.cidr
                ),
            ));
        }
        if let Some(b) = s.ipv6 {
            match v.ipv6 {
                None => out.push(p(
                    "SUBNET_IPV6_NO_VPC_BLOCK",
                    &s.id,
                    format!("{} has the IPv6 block {b} but {} has none: associate one with the VPC first.", s.id, v.id),
                )),
                Some(vb) if !vb.contains_net(b) => out.push(p(
                    "SUBNET_IPV6_OUTSIDE_VPC",
                    &s.id,
                    format!("{b} is outside {}'s IPv6 block {vb}.", v.id),
                )),
                _ => {}
            }
            if !b.is_v6() || !crate::core::cidr::explain::is_aws_v6_subnet_prefix(b.prefix) {
                out.push(p(
                    "SUBNET_IPV6_SIZE",
                    &s.id,
                    format!(
                        "{b}: a subnet's IPv6 block is from {}.",
                        crate::core::cidr::explain::AWS_V6_SUBNET_RULE
                    ),
                ));
            }
            for t in &n.subnets[i + 1..] {
                if let Some(tb) = t.ipv6 {
                    if tb.overlaps(b) {
                        out.push(p(
                            "SUBNET_IPV6_OVERLAP",
                            &t.id,
                            format!("{} ({tb}) overlaps {} ({b}).", t.id, s.id),
                        ));
                    }
                }
            }
        }
        if !n.zones().contains(&s.az) {
            out.push(p(
                "UNKNOWN_AZ",
                &s.id,
                format!("{} is not an Availability Zone of {}.", s.az, n.region),
            ));
        }
        for t in &n.subnets[i + 1..] {
            if t.vpc == s.vpc && t.cidr.overlaps(s.cidr) {
                out.push(p(
                    "SUBNET_OVERLAP",
                    &t.id,
                    format!("{} ({}) overlaps {} ({}).", t.id, t.cidr, s.id, s.cidr),
                ));
            }
        }
    }
}

/// Route tables: targets that exist in the VPC, duplicates, associations.
fn route_tables(n: &Network, out: &mut Vec<Problem>) {
    let exists = |t: &Target, vpc: &str| -> bool {
        match t {
            Target::Local => true,
            Target::Igw(i) => n.igws.iter().any(|g| {
                &g.id == i && crate::core::services::ec2::network::query::attached(g, vpc)
            }),
            Target::Eigw(i) => n.eigws.iter().any(|g| {
                &g.id == i && crate::core::services::ec2::network::query::attached(g, vpc)
            }),
            Target::Vgw(i) => n.vgws.iter().any(|g| {
                &g.id == i && crate::core::services::ec2::network::query::attached(g, vpc)
            }),
            Target::Nat(i) => n
                .nats
                .iter()
                .any(|g| &g.id == i && n.subnet(&g.subnet).is_some_and(|s| s.vpc == vpc)),
            Target::Peering(i) => n
                .peerings
                .iter()
                .any(|g| &g.id == i && (g.requester == vpc || g.accepter == vpc)),
            Target::Endpoint(i) => n.endpoints.iter().any(|g| &g.id == i && g.vpc == vpc),
        }
    };
    for t in &n.route_tables {
        let mut dests = BTreeSet::new();
        for r in &t.routes {
            let v6 = r.dest.net().is_v6();
            match &r.target {
                Target::Eigw(g) if !v6 => out.push(p(
                    "ROUTE_EIGW_IPV4",
                    &t.id,
                    format!("{} sends {} to {g}: an egress-only internet gateway takes IPv6 routes only (use a NAT gateway for IPv4).", t.id, r.dest.net()),
                )),
                Target::Nat(g) if v6 => out.push(p(
                    "ROUTE_NAT_IPV6",
                    &t.id,
                    format!("{} sends {} to {g}: a NAT gateway translates IPv4; route IPv6 to an egress-only internet gateway.", t.id, r.dest.net()),
                )),
                _ => {}
            }
            if !exists(&r.target, &t.vpc) {
                out.push(p(
                    "ROUTE_TARGET_MISSING",
                    &t.id,
                    format!(
                        "{} sends {} to {}, which does not exist in (or is not attached to) {}.",
                        t.id,
                        r.dest.net(),
                        r.target.id(),
                        t.vpc
                    ),
                ));
            }
            if !dests.insert(r.dest.net()) {
                out.push(p(
                    "DUPLICATE_ROUTE",
                    &t.id,
                    format!("{} has two routes for {}.", t.id, r.dest.net()),
                ));
            }
        }
        for s in &t.subnets {
            if n.subnet(s).is_none_or(|x| x.vpc != t.vpc) {
                out.push(p(
                    "ASSOCIATION",
                    &t.id,
                    format!(
                        "{} is associated with {s}, which is not a subnet of {}.",
                        t.id, t.vpc
                    ),
                ));
            }
        }
    }
}

/// NAT gateways: a public subnet and an Elastic IP.
fn nat_gateways(n: &Network, out: &mut Vec<Problem>) {
    for nat in &n.nats {
        let public = super::query::public(n, &nat.subnet);
        if !public.v4 {
            let what = if public.v6 {
                "public for IPv6 only"
            } else {
                "a private subnet"
            };
            out.push(p("NAT_IN_PRIVATE_SUBNET", &nat.id, format!("{} is in {}, {what}: a public NAT gateway translates IPv4, so its subnet's route table must send 0.0.0.0/0 to the VPC's internet gateway.", nat.id, nat.subnet)));
        }
        if nat.eip.is_none() {
            out.push(p(
                "NAT_NO_EIP",
                &nat.id,
                format!(
                    "{} has no Elastic IP; a public NAT gateway needs one.",
                    nat.id
                ),
            ));
        }
    }
}

/// Endpoints: the type the service offers.
fn endpoints(n: &Network, out: &mut Vec<Problem>) {
    for e in &n.endpoints {
        if matches!(e.kind, EndpointKind::Gateway { .. }) && !e.service.has_gateway_endpoint() {
            out.push(p("ENDPOINT_TYPE", &e.id, format!("{} has no gateway endpoint: use an interface endpoint (gateway endpoints are for S3 and DynamoDB).", e.service.name())));
        }
    }
}

/// Peering connections: two existing, different VPCs without overlap.
fn peerings(n: &Network, out: &mut Vec<Problem>) {
    for pc in &n.peerings {
        match (n.vpc(&pc.requester), n.vpc(&pc.accepter)) {
            (Some(a), Some(b)) => {
                if a.id == b.id {
                    out.push(p(
                        "PEERING_SELF",
                        &pc.id,
                        format!("{} peers {} with itself.", pc.id, a.id),
                    ));
                } else if a
                    .cidrs
                    .iter()
                    .any(|x| b.cidrs.iter().any(|y| x.overlaps(*y)))
                {
                    out.push(p(
                        "PEERING_OVERLAP",
                        &pc.id,
                        format!(
                            "{} and {} have overlapping CIDR blocks and cannot peer.",
                            a.id, b.id
                        ),
                    ));
                }
            }
            _ => out.push(p(
                "PEERING_MISSING_VPC",
                &pc.id,
                format!("{} names a VPC that does not exist.", pc.id),
            )),
        }
    }
}

/// Network ACLs: rule numbers.
fn nacls(n: &Network, out: &mut Vec<Problem>) {
    for a in &n.nacls {
        for (dir, rules) in [("inbound", &a.inbound), ("outbound", &a.outbound)] {
            let mut nums = BTreeSet::new();
            for r in rules {
                if !(1..=32766).contains(&r.number) {
                    out.push(p(
                        "NACL_RULE_NUMBER",
                        &a.id,
                        format!(
                            "{} {dir} rule {}: numbers run from 1 to 32766.",
                            a.id, r.number
                        ),
                    ));
                }
                if !nums.insert(r.number) {
                    out.push(p(
                        "NACL_DUPLICATE_NUMBER",
                        &a.id,
                        format!("{} has two {dir} rules numbered {}.", a.id, r.number),
                    ));
                }
            }
        }
    }
}

/// Security groups: referenced groups exist, in the same VPC.
fn groups(n: &Network, out: &mut Vec<Problem>) {
    for g in &n.groups {
        for r in g.inbound.iter().chain(&g.outbound) {
            if let Peer::Group(other) = &r.peer {
                if n.group(other).is_none() {
                    out.push(p(
                        "SG_MISSING_GROUP",
                        &g.id,
                        format!("{} has a rule naming {other}, which does not exist.", g.id),
                    ));
                }
            }
        }
    }
}

/// Interfaces (instances' primary ones and network interfaces alike): subnet, addresses, groups.
fn interfaces(n: &Network, out: &mut Vec<Problem>) {
    // Interfaces: instances' primary ones and network interfaces alike.
    let mut ips = BTreeSet::new();
    let mut ips6 = BTreeSet::new();
    let ifaces = n
        .instances
        .iter()
        .map(|i| (&i.id, &i.subnet, i.private_ip, i.ipv6, &i.groups))
        .chain(
            n.enis
                .iter()
                .map(|e| (&e.id, &e.subnet, e.private_ip, e.ipv6, &e.groups)),
        );
    for (id, subnet, private_ip, ipv6, groups) in ifaces {
        let Some(s) = n.subnet(subnet) else {
            out.push(p(
                "MISSING_SUBNET",
                id,
                format!("{id} is in {subnet}, which does not exist."),
            ));
            continue;
        };
        let offset = private_ip.wrapping_sub(s.cidr.first4());
        let size = s.cidr.size();
        if !s.cidr.contains4(private_ip) {
            out.push(p(
                "IP_OUTSIDE_SUBNET",
                id,
                format!("{} is outside {} ({}).", ip_text(private_ip), s.id, s.cidr),
            ));
        } else if offset < 4 || offset as u128 == size - 1 {
            out.push(p("IP_RESERVED", id, format!("{} is one of the five addresses AWS reserves in {} (the first four and the last).", ip_text(private_ip), s.cidr)));
        }
        if !ips.insert((s.vpc.clone(), private_ip)) {
            out.push(p(
                "IP_IN_USE",
                id,
                format!("{} is already used in {}.", ip_text(private_ip), s.vpc),
            ));
        }
        if let Some(a6) = ipv6 {
            match s.ipv6 {
                None => out.push(p(
                    "IPV6_NO_SUBNET_BLOCK",
                    id,
                    format!(
                        "{id} has the IPv6 address {a6} but {} has no IPv6 block.",
                        s.id
                    ),
                )),
                Some(b) if !b.contains(a6) => out.push(p(
                    "IPV6_OUTSIDE_SUBNET",
                    id,
                    format!("{a6} is outside {}'s IPv6 block {b}.", s.id),
                )),
                Some(b) => {
                    let off = a6.value - b.addr;
                    if off < 4 || off == b.size() - 1 {
                        out.push(p("IPV6_RESERVED", id, format!("{a6} is one of the addresses AWS reserves in {b} (the first four and the last).")));
                    }
                }
            }
            if !ips6.insert(a6) {
                out.push(p("IPV6_IN_USE", id, format!("{a6} is already used.")));
            }
        }
        if groups.is_empty() {
            out.push(p(
                "NO_GROUP",
                id,
                format!("{id} needs at least one security group."),
            ));
        }
        for g in groups {
            match n.group(g) {
                None => out.push(p(
                    "SG_MISSING_GROUP",
                    id,
                    format!("{id} uses {g}, which does not exist."),
                )),
                Some(sg) if sg.vpc != s.vpc => out.push(p(
                    "SG_OTHER_VPC",
                    id,
                    format!("{g} belongs to {}, not to {}.", sg.vpc, s.vpc),
                )),
                _ => {}
            }
        }
    }
    for e in &n.enis {
        let Some(inst) = e.instance.as_deref() else {
            continue;
        };
        match n.instance(inst) {
            None => out.push(p(
                "ENI_MISSING_INSTANCE",
                &e.id,
                format!("{} is attached to {inst}, which does not exist.", e.id),
            )),
            Some(i) => {
                let az = |sub: &str| n.subnet(sub).map(|s| s.az.clone());
                if az(&i.subnet) != az(&e.subnet) {
                    out.push(p(
                        "ENI_OTHER_AZ",
                        &e.id,
                        format!("{} is in {} and {inst} in {}: a network interface attaches only to an instance in its own Availability Zone.", e.id, az(&e.subnet).unwrap_or_default(), az(&i.subnet).unwrap_or_default()),
                    ));
                }
            }
        }
    }
}

/// Public addresses: each used once, none private, Elastic IPs on something that exists.
fn public_addresses(n: &Network, out: &mut Vec<Problem>) {
    // Public addresses: each used once, none private, Elastic IPs on something that exists.
    let mut public = BTreeSet::new();
    let mut targets = BTreeSet::new();
    let publics = n
        .instances
        .iter()
        .filter_map(|i| i.public_ip.map(|a| (&i.id, a)))
        .chain(n.nats.iter().filter_map(|g| g.eip.map(|a| (&g.id, a))))
        .chain(n.eips.iter().map(|e| (&e.id, e.address)));
    for (id, a) in publics {
        if !public.insert(a) {
            out.push(p(
                "PUBLIC_IP_IN_USE",
                id,
                format!(
                    "{} is already in use as another public address.",
                    ip_text(a)
                ),
            ));
        }
        if is_private(Ip::v4(a)) {
            out.push(p(
                "PUBLIC_IP_PRIVATE",
                id,
                format!(
                    "{} is a private address; a public IP or Elastic IP comes from public space.",
                    ip_text(a)
                ),
            ));
        }
    }
    for e in &n.eips {
        let Some(t) = e.target.as_deref() else {
            continue;
        };
        if n.instance(t).is_none() && n.eni(t).is_none() {
            out.push(p(
                "EIP_MISSING_TARGET",
                &e.id,
                format!("{} is associated with {t}, which is neither an instance nor a network interface.", e.id),
            ));
        }
        if !targets.insert(t) {
            out.push(p(
                "EIP_SHARED_TARGET",
                &e.id,
                format!("{t} already has an Elastic IP; one address per interface in this model."),
            ));
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::templates::{self, TEMPLATES};
    use super::*;

    fn codes(n: &Network) -> Vec<&'static str> {
        validate(n).into_iter().map(|p| p.code).collect()
    }

    #[test]
    fn every_template_is_consistent() {
        for (id, _) in TEMPLATES {
            assert_eq!(validate(&templates::network(id).unwrap()), vec![], "{id}");
        }
        assert_eq!(validate(&templates::large(500, 50, 20)), vec![]);
    }

    #[test]
    fn bad_edits_are_named() {
        let mut n = templates::single_web_server();
        n.subnets[0].cidr = Net::parse("10.1.0.0/24").unwrap();
        assert_eq!(codes(&n), ["SUBNET_OUTSIDE_VPC", "IP_OUTSIDE_SUBNET"]);

        let mut n = templates::public_private_nat();
        n.subnets[1].cidr = Net::parse("10.0.0.0/23").unwrap();
        assert!(codes(&n).contains(&"SUBNET_OVERLAP"));

        let mut n = templates::single_web_server();
        n.igws.push(Gateway {
            id: "igw-2".into(),
            vpc: Some("vpc-main".into()),
        });
        assert_eq!(codes(&n), ["SECOND_IGW"]);

        let mut n = templates::single_web_server();
        n.route_tables[0].routes.push(Route {
            dest: Dest::Cidr(Net::parse("172.16.0.0/12").unwrap()),
            target: Target::Nat("nat-x".into()),
        });
        assert_eq!(codes(&n), ["ROUTE_TARGET_MISSING"]);

        let mut n = templates::public_private_nat();
        n.nats[0].subnet = "subnet-private-a".into();
        assert_eq!(codes(&n), ["NAT_IN_PRIVATE_SUBNET"]);

        let mut n = templates::single_web_server();
        n.instances[0].private_ip = parse_ip("10.0.1.3").unwrap();
        assert_eq!(codes(&n), ["IP_RESERVED"]);

        let mut n = templates::three_tier();
        n.endpoints[0].service = Service::Sqs;
        assert_eq!(codes(&n), ["ENDPOINT_TYPE"]);

        let mut n = templates::peering_chain();
        n.vpcs[1].cidrs = vec![Net::parse("10.1.0.0/16").unwrap()];
        assert!(codes(&n).contains(&"PEERING_OVERLAP"));
    }
}
