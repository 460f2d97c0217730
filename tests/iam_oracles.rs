//! Oracle cases for the IAM evaluator: every file in tests/oracles/iam/ holds policies by
//! layer and requests with the decision AWS's documentation gives (each file names its
//! source page). Runs natively with `cargo test --test iam_oracles`.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use stratus::core::iam::{self, Context, Layers, Named, Principal, Request, ResourceKind};

fn named(v: &Value) -> Named {
    Named {
        name: v["name"].as_str().expect("name").to_string(),
        policy: iam::parse(&v["policy"].to_string()).expect("policy parses"),
    }
}

fn named_list(v: &Value) -> Vec<Named> {
    v.as_array()
        .map(|a| a.iter().map(named).collect())
        .unwrap_or_default()
}

fn layers(p: &Value) -> Layers {
    Layers {
        identity: named_list(&p["identity"]),
        resource: p.get("resource").filter(|r| !r.is_null()).map(named),
        boundary: p.get("boundary").filter(|r| !r.is_null()).map(named),
        session: named_list(&p["session"]),
        scps: p["scps"]
            .as_array()
            .map(|levels| levels.iter().map(named_list).collect())
            .unwrap_or_default(),
        rcps: named_list(&p["rcps"]),
        resource_kind: ResourceKind::Generic,
    }
}

/// The file's `resource_kind`: `role-trust`, `kms-key`, or absent.
fn resource_kind(doc: &Value) -> ResourceKind {
    match doc["resource_kind"].as_str() {
        Some("role-trust") => ResourceKind::RoleTrust,
        Some("kms-key") => ResourceKind::KmsKey,
        None => ResourceKind::Generic,
        Some(other) => panic!("unknown resource_kind {other}"),
    }
}

fn principal(v: &Value) -> Principal {
    let s = |k: &str| v[k].as_str().map(str::to_string);
    if let Some(arn) = s("user") {
        Principal::User { arn }
    } else if let (Some(role_arn), Some(session_arn)) = (s("role"), s("session")) {
        Principal::RoleSession {
            role_arn,
            session_arn,
        }
    } else if let Some(arn) = s("federated") {
        Principal::FederatedUser { arn }
    } else if let Some(name) = s("service") {
        Principal::Service { name }
    } else {
        Principal::Anonymous
    }
}

fn request(v: &Value) -> Request {
    let mut context = Context::default();
    if let Some(m) = v["context"].as_object() {
        for (k, vals) in m {
            let vals: Vec<&str> = vals
                .as_array()
                .expect("context values are lists")
                .iter()
                .map(|x| x.as_str().expect("string"))
                .collect();
            context.set(k, &vals);
        }
    }
    Request {
        principal: principal(&v["principal"]),
        action: v["action"].as_str().expect("action").to_string(),
        resource: v["resource"].as_str().expect("resource").to_string(),
        resource_account: v["resource_account"].as_str().map(str::to_string),
        context,
    }
}

fn check(file: &str, layers: &Layers, requests: &Value) -> usize {
    let mut n = 0;
    for r in requests.as_array().expect("requests") {
        let req = request(r);
        let e = iam::evaluate(&req, layers);
        let want = r["expect"].as_str().expect("expect");
        assert_eq!(
            e.decision.name(),
            want,
            "{file}: {} on {}: {}",
            req.action,
            req.resource,
            e.reason
        );
        if let Some(d) = r["deciding"].as_str() {
            assert_eq!(
                e.deciding.as_ref().map(|x| x.2.as_str()),
                Some(d),
                "{file}: {}: {}",
                req.action,
                e.reason
            );
        }
        assert!(e.reason.starts_with(want), "{file}: reason {}", e.reason);
        n += 1;
    }
    n
}

#[test]
fn documented_examples_decide_as_aws_says() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/iam");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("oracle folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut cases = 0;
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            doc["source"]
                .as_str()
                .is_some_and(|s| s.contains("https://docs.aws.amazon.com/")),
            "{file} must name its AWS source page"
        );
        let mut l = layers(&doc["policies"]);
        l.resource_kind = resource_kind(&doc);
        cases += check(&file, &l, &doc["requests"]);
        if let Some(w) = doc.get("with_resource_policy") {
            l.resource = Some(named(w));
            cases += check(&file, &l, &w["requests"]);
        }
    }
    assert!(cases >= 15, "{cases} cases");
    eprintln!("IAM oracles: {} files, {cases} requests", files.len());
}
