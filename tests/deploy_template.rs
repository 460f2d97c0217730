//! Validates deploy/stratus-site.json, the CloudFormation template for S3 + CloudFront
//! hosting: it must parse, every reference must resolve, and the security-relevant settings
//! (private bucket, Origin Access Control, HTTPS, compression) must be in place.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::collections::BTreeSet;

fn template() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/deploy/stratus-site.json"
    ))
    .expect("template exists");
    serde_json::from_str(&text).expect("template is valid JSON")
}

fn resource<'a>(t: &'a Value, name: &str) -> &'a Value {
    t["Resources"]
        .get(name)
        .unwrap_or_else(|| panic!("resource {name} missing"))
}

/// Every `Ref`, `Fn::GetAtt` and `${...}` inside `Fn::Sub` in the template.
fn references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("Ref", Value::String(name)) => out.push(name.clone()),
                    ("Fn::GetAtt", Value::Array(parts)) => {
                        out.push(parts[0].as_str().expect("GetAtt name").to_string())
                    }
                    ("Fn::Sub", Value::String(text)) => {
                        for piece in text.split("${").skip(1) {
                            let var = piece.split('}').next().unwrap();
                            out.push(var.split('.').next().unwrap().to_string());
                        }
                    }
                    _ => references(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves() {
    let t = template();
    let mut known: BTreeSet<String> = [
        "AWS::StackName",
        "AWS::AccountId",
        "AWS::Partition",
        "AWS::Region",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    known.extend(t["Resources"].as_object().unwrap().keys().cloned());
    known.extend(t["Parameters"].as_object().unwrap().keys().cloned());
    let mut refs = vec![];
    references(&t, &mut refs);
    assert!(
        refs.len() >= 10,
        "expected the template to be wired together"
    );
    for r in refs {
        assert!(known.contains(&r), "unresolved reference {r}");
    }
}

#[test]
fn resource_types_are_the_expected_ones() {
    let t = template();
    assert_eq!(t["AWSTemplateFormatVersion"], "2010-09-09");
    for (name, kind) in [
        ("SiteBucket", "AWS::S3::Bucket"),
        ("SiteBucketPolicy", "AWS::S3::BucketPolicy"),
        (
            "OriginAccessControl",
            "AWS::CloudFront::OriginAccessControl",
        ),
        ("Distribution", "AWS::CloudFront::Distribution"),
        ("CachePolicy", "AWS::CloudFront::CachePolicy"),
    ] {
        assert_eq!(resource(&t, name)["Type"], kind, "{name}");
    }
}

#[test]
fn bucket_is_private() {
    let t = template();
    let block = &resource(&t, "SiteBucket")["Properties"]["PublicAccessBlockConfiguration"];
    for flag in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(block[flag], true, "{flag}");
    }
    assert!(resource(&t, "SiteBucket")["Properties"]
        .get("WebsiteConfiguration")
        .is_none());
}

#[test]
fn only_this_distribution_may_read_the_bucket() {
    let t = template();
    let statements = &resource(&t, "SiteBucketPolicy")["Properties"]["PolicyDocument"]["Statement"];
    let statements = statements.as_array().unwrap();
    assert_eq!(statements.len(), 1);
    let s = &statements[0];
    assert_eq!(s["Effect"], "Allow");
    assert_eq!(s["Principal"]["Service"], "cloudfront.amazonaws.com");
    assert_eq!(s["Action"], "s3:GetObject");
    let source = s["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
        .as_str()
        .unwrap();
    assert!(
        source.ends_with(":distribution/${Distribution}"),
        "{source}"
    );
}

#[test]
fn distribution_uses_oac_https_and_compression() {
    let t = template();
    let config = &resource(&t, "Distribution")["Properties"]["DistributionConfig"];
    assert_eq!(config["DefaultRootObject"], "index.html");
    let origin = &config["Origins"][0];
    assert_eq!(
        origin["OriginAccessControlId"]["Fn::GetAtt"][0],
        "OriginAccessControl"
    );
    // OAC replaces the legacy origin access identity, which must be empty.
    assert_eq!(origin["S3OriginConfig"]["OriginAccessIdentity"], "");
    let behavior = &config["DefaultCacheBehavior"];
    assert_eq!(behavior["TargetOriginId"], origin["Id"]);
    assert_eq!(behavior["ViewerProtocolPolicy"], "redirect-to-https");
    assert_eq!(behavior["Compress"], true);
    let oac = &resource(&t, "OriginAccessControl")["Properties"]["OriginAccessControlConfig"];
    assert_eq!(oac["OriginAccessControlOriginType"], "s3");
    assert_eq!(oac["SigningBehavior"], "always");
    let keys = &resource(&t, "CachePolicy")["Properties"]["CachePolicyConfig"]
        ["ParametersInCacheKeyAndForwardedToOrigin"];
    assert_eq!(keys["EnableAcceptEncodingGzip"], true);
    assert_eq!(keys["EnableAcceptEncodingBrotli"], true);
    assert_eq!(
        resource(&t, "CachePolicy")["Properties"]["CachePolicyConfig"]["MinTTL"],
        0,
        "index.html's no-cache must be honoured"
    );
}
