//! Policy checks in the manner of IAM Access Analyzer's policy validation, with its finding
//! types (Error, Security warning, Warning, Suggestion) and issue codes, for the checks a
//! student meets first. Source: IAM User Guide, "IAM Access Analyzer policy validation
//! check reference" (access-analyzer-reference-policy-checks.html), checked 2026-11-29.

use super::condition::{Family, Operator, Qualifier};
use super::policy::{Clause, Effect, Kind, Policy, Principals, Statement};

/// Access Analyzer's finding types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Part of the policy does not work.
    Error,
    /// The policy allows access that is overly permissive.
    SecurityWarning,
    /// Not a security issue, but not best practice.
    Warning,
    /// A stylistic improvement that does not change access.
    Suggestion,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "Error",
            Severity::SecurityWarning => "Security warning",
            Severity::Warning => "Warning",
            Severity::Suggestion => "Suggestion",
        }
    }
}

/// One finding: its type, Access Analyzer's issue code, where, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    /// `Statement[1].Condition.StringEquals.aws:username`, or "" for the whole policy.
    pub path: String,
    pub message: String,
}

/// Global condition keys (IAM User Guide, "AWS global condition context keys"); a prefix
/// ending in `/` takes a tag key after it.
const GLOBAL_KEYS: [&str; 43] = [
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:CurrentTime",
    "aws:Ec2InstanceSourcePrivateIPv4",
    "aws:Ec2InstanceSourceVpc",
    "aws:EpochTime",
    "aws:FederatedProvider",
    "aws:IsMcpServiceAction",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalTag/",
    "aws:PrincipalType",
    "aws:Referer",
    "aws:RequestedRegion",
    "aws:RequestTag/",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
    "aws:ResourceTag/",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIdentity",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpcArn",
    "aws:SourceVpce",
    "aws:TagKeys",
    "aws:TokenIssueTime",
    "aws:UserAgent",
    "aws:userid",
    "aws:username",
    "aws:ViaAWSService",
];

/// Global keys that carry several values; every other global key has one.
const MULTIVALUED: [&str; 6] = [
    "aws:CalledVia",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceNamesList",
    "aws:ResourceOrgPaths",
    "aws:SourceOrgPaths",
    "aws:TagKeys",
];

fn known_global(key: &str) -> bool {
    GLOBAL_KEYS.iter().any(|k| {
        if k.ends_with('/') {
            key.len() > k.len() && key[..k.len()].eq_ignore_ascii_case(k)
        } else {
            key.eq_ignore_ascii_case(k)
        }
    })
}

/// Checks a policy of a given kind. Resource-based policies and RCPs expect a Principal; the
/// others (identity, boundary, session, SCP) must not have one. Security warnings are about
/// granting too much, so SCPs, RCPs and boundaries, which grant nothing (FullAWSAccess is
/// their normal form), get none (Access Analyzer validates them by policy type too).
pub fn lint(policy: &Policy, kind: Kind) -> Vec<Finding> {
    let resource_policy = matches!(kind, Kind::Resource | Kind::Rcp);
    let mut out = Findings {
        grants: !matches!(kind, Kind::Scp | Kind::Rcp | Kind::Boundary),
        list: vec![],
    };
    if policy.version.is_none() {
        out.push(
            Severity::Warning,
            "MISSING_VERSION",
            "Version".into(),
            "Add \"Version\": \"2012-10-17\"; without it policy variables such as ${aws:username} are read as plain text.".into(),
        );
    }
    let mut sids: Vec<&str> = vec![];
    for s in &policy.statements {
        check_sid(s, &mut sids, &mut out);
        check_principal(s, resource_policy, &mut out);
        if s.effect == Effect::Allow {
            check_allow(s, &mut out);
        }
        for c in &s.conditions {
            check_condition(s, c, &mut out);
        }
        check_condition_key_case(s, &mut out);
    }
    let mut out = out.list;
    out.sort_by_key(|f| f.severity);
    out
}

/// The findings so far, in the order the checks found them; security warnings are dropped
/// for policies that grant nothing.
struct Findings {
    grants: bool,
    list: Vec<Finding>,
}

impl Findings {
    fn push(&mut self, severity: Severity, code: &'static str, path: String, message: String) {
        if severity == Severity::SecurityWarning && !self.grants {
            return;
        }
        self.list.push(Finding {
            severity,
            code,
            path,
            message,
        })
    }
}

/// The path of part of a statement: `Statement[1] (Sid X).Principal`.
fn at(s: &Statement, what: &str) -> String {
    format!(
        "{}{what}",
        if s.sid.is_some() {
            format!("Statement[{}] ({})", s.index, s.label())
        } else {
            format!("Statement[{}]", s.index)
        }
    )
}

/// UNIQUE_SIDS_REQUIRED: a Sid used by an earlier statement (`sids` collects them).
fn check_sid<'a>(s: &'a Statement, sids: &mut Vec<&'a str>, out: &mut Findings) {
    if let Some(sid) = s.sid.as_deref().filter(|x| !x.is_empty()) {
        if sids.contains(&sid) {
            out.push(
                Severity::Error,
                "UNIQUE_SIDS_REQUIRED",
                at(s, ".Sid"),
                format!("The Sid \"{sid}\" is used twice; give each statement its own."),
            );
        }
        sids.push(sid);
    }
}

/// A Principal where the policy kind needs one and nowhere else; NotPrincipal with Allow,
/// and public access, in resource-based policies.
fn check_principal(s: &Statement, resource_policy: bool, out: &mut Findings) {
    match (&s.principal, resource_policy) {
        (Some(_), false) => out.push(Severity::Error, "UNSUPPORTED_PRINCIPAL", at(s, ".Principal"), "A Principal belongs in a resource-based policy; an identity-based policy applies to whoever it is attached to.".into()),
        (None, true) => out.push(Severity::Error, "MISSING_PRINCIPAL", at(s, ""), "A resource-based policy statement must name a Principal.".into()),
        (Some((false, _)), true) if s.effect == Effect::Allow => out.push(Severity::SecurityWarning, "ALLOW_WITH_NOT_PRINCIPAL", at(s, ".NotPrincipal"), "Allow with NotPrincipal grants access to everyone not listed, anonymous users included; name the principals with Principal instead.".into()),
        (Some((true, Principals::Any)), true) if s.effect == Effect::Allow && s.conditions.is_empty() => out.push(Severity::SecurityWarning, "PUBLIC_ACCESS", at(s, ".Principal"), "Principal \"*\" without a condition makes this statement public.".into()),
        _ => {}
    }
}

/// An Allow statement that grants too much: iam:PassRole on "*", NotAction on every resource.
fn check_allow(s: &Statement, out: &mut Findings) {
    let actions = s
        .action
        .as_ref()
        .filter(|(yes, _)| *yes)
        .map(|(_, a)| a.as_slice())
        .unwrap_or(&[]);
    let star_resource = s
        .resource
        .as_ref()
        .is_none_or(|(yes, r)| *yes && r.iter().any(|x| x == "*"));
    if star_resource
        && actions
            .iter()
            .any(|a| super::matching::action(a, "iam:PassRole"))
    {
        out.push(Severity::SecurityWarning, "PASS_ROLE_WITH_STAR_IN_RESOURCE", at(s, ".Resource"), "iam:PassRole on \"*\" lets the holder hand any role, admin roles included, to a service; list the role ARNs it may pass.".into());
    }
    if s.action.as_ref().is_some_and(|(yes, _)| !yes) && star_resource {
        out.push(Severity::SecurityWarning, "ALLOW_WITH_NOT_ACTION", at(s, ".NotAction"), "Allow with NotAction on every resource grants every action not listed, in every service, including ones added later.".into());
    }
}

/// One condition clause: Null with IfExists, wildcards without a Like operator, the global
/// key and its qualifier, Bool values. An operator IAM does not know is skipped.
fn check_condition(s: &Statement, c: &Clause, out: &mut Findings) {
    let path = at(s, &format!(".Condition.{}.{}", c.operator, c.key));
    let Some(op) = Operator::parse(&c.operator) else {
        return;
    };
    if op.family == Family::Null && op.if_exists {
        out.push(
            Severity::Error,
            "NULL_WITH_IF_EXISTS",
            path.clone(),
            "Null tests whether the key exists; IfExists makes that meaningless.".into(),
        );
    }
    let wildcards = c.values.iter().any(|v| {
        let plain = v.replace("${*}", "").replace("${?}", "");
        plain.contains('*') || plain.contains('?')
    });
    if wildcards
        && matches!(
            op.family,
            Family::StringEquals | Family::StringEqualsIgnoreCase
        )
    {
        out.push(
            Severity::Warning,
            "WILDCARD_WITHOUT_LIKE_OPERATOR",
            path.clone(),
            format!(
                "{} compares * and ? literally; use StringLike to match patterns.",
                c.operator
            ),
        );
    }
    if c.key.to_ascii_lowercase().starts_with("aws:") {
        check_global_key(c, op, &path, out);
    }
    if op.family == Family::Bool
        && c.values
            .iter()
            .any(|v| !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false"))
    {
        out.push(
            Severity::Error,
            "INVALID_CONDITION_DATA_TYPE",
            path,
            "Bool takes true or false.".into(),
        );
    }
}

/// An `aws:` key: that it is a global condition key, and that its set qualifier suits
/// whether it carries one value or several.
fn check_global_key(c: &Clause, op: Operator, path: &str, out: &mut Findings) {
    if !known_global(&c.key) {
        out.push(
            Severity::Error,
            "INVALID_GLOBAL_CONDITION_KEY",
            path.into(),
            format!("{} is not an AWS global condition key.", c.key),
        );
        return;
    }
    let multi = MULTIVALUED.iter().any(|k| k.eq_ignore_ascii_case(&c.key));
    match (op.qualifier, multi) {
        (Qualifier::ForAllValues, false) => out.push(Severity::Warning, "FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY", path.into(), format!("{} has one value; ForAllValues is also true when the key is missing, which is rarely meant. Drop the qualifier.", c.key)),
        (Qualifier::ForAnyValue, false) => out.push(Severity::Suggestion, "FOR_ANY_VALUE_WITH_SINGLE_VALUED_KEY", path.into(), format!("{} has one value; ForAnyValue adds nothing. Drop the qualifier.", c.key)),
        (Qualifier::None, true) => out.push(Severity::Warning, "MISSING_QUALIFIER", path.into(), format!("{} has several values; say whether all (ForAllValues:) or any (ForAnyValue:) must match.", c.key)),
        _ => {}
    }
}

/// DUPLICATE_KEYS_WITH_DIFFERENT_CASE: one key under one operator written twice in
/// different case.
fn check_condition_key_case(s: &Statement, out: &mut Findings) {
    let mut keys: Vec<(String, &str)> = vec![];
    for c in &s.conditions {
        let l = format!("{}|{}", c.operator, c.key.to_ascii_lowercase());
        if let Some((_, k)) = keys.iter().find(|(x, k)| *x == l && *k != c.key) {
            out.push(
                Severity::Error,
                "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
                at(s, &format!(".Condition.{}", c.operator)),
                format!("{} and {} are one key written twice; keep one.", k, c.key),
            );
        }
        keys.push((l, &c.key));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::iam::parse;

    fn codes(json: &str, resource: bool) -> Vec<&'static str> {
        let kind = if resource {
            Kind::Resource
        } else {
            Kind::Identity
        };
        lint(&parse(json).unwrap(), kind)
            .iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn the_checks_students_meet_first() {
        assert_eq!(
            codes(
                r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
                false
            ),
            ["MISSING_VERSION"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}"#,
                false
            ),
            ["PASS_ROLE_WITH_STAR_IN_RESOURCE"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app"}]}"#,
                false
            ),
            Vec::<&str>::new()
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "*"}]}"#,
                true
            ),
            ["ALLOW_WITH_NOT_PRINCIPAL"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "a*"}}}]}"#,
                false
            ),
            ["WILDCARD_WITHOUT_LIKE_OPERATOR"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:username": "a"}}}]}"#,
                false
            ),
            ["FOR_ALL_VALUES_WITH_SINGLE_VALUED_KEY"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:usrname": "a", "aws:TagKeys": "x"}}}]}"#,
                false
            ),
            ["INVALID_GLOBAL_CONDITION_KEY", "MISSING_QUALIFIER"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Sid": "A", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}]}"#,
                false
            ),
            ["UNIQUE_SIDS_REQUIRED"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#,
                false
            ),
            ["UNSUPPORTED_PRINCIPAL"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
                true
            ),
            ["PUBLIC_ACCESS"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NullIfExists": {"aws:username": "true"}}}]}"#,
                false
            ),
            ["NULL_WITH_IF_EXISTS"]
        );
        assert_eq!(
            codes(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "a", "AWS:UserName": "b"}}}]}"#,
                false
            ),
            ["DUPLICATE_KEYS_WITH_DIFFERENT_CASE"]
        );
        let f = lint(&parse(r#"{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}"#).unwrap(), Kind::Identity);
        assert_eq!(
            f[0].severity,
            Severity::SecurityWarning,
            "sorted by severity"
        );
        assert_eq!(f[0].severity.name(), "Security warning");
    }
}
