//! The VPC builder's editor: the inspector of a selected resource (its fields, rules and
//! Delete button) and the create form. It is compiled into a module of its own,
//! `vpc-editor` (`src/bin/helper-vpc-editor.rs`), which the page mounts into its two
//! editor places once it has drawn itself (`super::EditorSlot`); what the two say to each
//! other is `core::views::vpc::editor`. Every edit is an EC2 call through the account's
//! dispatcher (`core::views::vpc::state::apply_edit`), made here: the page receives the new
//! network, or the refusal.

use super::open_button;
use crate::app::components::form::{input_value, picked, typed};
use crate::core::services::ec2::network::edit::Edit;
use crate::core::services::ec2::network::*;
use crate::core::views::vpc::editor::{EditorEvent, EditorInput, Part, Refusal};
use crate::core::views::vpc::state::apply_edit;
use std::rc::Rc;
use yew::prelude::*;

type Apply = Callback<Edit>;

/// A rule's protocol from the form: the protocol (a name, a number, -1) and, for ICMP and
/// ICMPv6, the type and code typed in the port fields (blank or -1 for all), as the AWS API
/// carries them in FromPort and ToPort.
fn rule_proto(proto: &str, from: &str, to: &str) -> Result<(Proto, Ports), String> {
    let p = Proto::parse(proto).map_err(|e| format!("Protocol: {e}"))?;
    Ok(match p {
        Proto::Tcp | Proto::Udp => (p, ports_from(from, to)?),
        Proto::Icmp(_) | Proto::Icmpv6(_) => {
            let name = if matches!(p, Proto::Icmp(_)) {
                "icmp"
            } else {
                "icmpv6"
            };
            (
                Proto::parse(&format!("{name}:{}:{}", from.trim(), to.trim()))?,
                Ports::ALL,
            )
        }
        _ => (p, Ports::ALL),
    })
}

fn ports_from(from: &str, to: &str) -> Result<Ports, String> {
    let p = |t: &str| {
        t.trim()
            .parse::<u16>()
            .map_err(|_| format!("“{}” is not a port (0-65535).", t.trim()))
    };
    let a = p(from)?;
    let b = if to.trim().is_empty() { a } else { p(to)? };
    if a > b {
        return Err(format!(
            "Ports {a}-{b}: the first must not exceed the second."
        ));
    }
    Ok(Ports(a, b))
}

#[derive(Properties, PartialEq)]
struct FormProps {
    id: String,
    on_apply: Apply,
    /// Choices the form offers, as (id, label): the route form's targets.
    #[prop_or_default]
    choices: Vec<(String, String)>,
}

/// Adds a security group rule: direction, protocol, ports, and a CIDR or a group id.
#[component]
fn SgRuleForm(props: &FormProps) -> Html {
    let dir = use_state(|| "in".to_string());
    let proto = use_state(|| "tcp".to_string());
    let from = use_state(|| "443".to_string());
    let to = use_state(String::new);
    let peer = use_state(|| "0.0.0.0/0".to_string());
    let err = use_state(|| None::<String>);
    let submit = {
        let (dir, proto, from, to, peer, err) = (
            dir.clone(),
            proto.clone(),
            from.clone(),
            to.clone(),
            peer.clone(),
            err.clone(),
        );
        let (id, on_apply) = (props.id.clone(), props.on_apply.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let ports = rule_proto(&proto, &from, &to);
            let peer = if peer.trim().starts_with("sg-") {
                Ok(Peer::Group(peer.trim().into()))
            } else {
                Net::parse(&peer).map(Peer::Cidr)
            };
            match (ports, peer) {
                (Ok((proto, ports)), Ok(peer)) => {
                    err.set(None);
                    on_apply.emit(Edit::authorize(
                        &id,
                        *dir == "in",
                        SgRule { proto, ports, peer },
                    ));
                }
                (a, b) => err.set(Some(
                    [
                        a.err(),
                        b.err().map(|e| format!("Source or destination: {e}")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
                )),
            }
        })
    };
    html! {
        <form class="toolbar rule-form" onsubmit={submit} data-testid="sg-rule-form">
            { direction_select("sg-rule-dir", &dir) }
            { proto_select("sg-rule-proto", &proto, &from, &to) }
            <input type="text" aria-label={port_labels(&proto).0} class="port" placeholder={port_labels(&proto).3} value={(*from).clone()} oninput={typed(&from)} data-testid="sg-rule-from" />
            <input type="text" aria-label={port_labels(&proto).1} class="port" placeholder={port_labels(&proto).2} value={(*to).clone()} oninput={typed(&to)} data-testid="sg-rule-to" />
            <input type="text" aria-label="CIDR or security group id" value={(*peer).clone()} oninput={typed(&peer)} data-testid="sg-rule-peer" />
            <button type="submit" class="small" data-testid="sg-rule-add">{ "Add rule" }</button>
            if let Some(e) = &*err { <span class="error" role="status">{ e }</span> }
        </form>
    }
}

fn direction_select(id: &'static str, field: &UseStateHandle<String>) -> Html {
    html! {
        <select aria-label="Direction" onchange={picked(field)} data-testid={id}>
            <option value="in" selected={**field == "in"}>{ "inbound" }</option>
            <option value="out" selected={**field == "out"}>{ "outbound" }</option>
        </select>
    }
}

/// The protocol of a rule: a name or a number, with suggestions; the port fields become the
/// ICMP type and code for icmp and icmpv6, and are ignored for other protocols.
fn proto_select(
    id: &'static str,
    field: &UseStateHandle<String>,
    from: &UseStateHandle<String>,
    to: &UseStateHandle<String>,
) -> Html {
    // Moving between a protocol with ports and ICMP (type and code) empties the two number
    // fields, so a port such as 22 never becomes ICMP type 22.
    let oninput = {
        let (field, from, to) = (field.clone(), from.clone(), to.clone());
        Callback::from(move |e: InputEvent| {
            let v = input_value(&e);
            let kind = |t: &str| port_labels(t).0;
            if kind(&v) != kind(&field) {
                from.set(String::new());
                to.set(String::new());
            }
            field.set(v);
        })
    };
    html! {
        <>
            <input type="text" class="proto" aria-label="Protocol (name or number, -1 for all)" list="ip-protocols" value={(**field).clone()} oninput={oninput} data-testid={id} />
            <datalist id="ip-protocols">
                { for ["tcp", "udp", "icmp", "icmpv6", "all", "gre", "esp", "ah", "sctp", "47", "50"].iter().map(|p| html! { <option value={*p} /> }) }
            </datalist>
        </>
    }
}

/// Labels and placeholders for the two number fields of a rule form, by protocol: ports,
/// or ICMP type and code: (first label, second label, second placeholder, first placeholder).
fn port_labels(proto: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match Proto::parse(proto) {
        Ok(Proto::Icmp(_) | Proto::Icmpv6(_)) => (
            "ICMP type (-1 or blank for all)",
            "ICMP code (-1 or blank for all)",
            "code",
            "type",
        ),
        Ok(Proto::Tcp | Proto::Udp) | Err(_) => {
            ("First port", "Last port (optional)", "to", "port")
        }
        Ok(_) => (
            "Ports (not used by this protocol)",
            "Ports (not used by this protocol)",
            "to",
            "—",
        ),
    }
}

/// Adds a NACL rule.
#[component]
fn NaclRuleForm(props: &FormProps) -> Html {
    let dir = use_state(|| "in".to_string());
    let number = use_state(|| "90".to_string());
    let action = use_state(|| "deny".to_string());
    let proto = use_state(|| "tcp".to_string());
    let from = use_state(|| "22".to_string());
    let to = use_state(String::new);
    let cidr = use_state(|| "0.0.0.0/0".to_string());
    let err = use_state(|| None::<String>);
    let submit = {
        let (dir, number, action, proto, from, to, cidr, err) = (
            dir.clone(),
            number.clone(),
            action.clone(),
            proto.clone(),
            from.clone(),
            to.clone(),
            cidr.clone(),
            err.clone(),
        );
        let (id, on_apply) = (props.id.clone(), props.on_apply.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let n = number.trim().parse::<u16>().map_err(|_| {
                format!(
                    "Rule number: “{}” is not a number from 1 to 32766.",
                    number.trim()
                )
            });
            let ports = rule_proto(&proto, &from, &to);
            let net = Net::parse(&cidr).map_err(|e| format!("CIDR: {e}"));
            match (n, ports, net) {
                (Ok(number), Ok((proto, ports)), Ok(cidr)) => {
                    err.set(None);
                    on_apply.emit(Edit::CreateNetworkAclEntry {
                        nacl: id.clone(),
                        inbound: *dir == "in",
                        rule: NaclRule {
                            number,
                            proto,
                            ports,
                            cidr,
                            allow: *action == "allow",
                        },
                    });
                }
                (a, b, c) => err.set(Some(
                    [a.err(), b.err(), c.err()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                )),
            }
        })
    };
    html! {
        <form class="toolbar rule-form" onsubmit={submit} data-testid="nacl-rule-form">
            { direction_select("nacl-rule-dir", &dir) }
            <input type="text" aria-label="Rule number" class="port" value={(*number).clone()} oninput={typed(&number)} data-testid="nacl-rule-number" />
            <select aria-label="Action" onchange={picked(&action)} data-testid="nacl-rule-action"><option value="allow" selected={*action == "allow"}>{ "ALLOW" }</option><option value="deny" selected={*action == "deny"}>{ "DENY" }</option></select>
            { proto_select("nacl-rule-proto", &proto, &from, &to) }
            <input type="text" aria-label={port_labels(&proto).0} class="port" placeholder={port_labels(&proto).3} value={(*from).clone()} oninput={typed(&from)} data-testid="nacl-rule-from" />
            <input type="text" aria-label={port_labels(&proto).1} class="port" placeholder={port_labels(&proto).2} value={(*to).clone()} oninput={typed(&to)} data-testid="nacl-rule-to" />
            <input type="text" aria-label="CIDR" value={(*cidr).clone()} oninput={typed(&cidr)} data-testid="nacl-rule-cidr" />
            <button type="submit" class="small" data-testid="nacl-rule-add">{ "Add rule" }</button>
            if let Some(e) = &*err { <span class="error" role="status">{ e }</span> }
        </form>
    }
}

/// Adds a route: destination CIDR and a target chosen from those the table's VPC has.
#[component]
fn RouteForm(props: &FormProps) -> Html {
    let dest = use_state(|| "0.0.0.0/0".to_string());
    let choices = &props.choices;
    let first = choices.first().map(|c| c.0.clone()).unwrap_or_default();
    let target = use_state(|| first.clone());
    let err = use_state(|| None::<String>);
    let submit = {
        let (dest, target, err) = (dest.clone(), target.clone(), err.clone());
        let (id, on_apply) = (props.id.clone(), props.on_apply.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // The shown choice when none was picked (gateways added since the form opened).
            let t = if target.is_empty() {
                first.as_str()
            } else {
                target.trim()
            };
            let target = Target::from_id(t).ok_or_else(|| {
                if t.is_empty() {
                    "Target: this route table's VPC has no gateway, NAT gateway or peering connection to send traffic to yet.".to_string()
                } else {
                    format!("Target: “{t}” is not a gateway id (igw-…, nat-…, pcx-…, vgw-…, eigw-…, vpce-…).")
                }
            });
            match (Net::parse(&dest), target) {
                (Ok(n), Ok(target)) => {
                    err.set(None);
                    on_apply.emit(Edit::CreateRoute {
                        table: id.clone(),
                        route: Route {
                            dest: Dest::Cidr(n),
                            target,
                        },
                    });
                }
                (a, b) => err.set(Some(
                    [a.err().map(|e| format!("Destination: {e}")), b.err()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" "),
                )),
            }
        })
    };
    html! {
        <form class="toolbar rule-form" onsubmit={submit} data-testid="route-form">
            <input type="text" aria-label="Destination CIDR" value={(*dest).clone()} oninput={typed(&dest)} data-testid="route-dest" />
            <select aria-label="Target" onchange={picked(&target)} data-testid="route-target">
                { for choices.iter().map(|(id, label)| html! { <option value={id.clone()} selected={*id == *target}>{ label }</option> }) }
            </select>
            <button type="submit" class="small" data-testid="route-add">{ "Add route" }</button>
            if let Some(e) = &*err { <span class="error" role="status">{ e }</span> }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct FieldActionProps {
    /// The field's label (also its accessible name).
    label: AttrValue,
    /// Test id prefix: `<testid>-input` and `<testid>-submit`.
    testid: AttrValue,
    button: AttrValue,
    #[prop_or_default]
    value: AttrValue,
    #[prop_or_default]
    placeholder: AttrValue,
    /// Turns the text into an edit, or says what is wrong with it.
    to_edit: Callback<String, Result<Edit, String>>,
    on_apply: Apply,
}

/// One text field and a button that turns the text into an edit (rename, IPv6 block or
/// address, Elastic IP …); a parse error is shown next to it and the text is kept.
#[component]
fn FieldAction(props: &FieldActionProps) -> Html {
    let text = use_state(|| props.value.to_string());
    let err = use_state(|| None::<String>);
    {
        // A different resource selected: start from its value.
        let text = text.clone();
        use_effect_with(props.value.clone(), move |v| text.set(v.to_string()));
    }
    let submit = {
        let (text, err, to_edit, on_apply) = (
            text.clone(),
            err.clone(),
            props.to_edit.clone(),
            props.on_apply.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match to_edit.emit((*text).clone()) {
                Ok(edit) => {
                    err.set(None);
                    on_apply.emit(edit);
                }
                Err(m) => err.set(Some(m)),
            }
        })
    };
    let id = format!("{}-input", props.testid);
    html! {
        <form class="field-action" onsubmit={submit}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            <input type="text" id={id.clone()} data-testid={id} placeholder={props.placeholder.clone()} value={(*text).clone()} oninput={typed(&text)} />
            <button type="submit" class="small" data-testid={format!("{}-submit", props.testid)}>{ props.button.clone() }</button>
            if let Some(e) = &*err { <span class="error" role="status">{ e }</span> }
        </form>
    }
}

/// A select of ids and a button: attach to an instance, associate with an interface …
fn choice_action(
    label: &str,
    testid: &'static str,
    options: Vec<String>,
    button: &str,
    on_apply: &Apply,
    to_edit: impl Fn(String) -> Edit + 'static,
) -> Html {
    let first = options.first().cloned().unwrap_or_default();
    let on_apply = on_apply.clone();
    let submit = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        use wasm_bindgen::JsCast;
        let value = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|f| f.query_selector("select").ok().flatten())
            .and_then(|s| s.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_else(|| first.clone());
        on_apply.emit(to_edit(value));
    });
    let id = format!("{testid}-select");
    html! {
        <form class="field-action" onsubmit={submit}>
            <label for={id.clone()}>{ label.to_string() }</label>
            <select id={id.clone()} data-testid={id}>
                { for options.iter().map(|o| html! { <option value={o.clone()}>{ o }</option> }) }
            </select>
            <button type="submit" class="small" data-testid={format!("{testid}-submit")}>{ button.to_string() }</button>
        </form>
    }
}

fn rename_form(id: &str, name: &str, on_apply: &Apply) -> Html {
    let target = id.to_string();
    let to_edit = Callback::from(move |name: String| {
        Ok(Edit::CreateTags {
            id: target.clone(),
            name,
        })
    });
    html! { <FieldAction label="Name" testid="rename" button="Rename" value={name.to_string()} {to_edit} on_apply={on_apply.clone()} /> }
}

/// Sets or (with an empty field) removes an IPv6 block.
fn ipv6_block_form(
    testid: &'static str,
    current: Option<Net>,
    placeholder: &'static str,
    on_apply: &Apply,
    edit: impl Fn(Option<Net>) -> Edit + 'static,
) -> Html {
    let to_edit = Callback::from(move |t: String| {
        if t.trim().is_empty() {
            return Ok(edit(None));
        }
        let n = Net::parse(&t).map_err(|e| format!("IPv6 block: {e}"))?;
        if !n.is_v6() {
            return Err(format!(
                "{n} is IPv4: enter an IPv6 block such as {placeholder}."
            ));
        }
        Ok(edit(Some(n)))
    });
    html! { <FieldAction label="IPv6 block (empty removes it)" {testid} button="Set" value={current.map(|n| n.to_string()).unwrap_or_default()} {placeholder} {to_edit} on_apply={on_apply.clone()} /> }
}

/// Sets or removes an interface's IPv6 address; the placeholder suggests one from its subnet.
fn ipv6_address_form(
    net: &Network,
    id: &str,
    subnet: &str,
    current: Option<Ip>,
    on_apply: &Apply,
) -> Html {
    let placeholder = net
        .subnet(subnet)
        .and_then(|s| s.ipv6)
        .map(|b| Ip::v6(b.addr.wrapping_add(0x10)).to_string())
        .unwrap_or_else(|| "(the subnet has no IPv6 block)".into());
    let target = id.to_string();
    let to_edit = Callback::from(move |t: String| {
        let ip = if t.trim().is_empty() {
            None
        } else {
            Some(parse_ip6(&t)?)
        };
        Ok(Edit::ipv6_address(&target, ip))
    });
    html! { <FieldAction label="IPv6 address (empty removes it)" testid="ipv6-address" button="Set" value={current.map(|a| a.to_string()).unwrap_or_default()} {placeholder} {to_edit} on_apply={on_apply.clone()} /> }
}

#[derive(Properties, PartialEq)]
struct CreateProps {
    net: Network,
    on_apply: Apply,
}

/// Creates any resource: pick a kind, fill its fields; the edit is validated like every other.
#[component]
fn CreateForm(props: &CreateProps) -> Html {
    let kind = use_state(|| "instance".to_string());
    // Free fields: name, cidr/ip, and up to two choices from the model.
    let name = use_state(String::new);
    let text = use_state(String::new);
    let a = use_state(String::new);
    let b = use_state(String::new);
    let err = use_state(|| None::<String>);
    let n = &props.net;
    let first = |v: &[String]| v.first().cloned().unwrap_or_default();
    let vpcs: Vec<String> = n.vpcs.iter().map(|v| v.id.clone()).collect();
    let subnets: Vec<String> = n.subnets.iter().map(|s| s.id.clone()).collect();
    let tables: Vec<String> = n.route_tables.iter().map(|t| t.id.clone()).collect();
    let groups: Vec<String> = n.groups.iter().map(|g| g.id.clone()).collect();
    let azs = n.zones();
    // (label of a, options of a, label of b, options of b, label of text, label of name)
    let (la, oa, lb, ob, lt, ln): (&str, Vec<String>, &str, Vec<String>, &str, &str) =
        match kind.as_str() {
            "instance" | "eni" => (
                "Subnet",
                subnets.clone(),
                "Security group",
                groups.clone(),
                "Private IP",
                "Name",
            ),
            "subnet" => (
                "VPC",
                vpcs.clone(),
                "Availability Zone",
                azs.clone(),
                "CIDR",
                "Name",
            ),
            "vpc" => ("", vec![], "", vec![], "CIDR", "Name"),
            "vpc-cidr" => ("VPC", vpcs.clone(), "", vec![], "Secondary CIDR", ""),
            "group" => ("VPC", vpcs.clone(), "", vec![], "", "Name"),
            "nacl" => (
                "VPC",
                vpcs.clone(),
                "Associate subnet",
                subnets.clone(),
                "",
                "Name",
            ),
            "table" => (
                "VPC",
                vpcs.clone(),
                "Associate subnet",
                subnets.clone(),
                "",
                "Name",
            ),
            "igw" => ("Attach to VPC", vpcs.clone(), "", vec![], "", ""),
            "eigw" => ("VPC (with an IPv6 block)", vpcs.clone(), "", vec![], "", ""),
            "eip" => ("", vec![], "", vec![], "Public address", ""),
            "nat" => (
                "Subnet (public)",
                subnets.clone(),
                "",
                vec![],
                "Elastic IP",
                "",
            ),
            "peering" => (
                "Requester VPC",
                vpcs.clone(),
                "Accepter VPC",
                vpcs.clone(),
                "",
                "",
            ),
            _ => (
                "VPC",
                vpcs.clone(),
                "Route table or subnet",
                tables.iter().chain(&subnets).cloned().collect(),
                "Service (s3, dynamodb, sqs, sns)",
                "",
            ),
        };
    let av = if a.is_empty() {
        first(&oa)
    } else {
        (*a).clone()
    };
    let bv = if b.is_empty() {
        first(&ob)
    } else {
        (*b).clone()
    };
    let on_kind = {
        let (kind, a, b, text) = (kind.clone(), a.clone(), b.clone(), text.clone());
        Callback::from(move |e: Event| {
            kind.set(input_value(&e));
            a.set(String::new());
            b.set(String::new());
            text.set(String::new());
        })
    };
    let submit = {
        let (kind, name, text, err, on_apply, net) = (
            kind.clone(),
            name.clone(),
            text.clone(),
            err.clone(),
            props.on_apply.clone(),
            props.net.clone(),
        );
        let (av, bv) = (av.clone(), bv.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let fields = crate::core::views::vpc::forms::CreateFields {
                kind: (*kind).clone(),
                name: (*name).clone(),
                a: av.clone(),
                b: bv.clone(),
                text: (*text).clone(),
            };
            match crate::core::views::vpc::forms::create_request(&fields, &net) {
                Ok(e) => {
                    err.set(None);
                    on_apply.emit(e);
                }
                Err(e) => err.set(Some(e)),
            }
        })
    };
    let select = |id: &'static str,
                  label: &str,
                  options: &[String],
                  value: &str,
                  h: &UseStateHandle<String>| {
        if label.is_empty() {
            return html! {};
        }
        html! {
            <div class="field narrow">
                <label for={id}>{ label.to_string() }</label>
                <select id={id} data-testid={id} onchange={picked(h)}>
                    { for options.iter().map(|o| html! { <option value={o.clone()} selected={o == value}>{ crate::core::views::vpc::forms::choice_label(n, o) }</option> }) }
                </select>
            </div>
        }
    };
    html! {
        <form class="toolbar create-form" onsubmit={submit} data-testid="create-form">
            <div class="field narrow">
                <label for="create-kind">{ "Create" }</label>
                <select id="create-kind" data-testid="create-kind" onchange={on_kind}>
                    { for [("instance", "an instance"), ("subnet", "a subnet"), ("vpc", "a VPC"), ("vpc-cidr", "a secondary VPC CIDR"), ("group", "a security group"), ("nacl", "a network ACL"), ("table", "a route table"), ("igw", "an internet gateway"), ("eigw", "an egress-only internet gateway"), ("nat", "a NAT gateway"), ("eni", "a network interface"), ("eip", "an Elastic IP"), ("peering", "a peering connection"), ("endpoint", "a VPC endpoint")].iter().map(|(v, l)| html! { <option value={*v} selected={*kind == *v}>{ *l }</option> }) }
                </select>
            </div>
            if !ln.is_empty() {
                <div class="field narrow"><label for="create-name">{ ln }</label><input type="text" id="create-name" data-testid="create-name" value={(*name).clone()} oninput={typed(&name)} /></div>
            }
            { select("create-a", la, &oa, &av, &a) }
            { select("create-b", lb, &ob, &bv, &b) }
            if !lt.is_empty() {
                <div class="field narrow"><label for="create-text">{ lt }</label><input type="text" id="create-text" data-testid="create-text" value={(*text).clone()} oninput={typed(&text)} /></div>
            }
            <button type="submit" class="small" data-testid="create-submit">{ "Create" }</button>
            if let Some(e) = &*err { <span class="error" role="status" data-testid="create-error">{ e }</span> }
        </form>
    }
}

fn goto_button(id: &str, select: &Callback<String>) -> Html {
    open_button("goto", id, select)
}

/// What every resource's inspector needs: the network, the edit and selection callbacks,
/// and two helpers (a button that applies an edit, links to resources).
struct Inspect<'a> {
    net: &'a Network,
    on_apply: &'a Apply,
    select: &'a Callback<String>,
    del: &'a dyn Fn(Edit) -> Callback<MouseEvent>,
    links: &'a dyn Fn(Vec<String>) -> Html,
}

fn inspector(net: &Network, id: &str, on_apply: &Apply, select: &Callback<String>) -> Html {
    let del = |e: Edit| {
        let on_apply = on_apply.clone();
        Callback::from(move |_| on_apply.emit(e.clone()))
    };
    let links = |ids: Vec<String>| -> Html {
        if ids.is_empty() {
            return html! { { "none" } };
        }
        ids.iter()
            .map(|x| html! { <>{ goto_button(x, select) }{ " " }</> })
            .collect()
    };
    let ctx = Inspect {
        net,
        on_apply,
        select,
        del: &del,
        links: &links,
    };
    if let Some(i) = net.instance(id) {
        return inspect_instance(&ctx, i);
    }
    if let Some(e) = net.eni(id) {
        return inspect_eni(&ctx, e);
    }
    if let Some(e) = net.eips.iter().find(|e| e.id == id) {
        return inspect_eip(&ctx, e);
    }
    if let Some(v) = net.vpc(id) {
        return inspect_vpc(&ctx, v);
    }
    if let Some(g) = net.group(id) {
        return inspect_group(&ctx, g);
    }
    if let Some(a) = net.nacls.iter().find(|a| a.id == id) {
        return inspect_nacl(&ctx, a);
    }
    if let Some(t) = net.route_tables.iter().find(|t| t.id == id) {
        return inspect_route_table(&ctx, t);
    }
    if let Some(s) = net.subnet(id) {
        return inspect_subnet(&ctx, s);
    }
    if let Some(g) = net.igws.iter().find(|g| g.id == id) {
        return inspect_igw(&ctx, g);
    }
    if let Some(g) = net.eigws.iter().find(|g| g.id == id) {
        return inspect_eigw(&ctx, g);
    }
    if let Some(g) = net.nats.iter().find(|g| g.id == id) {
        return inspect_nat(&ctx, g);
    }
    if let Some(p) = net.peerings.iter().find(|p| p.id == id) {
        return inspect_peering(&ctx, p);
    }
    if let Some(e) = net.endpoints.iter().find(|e| e.id == id) {
        return inspect_endpoint(&ctx, e);
    }
    html! { <p class="hint" data-testid="inspector-empty">{ format!("{id}: nothing to edit here. Click an instance, subnet or gateway in the diagram, or a group, ACL or route table in the lists under Edit.") }</p> }
}

/// The inspector for instance `i`.
fn inspect_instance(c: &Inspect, i: &Instance) -> Html {
    let (net, on_apply, select, del, links) = (c.net, c.on_apply, c.select, c.del, c.links);
    let eip = net.eip_of(&i.id);
    let toggle_ip = Edit::SetPublicIp {
        instance: i.id.clone(),
        ip: if i.public_ip.is_some() {
            None
        } else {
            Some(
                u32::from_be_bytes([192, 0, 2, 50])
                    + net.instances.iter().position(|x| x.id == i.id).unwrap_or(0) as u32,
            )
        },
    };
    let enis: Vec<String> = net
        .enis
        .iter()
        .filter(|e| e.instance.as_deref() == Some(i.id.as_str()))
        .map(|e| e.id.clone())
        .collect();
    let inst = i.id.clone();
    let move_edit = Callback::from(move |t: String| {
        let (sub, ip) = t.trim().split_once(' ').ok_or_else(|| {
            "Write the subnet id and the new private IP, e.g. “subnet-private-a 10.0.2.30”."
                .to_string()
        })?;
        Ok(Edit::MoveInstance {
            instance: inst.clone(),
            subnet: sub.trim().into(),
            ip: parse_ip(ip)?,
        })
    });
    html! {
        <div data-testid="inspector-instance">
            <h3>{ format!("Instance {} ({})", i.id, i.name) }</h3>
            <p>{ "Subnet " }{ goto_button(&i.subnet, select) }{ format!(" · private {}", ip_text(i.private_ip)) }
                { match (eip, i.public_ip) {
                    (Some(e), _) => html! { <>{ format!(" · public {} from ", ip_text(e.address)) }{ goto_button(&e.id, select) }</> },
                    (None, Some(p)) => html! { { format!(" · public {} (auto-assigned)", ip_text(p)) } },
                    (None, None) => html! { { " · no public IPv4" } },
                } }
                { format!(" · IPv6 {}", i.ipv6.map(|a| a.to_string()).unwrap_or_else(|| "none".into())) }</p>
            <p>{ "Security groups (eth0): " }{ links(i.groups.clone()) }{ " · other interfaces: " }{ links(enis) }</p>
            if eip.is_none() {
                <div class="toolbar">
                    <button type="button" class="small" onclick={del(toggle_ip)} data-testid="toggle-public-ip">{ if i.public_ip.is_some() { "Remove the public IP" } else { "Assign an auto public IP" } }</button>
                </div>
            }
            { rename_form(&i.id, &i.name, on_apply) }
            { ipv6_address_form(net, &i.id, &i.subnet, i.ipv6, on_apply) }
            <FieldAction label="Move to (subnet and IP)" testid="move" button="Move" placeholder="subnet-private-a 10.0.2.30" to_edit={move_edit} on_apply={on_apply.clone()} />
            <p class="hint">{ "AWS fixes an instance's subnet at launch: moving stands for launching a replacement there. Its IPv6 address goes with the old subnet." }</p>
        </div>
    }
}

/// The inspector for eni `e`.
fn inspect_eni(c: &Inspect, e: &Eni) -> Html {
    let (net, on_apply, select, del, links) = (c.net, c.on_apply, c.select, c.del, c.links);
    let eni = e.id.clone();
    let attach = match &e.instance {
        Some(inst) => html! {
            <>
                <p>{ "Attached to " }{ goto_button(inst, select) }</p>
                <button type="button" class="small" onclick={del(Edit::eni_attachment(&e.id, None))} data-testid="detach-eni">{ "Detach" }</button>
            </>
        },
        None => html! {
            <>
                <p>{ "Not attached: nothing answers at its address." }</p>
                { choice_action("Attach to", "attach-eni", net.instances.iter().map(|i| i.id.clone()).collect(), "Attach", on_apply, move |v| Edit::eni_attachment(&eni, Some(v))) }
            </>
        },
    };
    let eni = e.id.clone();
    let groups_edit = Callback::from(move |t: String| {
        let groups: Vec<String> = t
            .split([',', ' '])
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect();
        Ok(Edit::ModifyNetworkInterfaceAttribute {
            eni: eni.clone(),
            groups,
        })
    });
    html! {
        <div data-testid="inspector-eni">
            <h3>{ format!("Network interface {} ({})", e.id, e.name) }</h3>
            <p>{ "Subnet " }{ goto_button(&e.subnet, select) }{ format!(" · private {} · IPv6 {}", ip_text(e.private_ip), e.ipv6.map(|a| a.to_string()).unwrap_or_else(|| "none".into())) }
                { " · Elastic IP " }{ links(net.eip_of(&e.id).map(|x| x.id.clone()).into_iter().collect()) }</p>
            <p>{ "Security groups: " }{ links(e.groups.clone()) }</p>
            <p class="hint">{ "An interface has its own groups; an instance sends through the interface in the destination's subnet, else through eth0." }</p>
            { attach }
            { rename_form(&e.id, &e.name, on_apply) }
            { ipv6_address_form(net, &e.id, &e.subnet, e.ipv6, on_apply) }
            <FieldAction label="Security groups" testid="eni-groups" button="Set" value={e.groups.join(", ")} to_edit={groups_edit} on_apply={on_apply.clone()} />
        </div>
    }
}

/// The inspector for eip `e`.
fn inspect_eip(c: &Inspect, e: &ElasticIp) -> Html {
    let (net, on_apply, select, del) = (c.net, c.on_apply, c.select, c.del);
    let eip = e.id.clone();
    let targets: Vec<String> = net
        .instances
        .iter()
        .map(|i| i.id.clone())
        .chain(net.enis.iter().map(|x| x.id.clone()))
        .collect();
    html! {
        <div data-testid="inspector-eip">
            <h3>{ format!("Elastic IP {} ({})", e.id, ip_text(e.address)) }</h3>
            if let Some(t) = &e.target {
                <p>{ "Associated with " }{ goto_button(t, select) }{ ": it replaces any auto-assigned public IP there." }</p>
                <button type="button" class="small" onclick={del(Edit::address_association(&e.id, None))} data-testid="disassociate-eip">{ "Disassociate" }</button>
            } else {
                <p>{ "Allocated but not associated: nothing can be reached at this address." }</p>
                { choice_action("Associate with", "associate-eip", targets, "Associate", on_apply, move |v| Edit::address_association(&eip, Some(v))) }
            }
        </div>
    }
}

/// The inspector for vpc `v`.
fn inspect_vpc(c: &Inspect, v: &Vpc) -> Html {
    let (net, on_apply, links) = (c.net, c.on_apply, c.links);
    let vpc = v.id.clone();
    let set_v6 = ipv6_block_form(
        "vpc-ipv6",
        v.ipv6,
        "2600:1f18:6b4:a00::/56",
        on_apply,
        move |cidr| Edit::vpc_ipv6(&vpc, cidr),
    );
    let eigws: Vec<String> = net
        .eigws
        .iter()
        .filter(|g| crate::core::services::ec2::network::query::attached(g, &v.id))
        .map(|g| g.id.clone())
        .collect();
    html! {
        <div data-testid="inspector-vpc">
            <h3>{ format!("VPC {} ({})", v.id, v.name) }</h3>
            <p>{ format!("IPv4 {} · IPv6 {}", v.cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "), v.ipv6.map(|n| n.to_string()).unwrap_or_else(|| "none".into())) }</p>
            <p>{ "Egress-only internet gateways: " }{ links(eigws) }</p>
            { rename_form(&v.id, &v.name, on_apply) }
            { set_v6 }
            <p class="hint">{ "Associating a block adds rule 101 (::/0, both ways) to a default network ACL that still has its default rules; security groups need their own ::/0 rules." }</p>
        </div>
    }
}

/// The inspector for group `g`.
fn inspect_group(c: &Inspect, g: &SecurityGroup) -> Html {
    let (on_apply, del) = (c.on_apply, c.del);
    let rules = |inbound: bool| {
        let list = if inbound { &g.inbound } else { &g.outbound };
        html! {
            <table class="data rules" data-testid={if inbound { "sg-inbound" } else { "sg-outbound" }}>
                <caption>{ if inbound { "Inbound (allow)" } else { "Outbound (allow)" } }</caption>
                <tbody>{ for list.iter().enumerate().map(|(k, r)| html! {
                    <tr><td class="mono">{ r.to_string() }</td><td><button type="button" class="small" aria-label={format!("Delete rule {}", k + 1)} onclick={del(Edit::revoke(&g.id, inbound, k))}>{ "✕" }</button></td></tr>
                }) }</tbody>
            </table>
        }
    };
    html! {
        <div data-testid="inspector-group">
            <h3>{ format!("Security group {} ({})", g.id, g.name) }</h3>
            <p class="hint">{ "Stateful and allow-only: replies need no rule; an instance's groups are a union." }</p>
            { rules(true) }{ rules(false) }
            <SgRuleForm id={g.id.clone()} on_apply={on_apply.clone()} />
        </div>
    }
}

/// The inspector for nacl `a`.
fn inspect_nacl(c: &Inspect, a: &Nacl) -> Html {
    let (on_apply, del) = (c.on_apply, c.del);
    let rules = |inbound: bool| {
        let mut list: Vec<&NaclRule> = if inbound {
            a.inbound.iter().collect()
        } else {
            a.outbound.iter().collect()
        };
        list.sort_by_key(|r| r.number);
        html! {
            <table class="data rules" data-testid={if inbound { "nacl-inbound" } else { "nacl-outbound" }}>
                <caption>{ if inbound { "Inbound, first match wins" } else { "Outbound, first match wins" } }</caption>
                <tbody>
                    { for list.iter().map(|r| html! {
                        <tr><td class="mono">{ r.to_string() }</td><td><button type="button" class="small" aria-label={format!("Delete rule {}", r.number)} onclick={del(Edit::DeleteNetworkAclEntry { nacl: a.id.clone(), inbound, number: r.number })}>{ "✕" }</button></td></tr>
                    }) }
                    <tr><td class="mono muted">{ "rule * DENY all traffic" }</td><td></td></tr>
                </tbody>
            </table>
        }
    };
    html! {
        <div data-testid="inspector-nacl">
            <h3>{ if a.default { format!("Network ACL {}, the VPC's default", a.id) } else { format!("Network ACL {} ({})", a.id, a.name) } }</h3>
            <p class="hint">{ "Stateless: the reply needs its own rule (usually TCP 1024-65535 outbound)." }</p>
            { rules(true) }{ rules(false) }
            <NaclRuleForm id={a.id.clone()} on_apply={on_apply.clone()} />
            { rename_form(&a.id, &a.name, on_apply) }
        </div>
    }
}

/// The inspector for route table `t`.
fn inspect_route_table(c: &Inspect, t: &RouteTable) -> Html {
    let (net, on_apply, select, del) = (c.net, c.on_apply, c.select, c.del);
    html! {
        <div data-testid="inspector-routes">
            <h3>{ format!("Route table {} ({}){}", t.id, t.name, if t.main { ", main" } else { "" }) }</h3>
            <table class="data rules"><tbody>
                { for net.vpc(&t.vpc).map(|v| v.cidrs.iter().chain(&v.ipv6).copied().collect::<Vec<_>>()).unwrap_or_default().iter().map(|c| html! { <tr><td class="mono">{ format!("{c} → local") }</td><td></td></tr> }) }
                { for t.routes.iter().enumerate().map(|(k, r)| html! {
                    <tr><td class="mono">{ format!("{} → {}", match &r.dest { Dest::Cidr(n) => n.to_string(), Dest::PrefixList(s) => format!("prefix list {}", s.name()) }, r.target.id()) }</td>
                    <td><button type="button" class="small" aria-label={format!("Delete route {}", k + 1)} onclick={del(Edit::DeleteRoute { table: t.id.clone(), index: k })}>{ "✕" }</button></td></tr>
                }) }
            </tbody></table>
            <p>{ "Subnets: " }{ if t.subnets.is_empty() { html! { { "every subnet without its own table" } } } else { t.subnets.iter().map(|s| html! { <>{ goto_button(s, select) }{ " " }</> }).collect::<Html>() } }</p>
            <RouteForm key={t.id.clone()} id={t.id.clone()} on_apply={on_apply.clone()} choices={net.route_targets(&t.id)} />
            { rename_form(&t.id, &t.name, on_apply) }
        </div>
    }
}

/// The inspector for subnet `s`.
fn inspect_subnet(c: &Inspect, s: &Subnet) -> Html {
    let (net, on_apply, select) = (c.net, c.on_apply, c.select);
    let sub = s.id.clone();
    let hint = net
        .vpc(&s.vpc)
        .and_then(|v| v.ipv6)
        .map(|b| {
            format!(
                "inside {b}; {}",
                crate::core::cidr::explain::AWS_V6_SUBNET_RULE
            )
        })
        .unwrap_or_else(|| "the VPC has no IPv6 block yet".into());
    html! {
        <div data-testid="inspector-subnet">
            <h3>{ format!("Subnet {} ({})", s.id, s.name) }</h3>
            <p>{ format!("{} in {} · {} · IPv6 {} · ", s.cidr, s.az, if crate::core::services::ec2::network::query::is_public(net, &s.id) { "public" } else { "private" }, s.ipv6.map(|n| n.to_string()).unwrap_or_else(|| "none".into())) }
                { "VPC: " }{ goto_button(&s.vpc, select) }
                { " · routes: " }{ net.route_table_of(&s.id).map(|t| goto_button(&t.id, select)).unwrap_or_default() }
                { " · network ACL: " }{ net.nacl_of(&s.id).map(|a| goto_button(&a.id, select)).unwrap_or_default() }</p>
            { rename_form(&s.id, &s.name, on_apply) }
            { ipv6_block_form("subnet-ipv6", s.ipv6, "2600:1f18:6b4:a01::/64", on_apply, move |cidr| Edit::subnet_ipv6(&sub, cidr)) }
            <p class="hint">{ format!("IPv6 block: {hint}.") }</p>
        </div>
    }
}

/// The inspector for igw `g`.
fn inspect_igw(c: &Inspect, g: &Gateway) -> Html {
    let (net, del) = (c.net, c.del);
    let vpc = net.vpcs.first().map(|v| v.id.clone());
    let e = Edit::igw_attachment(&g.id, if g.vpc.is_some() { None } else { vpc });
    html! {
        <div data-testid="inspector-igw">
            <h3>{ format!("Internet gateway {}", g.id) }</h3>
            <p>{ g.vpc.as_ref().map(|v| format!("Attached to {v}.")).unwrap_or_else(|| "Detached.".into()) }</p>
            <button type="button" class="small" onclick={del(e)} data-testid="toggle-igw">{ if g.vpc.is_some() { "Detach" } else { "Attach" } }</button>
        </div>
    }
}

/// The inspector for eigw `g`.
fn inspect_eigw(c: &Inspect, g: &Gateway) -> Html {
    let links = c.links;
    html! {
        <div data-testid="inspector-eigw">
            <h3>{ format!("Egress-only internet gateway {}", g.id) }</h3>
            <p>{ "In " }{ links(g.vpc.iter().cloned().collect()) }{ ". IPv6's counterpart to a NAT gateway: instances start connections out and get the replies; the internet cannot start one in. Route ::/0 to it from private subnets." }</p>
        </div>
    }
}

/// The inspector for nat `g`.
fn inspect_nat(c: &Inspect, g: &NatGateway) -> Html {
    let select = c.select;
    html! {
        <div data-testid="inspector-nat">
            <h3>{ format!("NAT gateway {}", g.id) }</h3>
            <p>{ "Subnet " }{ goto_button(&g.subnet, select) }{ format!(" · private {} · Elastic IP {}", ip_text(g.private_ip), g.eip.map(ip_text).unwrap_or_else(|| "none".into())) }</p>
            <p class="hint">{ "Translates IPv4 for private subnets whose route tables send 0.0.0.0/0 here; it must sit in a public subnet." }</p>
        </div>
    }
}

/// The inspector for peering `p`.
fn inspect_peering(c: &Inspect, p: &Peering) -> Html {
    let (select, del) = (c.select, c.del);
    html! {
        <div data-testid="inspector-peering">
            <h3>{ format!("Peering connection {}", p.id) }</h3>
            <p>{ goto_button(&p.requester, select) }{ " ↔ " }{ goto_button(&p.accepter, select) }{ if p.active { " · active" } else { " · pending acceptance" } }</p>
            <button type="button" class="small" onclick={del(Edit::peering_state(&p.id, !p.active))} data-testid="toggle-peering">{ if p.active { "Mark as pending" } else { "Accept" } }</button>
        </div>
    }
}

/// The inspector for endpoint `e`.
fn inspect_endpoint(_c: &Inspect, e: &Endpoint) -> Html {
    let what = match &e.kind {
        EndpointKind::Gateway { route_tables } => format!("Gateway endpoint: route tables {} send the service's prefix list here.", route_tables.join(", ")),
        EndpointKind::Interface { subnets, groups, private_ip } => format!("Interface endpoint: {} in {} with groups {}; private DNS answers the service's name with it.", ip_text(*private_ip), subnets.join(", "), groups.join(", ")),
    };
    html! {
        <div data-testid="inspector-endpoint">
            <h3>{ format!("VPC endpoint {} ({})", e.id, e.service.name()) }</h3>
            <p>{ what }</p>
        </div>
    }
}

/// What the editor module's root draws: what the page sent ([`crate::core::views::vpc::editor::read_input`]'s
/// answer) and where its answers go.
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub input: Rc<Result<EditorInput, String>>,
    pub emit: Callback<EditorEvent>,
}

/// The editor module's root (`src/bin/helper-vpc-editor.rs` mounts it): the inspector of the
/// selected resource with its Delete button, or the create form. Each edit is applied here
/// and answered to the page as the new network or the refusal.
#[component]
pub fn Editor(p: &EditorProps) -> Html {
    let input = match &*p.input {
        Ok(i) => i,
        Err(e) => {
            return html! { <p class="error" role="status" data-testid="editor-error">{ e }</p> }
        }
    };
    let on_apply: Apply = {
        let (emit, shown) = (p.emit.clone(), p.input.clone());
        Callback::from(move |e: Edit| {
            let Ok(input) = &*shown else { return };
            emit.emit(match apply_edit(&input.network, e) {
                Ok(n) => EditorEvent::Applied(Box::new(n)),
                Err((err, operation)) => EditorEvent::Refused(Refusal {
                    operation: operation.to_string(),
                    code: err.code.to_string(),
                    message: err.message,
                }),
            })
        })
    };
    match input.part {
        Part::Inspect => {
            let select = p.emit.reform(EditorEvent::Select);
            html! {
                <>
                    { inspector(&input.network, &input.selected, &on_apply, &select) }
                    if let Some(delete) = Edit::delete(&input.selected) {
                        <button type="button" class="small danger" data-testid="delete-selected" title={delete.operation()} onclick={{ let on_apply = on_apply.clone(); Callback::from(move |_| on_apply.emit(delete.clone())) }}>{ format!("Delete {}", input.selected) }</button>
                    }
                </>
            }
        }
        Part::Create => html! { <CreateForm net={input.network.clone()} on_apply={on_apply} /> },
    }
}
