//! Starting designs: a single public web server; public and private subnets across two AZs
//! with a NAT gateway; a three-tier web/app/database design with security-group chaining;
//! and three peered VPCs for the "peering is not transitive" lesson.
//!
//! Public addresses come from the documentation range 192.0.2.0/24 (RFC 5737).

use super::model::*;

fn net(t: &str) -> Net {
    Net::parse(t).unwrap_or(Net::ANY)
}

fn ip(t: &str) -> u32 {
    parse_ip(t).unwrap_or(0)
}

struct B(Network);

impl B {
    fn new() -> B {
        B(Network {
            region: "us-east-1".into(),
            azs: vec!["us-east-1a".into(), "us-east-1b".into()],
            ..Default::default()
        })
    }
    fn vpc(mut self, id: &str, name: &str, cidr: &str) -> B {
        self.0.vpcs.push(Vpc {
            id: id.into(),
            name: name.into(),
            cidrs: vec![net(cidr)],
            ipv6: None,
        });
        self.0.nacls.push(default_nacl(
            &format!("acl-{}", id.strip_prefix("vpc-").unwrap_or(id)),
            id,
        ));
        self.0.groups.push(default_group(
            &format!("sg-default-{}", id.strip_prefix("vpc-").unwrap_or(id)),
            id,
        ));
        self
    }
    fn subnet(mut self, id: &str, name: &str, vpc: &str, az: usize, cidr: &str) -> B {
        let az = self.0.azs[az].clone();
        self.0.subnets.push(Subnet {
            id: id.into(),
            name: name.into(),
            vpc: vpc.into(),
            az,
            cidr: net(cidr),
            ipv6: None,
        });
        self
    }
    fn igw(mut self, id: &str, vpc: &str) -> B {
        self.0.igws.push(Gateway {
            id: id.into(),
            vpc: Some(vpc.into()),
        });
        self
    }
    fn table(
        mut self,
        id: &str,
        name: &str,
        vpc: &str,
        main: bool,
        subnets: &[&str],
        routes: Vec<Route>,
    ) -> B {
        self.0.route_tables.push(RouteTable {
            id: id.into(),
            name: name.into(),
            vpc: vpc.into(),
            main,
            subnets: subnets.iter().map(|s| s.to_string()).collect(),
            routes,
        });
        self
    }
    fn group(mut self, id: &str, name: &str, vpc: &str, inbound: Vec<SgRule>) -> B {
        self.0.groups.push(SecurityGroup {
            id: id.into(),
            name: name.into(),
            vpc: vpc.into(),
            default: false,
            inbound,
            outbound: vec![SgRule {
                proto: Proto::All,
                ports: Ports::ALL,
                peer: Peer::Cidr(Net::ANY),
            }],
        });
        self
    }
    fn instance(
        mut self,
        id: &str,
        name: &str,
        subnet: &str,
        private: &str,
        public: Option<&str>,
        groups: &[&str],
    ) -> B {
        self.0.instances.push(Instance {
            id: id.into(),
            name: name.into(),
            subnet: subnet.into(),
            private_ip: ip(private),
            public_ip: public.map(ip),
            groups: groups.iter().map(|g| g.to_string()).collect(),
            ipv6: None,
        });
        self
    }
    /// Sets the IPv6 block or address of the resource last added with this id.
    fn v6(mut self, id: &str, text: &str) -> B {
        let n = &mut self.0;
        if let Some(v) = n.vpcs.iter_mut().find(|v| v.id == id) {
            v.ipv6 = Some(net(text));
        } else if let Some(s) = n.subnets.iter_mut().find(|s| s.id == id) {
            s.ipv6 = Some(net(text));
        } else if let Some(i) = n.instances.iter_mut().find(|i| i.id == id) {
            i.ipv6 = parse_ip6(text).ok();
        } else if let Some(e) = n.enis.iter_mut().find(|e| e.id == id) {
            e.ipv6 = parse_ip6(text).ok();
        }
        self
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

/// One VPC, one public subnet, one web server with a public IP.
pub fn single_web_server() -> Network {
    B::new()
        .vpc("vpc-main", "web", "10.0.0.0/16")
        .subnet("subnet-public-a", "public a", "vpc-main", 0, "10.0.1.0/24")
        .igw("igw-main", "vpc-main")
        .table(
            "rtb-main",
            "main",
            "vpc-main",
            true,
            &[],
            vec![to("0.0.0.0/0", Target::Igw("igw-main".into()))],
        )
        .group(
            "sg-web",
            "web",
            "vpc-main",
            vec![allow(80, anywhere()), allow(443, anywhere())],
        )
        .instance(
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
pub fn public_private_nat() -> Network {
    let mut b = B::new()
        .vpc("vpc-main", "app", "10.0.0.0/16")
        .subnet("subnet-public-a", "public a", "vpc-main", 0, "10.0.0.0/24")
        .subnet("subnet-public-b", "public b", "vpc-main", 1, "10.0.1.0/24")
        .subnet(
            "subnet-private-a",
            "private a",
            "vpc-main",
            0,
            "10.0.10.0/24",
        )
        .subnet(
            "subnet-private-b",
            "private b",
            "vpc-main",
            1,
            "10.0.11.0/24",
        )
        .igw("igw-main", "vpc-main")
        .table(
            "rtb-main",
            "main (local only)",
            "vpc-main",
            true,
            &[],
            vec![],
        )
        .table(
            "rtb-public",
            "public",
            "vpc-main",
            false,
            &["subnet-public-a", "subnet-public-b"],
            vec![to("0.0.0.0/0", Target::Igw("igw-main".into()))],
        )
        .table(
            "rtb-private",
            "private",
            "vpc-main",
            false,
            &["subnet-private-a", "subnet-private-b"],
            vec![to("0.0.0.0/0", Target::Nat("nat-a".into()))],
        )
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
        .instance(
            "i-web-a",
            "web a",
            "subnet-public-a",
            "10.0.0.10",
            Some("192.0.2.10"),
            &["sg-web"],
        )
        .instance(
            "i-app-a",
            "app a",
            "subnet-private-a",
            "10.0.10.10",
            None,
            &["sg-app"],
        )
        .instance(
            "i-app-b",
            "app b",
            "subnet-private-b",
            "10.0.11.10",
            None,
            &["sg-app"],
        );
    b.0.nats.push(NatGateway {
        id: "nat-a".into(),
        subnet: "subnet-public-a".into(),
        eip: Some(ip("192.0.2.100")),
        private_ip: ip("10.0.0.5"),
    });
    b.0
}

/// Web, app and database tiers across two AZs, chained by security groups: HTTPS from the
/// internet to web, HTTP from the web group to app, MySQL from the app group to the
/// database; the private tiers reach S3 through a gateway endpoint.
pub fn three_tier() -> Network {
    let mut b = B::new()
        .vpc("vpc-main", "three tier", "10.0.0.0/16")
        .subnet("subnet-web-a", "web a", "vpc-main", 0, "10.0.0.0/24")
        .subnet("subnet-web-b", "web b", "vpc-main", 1, "10.0.1.0/24")
        .subnet("subnet-app-a", "app a", "vpc-main", 0, "10.0.10.0/24")
        .subnet("subnet-app-b", "app b", "vpc-main", 1, "10.0.11.0/24")
        .subnet("subnet-db-a", "db a", "vpc-main", 0, "10.0.20.0/24")
        .subnet("subnet-db-b", "db b", "vpc-main", 1, "10.0.21.0/24")
        .igw("igw-main", "vpc-main")
        .table(
            "rtb-main",
            "main (local only)",
            "vpc-main",
            true,
            &["subnet-db-a", "subnet-db-b"],
            vec![],
        )
        .table(
            "rtb-public",
            "public",
            "vpc-main",
            false,
            &["subnet-web-a", "subnet-web-b"],
            vec![to("0.0.0.0/0", Target::Igw("igw-main".into()))],
        )
        .table(
            "rtb-private",
            "private",
            "vpc-main",
            false,
            &["subnet-app-a", "subnet-app-b"],
            vec![
                to("0.0.0.0/0", Target::Nat("nat-a".into())),
                Route {
                    dest: Dest::PrefixList(Service::S3),
                    target: Target::Endpoint("vpce-s3".into()),
                },
            ],
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
        .instance(
            "i-web",
            "web",
            "subnet-web-a",
            "10.0.0.10",
            Some("192.0.2.10"),
            &["sg-web"],
        )
        .instance(
            "i-app",
            "app",
            "subnet-app-a",
            "10.0.10.10",
            None,
            &["sg-app"],
        )
        .instance(
            "i-db",
            "database",
            "subnet-db-a",
            "10.0.20.10",
            None,
            &["sg-db"],
        );
    b.0.nats.push(NatGateway {
        id: "nat-a".into(),
        subnet: "subnet-web-a".into(),
        eip: Some(ip("192.0.2.100")),
        private_ip: ip("10.0.0.5"),
    });
    b.0.endpoints.push(Endpoint {
        id: "vpce-s3".into(),
        vpc: "vpc-main".into(),
        service: Service::S3,
        kind: EndpointKind::Gateway {
            route_tables: vec!["rtb-private".into()],
        },
    });
    b.0
}

/// Three VPCs: A peers with B, B with C. A's route to C points at the A–B peering.
pub fn peering_chain() -> Network {
    let mut b = B::new();
    for (v, cidr) in [
        ("a", "10.1.0.0/16"),
        ("b", "10.2.0.0/16"),
        ("c", "10.3.0.0/16"),
    ] {
        let vpc = format!("vpc-{v}");
        b = b
            .vpc(&vpc, &format!("VPC {}", v.to_uppercase()), cidr)
            .subnet(
                &format!("subnet-{v}"),
                &format!("{v} private"),
                &vpc,
                0,
                &cidr.replace(".0.0/16", ".1.0/24"),
            )
            .group(
                &format!("sg-{v}"),
                "ssh from the 10/8 network",
                &vpc,
                vec![allow(22, Peer::Cidr(net("10.0.0.0/8")))],
            )
            .instance(
                &format!("i-{v}"),
                &format!("server {}", v.to_uppercase()),
                &format!("subnet-{v}"),
                &cidr.replace(".0.0/16", ".1.10"),
                None,
                &[&format!("sg-{v}")],
            );
    }
    let pcx = |id: &str| Target::Peering(id.into());
    b = b
        .table(
            "rtb-a",
            "A",
            "vpc-a",
            true,
            &[],
            vec![
                to("10.2.0.0/16", pcx("pcx-ab")),
                to("10.3.0.0/16", pcx("pcx-ab")),
            ],
        )
        .table(
            "rtb-b",
            "B",
            "vpc-b",
            true,
            &[],
            vec![
                to("10.1.0.0/16", pcx("pcx-ab")),
                to("10.3.0.0/16", pcx("pcx-bc")),
            ],
        )
        .table(
            "rtb-c",
            "C",
            "vpc-c",
            true,
            &[],
            vec![to("10.2.0.0/16", pcx("pcx-bc"))],
        );
    b.0.peerings.push(Peering {
        id: "pcx-ab".into(),
        requester: "vpc-a".into(),
        accepter: "vpc-b".into(),
        active: true,
    });
    b.0.peerings.push(Peering {
        id: "pcx-bc".into(),
        requester: "vpc-b".into(),
        accepter: "vpc-c".into(),
        active: true,
    });
    b.0
}

/// IPv6 next to IPv4: a /56 for the VPC and a /64 per subnet; the public subnet sends ::/0
/// to the internet gateway, the private one to an egress-only internet gateway (IPv6's NAT
/// counterpart: out and back only). The web server's public IPv4 address is an Elastic IP,
/// and it has a second network interface in the private subnet.
pub fn dual_stack() -> Network {
    let mut b = B::new()
        .vpc("vpc-main", "dual stack", "10.0.0.0/16")
        .v6("vpc-main", "2600:1f18:6b4:a00::/56")
        .subnet("subnet-public-a", "public a", "vpc-main", 0, "10.0.1.0/24")
        .v6("subnet-public-a", "2600:1f18:6b4:a01::/64")
        .subnet(
            "subnet-private-a",
            "private a",
            "vpc-main",
            0,
            "10.0.2.0/24",
        )
        .v6("subnet-private-a", "2600:1f18:6b4:a02::/64")
        .igw("igw-main", "vpc-main")
        .table(
            "rtb-main",
            "main (private)",
            "vpc-main",
            true,
            &[],
            vec![to("::/0", Target::Eigw("eigw-main".into()))],
        )
        .table(
            "rtb-public",
            "public",
            "vpc-main",
            false,
            &["subnet-public-a"],
            vec![
                to("0.0.0.0/0", Target::Igw("igw-main".into())),
                to("::/0", Target::Igw("igw-main".into())),
            ],
        )
        .group(
            "sg-web",
            "web",
            "vpc-main",
            vec![
                allow(80, anywhere()),
                allow(443, anywhere()),
                allow(80, Peer::Cidr(Net::ANY6)),
                allow(443, Peer::Cidr(Net::ANY6)),
            ],
        )
        .group(
            "sg-app",
            "app",
            "vpc-main",
            vec![allow(8080, Peer::Group("sg-web".into()))],
        )
        .instance(
            "i-web",
            "web server",
            "subnet-public-a",
            "10.0.1.10",
            None,
            &["sg-web"],
        )
        .v6("i-web", "2600:1f18:6b4:a01::10")
        .instance(
            "i-app",
            "app server",
            "subnet-private-a",
            "10.0.2.10",
            None,
            &["sg-app"],
        )
        .v6("i-app", "2600:1f18:6b4:a02::10");
    b.0.eigws.push(Gateway {
        id: "eigw-main".into(),
        vpc: Some("vpc-main".into()),
    });
    for g in b.0.groups.iter_mut() {
        if !g.default {
            g.outbound.push(SgRule {
                proto: Proto::All,
                ports: Ports::ALL,
                peer: Peer::Cidr(Net::ANY6),
            });
        }
    }
    b.0.nacls.iter_mut().for_each(allow_all_ipv6);
    b.0.enis.push(Eni {
        id: "eni-web-b".into(),
        name: "web server, private side".into(),
        subnet: "subnet-private-a".into(),
        private_ip: ip("10.0.2.20"),
        ipv6: None,
        groups: vec!["sg-web".into()],
        instance: Some("i-web".into()),
    });
    b.0.eips.push(ElasticIp {
        id: "eipalloc-web".into(),
        address: ip("192.0.2.20"),
        target: Some("i-web".into()),
    });
    b.0
}

/// The templates the editor offers: (id, title, builder).
/// Builds a template.
pub type Builder = fn() -> Network;

pub const TEMPLATES: &[(&str, &str, Builder)] = &[
    ("web", "A single public web server", single_web_server),
    (
        "nat",
        "Public and private subnets in 2 AZs with a NAT gateway",
        public_private_nat,
    ),
    (
        "three-tier",
        "Three tiers: web, app, database (security-group chaining)",
        three_tier,
    ),
    (
        "peering",
        "Three peered VPCs (peering is not transitive)",
        peering_chain,
    ),
    (
        "dual-stack",
        "Dual stack: IPv6 with an egress-only gateway, an Elastic IP, two interfaces",
        dual_stack,
    ),
];

/// A large network for benchmarks: `instances` instances over 20 subnets, `groups` groups of
/// 20 rules and `nacls` NACLs of 20 rules.
pub fn large(instances: usize, groups: usize, nacls: usize) -> Network {
    let mut n = three_tier();
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
        });
    }
    n
}
