use super::*;
use crate::core::services::ec2::compute::{
    run_instances, settle, HttpTokens, RunRequest, PENDING_MS,
};
use crate::core::services::ec2::network::templates::single_web_server;

const ACCOUNT: &str = "111122223333";

/// A network with one running instance launched with `f`'s options; returns its id.
fn instance(f: impl FnOnce(&mut RunRequest)) -> (Network, String) {
    let mut n = single_web_server();
    let mut req = RunRequest {
        image_id: "ami-0a3c3a20c09d6f377".into(),
        instance_type: Some("t3.micro".into()),
        count: 1,
        subnet: Some("subnet-public-a".into()),
        ..RunRequest::default()
    };
    f(&mut req);
    run_instances(&mut n, 0, ACCOUNT, &req).unwrap();
    settle(&mut n, PENDING_MS);
    let id = n.instances.last().unwrap().id.clone();
    (n, id)
}

fn req(method: &str, path: &str, headers: &[(&str, &str)]) -> HttpRequest {
    HttpRequest {
        method: method.into(),
        path: path.into(),
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        hops: 1,
    }
}

fn token(n: &mut Network, id: &str, now: u64, ttl: &str) -> Answer {
    handle(
        n,
        ACCOUNT,
        id,
        now,
        &req(
            "PUT",
            "/latest/api/token",
            &[("X-aws-ec2-metadata-token-ttl-seconds", ttl)],
        ),
    )
}

#[test]
fn token_ttls_follow_the_documented_range() {
    let (mut n, id) = instance(|_| ());
    assert_eq!(token(&mut n, &id, PENDING_MS, "0").status(), 400);
    assert_eq!(token(&mut n, &id, PENDING_MS, "21601").status(), 400);
    assert_eq!(token(&mut n, &id, PENDING_MS, "six hours").status(), 400);
    assert_eq!(
        handle(
            &mut n,
            ACCOUNT,
            &id,
            PENDING_MS,
            &req("PUT", "/latest/api/token", &[])
        )
        .status(),
        400
    );
    assert_eq!(token(&mut n, &id, PENDING_MS, "1").status(), 200);
    let a = token(&mut n, &id, PENDING_MS, "21600");
    assert_eq!(a.status(), 200);
    let Answer::Http { headers, .. } = &a else {
        panic!()
    };
    assert!(headers.contains(&(
        "X-Aws-Ec2-Metadata-Token-Ttl-Seconds".into(),
        "21600".into()
    )));
    // Not through a proxy, and only at /latest/api/token.
    let fwd = req(
        "PUT",
        "/latest/api/token",
        &[
            ("X-aws-ec2-metadata-token-ttl-seconds", "60"),
            ("X-Forwarded-For", "10.0.0.1"),
        ],
    );
    assert_eq!(handle(&mut n, ACCOUNT, &id, PENDING_MS, &fwd).status(), 403);
    let versioned = req(
        "PUT",
        "/2021-03-23/api/token",
        &[("X-aws-ec2-metadata-token-ttl-seconds", "60")],
    );
    assert_eq!(
        handle(&mut n, ACCOUNT, &id, PENDING_MS, &versioned).status(),
        403
    );
}

#[test]
fn tokens_are_required_checked_and_expire_on_the_virtual_clock() {
    // Amazon Linux 2023 launches with HttpTokens required.
    let (mut n, id) = instance(|_| ());
    let get = |n: &mut Network, now: u64, t: Option<&str>| {
        let h: Vec<(&str, &str)> = t
            .map(|t| ("X-aws-ec2-metadata-token", t))
            .into_iter()
            .collect();
        handle(
            n,
            ACCOUNT,
            &id,
            now,
            &req("GET", "/latest/meta-data/instance-id", &h),
        )
    };
    let now = PENDING_MS;
    assert_eq!(get(&mut n, now, None).status(), 401);
    let t = token(&mut n, &id, now, "60").body().to_string();
    let a = get(&mut n, now, Some(&t));
    assert_eq!((a.status(), a.body()), (200, id.as_str()));
    // Header names are case-insensitive.
    let lower = req(
        "GET",
        "/latest/meta-data/instance-id",
        &[("x-aws-ec2-metadata-token", &t)],
    );
    assert_eq!(handle(&mut n, ACCOUNT, &id, now, &lower).status(), 200);
    assert_eq!(get(&mut n, now + 59_999, Some(&t)).status(), 200);
    assert_eq!(get(&mut n, now + 60_000, Some(&t)).status(), 401, "expired");
    assert_eq!(get(&mut n, now, Some("made-up")).status(), 401);
    // IMDSv1 is answered only when tokens are optional (Ubuntu's default).
    let (mut u, uid) = instance(|r| r.image_id = "ami-04b70fa74e45c3917".into());
    let v1 = handle(
        &mut u,
        ACCOUNT,
        &uid,
        now,
        &req("GET", "/latest/meta-data/instance-id", &[]),
    );
    assert_eq!(v1.status(), 200);
    // An invalid token is refused even then.
    let bad = req(
        "GET",
        "/latest/meta-data/instance-id",
        &[("X-aws-ec2-metadata-token", "x")],
    );
    assert_eq!(handle(&mut u, ACCOUNT, &uid, now, &bad).status(), 401);
    let _ = HttpTokens::Optional;
}

#[test]
fn the_hop_limit_drops_the_token_for_a_container() {
    let (mut n, id) = instance(|r| {
        r.image_id = "ami-04b70fa74e45c3917".into();
        r.hop_limit = Some(1);
    });
    let mut from_container = req(
        "PUT",
        "/latest/api/token",
        &[("X-aws-ec2-metadata-token-ttl-seconds", "60")],
    );
    from_container.hops = 2;
    assert_eq!(
        handle(&mut n, ACCOUNT, &id, PENDING_MS, &from_container),
        Answer::Timeout
    );
    let (mut m, mid) = instance(|r| r.hop_limit = Some(2));
    assert_eq!(
        handle(&mut m, ACCOUNT, &mid, PENDING_MS, &from_container).status(),
        200
    );
}

#[test]
fn the_category_tree() {
    let (mut n, id) = instance(|r| {
        r.image_id = "ami-04b70fa74e45c3917".into();
        r.profile = Some("s3access".into());
        r.key_name = Some("my-key".into());
        r.user_data = Some("#!/bin/bash\necho hello".into());
    });
    let mut get = |path: &str| {
        let a = handle(
            &mut n,
            ACCOUNT,
            &id,
            PENDING_MS + 1000,
            &req("GET", path, &[]),
        );
        (a.status(), a.body().to_string())
    };
    let (s, listing) = get("/latest/meta-data/");
    assert_eq!(s, 200);
    assert_eq!(
        listing,
        "ami-id\nami-launch-index\nami-manifest-path\nblock-device-mapping/\nevents/\nhostname\niam/\ninstance-action\ninstance-id\ninstance-life-cycle\ninstance-type\nlocal-hostname\nlocal-ipv4\nmac\nmetrics/\nnetwork/\nplacement/\nprofile\npublic-hostname\npublic-ipv4\npublic-keys/\nreservation-id\nsecurity-groups\nservices/"
    );
    assert_eq!(get("/latest/meta-data/local-ipv4").1, "10.0.1.4");
    assert_eq!(
        get("/latest/meta-data/hostname").1,
        "ip-10-0-1-4.ec2.internal"
    );
    assert_eq!(get("/latest/meta-data/public-ipv4").1, "203.0.113.10");
    assert_eq!(
        get("/latest/meta-data/public-hostname").1,
        "ec2-203-0-113-10.compute-1.amazonaws.com"
    );
    assert_eq!(
        get("/latest/meta-data/placement/availability-zone").1,
        "us-east-1a"
    );
    assert_eq!(get("/latest/meta-data/placement/region").1, "us-east-1");
    assert_eq!(get("/latest/meta-data/public-keys/").1, "0=my-key");
    // Launched without groups: the VPC's default group.
    assert_eq!(get("/latest/meta-data/security-groups").1, "default");
    assert_eq!(get("/latest/user-data").1, "#!/bin/bash\necho hello");
    // Every listed entry answers, down the whole tree; nothing shows a policy.
    let mut queue = vec![
        "/latest/meta-data/".to_string(),
        "/latest/dynamic/".to_string(),
    ];
    let mut seen = 0;
    while let Some(p) = queue.pop() {
        let (s, body) = get(&p);
        assert_eq!(s, 200, "{p}");
        assert!(!body.to_ascii_lowercase().contains("policy"), "{p}");
        seen += 1;
        if p.ends_with('/') {
            for e in body.lines() {
                let e = e.split('=').next().unwrap();
                let child = if e == "0" {
                    format!("{p}0/")
                } else {
                    format!("{p}{e}")
                };
                queue.push(child);
            }
        }
    }
    assert!(seen > 50, "{seen}");
    // The role's name, its profile and credentials; never its policy.
    assert_eq!(
        get("/latest/meta-data/iam/security-credentials/").1,
        "s3access"
    );
    let info = get("/latest/meta-data/iam/info").1;
    assert!(info.starts_with("{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2026-01-01T00:00:00Z\",\n  \"InstanceProfileArn\" : \"arn:aws:iam::111122223333:instance-profile/s3access\",\n  \"InstanceProfileId\" : \"AIPA"), "{info}");
    let creds = get("/latest/meta-data/iam/security-credentials/s3access").1;
    let v: serde_json::Value = serde_json::from_str(&creds).unwrap();
    assert_eq!(v["Type"], "AWS-HMAC");
    assert!(v["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    assert_eq!(v["Expiration"], "2026-01-01T06:00:00Z");
    assert_eq!(
        get("/latest/meta-data/iam/security-credentials/other").0,
        404
    );
    let doc: serde_json::Value =
        serde_json::from_str(&get("/latest/dynamic/instance-identity/document").1).unwrap();
    assert_eq!(doc["instanceId"], id.as_str());
    assert_eq!(doc["accountId"], ACCOUNT);
    assert_eq!(doc["version"], "2017-09-30");
    let (s, body) = get("/latest/meta-data/no-such-thing");
    assert_eq!(s, 404);
    assert!(body.contains("<title>404 - Not Found</title>"));
}

#[test]
fn without_a_role_key_or_user_data_those_paths_are_404() {
    let (mut n, id) = instance(|r| r.image_id = "ami-04b70fa74e45c3917".into());
    for p in [
        "/latest/user-data",
        "/latest/meta-data/iam/info",
        "/latest/meta-data/public-keys/",
    ] {
        assert_eq!(
            handle(&mut n, ACCOUNT, &id, PENDING_MS, &req("GET", p, &[])).status(),
            404,
            "{p}"
        );
    }
}

#[test]
fn credentials_rotate_five_minutes_before_they_expire() {
    let (a, _, _, issued, expires) = credentials("i-1", "r", 0, 0);
    assert_eq!((issued, expires), (0, CREDENTIALS_LIFETIME_MS));
    let (b, _, _, issued2, _) = credentials("i-1", "r", 0, CREDENTIALS_ROTATE_MS);
    assert_ne!(a, b);
    assert_eq!(issued2, CREDENTIALS_LIFETIME_MS - 300_000);
    // At every moment the current set has at least five minutes left.
    for now in (0..3 * CREDENTIALS_LIFETIME_MS).step_by(997_000) {
        let (_, _, _, _, exp) = credentials("i-1", "r", 0, now);
        assert!(exp >= now + 300_000);
    }
}

#[test]
fn a_disabled_endpoint_or_a_stopped_instance_answers_nothing_useful() {
    let (mut n, id) = instance(|_| ());
    n.instances
        .last_mut()
        .unwrap()
        .compute
        .metadata
        .endpoint_enabled = false;
    assert_eq!(token(&mut n, &id, PENDING_MS, "60").status(), 403);
    let (mut m, mid) = instance(|_| ());
    m.instances.last_mut().unwrap().compute.state = InstanceState::Stopped;
    assert_eq!(token(&mut m, &mid, PENDING_MS, "60"), Answer::Timeout);
}

#[test]
fn availability_zone_ids() {
    assert_eq!(az_id("us-east-1a"), "use1-az1");
    assert_eq!(az_id("eu-west-1c"), "euw1-az3");
}
