//! The VPC page's state: a template, the edited network (when edited), the query and the
//! selections, for share links and sandboxes.

use crate::core::account::{Account, Caller, Request, SANDBOX_ACCOUNT, SANDBOX_REGION};
use crate::core::services::ec2::network::edit::Edit;
use crate::core::services::ec2::network::model::*;
use crate::core::services::ec2::network::reach::{End, Query};
use crate::core::services::ec2::network::templates;
use crate::core::sim::AwsError;
use serde::{Deserialize, Serialize};

/// How states of older formats become today's ([`crate::core::share::Upgrade`]); none yet.
pub const UPGRADES: &[crate::core::share::Upgrade] = &[];

/// The fields of a saved [`VpcState`] and their JSON kinds: how a sandbox checks it without
/// linking its reader into every module (`sandbox::Slot::shape`; the page reads it fully).
pub const SHAPE: crate::core::share::Shape = {
    use crate::core::share::Kind;
    &[
        ("template", Kind::Text),
        ("network", Kind::ObjectOrNull),
        ("from", Kind::Text),
        ("to", Kind::Text),
        ("proto", Kind::Text),
        ("port", Kind::Text),
        ("ipv6", Kind::Flag),
        ("selected", Kind::Text),
        ("check", Kind::Text),
    ]
};
/// The state's format version (a link's `v`, a sandbox's `tools.*.version`).
pub const VERSION: u32 = 1 + UPGRADES.len() as u32;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VpcState {
    pub template: String,
    /// The network after edits; `None` while the template is unchanged (short links).
    pub network: Option<Network>,
    pub from: String,
    pub to: String,
    pub proto: Proto,
    pub port: String,
    /// Ask over IPv6 instead of IPv4.
    pub ipv6: bool,
    pub selected: String,
    pub check: String,
}

impl Default for VpcState {
    fn default() -> Self {
        VpcState {
            template: "web".into(),
            network: None,
            from: "internet".into(),
            to: "i-web".into(),
            proto: Proto::Tcp,
            port: "80".into(),
            ipv6: false,
            selected: String::new(),
            check: "i-web".into(),
        }
    }
}

/// Reads an endpoint as the selects write it: `internet`, a service id
/// ([`Service::ALL`]: `s3`, `dynamodb`, `sqs`, `sns`), an instance or network interface id,
/// or an IP address of either family.
pub fn end(text: &str, net: &Network) -> Result<End, String> {
    let t = text.trim();
    if t == "internet" {
        return Ok(End::Internet);
    }
    if let Some(s) = Service::from_id(t) {
        return Ok(End::Service(s));
    }
    if net.iface(t).is_some() {
        return Ok(End::Instance(t.into()));
    }
    parse_any_ip(t).map(End::Ip).map_err(|_| {
        format!("“{t}” is not an instance or interface of this design, a service or an IP address.")
    })
}

impl VpcState {
    /// The state as a sandbox saves it: the network always explicit, the template's when
    /// unchanged. The sandbox keeps the network in its account (`AccountView` `ec2`, which
    /// the console shares), and a state without one would take the network out of the
    /// account: after Reset, or an edit of the question on a template's link, the console
    /// would then put its own network back. Links stay short (`network` stays `None` there).
    pub fn saved(&self) -> VpcState {
        VpcState {
            network: Some(self.network()),
            ..self.clone()
        }
    }

    pub fn network(&self) -> Network {
        self.network
            .clone()
            .unwrap_or_else(|| template(&self.template))
    }

    pub fn query(&self, net: &Network) -> Result<Query, Vec<String>> {
        let from = end(&self.from, net);
        let to = end(&self.to, net);
        // Only TCP and UDP have ports; for other protocols the field is not shown.
        let port = if !self.proto.has_ports() {
            Ok(0.0)
        } else {
            crate::core::format::parse_number(&self.port, "Port")
        }
        .and_then(|p| {
            if p.fract() == 0.0 && (0.0..=65535.0).contains(&p) {
                Ok(p as u16)
            } else {
                Err("Port: a whole number from 0 to 65535.".into())
            }
        });
        let port = if self.proto == Proto::All {
            Err("Protocol: a packet has one protocol; ask about tcp, udp, icmp, icmpv6 or a protocol number, not all.".to_string())
        } else {
            port
        };
        match (from, to, port) {
            (Ok(from), Ok(to), Ok(port)) => Ok(Query {
                from,
                to,
                // A question about ICMP without a message is about ping.
                proto: match self.proto {
                    Proto::Icmp(m) if m == IcmpMatch::ALL => Proto::PING,
                    Proto::Icmpv6(m) if m == IcmpMatch::ALL => Proto::PING6,
                    p => p,
                },
                port,
                v6: self.ipv6,
            }),
            (a, b, c) => Err([
                a.err().map(|e| format!("From: {e}")),
                b.err().map(|e| format!("To: {e}")),
                c.err(),
            ]
            .into_iter()
            .flatten()
            .collect()),
        }
    }
}

impl VpcState {
    /// The state a template opens with: its network unchanged and a question that shows
    /// what it is for (the first instance from the internet; for three tiers, the app tier
    /// to the database on 3306; for the peering template, A to C over SSH, the connection
    /// peering cannot make).
    pub fn for_template(id: &str) -> VpcState {
        let mut s = VpcState {
            template: id.to_string(),
            ..Default::default()
        };
        let net = s.network();
        s.to = net
            .instances
            .first()
            .map(|i| i.id.clone())
            .unwrap_or_default();
        s.check = s.to.clone();
        s.from = "internet".into();
        match s.template.as_str() {
            "peering" => {
                s.from = "i-a".into();
                s.to = "i-c".into();
                s.port = "22".into();
            }
            // The chain the template is for: the app tier reaches the database on MySQL.
            "three-tier" => {
                s.from = "i-app".into();
                s.to = "i-db".into();
                s.port = "3306".into();
            }
            _ => {}
        }
        s
    }

    /// Makes an EC2 call on the network this view shows, as the account's root user, through
    /// the account's dispatcher (`Account::call`): the network changes, or the AWS error
    /// and the operation come back and nothing changes.
    /// `shown` is the network the view shows ([`VpcState::network`], which the page keeps
    /// computed).
    pub fn apply(&mut self, shown: &Network, edit: Edit) -> Result<(), (AwsError, &'static str)> {
        self.network = Some(apply_edit(shown, edit)?);
        Ok(())
    }
}

/// The network after an EC2 call on `shown`, made as the account's root user through the
/// account's dispatcher (`Account::call`); `Err` is the AWS error and the operation
/// (`CreateSubnet`). The editor module makes every edit with it ([`super::editor`]).
pub fn apply_edit(shown: &Network, edit: Edit) -> Result<Network, (AwsError, &'static str)> {
    let mut account = Account::new(SANDBOX_ACCOUNT, SANDBOX_REGION, shown.clone());
    let operation = edit.operation();
    account
        .call(&Caller::Root, Request::Ec2(edit))
        .map_err(|e| (e, operation))?;
    Ok(account.ec2)
}

/// The ends a reachability question can name, as (value, label): the internet, every
/// instance and network interface, and every AWS service the analyzer knows.
pub fn endpoints(net: &Network) -> Vec<(String, String)> {
    std::iter::once(("internet".to_string(), "the internet".to_string()))
        .chain(
            net.instances
                .iter()
                .map(|i| (i.id.clone(), format!("{} ({})", i.id, i.name))),
        )
        .chain(
            net.enis
                .iter()
                .map(|e| (e.id.clone(), format!("{} (interface: {})", e.id, e.name))),
        )
        .chain(
            Service::ALL
                .iter()
                .map(|s| (s.id().to_string(), s.name().to_string())),
        )
        .collect()
}

/// The network of template `id`, read from its saved JSON (`templates::saved`); an unknown
/// id (a damaged link) opens the first template.
pub fn template(id: &str) -> Network {
    templates::saved(id)
        .or_else(|| templates::saved("web"))
        .unwrap_or_default()
}

pub fn to_query(s: &VpcState) -> String {
    crate::core::share::to_query(s, VERSION)
}

/// Reads a link or a sandbox's state. A network equal to its template's reads as `None`
/// (the template's, unchanged): the sandbox holds it explicitly ([`VpcState::saved`]), and
/// the page's URL stays as short as the link it came from.
pub fn from_query(q: &str) -> Result<VpcState, String> {
    let mut s: VpcState = crate::core::share::from_query(q, UPGRADES)?;
    if s.network.as_ref() == Some(&template(&s.template)) {
        s.network = None;
    }
    Ok(s)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::services::ec2::network::reach::analyze;

    #[test]
    fn templates_open_with_a_question_and_edits_go_through_the_account() {
        let p = VpcState::for_template("peering");
        assert_eq!(
            (p.from.as_str(), p.to.as_str(), p.port.as_str()),
            ("i-a", "i-c", "22")
        );
        let net = p.network();
        let v = analyze(&net, &p.query(&net).unwrap());
        assert!(!v.reachable, "peering is not transitive");
        let mut t = VpcState::for_template("three-tier");
        assert_eq!(
            (t.from.as_str(), t.to.as_str(), t.port.as_str()),
            ("i-app", "i-db", "3306")
        );
        let net = t.network();
        assert!(analyze(&net, &t.query(&net).unwrap()).reachable);
        // Every template opens with a question about resources it has.
        for (id, _) in crate::core::services::ec2::network::templates::TEMPLATES {
            let s = VpcState::for_template(id);
            let net = s.network();
            assert!(s.query(&net).is_ok(), "{id}");
        }
        assert_eq!(t.network, None);
        let (e, op) = t
            .apply(&t.network(), Edit::delete("sg-web").unwrap())
            .unwrap_err();
        assert_eq!((e.code, op), ("DependencyViolation", "DeleteSecurityGroup"));
        assert_eq!(t.network, None, "a refused call changes nothing");
        t.apply(&t.network(), Edit::delete("i-db").unwrap())
            .unwrap();
        assert_eq!(t.network.as_ref().unwrap().instances.len(), 2);
        let ends = endpoints(&t.network());
        assert_eq!(
            ends[0],
            ("internet".to_string(), "the internet".to_string())
        );
        assert_eq!(ends[1].1, "i-web (web)");
        assert_eq!(ends.len(), 1 + 2 + Service::ALL.len());
    }

    #[test]
    fn default_answers_the_web_server_question() {
        let s = VpcState::default();
        let net = s.network();
        assert!(analyze(&net, &s.query(&net).unwrap()).reachable);
        assert_eq!(to_query(&s), "");
        let bad = VpcState {
            to: "nope".into(),
            port: "70000".into(),
            ..Default::default()
        };
        let e = bad.query(&net).unwrap_err();
        assert!(e[0].starts_with("To:") && e[1].contains("65535"));
    }

    #[test]
    fn a_sandbox_always_receives_the_network() {
        use crate::core::sandbox::AccountView;
        // Reset, and a template's link whose question is edited: the network is the
        // template's, and the sandbox's account gets it rather than losing its `ec2`.
        let view = AccountView {
            key: "ec2",
            field: "network",
        };
        for s in [VpcState::default(), VpcState::for_template("private-db")] {
            let link = crate::core::share::query_to_value(&to_query(&s)).map(|(_, v)| v);
            assert!(
                link.is_none_or(|mut v| view.split(&mut v).is_none()),
                "links stay short"
            );
            let (_, mut saved) = crate::core::share::query_to_value(&to_query(&s.saved())).unwrap();
            let part = view.split(&mut saved).expect("the account's network");
            let net: Network = serde_json::from_value(part).unwrap();
            assert_eq!(net, s.network());
        }
        // Read back, the template's network is the template's again: the page's URL stays
        // short after a sandbox load.
        for s in [VpcState::default(), VpcState::for_template("private-db")] {
            assert_eq!(from_query(&to_query(&s.saved())).unwrap(), s);
        }
        // An edited network is saved as it is.
        let mut e = VpcState::default();
        let first = e.network().instances[0].id.clone();
        e.apply(&e.network(), Edit::delete(&first).unwrap())
            .unwrap();
        assert_eq!(e.saved(), e);
    }

    #[test]
    fn edited_networks_round_trip_through_links() {
        let mut dual = template("dual-stack");
        dual.enis[0].ipv6 = parse_ip6("2600:1f18:6b4:a02::20").ok();
        let s = VpcState {
            template: "dual-stack".into(),
            network: Some(dual),
            ipv6: true,
            ..Default::default()
        };
        assert_eq!(from_query(&to_query(&s)).unwrap(), s);
        // Documents saved before IPv6, interfaces and Elastic IPs existed still load.
        let old: Network = serde_json::from_str(r#"{"region":"us-east-1","vpcs":[{"id":"vpc-1","name":"a","cidrs":["10.0.0.0/16"]}],"instances":[{"id":"i-1","name":"x","subnet":"s","private_ip":167772170,"public_ip":null,"groups":["sg"]}]}"#).unwrap();
        assert_eq!(
            (old.vpcs[0].ipv6, old.instances[0].ipv6, old.enis.len()),
            (None, None, 0)
        );
        let mut net = template("three-tier");
        net.instances[0].public_ip = None;
        let s = VpcState {
            template: "three-tier".into(),
            network: Some(net),
            ..Default::default()
        };
        assert_eq!(from_query(&to_query(&s)).unwrap(), s);
    }
}
