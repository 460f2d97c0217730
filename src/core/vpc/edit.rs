//! Edits to the model. Each edit is applied to a copy and validated: an edit that would
//! introduce a problem is refused with the problem's message, and nothing changes.

use super::model::*;
use super::validate::validate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    AddInstance {
        name: String,
        subnet: String,
        ip: u32,
        public_ip: Option<u32>,
        groups: Vec<String>,
    },
    DeleteInstance {
        id: String,
    },
    SetPublicIp {
        instance: String,
        ip: Option<u32>,
    },
    SetGroups {
        instance: String,
        groups: Vec<String>,
    },
    AddSubnet {
        name: String,
        vpc: String,
        az: String,
        cidr: Net,
    },
    SetSubnetCidr {
        subnet: String,
        cidr: Net,
    },
    AddSgRule {
        group: String,
        inbound: bool,
        rule: SgRule,
    },
    DeleteSgRule {
        group: String,
        inbound: bool,
        index: usize,
    },
    AddNaclRule {
        nacl: String,
        inbound: bool,
        rule: NaclRule,
    },
    DeleteNaclRule {
        nacl: String,
        inbound: bool,
        number: u16,
    },
    AddRoute {
        table: String,
        route: Route,
    },
    DeleteRoute {
        table: String,
        index: usize,
    },
    AttachIgw {
        igw: String,
        vpc: Option<String>,
    },
}

fn next_id(prefix: &str, taken: impl Iterator<Item = String>) -> String {
    let taken: Vec<String> = taken.collect();
    (1..)
        .map(|k| format!("{prefix}-{k}"))
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| prefix.to_string())
}

fn missing(what: &str, id: &str) -> Vec<String> {
    vec![format!("There is no {what} {id}.")]
}

/// Applies an edit, or returns why it is refused (the network is unchanged).
pub fn apply(net: &Network, edit: &Edit) -> Result<Network, Vec<String>> {
    let mut n = net.clone();
    match edit {
        Edit::AddInstance {
            name,
            subnet,
            ip,
            public_ip,
            groups,
        } => {
            if name.trim().is_empty() {
                return Err(vec!["An instance needs a name.".into()]);
            }
            let id = next_id("i", n.instances.iter().map(|i| i.id.clone()));
            n.instances.push(Instance {
                id,
                name: name.trim().into(),
                subnet: subnet.clone(),
                private_ip: *ip,
                public_ip: *public_ip,
                groups: groups.clone(),
            });
        }
        Edit::DeleteInstance { id } => {
            let before = n.instances.len();
            n.instances.retain(|i| &i.id != id);
            if n.instances.len() == before {
                return Err(missing("instance", id));
            }
        }
        Edit::SetPublicIp { instance, ip } => {
            match n.instances.iter_mut().find(|i| &i.id == instance) {
                Some(i) => i.public_ip = *ip,
                None => return Err(missing("instance", instance)),
            }
        }
        Edit::SetGroups { instance, groups } => {
            match n.instances.iter_mut().find(|i| &i.id == instance) {
                Some(i) => i.groups = groups.clone(),
                None => return Err(missing("instance", instance)),
            }
        }
        Edit::AddSubnet {
            name,
            vpc,
            az,
            cidr,
        } => {
            let id = next_id("subnet", n.subnets.iter().map(|s| s.id.clone()));
            n.subnets.push(Subnet {
                id,
                name: name.trim().into(),
                vpc: vpc.clone(),
                az: az.clone(),
                cidr: *cidr,
            });
        }
        Edit::SetSubnetCidr { subnet, cidr } => {
            match n.subnets.iter_mut().find(|s| &s.id == subnet) {
                Some(s) => s.cidr = *cidr,
                None => return Err(missing("subnet", subnet)),
            }
        }
        Edit::AddSgRule {
            group,
            inbound,
            rule,
        } => match n.groups.iter_mut().find(|g| &g.id == group) {
            Some(g) => {
                let rules = if *inbound {
                    &mut g.inbound
                } else {
                    &mut g.outbound
                };
                if rules.contains(rule) {
                    return Err(vec![format!("{group} already has the rule {rule}.")]);
                }
                rules.push(rule.clone());
            }
            None => return Err(missing("security group", group)),
        },
        Edit::DeleteSgRule {
            group,
            inbound,
            index,
        } => match n.groups.iter_mut().find(|g| &g.id == group) {
            Some(g) => {
                let rules = if *inbound {
                    &mut g.inbound
                } else {
                    &mut g.outbound
                };
                if *index >= rules.len() {
                    return Err(vec![format!("{group} has no rule {}.", index + 1)]);
                }
                rules.remove(*index);
            }
            None => return Err(missing("security group", group)),
        },
        Edit::AddNaclRule {
            nacl,
            inbound,
            rule,
        } => match n.nacls.iter_mut().find(|a| &a.id == nacl) {
            Some(a) => {
                let rules = if *inbound {
                    &mut a.inbound
                } else {
                    &mut a.outbound
                };
                rules.push(rule.clone());
                rules.sort_by_key(|r| r.number);
            }
            None => return Err(missing("network ACL", nacl)),
        },
        Edit::DeleteNaclRule {
            nacl,
            inbound,
            number,
        } => match n.nacls.iter_mut().find(|a| &a.id == nacl) {
            Some(a) => {
                let rules = if *inbound {
                    &mut a.inbound
                } else {
                    &mut a.outbound
                };
                let before = rules.len();
                rules.retain(|r| r.number != *number);
                if rules.len() == before {
                    return Err(vec![format!("{nacl} has no rule {number}.")]);
                }
            }
            None => return Err(missing("network ACL", nacl)),
        },
        Edit::AddRoute { table, route } => match n.route_tables.iter_mut().find(|t| &t.id == table)
        {
            Some(t) => t.routes.push(route.clone()),
            None => return Err(missing("route table", table)),
        },
        Edit::DeleteRoute { table, index } => {
            match n.route_tables.iter_mut().find(|t| &t.id == table) {
                Some(t) if *index < t.routes.len() => {
                    t.routes.remove(*index);
                }
                Some(_) => return Err(vec![format!("{table} has no route {}.", index + 1)]),
                None => return Err(missing("route table", table)),
            }
        }
        Edit::AttachIgw { igw, vpc } => match n.igws.iter_mut().find(|g| &g.id == igw) {
            Some(g) => g.vpc = vpc.clone(),
            None => return Err(missing("internet gateway", igw)),
        },
    }
    let before: Vec<String> = validate(net).into_iter().map(|p| p.message).collect();
    let new: Vec<String> = validate(&n)
        .into_iter()
        .map(|p| p.message)
        .filter(|m| !before.contains(m))
        .collect();
    if new.is_empty() {
        Ok(n)
    } else {
        Err(new)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::templates;
    use super::*;

    #[test]
    fn valid_edits_apply_and_bad_ones_are_refused_whole() {
        let net = templates::single_web_server();
        let n = apply(
            &net,
            &Edit::SetPublicIp {
                instance: "i-web".into(),
                ip: None,
            },
        )
        .unwrap();
        assert_eq!(n.instances[0].public_ip, None);
        // A CIDR outside the VPC.
        let e = apply(
            &net,
            &Edit::SetSubnetCidr {
                subnet: "subnet-public-a".into(),
                cidr: Net::parse("192.168.0.0/24").unwrap(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("outside vpc-main"), "{e:?}");
        // An overlapping subnet.
        let e = apply(
            &net,
            &Edit::AddSubnet {
                name: "b".into(),
                vpc: "vpc-main".into(),
                az: "us-east-1b".into(),
                cidr: Net::parse("10.0.1.128/25").unwrap(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("overlaps"));
        // A route to a missing target.
        let e = apply(
            &net,
            &Edit::AddRoute {
                table: "rtb-main".into(),
                route: Route {
                    dest: Dest::Cidr(Net::parse("10.9.0.0/16").unwrap()),
                    target: Target::Nat("nat-9".into()),
                },
            },
        )
        .unwrap_err();
        assert!(e[0].contains("does not exist"));
        // Duplicate NACL rule numbers.
        let rule = NaclRule {
            number: 100,
            proto: Proto::Tcp,
            ports: Ports::one(22),
            cidr: Net::ANY,
            allow: false,
        };
        let e = apply(
            &net,
            &Edit::AddNaclRule {
                nacl: "acl-main".into(),
                inbound: true,
                rule,
            },
        )
        .unwrap_err();
        assert!(e[0].contains("two inbound rules numbered 100"));
        // A reserved address for a new instance.
        let e = apply(
            &net,
            &Edit::AddInstance {
                name: "x".into(),
                subnet: "subnet-public-a".into(),
                ip: parse_ip("10.0.1.255").unwrap(),
                public_ip: None,
                groups: vec!["sg-web".into()],
            },
        )
        .unwrap_err();
        assert!(e[0].contains("reserves"));
        let n = apply(
            &net,
            &Edit::AddInstance {
                name: "api".into(),
                subnet: "subnet-public-a".into(),
                ip: parse_ip("10.0.1.20").unwrap(),
                public_ip: None,
                groups: vec!["sg-web".into()],
            },
        )
        .unwrap();
        assert_eq!(n.instances[1].id, "i-1");
        assert!(apply(
            &net,
            &Edit::DeleteInstance {
                id: "i-nope".into()
            }
        )
        .is_err());
    }
}
