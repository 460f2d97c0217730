//! Who makes a request, described the way a student thinks of it (an IAM user in an
//! account, a role session, a service), turned into the evaluator's [`Principal`] and the
//! context keys AWS derives from the caller's identity; and the request context as typed.
//!
//! Derived keys (IAM User Guide, "AWS global condition context keys", checked 2026-11-30):
//! `aws:PrincipalArn` (the user's ARN; for a role session the role's ARN, not the session's),
//! `aws:PrincipalAccount`, `aws:PrincipalType` (`User`, `AssumedRole`, `FederatedUser`,
//! `Anonymous`), `aws:username` (IAM users only), `aws:PrincipalTag/<key>`,
//! `aws:MultiFactorAuthPresent` (true with MFA; false for temporary credentials without it;
//! absent for long-term access keys), `aws:PrincipalIsAWSService` and
//! `aws:PrincipalServiceName` for service principals. The request's own keys, as typed, win
//! over derived ones.

use super::eval::{Context, Principal, Request};
use crate::core::sim::Arn;
use serde::{Deserialize, Serialize};

/// The kind of caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallerKind {
    /// An IAM user with long-term or console credentials.
    #[default]
    User,
    /// A session of an assumed role (`sts:AssumeRole`).
    Role,
    /// A federated user session (`sts:GetFederationToken`).
    Federated,
    /// An AWS service principal (`lambda.amazonaws.com`).
    Service,
    /// A user signed in at an external identity provider (OIDC or SAML), calling
    /// `sts:AssumeRoleWithWebIdentity` or `sts:AssumeRoleWithSAML`; its name is the provider.
    #[serde(rename = "web-identity")]
    WebIdentity,
    /// An unsigned request.
    Anonymous,
}

/// How the caller signed in, as `aws:MultiFactorAuthPresent` sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mfa {
    /// Long-term access keys: the key is absent from the request. For role and federated
    /// sessions (always temporary credentials) this reads as [`Mfa::No`].
    #[default]
    Absent,
    /// Temporary credentials obtained without MFA: the key is `false`.
    No,
    /// Authenticated with MFA: the key is `true`.
    Yes,
}

/// The longest name, account or key the page accepts (AWS's own limits are lower: 64
/// characters for a user or session name, 128 for a tag key).
pub const MAX_FIELD: usize = 2048;

/// A caller as the request form describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Caller {
    pub kind: CallerKind,
    /// 12-digit account ID (not used for services and anonymous callers).
    pub account: String,
    /// The user, role or federated user name; for a service, its principal
    /// (`ec2.amazonaws.com`).
    pub name: String,
    /// The role session name.
    pub session: String,
    pub mfa: Mfa,
    /// The principal's tags, one `key=value` per line.
    pub tags: String,
}

impl Default for Caller {
    fn default() -> Self {
        Caller {
            kind: CallerKind::User,
            account: "111122223333".into(),
            name: "alice".into(),
            session: "session1".into(),
            mfa: Mfa::Absent,
            tags: String::new(),
        }
    }
}

fn check_name(what: &str, v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Err(format!("{what} is empty."));
    }
    if v.len() > MAX_FIELD {
        return Err(format!("{what} is longer than {MAX_FIELD} characters."));
    }
    if v.chars().any(|c| c.is_whitespace() || c == ':' || c == '/') {
        return Err(format!(
            "{what} \"{v}\" has a space, colon or slash; IAM names use letters, digits and +=,.@_-."
        ));
    }
    Ok(())
}

impl Caller {
    /// The user or role ARN (`arn:aws:iam::111122223333:user/alice`), or the federated
    /// user's, service's name; `None` for an anonymous caller.
    pub fn arn(&self) -> Option<String> {
        let (a, n) = (self.account.trim(), self.name.trim());
        match self.kind {
            CallerKind::User => Some(Arn::iam_user(a, n).to_string()),
            CallerKind::Role => Some(Arn::iam_role(a, n).to_string()),
            CallerKind::Federated => Some(Arn::federated_user(a, n).to_string()),
            CallerKind::Service | CallerKind::WebIdentity => Some(n.to_string()),
            CallerKind::Anonymous => None,
        }
    }

    /// The evaluator's principal, or what is wrong with the form.
    pub fn principal(&self) -> Result<Principal, String> {
        let (a, n) = (self.account.trim(), self.name.trim());
        let account_ok = || {
            if a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(format!(
                    "The account ID must be 12 digits, found \"{}\".",
                    crate::core::format::clip(a, 40)
                ))
            }
        };
        match self.kind {
            CallerKind::User => {
                account_ok()?;
                check_name("The user name", n)?;
                Ok(Principal::User {
                    arn: self.arn().unwrap_or_default(),
                })
            }
            CallerKind::Role => {
                account_ok()?;
                check_name("The role name", n)?;
                let s = self.session.trim();
                check_name("The session name", s)?;
                Ok(Principal::RoleSession {
                    role_arn: Arn::iam_role(a, n).to_string(),
                    session_arn: Arn::assumed_role(a, n, s).to_string(),
                })
            }
            CallerKind::Federated => {
                account_ok()?;
                check_name("The federated user name", n)?;
                Ok(Principal::FederatedUser {
                    arn: self.arn().unwrap_or_default(),
                })
            }
            CallerKind::Service => {
                if !n.ends_with(".amazonaws.com") || n.len() > MAX_FIELD || n.contains(' ') {
                    return Err(format!(
                        "A service principal looks like lambda.amazonaws.com, found \"{}\".",
                        crate::core::format::clip(n, 60)
                    ));
                }
                Ok(Principal::Service {
                    name: n.to_string(),
                })
            }
            CallerKind::WebIdentity => {
                if n.is_empty() || n.len() > MAX_FIELD || n.contains(char::is_whitespace) {
                    return Err(format!(
                        "An identity provider looks like cognito-identity.amazonaws.com, accounts.google.com or a SAML provider ARN, found \"{}\".",
                        crate::core::format::clip(n, 60)
                    ));
                }
                Ok(Principal::WebIdentity {
                    provider: n.to_string(),
                })
            }
            CallerKind::Anonymous => Ok(Principal::Anonymous),
        }
    }

    /// Whether this kind of caller carries principal tags (IAM users and roles; the page's
    /// tag field is shown for them only).
    pub fn has_tags(&self) -> bool {
        matches!(self.kind, CallerKind::User | CallerKind::Role)
    }

    /// The principal's tags, or the first malformed line.
    pub fn tag_pairs(&self) -> Result<Vec<(String, String)>, String> {
        let mut out: Vec<(String, String)> = vec![];
        for (i, line) in self.tags.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let Some((k, v)) = line.split_once('=') else {
                return Err(format!("Tags, line {}: write key=value.", i + 1));
            };
            let (k, v) = (k.trim(), v.trim());
            if k.is_empty() || k.chars().count() > 128 {
                return Err(format!(
                    "Tags, line {}: a tag key has 1 to 128 characters.",
                    i + 1
                ));
            }
            if v.chars().count() > 256 {
                return Err(format!(
                    "Tags, line {}: a tag value has at most 256 characters.",
                    i + 1
                ));
            }
            if out.iter().any(|(o, _)| o.eq_ignore_ascii_case(k)) {
                return Err(format!(
                    "Tags, line {}: the tag {k} is set twice (tag keys are case-insensitive).",
                    i + 1
                ));
            }
            out.push((k.to_string(), v.to_string()));
        }
        Ok(out)
    }

    /// The context keys AWS derives from this caller (see the module documentation), in the
    /// order they are listed to the student.
    pub fn derived_keys(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = vec![];
        let mut put = |k: &str, v: &str| out.push((k.to_string(), vec![v.to_string()]));
        let (a, n) = (self.account.trim(), self.name.trim());
        let kind_type = match self.kind {
            CallerKind::User => "User",
            CallerKind::Role => "AssumedRole",
            CallerKind::Federated => "FederatedUser",
            CallerKind::Service => {
                put("aws:PrincipalIsAWSService", "true");
                put("aws:PrincipalServiceName", n);
                return out;
            }
            CallerKind::Anonymous => {
                put("aws:PrincipalType", "Anonymous");
                return out;
            }
            // The provider's own keys (`accounts.google.com:aud` …) are typed as context.
            CallerKind::WebIdentity => return out,
        };
        if let Some(arn) = self.arn() {
            put("aws:PrincipalArn", &arn);
        }
        put("aws:PrincipalAccount", a);
        put("aws:PrincipalType", kind_type);
        put("aws:PrincipalIsAWSService", "false");
        if self.kind == CallerKind::User {
            put("aws:username", n);
        }
        let mfa = match (self.mfa, self.kind) {
            (Mfa::Yes, _) => Some("true"),
            (Mfa::No, _) | (Mfa::Absent, CallerKind::Role | CallerKind::Federated) => Some("false"),
            (Mfa::Absent, _) => None,
        };
        if let Some(m) = mfa {
            put("aws:MultiFactorAuthPresent", m);
        }
        if let Ok(tags) = self
            .tag_pairs()
            .map(|t| if self.has_tags() { t } else { vec![] })
        {
            for (k, v) in tags {
                put(&format!("aws:PrincipalTag/{k}"), &v);
            }
        }
        out
    }
}

/// Reads the request's own context keys: one `key = value` per line, several values as
/// `key = [a, b]`, an empty set as `key = []`; blank lines and lines starting with `#` are
/// skipped. Errors name the line.
pub fn parse_context(text: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out: Vec<(String, Vec<String>)> = vec![];
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let n = i + 1;
        let Some((k, v)) = line.split_once('=') else {
            return Err(format!(
                "Context, line {n}: write key = value (for example aws:SourceIp = 203.0.113.7)."
            ));
        };
        let k = k.trim();
        if k.is_empty() || k.len() > MAX_FIELD || k.contains(char::is_whitespace) {
            return Err(format!(
                "Context, line {n}: \"{}\" is not a condition key name (aws:SourceIp, s3:prefix …).",
                crate::core::format::clip(k, 40)
            ));
        }
        let v = v.trim();
        let values = match v.strip_prefix('[') {
            Some(rest) => {
                let Some(inner) = rest.strip_suffix(']') else {
                    return Err(format!(
                        "Context, line {n}: a list of values ends with ], as in [a, b]."
                    ));
                };
                if inner.trim().is_empty() {
                    vec![]
                } else {
                    inner.split(',').map(|x| x.trim().to_string()).collect()
                }
            }
            None => vec![v.to_string()],
        };
        if let Some(pos) = out.iter().position(|(o, _)| o.eq_ignore_ascii_case(k)) {
            return Err(format!(
                "Context, line {n}: {k} is already set on line {} (key names are case-insensitive).",
                line_of(text, &out[pos].0).unwrap_or(0)
            ));
        }
        out.push((k.to_string(), values));
    }
    Ok(out)
}

fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.split_once('=')
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(key))
        })
        .map(|p| p + 1)
}

/// A request as the form describes it: the caller, action, resource, the resource's account
/// ("" for the caller's own) and the context as typed.
pub fn request(
    caller: &Caller,
    action: &str,
    resource: &str,
    resource_account: &str,
    context: &str,
) -> Result<Request, Vec<String>> {
    let mut errors = vec![];
    let principal = caller.principal().map_err(|e| errors.push(e)).ok();
    if caller.has_tags() {
        if let Err(e) = caller.tag_pairs() {
            errors.push(e);
        }
    }
    let action = action.trim();
    match action.split_once(':') {
        Some((svc, name))
            if !svc.is_empty()
                && !name.is_empty()
                && action.len() <= MAX_FIELD
                && !action.contains(char::is_whitespace)
                && !action.contains(['*', '?']) => {}
        _ => errors.push(format!(
            "The action is written service:Operation (s3:GetObject), found \"{}\"; a request names one action, without wildcards.",
            crate::core::format::clip(action, 60)
        )),
    }
    let resource = resource.trim();
    if resource != "*" && (!resource.starts_with("arn:") || resource.split(':').count() < 6) {
        errors.push(format!(
            "The resource is an ARN (arn:aws:s3:::bucket/key) or * for actions without one, found \"{}\".",
            crate::core::format::clip(resource, 60)
        ));
    } else if resource.len() > MAX_FIELD {
        errors.push(format!(
            "The resource ARN is longer than {MAX_FIELD} characters."
        ));
    }
    let ra = resource_account.trim();
    let account_id = |a: &str| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit());
    if !ra.is_empty() && !account_id(ra) {
        errors.push(format!(
            "The resource's account ID must be 12 digits (or empty for the caller's own), found \"{}\".",
            crate::core::format::clip(ra, 40)
        ));
    }
    let typed = parse_context(context).map_err(|e| errors.push(e)).ok();
    let (Some(principal), Some(typed)) = (principal, typed) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut ctx = Context::default();
    for (k, v) in caller.derived_keys() {
        let v: Vec<&str> = v.iter().map(String::as_str).collect();
        ctx.set(&k, &v);
    }
    for (k, v) in &typed {
        let v: Vec<&str> = v.iter().map(String::as_str).collect();
        ctx.set(k, &v);
    }
    // The resource's account: typed, else in the ARN (S3 ARNs have none: the caller's).
    let in_arn = resource.split(':').nth(4).filter(|a| account_id(a));
    let resource_account = if ra.is_empty() { in_arn } else { Some(ra) }
        .or_else(|| principal.account())
        .map(str::to_string);
    Ok(Request {
        principal,
        action: action.to_string(),
        resource: resource.to_string(),
        resource_account,
        context: ctx,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_user_carries_its_name_arn_and_tags() {
        let c = Caller {
            tags: "team = blue\n\nproject=x".into(),
            ..Default::default()
        };
        let r = request(&c, "s3:GetObject", "arn:aws:s3:::b/k", "", "").unwrap();
        assert_eq!(
            r.principal,
            Principal::User {
                arn: "arn:aws:iam::111122223333:user/alice".into()
            }
        );
        assert_eq!(r.context.get("AWS:USERNAME").unwrap(), &["alice"]);
        assert_eq!(r.context.get("aws:PrincipalTag/team").unwrap(), &["blue"]);
        assert_eq!(r.context.get("aws:PrincipalType").unwrap(), &["User"]);
        // Access keys: no MFA key at all.
        assert!(r.context.get("aws:MultiFactorAuthPresent").is_none());
        assert_eq!(r.resource_account.as_deref(), Some("111122223333"));
    }

    #[test]
    fn a_role_session_has_no_username_and_its_principal_arn_is_the_role() {
        let c = Caller {
            kind: CallerKind::Role,
            name: "app".into(),
            ..Default::default()
        };
        let r = request(&c, "s3:GetObject", "*", "", "").unwrap();
        assert!(r.context.get("aws:username").is_none());
        assert_eq!(
            r.context.get("aws:PrincipalArn").unwrap(),
            &["arn:aws:iam::111122223333:role/app"]
        );
        assert_eq!(
            r.context.get("aws:MultiFactorAuthPresent").unwrap(),
            &["false"]
        );
        let Principal::RoleSession { session_arn, .. } = r.principal else {
            panic!()
        };
        assert_eq!(
            session_arn,
            "arn:aws:sts::111122223333:assumed-role/app/session1"
        );
    }

    #[test]
    fn typed_keys_win_and_lists_are_multivalued() {
        let c = Caller::default();
        let r = request(
            &c,
            "dynamodb:GetItem",
            "arn:aws:dynamodb:us-east-1:444455556666:table/t",
            "",
            "# comment\naws:username = bob\ndynamodb:Attributes = [a, b]\naws:TagKeys = []",
        )
        .unwrap();
        assert_eq!(r.context.get("aws:username").unwrap(), &["bob"]);
        assert_eq!(r.context.get("dynamodb:attributes").unwrap(), &["a", "b"]);
        assert!(r.context.get("aws:TagKeys").unwrap().is_empty());
        // The account in the ARN is the resource's.
        assert_eq!(r.resource_account.as_deref(), Some("444455556666"));
    }

    #[test]
    fn bad_forms_are_named_together() {
        let c = Caller {
            account: "12345".into(),
            tags: "novalue".into(),
            ..Default::default()
        };
        let e = request(&c, "s3:Get*", "bucket", "x", "k v").unwrap_err();
        assert_eq!(e.len(), 6, "{e:?}");
        assert!(e[0].contains("12 digits"));
        assert!(e[1].contains("Tags, line 1"));
        assert!(e[2].contains("without wildcards"));
        assert!(e[3].contains("is an ARN"));
        assert!(e[4].contains("resource's account"));
        assert!(e[5].contains("Context, line 1"));
        let dup = parse_context("a = 1\nA = 2").unwrap_err();
        assert!(dup.contains("already set on line 1"), "{dup}");
        assert!(parse_context("k = [a, b")
            .unwrap_err()
            .contains("ends with ]"));
        let svc = Caller {
            kind: CallerKind::Service,
            name: "lambda".into(),
            ..Default::default()
        };
        assert!(svc
            .principal()
            .unwrap_err()
            .contains("lambda.amazonaws.com"));
    }
}
