//! The network as infrastructure code: a Terraform configuration (HCL, AWS provider 5
//! resource types) and a CloudFormation template (JSON) that deploy the same resources —
//! VPCs and their CIDR blocks, subnets (`map_public_ip_on_launch` on public ones),
//! internet, egress-only and virtual private gateways with their attachments, NAT gateways
//! with their Elastic IPs, route tables with their routes and associations, security groups
//! and their rules, network ACLs with their entries and associations, peering connections,
//! VPC endpoints, instances, network interfaces and Elastic IPs.
//!
//! Both come from one list of resources ([`resources`]), so the two exports cannot drift
//! apart. What a template cannot say (an address AWS assigns, an edited default NACL) is
//! listed in the export's header (Terraform comments; CloudFormation `Metadata`) instead
//! of being dropped silently.
//!
//! Sources: Terraform AWS provider resource documentation (aws_vpc, aws_subnet,
//! aws_route, aws_vpc_security_group_ingress_rule …) and the CloudFormation resource
//! reference (AWS::EC2::*), whose argument names are used as they are.

use super::model::*;
use super::query::public;
use std::collections::BTreeSet;
use std::fmt::Write;

/// The AMI instances are launched from in both exports: the public SSM parameter that
/// names the latest Amazon Linux 2023 image (AWS docs, "Query for the latest Amazon Linux
/// AMI IDs using Systems Manager Parameter Store").
pub const AMI_PARAMETER: &str =
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/// The instance type the model's instances are exported with (the model has none).
pub const INSTANCE_TYPE: &str = "t3.micro";

/// A CloudFormation intrinsic: `Ref`, `Fn::GetAtt`, or JSON text written as it is.
#[derive(Clone, Debug, PartialEq)]
enum Cfn {
    Ref(String),
    GetAtt(String, &'static str),
    Raw(String),
}

/// An argument's value, written the way each format needs it. CloudFormation JSON is
/// written by hand, in the order the resources are listed, rather than built as a
/// `serde_json::Value`: less code in the page's bundle, and a file that reads in order.
#[derive(Clone, Debug, PartialEq)]
enum V {
    Str(String),
    Bool(bool),
    Int(i64),
    /// A reference or expression: the Terraform text and the CloudFormation intrinsic.
    Expr(String, Cfn),
    List(Vec<V>),
    /// An object (CloudFormation only: Terraform arguments are kept flat).
    Obj(Vec<(&'static str, V)>),
}

fn s(t: impl Into<String>) -> V {
    V::Str(t.into())
}

/// One resource of the export: the same resource in both formats.
#[derive(Clone, Debug)]
struct Res {
    tf_type: &'static str,
    cfn_type: &'static str,
    /// The model id (or a derived name) both formats' names are made from.
    key: String,
    tf: Vec<(&'static str, V)>,
    cfn: Vec<(&'static str, V)>,
    /// The Name tag, for resources that take tags.
    name: Option<String>,
    /// Resources this one must wait for beyond its references (an Elastic IP waits for
    /// the internet gateway's attachment): (Terraform address, CloudFormation logical id).
    depends: Vec<(String, String)>,
}

impl Res {
    fn new(tf_type: &'static str, cfn_type: &'static str, key: &str) -> Res {
        Res {
            tf_type,
            cfn_type,
            key: key.to_string(),
            tf: vec![],
            cfn: vec![],
            name: None,
            depends: vec![],
        }
    }
    /// The same argument in both formats (names differ: snake_case and PascalCase).
    fn both(mut self, tf: &'static str, cfn: &'static str, v: V) -> Res {
        self.tf.push((tf, v.clone()));
        self.cfn.push((cfn, v));
        self
    }
    fn tf(mut self, k: &'static str, v: V) -> Res {
        self.tf.push((k, v));
        self
    }
    fn cfn(mut self, k: &'static str, v: V) -> Res {
        self.cfn.push((k, v));
        self
    }
    fn named(mut self, name: &str) -> Res {
        self.name = Some(name.to_string());
        self
    }
}

/// Terraform resource name for a key: `subnet-public-a` → `subnet_public_a`.
fn tf_name(key: &str) -> String {
    let n: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if n.starts_with(|c: char| !c.is_ascii_alphabetic()) {
        format!("r_{n}")
    } else {
        n
    }
}

/// CloudFormation logical id for a key: `subnet-public-a` → `SubnetPublicA`.
fn logical(key: &str) -> String {
    let n: String = key
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect();
    if n.starts_with(|c: char| !c.is_ascii_alphabetic()) {
        format!("R{n}")
    } else {
        n
    }
}

/// A reference to the resource of type `tf_type` made from model id `id`.
fn id_of(tf_type: &str, id: &str) -> V {
    V::Expr(
        format!("{tf_type}.{}.id", tf_name(id)),
        Cfn::Ref(logical(id)),
    )
}

/// An attribute of another resource: Terraform `type.name.attr`, CloudFormation `GetAtt`.
fn att(tf_type: &str, id: &str, tf_attr: &str, cfn_attr: &'static str) -> V {
    V::Expr(
        format!("{tf_type}.{}.{tf_attr}", tf_name(id)),
        Cfn::GetAtt(logical(id), cfn_attr),
    )
}

/// What the exports hold, and what they leave out with the reason.
struct Export {
    resources: Vec<Res>,
    notes: Vec<String>,
    /// Whether instances need the AMI lookup.
    instances: bool,
}

/// The resources of the network in dependency-friendly order, and notes on what is not
/// exported.
fn resources(n: &Network) -> Export {
    let mut e = Export {
        resources: vec![],
        notes: vec![],
        instances: !n.instances.is_empty(),
    };
    vpcs(n, &mut e);
    subnets(n, &mut e);
    gateways(n, &mut e);
    nats(n, &mut e);
    peerings(n, &mut e);
    route_tables(n, &mut e);
    endpoints(n, &mut e);
    groups(n, &mut e);
    nacls(n, &mut e);
    instances(n, &mut e);
    interfaces(n, &mut e);
    elastic_ips(n, &mut e);
    e
}

fn vpcs(n: &Network, e: &mut Export) {
    for v in &n.vpcs {
        let mut r = Res::new("aws_vpc", "AWS::EC2::VPC", &v.id)
            .both("cidr_block", "CidrBlock", s(v.cidrs[0].to_string()))
            .both("enable_dns_support", "EnableDnsSupport", V::Bool(true))
            .both("enable_dns_hostnames", "EnableDnsHostnames", V::Bool(true))
            .named(&v.name);
        if v.ipv6.is_some() {
            r = r.tf("assign_generated_ipv6_cidr_block", V::Bool(true));
        }
        e.resources.push(r);
        if let Some(b) = v.ipv6 {
            // Terraform asks for the block on the VPC itself (above); CloudFormation
            // associates it as a resource of its own.
            e.resources.push(
                Res::new("", "AWS::EC2::VPCCidrBlock", &format!("{}-ipv6", v.id))
                    .cfn("VpcId", id_of("aws_vpc", &v.id))
                    .cfn("AmazonProvidedIpv6CidrBlock", V::Bool(true)),
            );
            e.notes.push(format!(
                "{}: AWS assigns the IPv6 block (the design used {b}); subnets take the same /64 positions in it.",
                v.id
            ));
        }
        for (k, c) in v.cidrs.iter().enumerate().skip(1) {
            e.resources.push(
                Res::new(
                    "aws_vpc_ipv4_cidr_block_association",
                    "AWS::EC2::VPCCidrBlock",
                    &format!("{}-cidr-{k}", v.id),
                )
                .both("vpc_id", "VpcId", id_of("aws_vpc", &v.id))
                .both("cidr_block", "CidrBlock", s(c.to_string())),
            );
        }
    }
}

/// The subnet's IPv6 /64 as a position in its VPC's block, so the assigned block keeps the
/// design's numbering. AWS gives a VPC a /56 and its subnets /64s: only that shape can be
/// rebuilt.
fn subnet_ipv6(n: &Network, sub: &Subnet) -> Option<V> {
    let b = sub.ipv6?;
    let v = n.vpc(&sub.vpc)?;
    let vb = v.ipv6?;
    if vb.prefix != 56 || b.prefix != 64 || !vb.contains_net(b) {
        return None;
    }
    let index = (b.addr - vb.addr) >> 64;
    Some(V::Expr(
        format!(
            "cidrsubnet(aws_vpc.{}.ipv6_cidr_block, 8, {index})",
            tf_name(&v.id)
        ),
        Cfn::Raw(format!(
            r#"{{"Fn::Select": [{index}, {{"Fn::Cidr": [{{"Fn::Select": [0, {{"Fn::GetAtt": ["{}", "Ipv6CidrBlocks"]}}]}}, 256, 64]}}]}}"#,
            logical(&v.id)
        )),
    ))
}

/// An interface's IPv6 address as a host of its subnet's assigned block (Terraform
/// `cidrhost`); `None` when the subnet's block cannot be rebuilt.
fn host_ipv6(n: &Network, subnet: &str, ip: Ip) -> Option<V> {
    let sub = n.subnet(subnet)?;
    subnet_ipv6(n, sub)?;
    let offset = ip.value.checked_sub(sub.ipv6?.addr)?;
    Some(V::Expr(
        format!(
            "cidrhost(aws_subnet.{}.ipv6_cidr_block, {offset})",
            tf_name(subnet)
        ),
        Cfn::Raw("null".into()),
    ))
}

fn subnets(n: &Network, e: &mut Export) {
    for sub in &n.subnets {
        let mut r = Res::new("aws_subnet", "AWS::EC2::Subnet", &sub.id)
            .both("vpc_id", "VpcId", id_of("aws_vpc", &sub.vpc))
            .both("cidr_block", "CidrBlock", s(sub.cidr.to_string()))
            .both("availability_zone", "AvailabilityZone", s(&sub.az))
            .both(
                "map_public_ip_on_launch",
                "MapPublicIpOnLaunch",
                // Public for IPv4: a subnet public for IPv6 only gives no IPv4 address.
                V::Bool(public(n, &sub.id).v4),
            )
            .named(&sub.name);
        if let Some(b) = subnet_ipv6(n, sub) {
            r = r.both("ipv6_cidr_block", "Ipv6CidrBlock", b);
            r.depends
                .push((String::new(), logical(&format!("{}-ipv6", sub.vpc))));
        } else if let Some(b) = sub.ipv6 {
            e.notes.push(format!(
                "{}: its IPv6 block {b} is not exported (AWS gives a VPC a /56 and its subnets /64s).",
                sub.id
            ));
        }
        // A subnet in a secondary block waits for the block.
        if let Some(v) = n.vpc(&sub.vpc) {
            if let Some(k) = v.cidrs.iter().position(|c| c.contains_net(sub.cidr)) {
                if k > 0 {
                    let key = format!("{}-cidr-{k}", v.id);
                    r.depends.push((
                        format!("aws_vpc_ipv4_cidr_block_association.{}", tf_name(&key)),
                        logical(&key),
                    ));
                }
            }
        }
        e.resources.push(r);
    }
}

/// The attachment resource name of a gateway (CloudFormation attaches separately).
fn attachment_key(gateway: &str) -> String {
    format!("{gateway}-attachment")
}

fn gateways(n: &Network, e: &mut Export) {
    for g in &n.igws {
        let mut r =
            Res::new("aws_internet_gateway", "AWS::EC2::InternetGateway", &g.id).named(&g.id);
        if let Some(v) = &g.vpc {
            r = r.tf("vpc_id", id_of("aws_vpc", v));
        }
        e.resources.push(r);
        if let Some(v) = &g.vpc {
            e.resources.push(
                Res::new("", "AWS::EC2::VPCGatewayAttachment", &attachment_key(&g.id))
                    .cfn("VpcId", id_of("aws_vpc", v))
                    .cfn("InternetGatewayId", id_of("aws_internet_gateway", &g.id)),
            );
        }
    }
    for g in &n.eigws {
        match &g.vpc {
            Some(v) => e.resources.push(
                Res::new(
                    "aws_egress_only_internet_gateway",
                    "AWS::EC2::EgressOnlyInternetGateway",
                    &g.id,
                )
                .both("vpc_id", "VpcId", id_of("aws_vpc", v)),
            ),
            None => e
                .notes
                .push(format!("{}: not attached to a VPC, not exported.", g.id)),
        }
    }
    for g in &n.vgws {
        let mut r = Res::new("aws_vpn_gateway", "AWS::EC2::VPNGateway", &g.id)
            .cfn("Type", s("ipsec.1"))
            .named(&g.id);
        if let Some(v) = &g.vpc {
            r = r.tf("vpc_id", id_of("aws_vpc", v));
        }
        e.resources.push(r);
        if let Some(v) = &g.vpc {
            e.resources.push(
                Res::new("", "AWS::EC2::VPCGatewayAttachment", &attachment_key(&g.id))
                    .cfn("VpcId", id_of("aws_vpc", v))
                    .cfn("VpnGatewayId", id_of("aws_vpn_gateway", &g.id)),
            );
        }
    }
}

/// The internet gateway attached to a subnet's VPC, as a dependency (Terraform address,
/// CloudFormation attachment): a public NAT gateway's Elastic IP and a route to the gateway
/// wait for it.
fn igw_dependency(n: &Network, vpc: &str) -> Option<(String, String)> {
    let g = super::query::igw_of(n, vpc)?;
    Some((
        format!("aws_internet_gateway.{}", tf_name(&g.id)),
        logical(&attachment_key(&g.id)),
    ))
}

fn nats(n: &Network, e: &mut Export) {
    for g in &n.nats {
        let vpc = n
            .subnet(&g.subnet)
            .map(|s| s.vpc.clone())
            .unwrap_or_default();
        let mut r = Res::new("aws_nat_gateway", "AWS::EC2::NatGateway", &g.id)
            .both("subnet_id", "SubnetId", id_of("aws_subnet", &g.subnet))
            .named(&g.id);
        match g.eip {
            Some(addr) => {
                let key = format!("{}-eip", g.id);
                let mut eip = Res::new("aws_eip", "AWS::EC2::EIP", &key)
                    .both("domain", "Domain", s("vpc"))
                    .named(&key);
                eip.depends.extend(igw_dependency(n, &vpc));
                r = r.both(
                    "allocation_id",
                    "AllocationId",
                    att("aws_eip", &key, "id", "AllocationId"),
                );
                r.depends.extend(igw_dependency(n, &vpc));
                e.resources.push(eip);
                e.notes.push(format!(
                    "{}: AWS assigns its Elastic IP's address (the design used {}).",
                    g.id,
                    ip_text(addr)
                ));
            }
            None => r = r.both("connectivity_type", "ConnectivityType", s("private")),
        }
        e.resources.push(r);
    }
}

fn peerings(n: &Network, e: &mut Export) {
    for p in &n.peerings {
        e.resources.push(
            Res::new(
                "aws_vpc_peering_connection",
                "AWS::EC2::VPCPeeringConnection",
                &p.id,
            )
            .both("vpc_id", "VpcId", id_of("aws_vpc", &p.requester))
            .both("peer_vpc_id", "PeerVpcId", id_of("aws_vpc", &p.accepter))
            .tf("auto_accept", V::Bool(p.active))
            .named(&p.id),
        );
        if !p.active {
            e.notes.push(format!(
                "{}: pending acceptance in the design; CloudFormation accepts a same-account connection at once.",
                p.id
            ));
        }
    }
}

/// The route target's argument and reference (a gateway endpoint's routes are made by the
/// endpoint itself, so it has none).
fn route_target(t: &Target) -> Option<(&'static str, &'static str, V)> {
    Some(match t {
        Target::Local => return None,
        Target::Igw(id) => ("gateway_id", "GatewayId", id_of("aws_internet_gateway", id)),
        Target::Vgw(id) => ("gateway_id", "GatewayId", id_of("aws_vpn_gateway", id)),
        Target::Nat(id) => (
            "nat_gateway_id",
            "NatGatewayId",
            id_of("aws_nat_gateway", id),
        ),
        Target::Eigw(id) => (
            "egress_only_gateway_id",
            "EgressOnlyInternetGatewayId",
            id_of("aws_egress_only_internet_gateway", id),
        ),
        Target::Peering(id) => (
            "vpc_peering_connection_id",
            "VpcPeeringConnectionId",
            id_of("aws_vpc_peering_connection", id),
        ),
        Target::Endpoint(id) => (
            "vpc_endpoint_id",
            "VpcEndpointId",
            id_of("aws_vpc_endpoint", id),
        ),
    })
}

/// Whether a route's target is a gateway attached to no VPC.
fn detached_target(n: &Network, target: &Target) -> bool {
    let attached = |list: &[Gateway], g: &str| list.iter().any(|x| x.id == g && x.vpc.is_some());
    match target {
        Target::Igw(g) => !attached(&n.igws, g),
        Target::Vgw(g) => !attached(&n.vgws, g),
        Target::Eigw(g) => !attached(&n.eigws, g),
        _ => false,
    }
}

/// Whether a table is exported: every custom table, and a main table with routes of its
/// own (exported as a table associated with the subnets that use the main one, since
/// CloudFormation cannot change a VPC's main table).
fn exported_table(t: &RouteTable) -> bool {
    !t.main || !t.routes.is_empty()
}

/// The subnets a table serves: its explicit associations, and for a main table the
/// subnets of its VPC without one.
fn served_subnets<'a>(n: &'a Network, t: &'a RouteTable) -> Vec<&'a str> {
    let mut out: Vec<&str> = t.subnets.iter().map(|s| s.as_str()).collect();
    if t.main {
        out.extend(
            n.subnets
                .iter()
                .filter(|s| {
                    s.vpc == t.vpc && !n.route_tables.iter().any(|x| x.subnets.contains(&s.id))
                })
                .map(|s| s.id.as_str()),
        );
    }
    out
}

fn route_tables(n: &Network, e: &mut Export) {
    for t in n.route_tables.iter().filter(|t| exported_table(t)) {
        e.resources.push(
            Res::new("aws_route_table", "AWS::EC2::RouteTable", &t.id)
                .both("vpc_id", "VpcId", id_of("aws_vpc", &t.vpc))
                .named(&t.name),
        );
        if t.main {
            e.notes.push(format!(
                "{}: the VPC's main table, exported as a table associated with the subnets that used it.",
                t.id
            ));
        }
        for (k, route) in t.routes.iter().enumerate() {
            let Dest::Cidr(dest) = route.dest else {
                continue;
            };
            let Some((tf_key, cfn_key, target)) = route_target(&route.target) else {
                continue;
            };
            // A route to a detached gateway is a blackhole: no template can create it.
            if detached_target(n, &route.target) {
                e.notes.push(format!(
                    "{}: the route {dest} → {} is not exported (the gateway is detached, so the route is a blackhole).",
                    t.id,
                    route.target.id()
                ));
                continue;
            }
            let (tf_dest, cfn_dest) = if dest.is_v6() {
                ("destination_ipv6_cidr_block", "DestinationIpv6CidrBlock")
            } else {
                ("destination_cidr_block", "DestinationCidrBlock")
            };
            let mut r = Res::new(
                "aws_route",
                "AWS::EC2::Route",
                &format!("{}-route-{}", t.id, k + 1),
            )
            .both(
                "route_table_id",
                "RouteTableId",
                id_of("aws_route_table", &t.id),
            )
            .both(tf_dest, cfn_dest, s(dest.to_string()))
            .both(tf_key, cfn_key, target);
            // A route to a gateway waits for the gateway's attachment.
            if let Target::Igw(g) | Target::Vgw(g) = &route.target {
                r.depends.push((String::new(), logical(&attachment_key(g))));
            }
            e.resources.push(r);
        }
        for sub in served_subnets(n, t) {
            e.resources.push(
                Res::new(
                    "aws_route_table_association",
                    "AWS::EC2::SubnetRouteTableAssociation",
                    &format!("{}-{}", t.id, sub),
                )
                .both("subnet_id", "SubnetId", id_of("aws_subnet", sub))
                .both(
                    "route_table_id",
                    "RouteTableId",
                    id_of("aws_route_table", &t.id),
                ),
            );
        }
    }
}

/// `com.amazonaws.us-east-1.s3`
fn service_name(region: &str, svc: Service) -> String {
    format!("com.amazonaws.{region}.{}", svc.id())
}

fn endpoints(n: &Network, e: &mut Export) {
    for ep in &n.endpoints {
        let r = Res::new("aws_vpc_endpoint", "AWS::EC2::VPCEndpoint", &ep.id)
            .both("vpc_id", "VpcId", id_of("aws_vpc", &ep.vpc))
            .both(
                "service_name",
                "ServiceName",
                s(service_name(&n.region, ep.service)),
            );
        let r = match &ep.kind {
            EndpointKind::Gateway { route_tables } => r
                .both("vpc_endpoint_type", "VpcEndpointType", s("Gateway"))
                .both(
                    "route_table_ids",
                    "RouteTableIds",
                    V::List(
                        route_tables
                            .iter()
                            .map(|t| id_of("aws_route_table", t))
                            .collect(),
                    ),
                ),
            EndpointKind::Interface {
                subnets, groups, ..
            } => r
                .both("vpc_endpoint_type", "VpcEndpointType", s("Interface"))
                .both(
                    "subnet_ids",
                    "SubnetIds",
                    V::List(subnets.iter().map(|t| id_of("aws_subnet", t)).collect()),
                )
                .both(
                    "security_group_ids",
                    "SecurityGroupIds",
                    V::List(groups.iter().map(|g| group_ref(n, g)).collect()),
                )
                .both("private_dns_enabled", "PrivateDnsEnabled", V::Bool(true)),
        };
        e.resources.push(r);
    }
}

/// A security group's id: a default group is the VPC's attribute; others are resources.
fn group_ref(n: &Network, id: &str) -> V {
    match n.group(id) {
        Some(g) if g.default => att(
            "aws_vpc",
            &g.vpc,
            "default_security_group_id",
            "DefaultSecurityGroup",
        ),
        _ => att("aws_security_group", id, "id", "GroupId"),
    }
}

/// The protocol and ports of a rule as AWS's APIs take them: `-1`, `tcp` with a range,
/// `icmp` with the type and code in the port fields (-1 for all), a number otherwise.
fn ip_protocol(proto: Proto, ports: Ports) -> (String, Option<(i64, i64)>) {
    match proto {
        Proto::All => ("-1".into(), None),
        Proto::Tcp => ("tcp".into(), Some((ports.0 as i64, ports.1 as i64))),
        Proto::Udp => ("udp".into(), Some((ports.0 as i64, ports.1 as i64))),
        Proto::Icmp(m) | Proto::Icmpv6(m) => (
            if matches!(proto, Proto::Icmp(_)) {
                "icmp"
            } else {
                "icmpv6"
            }
            .into(),
            Some((
                m.kind.map_or(-1, |k| k as i64),
                m.code.map_or(-1, |c| c as i64),
            )),
        ),
        Proto::Other(p) => (p.to_string(), None),
    }
}

fn groups(n: &Network, e: &mut Export) {
    for g in &n.groups {
        if g.default {
            let vpc_has_v6 = n.vpc(&g.vpc).is_some_and(|v| v.ipv6.is_some());
            let mut expected = default_group(&g.id, &g.vpc);
            if vpc_has_v6 {
                expected.outbound.push(SgRule {
                    proto: Proto::All,
                    ports: Ports::ALL,
                    peer: Peer::Cidr(Net::ANY6),
                });
            }
            if g.inbound != expected.inbound || g.outbound != expected.outbound {
                e.notes.push(format!(
                    "{}: the default group's edited rules are not exported (manage them with aws_default_security_group, or move them to a group of their own).",
                    g.id
                ));
            }
            continue;
        }
        if !valid_group_text(&g.name) || g.name.starts_with("sg-") {
            e.notes.push(format!(
                "{}: AWS refuses the group name “{}” (letters, digits, spaces and ._-:/()#,@[]+=&;{{}}!$* only, not starting with sg-); rename it before deploying.",
                g.id, g.name
            ));
        }
        // CloudFormation removes AWS's allow-all egress rule only from a group that lists
        // its egress rules inline, so address rules go inline; rules naming a group stay
        // resources of their own (inline they could form a cycle), and a group with none
        // inline gets AWS's documented placeholder (all protocols to 127.0.0.1/32), which
        // removes the default rule and allows nothing. Terraform removes the default rule
        // itself: there every rule is a resource.
        let mut inline: Vec<V> = g
            .outbound
            .iter()
            .filter_map(|rule| match rule.peer {
                Peer::Cidr(c) => Some(cfn_rule(rule, c)),
                _ => None,
            })
            .collect();
        if inline.is_empty() {
            inline.push(V::Obj(vec![
                ("IpProtocol", s("-1")),
                ("CidrIp", s("127.0.0.1/32")),
            ]));
        }
        e.resources.push(
            Res::new("aws_security_group", "AWS::EC2::SecurityGroup", &g.id)
                .both("name", "GroupName", s(&g.name))
                .both(
                    "description",
                    "GroupDescription",
                    s(group_text(&format!("{} (from Stratus)", g.name))),
                )
                .both("vpc_id", "VpcId", id_of("aws_vpc", &g.vpc))
                .cfn("SecurityGroupEgress", V::List(inline))
                .named(&g.name),
        );
        for (dir, rules) in [("ingress", &g.inbound), ("egress", &g.outbound)] {
            for (k, rule) in rules.iter().enumerate() {
                if let Some(mut r) = sg_rule(n, g, dir, k, rule, &mut e.notes) {
                    if dir == "egress" && matches!(rule.peer, Peer::Cidr(_)) {
                        // Inline in the group on CloudFormation's side.
                        r.cfn_type = "";
                    }
                    e.resources.push(r);
                }
            }
        }
    }
}

/// The characters AWS allows in a VPC security group's name and description.
fn group_char_ok(c: char) -> bool {
    c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c)
}

fn valid_group_text(t: &str) -> bool {
    !t.is_empty() && t.len() <= 255 && t.chars().all(group_char_ok)
}

/// A description with the characters AWS refuses replaced by spaces.
fn group_text(t: &str) -> String {
    t.chars()
        .take(255)
        .map(|c| if group_char_ok(c) { c } else { ' ' })
        .collect()
}

/// An address-range egress rule as an entry of a group's inline `SecurityGroupEgress`.
fn cfn_rule(rule: &SgRule, c: Net) -> V {
    let (proto, ports) = ip_protocol(rule.proto, rule.ports);
    let mut fields = vec![("IpProtocol", s(proto))];
    if let Some((from, to)) = ports {
        fields.push(("FromPort", V::Int(from)));
        fields.push(("ToPort", V::Int(to)));
    }
    fields.push(if c.is_v6() {
        ("CidrIpv6", s(c.to_string()))
    } else {
        ("CidrIp", s(c.to_string()))
    });
    V::Obj(fields)
}

fn sg_rule(
    n: &Network,
    g: &SecurityGroup,
    dir: &str,
    k: usize,
    rule: &SgRule,
    notes: &mut Vec<String>,
) -> Option<Res> {
    let ingress = dir == "ingress";
    let (tf_type, cfn_type) = if ingress {
        (
            "aws_vpc_security_group_ingress_rule",
            "AWS::EC2::SecurityGroupIngress",
        )
    } else {
        (
            "aws_vpc_security_group_egress_rule",
            "AWS::EC2::SecurityGroupEgress",
        )
    };
    let (proto, ports) = ip_protocol(rule.proto, rule.ports);
    let mut r = Res::new(tf_type, cfn_type, &format!("{}-{dir}-{}", g.id, k + 1))
        .both(
            "security_group_id",
            "GroupId",
            att("aws_security_group", &g.id, "id", "GroupId"),
        )
        .both("ip_protocol", "IpProtocol", s(proto));
    if let Some((from, to)) = ports {
        r = r
            .both("from_port", "FromPort", V::Int(from))
            .both("to_port", "ToPort", V::Int(to));
    }
    Some(match &rule.peer {
        Peer::Cidr(c) if c.is_v6() => r.both("cidr_ipv6", "CidrIpv6", s(c.to_string())),
        Peer::Cidr(c) => r.both("cidr_ipv4", "CidrIp", s(c.to_string())),
        Peer::Group(other) => r.both(
            "referenced_security_group_id",
            if ingress {
                "SourceSecurityGroupId"
            } else {
                "DestinationSecurityGroupId"
            },
            group_ref(n, other),
        ),
        Peer::PrefixList(svc) => {
            notes.push(format!(
                "{}: the {dir} rule for {}'s prefix list is not exported (its id differs per Region; look it up with aws_ec2_managed_prefix_list).",
                g.id,
                svc.name()
            ));
            return None;
        }
    })
}

fn nacls(n: &Network, e: &mut Export) {
    for a in &n.nacls {
        if a.default {
            let mut expected = default_nacl(&a.id, &a.vpc);
            if n.vpc(&a.vpc).is_some_and(|v| v.ipv6.is_some()) {
                allow_all_ipv6(&mut expected);
            }
            if a.inbound != expected.inbound || a.outbound != expected.outbound {
                e.notes.push(format!(
                    "{}: the default network ACL's edited rules are not exported (use aws_default_network_acl, or a network ACL of its own).",
                    a.id
                ));
            }
            continue;
        }
        e.resources.push(
            Res::new("aws_network_acl", "AWS::EC2::NetworkAcl", &a.id)
                .both("vpc_id", "VpcId", id_of("aws_vpc", &a.vpc))
                .named(&a.name),
        );
        for (egress, rules) in [(false, &a.inbound), (true, &a.outbound)] {
            for rule in rules.iter() {
                e.resources.push(nacl_rule(a, egress, rule));
            }
        }
        for sub in &a.subnets {
            e.resources.push(
                Res::new(
                    "aws_network_acl_association",
                    "AWS::EC2::SubnetNetworkAclAssociation",
                    &format!("{}-{sub}", a.id),
                )
                .both(
                    "network_acl_id",
                    "NetworkAclId",
                    id_of("aws_network_acl", &a.id),
                )
                .both("subnet_id", "SubnetId", id_of("aws_subnet", sub)),
            );
        }
    }
}

fn nacl_rule(a: &Nacl, egress: bool, rule: &NaclRule) -> Res {
    let dir = if egress { "egress" } else { "ingress" };
    let mut r = Res::new(
        "aws_network_acl_rule",
        "AWS::EC2::NetworkAclEntry",
        &format!("{}-{dir}-{}", a.id, rule.number),
    )
    .both(
        "network_acl_id",
        "NetworkAclId",
        id_of("aws_network_acl", &a.id),
    )
    .both("rule_number", "RuleNumber", V::Int(rule.number as i64))
    .both("egress", "Egress", V::Bool(egress))
    .both("protocol", "Protocol", V::Int(rule.proto.number() as i64))
    .both(
        "rule_action",
        "RuleAction",
        s(if rule.allow { "allow" } else { "deny" }),
    );
    r = if rule.cidr.is_v6() {
        r.both("ipv6_cidr_block", "Ipv6CidrBlock", s(rule.cidr.to_string()))
    } else {
        r.both("cidr_block", "CidrBlock", s(rule.cidr.to_string()))
    };
    match rule.proto {
        Proto::Tcp | Proto::Udp => r
            .tf("from_port", V::Int(rule.ports.0 as i64))
            .tf("to_port", V::Int(rule.ports.1 as i64))
            .cfn(
                "PortRange",
                V::Obj(vec![
                    ("From", V::Int(rule.ports.0 as i64)),
                    ("To", V::Int(rule.ports.1 as i64)),
                ]),
            ),
        Proto::Icmp(m) | Proto::Icmpv6(m) => {
            let (t, c) = (
                m.kind.map_or(-1, |k| k as i64),
                m.code.map_or(-1, |c| c as i64),
            );
            r.tf("icmp_type", V::Int(t)).tf("icmp_code", V::Int(c)).cfn(
                "Icmp",
                V::Obj(vec![("Type", V::Int(t)), ("Code", V::Int(c))]),
            )
        }
        _ => r,
    }
}

fn instances(n: &Network, e: &mut Export) {
    let ami = V::Expr(
        "data.aws_ssm_parameter.al2023.value".into(),
        Cfn::Raw(json_string(&format!("{{{{resolve:ssm:{AMI_PARAMETER}}}}}"))),
    );
    for i in &n.instances {
        let groups = V::List(i.groups.iter().map(|g| group_ref(n, g)).collect());
        // IPv6 addresses are hosts of the subnet's assigned block in Terraform;
        // CloudFormation asks AWS for one (Ipv6AddressCount).
        let v6: Vec<V> = i
            .ipv6
            .iter()
            .filter_map(|ip| host_ipv6(n, &i.subnet, *ip))
            .collect();
        if let Some(ip) = i.ipv6 {
            e.notes.push(format!(
                "{}: its IPv6 address is assigned in the subnet's block at deploy time (the design used {ip}).",
                i.id
            ));
        }
        let mut nic = vec![
            ("DeviceIndex", s("0")),
            ("SubnetId", id_of("aws_subnet", &i.subnet)),
            ("PrivateIpAddress", s(ip_text(i.private_ip))),
            ("GroupSet", groups.clone()),
            ("AssociatePublicIpAddress", V::Bool(i.public_ip.is_some())),
        ];
        if !v6.is_empty() {
            nic.push(("Ipv6AddressCount", V::Int(v6.len() as i64)));
        }
        let mut r = Res::new("aws_instance", "AWS::EC2::Instance", &i.id)
            .both("ami", "ImageId", ami.clone())
            .both("instance_type", "InstanceType", s(INSTANCE_TYPE))
            .tf("subnet_id", id_of("aws_subnet", &i.subnet))
            .tf("private_ip", s(ip_text(i.private_ip)))
            .tf("vpc_security_group_ids", groups)
            .tf(
                "associate_public_ip_address",
                V::Bool(i.public_ip.is_some()),
            )
            .cfn("NetworkInterfaces", V::List(vec![V::Obj(nic)]))
            .named(&i.name);
        if !v6.is_empty() {
            r = r.tf("ipv6_addresses", V::List(v6));
        }
        if let Some(p) = i.public_ip {
            e.notes.push(format!(
                "{}: AWS assigns its public IPv4 address (the design used {}).",
                i.id,
                ip_text(p)
            ));
        }
        e.resources.push(r);
    }
}

fn interfaces(n: &Network, e: &mut Export) {
    for eni in &n.enis {
        let groups = V::List(eni.groups.iter().map(|g| group_ref(n, g)).collect());
        let mut r = Res::new(
            "aws_network_interface",
            "AWS::EC2::NetworkInterface",
            &eni.id,
        )
        .both("subnet_id", "SubnetId", id_of("aws_subnet", &eni.subnet))
        .tf("private_ips", V::List(vec![s(ip_text(eni.private_ip))]))
        .cfn("PrivateIpAddress", s(ip_text(eni.private_ip)))
        .tf("security_groups", groups.clone())
        .cfn("GroupSet", groups)
        .named(&eni.name);
        if let Some(ip) = eni.ipv6 {
            r = r
                .tf("ipv6_addresses", V::List(vec![s(ip.to_string())]))
                .cfn(
                    "Ipv6Addresses",
                    V::List(vec![V::Obj(vec![("Ipv6Address", s(ip.to_string()))])]),
                );
        }
        e.resources.push(r);
        if let Some(inst) = &eni.instance {
            // Device 0 is the instance's own interface; attached ones follow in order.
            let index = n
                .enis
                .iter()
                .filter(|x| x.instance.as_ref() == Some(inst))
                .position(|x| x.id == eni.id)
                .unwrap_or(0)
                + 1;
            e.resources.push(
                Res::new(
                    "aws_network_interface_attachment",
                    "AWS::EC2::NetworkInterfaceAttachment",
                    &format!("{}-attachment", eni.id),
                )
                .both("instance_id", "InstanceId", id_of("aws_instance", inst))
                .both(
                    "network_interface_id",
                    "NetworkInterfaceId",
                    id_of("aws_network_interface", &eni.id),
                )
                .tf("device_index", V::Int(index as i64))
                .cfn("DeviceIndex", s(index.to_string())),
            );
        }
    }
}

fn elastic_ips(n: &Network, e: &mut Export) {
    for a in &n.eips {
        // The VPC the address is used in: its internet gateway must be attached first
        // (AWS::EC2::EIP and aws_eip documentation).
        let vpc = a
            .target
            .as_deref()
            .and_then(|t| {
                n.instance(t)
                    .map(|i| i.subnet.as_str())
                    .or_else(|| n.eni(t).map(|x| x.subnet.as_str()))
            })
            .and_then(|sub| n.subnet(sub))
            .map(|s| s.vpc.clone());
        let wait = vpc.and_then(|v| igw_dependency(n, &v));
        let mut eip = Res::new("aws_eip", "AWS::EC2::EIP", &a.id)
            .both("domain", "Domain", s("vpc"))
            .named(&a.id);
        eip.depends.extend(wait.clone());
        e.resources.push(eip);
        e.notes.push(format!(
            "{}: AWS assigns the address (the design used {}).",
            a.id,
            ip_text(a.address)
        ));
        let Some(target) = &a.target else { continue };
        let (tf_key, cfn_key, r) = if n.enis.iter().any(|x| &x.id == target) {
            (
                "network_interface_id",
                "NetworkInterfaceId",
                id_of("aws_network_interface", target),
            )
        } else {
            ("instance_id", "InstanceId", id_of("aws_instance", target))
        };
        let mut assoc = Res::new(
            "aws_eip_association",
            "AWS::EC2::EIPAssociation",
            &format!("{}-association", a.id),
        )
        .both(
            "allocation_id",
            "AllocationId",
            att("aws_eip", &a.id, "id", "AllocationId"),
        )
        .both(tf_key, cfn_key, r);
        assoc.depends.extend(wait);
        e.resources.push(assoc);
    }
}

/// A Terraform string literal: quotes, backslashes and template sequences escaped.
fn hcl_string(t: &str) -> String {
    let mut o = String::from("\"");
    for c in t.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c => o.push(c),
        }
    }
    // `${` and `%{` start templates in HCL strings; doubling the sigil writes it literally.
    o.replace("${", "$${").replace("%{", "%%{") + "\""
}

fn hcl_value(v: &V) -> String {
    match v {
        V::Str(t) => hcl_string(t),
        V::Bool(b) => b.to_string(),
        V::Int(i) => i.to_string(),
        V::Expr(tf, _) => tf.clone(),
        V::List(items) => format!(
            "[{}]",
            items.iter().map(hcl_value).collect::<Vec<_>>().join(", ")
        ),
        V::Obj(fields) => format!(
            "{{ {} }}",
            fields
                .iter()
                .map(|(k, v)| format!("{k} = {}", hcl_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A JSON string literal.
fn json_string(t: &str) -> String {
    serde_json::to_string(t).unwrap_or_else(|_| "\"\"".into())
}

/// Writes a value as JSON, `indent` being the current depth (two spaces each).
fn json_value(o: &mut String, v: &V, indent: usize) {
    match v {
        V::Str(t) => o.push_str(&json_string(t)),
        V::Bool(b) => o.push_str(if *b { "true" } else { "false" }),
        V::Int(i) => o.push_str(&i.to_string()),
        V::Expr(_, Cfn::Ref(r)) => {
            let _ = write!(o, "{{\"Ref\": {}}}", json_string(r));
        }
        V::Expr(_, Cfn::GetAtt(r, a)) => {
            let _ = write!(
                o,
                "{{\"Fn::GetAtt\": [{}, {}]}}",
                json_string(r),
                json_string(a)
            );
        }
        V::Expr(_, Cfn::Raw(raw)) => o.push_str(raw),
        V::List(items) if items.is_empty() => o.push_str("[]"),
        V::List(items) => {
            let pad = "  ".repeat(indent + 1);
            o.push_str("[\n");
            for (k, item) in items.iter().enumerate() {
                o.push_str(&pad);
                json_value(o, item, indent + 1);
                o.push_str(if k + 1 < items.len() { ",\n" } else { "\n" });
            }
            o.push_str(&"  ".repeat(indent));
            o.push(']');
        }
        V::Obj(fields) => {
            let named: Vec<(&str, &V)> = fields.iter().map(|(k, v)| (*k, v)).collect();
            json_object(o, &named, indent);
        }
    }
}

/// Writes an object whose fields are in order.
fn json_object(o: &mut String, fields: &[(&str, &V)], indent: usize) {
    if fields.is_empty() {
        o.push_str("{}");
        return;
    }
    let pad = "  ".repeat(indent + 1);
    o.push_str("{\n");
    for (k, (key, v)) in fields.iter().enumerate() {
        let _ = write!(o, "{pad}{}: ", json_string(key));
        json_value(o, v, indent + 1);
        o.push_str(if k + 1 < fields.len() { ",\n" } else { "\n" });
    }
    o.push_str(&"  ".repeat(indent));
    o.push('}');
}

/// The first lines of both exports: what the file is and what AWS decides at deploy time.
fn header(n: &Network, e: &Export) -> Vec<String> {
    let mut lines = vec![format!(
        "Generated by Stratus from a design of {} resources in {}.",
        n.resources(),
        n.region
    )];
    if e.instances {
        lines.push(format!(
            "Instances run Amazon Linux 2023 (the AMI from the SSM parameter {AMI_PARAMETER}) as {INSTANCE_TYPE}."
        ));
    }
    lines.extend(e.notes.iter().cloned());
    lines
}

/// The network as a Terraform configuration (HCL for the `hashicorp/aws` provider, 5.x).
/// Every reference names a resource of the same file; `terraform validate` needs nothing
/// else.
pub fn terraform(n: &Network) -> String {
    let e = resources(n);
    let mut out = String::new();
    for line in header(n, &e) {
        let _ = writeln!(out, "# {line}");
    }
    let _ = write!(
        out,
        "\nterraform {{\n  required_providers {{\n    aws = {{\n      source  = \"hashicorp/aws\"\n      version = \">= 5.0\"\n    }}\n  }}\n}}\n\nprovider \"aws\" {{\n  region = {}\n}}\n",
        hcl_string(&n.region)
    );
    if e.instances {
        let _ = write!(
            out,
            "\ndata \"aws_ssm_parameter\" \"al2023\" {{\n  name = {}\n}}\n",
            hcl_string(AMI_PARAMETER)
        );
    }
    for r in e.resources.iter().filter(|r| !r.tf_type.is_empty()) {
        let _ = write!(
            out,
            "\nresource \"{}\" \"{}\" {{\n",
            r.tf_type,
            tf_name(&r.key)
        );
        let width = r.tf.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (k, v) in &r.tf {
            let _ = writeln!(out, "  {k:width$} = {}", hcl_value(v));
        }
        if let Some(name) = &r.name {
            let _ = writeln!(out, "  tags = {{\n    Name = {}\n  }}", hcl_string(name));
        }
        let deps: Vec<&String> = r
            .depends
            .iter()
            .map(|(t, _)| t)
            .filter(|t| !t.is_empty())
            .collect();
        if !deps.is_empty() {
            let _ = writeln!(
                out,
                "  depends_on = [{}]",
                deps.iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        out.push_str("}\n");
    }
    out
}

/// The network as a CloudFormation template (JSON). `Ref` and `Fn::GetAtt` name resources
/// of the same template; what cannot be exported is listed under `Metadata.Stratus`.
pub fn cloudformation(n: &Network) -> String {
    let e = resources(n);
    let names = logical_names(&e.resources);
    let mut resources: Vec<(String, V)> = vec![];
    for (r, name) in e.resources.iter().zip(names) {
        if r.cfn_type.is_empty() {
            continue;
        }
        let mut props: Vec<(&'static str, V)> = r.cfn.clone();
        if let Some(tag) = &r.name {
            props.push((
                "Tags",
                V::List(vec![V::Obj(vec![("Key", s("Name")), ("Value", s(tag))])]),
            ));
        }
        let mut res: Vec<(&'static str, V)> = vec![("Type", s(r.cfn_type))];
        let deps: Vec<V> = r.depends.iter().map(|(_, c)| s(c)).collect();
        if !deps.is_empty() {
            res.push(("DependsOn", V::List(deps)));
        }
        res.push(("Properties", V::Obj(props)));
        resources.push((name, V::Obj(res)));
    }
    let header = header(n, &e);
    let notes = V::List(header[1..].iter().map(s).collect());
    let version = s("2010-09-09");
    let description = s(&header[0]);
    let metadata = V::Obj(vec![("Stratus", V::Obj(vec![("Notes", notes)]))]);
    let mut out = String::new();
    json_object(
        &mut out,
        &[
            ("AWSTemplateFormatVersion", &version),
            ("Description", &description),
            ("Metadata", &metadata),
        ],
        0,
    );
    // Reopen the object for the resources, whose ids are not 'static.
    out.truncate(out.len() - 2);
    out.push_str(",\n  \"Resources\": ");
    let named: Vec<(&str, &V)> = resources.iter().map(|(k, v)| (k.as_str(), v)).collect();
    json_object(&mut out, &named, 1);
    out.push_str("\n}");
    out
}

/// Each resource's CloudFormation logical id, unique: a second `SubnetA1` (from
/// `subnet-a1` and `subnet-a-1`) becomes `SubnetA12`.
fn logical_names(resources: &[Res]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    resources
        .iter()
        .map(|r| {
            let base = logical(&r.key);
            let mut name = base.clone();
            let mut k = 2;
            while !seen.insert(name.clone()) {
                name = format!("{base}{k}");
                k += 1;
            }
            name
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::ec2::network::edit::{apply, Edit};
    use crate::core::services::ec2::network::templates::{self, TEMPLATES};
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    /// A parsed Terraform resource: its arguments as HCL expressions.
    type TfResources = BTreeMap<String, BTreeMap<String, hcl::Expression>>;

    /// Parses the HCL (the oracle: hcl-rs, an independent parser) into resources by address.
    fn parse_tf(text: &str) -> (TfResources, BTreeSet<String>) {
        let body = hcl::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let mut resources = BTreeMap::new();
        let mut data = BTreeSet::new();
        for block in body.blocks() {
            let labels: Vec<&str> = block.labels().iter().map(|l| l.as_str()).collect();
            match block.identifier() {
                "resource" => {
                    let attrs = block
                        .body()
                        .attributes()
                        .map(|a| (a.key().to_string(), a.expr().clone()))
                        .collect();
                    let address = format!("{}.{}", labels[0], labels[1]);
                    assert!(
                        resources.insert(address.clone(), attrs).is_none(),
                        "{address} twice"
                    );
                }
                "data" => {
                    data.insert(format!("data.{}.{}", labels[0], labels[1]));
                }
                _ => {}
            }
        }
        (resources, data)
    }

    /// Every `type.name` a Terraform expression refers to.
    fn tf_refs(e: &hcl::Expression, out: &mut Vec<String>) {
        use hcl::expr::TraversalOperator as Op;
        match e {
            hcl::Expression::Traversal(t) => {
                if let hcl::Expression::Variable(v) = &t.expr {
                    let names: Vec<String> = t
                        .operators
                        .iter()
                        .filter_map(|o| match o {
                            Op::GetAttr(i) => Some(i.to_string()),
                            _ => None,
                        })
                        .collect();
                    let head = v.to_string();
                    out.push(if head == "data" {
                        format!("data.{}.{}", names[0], names[1])
                    } else {
                        format!("{head}.{}", names[0])
                    });
                }
            }
            hcl::Expression::Array(items) => items.iter().for_each(|i| tf_refs(i, out)),
            hcl::Expression::FuncCall(f) => f.args.iter().for_each(|a| tf_refs(a, out)),
            hcl::Expression::Object(o) => o.values().for_each(|v| tf_refs(v, out)),
            _ => {}
        }
    }

    fn of_type<'a>(r: &'a TfResources, t: &str) -> Vec<&'a BTreeMap<String, hcl::Expression>> {
        r.iter()
            .filter(|(a, _)| a.split('.').next() == Some(t))
            .map(|(_, v)| v)
            .collect()
    }

    fn string(e: Option<&hcl::Expression>) -> String {
        match e {
            Some(hcl::Expression::String(s)) => s.clone(),
            other => panic!("not a string: {other:?}"),
        }
    }

    /// Every Ref and GetAtt of a CloudFormation value.
    fn cfn_refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("Ref") {
                    out.push(r.clone());
                }
                if let Some(Value::Array(a)) = m.get("Fn::GetAtt") {
                    out.push(a[0].as_str().unwrap_or_default().to_string());
                }
                m.values().for_each(|x| cfn_refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| cfn_refs(x, out)),
            _ => {}
        }
    }

    fn cfn_of_type<'a>(doc: &'a Value, t: &str) -> Vec<&'a Value> {
        doc["Resources"]
            .as_object()
            .unwrap()
            .values()
            .filter(|r| r["Type"] == t)
            .map(|r| &r["Properties"])
            .collect()
    }

    /// The model's resources, counted the way both exports must hold them.
    fn expected(n: &Network) -> Vec<(&'static str, &'static str, usize, usize)> {
        let tables: Vec<&RouteTable> = n
            .route_tables
            .iter()
            .filter(|t| exported_table(t))
            .collect();
        let routes = tables
            .iter()
            .flat_map(|t| &t.routes)
            .filter(|r| {
                matches!(r.dest, Dest::Cidr(_))
                    && r.target != Target::Local
                    && !detached_target(n, &r.target)
            })
            .count();
        let custom_groups: Vec<&SecurityGroup> = n.groups.iter().filter(|g| !g.default).collect();
        let ingress = custom_groups
            .iter()
            .flat_map(|g| &g.inbound)
            .filter(|r| !matches!(r.peer, Peer::PrefixList(_)))
            .count();
        let egress = custom_groups
            .iter()
            .flat_map(|g| &g.outbound)
            .filter(|r| !matches!(r.peer, Peer::PrefixList(_)))
            .count();
        // CloudFormation lists address egress rules inline in the group.
        let egress_to_groups = custom_groups
            .iter()
            .flat_map(|g| &g.outbound)
            .filter(|r| matches!(r.peer, Peer::Group(_)))
            .count();
        let nacls: Vec<&Nacl> = n.nacls.iter().filter(|a| !a.default).collect();
        let counts: Vec<(&'static str, &'static str, usize)> = vec![
            ("aws_vpc", "AWS::EC2::VPC", n.vpcs.len()),
            ("aws_subnet", "AWS::EC2::Subnet", n.subnets.len()),
            (
                "aws_internet_gateway",
                "AWS::EC2::InternetGateway",
                n.igws.len(),
            ),
            ("aws_nat_gateway", "AWS::EC2::NatGateway", n.nats.len()),
            (
                "aws_eip",
                "AWS::EC2::EIP",
                n.nats.iter().filter(|g| g.eip.is_some()).count() + n.eips.len(),
            ),
            ("aws_route_table", "AWS::EC2::RouteTable", tables.len()),
            ("aws_route", "AWS::EC2::Route", routes),
            (
                "aws_route_table_association",
                "AWS::EC2::SubnetRouteTableAssociation",
                tables.iter().map(|t| served_subnets(n, t).len()).sum(),
            ),
            (
                "aws_security_group",
                "AWS::EC2::SecurityGroup",
                custom_groups.len(),
            ),
            (
                "aws_vpc_security_group_ingress_rule",
                "AWS::EC2::SecurityGroupIngress",
                ingress,
            ),
            (
                "aws_vpc_security_group_egress_rule",
                "AWS::EC2::SecurityGroupEgress",
                egress,
            ),
            ("aws_network_acl", "AWS::EC2::NetworkAcl", nacls.len()),
            (
                "aws_network_acl_rule",
                "AWS::EC2::NetworkAclEntry",
                nacls
                    .iter()
                    .map(|a| a.inbound.len() + a.outbound.len())
                    .sum(),
            ),
            (
                "aws_vpc_peering_connection",
                "AWS::EC2::VPCPeeringConnection",
                n.peerings.len(),
            ),
            (
                "aws_vpc_endpoint",
                "AWS::EC2::VPCEndpoint",
                n.endpoints.len(),
            ),
            ("aws_instance", "AWS::EC2::Instance", n.instances.len()),
            (
                "aws_network_interface",
                "AWS::EC2::NetworkInterface",
                n.enis.len(),
            ),
        ];
        counts
            .into_iter()
            .map(|(tf, cfn, c)| {
                let in_cfn = if cfn == "AWS::EC2::SecurityGroupEgress" {
                    egress_to_groups
                } else {
                    c
                };
                (tf, cfn, c, in_cfn)
            })
            .collect()
    }

    /// Parses both exports of `n` and compares them with the model: resource counts,
    /// subnets' blocks, AZs and `map_public_ip_on_launch`, and every reference resolving
    /// to a resource of the same file.
    fn check(label: &str, n: &Network) {
        let tf_text = terraform(n);
        let (tf, data) = parse_tf(&tf_text);
        let doc: Value = serde_json::from_str(&cloudformation(n)).unwrap();
        for (tf_type, cfn_type, count, in_cfn) in expected(n) {
            assert_eq!(of_type(&tf, tf_type).len(), count, "{label}: {tf_type}");
            assert_eq!(
                cfn_of_type(&doc, cfn_type).len(),
                in_cfn,
                "{label}: {cfn_type}"
            );
        }
        // Each group lists its address egress rules inline (or the placeholder that
        // removes AWS's default rule), so no egress rule is created twice.
        for g in n.groups.iter().filter(|g| !g.default) {
            let inline = doc["Resources"][logical(&g.id)]["Properties"]["SecurityGroupEgress"]
                .as_array()
                .unwrap();
            let cidr = g
                .outbound
                .iter()
                .filter(|r| matches!(r.peer, Peer::Cidr(_)))
                .count();
            assert_eq!(inline.len(), cidr.max(1), "{label}: {}", g.id);
            if cidr == 0 {
                assert_eq!(inline[0]["CidrIp"], "127.0.0.1/32");
            }
        }
        for s in &n.subnets {
            let tf_sub = &tf[&format!("aws_subnet.{}", tf_name(&s.id))];
            assert_eq!(string(tf_sub.get("cidr_block")), s.cidr.to_string());
            assert_eq!(string(tf_sub.get("availability_zone")), s.az);
            assert_eq!(
                tf_sub.get("map_public_ip_on_launch"),
                Some(&hcl::Expression::Bool(public(n, &s.id).v4)),
                "{label}: {}",
                s.id
            );
            let cfn_sub = &doc["Resources"][logical(&s.id)]["Properties"];
            assert_eq!(cfn_sub["CidrBlock"], s.cidr.to_string());
            assert_eq!(cfn_sub["MapPublicIpOnLaunch"], public(n, &s.id).v4);
        }
        // References resolve within each file.
        for (address, attrs) in &tf {
            let mut refs = vec![];
            attrs.values().for_each(|e| tf_refs(e, &mut refs));
            for r in refs {
                assert!(
                    tf.contains_key(&r) || data.contains(&r),
                    "{label}: {address} refers to {r}, which is not declared"
                );
            }
        }
        let names = doc["Resources"].as_object().unwrap();
        let mut refs = vec![];
        cfn_refs(&doc["Resources"], &mut refs);
        for r in refs {
            assert!(names.contains_key(&r), "{label}: Ref {r} is not declared");
        }
        for r in names.values() {
            for d in r["DependsOn"].as_array().into_iter().flatten() {
                assert!(
                    names.contains_key(d.as_str().unwrap()),
                    "{label}: DependsOn {d}"
                );
            }
        }
    }

    #[test]
    fn every_template_exports_as_parseable_terraform_and_cloudformation() {
        for (id, _) in TEMPLATES {
            check(id, &templates::network(id).unwrap());
        }
        check("large", &templates::large(30, 4, 3));
    }

    #[test]
    fn a_cidr_plan_exports_the_network_it_builds() {
        use crate::core::cidr::plan::{plan, PlanInput, Tier, TierSize};
        let tier = |name: &str, public| Tier {
            name: name.into(),
            size: TierSize::Prefix(24),
            public,
        };
        let p = plan(&PlanInput {
            vpc: crate::core::cidr::Block::parse("10.1.0.0/16")
                .unwrap()
                .block,
            azs: 3,
            tiers: vec![tier("public", true), tier("app", false), tier("db", false)],
        })
        .unwrap();
        let n = crate::core::views::vpc::plan::network(&p, false).unwrap();
        check("plan", &n);
        let (tf, _) = parse_tf(&crate::core::views::vpc::plan::terraform(&p).unwrap());
        // One public table, a private table and a NAT gateway (with its EIP) per AZ.
        assert_eq!(of_type(&tf, "aws_route_table").len(), 4);
        assert_eq!(of_type(&tf, "aws_nat_gateway").len(), 3);
        assert_eq!(of_type(&tf, "aws_eip").len(), 3);
        assert_eq!(of_type(&tf, "aws_route_table_association").len(), 9);
        let public: Vec<_> = of_type(&tf, "aws_subnet")
            .into_iter()
            .filter(|s| s["map_public_ip_on_launch"] == hcl::Expression::Bool(true))
            .map(|s| string(s.get("cidr_block")))
            .collect();
        assert_eq!(public.len(), 3);
        let doc: Value =
            serde_json::from_str(&crate::core::views::vpc::plan::cloudformation(&p).unwrap())
                .unwrap();
        assert_eq!(cfn_of_type(&doc, "AWS::EC2::VPCGatewayAttachment").len(), 1);
        check(
            "plan with examples",
            &crate::core::views::vpc::plan::network(&p, true).unwrap(),
        );
    }

    #[test]
    fn a_nat_gateway_comes_with_its_elastic_ip_and_routes() {
        let n = templates::public_private_nat();
        let (tf, _) = parse_tf(&terraform(&n));
        let nat = &tf["aws_nat_gateway.nat_a"];
        let mut refs = vec![];
        tf_refs(&nat["allocation_id"], &mut refs);
        assert_eq!(refs, vec!["aws_eip.nat_a_eip"]);
        let routes = of_type(&tf, "aws_route");
        let to_nat = routes
            .iter()
            .filter(|r| r.contains_key("nat_gateway_id"))
            .count();
        assert_eq!(to_nat, 1);
        let doc: Value = serde_json::from_str(&cloudformation(&n)).unwrap();
        assert_eq!(
            doc["Resources"]["NatA"]["Properties"]["AllocationId"],
            json!({ "Fn::GetAtt": ["NatAEip", "AllocationId"] })
        );
        assert_eq!(
            doc["Resources"]["NatAEip"]["DependsOn"],
            json!(["IgwMainAttachment"])
        );
        assert!(terraform(&n)
            .contains("AWS assigns its Elastic IP's address (the design used 192.0.2.100)"));
    }

    /// The reviewer's cases: a route to a detached gateway is left out (with a note), IPv6
    /// addresses are hosts of the assigned blocks, an Elastic IP waits for the gateway, and
    /// a group without outbound rules gets the placeholder.
    #[test]
    fn what_cannot_be_deployed_as_designed_is_noted() {
        // The model refuses the detach while a route uses the gateway; a design read from
        // an old file may still hold one.
        assert!(apply(
            &templates::single_web_server(),
            &Edit::igw_attachment("igw-main", None)
        )
        .is_err());
        let mut n = templates::single_web_server();
        n.igws[0].vpc = None;
        let tf = terraform(&n);
        let (parsed, _) = parse_tf(&tf);
        assert!(of_type(&parsed, "aws_route").is_empty(), "{tf}");
        assert!(
            tf.contains("is not exported (the gateway is detached"),
            "{tf}"
        );
        check("detached", &n);
        let dual = templates::dual_stack();
        check("dual", &dual);
        let tf = terraform(&dual);
        assert!(tf.contains("cidrhost(aws_subnet."), "{tf}");
        assert!(
            !tf.contains("2600:1f18:6b4:a01::10\""),
            "no literal design address"
        );
        let doc: Value = serde_json::from_str(&cloudformation(&dual)).unwrap();
        let assoc = doc["Resources"]
            .as_object()
            .unwrap()
            .values()
            .find(|r| r["Type"] == "AWS::EC2::EIPAssociation")
            .unwrap();
        assert_eq!(assoc["DependsOn"], json!(["IgwMainAttachment"]));
    }

    #[test]
    fn user_text_is_quoted_safely() {
        let mut n = templates::single_web_server();
        n.vpcs[0].name = "a \"b\" ${c} \\ %{d}".into();
        let (tf, _) = parse_tf(&terraform(&n));
        assert!(tf.contains_key("aws_vpc.vpc_main"));
        assert!(terraform(&n).contains(r#"Name = "a \"b\" $${c} \\ %%{d}""#));
        let doc: Value = serde_json::from_str(&cloudformation(&n)).unwrap();
        assert_eq!(
            doc["Resources"]["VpcMain"]["Properties"]["Tags"][0]["Value"],
            "a \"b\" ${c} \\ %{d}"
        );
        assert_eq!(
            (tf_name("9x"), logical("9x")),
            ("r_9x".to_string(), "R9x".to_string())
        );
    }
}
