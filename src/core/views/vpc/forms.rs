//! The VPC page's create form read into an EC2 request: which kind of resource, its name,
//! the two choices (`a`, `b`: a VPC, subnet, group, AZ … depending on the kind) and the text
//! field (a CIDR, an address or a service). Kept here so each kind is tested natively.

use crate::core::services::ec2::network::edit::Edit;
use crate::core::services::ec2::network::model::{parse_ip, Net, Network, Service};

/// The form as filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateFields {
    /// `instance`, `subnet`, `vpc`, `vpc-cidr`, `group`, `nacl`, `table`, `igw`, `eigw`,
    /// `eni`, `eip`, `nat`, `peering`, `endpoint`.
    pub kind: String,
    pub name: String,
    pub a: String,
    pub b: String,
    pub text: String,
}

/// How a choice of the form is shown: the id with what identifies it to a person —
/// `subnet-public-a (public a · 10.0.0.0/24 · us-east-1a)`, `sg-web (web)`,
/// `vpc-main (app · 10.0.0.0/16)`, `rtb-public (public)`; anything else as it is.
pub fn choice_label(net: &Network, id: &str) -> String {
    if let Some(s) = net.subnet(id) {
        return format!("{id} ({} · {} · {})", s.name, s.cidr, s.az);
    }
    if let Some(v) = net.vpc(id) {
        let cidr = v.cidrs.first().map(|c| c.to_string()).unwrap_or_default();
        return format!("{id} ({} · {cidr})", v.name);
    }
    if let Some(g) = net.group(id) {
        return format!("{id} ({})", g.name);
    }
    if let Some(t) = net.route_tables.iter().find(|t| t.id == id) {
        return format!("{id} ({})", t.name);
    }
    id.to_string()
}

/// The request the form asks for, or what is wrong with the form's text.
pub fn create_request(f: &CreateFields, net: &Network) -> Result<Edit, String> {
    // VPC and subnet blocks are IPv4; an IPv6 block is set on the resource itself.
    let cidr = || Net::parse4(&f.text).map_err(|e| format!("CIDR: {e}"));
    let ip = || parse_ip(&f.text);
    let opt = |v: &str| (!v.is_empty()).then(|| v.to_string());
    let (name, a, b) = (f.name.clone(), f.a.clone(), f.b.clone());
    Ok(match f.kind.as_str() {
        "instance" => Edit::RunInstances {
            name,
            subnet: a,
            ip: ip()?,
            public_ip: None,
            groups: vec![b],
        },
        "subnet" => Edit::CreateSubnet {
            name,
            vpc: a,
            az: b,
            cidr: cidr()?,
        },
        "vpc" => Edit::CreateVpc {
            name,
            cidr: cidr()?,
        },
        "vpc-cidr" => Edit::AssociateVpcCidrBlock {
            vpc: a,
            cidr: cidr()?,
        },
        "group" => Edit::CreateSecurityGroup { vpc: a, name },
        "nacl" => Edit::CreateNetworkAcl {
            vpc: a,
            name,
            subnet: opt(&b),
        },
        "table" => Edit::CreateRouteTable {
            vpc: a,
            name,
            subnet: opt(&b),
        },
        "igw" => Edit::CreateInternetGateway { vpc: opt(&a) },
        "eigw" => Edit::CreateEgressOnlyInternetGateway { vpc: a },
        "eni" => Edit::CreateNetworkInterface {
            name,
            subnet: a,
            ip: ip()?,
            groups: vec![b],
        },
        "eip" => Edit::AllocateAddress { address: ip()? },
        "nat" => Edit::CreateNatGateway {
            subnet: a,
            eip: ip()?,
        },
        "peering" => Edit::CreateVpcPeeringConnection {
            requester: a,
            accepter: b,
        },
        "endpoint" => {
            let service = Service::from_id(&f.text).ok_or_else(|| {
                format!(
                    "Service: “{}” is not one of {}.",
                    f.text.trim(),
                    Service::ALL.map(Service::id).join(", ")
                )
            })?;
            // A gateway endpoint goes in a route table, an interface endpoint in a subnet.
            let is_subnet = net.subnet(&b).is_some();
            Edit::CreateVpcEndpoint {
                vpc: a,
                service,
                route_table: (!is_subnet).then(|| b.clone()),
                subnet: is_subnet.then_some(b),
            }
        }
        other => {
            return Err(format!(
                "“{other}” is not a kind of resource this form creates."
            ))
        }
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn choices_are_shown_with_their_names() {
        let n = crate::core::services::ec2::network::templates::public_private_nat();
        assert_eq!(
            choice_label(&n, "subnet-public-a"),
            "subnet-public-a (public a · 10.0.0.0/24 · us-east-1a)"
        );
        assert_eq!(choice_label(&n, "sg-web"), "sg-web (web)");
        assert_eq!(choice_label(&n, "vpc-main"), "vpc-main (app · 10.0.0.0/16)");
        assert_eq!(choice_label(&n, "rtb-public"), "rtb-public (public)");
        assert_eq!(choice_label(&n, "us-east-1c"), "us-east-1c");
    }
    use crate::core::services::ec2::network::edit::apply;
    use crate::core::services::ec2::network::templates;

    fn form(kind: &str, a: &str, b: &str, text: &str) -> CreateFields {
        CreateFields {
            kind: kind.into(),
            name: "x".into(),
            a: a.into(),
            b: b.into(),
            text: text.into(),
        }
    }

    #[test]
    fn every_kind_builds_a_request_the_network_accepts() {
        let net = templates::single_web_server();
        let vpc = net.vpcs[0].id.clone();
        let subnet = net.subnets[0].id.clone();
        let group = net.groups[0].id.clone();
        let table = net.route_tables[0].id.clone();
        for f in [
            form("instance", &subnet, &group, "10.0.1.30"),
            form("subnet", &vpc, "us-east-1b", "10.0.9.0/24"),
            form("vpc", "", "", "10.9.0.0/16"),
            form("vpc-cidr", &vpc, "", "10.1.0.0/16"),
            form("group", &vpc, "", ""),
            form("nacl", &vpc, "", ""),
            form("table", &vpc, "", ""),
            form("igw", "", "", ""),
            form("eni", &subnet, &group, "10.0.1.31"),
            form("eip", "", "", "198.51.100.7"),
            form("endpoint", &vpc, &table, "s3"),
            form("endpoint", &vpc, &subnet, "sqs"),
        ] {
            let e = create_request(&f, &net).unwrap_or_else(|e| panic!("{f:?}: {e}"));
            assert!(
                apply(&net, &e).is_ok(),
                "{f:?} → {e:?}: {:?}",
                apply(&net, &e)
            );
        }
        // An egress-only gateway needs the VPC's IPv6 block: the request is built, and the
        // network refuses it here.
        let eigw = create_request(&form("eigw", &vpc, "", ""), &net).unwrap();
        assert!(apply(&net, &eigw).is_err());
        // Gateway endpoints go in the route table, interface ones in the subnet.
        let Edit::CreateVpcEndpoint {
            subnet: s,
            route_table: r,
            ..
        } = create_request(&form("endpoint", &vpc, &table, "s3"), &net).unwrap()
        else {
            panic!()
        };
        assert_eq!((s, r), (None, Some(table)));
    }

    #[test]
    fn bad_text_is_named() {
        let net = templates::single_web_server();
        let e = |f| create_request(&f, &net).unwrap_err();
        assert!(e(form("subnet", "vpc-main", "us-east-1a", "10.0.0.0/33")).starts_with("CIDR: "));
        assert!(e(form("endpoint", "vpc-main", "", "ses"))
            .contains("is not one of s3, dynamodb, sqs, sns"));
        assert!(e(form("dragon", "", "", "")).contains("not a kind of resource"));
        assert!(create_request(&form("instance", "", "", "not an ip"), &net).is_err());
    }
}
