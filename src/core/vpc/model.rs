//! VPC resources as plain data (serde, so they live in the sandbox document).

use serde::{Deserialize, Serialize};
use std::fmt;

/// An IPv4 prefix (`10.0.1.0/24`), kept as numbers for fast matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Net {
    pub addr: u32,
    pub prefix: u8,
}

impl Net {
    pub const ANY: Net = Net { addr: 0, prefix: 0 };

    pub fn mask(self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            u32::MAX << (32 - self.prefix)
        }
    }

    pub fn contains(self, ip: u32) -> bool {
        ip & self.mask() == self.addr
    }

    pub fn contains_net(self, other: Net) -> bool {
        other.prefix >= self.prefix && self.contains(other.addr)
    }

    pub fn overlaps(self, other: Net) -> bool {
        self.contains(other.addr) || other.contains(self.addr)
    }

    pub fn host(ip: u32) -> Net {
        Net {
            addr: ip,
            prefix: 32,
        }
    }

    /// Parses IPv4 CIDR text with the CIDR planner's messages; host bits are refused.
    pub fn parse(text: &str) -> Result<Net, String> {
        use crate::core::cidr::{Block, Family};
        let p = Block::parse(text).map_err(|e| e.to_string())?;
        if p.block.family != Family::V4 {
            return Err(format!("{}: the VPC model handles IPv4 here.", text.trim()));
        }
        if p.host_bits_set() {
            return Err(format!(
                "{} has host bits set; the network is {}.",
                text.trim(),
                p.block
            ));
        }
        Ok(Net {
            addr: p.block.start as u32,
            prefix: p.block.prefix,
        })
    }
}

pub fn ip_text(ip: u32) -> String {
    let b = ip.to_be_bytes();
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

pub fn parse_ip(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<std::net::Ipv4Addr>()
        .map(u32::from)
        .map_err(|_| format!("“{}” is not an IPv4 address.", text.trim()))
}

impl fmt::Display for Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", ip_text(self.addr), self.prefix)
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    All,
    Tcp,
    Udp,
    Icmp,
}

impl Proto {
    pub fn matches(self, p: Proto) -> bool {
        self == Proto::All || self == p
    }
    pub fn label(self) -> &'static str {
        match self {
            Proto::All => "all",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Icmp => "icmp",
        }
    }
}

/// An inclusive port range; `All` traffic ignores it.
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
            Service::S3 => Net {
                addr: u32::from_be_bytes([52, 216, 0, 0]),
                prefix: 15,
            },
            Service::DynamoDb => Net {
                addr: u32::from_be_bytes([3, 218, 176, 0]),
                prefix: 20,
            },
            Service::Sqs => Net {
                addr: u32::from_be_bytes([3, 236, 0, 0]),
                prefix: 16,
            },
            Service::Sns => Net {
                addr: u32::from_be_bytes([3, 237, 0, 0]),
                prefix: 16,
            },
        }
    }
    /// The address the model uses for one request to the service.
    pub fn address(self) -> u32 {
        self.range().addr + 10
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub name: String,
    /// Primary CIDR first, then secondary ones.
    pub cidrs: Vec<Net>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub name: String,
    pub vpc: String,
    pub az: String,
    pub cidr: Net,
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
            "rule {} {} {} {} {}",
            self.number,
            if self.allow { "ALLOW" } else { "DENY" },
            self.proto.label(),
            self.ports,
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
        write!(f, "{} {} {}", self.proto.label(), self.ports, peer)
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
    /// An auto-assigned public IPv4 address or an Elastic IP.
    pub public_ip: Option<u32>,
    pub groups: Vec<String>,
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
}

impl Network {
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
    pub fn subnet_of_ip(&self, ip: u32) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.cidr.contains(ip))
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn nets() {
        let n = Net::parse("10.0.1.0/24").unwrap();
        assert!(n.contains(parse_ip("10.0.1.200").unwrap()));
        assert!(!n.contains(parse_ip("10.0.2.1").unwrap()));
        assert!(Net::parse("10.0.0.0/16").unwrap().contains_net(n));
        assert!(Net::ANY.contains(12345));
        assert_eq!(n.to_string(), "10.0.1.0/24");
        assert!(Net::parse("10.0.1.5/24").unwrap_err().contains("host bits"));
        assert!(Net::parse("2001:db8::/32").unwrap_err().contains("IPv4"));
        assert!(Net::parse("300.0.0.0/8").is_err());
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"10.0.1.0/24\"");
        assert_eq!(serde_json::from_str::<Net>(&json).unwrap(), n);
    }
}
