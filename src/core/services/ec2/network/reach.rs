//! "Can A reach B on this protocol and port?" evaluated hop by hop, both ways, with the rule
//! that decided each hop and explanation codes for failures (in the spirit of AWS
//! Reachability Analyzer's), plus the course's "my web server does not load" checklist.

use super::model::*;
use serde::Serialize;

/// The source port the model's clients use; replies come back to it, so stateless NACLs
/// must allow it (Linux picks 32768–60999, Windows and IANA 49152–65535; AWS suggests
/// allowing 1024–65535).
pub const CLIENT_PORT: u16 = 50000;
/// An address standing for "a client on the internet" (TEST-NET-3, RFC 5737).
pub const INTERNET_CLIENT: u32 = u32::from_be_bytes([203, 0, 113, 50]);
/// An address standing for "a server on the internet" (TEST-NET-2).
pub const INTERNET_SERVER: u32 = u32::from_be_bytes([198, 51, 100, 80]);
/// IPv6 stand-ins for an internet client and server (documentation prefix 2001:db8::/32).
pub const INTERNET_CLIENT6: u128 = 0x2001_0db8_00ff_0000_0000_0000_0000_0050;
pub const INTERNET_SERVER6: u128 = 0x2001_0db8_00ee_0000_0000_0000_0000_0080;

/// One end of a query. `Instance` names an instance (its primary interface) or a network
/// interface by id.
#[derive(Clone, Debug, PartialEq)]
pub enum End {
    Instance(String),
    Ip(Ip),
    Internet,
    Service(Service),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub from: End,
    pub to: End,
    pub proto: Proto,
    pub port: u16,
    /// Over IPv6 (instances' IPv6 addresses, IPv6 rules and routes). An address given as
    /// an end decides the family by itself.
    pub v6: bool,
}

impl Query {
    pub fn new(from: End, to: End, proto: Proto, port: u16) -> Query {
        Query {
            from,
            to,
            proto,
            port,
            v6: false,
        }
    }

    /// The traffic in words: "tcp port 443", "icmp echo request", "gre (47)".
    pub fn traffic(&self) -> String {
        if self.proto.has_ports() {
            format!("{} port {}", self.proto.label(), self.port)
        } else {
            self.proto.label()
        }
    }

    /// The family the packets use.
    fn family_v6(&self) -> bool {
        match (&self.from, &self.to) {
            (_, End::Service(_)) => false,
            (End::Ip(ip), _) | (_, End::Ip(ip)) => ip.family == Family::V6,
            _ => self.v6,
        }
    }
}

/// Why traffic does not get through. The text of each code is stable (test ids, docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Code {
    UnknownEndpoint,
    NoRoute,
    SgEgressNoRule,
    SgIngressNoRule,
    NaclOutboundDenied,
    NaclInboundDenied,
    NoPublicIp,
    IgwNotAttached,
    PrivateAddressViaIgw,
    NatOutboundOnly,
    NatNoElasticIp,
    NatNoRouteToIgw,
    PeeringInactive,
    PeeringNotTransitive,
    ReturnNaclDenied,
    ReturnNoRoute,
    Ipv6Only,
    NoDestination,
    NoIpv6Address,
    EgressOnlyInbound,
    NatIpv4Only,
    InterfaceDetached,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnknownEndpoint => "UNKNOWN_ENDPOINT",
            Code::NoRoute => "NO_ROUTE",
            Code::SgEgressNoRule => "SG_EGRESS_NO_RULE",
            Code::SgIngressNoRule => "SG_INGRESS_NO_RULE",
            Code::NaclOutboundDenied => "NACL_OUTBOUND_DENIED",
            Code::NaclInboundDenied => "NACL_INBOUND_DENIED",
            Code::NoPublicIp => "NO_PUBLIC_IP",
            Code::IgwNotAttached => "IGW_NOT_ATTACHED",
            Code::PrivateAddressViaIgw => "PRIVATE_ADDRESS_VIA_IGW",
            Code::NatOutboundOnly => "NAT_OUTBOUND_ONLY",
            Code::NatNoElasticIp => "NAT_NO_ELASTIC_IP",
            Code::NatNoRouteToIgw => "NAT_NO_ROUTE_TO_IGW",
            Code::PeeringInactive => "PEERING_INACTIVE",
            Code::PeeringNotTransitive => "PEERING_NOT_TRANSITIVE",
            Code::ReturnNaclDenied => "RETURN_NACL_DENIED",
            Code::ReturnNoRoute => "RETURN_NO_ROUTE",
            Code::Ipv6Only => "IPV6_ONLY",
            Code::NoDestination => "NO_DESTINATION",
            Code::NoIpv6Address => "NO_IPV6_ADDRESS",
            Code::EgressOnlyInbound => "EGRESS_ONLY_INBOUND",
            Code::NatIpv4Only => "NAT_IPV4_ONLY",
            Code::InterfaceDetached => "INTERFACE_DETACHED",
        }
    }
}

/// One hop: the component, whether traffic passed, and the rule that decided it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hop {
    pub step: &'static str,
    pub component: String,
    /// Where the hop happens, for the diagram: the subnet whose network ACL or route table
    /// decides (those are drawn on their subnet), otherwise the component itself.
    pub at: String,
    pub ok: bool,
    pub rule: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub reachable: bool,
    pub forward: Vec<Hop>,
    /// The reply's hops (stateless NACLs and routing back); empty when the request failed.
    pub back: Vec<Hop>,
    /// Failure codes with a sentence each.
    pub codes: Vec<(Code, String)>,
    /// Notes that explain a success or a failure further.
    pub notes: Vec<String>,
}

impl Verdict {
    /// Ids of the components on the path, for the diagram's highlight.
    pub fn path(&self) -> Vec<String> {
        self.forward
            .iter()
            .chain(&self.back)
            .map(|h| h.component.clone())
            .collect()
    }
}

struct Trace<'a> {
    net: &'a Network,
    v: Verdict,
}

#[derive(Clone, Copy, PartialEq)]
enum Dir {
    In,
    Out,
}

/// What the other side of a packet looks like to a rule.
struct PeerInfo<'a> {
    ip: Ip,
    groups: &'a [String],
    service: Option<Service>,
}

/// Whether a rule admits a packet: its protocol (an ICMP rule: the type and code) and, for
/// TCP and UDP only, its port.
fn port_ok(rule_proto: Proto, ports: Ports, proto: Proto, port: u16) -> bool {
    rule_proto.matches(proto) && (!rule_proto.has_ports() || ports.contains(port))
}

/// The union of a set of groups: the first rule (in group order) that allows the traffic.
/// A CIDR rule matches its own family only: 0.0.0.0/0 says nothing about IPv6 clients.
fn sg_allows(
    net: &Network,
    groups: &[String],
    dir: Dir,
    proto: Proto,
    port: u16,
    peer: &PeerInfo,
) -> Option<String> {
    for g in groups {
        let Some(sg) = net.group(g) else { continue };
        let rules = if dir == Dir::In {
            &sg.inbound
        } else {
            &sg.outbound
        };
        for r in rules {
            let peer_ok = match &r.peer {
                Peer::Cidr(n) => n.contains(peer.ip),
                Peer::Group(id) => peer.groups.iter().any(|x| x == id),
                Peer::PrefixList(s) => peer.service == Some(*s),
            };
            if peer_ok && port_ok(r.proto, r.ports, proto, port) {
                return Some(format!("{} ({}): allow {r}", sg.id, sg.name));
            }
        }
    }
    None
}

/// A NACL's verdict: rules in ascending number, the first match decides, `*` denies.
pub fn nacl_decides(
    nacl: &Nacl,
    inbound: bool,
    proto: Proto,
    port: u16,
    peer_ip: Ip,
) -> (bool, String) {
    let mut rules: Vec<&NaclRule> = if inbound {
        nacl.inbound.iter()
    } else {
        nacl.outbound.iter()
    }
    .collect();
    rules.sort_by_key(|r| r.number);
    for r in rules {
        if r.cidr.contains(peer_ip) && port_ok(r.proto, r.ports, proto, port) {
            return (r.allow, format!("{} ({}): {r}", nacl.id, nacl.name));
        }
    }
    (
        false,
        format!(
            "{} ({}): rule * DENY (no numbered rule matched{})",
            nacl.id,
            nacl.name,
            if peer_ip.family == Family::V6 {
                " an IPv6 address"
            } else {
                ""
            }
        ),
    )
}

/// The route a table picks for an address: the longest matching prefix; `local` wins a tie.
pub fn route_for<'a>(net: &'a Network, table: &'a RouteTable, ip: Ip) -> Option<(Net, Target)> {
    let mut best: Option<(Net, Target)> = None;
    if let Some(vpc) = net.vpc(&table.vpc) {
        for c in vpc.cidrs.iter().chain(&vpc.ipv6) {
            if c.contains(ip) && best.as_ref().is_none_or(|(b, _)| c.prefix > b.prefix) {
                best = Some((*c, Target::Local));
            }
        }
    }
    for r in &table.routes {
        let n = r.dest.net();
        if n.contains(ip) && best.as_ref().is_none_or(|(b, _)| n.prefix > b.prefix) {
            best = Some((n, r.target.clone()));
        }
    }
    best
}

impl<'a> Trace<'a> {
    fn hop(
        &mut self,
        back: bool,
        step: &'static str,
        component: &str,
        ok: bool,
        rule: String,
    ) -> bool {
        self.hop_at(back, step, component, component, ok, rule)
    }

    /// [`Trace::hop`] for a hop that happens at a subnet (a NACL or route table).
    fn hop_at(
        &mut self,
        back: bool,
        step: &'static str,
        component: &str,
        at: &str,
        ok: bool,
        rule: String,
    ) -> bool {
        let h = Hop {
            step,
            component: component.to_string(),
            at: at.to_string(),
            ok,
            rule,
        };
        if back {
            self.v.back.push(h)
        } else {
            self.v.forward.push(h)
        }
        ok
    }

    fn fail(&mut self, code: Code, text: String) -> bool {
        self.v.codes.push((code, text));
        false
    }

    fn nacl(
        &mut self,
        back: bool,
        subnet: &str,
        inbound: bool,
        proto: Proto,
        port: u16,
        peer_ip: Ip,
    ) -> bool {
        let Some(nacl) = self.net.nacl_of(subnet) else {
            return self.hop(
                back,
                if inbound {
                    "NACL inbound"
                } else {
                    "NACL outbound"
                },
                subnet,
                true,
                "no network ACL: nothing filters".into(),
            );
        };
        let (ok, rule) = nacl_decides(nacl, inbound, proto, port, peer_ip);
        let id = nacl.id.clone();
        let step = match (inbound, back) {
            (true, false) => "NACL inbound",
            (false, false) => "NACL outbound",
            (true, true) => "NACL inbound (reply)",
            (false, true) => "NACL outbound (reply)",
        };
        self.hop_at(back, step, &id, subnet, ok, rule.clone());
        if !ok {
            let code = match (back, inbound) {
                (true, _) => Code::ReturnNaclDenied,
                (false, true) => Code::NaclInboundDenied,
                (false, false) => Code::NaclOutboundDenied,
            };
            let what = match (back, proto.has_ports()) {
                (true, true) => format!("the reply to port {port} is dropped: NACLs are stateless, so the reply needs its own rule (usually the ephemeral ports 1024-65535)"),
                (true, false) => format!("the reply ({}) is dropped: NACLs are stateless, so the reply needs its own rule", proto.label()),
                (false, true) => format!(
                    "{} {} {port}",
                    if inbound { "inbound" } else { "outbound" },
                    proto.label()
                ),
                (false, false) => format!(
                    "{} {}",
                    if inbound { "inbound" } else { "outbound" },
                    proto.label()
                ),
            };
            self.fail(code, format!("{id} denies {what} — {rule}."));
        }
        ok
    }

    /// Checks the destination side inside a VPC: NACL inbound, SG ingress, then the reply's
    /// NACL outbound.
    fn arrive(&mut self, dst: &Iface, src: &PeerInfo, q: &Query) -> bool {
        if let Some(code) = detached(dst) {
            self.hop(false, "Network interface", dst.id, false, code.clone());
            return self.fail(Code::InterfaceDetached, code);
        }
        if !self.nacl(false, dst.subnet, true, q.proto, q.port, src.ip) {
            return false;
        }
        match sg_allows(self.net, dst.groups, Dir::In, q.proto, q.port, src) {
            Some(rule) => {
                self.hop(false, "Security group ingress", dst.id, true, rule);
            }
            None => {
                let groups = dst.groups.join(", ");
                self.hop(
                    false,
                    "Security group ingress",
                    dst.id,
                    false,
                    format!(
                        "groups {groups}: no inbound rule allows {} from {}",
                        q.traffic(),
                        src.ip
                    ),
                );
                let v6_hint = if src.ip.family == Family::V6 {
                    " An IPv4 rule such as 0.0.0.0/0 does not cover IPv6 clients: add one for ::/0."
                } else {
                    ""
                };
                return self.fail(Code::SgIngressNoRule, format!("No inbound rule of {groups} allows {} from {} (security groups allow only what a rule names).{v6_hint}", q.traffic(), src.ip));
            }
        }
        self.nacl(
            true,
            dst.subnet,
            false,
            q.proto.reply(),
            CLIENT_PORT,
            src.ip,
        )
    }
}

/// A network interface that is not attached answers nothing.
fn detached(i: &Iface) -> Option<String> {
    i.instance.is_none().then(|| {
        format!(
            "{} is not attached to an instance: nothing answers at its address.",
            i.id
        )
    })
}

fn service_for(ip: Ip) -> Option<Service> {
    Service::ALL.into_iter().find(|s| s.range().contains(ip))
}

/// Answers a query.
pub fn analyze(net: &Network, q: &Query) -> Verdict {
    let mut t = Trace {
        net,
        v: Verdict {
            reachable: false,
            forward: vec![],
            back: vec![],
            codes: vec![],
            notes: vec![],
        },
    };
    let v6 = q.family_v6();
    if q.proto == Proto::All {
        return Verdict {
            codes: vec![(
                Code::UnknownEndpoint,
                "A packet has one protocol: ask about tcp, udp, icmp, icmpv6 or a protocol number, not all.".into(),
            )],
            ..t.v
        };
    }
    if let Some(text) = match (q.proto, v6) {
        (Proto::Icmp(_), true) => {
            Some("ICMP (protocol 1) is IPv4's; over IPv6, ping uses ICMPv6 (protocol 58).")
        }
        (Proto::Icmpv6(_), false) => {
            Some("ICMPv6 (protocol 58) is IPv6's; over IPv4, ping uses ICMP (protocol 1).")
        }
        _ => None,
    } {
        t.v.notes.push(text.to_string());
    }
    let client = if v6 {
        Ip::v6(INTERNET_CLIENT6)
    } else {
        Ip::v4(INTERNET_CLIENT)
    };
    let ok = match (&q.from, &q.to) {
        (End::Instance(a), _) => from_instance(&mut t, a, q, v6),
        (End::Internet, End::Instance(b)) => from_internet(&mut t, client, b, q),
        (End::Ip(ip), End::Instance(b)) if net.subnet_of_ip(*ip).is_none() => from_internet(&mut t, *ip, b, q),
        _ => t.fail(Code::UnknownEndpoint, "Start from an instance or a network interface, or from the internet (or an outside address) towards one.".into()),
    };
    t.v.reachable = ok && t.v.codes.is_empty();
    t.v
}

fn no_ipv6(t: &mut Trace, id: &str) -> bool {
    t.hop(false, "IPv6 address", id, false, "no IPv6 address".into());
    t.fail(Code::NoIpv6Address, format!("{id} has no IPv6 address: give its subnet an IPv6 block (inside the VPC's, usually a /64) and the interface an address from it."))
}

/// From a client on the internet to instance or interface `dst`: its address, the internet
/// gateway, the destination's NACL and security groups, and the reply's route back.
fn from_internet(t: &mut Trace, client: Ip, dst: &str, q: &Query) -> bool {
    let Some((ifc, subnet)) = internet_target(t, dst) else {
        return false;
    };
    let Some(addressed) = internet_address(t, client, &ifc, subnet) else {
        return false;
    };
    let Some(igw) = inbound_gateway(t, subnet, client.family == Family::V6, &addressed) else {
        return false;
    };
    let src = PeerInfo {
        ip: client,
        groups: &[],
        service: None,
    };
    if !t.arrive(&ifc, &src, q) {
        return false;
    }
    reply_to_internet(t, subnet, client, igw)
}

/// The interface `dst` names and its subnet; `None` after recording that either is unknown.
fn internet_target<'a>(t: &mut Trace<'a>, dst: &str) -> Option<(Iface<'a>, &'a Subnet)> {
    let net = t.net;
    let Some(ifc) = net.iface(dst) else {
        t.fail(
            Code::UnknownEndpoint,
            format!("There is no instance or network interface {dst}."),
        );
        return None;
    };
    let Some(subnet) = net.subnet(ifc.subnet) else {
        t.fail(
            Code::UnknownEndpoint,
            format!("{dst} is in a subnet that does not exist."),
        );
        return None;
    };
    Some((ifc, subnet))
}

/// How the internet addresses the interface: its global IPv6 address, or its public IPv4
/// address translated to the private one. `None` after recording that it has none.
fn internet_address(t: &mut Trace, client: Ip, ifc: &Iface, subnet: &Subnet) -> Option<String> {
    if client.family == Family::V6 {
        let Some(a) = ifc.ipv6 else {
            no_ipv6(t, ifc.id);
            return None;
        };
        return Some(format!(
            "{a} is a global IPv6 address: the gateway passes it untranslated"
        ));
    }
    let Some(public) = ifc.public_ip else {
        no_public_ip(t, client, ifc, subnet);
        return None;
    };
    Some(format!(
        "translates {}{} to {}",
        ip_text(public),
        ifc.eip
            .map(|e| format!(" (Elastic IP {e})"))
            .unwrap_or_default(),
        ip_text(ifc.private_ip)
    ))
}

/// Records that the interface has no public IPv4 address, noting a NAT gateway in its way
/// and an Elastic IP that could give it one.
fn no_public_ip(t: &mut Trace, client: Ip, ifc: &Iface, subnet: &Subnet) -> bool {
    let net = t.net;
    t.hop(
        false,
        "Public address",
        ifc.id,
        false,
        "no public IPv4 address or Elastic IP".into(),
    );
    let via_nat = net
        .route_table_of(&subnet.id)
        .and_then(|rt| route_for(net, rt, client))
        .is_some_and(|(_, tg)| matches!(tg, Target::Nat(_)));
    if via_nat {
        t.fail(Code::NatOutboundOnly, format!("{} sits behind a NAT gateway: NAT lets it start connections out, never lets the internet start one in.", ifc.id));
    }
    if let Some(idle) = net.eips.iter().find(|e| e.target.is_none()) {
        t.v.notes.push(format!(
            "{} ({}) is allocated but not associated with anything: associate it with {} to give it a public address.",
            idle.id,
            ip_text(idle.address),
            ifc.id
        ));
    }
    t.fail(
        Code::NoPublicIp,
        format!(
            "{} has no public IP or Elastic IP, so nothing on the internet can address it.",
            ifc.id
        ),
    )
}

/// The internet gateway of the subnet's VPC, the hop the packet enters by; `None` after
/// recording that there is none.
fn inbound_gateway<'a>(
    t: &mut Trace<'a>,
    subnet: &Subnet,
    v6: bool,
    addressed: &str,
) -> Option<&'a Gateway> {
    let net = t.net;
    let Some(igw) = super::query::igw_of(net, &subnet.vpc) else {
        t.hop(
            false,
            "Internet gateway",
            &subnet.vpc,
            false,
            "no internet gateway attached to this VPC".into(),
        );
        if v6
            && net
                .eigws
                .iter()
                .any(|g| super::query::attached(g, &subnet.vpc))
        {
            t.v.notes.push("The VPC's egress-only internet gateway carries connections started inside the VPC only; the internet needs an internet gateway to start one.".into());
        }
        t.fail(
            Code::IgwNotAttached,
            format!("No internet gateway is attached to {}.", subnet.vpc),
        );
        return None;
    };
    t.hop(
        false,
        "Internet gateway",
        &igw.id,
        true,
        format!("{} attached to {}; {addressed}", igw.id, subnet.vpc),
    );
    Some(igw)
}

/// The reply leaves by the subnet's route table: it must lead back to the internet gateway.
fn reply_to_internet(t: &mut Trace, subnet: &Subnet, client: Ip, igw: &Gateway) -> bool {
    let net = t.net;
    let v6 = client.family == Family::V6;
    let Some(rt) = net.route_table_of(&subnet.id) else {
        return t.fail(
            Code::ReturnNoRoute,
            format!("{} has no route table.", subnet.id),
        );
    };
    match route_for(net, rt, client) {
        Some((n, Target::Igw(g))) if g == igw.id => t.hop_at(
            true,
            "Route table (reply)",
            &rt.id,
            &subnet.id,
            true,
            format!("{client} → {g} (longest prefix {n})"),
        ),
        Some((n, Target::Eigw(g))) => {
            t.hop_at(
                true,
                "Route table (reply)",
                &rt.id,
                &subnet.id,
                false,
                format!("{client} → {g} (longest prefix {n}), an egress-only gateway"),
            );
            t.fail(Code::EgressOnlyInbound, format!("Replies to {client} leave by {g}, an egress-only internet gateway: it carries connections the VPC starts and their replies, never a connection started from the internet. Route {n} to {} to serve the internet over IPv6.", igw.id))
        }
        other => {
            let what = other
                .map(|(n, tg)| format!("{n} → {}", tg.id()))
                .unwrap_or_else(|| "no route".into());
            t.hop_at(
                true,
                "Route table (reply)",
                &rt.id,
                &subnet.id,
                false,
                format!("{client}: {what}"),
            );
            t.fail(Code::ReturnNoRoute, format!("Replies to {client} leave by {what} in {}, not by the internet gateway: the subnet is not public{}.", rt.id, if v6 { " for IPv6" } else { "" }))
        }
    }
}

/// Whether a subnet holds an address (either family).
fn subnet_holds(net: &Network, subnet: &str, ip: Ip) -> bool {
    net.subnet(subnet)
        .is_some_and(|s| s.cidr.contains(ip) || s.ipv6.is_some_and(|n| n.contains(ip)))
}

/// From instance or interface `a`: its security groups and NACL outbound, its route table,
/// the target the route leads to, and the reply's NACL inbound.
fn from_instance(t: &mut Trace, a: &str, q: &Query, v6: bool) -> bool {
    let net = t.net;
    let Some((first, first_subnet)) = source_interface(t, a, q) else {
        return false;
    };
    // Where the packet goes.
    let Some((dst_ip, dst_if, service)) = destination(t, q, v6, &first_subnet.vpc) else {
        return false;
    };
    let src = sending_interface(t, a, first, dst_ip, v6);
    let Some(src_subnet) = net.subnet(src.subnet) else {
        return false;
    };
    let Some(src_ip) = src.address(v6) else {
        return no_ipv6(t, src.id);
    };
    let dst_groups: &[String] = dst_if.as_ref().map(|i| i.groups).unwrap_or(&[]);
    let to = PeerInfo {
        ip: dst_ip,
        groups: dst_groups,
        service,
    };
    // 1. Source security groups, outbound.
    if !egress(t, &src, q, v6, &to) {
        return false;
    }
    // 2. Source subnet NACL, outbound.
    if !t.nacl(false, &src_subnet.id, false, q.proto, q.port, dst_ip) {
        return false;
    }
    // 3. The route table.
    let Some(target) = route_out(t, src_subnet, dst_ip, v6) else {
        return false;
    };
    let from = PeerInfo {
        ip: src_ip,
        groups: src.groups,
        service: None,
    };
    let leg = Leg {
        q,
        v6,
        src,
        src_subnet,
        src_ip,
        dst_ip,
        dst_if,
        service,
        from,
    };
    if !via_target(t, &leg, &target) {
        return false;
    }
    // The reply enters the source subnet through its NACL (SGs are stateful).
    t.nacl(
        true,
        &src_subnet.id,
        true,
        q.proto.reply(),
        CLIENT_PORT,
        dst_ip,
    )
}

/// The interface `a` names, attached, and its subnet; `None` after recording why not.
fn source_interface<'a>(t: &mut Trace<'a>, a: &str, q: &Query) -> Option<(Iface<'a>, &'a Subnet)> {
    let net = t.net;
    let Some(first) = net.iface(a) else {
        t.fail(
            Code::UnknownEndpoint,
            format!("There is no instance or network interface {a}."),
        );
        return None;
    };
    if let Some(why) = detached(&first) {
        t.hop(false, "Network interface", a, false, why.clone());
        t.fail(Code::InterfaceDetached, why);
        return None;
    }
    let Some(first_subnet) = net.subnet(first.subnet) else {
        t.fail(
            Code::UnknownEndpoint,
            format!("{a} is in a subnet that does not exist."),
        );
        return None;
    };
    if matches!(q.to, End::Service(_)) && q.v6 {
        t.v.notes.push(
            "The model reaches AWS services over IPv4, so this query uses IPv4 addresses.".into(),
        );
    }
    Some((first, first_subnet))
}

/// The interface the packet leaves by: an instance sends through the interface in the
/// destination's subnet when it has one there (on-link), else through its primary interface.
fn sending_interface<'a>(
    t: &mut Trace<'a>,
    a: &str,
    first: Iface<'a>,
    dst_ip: Ip,
    v6: bool,
) -> Iface<'a> {
    let net = t.net;
    if first.instance != Some(first.id) {
        return first;
    }
    let on_link = net
        .ifaces_of(a)
        .into_iter()
        .skip(1)
        .find(|i| subnet_holds(net, i.subnet, dst_ip) && i.address(v6).is_some());
    match on_link {
        Some(i) => {
            t.v.notes.push(format!(
                "{a} sends through its network interface {} because that interface sits in the destination's subnet {}.",
                i.id, i.subnet
            ));
            i
        }
        None => first,
    }
}

/// Step 3: the source subnet's route table must have a route for the destination; the
/// target it leads to, or `None` after recording why not.
fn route_out(t: &mut Trace, src_subnet: &Subnet, dst_ip: Ip, v6: bool) -> Option<Target> {
    let net = t.net;
    let Some(rt) = net.route_table_of(&src_subnet.id) else {
        t.fail(
            Code::NoRoute,
            format!("{} has no route table.", src_subnet.id),
        );
        return None;
    };
    let Some((matched, target)) = route_for(net, rt, dst_ip) else {
        t.hop_at(
            false,
            "Route table",
            &rt.id,
            &src_subnet.id,
            false,
            format!("no route matches {dst_ip}"),
        );
        t.fail(
            Code::NoRoute,
            format!(
                "{} has no route for {dst_ip}.{}",
                rt.id,
                if v6 {
                    " IPv6 needs its own routes (::/0), separate from 0.0.0.0/0."
                } else {
                    ""
                }
            ),
        );
        return None;
    };
    t.hop_at(
        false,
        "Route table",
        &rt.id,
        &src_subnet.id,
        true,
        format!("{dst_ip} → {} (longest prefix {matched})", target.id()),
    );
    Some(target)
}

/// Follows the route's target: within the VPC, or through a gateway, NAT, peering or endpoint.
fn via_target(t: &mut Trace, leg: &Leg, target: &Target) -> bool {
    match target {
        Target::Local => via_local(t, leg),
        Target::Igw(g) => via_igw(t, leg, g),
        Target::Nat(n) => via_nat(t, leg, n),
        Target::Peering(p) => via_peering(t, leg, p),
        Target::Endpoint(e) => via_endpoint(t, leg, e),
        Target::Vgw(g) => via_vgw(t, leg, g),
        Target::Eigw(g) => via_eigw(t, leg, g),
    }
}

/// Where a packet from VPC `vpc` goes: the destination address, its interface when the
/// model has it, and the AWS service it stands for (a service name resolves to an interface
/// endpoint's address when the VPC has one: private DNS). `None` after recording why not.
fn destination<'a>(
    t: &mut Trace<'a>,
    q: &Query,
    v6: bool,
    vpc: &str,
) -> Option<(Ip, Option<Iface<'a>>, Option<Service>)> {
    let net = t.net;
    Some(match &q.to {
        End::Instance(b) => match net.iface(b) {
            Some(i) => match i.address(v6) {
                Some(ip) => (ip, Some(i), None),
                None => {
                    no_ipv6(t, b);
                    return None;
                }
            },
            None => {
                t.fail(
                    Code::UnknownEndpoint,
                    format!("There is no instance or network interface {b}."),
                );
                return None;
            }
        },
        End::Ip(ip) => (*ip, net.iface_by_ip(*ip), service_for(*ip)),
        End::Internet => (
            if v6 {
                Ip::v6(INTERNET_SERVER6)
            } else {
                Ip::v4(INTERNET_SERVER)
            },
            None,
            None,
        ),
        End::Service(s) => {
            // Private DNS sends the service's name to an interface endpoint when there is one.
            let iface = net.endpoints.iter().find(|e| {
                e.service == *s && e.vpc == vpc && matches!(e.kind, EndpointKind::Interface { .. })
            });
            match iface.map(|e| &e.kind) {
                Some(EndpointKind::Interface { private_ip, .. }) => {
                    t.v.notes.push(format!(
                        "Private DNS resolves {} to the interface endpoint's address {}.",
                        s.name(),
                        ip_text(*private_ip)
                    ));
                    (Ip::v4(*private_ip), None, Some(*s))
                }
                _ => (Ip::v4(s.address()), None, Some(*s)),
            }
        }
    })
}

/// Step 1: the source's security groups must have an outbound rule for the packet.
fn egress(t: &mut Trace, src: &Iface, q: &Query, v6: bool, to: &PeerInfo) -> bool {
    let (net, dst_ip) = (t.net, to.ip);
    match sg_allows(net, src.groups, Dir::Out, q.proto, q.port, to) {
        Some(rule) => t.hop(false, "Security group egress", src.id, true, rule),
        None => {
            let groups = src.groups.join(", ");
            t.hop(
                false,
                "Security group egress",
                src.id,
                false,
                format!(
                    "groups {groups}: no outbound rule allows {} to {dst_ip}",
                    q.traffic(),
                ),
            );
            t.fail(
                Code::SgEgressNoRule,
                format!(
                    "No outbound rule of {groups} allows {} to {dst_ip}.{}",
                    q.traffic(),
                    if v6 {
                        " Outbound rules for 0.0.0.0/0 do not cover IPv6: add one for ::/0."
                    } else {
                        ""
                    }
                ),
            )
        }
    }
}

/// A packet leaving an instance, as far as its route: what the step for the route's target
/// needs.
struct Leg<'a, 'q> {
    q: &'q Query,
    v6: bool,
    src: Iface<'a>,
    src_subnet: &'a Subnet,
    src_ip: Ip,
    dst_ip: Ip,
    dst_if: Option<Iface<'a>>,
    service: Option<Service>,
    from: PeerInfo<'a>,
}

/// Whether gateway `g` of `list` is attached to `vpc`.
fn attached_to(list: &[Gateway], g: &str, vpc: &str) -> bool {
    list.iter()
        .any(|x| x.id == g && super::query::attached(x, vpc))
}

/// Inside the VPC (the `local` route): the destination interface or an interface endpoint.
fn via_local(t: &mut Trace, leg: &Leg) -> bool {
    let (net, q, dst_ip, dst_if, from) = (t.net, leg.q, leg.dst_ip, &leg.dst_if, &leg.from);
    if let Some(d) = &dst_if {
        t.arrive(d, from, q)
    } else if let Some(e) = net.endpoints.iter().find(|e| matches!(&e.kind, EndpointKind::Interface { private_ip, .. } if Ip::v4(*private_ip) == dst_ip)) {
        let EndpointKind::Interface { subnets, groups, private_ip } = &e.kind else { return false };
        let Some(sub) = subnets.first() else { return false };
        let ep = Iface { id: &e.id, instance: Some(&e.id), subnet: sub, private_ip: *private_ip, ipv6: None, groups, public_ip: None, eip: None };
        t.arrive(&ep, from, q)
    } else {
        t.fail(Code::NoDestination, format!("Nothing in the model has the address {dst_ip}."))
    }
}

/// Out through the internet gateway: attached to this VPC, a public destination, a public IPv4 address to translate to (IPv6 passes untranslated).
fn via_igw(t: &mut Trace, leg: &Leg, g: &str) -> bool {
    let (net, v6, src, src_subnet, src_ip, dst_ip) = (
        t.net,
        leg.v6,
        &leg.src,
        leg.src_subnet,
        leg.src_ip,
        leg.dst_ip,
    );
    if !attached_to(&net.igws, g, &leg.src_subnet.vpc) {
        t.hop(
            false,
            "Internet gateway",
            g,
            false,
            "not attached to this VPC".into(),
        );
        return t.fail(
            Code::IgwNotAttached,
            format!(
                "{g} is not attached to {}: the route leads nowhere.",
                src_subnet.vpc
            ),
        );
    }
    if is_private(dst_ip) {
        t.hop(
            false,
            "Internet gateway",
            g,
            false,
            format!("{dst_ip} is a private address"),
        );
        return t.fail(
            Code::PrivateAddressViaIgw,
            format!("An internet gateway does not carry private addresses such as {dst_ip}."),
        );
    }
    if v6 {
        t.hop(
            false,
            "Internet gateway",
            g,
            true,
            format!("passes {src_ip} untranslated (IPv6 addresses are global)"),
        );
        true
    } else {
        let Some(public) = src.public_ip else {
            t.hop(
                false,
                "Internet gateway",
                g,
                false,
                format!("{} has no public IP to translate to", src.id),
            );
            return t.fail(Code::NoPublicIp, format!("{} has no public IP or Elastic IP: the internet gateway has no address to give its traffic. Use a NAT gateway from a private subnet, or assign one.", src.id));
        };
        t.hop(
            false,
            "Internet gateway",
            g,
            true,
            format!(
                "translates {src_ip} to {}{}",
                ip_text(public),
                src.eip
                    .map(|e| format!(" (Elastic IP {e})"))
                    .unwrap_or_default()
            ),
        );
        true
    }
}

/// Through a NAT gateway: IPv4 only, with an Elastic IP, in a subnet that routes to the internet gateway; its NACLs both ways.
fn via_nat(t: &mut Trace, leg: &Leg, n: &str) -> bool {
    let (net, q, v6, src_ip, dst_ip) = (t.net, leg.q, leg.v6, leg.src_ip, leg.dst_ip);
    let Some(nat) = net.nats.iter().find(|x| x.id == n) else {
        return t.fail(
            Code::NoRoute,
            format!("The route points to {n}, which does not exist."),
        );
    };
    if v6 {
        t.hop(
            false,
            "NAT gateway",
            n,
            false,
            "translates IPv4 only".into(),
        );
        return t.fail(Code::NatIpv4Only, format!("{n} translates IPv4: IPv6 addresses are global, so IPv6 traffic leaves by an egress-only internet gateway (outbound only) or the internet gateway."));
    }
    let Some(eip) = nat.eip else {
        t.hop(false, "NAT gateway", n, false, "no Elastic IP".into());
        return t.fail(
            Code::NatNoElasticIp,
            format!("{n} has no Elastic IP, so it cannot reach the internet."),
        );
    };
    // Into the NAT's subnet and out through its route table.
    if !t.nacl(false, &nat.subnet, true, q.proto, q.port, src_ip) {
        return false;
    }
    let nat_rt = net.route_table_of(&nat.subnet);
    let via = nat_rt.and_then(|r| route_for(net, r, dst_ip));
    match (&via, nat_rt) {
        (Some((_, Target::Igw(g))), Some(r))
            if net
                .subnet(&nat.subnet)
                .is_some_and(|s| super::query::igw_of(net, &s.vpc).is_some_and(|x| &x.id == g)) =>
        {
            t.hop(
                false,
                "NAT gateway",
                n,
                true,
                format!(
                    "translates {src_ip} to {} and sends it by {} → {g}",
                    ip_text(eip),
                    r.id
                ),
            );
        }
        _ => {
            t.hop(
                false,
                "NAT gateway",
                n,
                false,
                format!(
                    "{}'s subnet has no route to an attached internet gateway",
                    n
                ),
            );
            return t.fail(Code::NatNoRouteToIgw, format!("{n} sits in {} whose route table does not send {dst_ip} to an attached internet gateway: a NAT gateway belongs in a public subnet.", nat.subnet));
        }
    }
    if !t.nacl(false, &nat.subnet, false, q.proto, q.port, dst_ip) {
        return false;
    }
    // The reply passes the NAT subnet's NACLs again.
    t.nacl(
        true,
        &nat.subnet,
        true,
        q.proto.reply(),
        CLIENT_PORT,
        dst_ip,
    ) && t.nacl(
        true,
        &nat.subnet,
        false,
        q.proto.reply(),
        CLIENT_PORT,
        src_ip,
    )
}

/// Across a peering connection: active, not transitive, and routed back by the peer.
fn via_peering(t: &mut Trace, leg: &Leg, p: &str) -> bool {
    let (net, q, src_subnet, src_ip, dst_ip, dst_if, from) = (
        t.net,
        leg.q,
        leg.src_subnet,
        leg.src_ip,
        leg.dst_ip,
        &leg.dst_if,
        &leg.from,
    );
    let Some(pcx) = net.peerings.iter().find(|x| x.id == p) else {
        return t.fail(
            Code::NoRoute,
            format!("The route points to {p}, which does not exist."),
        );
    };
    if !pcx.active {
        t.hop(
            false,
            "Peering connection",
            p,
            false,
            "not active (not accepted yet)".into(),
        );
        return t.fail(
            Code::PeeringInactive,
            format!("{p} is not active: the other side has not accepted it."),
        );
    }
    let other = if pcx.requester == src_subnet.vpc {
        &pcx.accepter
    } else {
        &pcx.requester
    };
    let in_peer = net
        .vpc(other)
        .is_some_and(|v| v.cidrs.iter().chain(&v.ipv6).any(|c| c.contains(dst_ip)));
    if !in_peer {
        t.hop(
            false,
            "Peering connection",
            p,
            false,
            format!("{dst_ip} is not in {other}"),
        );
        return t.fail(Code::PeeringNotTransitive, format!("{p} only reaches {other}: peering is not transitive, so it cannot carry traffic on to {dst_ip}."));
    }
    t.hop(
        false,
        "Peering connection",
        p,
        true,
        format!("{} ↔ {}", pcx.requester, pcx.accepter),
    );
    let Some(d) = &dst_if else {
        return t.fail(
            Code::NoDestination,
            format!("Nothing in {other} has the address {dst_ip}."),
        );
    };
    if !t.arrive(d, from, q) {
        return false;
    }
    // The peer must route replies back through the same connection.
    let back = net
        .route_table_of(d.subnet)
        .and_then(|r| route_for(net, r, src_ip).map(|x| (r.id.clone(), x)));
    match back {
        Some((rid, (_, Target::Peering(x)))) if x == p => t.hop_at(
            true,
            "Route table (reply)",
            &rid,
            d.subnet,
            true,
            format!("{src_ip} → {p}"),
        ),
        other => {
            let rid = other.as_ref().map(|o| o.0.clone()).unwrap_or_default();
            t.hop_at(
                true,
                "Route table (reply)",
                &rid,
                d.subnet,
                false,
                format!("no route to {src_ip} through {p}"),
            );
            t.fail(Code::ReturnNoRoute, format!("{}'s route table has no route back to {src_ip} through {p}: both sides of a peering need routes.", d.subnet))
        }
    }
}

/// Into a gateway endpoint (S3, DynamoDB): the traffic stays on AWS's network.
fn via_endpoint(t: &mut Trace, leg: &Leg, e: &str) -> bool {
    let (service,) = (leg.service,);
    t.hop(
        false,
        "Gateway endpoint",
        e,
        true,
        format!(
            "{} prefix list → {e}",
            service.map(|s| s.name()).unwrap_or("service")
        ),
    );
    t.v.notes.push("The gateway endpoint keeps the traffic on AWS's network: no NAT gateway or public IP needed.".into());
    true
}

/// To a virtual private gateway (the VPN's far side is not modelled).
fn via_vgw(t: &mut Trace, leg: &Leg, g: &str) -> bool {
    let (net, src_subnet) = (t.net, leg.src_subnet);
    let ok = attached_to(&net.vgws, g, &leg.src_subnet.vpc);
    t.hop(
        false,
        "Virtual private gateway",
        g,
        ok,
        if ok {
            "to the VPN (the far side is not modeled)".into()
        } else {
            "not attached".into()
        },
    );
    if !ok {
        return t.fail(
            Code::NoRoute,
            format!("{g} is not attached to {}.", src_subnet.vpc),
        );
    }
    true
}

/// Out through an egress-only internet gateway: IPv6 only, outbound only.
fn via_eigw(t: &mut Trace, leg: &Leg, g: &str) -> bool {
    let (net, v6, src_subnet, src_ip, dst_ip) =
        (t.net, leg.v6, leg.src_subnet, leg.src_ip, leg.dst_ip);
    if !v6 {
        t.hop(
            false,
            "Egress-only internet gateway",
            g,
            false,
            "carries IPv6 only".into(),
        );
        return t.fail(
            Code::Ipv6Only,
            format!("{g} is an egress-only internet gateway: it carries IPv6 traffic only."),
        );
    }
    if !attached_to(&net.eigws, g, &leg.src_subnet.vpc) {
        t.hop(
            false,
            "Egress-only internet gateway",
            g,
            false,
            "not attached to this VPC".into(),
        );
        return t.fail(
            Code::NoRoute,
            format!("{g} is not attached to {}.", src_subnet.vpc),
        );
    }
    if is_private(dst_ip) {
        t.hop(
            false,
            "Egress-only internet gateway",
            g,
            false,
            format!("{dst_ip} is not a global address"),
        );
        return t.fail(Code::PrivateAddressViaIgw, format!("An egress-only internet gateway does not carry non-global addresses such as {dst_ip}."));
    }
    t.hop(
        false,
        "Egress-only internet gateway",
        g,
        true,
        format!("lets {src_ip} out and only the replies back in (stateful, outbound only)"),
    );
    true
}

/// One line of the web server checklist.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    pub id: &'static str,
    pub label: String,
    /// `Some(true)` passes, `Some(false)` fails, `None` is outside the model.
    pub ok: Option<bool>,
    pub detail: String,
}

/// "Why can't I reach my web server?": the course's checks on one instance, from the
/// internet on TCP 80 and 443.
pub fn web_server_checklist(net: &Network, instance: &str) -> Vec<Check> {
    let Some(inst) = net.iface(instance) else {
        return vec![];
    };
    let Some(subnet) = net.subnet(inst.subnet) else {
        return vec![];
    };
    let igw = super::query::igw_of(net, &subnet.vpc);
    let mut out = vec![
        igw_check(subnet, igw),
        route_check(net, subnet, igw),
        public_ip_check(net, &inst),
    ];
    out.extend(sg_checks(net, &inst));
    out.extend(nacl_checks(net, subnet));
    out.push(check(
        "sg-out",
        "Security groups need no rule for replies".into(),
        Some(true),
        "Security groups are stateful: a reply to allowed inbound traffic always leaves.".into(),
    ));
    out.push(check(
        "host",
        "The server listens on the port and the OS firewall allows it".into(),
        None,
        "Outside the model: check on the instance (for example `ss -tlnp` and the firewall)."
            .into(),
    ));
    out
}

/// One line of the checklist.
fn check(id: &'static str, label: String, ok: Option<bool>, detail: String) -> Check {
    Check {
        id,
        label,
        ok,
        detail,
    }
}

/// An internet gateway is attached to the subnet's VPC.
fn igw_check(subnet: &Subnet, igw: Option<&Gateway>) -> Check {
    check(
        "igw",
        "An internet gateway is attached to the VPC".into(),
        Some(igw.is_some()),
        igw.map(|g| format!("{} is attached to {}.", g.id, subnet.vpc))
            .unwrap_or_else(|| format!("No internet gateway is attached to {}.", subnet.vpc)),
    )
}

/// The subnet's route table (explicitly associated or the VPC's main table) sends internet
/// traffic to the internet gateway.
fn route_check(net: &Network, subnet: &Subnet, igw: Option<&Gateway>) -> Check {
    let rt = net.route_table_of(&subnet.id);
    let explicit = rt.is_some_and(|r| r.subnets.iter().any(|s| s == &subnet.id));
    let default_route = rt.and_then(|r| route_for(net, r, Ip::v4(INTERNET_CLIENT)));
    let to_igw =
        matches!((&default_route, igw), (Some((_, Target::Igw(g))), Some(i)) if *g == i.id);
    check(
        "route",
        "The subnet's route table sends internet traffic to it".into(),
        Some(to_igw),
        match (rt, &default_route) {
            (None, _) => format!("{} has no route table.", subnet.id),
            (Some(r), Some((n, tg))) => format!(
                "{} ({}) routes {n} → {}.",
                r.id,
                if explicit {
                    "explicitly associated"
                } else {
                    "the VPC's main table"
                },
                tg.id()
            ),
            (Some(r), None) => format!(
                "{} ({}) has no route for the internet.",
                r.id,
                if explicit {
                    "explicitly associated"
                } else {
                    "the VPC's main table"
                }
            ),
        },
    )
}

/// The instance has a public IPv4 address or an Elastic IP (naming an unassociated one).
fn public_ip_check(net: &Network, inst: &Iface) -> Check {
    check(
        "public-ip",
        "The instance has a public IPv4 address or an Elastic IP".into(),
        Some(inst.public_ip.is_some()),
        match (inst.public_ip, inst.eip) {
            (Some(ip), Some(e)) => format!("{} has {} (Elastic IP {e}).", inst.id, ip_text(ip)),
            (Some(ip), None) => format!("{} has {}.", inst.id, ip_text(ip)),
            (None, _) => format!(
                "{} has a private address only ({}){}.",
                inst.id,
                ip_text(inst.private_ip),
                net.eips
                    .iter()
                    .find(|e| e.target.is_none())
                    .map(|e| format!("; {} is allocated but not associated", e.id))
                    .unwrap_or_default()
            ),
        },
    )
}

/// A security group of the instance allows TCP 80, and TCP 443, in from the internet.
fn sg_checks(net: &Network, inst: &Iface) -> Vec<Check> {
    let client = PeerInfo {
        ip: Ip::v4(INTERNET_CLIENT),
        groups: &[],
        service: None,
    };
    [80u16, 443]
        .into_iter()
        .map(|port| {
            let rule = sg_allows(net, inst.groups, Dir::In, Proto::Tcp, port, &client);
            check(
                if port == 80 { "sg-80" } else { "sg-443" },
                format!("A security group allows TCP {port} in from the internet"),
                Some(rule.is_some()),
                rule.unwrap_or_else(|| {
                    format!(
                        "No inbound rule of {} allows TCP {port} from 0.0.0.0/0.",
                        inst.groups.join(", ")
                    )
                }),
            )
        })
        .collect()
}

/// The subnet's network ACL lets TCP 80 and 443 in and the replies out to the ephemeral
/// ports; one passing line when no ACL guards the subnet.
fn nacl_checks(net: &Network, subnet: &Subnet) -> Vec<Check> {
    let Some(nacl) = net.nacl_of(&subnet.id) else {
        return vec![check(
            "nacl-in-80",
            "The network ACLs".into(),
            Some(true),
            "No network ACL guards the subnet.".into(),
        )];
    };
    let mut out = vec![];
    for port in [80u16, 443] {
        let (ok, rule) = nacl_decides(nacl, true, Proto::Tcp, port, Ip::v4(INTERNET_CLIENT));
        out.push(check(
            if port == 80 {
                "nacl-in-80"
            } else {
                "nacl-in-443"
            },
            format!("The network ACL lets TCP {port} in"),
            Some(ok),
            rule,
        ));
    }
    let (ok, rule) = nacl_decides(
        nacl,
        false,
        Proto::Tcp,
        CLIENT_PORT,
        Ip::v4(INTERNET_CLIENT),
    );
    out.push(check(
        "nacl-out",
        "The network ACL lets replies out to the ephemeral ports (1024-65535)".into(),
        Some(ok),
        format!("{rule} (NACLs are stateless)"),
    ));
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::templates;
    use super::*;
    use proptest::prelude::*;

    fn q(from: End, to: End, port: u16) -> Query {
        Query::new(from, to, Proto::Tcp, port)
    }
    fn inst(id: &str) -> End {
        End::Instance(id.into())
    }
    fn codes(v: &Verdict) -> Vec<&'static str> {
        v.codes.iter().map(|c| c.0.as_str()).collect()
    }

    #[test]
    fn the_public_web_server_template_is_reachable_and_explained() {
        let net = templates::single_web_server();
        let v = analyze(&net, &q(End::Internet, inst("i-web"), 80));
        assert!(v.reachable, "{:?}", v.codes);
        let steps: Vec<_> = v.forward.iter().map(|h| h.step).collect();
        assert_eq!(
            steps,
            ["Internet gateway", "NACL inbound", "Security group ingress"]
        );
        let back: Vec<_> = v.back.iter().map(|h| h.step).collect();
        assert_eq!(back, ["NACL outbound (reply)", "Route table (reply)"]);
        // SSH is not open in the web group.
        let ssh = analyze(&net, &q(End::Internet, inst("i-web"), 22));
        assert_eq!(codes(&ssh), ["SG_INGRESS_NO_RULE"]);
    }

    /// Issue 12: any IP protocol by name or number; a rule of one protocol never admits
    /// another; "all" ignores ports; ICMP rules match type and code, and the reply of a
    /// ping is an echo reply that a stateless NACL must let out.
    #[test]
    fn protocols_and_icmp_types() {
        let base = templates::single_web_server();
        let ask = |net: &Network, proto: Proto, port: u16| {
            analyze(net, &Query::new(End::Internet, inst("i-web"), proto, port))
        };
        let with_rule = |rule: SgRule| {
            let mut net = base.clone();
            let g = net.groups.iter_mut().find(|g| g.id == "sg-web").unwrap();
            g.inbound = vec![rule];
            net
        };
        // The web group opens TCP 80 and 443: ping and GRE are refused by it.
        assert_eq!(codes(&ask(&base, Proto::PING, 0)), ["SG_INGRESS_NO_RULE"]);
        let v = ask(&base, Proto::Other(47), 0);
        assert_eq!(codes(&v), ["SG_INGRESS_NO_RULE"]);
        assert!(
            v.codes[0].1.contains("allows gre (47) from"),
            "{}",
            v.codes[0].1
        );
        // An ICMP rule for echo requests (type 8) admits ping.
        let icmp8 = with_rule(SgRule {
            proto: Proto::parse("icmp:8:-1").unwrap(),
            ports: Ports::ALL,
            peer: Peer::Cidr(Net::ANY),
        });
        assert!(ask(&icmp8, Proto::PING, 0).reachable);
        // An ICMP rule for echo replies only (type 0) does not.
        let icmp0 = with_rule(SgRule {
            proto: Proto::parse("icmp:0").unwrap(),
            ports: Ports::ALL,
            peer: Peer::Cidr(Net::ANY),
        });
        assert_eq!(codes(&ask(&icmp0, Proto::PING, 0)), ["SG_INGRESS_NO_RULE"]);
        // Protocol 47 by number admits GRE whatever the port field says, and only GRE.
        let gre = with_rule(SgRule {
            proto: Proto::parse("47").unwrap(),
            ports: Ports::one(1),
            peer: Peer::Cidr(Net::ANY),
        });
        assert!(ask(&gre, Proto::Other(47), 0).reachable);
        assert_eq!(
            codes(&ask(&gre, Proto::Other(50), 0)),
            ["SG_INGRESS_NO_RULE"]
        );
        assert_eq!(codes(&ask(&gre, Proto::Tcp, 80)), ["SG_INGRESS_NO_RULE"]);
        // TCP on every port does not admit UDP or ICMP.
        let tcp_all = with_rule(SgRule {
            proto: Proto::Tcp,
            ports: Ports::ALL,
            peer: Peer::Cidr(Net::ANY),
        });
        assert_eq!(
            codes(&ask(&tcp_all, Proto::Udp, 53)),
            ["SG_INGRESS_NO_RULE"]
        );
        assert_eq!(
            codes(&ask(&tcp_all, Proto::PING, 0)),
            ["SG_INGRESS_NO_RULE"]
        );
        // "all" (-1) ignores its port range.
        let all = with_rule(SgRule {
            proto: Proto::parse("-1").unwrap(),
            ports: Ports::one(80),
            peer: Peer::Cidr(Net::ANY),
        });
        for (p, port) in [
            (Proto::Tcp, 22),
            (Proto::Udp, 53),
            (Proto::PING, 0),
            (Proto::Other(50), 0),
        ] {
            assert!(ask(&all, p, port).reachable, "{p:?}");
        }
        // A NACL that lets echo requests in but only type 8 out drops the echo reply.
        let mut stateless = icmp8.clone();
        let nacl = stateless.nacls.iter_mut().find(|n| n.default).unwrap();
        let icmp_rule = |proto: &str| NaclRule {
            number: 100,
            proto: Proto::parse(proto).unwrap(),
            ports: Ports::ALL,
            cidr: Net::ANY,
            allow: true,
        };
        nacl.inbound = vec![icmp_rule("icmp:8:0")];
        nacl.outbound = vec![icmp_rule("icmp:8:0")];
        let v = ask(&stateless, Proto::PING, 0);
        assert_eq!(codes(&v), ["RETURN_NACL_DENIED"]);
        assert!(
            v.codes[0]
                .1
                .contains("the reply (icmp echo reply) is dropped"),
            "{}",
            v.codes[0].1
        );
        nacl_reply_allowed(&mut stateless);
        assert!(ask(&stateless, Proto::PING, 0).reachable);
        // A question about "all" protocols is refused: a packet has one.
        assert_eq!(codes(&ask(&base, Proto::All, 80)), ["UNKNOWN_ENDPOINT"]);
    }

    fn nacl_reply_allowed(net: &mut Network) {
        let nacl = net.nacls.iter_mut().find(|n| n.default).unwrap();
        nacl.outbound[0].proto = Proto::parse("icmp:0").unwrap();
    }

    #[test]
    fn nacl_first_match_by_rule_number() {
        // 100 ALLOW tcp 80 0.0.0.0/0, 200 DENY tcp 80 1.2.3.4/32 → allowed; swapped → denied.
        let mut net = templates::single_web_server();
        let nacl = net.nacls.iter_mut().find(|n| n.default).unwrap();
        let attacker = parse_ip("1.2.3.4").unwrap();
        nacl.inbound = vec![
            NaclRule {
                number: 100,
                proto: Proto::Tcp,
                ports: Ports::one(80),
                cidr: Net::ANY,
                allow: true,
            },
            NaclRule {
                number: 200,
                proto: Proto::Tcp,
                ports: Ports::one(80),
                cidr: Net::host(attacker),
                allow: false,
            },
        ];
        let from = |net: &Network| analyze(net, &q(End::Ip(Ip::v4(attacker)), inst("i-web"), 80));
        assert!(from(&net).reachable);
        let nacl = net.nacls.iter_mut().find(|n| n.default).unwrap();
        nacl.inbound[0].number = 300;
        let v = from(&net);
        assert_eq!(codes(&v), ["NACL_INBOUND_DENIED"]);
        assert!(v.codes[0].1.contains("rule 200 DENY"));
    }

    #[test]
    fn the_nacl_denies_ssh_before_the_security_group_is_asked() {
        // Course notes: NACL 100 DENY tcp/22 0.0.0.0/0 with an SG allowing 22 → blocked.
        let mut net = templates::single_web_server();
        net.groups
            .iter_mut()
            .find(|g| g.id == "sg-web")
            .unwrap()
            .inbound
            .push(SgRule {
                proto: Proto::Tcp,
                ports: Ports::one(22),
                peer: Peer::Cidr(Net::ANY),
            });
        let nacl = net.nacls.iter_mut().find(|n| n.default).unwrap();
        nacl.inbound.insert(
            0,
            NaclRule {
                number: 90,
                proto: Proto::Tcp,
                ports: Ports::one(22),
                cidr: Net::ANY,
                allow: false,
            },
        );
        let v = analyze(&net, &q(End::Internet, inst("i-web"), 22));
        assert_eq!(codes(&v), ["NACL_INBOUND_DENIED"]);
        assert!(!v.forward.iter().any(|h| h.step == "Security group ingress"));
    }

    #[test]
    fn stateless_nacl_needs_the_ephemeral_range_back() {
        let mut net = templates::single_web_server();
        let nacl = net.nacls.iter_mut().find(|n| n.default).unwrap();
        nacl.outbound = vec![NaclRule {
            number: 100,
            proto: Proto::Tcp,
            ports: Ports::one(80),
            cidr: Net::ANY,
            allow: true,
        }];
        let v = analyze(&net, &q(End::Internet, inst("i-web"), 80));
        assert_eq!(codes(&v), ["RETURN_NACL_DENIED"]);
        assert!(v.codes[0].1.contains("stateless"));
        // The same setup with the SG alone (NACL allowing all) works: SGs are stateful.
        let ok = templates::single_web_server();
        assert!(analyze(&ok, &q(End::Internet, inst("i-web"), 80)).reachable);
    }

    #[test]
    fn a_public_subnet_without_a_public_ip_is_unreachable_from_the_internet() {
        let mut net = templates::single_web_server();
        net.instances[0].public_ip = None;
        let v = analyze(&net, &q(End::Internet, inst("i-web"), 80));
        assert_eq!(codes(&v), ["NO_PUBLIC_IP"]);
    }

    #[test]
    fn igw_detached_and_missing_default_route() {
        let mut net = templates::single_web_server();
        net.igws[0].vpc = None;
        assert_eq!(
            codes(&analyze(&net, &q(End::Internet, inst("i-web"), 80))),
            ["IGW_NOT_ATTACHED"]
        );
        let mut net = templates::single_web_server();
        net.route_tables.iter_mut().for_each(|t| t.routes.clear());
        assert_eq!(
            codes(&analyze(&net, &q(End::Internet, inst("i-web"), 80))),
            ["RETURN_NO_ROUTE"]
        );
    }

    #[test]
    fn nat_is_outbound_only() {
        let net = templates::public_private_nat();
        // The private app server reaches the internet through the NAT gateway …
        let out = analyze(&net, &q(inst("i-app-a"), End::Internet, 443));
        assert!(out.reachable, "{:?}", out.codes);
        assert!(out.forward.iter().any(|h| h.step == "NAT gateway" && h.ok));
        // … but the internet cannot start a connection to it.
        let v = analyze(&net, &q(End::Internet, inst("i-app-a"), 443));
        assert_eq!(codes(&v), ["NAT_OUTBOUND_ONLY", "NO_PUBLIC_IP"]);
    }

    #[test]
    fn a_nat_gateway_in_a_private_subnet_goes_nowhere() {
        let mut net = templates::public_private_nat();
        let private = net
            .subnets
            .iter()
            .find(|s| s.id == "subnet-private-a")
            .unwrap()
            .id
            .clone();
        net.nats[0].subnet = private;
        let v = analyze(&net, &q(inst("i-app-a"), End::Internet, 443));
        assert_eq!(codes(&v), ["NAT_NO_ROUTE_TO_IGW"]);
    }

    #[test]
    fn longest_prefix_wins() {
        let mut net = templates::public_private_nat();
        // A /32 route for one address via the IGW beats the /0 to the NAT gateway: the
        // instance has no public IP, so that address becomes unreachable.
        let rt = net
            .route_tables
            .iter_mut()
            .find(|t| t.id == "rtb-private")
            .unwrap();
        rt.routes.push(Route {
            dest: Dest::Cidr(Net::host(INTERNET_SERVER)),
            target: Target::Igw("igw-main".into()),
        });
        let v = analyze(&net, &q(inst("i-app-a"), End::Internet, 443));
        assert_eq!(codes(&v), ["NO_PUBLIC_IP"]);
        assert!(v.forward[2].rule.contains("/32"));
    }

    #[test]
    fn three_tier_security_group_chaining() {
        let net = templates::three_tier();
        assert!(analyze(&net, &q(End::Internet, inst("i-web"), 443)).reachable);
        assert!(analyze(&net, &q(inst("i-web"), inst("i-app"), 80)).reachable);
        assert!(analyze(&net, &q(inst("i-app"), inst("i-db"), 3306)).reachable);
        // The web tier may not talk to the database directly.
        assert_eq!(
            codes(&analyze(&net, &q(inst("i-web"), inst("i-db"), 3306))),
            ["SG_INGRESS_NO_RULE"]
        );
        // Nor can the internet reach the app tier.
        assert_eq!(
            codes(&analyze(&net, &q(End::Internet, inst("i-app"), 80))),
            ["NAT_OUTBOUND_ONLY", "NO_PUBLIC_IP"]
        );
    }

    #[test]
    fn gateway_endpoint_routes_s3_without_nat() {
        let mut net = templates::three_tier();
        // Take the NAT away: S3 still works through the gateway endpoint, the internet not.
        net.route_tables
            .iter_mut()
            .for_each(|t| t.routes.retain(|r| !matches!(r.target, Target::Nat(_))));
        let v = analyze(&net, &q(inst("i-app"), End::Service(Service::S3), 443));
        assert!(v.reachable, "{:?}", v.codes);
        assert!(v.forward.iter().any(|h| h.step == "Gateway endpoint"));
        assert_eq!(
            codes(&analyze(&net, &q(inst("i-app"), End::Internet, 443))),
            ["NO_ROUTE"]
        );
    }

    #[test]
    fn peering_is_not_transitive() {
        let net = templates::peering_chain();
        assert!(analyze(&net, &q(inst("i-a"), inst("i-b"), 22)).reachable);
        assert!(analyze(&net, &q(inst("i-b"), inst("i-c"), 22)).reachable);
        // A → C through B: A's route for C points at the A-B peering, which ends in B.
        let v = analyze(&net, &q(inst("i-a"), inst("i-c"), 22));
        assert_eq!(codes(&v), ["PEERING_NOT_TRANSITIVE"]);
    }

    #[test]
    fn sg_union_across_groups() {
        let mut net = templates::three_tier();
        // i-db gets a second group allowing 3306 from the web tier: the union now allows it.
        net.groups.push(SecurityGroup {
            id: "sg-report".into(),
            name: "reports".into(),
            vpc: "vpc-main".into(),
            default: false,
            inbound: vec![SgRule {
                proto: Proto::Tcp,
                ports: Ports::one(3306),
                peer: Peer::Group("sg-web".into()),
            }],
            outbound: vec![],
        });
        net.instances
            .iter_mut()
            .find(|i| i.id == "i-db")
            .unwrap()
            .groups
            .push("sg-report".into());
        assert!(analyze(&net, &q(inst("i-web"), inst("i-db"), 3306)).reachable);
    }

    #[test]
    fn the_checklist_names_each_broken_thing() {
        let net = templates::single_web_server();
        let all = web_server_checklist(&net, "i-web");
        assert_eq!(all.len(), 10);
        assert!(all.iter().all(|c| c.ok != Some(false)), "{all:?}");
        let mut broken = net.clone();
        broken.igws[0].vpc = None;
        broken.instances[0].public_ip = None;
        broken
            .groups
            .iter_mut()
            .for_each(|g| g.inbound.retain(|r| r.ports != Ports::one(443)));
        let failed: Vec<_> = web_server_checklist(&broken, "i-web")
            .into_iter()
            .filter(|c| c.ok == Some(false))
            .map(|c| c.id)
            .collect();
        assert_eq!(failed, ["igw", "route", "public-ip", "sg-443"]);
    }

    fn q6(from: End, to: End, port: u16) -> Query {
        Query {
            v6: true,
            ..q(from, to, port)
        }
    }

    #[test]
    fn ipv6_through_the_internet_gateway_is_untranslated_and_needs_its_own_rules() {
        let net = templates::dual_stack();
        let v = analyze(&net, &q6(End::Internet, inst("i-web"), 443));
        assert!(v.reachable, "{:?}", v.codes);
        assert!(v.forward[0]
            .rule
            .contains("2600:1f18:6b4:a01::10 is a global IPv6 address"));
        assert!(v
            .back
            .iter()
            .any(|h| h.rule.contains("2001:db8:ff::50 → igw-main")));
        // The same group without its ::/0 rules: 0.0.0.0/0 does not cover IPv6 clients.
        let mut v4_only = net.clone();
        v4_only
            .groups
            .iter_mut()
            .find(|g| g.id == "sg-web")
            .unwrap()
            .inbound
            .retain(|r| r.peer != Peer::Cidr(Net::ANY6));
        let v = analyze(&v4_only, &q6(End::Internet, inst("i-web"), 443));
        assert_eq!(codes(&v), ["SG_INGRESS_NO_RULE"]);
        assert!(v.codes[0].1.contains("does not cover IPv6"));
        assert!(analyze(&v4_only, &q(End::Internet, inst("i-web"), 443)).reachable);
        // A default NACL without rule 101: IPv6 falls through to `*`.
        let mut no101 = net.clone();
        no101.nacls[0].inbound.retain(|r| r.number != 101);
        let v = analyze(&no101, &q6(End::Internet, inst("i-web"), 443));
        assert_eq!(codes(&v), ["NACL_INBOUND_DENIED"]);
        assert!(v.forward[1]
            .rule
            .contains("no numbered rule matched an IPv6 address"));
    }

    #[test]
    fn egress_only_gateway_lets_connections_out_but_none_in() {
        let net = templates::dual_stack();
        let out = analyze(&net, &q6(inst("i-app"), End::Internet, 443));
        assert!(out.reachable, "{:?}", out.codes);
        assert!(out
            .forward
            .iter()
            .any(|h| h.component == "eigw-main" && h.ok));
        // IPv4 has no way out of the private subnet in this design.
        assert_eq!(
            codes(&analyze(&net, &q(inst("i-app"), End::Internet, 443))),
            ["NO_ROUTE"]
        );
        // Even with the group open to the internet, nothing can start a connection in.
        let mut open = net.clone();
        open.groups
            .iter_mut()
            .find(|g| g.id == "sg-app")
            .unwrap()
            .inbound
            .push(SgRule {
                proto: Proto::Tcp,
                ports: Ports::one(443),
                peer: Peer::Cidr(Net::ANY6),
            });
        let v = analyze(&open, &q6(End::Internet, inst("i-app"), 443));
        assert_eq!(codes(&v), ["EGRESS_ONLY_INBOUND"]);
        // IPv4 through an egress-only gateway, and IPv6 through a NAT gateway, go nowhere.
        let mut four = net.clone();
        four.route_tables[0].routes.push(Route {
            dest: Dest::Cidr(Net::ANY),
            target: Target::Eigw("eigw-main".into()),
        });
        assert_eq!(
            codes(&analyze(&four, &q(inst("i-app"), End::Internet, 443))),
            ["IPV6_ONLY"]
        );
    }

    #[test]
    fn addresses_of_the_wrong_family_are_named() {
        let net = templates::single_web_server();
        let v = analyze(&net, &q6(End::Internet, inst("i-web"), 80));
        assert_eq!(codes(&v), ["NO_IPV6_ADDRESS"]);
        // An IPv6 address as an end decides the family by itself.
        let dual = templates::dual_stack();
        let ip = parse_ip6("2600:1f18:6b4:a02::10").unwrap();
        let v = analyze(&dual, &q(inst("i-web"), End::Ip(ip), 8080));
        assert!(v.reachable, "{:?}", v.codes);
    }

    #[test]
    fn elastic_ips_and_second_interfaces() {
        let net = templates::dual_stack();
        let v = analyze(&net, &q(End::Internet, inst("i-web"), 80));
        assert!(v.reachable);
        assert!(v.forward[0]
            .rule
            .contains("192.0.2.20 (Elastic IP eipalloc-web)"));
        // Disassociated: no public address, and the idle Elastic IP is pointed out.
        let mut idle = net.clone();
        idle.eips[0].target = None;
        let v = analyze(&idle, &q(End::Internet, inst("i-web"), 80));
        assert_eq!(codes(&v), ["NO_PUBLIC_IP"]);
        assert!(v.notes[0].contains("eipalloc-web (192.0.2.20) is allocated but not associated"));
        let checks = web_server_checklist(&idle, "i-web");
        assert!(checks.iter().any(|c| c.id == "public-ip"
            && c.ok == Some(false)
            && c.detail.contains("eipalloc-web")));
        // i-web talks to i-app through its interface in i-app's subnet, with that
        // interface's groups.
        let v = analyze(&net, &q(inst("i-web"), inst("i-app"), 8080));
        assert!(v.reachable, "{:?}", v.codes);
        assert_eq!(v.forward[0].component, "eni-web-b");
        assert!(v.notes[0].contains("eni-web-b"));
        // The interface is an end of its own; detached, nothing answers there.
        assert!(analyze(&net, &q(inst("i-app"), inst("eni-web-b"), 80)).reachable);
        let mut loose = net.clone();
        loose.enis[0].instance = None;
        let v = analyze(&loose, &q(inst("i-app"), inst("eni-web-b"), 80));
        assert_eq!(codes(&v), ["INTERFACE_DETACHED"]);
        // Without it, i-web uses its primary interface and still gets there.
        let v = analyze(&loose, &q(inst("i-web"), inst("i-app"), 8080));
        assert!(v.reachable && v.forward[0].component == "i-web");
    }

    fn any_rule() -> impl Strategy<Value = (u16, bool, u16, u8)> {
        (2u16..500, any::<bool>(), 0u16..1024, 0u8..=32)
    }

    proptest! {
        #[test]
        fn adding_an_allow_never_removes_reachability_and_a_deny_never_adds_it(rules in proptest::collection::vec(any_rule(), 0..8), port in 0u16..1024, extra in any_rule()) {
            let mk = |rules: &[(u16, bool, u16, u8)]| {
                let mut net = templates::single_web_server();
                let nacl = net.nacls.iter_mut().find(|n| n.default).unwrap();
                nacl.inbound = rules.iter().map(|(n, allow, p, pre)| NaclRule { number: *n, proto: Proto::Tcp, ports: Ports::one(*p), cidr: Net::v4((INTERNET_CLIENT as u128 & Net::v4(0, *pre).mask()) as u32, *pre), allow: *allow }).collect();
                net.groups.iter_mut().for_each(|g| g.inbound.push(SgRule { proto: Proto::Tcp, ports: Ports::ALL, peer: Peer::Cidr(Net::ANY) }));
                net
            };
            let before = analyze(&mk(&rules), &q(End::Internet, inst("i-web"), port)).reachable;
            // An allow placed first (lowest number) can only open; a deny placed first can only close.
            let (_, _, p, pre) = extra;
            let mut with_allow = rules.clone();
            with_allow.push((1, true, p, pre));
            let mut with_deny = rules.clone();
            with_deny.push((1, false, p, pre));
            let after_allow = analyze(&mk(&with_allow), &q(End::Internet, inst("i-web"), port)).reachable;
            let after_deny = analyze(&mk(&with_deny), &q(End::Internet, inst("i-web"), port)).reachable;
            prop_assert!(!before || after_allow, "an allow removed reachability");
            prop_assert!(before || !after_deny, "a deny added reachability");
        }

        #[test]
        fn ipv4_rules_never_change_an_ipv6_verdict(port in 0u16..2000, n in 1u16..400, allow in any::<bool>(), pre in 0u8..=32, app in any::<bool>()) {
            let net = templates::dual_stack();
            let to = if app { inst("i-app") } else { inst("i-web") };
            let ask = |net: &Network| analyze(net, &q6(End::Internet, to.clone(), port));
            let mut more = net.clone();
            let cidr = Net::v4((INTERNET_CLIENT as u128 & Net::v4(0, pre).mask()) as u32, pre);
            for a in more.nacls.iter_mut() {
                a.inbound.retain(|r| r.number != n);
                a.inbound.push(NaclRule { number: n, proto: Proto::Tcp, ports: Ports::one(port), cidr, allow });
            }
            for g in more.groups.iter_mut() {
                g.inbound.push(SgRule { proto: Proto::Tcp, ports: Ports::one(port), peer: Peer::Cidr(cidr) });
            }
            prop_assert_eq!(ask(&net).reachable, ask(&more).reachable);
        }

        #[test]
        fn sg_allow_rules_only_ever_add(port in 0u16..2000, add in 0u16..2000) {
            let net = templates::three_tier();
            let before = analyze(&net, &q(inst("i-web"), inst("i-db"), port)).reachable;
            let mut more = net.clone();
            more.groups.iter_mut().find(|g| g.id == "sg-db").unwrap().inbound.push(SgRule { proto: Proto::Tcp, ports: Ports::one(add), peer: Peer::Group("sg-web".into()) });
            let after = analyze(&more, &q(inst("i-web"), inst("i-db"), port)).reachable;
            prop_assert!(!before || after);
        }
    }
}
