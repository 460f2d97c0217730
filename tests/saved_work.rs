//! Saved work and shared links from earlier releases open exactly as they did: fixtures
//! written by the release of 2026-11-29 (sandbox schema 1, the VPC network inside the VPC
//! tool's state), by the release of 2026-12-01 (schema 2, the network in the sandbox's
//! account) and by this one (schema 3, the flow page's resources in the account too).

use stratus::core::account::Saved;
use stratus::core::sandbox::{self, Sandbox};
use stratus::core::services::ec2::network::edit::{apply, Edit};
use stratus::core::services::ec2::network::{templates, Net, Network};
use stratus::core::views::vpc::state::{self, VpcState};

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The query of a `#/<tool>?<query>` link fixture.
fn link_query(path: &str) -> String {
    let link = fixture(path);
    link.trim().split_once('?').unwrap().1.to_string()
}

/// The design the edited fixtures hold, built independently of them: the NAT template and
/// one more subnet.
fn edited_network() -> Network {
    apply(
        &templates::public_private_nat(),
        &Edit::CreateSubnet {
            name: "data a".into(),
            vpc: "vpc-main".into(),
            az: "us-east-1a".into(),
            cidr: Net::parse("10.0.30.0/24").unwrap(),
        },
    )
    .unwrap()
}

/// The network the sandbox's account saved (`None`: the VPC view's template unchanged).
fn saved_network(s: &Sandbox) -> Option<Network> {
    if s.account.is_null() {
        return None;
    }
    serde_json::from_value::<Saved>(s.account.clone())
        .unwrap()
        .ec2
}

#[test]
fn a_vpc_link_of_the_first_release_opens_its_design() {
    let s = state::from_query(&link_query("links/vpc-edited.txt")).unwrap();
    assert_eq!(s.network, Some(edited_network()));
    assert_eq!(
        (
            s.template.as_str(),
            s.from.as_str(),
            s.to.as_str(),
            s.port.as_str()
        ),
        ("nat", "i-web-a", "i-app-a", "8080")
    );
    // Written again, the link is the same text.
    assert_eq!(state::to_query(&s), link_query("links/vpc-edited.txt"));

    let t = state::from_query(&link_query("links/vpc-template.txt")).unwrap();
    assert_eq!(t.network, None);
    assert_eq!(t.network(), templates::three_tier());
    assert_eq!((t.to.as_str(), t.port.as_str()), ("i-db", "3306"));
}

#[test]
fn a_schema_1_sandbox_moves_its_network_into_the_account() {
    let s = sandbox::from_json(&fixture("sandbox/v1-vpc-edited.json")).unwrap();
    assert_eq!(s.schema, 3);
    assert_eq!(s.name, "VPC lab, week 3");
    assert_eq!(saved_network(&s), Some(edited_network()));
    // The tool keeps only its view; its link is the one the first release made.
    assert!(s.tools["vpc"].state.get("network").is_none());
    assert_eq!(s.tool_query("vpc"), link_query("links/vpc-edited.txt"));
    assert_eq!(
        s.tool_query("cidr"),
        "v=1&s=%7B%22explain%22:%2210.0.0.0/20%22%7D"
    );
    // Saved again, it is the schema 3 fixture; the schema 2 one (no flow page) opens alike.
    assert_eq!(
        sandbox::to_json(&s) + "\n",
        fixture("sandbox/v3.json"),
        "tests/fixtures/sandbox/v3.json"
    );
    assert_eq!(sandbox::from_json(&fixture("sandbox/v3.json")).unwrap(), s);
    assert_eq!(sandbox::from_json(&fixture("sandbox/v2.json")).unwrap(), s);
}

#[test]
fn a_schema_2_sandbox_moves_the_flow_pages_resources_into_the_account() {
    use stratus::core::views::flow::state::{self as flow, FlowState};
    use stratus::core::views::flow::templates;
    // An edited scenario as schema 2 kept it: whole, in the flow page's state.
    let mut edited = templates::scenario("dlq");
    edited.horizon_ms = 120_000;
    edited.topics.clear();
    edited.queues[0].attributes.visibility_timeout = 45;
    let page = FlowState {
        template: "dlq".into(),
        scenario: Some(edited.clone()),
        ..Default::default()
    };
    let mut doc: serde_json::Value = serde_json::from_str(&fixture("sandbox/v2.json")).unwrap();
    doc["tools"]["flow"] = serde_json::json!({
        "version": flow::VERSION,
        "state": serde_json::to_value(&page).unwrap(),
    });
    let s = sandbox::from_json(&doc.to_string()).unwrap();
    assert_eq!(s.schema, 3);
    // The account holds the resources (the console starts on them); it opens as it was.
    assert_eq!(
        s.account["serverless"],
        serde_json::to_value(edited.definitions()).unwrap()
    );
    assert_eq!(flow::from_query(&s.tool_query("flow")).unwrap(), page);
    // The network stayed where it was.
    assert_eq!(s.account["ec2"], doc["account"]["ec2"]);
    // A template's flow page moves nothing.
    doc["tools"]["flow"]["state"] = serde_json::json!({"template": "fanout"});
    let s = sandbox::from_json(&doc.to_string()).unwrap();
    assert!(s.account.get("serverless").is_none());
    assert_eq!(
        flow::from_query(&s.tool_query("flow")).unwrap().template,
        "fanout"
    );
}

#[test]
fn a_sandbox_link_of_the_first_release_opens_its_template() {
    let payload = link_query("links/sandbox-vpc-template.txt");
    let payload = payload.strip_prefix("z=").unwrap();
    let s = sandbox::from_link(payload).unwrap();
    assert_eq!(s.name, "Three tiers");
    // A template shown unchanged saves no network: the view rebuilds it.
    assert_eq!(saved_network(&s), None);
    assert_eq!(s.tool_query("vpc"), link_query("links/vpc-template.txt"));
}

#[test]
fn the_account_and_the_vpc_view_round_trip_through_a_sandbox() {
    let edited = VpcState {
        network: Some(edited_network()),
        selected: "subnet-1".into(),
        ..Default::default()
    };
    let template_only = VpcState {
        template: "peering".into(),
        to: "i-c".into(),
        ..Default::default()
    };
    // An edited network with every other choice at its default: the view is empty but
    // stays listed, so the sandboxes page still counts and links the tool.
    let edited_only = VpcState {
        network: Some(edited_network()),
        ..Default::default()
    };
    let mut s = Sandbox::new("sb-1".into(), "t", 0);
    assert_eq!(s.tool_query("vpc"), "");
    for st in [
        &edited,
        &template_only,
        &edited_only,
        &VpcState::default(),
        &edited,
    ] {
        let q = state::to_query(st);
        s.set_tool_query("vpc", &q);
        assert_eq!(s.tool_query("vpc"), q);
        assert_eq!(&state::from_query(&s.tool_query("vpc")).unwrap(), st);
        assert_eq!(saved_network(&s), st.network);
        assert_eq!(s.tools.contains_key("vpc"), !q.is_empty());
        let again = sandbox::from_json(&sandbox::to_json(&s)).unwrap();
        assert_eq!(again.tool_query("vpc"), q);
        assert_eq!(again, s);
    }
    // Back to the defaults: no view, no saved network.
    assert!(s.set_tool_query("vpc", ""));
    assert!(!s.tools.contains_key("vpc"));
    assert!(s.account.is_null());
    assert_eq!(s.tool_query("vpc"), "");
    assert!(!s.set_tool_query("vpc", ""));
    // Another tool's saves leave the account alone.
    s.set_tool_query("vpc", &state::to_query(&edited));
    let account = s.account.clone();
    s.set_tool_query("cidr", "v=1&s=%7B%22explain%22%3A%2210.0.0.0%2F20%22%7D");
    assert_eq!(s.account, account);
}

#[test]
fn a_hand_edited_file_with_the_network_in_the_view_is_normalized() {
    let mut doc: serde_json::Value = serde_json::from_str(&fixture("sandbox/v2.json")).unwrap();
    let network = doc["account"]["ec2"].take();
    doc["account"] = serde_json::Value::Null;
    doc["tools"]["vpc"]["state"]["network"] = network;
    let s = sandbox::from_json(&doc.to_string()).unwrap();
    assert_eq!(s, sandbox::from_json(&fixture("sandbox/v2.json")).unwrap());
}

#[test]
fn a_damaged_account_is_named() {
    let mut doc: serde_json::Value = serde_json::from_str(&fixture("sandbox/v2.json")).unwrap();
    doc["account"]["ec2"] = serde_json::Value::from(5);
    let e = sandbox::from_json(&doc.to_string()).unwrap_err();
    assert!(e.starts_with("Field “account”:"), "{e}");
    doc["account"] = serde_json::json!({"s3": {}});
    let e = sandbox::from_json(&doc.to_string()).unwrap_err();
    assert!(e.contains("unknown field `s3`"), "{e}");
}
