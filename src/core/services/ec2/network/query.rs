//! Facts about a network that several parts need — the analyzer, validation, the diagram
//! and the pages — computed in one place so they cannot disagree.

use super::model::{Gateway, Net, Network, Target};

/// Whether an internet or virtual private gateway is attached to `vpc`.
pub fn attached(g: &Gateway, vpc: &str) -> bool {
    g.vpc.as_deref() == Some(vpc)
}

/// The internet gateway attached to `vpc` (a VPC has at most one: Amazon VPC User Guide,
/// "Internet gateways").
pub fn igw_of<'a>(n: &'a Network, vpc: &str) -> Option<&'a Gateway> {
    n.igws.iter().find(|g| attached(g, vpc))
}

/// For which address families a subnet is public.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Public {
    /// Its route table sends 0.0.0.0/0 to the VPC's internet gateway.
    pub v4: bool,
    /// Its route table sends ::/0 to the VPC's internet gateway.
    pub v6: bool,
}

impl Public {
    /// Public for either family: what the diagram and the subnet list show.
    pub fn any(self) -> bool {
        self.v4 || self.v6
    }
}

/// The one definition of a public subnet: its route table (its own or the VPC's main one)
/// has a default route for the family to an internet gateway attached to the subnet's VPC
/// (Amazon VPC User Guide, "Subnet types": a public subnet "has a direct route to an
/// internet gateway"). Narrower than that wording on purpose: only a default route
/// (0.0.0.0/0, ::/0) makes the subnet public for the whole internet, which is what the
/// diagram and a NAT gateway need; the analyzer still follows the actual route of each
/// packet. A route to a detached gateway is a blackhole and does not count.
pub fn public(n: &Network, subnet: &str) -> Public {
    let (Some(s), Some(rt)) = (n.subnet(subnet), n.route_table_of(subnet)) else {
        return Public::default();
    };
    let mut p = Public::default();
    for r in &rt.routes {
        let Target::Igw(g) = &r.target else { continue };
        if !n.igws.iter().any(|x| &x.id == g && attached(x, &s.vpc)) {
            continue;
        }
        let dest = r.dest.net();
        if dest == Net::ANY {
            p.v4 = true;
        } else if dest == Net::ANY6 {
            p.v6 = true;
        }
    }
    p
}

/// Whether a subnet is public for IPv4 or IPv6 (see [`public`]).
pub fn is_public(n: &Network, subnet: &str) -> bool {
    public(n, subnet).any()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::ec2::network::model::{Dest, Route};
    use crate::core::services::ec2::network::templates;
    use crate::core::services::ec2::network::validate::validate;

    /// The review's case: a subnet whose only default route is ::/0 to the internet gateway
    /// is public (for IPv6) everywhere, and a NAT gateway there is refused for the reason
    /// that is true — it needs an IPv4 route — not as "in a private subnet".
    #[test]
    fn an_ipv6_only_public_subnet_is_public_everywhere() {
        let mut net = templates::public_private_nat();
        let nat_subnet = net.nats[0].subnet.clone();
        let rt_id = net.route_table_of(&nat_subnet).unwrap().id.clone();
        let igw = net.igws[0].id.clone();
        let rt = net.route_tables.iter_mut().find(|t| t.id == rt_id).unwrap();
        rt.routes.retain(|r| !matches!(r.target, Target::Igw(_)));
        rt.routes.push(Route {
            dest: Dest::Cidr(Net::ANY6),
            target: Target::Igw(igw.clone()),
        });
        let p = public(&net, &nat_subnet);
        assert_eq!(
            p,
            Public {
                v4: false,
                v6: true
            }
        );
        assert!(is_public(&net, &nat_subnet));
        let problems = validate(&net);
        let nat = problems
            .iter()
            .find(|x| x.code == "NAT_IN_PRIVATE_SUBNET")
            .expect("the NAT gateway is refused");
        assert!(
            nat.message.contains("public for IPv6 only"),
            "{}",
            nat.message
        );
        // Detached, the gateway makes nothing public.
        net.igws[0].vpc = None;
        assert_eq!(public(&net, &nat_subnet), Public::default());
    }

    #[test]
    fn the_templates_public_subnets() {
        let net = templates::public_private_nat();
        let publics: Vec<_> = net
            .subnets
            .iter()
            .filter(|s| is_public(&net, &s.id))
            .map(|s| s.id.clone())
            .collect();
        assert_eq!(publics, ["subnet-public-a", "subnet-public-b"]);
        assert!(publics.contains(&net.nats[0].subnet));
        let vpc = &net.vpcs[0].id;
        assert_eq!(
            igw_of(&net, vpc).map(|g| g.id.as_str()),
            Some(net.igws[0].id.as_str())
        );
    }
}
