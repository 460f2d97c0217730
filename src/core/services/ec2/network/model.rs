//! VPC resources as plain data (serde, so they live in the sandbox document).

use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::core::cidr::{Addr as Ip, Family};

/// A prefix of either family (`10.0.1.0/24`, `2600:1f18:6b4:a00::/56`), kept as numbers
/// for fast matching. IPv4 lives in the low 32 bits, as in the CIDR planner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Net {
    pub addr: u128,
    pub prefix: u8,
    pub family: Family,
}

impl Net {
    /// 0.0.0.0/0: every IPv4 address.
    pub const ANY: Net = Net {
        addr: 0,
        prefix: 0,
        family: Family::V4,
    };
    /// ::/0: every IPv6 address.
    pub const ANY6: Net = Net {
        addr: 0,
        prefix: 0,
        family: Family::V6,
    };

    pub fn v4(addr: u32, prefix: u8) -> Net {
        Net {
            addr: addr as u128,
            prefix,
            family: Family::V4,
        }
    }

    pub fn is_v6(self) -> bool {
        self.family == Family::V6
    }

    pub fn mask(self) -> u128 {
        if self.prefix == 0 {
            0
        } else {
            (u128::MAX << (self.family.bits() - self.prefix)) & self.family.max()
        }
    }

    /// The first address (for IPv4 prefixes, as the u32 the rest of the model uses).
    pub fn first4(self) -> u32 {
        self.addr as u32
    }

    pub fn contains(self, ip: Ip) -> bool {
        ip.family == self.family && ip.value & self.mask() == self.addr
    }

    /// `contains` for an IPv4 address held as u32.
    pub fn contains4(self, ip: u32) -> bool {
        self.contains(Ip::v4(ip))
    }

    pub fn contains_net(self, other: Net) -> bool {
        other.family == self.family
            && other.prefix >= self.prefix
            && other.addr & self.mask() == self.addr
    }

    pub fn overlaps(self, other: Net) -> bool {
        self.contains_net(other) || other.contains_net(self)
    }

    /// How many addresses the prefix holds (saturating for huge IPv6 blocks).
    pub fn size(self) -> u128 {
        let bits = (self.family.bits() - self.prefix) as u32;
        1u128.checked_shl(bits).unwrap_or(u128::MAX)
    }

    pub fn host(ip: u32) -> Net {
        Net::v4(ip, 32)
    }

    /// Parses CIDR text of either family with the CIDR planner's messages; host bits are
    /// refused.
    pub fn parse(text: &str) -> Result<Net, String> {
        use crate::core::cidr::Block;
        let p = Block::parse(text).map_err(|e| e.to_string())?;
        if p.host_bits_set() {
            return Err(format!(
                "{} has host bits set; the network is {}.",
                text.trim(),
                p.block
            ));
        }
        Ok(Net {
            addr: p.block.start,
            prefix: p.block.prefix,
            family: p.block.family,
        })
    }

    /// Parses an IPv4 prefix only (VPC and subnet blocks), naming the family otherwise.
    pub fn parse4(text: &str) -> Result<Net, String> {
        let n = Net::parse(text)?;
        if n.is_v6() {
            return Err(format!(
                "{}: an IPv4 block is needed here (IPv6 blocks have their own field).",
                text.trim()
            ));
        }
        Ok(n)
    }
}

pub fn ip_text(ip: u32) -> String {
    Ip::v4(ip).to_string()
}

pub fn parse_ip(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<std::net::Ipv4Addr>()
        .map(u32::from)
        .map_err(|_| format!("“{}” is not an IPv4 address.", text.trim()))
}

/// Private (RFC 1918, shared 100.64/10) IPv4 and unique-local, link-local or loopback IPv6
/// addresses: an internet gateway does not carry them, and no public address is one.
pub fn is_private(ip: Ip) -> bool {
    if ip.family == Family::V6 {
        let top = (ip.value >> 112) as u16;
        return top & 0xfe00 == 0xfc00 || top & 0xffc0 == 0xfe80 || ip.value <= 1;
    }
    let b = (ip.value as u32).to_be_bytes();
    b[0] == 10
        || (b[0] == 172 && (16..32).contains(&b[1]))
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 100 && (64..128).contains(&b[1]))
}

/// Parses an IPv6 address (for instances and network interfaces).
pub fn parse_ip6(text: &str) -> Result<Ip, String> {
    match Ip::parse(text.trim()) {
        Ok(ip) if ip.family == Family::V6 => Ok(ip),
        Ok(_) => Err(format!(
            "“{}” is an IPv4 address; an IPv6 one is needed here.",
            text.trim()
        )),
        Err(e) => Err(format!("“{}”: {e}", text.trim())),
    }
}

/// Parses an address of either family (analyzer endpoints).
pub fn parse_any_ip(text: &str) -> Result<Ip, String> {
    Ip::parse(text.trim()).map_err(|e| format!("“{}”: {e}", text.trim()))
}

impl fmt::Display for Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let start = Ip {
            family: self.family,
            value: self.addr,
        };
        write!(f, "{start}/{}", self.prefix)
    }
}

/// IPv6 addresses are stored as text in documents (`"2600:1f18::10"`).
pub mod ip_serde {
    use super::{parse_ip6, Ip};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ip: &Option<Ip>, s: S) -> Result<S::Ok, S::Error> {
        match ip {
            Some(ip) => s.serialize_some(&ip.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Ip>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| parse_ip6(&t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

impl Serialize for Net {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Net {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Net, D::Error> {
        let t = String::deserialize(d)?;
        Net::parse(&t).map_err(serde::de::Error::custom)
    }
}

/// ICMP messages a rule admits: a type and a code, `None` meaning every one (-1 in the AWS
/// API, where a security group rule carries them as FromPort and ToPort and a network ACL
/// entry as IcmpTypeCode).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct IcmpMatch {
    pub kind: Option<u8>,
    pub code: Option<u8>,
}

impl IcmpMatch {
    /// Every type and code.
    pub const ALL: IcmpMatch = IcmpMatch {
        kind: None,
        code: None,
    };
    /// One message: a type and a code.
    pub const fn message(kind: u8, code: u8) -> IcmpMatch {
        IcmpMatch {
            kind: Some(kind),
            code: Some(code),
        }
    }
    fn admits(self, m: IcmpMatch) -> bool {
        self.kind.is_none_or(|k| Some(k) == m.kind) && self.code.is_none_or(|c| Some(c) == m.code)
    }
}

/// ICMP (IPv4) echo request, what `ping` sends: type 8, code 0 (RFC 792).
pub const ICMP_ECHO_REQUEST: u8 = 8;
/// ICMP echo reply: type 0.
pub const ICMP_ECHO_REPLY: u8 = 0;
/// ICMPv6 echo request: type 128 (RFC 4443).
pub const ICMPV6_ECHO_REQUEST: u8 = 128;
/// ICMPv6 echo reply: type 129.
pub const ICMPV6_ECHO_REPLY: u8 = 129;

/// An IP protocol, as security group rules and network ACL entries name it: by name
/// (`tcp`, `udp`, `icmp`, `icmpv6`) or by its IANA number (47 GRE, 50 ESP …), `-1`/`all`
/// for every protocol (EC2 API reference, IpPermission.IpProtocol and
/// CreateNetworkAclEntry.Protocol). A rule of one protocol never admits another; only TCP
/// and UDP have ports ("a protocol other than tcp, udp, icmp or icmpv6 allows traffic on
/// all ports, regardless of any port range you specify"); ICMP rules match a type and code.
///
/// In a query, the protocol of the packet: ICMP and ICMPv6 carry the message sent (an echo
/// request for `ping`), and the reply path checks the echo reply.
///
/// Written in links and files as text: `all`, `tcp`, `udp`, `icmp`, `icmp:8`, `icmp:8:0`,
/// `icmpv6:128`, or a number `47`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Proto {
    /// Every protocol (-1): ports are ignored.
    All,
    /// 6.
    Tcp,
    /// 17.
    Udp,
    /// 1, with the ICMP types and codes admitted (or sent).
    Icmp(IcmpMatch),
    /// 58, with the ICMPv6 types and codes.
    Icmpv6(IcmpMatch),
    /// Any other protocol number (0–255 except 1, 6, 17, 58): no ports.
    Other(u8),
}

/// Names of common protocol numbers, for labels (IANA "Assigned Internet Protocol Numbers").
const PROTOCOL_NAMES: [(u8, &str); 9] = [
    (2, "igmp"),
    (4, "ipip"),
    (41, "ipv6-in-ipv4"),
    (47, "gre"),
    (50, "esp"),
    (51, "ah"),
    (89, "ospf"),
    (112, "vrrp"),
    (132, "sctp"),
];

impl Proto {
    /// ICMP echo request (`ping`), IPv4.
    pub const PING: Proto = Proto::Icmp(IcmpMatch::message(ICMP_ECHO_REQUEST, 0));
    /// ICMPv6 echo request (`ping -6`).
    pub const PING6: Proto = Proto::Icmpv6(IcmpMatch::message(ICMPV6_ECHO_REQUEST, 0));

    /// The protocol with this number (-1 for all).
    pub fn from_number(n: i16) -> Option<Proto> {
        Some(match n {
            -1 => Proto::All,
            1 => Proto::Icmp(IcmpMatch::ALL),
            6 => Proto::Tcp,
            17 => Proto::Udp,
            58 => Proto::Icmpv6(IcmpMatch::ALL),
            0..=255 => Proto::Other(n as u8),
            _ => return None,
        })
    }

    /// The IANA number, -1 for all.
    pub fn number(self) -> i16 {
        match self {
            Proto::All => -1,
            Proto::Tcp => 6,
            Proto::Udp => 17,
            Proto::Icmp(_) => 1,
            Proto::Icmpv6(_) => 58,
            Proto::Other(n) => n as i16,
        }
    }

    /// Reads a protocol as AWS accepts it: a name or a number, any case, `-1` or `all` for
    /// every protocol; `icmp:8:0` gives an ICMP type and code. Errors name the problem.
    pub fn parse(text: &str) -> Result<Proto, String> {
        let t = text.trim().to_ascii_lowercase();
        let mut parts = t.split(':');
        let head = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        let base = match head {
            "all" | "-1" => Proto::All,
            "tcp" => Proto::Tcp,
            "udp" => Proto::Udp,
            "icmp" => Proto::Icmp(IcmpMatch::ALL),
            "icmpv6" | "icmp6" => Proto::Icmpv6(IcmpMatch::ALL),
            name => match PROTOCOL_NAMES.iter().find(|(_, n)| *n == name) {
                Some((n, _)) => Proto::Other(*n),
                None => name
                    .parse::<i16>()
                    .ok()
                    .and_then(Proto::from_number)
                    .ok_or_else(|| format!("“{}” is not an IP protocol: use a name (tcp, udp, icmp, icmpv6, gre, esp …), a number from 0 to 255, or -1 (all).", text.trim()))?,
            },
        };
        if rest.is_empty() {
            return Ok(base);
        }
        let field = |s: &str, what: &str| -> Result<Option<u8>, String> {
            match s.trim() {
                "" | "-1" | "*" => Ok(None),
                v => v.parse::<u8>().map(Some).map_err(|_| {
                    format!("ICMP {what} “{v}” must be from 0 to 255, or -1 for all.")
                }),
            }
        };
        if rest.len() > 2 {
            return Err(format!(
                "“{}”: an ICMP protocol takes a type and a code at most (icmp:8:0).",
                text.trim()
            ));
        }
        let m = IcmpMatch {
            kind: field(rest[0], "type")?,
            code: rest.get(1).map_or(Ok(None), |c| field(c, "code"))?,
        };
        if m.kind.is_none() && m.code.is_some() {
            return Err(format!(
                "“{}”: an ICMP code belongs to a type; with every type (-1) the code is every code too.",
                text.trim()
            ));
        }
        match base {
            Proto::Icmp(_) => Ok(Proto::Icmp(m)),
            Proto::Icmpv6(_) => Ok(Proto::Icmpv6(m)),
            _ => Err(format!(
                "“{}”: only icmp and icmpv6 take a type and code.",
                text.trim()
            )),
        }
    }

    /// Whether a rule of this protocol admits a packet of `p` (ports aside).
    pub fn matches(self, p: Proto) -> bool {
        match (self, p) {
            (Proto::All, _) => true,
            (Proto::Icmp(r), Proto::Icmp(m)) | (Proto::Icmpv6(r), Proto::Icmpv6(m)) => r.admits(m),
            (a, b) => a.number() == b.number() && a.number() != 1 && a.number() != 58,
        }
    }

    /// Only TCP and UDP rules have ports; for every other protocol a port range is ignored.
    pub fn has_ports(self) -> bool {
        matches!(self, Proto::Tcp | Proto::Udp)
    }

    /// The packet that answers this one: an ICMP echo request is answered by an echo reply;
    /// other protocols answer in kind.
    pub fn reply(self) -> Proto {
        match self {
            Proto::Icmp(m) if m.kind == Some(ICMP_ECHO_REQUEST) => {
                Proto::Icmp(IcmpMatch::message(ICMP_ECHO_REPLY, 0))
            }
            Proto::Icmpv6(m) if m.kind == Some(ICMPV6_ECHO_REQUEST) => {
                Proto::Icmpv6(IcmpMatch::message(ICMPV6_ECHO_REPLY, 0))
            }
            p => p,
        }
    }

    /// The name of the protocol alone: "tcp", "icmpv6", "gre", "proto 253".
    pub fn name(self) -> String {
        match self {
            Proto::All => "all".into(),
            Proto::Tcp => "tcp".into(),
            Proto::Udp => "udp".into(),
            Proto::Icmp(_) => "icmp".into(),
            Proto::Icmpv6(_) => "icmpv6".into(),
            Proto::Other(n) => match PROTOCOL_NAMES.iter().find(|(x, _)| *x == n) {
                Some((_, name)) => format!("{name} ({n})"),
                None => format!("protocol {n}"),
            },
        }
    }

    /// A label for people: "all traffic", "tcp", "icmp echo request", "icmp type 3 (all
    /// codes)", "gre (47)".
    pub fn label(self) -> String {
        let icmp = |name: &str, m: IcmpMatch, request: u8, reply: u8| match (m.kind, m.code) {
            (None, _) => name.to_string(),
            (Some(k), Some(0)) if k == request => format!("{name} echo request"),
            (Some(k), Some(0)) if k == reply => format!("{name} echo reply"),
            (Some(k), None) => format!("{name} type {k} (all codes)"),
            (Some(k), Some(c)) => format!("{name} type {k} code {c}"),
        };
        match self {
            Proto::Icmp(m) => icmp("icmp", m, ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY),
            Proto::Icmpv6(m) => icmp("icmpv6", m, ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REPLY),
            Proto::All => "all traffic".into(),
            p => p.name(),
        }
    }

    /// The text form used in links and files (see the type's documentation).
    pub fn code(self) -> String {
        let icmp = |name: &str, m: IcmpMatch| match (m.kind, m.code) {
            (None, None) => name.to_string(),
            (k, None) => format!("{name}:{}", k.map_or("-1".into(), |k| k.to_string())),
            (k, Some(c)) => format!("{name}:{}:{c}", k.map_or("-1".into(), |k| k.to_string())),
        };
        match self {
            Proto::All => "all".into(),
            Proto::Tcp => "tcp".into(),
            Proto::Udp => "udp".into(),
            Proto::Icmp(m) => icmp("icmp", m),
            Proto::Icmpv6(m) => icmp("icmpv6", m),
            Proto::Other(n) => n.to_string(),
        }
    }
}

impl fmt::Display for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for Proto {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Proto {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Proto, D::Error> {
        let t = String::deserialize(d)?;
        Proto::parse(&t).map_err(serde::de::Error::custom)
    }
}

/// " port 443" for TCP and UDP rules; nothing for protocols without ports.
fn ports_text(proto: Proto, ports: Ports) -> String {
    if proto.has_ports() {
        format!(" {ports}")
    } else {
        String::new()
    }
}

/// An inclusive port range; only TCP and UDP rules use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ports(pub u16, pub u16);

impl Ports {
    pub const ALL: Ports = Ports(0, 65535);
    pub const EPHEMERAL: Ports = Ports(1024, 65535);
    pub fn one(p: u16) -> Ports {
        Ports(p, p)
    }
    pub fn contains(self, p: u16) -> bool {
        self.0 <= p && p <= self.1
    }
}

impl fmt::Display for Ports {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == Ports::ALL {
            write!(f, "all ports")
        } else if self.0 == self.1 {
            write!(f, "port {}", self.0)
        } else {
            write!(f, "ports {}-{}", self.0, self.1)
        }
    }
}

/// AWS services reachable through gateway endpoints, with a representative address range
/// (the service's prefix list, simplified to one block per service for the model).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    S3,
    DynamoDb,
    Sqs,
    Sns,
}

impl Service {
    /// Every service the model knows, in the order pages list them: the one list the
    /// analyzer, the query's From/To choices and the endpoint form read.
    pub const ALL: [Service; 4] = [Service::S3, Service::DynamoDb, Service::Sqs, Service::Sns];

    /// The id links and forms use: `s3`, `dynamodb`, `sqs`, `sns`.
    pub fn id(self) -> &'static str {
        match self {
            Service::S3 => "s3",
            Service::DynamoDb => "dynamodb",
            Service::Sqs => "sqs",
            Service::Sns => "sns",
        }
    }

    /// Reads an id (any case, surrounding spaces ignored).
    pub fn from_id(text: &str) -> Option<Service> {
        let t = text.trim();
        Service::ALL
            .into_iter()
            .find(|s| s.id().eq_ignore_ascii_case(t))
    }

    pub fn name(self) -> &'static str {
        match self {
            Service::S3 => "Amazon S3",
            Service::DynamoDb => "Amazon DynamoDB",
            Service::Sqs => "Amazon SQS",
            Service::Sns => "Amazon SNS",
        }
    }
    /// Gateway endpoints exist for S3 and DynamoDB only; everything else uses interface
    /// endpoints (course notes L1271–1275).
    pub fn has_gateway_endpoint(self) -> bool {
        matches!(self, Service::S3 | Service::DynamoDb)
    }
    /// A public block standing for the service's prefix list in this model.
    pub fn range(self) -> Net {
        match self {
            Service::S3 => Net::v4(u32::from_be_bytes([52, 216, 0, 0]), 15),
            Service::DynamoDb => Net::v4(u32::from_be_bytes([3, 218, 176, 0]), 20),
            Service::Sqs => Net::v4(u32::from_be_bytes([3, 236, 0, 0]), 16),
            Service::Sns => Net::v4(u32::from_be_bytes([3, 237, 0, 0]), 16),
        }
    }
    /// The address the model uses for one request to the service.
    pub fn address(self) -> u32 {
        self.range().first4() + 10
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub name: String,
    /// Primary CIDR first, then secondary ones (IPv4).
    pub cidrs: Vec<Net>,
    /// The IPv6 block (Amazon provides a /56), when one is associated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<Net>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub name: String,
    pub vpc: String,
    pub az: String,
    pub cidr: Net,
    /// The subnet's IPv6 block (usually a /64 of the VPC's /56).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<Net>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Target {
    Local,
    Igw(String),
    Nat(String),
    Eigw(String),
    Vgw(String),
    Peering(String),
    Endpoint(String),
}

impl Target {
    pub fn id(&self) -> &str {
        match self {
            Target::Local => "local",
            Target::Igw(i)
            | Target::Nat(i)
            | Target::Eigw(i)
            | Target::Vgw(i)
            | Target::Peering(i)
            | Target::Endpoint(i) => i,
        }
    }

    /// The route target an id names, by its prefix (`igw-main` → an internet gateway);
    /// `None` for an id that is no route target.
    pub fn from_id(id: &str) -> Option<Target> {
        let id = id.trim().to_string();
        Some(match id.split('-').next()? {
            "igw" => Target::Igw(id),
            "nat" => Target::Nat(id),
            "pcx" => Target::Peering(id),
            "vgw" => Target::Vgw(id),
            "eigw" => Target::Eigw(id),
            "vpce" => Target::Endpoint(id),
            _ => return None,
        })
    }
}

impl Network {
    /// What a route in `table` can send traffic to, as (id, label) for a form's choices:
    /// the internet and egress-only gateways and virtual private gateways attached to its
    /// VPC, the NAT gateways in its subnets and the peering connections it is part of.
    pub fn route_targets(&self, table: &str) -> Vec<(String, String)> {
        let Some(vpc) = self
            .route_tables
            .iter()
            .find(|t| t.id == table)
            .map(|t| &t.vpc)
        else {
            return vec![];
        };
        let attached = |g: &&Gateway| g.vpc.as_ref() == Some(vpc);
        let gateways = |list: &[Gateway], what: &str| -> Vec<(String, String)> {
            list.iter()
                .filter(attached)
                .map(|g| (g.id.clone(), format!("{} ({what})", g.id)))
                .collect()
        };
        let mut out = gateways(&self.igws, "internet gateway");
        out.extend(gateways(&self.eigws, "egress-only internet gateway"));
        out.extend(gateways(&self.vgws, "virtual private gateway"));
        out.extend(
            self.nats
                .iter()
                .filter(|n| self.subnet(&n.subnet).is_some_and(|s| &s.vpc == vpc))
                .map(|n| {
                    (
                        n.id.clone(),
                        format!("{} (NAT gateway in {})", n.id, n.subnet),
                    )
                }),
        );
        out.extend(
            self.peerings
                .iter()
                .filter(|p| &p.requester == vpc || &p.accepter == vpc)
                .map(|p| {
                    let other = if &p.requester == vpc {
                        &p.accepter
                    } else {
                        &p.requester
                    };
                    (p.id.clone(), format!("{} (peering with {other})", p.id))
                }),
        );
        out
    }
}

/// Where a route sends: a CIDR or a gateway endpoint's service prefix list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dest {
    Cidr(Net),
    PrefixList(Service),
}

impl Dest {
    pub fn net(&self) -> Net {
        match self {
            Dest::Cidr(n) => *n,
            Dest::PrefixList(s) => s.range(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub dest: Dest,
    pub target: Target,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteTable {
    pub id: String,
    pub name: String,
    pub vpc: String,
    /// The VPC's main table: it serves every subnet without an explicit association.
    pub main: bool,
    /// Explicitly associated subnets.
    pub subnets: Vec<String>,
    /// Routes besides the implicit `local` route for each VPC CIDR.
    pub routes: Vec<Route>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gateway {
    pub id: String,
    /// The VPC it is attached to (internet and virtual private gateways can be detached).
    pub vpc: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NatGateway {
    pub id: String,
    pub subnet: String,
    /// A public NAT gateway needs an Elastic IP.
    pub eip: Option<u32>,
    pub private_ip: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peering {
    pub id: String,
    pub requester: String,
    pub accepter: String,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EndpointKind {
    /// Routes in these tables send the service's prefix list to the endpoint.
    Gateway { route_tables: Vec<String> },
    /// Network interfaces in these subnets, guarded by these groups.
    Interface {
        subnets: Vec<String>,
        groups: Vec<String>,
        private_ip: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: String,
    pub vpc: String,
    pub service: Service,
    pub kind: EndpointKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaclRule {
    /// 1–32766; lower numbers are evaluated first.
    pub number: u16,
    pub proto: Proto,
    pub ports: Ports,
    pub cidr: Net,
    pub allow: bool,
}

impl fmt::Display for NaclRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rule {} {} {}{} {}",
            self.number,
            if self.allow { "ALLOW" } else { "DENY" },
            self.proto.label(),
            ports_text(self.proto, self.ports),
            self.cidr
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nacl {
    pub id: String,
    pub name: String,
    pub vpc: String,
    /// The VPC's default NACL: it guards every subnet not associated with another one.
    pub default: bool,
    pub subnets: Vec<String>,
    pub inbound: Vec<NaclRule>,
    pub outbound: Vec<NaclRule>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Peer {
    Cidr(Net),
    /// Members of a security group (by id).
    Group(String),
    /// A gateway endpoint's service prefix list.
    PrefixList(Service),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SgRule {
    pub proto: Proto,
    pub ports: Ports,
    pub peer: Peer,
}

impl fmt::Display for SgRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let peer = match &self.peer {
            Peer::Cidr(n) => n.to_string(),
            Peer::Group(g) => format!("group {g}"),
            Peer::PrefixList(s) => format!("prefix list of {}", s.name()),
        };
        write!(
            f,
            "{}{} {}",
            self.proto.label(),
            ports_text(self.proto, self.ports),
            peer
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc: String,
    pub default: bool,
    pub inbound: Vec<SgRule>,
    pub outbound: Vec<SgRule>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub name: String,
    pub subnet: String,
    pub private_ip: u32,
    /// An auto-assigned public IPv4 address (an associated Elastic IP replaces it).
    pub public_ip: Option<u32>,
    /// Security groups of the primary network interface (eth0).
    pub groups: Vec<String>,
    /// The primary interface's IPv6 address, when its subnet has an IPv6 block.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ip_serde")]
    pub ipv6: Option<Ip>,
    /// The machine: image, type, lifecycle state, billing, user data, profile, metadata
    /// options (`ec2::compute`). An instance the VPC builder draws has the default: running
    /// Amazon Linux 2023 on a t3.micro since the start of the clock. Not part of saved
    /// documents: the console keeps its session as the lines typed and replays them, and
    /// every wasm module that reads a saved network would otherwise carry its deserializer.
    #[serde(skip)]
    pub compute: crate::core::services::ec2::compute::Compute,
}

/// A network interface of its own (an instance's own fields are its primary one, eth0).
/// Attached to an instance in the same Availability Zone it becomes eth1, eth2 … and the
/// instance can send and receive through it with the interface's own groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eni {
    pub id: String,
    pub name: String,
    pub subnet: String,
    pub private_ip: u32,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ip_serde")]
    pub ipv6: Option<Ip>,
    pub groups: Vec<String>,
    /// The instance it is attached to.
    #[serde(default)]
    pub instance: Option<String>,
}

/// An Elastic IP: a public IPv4 address allocated to the account, associated with an
/// instance (its primary interface) or a network interface, or idle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElasticIp {
    pub id: String,
    pub address: u32,
    #[serde(default)]
    pub target: Option<String>,
}

/// One interface as the analyzer sees it: an instance's primary interface or a network
/// interface, with the public address that applies to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Iface<'a> {
    /// The instance id for a primary interface, the interface id otherwise.
    pub id: &'a str,
    /// The instance it belongs to, if any.
    pub instance: Option<&'a str>,
    pub subnet: &'a str,
    pub private_ip: u32,
    pub ipv6: Option<Ip>,
    pub groups: &'a [String],
    /// An associated Elastic IP, else the auto-assigned public IP.
    pub public_ip: Option<u32>,
    /// The Elastic IP that provides `public_ip`, when one does.
    pub eip: Option<&'a str>,
}

impl Iface<'_> {
    /// The address of the given family, if the interface has one.
    pub fn address(&self, v6: bool) -> Option<Ip> {
        if v6 {
            self.ipv6
        } else {
            Some(Ip::v4(self.private_ip))
        }
    }
}

/// Everything in one region.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Network {
    pub region: String,
    pub azs: Vec<String>,
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub igws: Vec<Gateway>,
    pub eigws: Vec<Gateway>,
    pub vgws: Vec<Gateway>,
    pub nats: Vec<NatGateway>,
    pub peerings: Vec<Peering>,
    pub endpoints: Vec<Endpoint>,
    pub nacls: Vec<Nacl>,
    pub groups: Vec<SecurityGroup>,
    pub instances: Vec<Instance>,
    pub enis: Vec<Eni>,
    pub eips: Vec<ElasticIp>,
    /// The last number given out per id prefix (`subnet` → 3 after subnet-3): ids are
    /// allocated from these counters and never reused, as in AWS. Absent from designs made
    /// before the counters; the first allocation of a prefix starts after its highest id.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub counters: std::collections::BTreeMap<String, u64>,
}

impl Network {
    /// A new id for `prefix` (`subnet` → `subnet-4`), from the network's counter.
    pub fn allocate(&mut self, prefix: &str) -> String {
        let start = || {
            // Designs from before the counters: start after the highest numbered id.
            self.ids()
                .filter_map(|id| {
                    id.strip_prefix(prefix)?
                        .strip_prefix('-')?
                        .parse::<u64>()
                        .ok()
                })
                .max()
                .unwrap_or(0)
        };
        let last = match self.counters.get(prefix) {
            Some(n) => *n,
            None => start(),
        };
        // A counter behind the ids in use (a hand-edited link) skips them.
        let mut next = last.saturating_add(1);
        while next < u64::MAX && self.ids().any(|id| id == format!("{prefix}-{next}")) {
            next += 1;
        }
        self.counters.insert(prefix.to_string(), next);
        format!("{prefix}-{next}")
    }

    /// The Availability Zones subnets can be placed in: the Region's (from
    /// [`availability_zones`]), or the zones the design lists for a Region the table does
    /// not know.
    pub fn zones(&self) -> Vec<String> {
        match availability_zones(&self.region) {
            Some(zones) => zones.iter().map(|z| z.to_string()).collect(),
            None => self.azs.clone(),
        }
    }

    /// Every resource id.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.vpcs
            .iter()
            .map(|x| x.id.as_str())
            .chain(self.subnets.iter().map(|x| x.id.as_str()))
            .chain(self.route_tables.iter().map(|x| x.id.as_str()))
            .chain(self.igws.iter().map(|x| x.id.as_str()))
            .chain(self.eigws.iter().map(|x| x.id.as_str()))
            .chain(self.vgws.iter().map(|x| x.id.as_str()))
            .chain(self.nats.iter().map(|x| x.id.as_str()))
            .chain(self.peerings.iter().map(|x| x.id.as_str()))
            .chain(self.endpoints.iter().map(|x| x.id.as_str()))
            .chain(self.nacls.iter().map(|x| x.id.as_str()))
            .chain(self.groups.iter().map(|x| x.id.as_str()))
            .chain(self.instances.iter().map(|x| x.id.as_str()))
            .chain(self.enis.iter().map(|x| x.id.as_str()))
            .chain(self.eips.iter().map(|x| x.id.as_str()))
    }

    pub fn vpc(&self, id: &str) -> Option<&Vpc> {
        self.vpcs.iter().find(|v| v.id == id)
    }
    pub fn subnet(&self, id: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.id == id)
    }
    pub fn instance(&self, id: &str) -> Option<&Instance> {
        self.instances.iter().find(|i| i.id == id)
    }
    pub fn group(&self, id: &str) -> Option<&SecurityGroup> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The route table serving a subnet: its explicit association, else the VPC's main one.
    pub fn route_table_of(&self, subnet: &str) -> Option<&RouteTable> {
        let vpc = &self.subnet(subnet)?.vpc;
        self.route_tables
            .iter()
            .find(|t| t.subnets.iter().any(|s| s == subnet))
            .or_else(|| self.route_tables.iter().find(|t| t.main && &t.vpc == vpc))
    }

    /// The NACL guarding a subnet: its association, else the VPC's default one.
    pub fn nacl_of(&self, subnet: &str) -> Option<&Nacl> {
        let vpc = &self.subnet(subnet)?.vpc;
        self.nacls
            .iter()
            .find(|n| n.subnets.iter().any(|s| s == subnet))
            .or_else(|| self.nacls.iter().find(|n| n.default && &n.vpc == vpc))
    }

    /// Which subnet holds an address, and in which VPC.
    pub fn subnet_of_ip(&self, ip: Ip) -> Option<&Subnet> {
        self.subnets
            .iter()
            .find(|s| s.cidr.contains(ip) || s.ipv6.is_some_and(|n| n.contains(ip)))
    }

    pub fn eni(&self, id: &str) -> Option<&Eni> {
        self.enis.iter().find(|e| e.id == id)
    }

    /// The Elastic IP associated with an instance or interface.
    pub fn eip_of(&self, target: &str) -> Option<&ElasticIp> {
        self.eips
            .iter()
            .find(|e| e.target.as_deref() == Some(target))
    }

    /// An instance's primary interface or a network interface, by id.
    pub fn iface(&self, id: &str) -> Option<Iface<'_>> {
        if let Some(i) = self.instance(id) {
            let eip = self.eip_of(&i.id);
            return Some(Iface {
                id: &i.id,
                instance: Some(&i.id),
                subnet: &i.subnet,
                private_ip: i.private_ip,
                ipv6: i.ipv6,
                groups: &i.groups,
                public_ip: eip.map(|e| e.address).or(i.public_ip),
                eip: eip.map(|e| e.id.as_str()),
            });
        }
        let e = self.eni(id)?;
        let eip = self.eip_of(&e.id);
        Some(Iface {
            id: &e.id,
            instance: e.instance.as_deref(),
            subnet: &e.subnet,
            private_ip: e.private_ip,
            ipv6: e.ipv6,
            groups: &e.groups,
            public_ip: eip.map(|x| x.address),
            eip: eip.map(|x| x.id.as_str()),
        })
    }

    /// An instance's interfaces: the primary one, then attached network interfaces.
    pub fn ifaces_of(&self, instance: &str) -> Vec<Iface<'_>> {
        self.iface(instance)
            .into_iter()
            .chain(
                self.enis
                    .iter()
                    .filter(|e| e.instance.as_deref() == Some(instance))
                    .filter_map(|e| self.iface(&e.id)),
            )
            .collect()
    }

    /// The interface holding an address (private IPv4 or IPv6).
    pub fn iface_by_ip(&self, ip: Ip) -> Option<Iface<'_>> {
        let hit = |p: u32, v6: Option<Ip>| Ip::v4(p) == ip || v6 == Some(ip);
        self.instances
            .iter()
            .find(|i| hit(i.private_ip, i.ipv6))
            .map(|i| i.id.as_str())
            .or_else(|| {
                self.enis
                    .iter()
                    .find(|e| hit(e.private_ip, e.ipv6))
                    .map(|e| e.id.as_str())
            })
            .and_then(|id| self.iface(id))
    }

    /// A resource count, for the editor and benchmarks.
    pub fn resources(&self) -> usize {
        self.vpcs.len()
            + self.subnets.len()
            + self.route_tables.len()
            + self.igws.len()
            + self.eigws.len()
            + self.vgws.len()
            + self.nats.len()
            + self.peerings.len()
            + self.endpoints.len()
            + self.nacls.len()
            + self.groups.len()
            + self.instances.len()
            + self.enis.len()
            + self.eips.len()
    }
}

/// The rules a new VPC gets: its default NACL (allow all both ways, rule 100) and default
/// security group (inbound from itself, all outbound).
pub fn default_nacl(id: &str, vpc: &str) -> Nacl {
    let all = |allow| NaclRule {
        number: 100,
        proto: Proto::All,
        ports: Ports::ALL,
        cidr: Net::ANY,
        allow,
    };
    Nacl {
        id: id.into(),
        name: "default".into(),
        vpc: vpc.into(),
        default: true,
        subnets: vec![],
        inbound: vec![all(true)],
        outbound: vec![all(true)],
    }
}

/// The rules AWS gives a default NACL for IPv6: 101 ALLOW all ::/0, both ways.
pub fn allow_all_ipv6(nacl: &mut Nacl) {
    for rules in [&mut nacl.inbound, &mut nacl.outbound] {
        rules.push(NaclRule {
            number: 101,
            proto: Proto::All,
            ports: Ports::ALL,
            cidr: Net::ANY6,
            allow: true,
        });
    }
}

pub fn default_group(id: &str, vpc: &str) -> SecurityGroup {
    SecurityGroup {
        id: id.into(),
        name: "default".into(),
        vpc: vpc.into(),
        default: true,
        inbound: vec![SgRule {
            proto: Proto::All,
            ports: Ports::ALL,
            peer: Peer::Group(id.into()),
        }],
        outbound: vec![SgRule {
            proto: Proto::All,
            ports: Ports::ALL,
            peer: Peer::Cidr(Net::ANY),
        }],
    }
}

/// The Availability Zones of each modelled Region (AWS Global Infrastructure, "AWS
/// Availability Zones": us-east-1 has six, AZ IDs use1-az1 to use1-az6; checked
/// 2026-11-30). Every Region has at least three.
pub const REGION_ZONES: &[(&str, &[&str])] = &[(
    "us-east-1",
    &[
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-east-1d",
        "us-east-1e",
        "us-east-1f",
    ],
)];

/// The Availability Zones of a Region, `None` for a Region not in [`REGION_ZONES`].
pub fn availability_zones(region: &str) -> Option<&'static [&'static str]> {
    REGION_ZONES
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, zones)| *zones)
}

/// What a resource id's prefix says about the resource: its ARN resource type (Service
/// Authorization Reference, "Resource types defined by Amazon EC2"), the EC2 call that
/// deletes it, and the errors AWS answers for an id of that kind that does not exist and
/// for a parameter of that kind given an id of another form (Amazon EC2 API Reference,
/// "Error codes"; where AWS lists no `Malformed` code, the `NotFound` one). One table for
/// every place that reads an id's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdKind {
    pub prefix: &'static str,
    pub arn_type: &'static str,
    pub delete_operation: &'static str,
    pub not_found: &'static str,
    pub malformed: &'static str,
}

const fn kind(
    prefix: &'static str,
    arn_type: &'static str,
    delete_operation: &'static str,
    not_found: &'static str,
    malformed: &'static str,
) -> IdKind {
    IdKind {
        prefix,
        arn_type,
        delete_operation,
        not_found,
        malformed,
    }
}

/// Every kind of id the network model allocates.
pub const ID_KINDS: [IdKind; 14] = [
    kind(
        "vpc",
        "vpc",
        "DeleteVpc",
        "InvalidVpcID.NotFound",
        "InvalidVpcID.Malformed",
    ),
    kind(
        "subnet",
        "subnet",
        "DeleteSubnet",
        "InvalidSubnetID.NotFound",
        "InvalidSubnetID.Malformed",
    ),
    kind(
        "rtb",
        "route-table",
        "DeleteRouteTable",
        "InvalidRouteTableID.NotFound",
        "InvalidRouteTableId.Malformed",
    ),
    kind(
        "igw",
        "internet-gateway",
        "DeleteInternetGateway",
        "InvalidInternetGatewayID.NotFound",
        "InvalidInternetGatewayId.Malformed",
    ),
    kind(
        "eigw",
        "egress-only-internet-gateway",
        "DeleteEgressOnlyInternetGateway",
        "InvalidGatewayID.NotFound",
        "InvalidEgressOnlyInternetGatewayId.Malformed",
    ),
    kind(
        "vgw",
        "vpn-gateway",
        "DeleteVpnGateway",
        "InvalidVpnGatewayID.NotFound",
        "InvalidVpnGatewayID.NotFound",
    ),
    kind(
        "nat",
        "natgateway",
        "DeleteNatGateway",
        "InvalidNatGatewayID.NotFound",
        "NatGatewayMalformed",
    ),
    kind(
        "pcx",
        "vpc-peering-connection",
        "DeleteVpcPeeringConnection",
        "InvalidVpcPeeringConnectionID.NotFound",
        "InvalidVpcPeeringConnectionId.Malformed",
    ),
    kind(
        "vpce",
        "vpc-endpoint",
        "DeleteVpcEndpoints",
        "InvalidVpcEndpointId.NotFound",
        "InvalidVpcEndpointId.Malformed",
    ),
    kind(
        "acl",
        "network-acl",
        "DeleteNetworkAcl",
        "InvalidNetworkAclID.NotFound",
        "InvalidNetworkAclId.Malformed",
    ),
    kind(
        "sg",
        "security-group",
        "DeleteSecurityGroup",
        "InvalidGroup.NotFound",
        "InvalidGroupId.Malformed",
    ),
    kind(
        "i",
        "instance",
        "TerminateInstances",
        "InvalidInstanceID.NotFound",
        "InvalidInstanceID.Malformed",
    ),
    kind(
        "eni",
        "network-interface",
        "DeleteNetworkInterface",
        "InvalidNetworkInterfaceID.NotFound",
        "InvalidNetworkInterfaceId.Malformed",
    ),
    kind(
        "eipalloc",
        "elastic-ip",
        "ReleaseAddress",
        "InvalidAllocationID.NotFound",
        "InvalidAllocationID.NotFound",
    ),
];

/// The kind of a resource id (`subnet-1` → subnet), by the prefix before its first dash.
pub fn id_kind(id: &str) -> Option<&'static IdKind> {
    let prefix = id.split('-').next()?;
    ID_KINDS.iter().find(|k| k.prefix == prefix)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn route_targets_are_the_vpcs_own() {
        use crate::core::services::ec2::network::templates;
        let t = templates::three_tier();
        let ids = |table: &str| -> Vec<String> {
            t.route_targets(table)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        assert_eq!(ids("rtb-private"), ["igw-main", "nat-a"]);
        assert_eq!(
            t.route_targets("rtb-private")[1].1,
            "nat-a (NAT gateway in subnet-web-a)"
        );
        let p = templates::peering_chain();
        assert_eq!(
            p.route_targets("rtb-b")
                .into_iter()
                .map(|(_, l)| l)
                .collect::<Vec<_>>(),
            ["pcx-ab (peering with vpc-a)", "pcx-bc (peering with vpc-c)"]
        );
        assert!(t.route_targets("rtb-nope").is_empty());
        assert_eq!(
            Target::from_id(" igw-x "),
            Some(Target::Igw("igw-x".into()))
        );
        assert_eq!(Target::from_id("i-web"), None);
        // Every choice reads back as a target of its kind.
        for (id, _) in t.route_targets("rtb-public") {
            assert_eq!(Target::from_id(&id).map(|t| t.id().to_string()), Some(id));
        }
    }

    #[test]
    fn ids_come_from_counters_and_are_never_reused() {
        let mut n = crate::core::services::ec2::network::templates::single_web_server();
        // A design from before the counters: it has none, and they stay out of its links.
        assert!(n.counters.is_empty());
        assert!(!serde_json::to_string(&n).unwrap().contains("counters"));
        n.subnets[0].id = "subnet-7".into();
        assert_eq!(n.allocate("subnet"), "subnet-8");
        assert_eq!(n.allocate("subnet"), "subnet-9");
        // Deleting does not free a number.
        n.subnets.clear();
        assert_eq!(n.allocate("subnet"), "subnet-10");
        assert_eq!(n.allocate("eni"), "eni-1");
        let back: Network = serde_json::from_str(&serde_json::to_string(&n).unwrap()).unwrap();
        assert_eq!(back.counters.get("subnet"), Some(&10));
        // A counter behind the ids in use (a hand-edited link) skips them.
        let mut m = crate::core::services::ec2::network::templates::single_web_server();
        m.subnets[0].id = "subnet-1".into();
        m.counters.insert("subnet".into(), 0);
        assert_eq!(m.allocate("subnet"), "subnet-2");
        // The counter saturates rather than wraps.
        n.counters.insert("i".into(), u64::MAX);
        assert_eq!(n.allocate("i"), format!("i-{}", u64::MAX));
    }

    #[test]
    fn protocols_by_name_or_number() {
        let p = |t: &str| Proto::parse(t).unwrap();
        assert_eq!(p("tcp"), Proto::Tcp);
        assert_eq!(p(" TCP "), Proto::Tcp);
        assert_eq!(p("6"), Proto::Tcp);
        assert_eq!(p("17"), Proto::Udp);
        assert_eq!(p("-1"), Proto::All);
        assert_eq!(p("all"), Proto::All);
        assert_eq!(p("1"), Proto::Icmp(IcmpMatch::ALL));
        assert_eq!(p("58"), Proto::Icmpv6(IcmpMatch::ALL));
        assert_eq!(p("icmpv6"), Proto::Icmpv6(IcmpMatch::ALL));
        assert_eq!(p("47"), Proto::Other(47));
        assert_eq!(p("gre"), Proto::Other(47));
        assert_eq!(p("esp"), Proto::Other(50));
        assert_eq!(p("icmp:8:0"), Proto::PING);
        assert_eq!(p("icmpv6:128:0"), Proto::PING6);
        assert_eq!(
            p("icmp:3"),
            Proto::Icmp(IcmpMatch {
                kind: Some(3),
                code: None
            })
        );
        assert_eq!(p("icmp:-1:-1"), Proto::Icmp(IcmpMatch::ALL));
        // Labels and the text form.
        assert_eq!(p("47").label(), "gre (47)");
        assert_eq!(p("253").label(), "protocol 253");
        assert_eq!(Proto::PING.label(), "icmp echo request");
        assert_eq!(Proto::PING.reply().label(), "icmp echo reply");
        assert_eq!(Proto::PING6.reply().label(), "icmpv6 echo reply");
        assert_eq!(p("icmp:3:1").label(), "icmp type 3 code 1");
        for t in [
            "all",
            "tcp",
            "udp",
            "icmp",
            "icmp:8",
            "icmp:8:0",
            "icmpv6:128",
            "47",
            "0",
            "255",
        ] {
            assert_eq!(p(t).code(), t);
            assert_eq!(p(&p(t).code()), p(t));
        }
        // Problems are named.
        for (t, want) in [
            ("256", "not an IP protocol"),
            ("-2", "not an IP protocol"),
            ("ipx", "not an IP protocol"),
            ("", "not an IP protocol"),
            ("icmp:300", "from 0 to 255"),
            ("icmp:8:0:1", "a type and a code at most"),
            ("tcp:80", "only icmp and icmpv6"),
            ("icmp:-1:4", "belongs to a type"),
        ] {
            let e = Proto::parse(t).unwrap_err();
            assert!(e.contains(want), "{t}: {e}");
        }
        // Old links and files say "icmp", "all", "tcp" and still load.
        let old: Proto = serde_json::from_str("\"icmp\"").unwrap();
        assert_eq!(old, Proto::Icmp(IcmpMatch::ALL));
        assert_eq!(serde_json::to_string(&Proto::Other(50)).unwrap(), "\"50\"");
        assert!(serde_json::from_str::<Proto>("\"999\"").is_err());
    }

    #[test]
    fn a_rule_of_one_protocol_never_admits_another() {
        let all = [
            Proto::Tcp,
            Proto::Udp,
            Proto::PING,
            Proto::PING6,
            Proto::Other(47),
            Proto::Other(50),
            Proto::Other(132),
        ];
        for rule in all {
            for packet in all {
                assert_eq!(
                    rule.matches(packet),
                    rule == packet,
                    "{rule:?} vs {packet:?}"
                );
            }
            assert!(Proto::All.matches(rule));
        }
        assert!(Proto::Icmp(IcmpMatch::ALL).matches(Proto::PING));
        assert!(!Proto::Icmp(IcmpMatch::ALL).matches(Proto::PING6));
        assert!(!Proto::Icmpv6(IcmpMatch::ALL).matches(Proto::PING));
        assert!(!Proto::parse("icmp:0").unwrap().matches(Proto::PING));
        assert!(Proto::Tcp.has_ports() && Proto::Udp.has_ports());
        assert!(
            !Proto::All.has_ports() && !Proto::PING.has_ports() && !Proto::Other(47).has_ports()
        );
    }

    use super::*;

    #[test]
    fn nets() {
        let n = Net::parse("10.0.1.0/24").unwrap();
        assert!(n.contains4(parse_ip("10.0.1.200").unwrap()));
        assert!(!n.contains4(parse_ip("10.0.2.1").unwrap()));
        assert!(Net::parse("10.0.0.0/16").unwrap().contains_net(n));
        assert!(Net::ANY.contains4(12345));
        let v6 = Net::parse("2600:1f18:6b4:a00::/56").unwrap();
        assert!(v6.is_v6() && v6.contains(parse_ip6("2600:1f18:6b4:a01::10").unwrap()));
        assert!(!v6.contains(Ip::v4(12345)) && !Net::ANY.contains(parse_ip6("::1").unwrap()));
        assert!(Net::ANY6.contains_net(v6) && !Net::ANY.contains_net(v6));
        assert_eq!(v6.to_string(), "2600:1f18:6b4:a00::/56");
        assert!(Net::parse4("2600::/56").unwrap_err().contains("IPv4 block"));
        assert_eq!(n.to_string(), "10.0.1.0/24");
        assert!(Net::parse("10.0.1.5/24").unwrap_err().contains("host bits"));
        assert!(Net::parse("300.0.0.0/8").is_err());
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"10.0.1.0/24\"");
        assert_eq!(serde_json::from_str::<Net>(&json).unwrap(), n);
    }
}
