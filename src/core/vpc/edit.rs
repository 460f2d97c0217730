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
    AddVpc {
        name: String,
        cidr: Net,
    },
    AddVpcCidr {
        vpc: String,
        cidr: Net,
    },
    AddGroup {
        vpc: String,
        name: String,
    },
    AddNacl {
        vpc: String,
        name: String,
        subnet: Option<String>,
    },
    AddRouteTable {
        vpc: String,
        name: String,
        subnet: Option<String>,
    },
    AddIgw {
        vpc: Option<String>,
    },
    AddNat {
        subnet: String,
        eip: u32,
    },
    AddPeering {
        requester: String,
        accepter: String,
    },
    AddEndpoint {
        vpc: String,
        service: Service,
        route_table: Option<String>,
        subnet: Option<String>,
    },
    /// Renames a VPC, subnet, route table, network ACL, instance or network interface.
    Rename {
        id: String,
        name: String,
    },
    /// Puts an instance in another subnet with a new private address. In AWS an
    /// instance's subnet is fixed: this stands for launching a replacement there.
    MoveInstance {
        instance: String,
        subnet: String,
        ip: u32,
    },
    /// Associates (or with `None` removes) a VPC's IPv6 block.
    SetVpcIpv6 {
        vpc: String,
        cidr: Option<Net>,
    },
    SetSubnetIpv6 {
        subnet: String,
        cidr: Option<Net>,
    },
    /// Gives an instance or a network interface an IPv6 address (or removes it).
    SetIpv6 {
        id: String,
        #[serde(with = "super::model::ip_serde")]
        ip: Option<Ip>,
    },
    AddEigw {
        vpc: String,
    },
    AddEni {
        name: String,
        subnet: String,
        ip: u32,
        groups: Vec<String>,
    },
    /// Attaches a network interface to an instance, or detaches it with `None`.
    AttachEni {
        eni: String,
        instance: Option<String>,
    },
    /// Sets a network interface's security groups.
    SetEniGroups {
        eni: String,
        groups: Vec<String>,
    },
    AllocateEip {
        address: u32,
    },
    /// Associates an Elastic IP with an instance or network interface, or disassociates it.
    AssociateEip {
        eip: String,
        target: Option<String>,
    },
    /// Accepts (or marks pending) a peering connection.
    SetPeeringActive {
        peering: String,
        active: bool,
    },
    /// Deletes any resource by id; refused when something still refers to it.
    Delete {
        id: String,
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
                ipv6: None,
            });
        }
        Edit::DeleteInstance { id } => {
            if n.instance(id).is_none() {
                return Err(missing("instance", id));
            }
            return apply(net, &Edit::Delete { id: id.clone() });
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
                ipv6: None,
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
                    return Err(vec![format!("{group} has no rule {}.", *index as u128 + 1)]);
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
                Some(_) => {
                    return Err(vec![format!(
                        "{table} has no route {}.",
                        *index as u128 + 1
                    )])
                }
                None => return Err(missing("route table", table)),
            }
        }
        Edit::AttachIgw { igw, vpc } => match n.igws.iter_mut().find(|g| &g.id == igw) {
            Some(g) => g.vpc = vpc.clone(),
            None => return Err(missing("internet gateway", igw)),
        },
        Edit::AddVpc { name, cidr } => {
            if name.trim().is_empty() {
                return Err(vec!["A VPC needs a name.".into()]);
            }
            let id = next_id("vpc", n.vpcs.iter().map(|v| v.id.clone()));
            let k = id[4..].to_string();
            n.vpcs.push(Vpc {
                id: id.clone(),
                name: name.trim().into(),
                cidrs: vec![*cidr],
                ipv6: None,
            });
            n.nacls.push(default_nacl(&format!("acl-{k}"), &id));
            n.groups
                .push(default_group(&format!("sg-default-{k}"), &id));
            n.route_tables.push(RouteTable {
                id: format!("rtb-{k}-main"),
                name: "main".into(),
                vpc: id,
                main: true,
                subnets: vec![],
                routes: vec![],
            });
        }
        Edit::AddVpcCidr { vpc, cidr } => match n.vpcs.iter_mut().find(|v| &v.id == vpc) {
            Some(v) => {
                if v.cidrs.len() >= 5 {
                    return Err(vec![format!(
                        "{vpc} already has 5 CIDR blocks (the default quota)."
                    )]);
                }
                v.cidrs.push(*cidr);
            }
            None => return Err(missing("VPC", vpc)),
        },
        Edit::AddGroup { vpc, name } => {
            if n.vpc(vpc).is_none() {
                return Err(missing("VPC", vpc));
            }
            let id = next_id("sg", n.groups.iter().map(|g| g.id.clone()));
            // A new group allows nothing in and everything out (IPv6 too when the VPC has
            // an IPv6 block).
            let has_v6 = n.vpc(vpc).is_some_and(|v| v.ipv6.is_some());
            let all_out = |to| SgRule {
                proto: Proto::All,
                ports: Ports::ALL,
                peer: Peer::Cidr(to),
            };
            n.groups.push(SecurityGroup {
                id,
                name: name.trim().into(),
                vpc: vpc.clone(),
                default: false,
                inbound: vec![],
                outbound: std::iter::once(all_out(Net::ANY))
                    .chain(has_v6.then(|| all_out(Net::ANY6)))
                    .collect(),
            });
        }
        Edit::AddNacl { vpc, name, subnet } => {
            if n.vpc(vpc).is_none() {
                return Err(missing("VPC", vpc));
            }
            let id = next_id("acl", n.nacls.iter().map(|a| a.id.clone()));
            // A subnet has one NACL: associating it here moves it from the other.
            if let Some(s) = subnet {
                n.nacls
                    .iter_mut()
                    .for_each(|a| a.subnets.retain(|x| x != s));
            }
            // A custom NACL denies everything until rules are added.
            n.nacls.push(Nacl {
                id,
                name: name.trim().into(),
                vpc: vpc.clone(),
                default: false,
                subnets: subnet.iter().cloned().collect(),
                inbound: vec![],
                outbound: vec![],
            });
        }
        Edit::AddRouteTable { vpc, name, subnet } => {
            if n.vpc(vpc).is_none() {
                return Err(missing("VPC", vpc));
            }
            let id = next_id("rtb", n.route_tables.iter().map(|t| t.id.clone()));
            if let Some(s) = subnet {
                n.route_tables
                    .iter_mut()
                    .for_each(|t| t.subnets.retain(|x| x != s));
            }
            n.route_tables.push(RouteTable {
                id,
                name: name.trim().into(),
                vpc: vpc.clone(),
                main: false,
                subnets: subnet.iter().cloned().collect(),
                routes: vec![],
            });
        }
        Edit::AddIgw { vpc } => {
            let id = next_id("igw", n.igws.iter().map(|g| g.id.clone()));
            n.igws.push(Gateway {
                id,
                vpc: vpc.clone(),
            });
        }
        Edit::AddNat { subnet, eip } => {
            let Some(s) = n.subnet(subnet) else {
                return Err(missing("subnet", subnet));
            };
            let private_ip = s.cidr.first4().wrapping_add(5);
            let id = next_id("nat", n.nats.iter().map(|g| g.id.clone()));
            n.nats.push(NatGateway {
                id,
                subnet: subnet.clone(),
                eip: Some(*eip),
                private_ip,
            });
        }
        Edit::AddPeering {
            requester,
            accepter,
        } => {
            let id = next_id("pcx", n.peerings.iter().map(|p| p.id.clone()));
            n.peerings.push(Peering {
                id,
                requester: requester.clone(),
                accepter: accepter.clone(),
                active: true,
            });
        }
        Edit::AddEndpoint {
            vpc,
            service,
            route_table,
            subnet,
        } => {
            let id = next_id("vpce", n.endpoints.iter().map(|e| e.id.clone()));
            let kind = if service.has_gateway_endpoint() {
                let Some(rt) = route_table else {
                    return Err(vec![format!(
                        "A gateway endpoint for {} needs a route table to add its route to.",
                        service.name()
                    )]);
                };
                match n.route_tables.iter_mut().find(|t| &t.id == rt) {
                    Some(t) => t.routes.push(Route {
                        dest: Dest::PrefixList(*service),
                        target: Target::Endpoint(id.clone()),
                    }),
                    None => return Err(missing("route table", rt)),
                }
                EndpointKind::Gateway {
                    route_tables: vec![rt.clone()],
                }
            } else {
                let Some(sub) = subnet else {
                    return Err(vec![format!(
                        "An interface endpoint for {} needs a subnet for its network interface.",
                        service.name()
                    )]);
                };
                let Some(s) = n.subnet(sub) else {
                    return Err(missing("subnet", sub));
                };
                let ip = s.cidr.first4().wrapping_add(6);
                let group = n
                    .groups
                    .iter()
                    .find(|g| g.default && g.vpc == *vpc)
                    .map(|g| g.id.clone())
                    .into_iter()
                    .collect();
                EndpointKind::Interface {
                    subnets: vec![sub.clone()],
                    groups: group,
                    private_ip: ip,
                }
            };
            n.endpoints.push(Endpoint {
                id,
                vpc: vpc.clone(),
                service: *service,
                kind,
            });
        }
        Edit::Rename { id, name } => {
            let name = name.trim().to_string();
            if name.is_empty() {
                return Err(vec!["A name cannot be empty.".into()]);
            }
            if name.chars().count() > 64 {
                return Err(vec!["Names are at most 64 characters here.".into()]);
            }
            if n.group(id).is_some() {
                return Err(vec![format!("A security group's name is fixed once it is created (its Name tag can change, but this model shows the group name); create a new group instead.")]);
            }
            fn named<'a, T>(
                list: &'a mut [T],
                id: &str,
                parts: fn(&mut T) -> (&str, &mut String),
            ) -> Option<&'a mut String> {
                list.iter_mut()
                    .map(parts)
                    .find(|(x, _)| *x == id)
                    .map(|(_, name)| name)
            }
            let slot = named(&mut n.vpcs, id, |x| (&x.id, &mut x.name))
                .or_else(|| named(&mut n.subnets, id, |x| (&x.id, &mut x.name)))
                .or_else(|| named(&mut n.route_tables, id, |x| (&x.id, &mut x.name)))
                .or_else(|| named(&mut n.nacls, id, |x| (&x.id, &mut x.name)))
                .or_else(|| named(&mut n.instances, id, |x| (&x.id, &mut x.name)))
                .or_else(|| named(&mut n.enis, id, |x| (&x.id, &mut x.name)));
            match slot {
                Some(x) => *x = name,
                None => {
                    return Err(vec![format!(
                        "{id} has no name to change, or does not exist."
                    )])
                }
            }
        }
        Edit::MoveInstance {
            instance,
            subnet,
            ip,
        } => {
            if n.subnet(subnet).is_none() {
                return Err(missing("subnet", subnet));
            }
            match n.instances.iter_mut().find(|i| &i.id == instance) {
                Some(i) => {
                    i.subnet = subnet.clone();
                    i.private_ip = *ip;
                    // A new subnet means a new IPv6 address, if any.
                    i.ipv6 = None;
                }
                None => return Err(missing("instance", instance)),
            }
        }
        Edit::SetVpcIpv6 { vpc, cidr } => {
            if let Some(c) = cidr {
                if !c.is_v6() {
                    return Err(vec![format!("{c} is IPv4: a VPC's IPv6 block is an IPv6 prefix such as 2600:1f18:6b4:a00::/56.")]);
                }
            }
            let Some(v) = n.vpcs.iter_mut().find(|v| &v.id == vpc) else {
                return Err(missing("VPC", vpc));
            };
            let had = v.ipv6.is_some();
            v.ipv6 = *cidr;
            // AWS adds rule 101 for ::/0 both ways to a default NACL whose rules were not
            // changed from the defaults.
            if cidr.is_some() && !had {
                if let Some(a) = n.nacls.iter_mut().find(|a| a.default && &a.vpc == vpc) {
                    let untouched = |r: &Vec<NaclRule>| {
                        r.len() == 1
                            && r[0].number == 100
                            && r[0].allow
                            && r[0].cidr == Net::ANY
                            && r[0].proto == Proto::All
                    };
                    if untouched(&a.inbound) && untouched(&a.outbound) {
                        allow_all_ipv6(a);
                    }
                }
            }
        }
        Edit::SetSubnetIpv6 { subnet, cidr } => {
            match n.subnets.iter_mut().find(|s| &s.id == subnet) {
                Some(s) => s.ipv6 = *cidr,
                None => return Err(missing("subnet", subnet)),
            }
            if cidr.is_none() {
                // Addresses from the block go with it.
                let sub = subnet.clone();
                n.instances
                    .iter_mut()
                    .filter(|i| i.subnet == sub)
                    .for_each(|i| i.ipv6 = None);
                n.enis
                    .iter_mut()
                    .filter(|e| e.subnet == sub)
                    .for_each(|e| e.ipv6 = None);
            }
        }
        Edit::SetIpv6 { id, ip } => {
            if let Some(i) = n.instances.iter_mut().find(|i| &i.id == id) {
                i.ipv6 = *ip;
            } else if let Some(e) = n.enis.iter_mut().find(|e| &e.id == id) {
                e.ipv6 = *ip;
            } else {
                return Err(missing("instance or network interface", id));
            }
        }
        Edit::AddEigw { vpc } => {
            if n.vpc(vpc).is_none() {
                return Err(missing("VPC", vpc));
            }
            let id = next_id("eigw", n.eigws.iter().map(|g| g.id.clone()));
            n.eigws.push(Gateway {
                id,
                vpc: Some(vpc.clone()),
            });
        }
        Edit::AddEni {
            name,
            subnet,
            ip,
            groups,
        } => {
            if n.subnet(subnet).is_none() {
                return Err(missing("subnet", subnet));
            }
            let id = next_id("eni", n.enis.iter().map(|e| e.id.clone()));
            n.enis.push(Eni {
                id,
                name: name.trim().into(),
                subnet: subnet.clone(),
                private_ip: *ip,
                ipv6: None,
                groups: groups.clone(),
                instance: None,
            });
        }
        Edit::AttachEni { eni, instance } => {
            if let Some(i) = instance {
                if n.instance(i).is_none() {
                    return Err(missing("instance", i));
                }
            }
            match n.enis.iter_mut().find(|e| &e.id == eni) {
                Some(e) if instance.is_some() && e.instance.is_some() => {
                    return Err(vec![format!(
                        "{eni} is already attached to {}: detach it first.",
                        e.instance.as_deref().unwrap_or_default()
                    )])
                }
                Some(e) => e.instance = instance.clone(),
                None => return Err(missing("network interface", eni)),
            }
        }
        Edit::SetEniGroups { eni, groups } => match n.enis.iter_mut().find(|e| &e.id == eni) {
            Some(e) => e.groups = groups.clone(),
            None => return Err(missing("network interface", eni)),
        },
        Edit::AllocateEip { address } => {
            let id = next_id("eipalloc", n.eips.iter().map(|e| e.id.clone()));
            n.eips.push(ElasticIp {
                id,
                address: *address,
                target: None,
            });
        }
        Edit::AssociateEip { eip, target } => {
            if let Some(t) = target {
                if n.instance(t).is_none() && n.eni(t).is_none() {
                    return Err(missing("instance or network interface", t));
                }
            }
            match n.eips.iter_mut().find(|e| &e.id == eip) {
                Some(e) => e.target = target.clone(),
                None => return Err(missing("Elastic IP", eip)),
            }
            // An Elastic IP replaces the instance's auto-assigned public IP.
            if let Some(t) = target {
                if let Some(i) = n.instances.iter_mut().find(|i| &i.id == t) {
                    i.public_ip = None;
                }
            }
        }
        Edit::SetPeeringActive { peering, active } => {
            match n.peerings.iter_mut().find(|p| &p.id == peering) {
                Some(p) => p.active = *active,
                None => return Err(missing("peering connection", peering)),
            }
        }
        Edit::Delete { id } => {
            if let Some(e) = n.eni(id) {
                if let Some(i) = &e.instance {
                    return Err(vec![format!(
                        "{id} is attached to {i}: detach it before deleting it."
                    )]);
                }
            }
            if let Some(e) = n.eips.iter().find(|e| &e.id == id) {
                if let Some(t) = &e.target {
                    return Err(vec![format!(
                        "{id} is associated with {t}: disassociate it before releasing it."
                    )]);
                }
            }
            let before = n.resources();
            n.vpcs.retain(|x| &x.id != id);
            n.subnets.retain(|x| &x.id != id);
            n.route_tables.retain(|x| &x.id != id);
            n.igws.retain(|x| &x.id != id);
            n.eigws.retain(|x| &x.id != id);
            n.vgws.retain(|x| &x.id != id);
            n.nats.retain(|x| &x.id != id);
            n.peerings.retain(|x| &x.id != id);
            n.endpoints.retain(|x| &x.id != id);
            n.nacls.retain(|x| &x.id != id || x.default);
            n.groups.retain(|x| &x.id != id || x.default);
            n.instances.retain(|x| &x.id != id);
            n.enis.retain(|x| &x.id != id);
            n.eips.retain(|x| &x.id != id);
            if n.resources() == before {
                return Err(vec![format!("{id} cannot be deleted (a VPC's default network ACL and security group stay), or does not exist.")]);
            }
            // Associations that named it go too; what still depends on it is refused below.
            n.route_tables
                .iter_mut()
                .for_each(|t| t.subnets.retain(|s| s != id));
            n.nacls
                .iter_mut()
                .for_each(|a| a.subnets.retain(|s| s != id));
            // Terminating an instance detaches its other interfaces and disassociates its
            // Elastic IP.
            n.enis
                .iter_mut()
                .filter(|e| e.instance.as_ref() == Some(id))
                .for_each(|e| e.instance = None);
            n.eips
                .iter_mut()
                .filter(|e| e.target.as_ref() == Some(id))
                .for_each(|e| e.target = None);
        }
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
    #[test]
    fn a_missing_rule_or_route_at_the_largest_index_is_named_without_overflow() {
        let net = super::super::templates::single_web_server();
        let e = apply(
            &net,
            &Edit::DeleteSgRule {
                group: "sg-web".into(),
                inbound: true,
                index: usize::MAX,
            },
        )
        .unwrap_err();
        assert_eq!(
            e,
            vec![format!("sg-web has no rule {}.", usize::MAX as u128 + 1)]
        );
        let table = net.route_tables[0].id.clone();
        let e = apply(
            &net,
            &Edit::DeleteRoute {
                table: table.clone(),
                index: usize::MAX,
            },
        )
        .unwrap_err();
        assert_eq!(
            e,
            vec![format!("{table} has no route {}.", usize::MAX as u128 + 1)]
        );
    }

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

    fn ok(net: &Network, e: Edit) -> Network {
        apply(net, &e).unwrap_or_else(|err| panic!("{e:?}: {err:?}"))
    }
    fn refused(net: &Network, e: Edit) -> String {
        apply(net, &e).expect_err("should be refused").join(" ")
    }

    #[test]
    fn ipv6_blocks_addresses_and_gateways() {
        let net = templates::single_web_server();
        let b56 = Net::parse("2600:1f18:6b4:a00::/56").unwrap();
        // A subnet block needs the VPC's first.
        let sub = Edit::SetSubnetIpv6 {
            subnet: "subnet-public-a".into(),
            cidr: Some(Net::parse("2600:1f18:6b4:a01::/64").unwrap()),
        };
        assert!(refused(&net, sub.clone()).contains("associate one with the VPC first"));
        let n = ok(
            &net,
            Edit::SetVpcIpv6 {
                vpc: "vpc-main".into(),
                cidr: Some(b56),
            },
        );
        // The untouched default NACL gains rule 101 for ::/0 both ways.
        assert!(n.nacls[0]
            .inbound
            .iter()
            .any(|r| r.number == 101 && r.cidr == Net::ANY6));
        assert!(n.nacls[0]
            .outbound
            .iter()
            .any(|r| r.number == 101 && r.cidr == Net::ANY6));
        assert!(refused(
            &net,
            Edit::SetVpcIpv6 {
                vpc: "vpc-main".into(),
                cidr: Some(Net::parse("10.9.0.0/16").unwrap())
            }
        )
        .contains("is IPv4"));
        assert!(refused(
            &n,
            Edit::SetSubnetIpv6 {
                subnet: "subnet-public-a".into(),
                cidr: Some(Net::parse("2600:1f18:6b4:b00::/64").unwrap())
            }
        )
        .contains("outside vpc-main's IPv6 block"));
        let n = ok(&n, sub);
        let ip = |t: &str| Some(parse_ip6(t).unwrap());
        assert!(refused(
            &n,
            Edit::SetIpv6 {
                id: "i-web".into(),
                ip: ip("2600:1f18:6b4:a01::2")
            }
        )
        .contains("reserves"));
        assert!(refused(
            &n,
            Edit::SetIpv6 {
                id: "i-web".into(),
                ip: ip("2600:1f18:6b4:a02::10")
            }
        )
        .contains("outside subnet-public-a"));
        let n = ok(
            &n,
            Edit::SetIpv6 {
                id: "i-web".into(),
                ip: ip("2600:1f18:6b4:a01::10"),
            },
        );
        // Routes: IPv4 to an egress-only gateway and IPv6 to a NAT gateway are refused.
        let n = ok(
            &n,
            Edit::AddEigw {
                vpc: "vpc-main".into(),
            },
        );
        assert_eq!(n.eigws[0].id, "eigw-1");
        let route = |dest: &str, target: Target| Edit::AddRoute {
            table: "rtb-main".into(),
            route: Route {
                dest: Dest::Cidr(Net::parse(dest).unwrap()),
                target,
            },
        };
        assert!(
            refused(&n, route("10.8.0.0/16", Target::Eigw("eigw-1".into())))
                .contains("IPv6 routes only")
        );
        let n = ok(&n, route("::/0", Target::Igw("igw-main".into())));
        // A group created now allows all IPv6 out as well.
        let n = ok(
            &n,
            Edit::AddGroup {
                vpc: "vpc-main".into(),
                name: "new".into(),
            },
        );
        assert_eq!(n.groups.last().unwrap().outbound.len(), 2);
        // Removing the VPC's block while a subnet uses it is refused.
        assert!(refused(
            &n,
            Edit::SetVpcIpv6 {
                vpc: "vpc-main".into(),
                cidr: None
            }
        )
        .contains("has none"));
        // An egress-only gateway in a VPC without IPv6 makes no sense.
        assert!(refused(
            &net,
            Edit::AddEigw {
                vpc: "vpc-main".into()
            }
        )
        .contains("carries IPv6 only"));
    }

    #[test]
    fn interfaces_elastic_ips_names_and_moves() {
        let net = templates::dual_stack();
        let n = ok(
            &net,
            Edit::AddEni {
                name: "spare".into(),
                subnet: "subnet-public-a".into(),
                ip: parse_ip("10.0.1.50").unwrap(),
                groups: vec!["sg-web".into()],
            },
        );
        assert_eq!(n.enis[1].id, "eni-1");
        assert!(refused(
            &n,
            Edit::AddEni {
                name: "dup".into(),
                subnet: "subnet-public-a".into(),
                ip: parse_ip("10.0.1.50").unwrap(),
                groups: vec!["sg-web".into()]
            }
        )
        .contains("already used"));
        let n = ok(
            &n,
            Edit::AttachEni {
                eni: "eni-1".into(),
                instance: Some("i-app".into()),
            },
        );
        assert!(refused(
            &n,
            Edit::AttachEni {
                eni: "eni-1".into(),
                instance: Some("i-web".into())
            }
        )
        .contains("detach it first"));
        assert!(
            refused(&n, Edit::Delete { id: "eni-1".into() }).contains("detach it before deleting")
        );
        // Another AZ is refused.
        let mut other_az = n.clone();
        other_az.subnets.push(Subnet {
            id: "subnet-b".into(),
            name: "b".into(),
            vpc: "vpc-main".into(),
            az: "us-east-1b".into(),
            cidr: Net::parse("10.0.9.0/24").unwrap(),
            ipv6: None,
        });
        let moved = refused(
            &other_az,
            Edit::MoveInstance {
                instance: "i-app".into(),
                subnet: "subnet-b".into(),
                ip: parse_ip("10.0.9.10").unwrap(),
            },
        );
        assert!(moved.contains("own Availability Zone"), "{moved}");
        // Elastic IPs: allocate, associate (replacing an auto-assigned address), release.
        let n = ok(
            &n,
            Edit::AllocateEip {
                address: parse_ip("192.0.2.30").unwrap(),
            },
        );
        assert!(refused(
            &n,
            Edit::AllocateEip {
                address: parse_ip("192.0.2.30").unwrap()
            }
        )
        .contains("already in use"));
        assert!(refused(
            &n,
            Edit::AllocateEip {
                address: parse_ip("10.0.0.30").unwrap()
            }
        )
        .contains("private address"));
        assert!(refused(
            &n,
            Edit::AssociateEip {
                eip: "eipalloc-1".into(),
                target: Some("i-web".into())
            }
        )
        .contains("already has an Elastic IP"));
        let n = ok(
            &n,
            Edit::AssociateEip {
                eip: "eipalloc-1".into(),
                target: Some("i-app".into()),
            },
        );
        assert!(refused(
            &n,
            Edit::Delete {
                id: "eipalloc-1".into()
            }
        )
        .contains("disassociate it"));
        // Deleting an instance detaches its interfaces and frees its Elastic IP.
        let n = ok(&n, Edit::Delete { id: "i-app".into() });
        assert_eq!(n.enis[1].instance, None);
        assert_eq!(n.eips[1].target, None);
        let n = ok(
            &n,
            Edit::Delete {
                id: "eipalloc-1".into(),
            },
        );
        assert_eq!(n.eips.len(), 1);
        // Names.
        let n = ok(
            &n,
            Edit::Rename {
                id: "i-web".into(),
                name: " front ".into(),
            },
        );
        assert_eq!(n.instances[0].name, "front");
        assert!(refused(
            &n,
            Edit::Rename {
                id: "sg-web".into(),
                name: "x".into()
            }
        )
        .contains("fixed"));
        assert!(refused(
            &n,
            Edit::Rename {
                id: "subnet-public-a".into(),
                name: "  ".into()
            }
        )
        .contains("empty"));
        // Moving clears the IPv6 address (a new subnet, a new address).
        let n = ok(
            &n,
            Edit::MoveInstance {
                instance: "i-web".into(),
                subnet: "subnet-private-a".into(),
                ip: parse_ip("10.0.2.30").unwrap(),
            },
        );
        assert_eq!(
            (n.instances[0].subnet.as_str(), n.instances[0].ipv6),
            ("subnet-private-a", None)
        );
        // Peering acceptance.
        let p = templates::peering_chain();
        let id = p.peerings[0].id.clone();
        let n = ok(
            &p,
            Edit::SetPeeringActive {
                peering: id.clone(),
                active: false,
            },
        );
        assert!(!n.peerings[0].active);
    }

    #[test]
    fn creating_and_deleting_resources() {
        use super::super::reach::{analyze, End, Query};
        let net = templates::single_web_server();
        let n = apply(
            &net,
            &Edit::AddVpc {
                name: "data".into(),
                cidr: Net::parse("10.1.0.0/16").unwrap(),
            },
        )
        .unwrap();
        assert_eq!(n.vpcs[1].id, "vpc-1");
        assert!(n.route_tables.iter().any(|t| t.main && t.vpc == "vpc-1"));
        assert!(apply(
            &n,
            &Edit::AddPeering {
                requester: "vpc-main".into(),
                accepter: "vpc-1".into()
            }
        )
        .is_ok());
        let e = apply(
            &net,
            &Edit::AddVpc {
                name: "big".into(),
                cidr: Net::parse("10.0.0.0/8").unwrap(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("/16 to /28"), "{e:?}");
        let e = apply(
            &n,
            &Edit::AddPeering {
                requester: "vpc-main".into(),
                accepter: "vpc-main".into(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("with itself"));
        // A second IGW attached to the same VPC is refused; a detached one is fine.
        assert!(apply(
            &net,
            &Edit::AddIgw {
                vpc: Some("vpc-main".into())
            }
        )
        .unwrap_err()[0]
            .contains("more than one internet gateway"));
        assert!(apply(&net, &Edit::AddIgw { vpc: None }).is_ok());
        let n2 = apply(
            &net,
            &Edit::AddNat {
                subnet: "subnet-public-a".into(),
                eip: parse_ip("192.0.2.99").unwrap(),
            },
        )
        .unwrap();
        assert_eq!(n2.nats[0].id, "nat-1");
        // Deleting something still in use is refused with what depends on it.
        let e = apply(
            &net,
            &Edit::Delete {
                id: "sg-web".into(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("uses sg-web"), "{e:?}");
        let e = apply(
            &net,
            &Edit::Delete {
                id: "igw-main".into(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("igw-main, which does not exist"), "{e:?}");
        let e = apply(
            &net,
            &Edit::Delete {
                id: "acl-main".into(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("cannot be deleted"));
        assert!(apply(&net, &Edit::Delete { id: "i-web".into() }).is_ok());
        // Endpoints: a gateway endpoint for S3 adds its route; SQS needs a subnet.
        let n3 = apply(
            &net,
            &Edit::AddEndpoint {
                vpc: "vpc-main".into(),
                service: Service::S3,
                route_table: Some("rtb-main".into()),
                subnet: None,
            },
        )
        .unwrap();
        assert!(n3.route_tables[0]
            .routes
            .iter()
            .any(|r| r.dest == Dest::PrefixList(Service::S3)));
        assert!(apply(
            &net,
            &Edit::AddEndpoint {
                vpc: "vpc-main".into(),
                service: Service::Sqs,
                route_table: None,
                subnet: None
            }
        )
        .is_err());
        // A custom NACL denies everything until rules are added.
        let n4 = apply(
            &net,
            &Edit::AddNacl {
                vpc: "vpc-main".into(),
                name: "strict".into(),
                subnet: Some("subnet-public-a".into()),
            },
        )
        .unwrap();
        let q = Query::new(End::Internet, End::Instance("i-web".into()), Proto::Tcp, 80);
        assert!(!analyze(&n4, &q).reachable);
    }
}
