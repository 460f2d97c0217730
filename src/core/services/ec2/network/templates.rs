//! Starting designs, each a script of EC2 requests replayed through the same operations
//! (`edit::apply_named`) and checks as any edit, so a template can never hold what an edit
//! would refuse: a single public web server; public and private subnets across two AZs with
//! a NAT gateway; a three-tier web/app/database design with security-group chaining; three
//! peered VPCs for the "peering is not transitive" lesson; and a dual-stack design.
//!
//! Requests name the ids of what they create (`i-web`, `sg-web`): AWS lets no caller choose
//! ids, but readable ones teach better, and share links made since the first release name
//! them. Public addresses come from the documentation range 192.0.2.0/24 (RFC 5737).

use super::edit::{apply_named, Edit, Refusal};
use super::model::*;

fn net(t: &str) -> Net {
    Net::parse(t).unwrap_or(Net::ANY)
}

fn ip(t: &str) -> u32 {
    parse_ip(t).unwrap_or(0)
}

/// One request of a template's script and the ids it gives what it creates, in creation
/// order (`edit::apply_named`).
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub request: Edit,
    pub ids: Vec<&'static str>,
}

/// Why a script could not be replayed: the request's position (from 0), its operation and
/// the refusal.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptError {
    pub step: usize,
    pub operation: &'static str,
    pub refusal: Refusal,
}

/// The network a script builds, request by request, from an empty us-east-1 with two
/// availability zones.
pub fn replay(script: &[Call]) -> Result<Network, ScriptError> {
    let mut n = Network {
        region: "us-east-1".into(),
        azs: vec!["us-east-1a".into(), "us-east-1b".into()],
        ..Default::default()
    };
    for (step, call) in script.iter().enumerate() {
        n = apply_named(&n, &call.request, &call.ids).map_err(|refusal| ScriptError {
            step,
            operation: call.request.operation(),
            refusal,
        })?;
    }
    Ok(n)
}

/// Writes scripts: one method per request, named after the EC2 operation.
#[derive(Default)]
struct Script(Vec<Call>);

impl Script {
    fn call(mut self, ids: &[&'static str], request: Edit) -> Script {
        self.0.push(Call {
            request,
            ids: ids.to_vec(),
        });
        self
    }
    /// CreateVpc, naming the VPC, its default network ACL, its default security group and
    /// its main route table.
    fn create_vpc(self, ids: [&'static str; 4], name: &str, cidr: &str) -> Script {
        self.call(
            &ids,
            Edit::CreateVpc {
                name: name.into(),
                cidr: net(cidr),
            },
        )
    }
    fn create_subnet(self, id: &'static str, name: &str, az: &str, cidr: &str) -> Script {
        self.create_subnet_in(id, name, "vpc-main", az, cidr)
    }
    fn create_subnet_in(
        self,
        id: &'static str,
        name: &str,
        vpc: &str,
        az: &str,
        cidr: &str,
    ) -> Script {
        self.call(
            &[id],
            Edit::CreateSubnet {
                name: name.into(),
                vpc: vpc.into(),
                az: az.into(),
                cidr: net(cidr),
            },
        )
    }
    /// CreateInternetGateway and AttachInternetGateway.
    fn internet_gateway(self, id: &'static str, vpc: &str) -> Script {
        self.call(
            &[id],
            Edit::CreateInternetGateway {
                vpc: Some(vpc.into()),
            },
        )
    }
    fn create_route_table(self, id: &'static str, name: &str, subnet: &str) -> Script {
        self.call(
            &[id],
            Edit::CreateRouteTable {
                vpc: "vpc-main".into(),
                name: name.into(),
                subnet: Some(subnet.into()),
            },
        )
    }
    fn associate(self, table: &str, subnet: &str) -> Script {
        self.call(
            &[],
            Edit::AssociateRouteTable {
                table: table.into(),
                subnet: subnet.into(),
            },
        )
    }
    fn create_route(self, table: &str, dest: &str, target: Target) -> Script {
        self.call(
            &[],
            Edit::CreateRoute {
                table: table.into(),
                route: to(dest, target),
            },
        )
    }
    /// CreateTags with a Name.
    fn name(self, id: &str, name: &str) -> Script {
        self.call(
            &[],
            Edit::CreateTags {
                id: id.into(),
                name: name.into(),
            },
        )
    }
    /// CreateSecurityGroup and AuthorizeSecurityGroupIngress for each rule.
    fn group(mut self, id: &'static str, name: &str, vpc: &str, inbound: Vec<SgRule>) -> Script {
        self = self.call(
            &[id],
            Edit::CreateSecurityGroup {
                vpc: vpc.into(),
                name: name.into(),
            },
        );
        for rule in inbound {
            self = self.call(
                &[],
                Edit::AuthorizeSecurityGroupIngress {
                    group: id.into(),
                    rule,
                },
            );
        }
        self
    }
    fn run_instance(
        self,
        id: &'static str,
        name: &str,
        subnet: &str,
        private: &str,
        public: Option<&str>,
        groups: &[&str],
    ) -> Script {
        self.call(
            &[id],
            Edit::RunInstances {
                name: name.into(),
                subnet: subnet.into(),
                ip: ip(private),
                public_ip: public.map(ip),
                groups: groups.iter().map(|g| g.to_string()).collect(),
            },
        )
    }
    fn nat_gateway(self, id: &'static str, subnet: &str, eip: &str) -> Script {
        self.call(
            &[id],
            Edit::CreateNatGateway {
                subnet: subnet.into(),
                eip: ip(eip),
            },
        )
    }
    fn peering(self, id: &'static str, requester: &str, accepter: &str) -> Script {
        self.call(
            &[id],
            Edit::CreateVpcPeeringConnection {
                requester: requester.into(),
                accepter: accepter.into(),
            },
        )
    }
}

fn to(dest: &str, target: Target) -> Route {
    Route {
        dest: Dest::Cidr(net(dest)),
        target,
    }
}

fn allow(port: u16, peer: Peer) -> SgRule {
    SgRule {
        proto: Proto::Tcp,
        ports: Ports::one(port),
        peer,
    }
}

fn anywhere() -> Peer {
    Peer::Cidr(Net::ANY)
}

fn igw(id: &str) -> Target {
    Target::Igw(id.into())
}

const MAIN: [&str; 4] = ["vpc-main", "acl-main", "sg-default-main", "rtb-main"];
const A: &str = "us-east-1a";
const B: &str = "us-east-1b";

/// One VPC, one public subnet, one web server with a public IP.
pub fn single_web_server_script() -> Vec<Call> {
    Script::default()
        .create_vpc(MAIN, "web", "10.0.0.0/16")
        .create_subnet("subnet-public-a", "public a", A, "10.0.1.0/24")
        .internet_gateway("igw-main", "vpc-main")
        .create_route("rtb-main", "0.0.0.0/0", igw("igw-main"))
        .group(
            "sg-web",
            "web",
            "vpc-main",
            vec![allow(80, anywhere()), allow(443, anywhere())],
        )
        .run_instance(
            "i-web",
            "web server",
            "subnet-public-a",
            "10.0.1.10",
            Some("192.0.2.10"),
            &["sg-web"],
        )
        .0
}

/// Public and private subnets in two AZs; the private ones reach out through a NAT gateway.
pub fn public_private_nat_script() -> Vec<Call> {
    Script::default()
        .create_vpc(MAIN, "app", "10.0.0.0/16")
        .create_subnet("subnet-public-a", "public a", A, "10.0.0.0/24")
        .create_subnet("subnet-public-b", "public b", B, "10.0.1.0/24")
        .create_subnet("subnet-private-a", "private a", A, "10.0.10.0/24")
        .create_subnet("subnet-private-b", "private b", B, "10.0.11.0/24")
        .internet_gateway("igw-main", "vpc-main")
        .name("rtb-main", "main (local only)")
        .create_route_table("rtb-public", "public", "subnet-public-a")
        .associate("rtb-public", "subnet-public-b")
        .create_route("rtb-public", "0.0.0.0/0", igw("igw-main"))
        .nat_gateway("nat-a", "subnet-public-a", "192.0.2.100")
        .create_route_table("rtb-private", "private", "subnet-private-a")
        .associate("rtb-private", "subnet-private-b")
        .create_route("rtb-private", "0.0.0.0/0", Target::Nat("nat-a".into()))
        .group(
            "sg-web",
            "web",
            "vpc-main",
            vec![allow(80, anywhere()), allow(443, anywhere())],
        )
        .group(
            "sg-app",
            "app",
            "vpc-main",
            vec![allow(8080, Peer::Group("sg-web".into()))],
        )
        .run_instance(
            "i-web-a",
            "web a",
            "subnet-public-a",
            "10.0.0.10",
            Some("192.0.2.10"),
            &["sg-web"],
        )
        .run_instance(
            "i-app-a",
            "app a",
            "subnet-private-a",
            "10.0.10.10",
            None,
            &["sg-app"],
        )
        .run_instance(
            "i-app-b",
            "app b",
            "subnet-private-b",
            "10.0.11.10",
            None,
            &["sg-app"],
        )
        .0
}

/// Web, app and database tiers across two AZs, chained by security groups: HTTPS from the
/// internet to web, HTTP from the web group to app, MySQL from the app group to the
/// database; the private tiers reach S3 through a gateway endpoint.
pub fn three_tier_script() -> Vec<Call> {
    Script::default()
        .create_vpc(MAIN, "three tier", "10.0.0.0/16")
        .create_subnet("subnet-web-a", "web a", A, "10.0.0.0/24")
        .create_subnet("subnet-web-b", "web b", B, "10.0.1.0/24")
        .create_subnet("subnet-app-a", "app a", A, "10.0.10.0/24")
        .create_subnet("subnet-app-b", "app b", B, "10.0.11.0/24")
        .create_subnet("subnet-db-a", "db a", A, "10.0.20.0/24")
        .create_subnet("subnet-db-b", "db b", B, "10.0.21.0/24")
        .internet_gateway("igw-main", "vpc-main")
        .name("rtb-main", "main (local only)")
        .associate("rtb-main", "subnet-db-a")
        .associate("rtb-main", "subnet-db-b")
        .create_route_table("rtb-public", "public", "subnet-web-a")
        .associate("rtb-public", "subnet-web-b")
        .create_route("rtb-public", "0.0.0.0/0", igw("igw-main"))
        .nat_gateway("nat-a", "subnet-web-a", "192.0.2.100")
        .create_route_table("rtb-private", "private", "subnet-app-a")
        .associate("rtb-private", "subnet-app-b")
        .create_route("rtb-private", "0.0.0.0/0", Target::Nat("nat-a".into()))
        .call(
            &["vpce-s3"],
            Edit::CreateVpcEndpoint {
                vpc: "vpc-main".into(),
                service: Service::S3,
                route_table: Some("rtb-private".into()),
                subnet: None,
            },
        )
        .group("sg-web", "web", "vpc-main", vec![allow(443, anywhere())])
        .group(
            "sg-app",
            "app",
            "vpc-main",
            vec![allow(80, Peer::Group("sg-web".into()))],
        )
        .group(
            "sg-db",
            "database",
            "vpc-main",
            vec![allow(3306, Peer::Group("sg-app".into()))],
        )
        .run_instance(
            "i-web",
            "web",
            "subnet-web-a",
            "10.0.0.10",
            Some("192.0.2.10"),
            &["sg-web"],
        )
        .run_instance(
            "i-app",
            "app",
            "subnet-app-a",
            "10.0.10.10",
            None,
            &["sg-app"],
        )
        .run_instance(
            "i-db",
            "database",
            "subnet-db-a",
            "10.0.20.10",
            None,
            &["sg-db"],
        )
        .0
}

/// Three VPCs: A peers with B, B with C. A's route to C points at the A–B peering.
pub fn peering_chain_script() -> Vec<Call> {
    let mut s = Script::default();
    let vpcs: [([&'static str; 4], [&'static str; 3], &str, &str); 3] = [
        (
            ["vpc-a", "acl-a", "sg-default-a", "rtb-a"],
            ["subnet-a", "sg-a", "i-a"],
            "A",
            "10.1",
        ),
        (
            ["vpc-b", "acl-b", "sg-default-b", "rtb-b"],
            ["subnet-b", "sg-b", "i-b"],
            "B",
            "10.2",
        ),
        (
            ["vpc-c", "acl-c", "sg-default-c", "rtb-c"],
            ["subnet-c", "sg-c", "i-c"],
            "C",
            "10.3",
        ),
    ];
    for (ids, [subnet, group, instance], name, prefix) in vpcs {
        let lower = name.to_ascii_lowercase();
        s = s
            .create_vpc(ids, &format!("VPC {name}"), &format!("{prefix}.0.0/16"))
            .name(ids[3], name)
            .create_subnet_in(
                subnet,
                &format!("{lower} private"),
                ids[0],
                A,
                &format!("{prefix}.1.0/24"),
            )
            .group(
                group,
                "ssh from the 10/8 network",
                ids[0],
                vec![allow(22, Peer::Cidr(net("10.0.0.0/8")))],
            )
            .run_instance(
                instance,
                &format!("server {name}"),
                subnet,
                &format!("{prefix}.1.10"),
                None,
                &[group],
            );
    }
    let pcx = |id: &str| Target::Peering(id.into());
    s.peering("pcx-ab", "vpc-a", "vpc-b")
        .peering("pcx-bc", "vpc-b", "vpc-c")
        .create_route("rtb-a", "10.2.0.0/16", pcx("pcx-ab"))
        .create_route("rtb-a", "10.3.0.0/16", pcx("pcx-ab"))
        .create_route("rtb-b", "10.1.0.0/16", pcx("pcx-ab"))
        .create_route("rtb-b", "10.3.0.0/16", pcx("pcx-bc"))
        .create_route("rtb-c", "10.2.0.0/16", pcx("pcx-bc"))
        .0
}

/// IPv6 next to IPv4: a /56 for the VPC and a /64 per subnet; the public subnet sends ::/0
/// to the internet gateway, the private one to an egress-only internet gateway (IPv6's NAT
/// counterpart: out and back only). The web server's public IPv4 address is an Elastic IP,
/// and it has a second network interface in the private subnet.
pub fn dual_stack_script() -> Vec<Call> {
    let v6 = |text: &str| parse_ip6(text).ok();
    let any6 = Peer::Cidr(Net::ANY6);
    Script::default()
        .create_vpc(MAIN, "dual stack", "10.0.0.0/16")
        .call(
            &[],
            Edit::AssociateVpcIpv6CidrBlock {
                vpc: "vpc-main".into(),
                cidr: net("2600:1f18:6b4:a00::/56"),
            },
        )
        .create_subnet("subnet-public-a", "public a", A, "10.0.1.0/24")
        .call(
            &[],
            Edit::AssociateSubnetCidrBlock {
                subnet: "subnet-public-a".into(),
                cidr: net("2600:1f18:6b4:a01::/64"),
            },
        )
        .create_subnet("subnet-private-a", "private a", A, "10.0.2.0/24")
        .call(
            &[],
            Edit::AssociateSubnetCidrBlock {
                subnet: "subnet-private-a".into(),
                cidr: net("2600:1f18:6b4:a02::/64"),
            },
        )
        .internet_gateway("igw-main", "vpc-main")
        .call(
            &["eigw-main"],
            Edit::CreateEgressOnlyInternetGateway {
                vpc: "vpc-main".into(),
            },
        )
        .name("rtb-main", "main (private)")
        .create_route("rtb-main", "::/0", Target::Eigw("eigw-main".into()))
        .create_route_table("rtb-public", "public", "subnet-public-a")
        .create_route("rtb-public", "0.0.0.0/0", igw("igw-main"))
        .create_route("rtb-public", "::/0", igw("igw-main"))
        .group(
            "sg-web",
            "web",
            "vpc-main",
            vec![
                allow(80, anywhere()),
                allow(443, anywhere()),
                allow(80, any6.clone()),
                allow(443, any6),
            ],
        )
        .group(
            "sg-app",
            "app",
            "vpc-main",
            vec![allow(8080, Peer::Group("sg-web".into()))],
        )
        .run_instance(
            "i-web",
            "web server",
            "subnet-public-a",
            "10.0.1.10",
            None,
            &["sg-web"],
        )
        .call(
            &[],
            Edit::AssignIpv6Addresses {
                id: "i-web".into(),
                ip: v6("2600:1f18:6b4:a01::10"),
            },
        )
        .run_instance(
            "i-app",
            "app server",
            "subnet-private-a",
            "10.0.2.10",
            None,
            &["sg-app"],
        )
        .call(
            &[],
            Edit::AssignIpv6Addresses {
                id: "i-app".into(),
                ip: v6("2600:1f18:6b4:a02::10"),
            },
        )
        .call(
            &["eni-web-b"],
            Edit::CreateNetworkInterface {
                name: "web server, private side".into(),
                subnet: "subnet-private-a".into(),
                ip: ip("10.0.2.20"),
                groups: vec!["sg-web".into()],
            },
        )
        .call(
            &[],
            Edit::AttachNetworkInterface {
                eni: "eni-web-b".into(),
                instance: "i-web".into(),
            },
        )
        .call(
            &["eipalloc-web"],
            Edit::AllocateAddress {
                address: ip("192.0.2.20"),
            },
        )
        .call(
            &[],
            Edit::AssociateAddress {
                eip: "eipalloc-web".into(),
                target: "i-web".into(),
            },
        )
        .0
}

/// A template's script.
pub type Builder = fn() -> Vec<Call>;

/// The templates the editor offers: (id, title). Their scripts are found by [`script`]:
/// a page that only lists the titles (and opens the [`saved`] networks) links none of them.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("web", "A single public web server"),
    (
        "nat",
        "Public and private subnets in 2 AZs with a NAT gateway",
    ),
    (
        "three-tier",
        "Three tiers: web, app, database (security-group chaining)",
    ),
    ("peering", "Three peered VPCs (peering is not transitive)"),
    (
        "dual-stack",
        "Dual stack: IPv6 with an egress-only gateway, an Elastic IP, two interfaces",
    ),
];

/// The script of template `id` (`None` for an id not in [`TEMPLATES`]).
pub fn script(id: &str) -> Option<Builder> {
    Some(match id {
        "web" => single_web_server_script,
        "nat" => public_private_nat_script,
        "three-tier" => three_tier_script,
        "peering" => peering_chain_script,
        "dual-stack" => dual_stack_script,
        _ => return None,
    })
}

/// The network a template builds (`None` for an unknown id). Templates are tested to replay
/// without a refusal; should one ever be refused, the requests before it are kept.
pub fn network(id: &str) -> Option<Network> {
    let script = script(id)?();
    Some(match replay(&script) {
        Ok(n) => n,
        Err(e) => replay(&script[..e.step]).unwrap_or_default(),
    })
}

/// Each template's network as saved JSON (`templates/<id>.json`, in [`TEMPLATES`]' order),
/// which the VPC builder opens: reading it takes only the network's reader, which the page
/// has for links and sandboxes anyway, where replaying a script takes EC2's edit
/// operations (docs/size.md, "Cut: the VPC editor in a module of its own"). A test holds
/// every file equal to its script's replay; `STRATUS_BLESS=1 cargo test --lib templates`
/// writes them again after a script or the model changes.
const SAVED: [(&str, &str); 5] = [
    ("web", include_str!("templates/web.json")),
    ("nat", include_str!("templates/nat.json")),
    ("three-tier", include_str!("templates/three-tier.json")),
    ("peering", include_str!("templates/peering.json")),
    ("dual-stack", include_str!("templates/dual-stack.json")),
];

/// The network of template `id` read from its saved JSON (`None` for an unknown id); equal
/// to [`network`]'s replay, as a test holds.
pub fn saved(id: &str) -> Option<Network> {
    let (_, json) = SAVED.iter().find(|t| t.0 == id)?;
    serde_json::from_str::<Option<Network>>(json).ok().flatten()
}

/// The network of [`single_web_server_script`].
pub fn single_web_server() -> Network {
    network("web").unwrap_or_default()
}

/// The network of [`public_private_nat_script`].
pub fn public_private_nat() -> Network {
    network("nat").unwrap_or_default()
}

/// The network of [`three_tier_script`].
pub fn three_tier() -> Network {
    network("three-tier").unwrap_or_default()
}

/// The network of [`peering_chain_script`].
pub fn peering_chain() -> Network {
    network("peering").unwrap_or_default()
}

/// The network of [`dual_stack_script`].
pub fn dual_stack() -> Network {
    network("dual-stack").unwrap_or_default()
}

/// A large network for benchmarks: `instances` instances over 20 subnets, `groups` groups of
/// 20 rules and `nacls` NACLs of 20 rules.
pub fn large(instances: usize, groups: usize, nacls: usize) -> Network {
    let mut n = network("three-tier").unwrap_or_default();
    n.subnets.clear();
    n.instances.clear();
    n.nacls.retain(|a| a.default);
    for s in 0..20 {
        n.subnets.push(Subnet {
            id: format!("subnet-{s}"),
            name: format!("subnet {s}"),
            vpc: "vpc-main".into(),
            az: n.azs[s % 2].clone(),
            cidr: Net::v4(ip("10.0.0.0") + ((s as u32) << 8), 24),
            ipv6: None,
        });
    }
    for t in &mut n.route_tables {
        t.subnets = if t.id == "rtb-public" {
            (0..20).map(|s| format!("subnet-{s}")).collect()
        } else {
            vec![]
        };
    }
    for g in &mut n.nats {
        g.subnet = "subnet-0".into();
    }
    for g in 0..groups {
        n.groups.push(SecurityGroup {
            id: format!("sg-{g}"),
            name: format!("group {g}"),
            vpc: "vpc-main".into(),
            default: false,
            inbound: (0..20)
                .map(|r| {
                    allow(
                        1000 + (g * 20 + r) as u16,
                        if r % 2 == 0 {
                            Peer::Group(format!("sg-{}", (g + 1) % groups))
                        } else {
                            anywhere()
                        },
                    )
                })
                .collect(),
            outbound: vec![SgRule {
                proto: Proto::All,
                ports: Ports::ALL,
                peer: anywhere(),
            }],
        });
    }
    for a in 0..nacls {
        let rules = |allow_last: bool| -> Vec<NaclRule> {
            (0..20)
                .map(|r| NaclRule {
                    number: 100 + r as u16 * 10,
                    proto: Proto::Tcp,
                    ports: Ports::one(2000 + r as u16),
                    cidr: Net::v4(ip("100.64.0.0") + ((r as u32) << 8), 24),
                    allow: r == 19 && allow_last,
                })
                .chain(std::iter::once(NaclRule {
                    number: 32000,
                    proto: Proto::All,
                    ports: Ports::ALL,
                    cidr: Net::ANY,
                    allow: true,
                }))
                .collect()
        };
        n.nacls.push(Nacl {
            id: format!("acl-{a}"),
            name: format!("acl {a}"),
            vpc: "vpc-main".into(),
            default: false,
            subnets: vec![format!("subnet-{a}")],
            inbound: rules(true),
            outbound: rules(true),
        });
    }
    for i in 0..instances {
        let s = i % 20;
        n.instances.push(Instance {
            id: format!("i-{i}"),
            name: format!("server {i}"),
            subnet: format!("subnet-{s}"),
            private_ip: ip("10.0.0.0") + ((s as u32) << 8) + 10 + (i / 20) as u32,
            // The benchmarking range 198.18.0.0/15 (RFC 2544): one public address each.
            public_ip: Some(ip("198.18.0.0") + i as u32),
            groups: vec![
                format!("sg-{}", i % groups.max(1)),
                format!("sg-{}", (i + 7) % groups.max(1)),
            ],
            ipv6: None,
            compute: Default::default(),
        });
    }
    n
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {

    #[test]
    fn every_saved_template_is_its_script_replayed() {
        assert_eq!(
            SAVED.iter().map(|t| t.0).collect::<Vec<_>>(),
            TEMPLATES.iter().map(|t| t.0).collect::<Vec<_>>()
        );
        let bless = std::env::var_os("STRATUS_BLESS").is_some();
        for (id, _) in SAVED {
            let replayed = network(id).unwrap();
            if bless {
                let path = format!(
                    "{}/src/core/services/ec2/network/templates/{id}.json",
                    env!("CARGO_MANIFEST_DIR")
                );
                std::fs::write(path, serde_json::to_string(&replayed).unwrap() + "\n").unwrap();
                continue;
            }
            assert_eq!(
                saved(id).as_ref(),
                Some(&replayed),
                "templates/{id}.json is not {id}'s script replayed: run STRATUS_BLESS=1 cargo test --lib templates"
            );
        }
    }
    use super::*;

    #[test]
    fn every_script_replays_without_a_refusal() {
        for (id, _) in TEMPLATES {
            if let Err(e) = replay(&script(id).unwrap()()) {
                panic!(
                    "{id}: step {} ({}) refused: {:?}",
                    e.step, e.operation, e.refusal
                );
            }
        }
    }

    /// The networks the templates built before they were scripts (the release of
    /// 2026-11-29, saved as JSON): links that name a template and its ids open the same.
    #[test]
    fn scripts_build_the_networks_links_were_made_with() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ec2-templates");
        for (id, _) in TEMPLATES {
            let text = std::fs::read_to_string(format!("{dir}/{id}.json")).unwrap();
            let saved: Network = serde_json::from_str(&text).unwrap();
            assert_eq!(network(id).unwrap(), saved, "{id}");
        }
    }

    #[test]
    fn a_named_id_must_fit_and_be_free() {
        let mut script = single_web_server_script();
        script[1].ids = vec!["vpc-x"];
        let e = replay(&script).unwrap_err();
        assert_eq!((e.step, e.refusal.code), (1, "InvalidParameterValue"));
        assert!(e.refusal.messages[0].contains("kind subnet-"), "{e:?}");
        let mut script = single_web_server_script();
        script[1].ids = vec!["subnet-public-a", "subnet-b"];
        assert!(replay(&script).unwrap_err().refusal.messages[0].contains("left over"));
        let mut script = single_web_server_script();
        script[1].ids = vec!["vpc-main"];
        assert!(replay(&script).is_err());
        // A script request that breaks a rule is refused like any edit.
        let mut script = single_web_server_script();
        script.push(script[1].clone());
        script.last_mut().unwrap().ids = vec!["subnet-again"];
        let e = replay(&script).unwrap_err();
        assert_eq!(e.refusal.code, "InvalidSubnet.Conflict");
        assert_eq!(network("nope"), None);
    }
}
