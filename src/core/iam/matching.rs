//! Matching actions, resources and ARNs the way IAM does, and policy variables.
//!
//! IAM User Guide: "IAM JSON policy elements: Action" (action names are case-insensitive,
//! `*` and `?` wildcards), "Resource" (ARNs are case-sensitive; `*` matches any run of
//! characters, `/` included), "Condition operators" (ArnLike compares each of the six
//! colon-separated ARN parts), "Policy variables" (`${aws:username}`, defaults, `${*}`).
//! Path globs do not fit: their `*` stops at `/`.

use super::eval::Context;

/// `*` matches any run of characters (including none and `/`), `?` exactly one.
pub fn wildcard(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // ASCII (nearly every ARN and action) is matched byte by byte, without allocating.
    if pattern.is_ascii() && text.is_ascii() {
        return glob(pattern.as_bytes(), text.as_bytes(), ignore_case);
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    glob(&p, &t, ignore_case)
}

/// A character that `*` and `?` patterns are made of.
trait Symbol: Copy + PartialEq {
    fn is(self, c: char) -> bool;
    fn same(self, other: Self, ignore_case: bool) -> bool;
}

impl Symbol for u8 {
    fn is(self, c: char) -> bool {
        self == c as u8
    }
    fn same(self, other: u8, ignore_case: bool) -> bool {
        if ignore_case {
            self.eq_ignore_ascii_case(&other)
        } else {
            self == other
        }
    }
}

/// In a pattern made by [`substitute_pattern`], a `*` or `?` that came from `${*}`, `${?}`
/// or a request value: it matches only itself.
pub const LITERAL_STAR: char = '\u{E000}';
/// See [`LITERAL_STAR`].
pub const LITERAL_QUESTION: char = '\u{E001}';

impl Symbol for char {
    fn is(self, c: char) -> bool {
        self == c
    }
    fn same(self, other: char, ignore_case: bool) -> bool {
        let me = match self {
            LITERAL_STAR => '*',
            LITERAL_QUESTION => '?',
            c => c,
        };
        if ignore_case {
            me.eq_ignore_ascii_case(&other)
        } else {
            me == other
        }
    }
}

fn glob<T: Symbol>(p: &[T], t: &[T], ignore_case: bool) -> bool {
    let eq = |a: T, b: T| a.same(b, ignore_case);
    // Iterative matching with one backtrack point (the last `*`): linear in practice.
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && (p[i].is('?') || (!p[i].is('*') && eq(p[i], t[j]))) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i].is('*') {
            star = Some((i, j));
            i += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| c.is('*'))
}

/// An action pattern (`s3:Get*`, `*`) against an action (`s3:GetObject`), case-insensitive.
pub fn action(pattern: &str, action: &str) -> bool {
    wildcard(pattern, action, true)
}

/// An ARN pattern of a Resource element against a resource ARN: case-sensitive, `*` spans
/// `/` and `:`.
pub fn resource(pattern: &str, arn: &str) -> bool {
    wildcard(pattern, arn, false)
}

/// Whether a Resource pattern cannot match `arn` because its literal start (before the first
/// `*`, `?` or `${`) is not how `arn` starts: a quick test that spares substituting policy
/// variables in statements about other resources.
pub fn resource_ruled_out(pattern: &str, arn: &str) -> bool {
    // Bytes: these are ASCII, so the position is a character boundary (UTF-8 never has them
    // inside a multi-byte character).
    let end = pattern
        .bytes()
        .position(|b| matches!(b, b'*' | b'?' | b'$'))
        .unwrap_or(pattern.len());
    // With no wildcard or variable at all the whole pattern must equal the ARN.
    if end == pattern.len() {
        return pattern != arn;
    }
    !arn.starts_with(&pattern[..end])
}

/// ArnEquals / ArnLike: both ARNs split into their six colon-separated parts (the last may
/// hold colons), each part matched with wildcards; a pattern that is not an ARN matches
/// nothing.
pub fn arn_like(pattern: &str, arn: &str) -> bool {
    let split = |s: &str| -> Option<Vec<String>> {
        let parts: Vec<&str> = s.splitn(6, ':').collect();
        (parts.len() == 6).then(|| parts.iter().map(|p| p.to_string()).collect())
    };
    if pattern == "*" {
        return true;
    }
    match (split(pattern), split(arn)) {
        (Some(p), Some(a)) => p.iter().zip(&a).all(|(p, a)| wildcard(p, a, false)),
        _ => false,
    }
}

/// [`substitute`] for a pattern (Resource, StringLike, ArnLike): `${*}`, `${?}` and every
/// `*` or `?` in a substituted value stay literal (IAM User Guide, "Policy variables":
/// "${*}" stands for a literal asterisk), written as [`LITERAL_STAR`]/[`LITERAL_QUESTION`].
pub fn substitute_pattern<'a>(text: &'a str, ctx: &Context) -> Option<std::borrow::Cow<'a, str>> {
    if !text.contains("${") {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    replace_variables(text, ctx, true).map(std::borrow::Cow::Owned)
}

/// Substitutes policy variables in `text` (only under Version 2012-10-17): `${key}` with the
/// key's single value, `${key, 'default'}` when the key is missing, `${*}`, `${?}` and `${$}`
/// with the literal characters. `None` when a variable has no value and no default: the
/// pattern then matches nothing (IAM User Guide, "Policy variables").
pub fn substitute<'a>(text: &'a str, ctx: &Context) -> Option<std::borrow::Cow<'a, str>> {
    if !text.contains("${") {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    replace_variables(text, ctx, false).map(std::borrow::Cow::Owned)
}

fn replace_variables(text: &str, ctx: &Context, literal: bool) -> Option<String> {
    replace_from(text, 0, ctx, literal)
}

/// Replaces the variables of `text[keep..]`, copying `text[..keep]` as it is.
fn replace_from(text: &str, keep: usize, ctx: &Context, literal: bool) -> Option<String> {
    let push = |out: &mut String, v: &str| {
        if literal {
            out.extend(v.chars().map(|c| match c {
                '*' => LITERAL_STAR,
                '?' => LITERAL_QUESTION,
                c => c,
            }));
        } else {
            out.push_str(v);
        }
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..keep]);
    let mut rest = &text[keep..];
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return Some(out);
        };
        let inner = after[..end].trim();
        match inner {
            "*" | "?" => push(&mut out, inner),
            "$" => out.push('$'),
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => {
                        let d = d.trim();
                        let d = d
                            .strip_prefix('\'')
                            .and_then(|d| d.strip_suffix('\''))
                            .unwrap_or(d);
                        (k.trim(), Some(d))
                    }
                    None => (inner, None),
                };
                match ctx.get(key) {
                    Some(v) if v.len() == 1 => push(&mut out, &v[0]),
                    _ => push(&mut out, default?),
                }
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// [`substitute_pattern`] for a Resource ARN: variables count only in the resource part,
/// after the fifth colon (IAM User Guide, "Policy variables"); before it `${…}` is text.
pub fn substitute_resource<'a>(text: &'a str, ctx: &Context) -> Option<std::borrow::Cow<'a, str>> {
    let keep = text
        .match_indices(':')
        .nth(4)
        .map_or(text.len(), |(i, _)| i + 1);
    if !text[keep..].contains("${") {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    replace_from(text, keep, ctx, true).map(std::borrow::Cow::Owned)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_literal_start_rules_resources_out() {
        let p = "arn:aws:s3:::bucket-7/${aws:username}/*";
        assert!(resource_ruled_out(p, "arn:aws:s3:::bucket-16/alice/x"));
        assert!(!resource_ruled_out(p, "arn:aws:s3:::bucket-7/alice/x"));
        assert!(!resource_ruled_out("*", "anything"));
        assert!(resource_ruled_out("arn:aws:s3:::b", "arn:aws:s3:::b/k"));
        assert!(!resource_ruled_out("arn:aws:s3:::b", "arn:aws:s3:::b"));
        // Never rules out what the full match would accept.
        for (p, t) in [("arn:aws:s3:::b?x/*", "arn:aws:s3:::b1x/k"), ("a$b", "a$b")] {
            assert!(!resource_ruled_out(p, t) || !resource(p, t), "{p} {t}");
        }
    }

    #[test]
    fn wildcards() {
        assert!(action("iam:Get*", "iam:GetUser"));
        assert!(action("IAM:get*", "iam:GetUser"), "actions ignore case");
        assert!(!action("iam:Get*", "iam:CreatePolicy"));
        assert!(action("iam:*Report", "iam:GetCredentialReport"));
        assert!(action("s3:Get?bject", "s3:GetObject"));
        assert!(action("*", "ec2:RunInstances"));
        // IAM User Guide: "arn:aws:s3:::*log*" matches a key under a bucket with "log".
        assert!(resource(
            "arn:aws:s3:::*log*",
            "arn:aws:s3:::carlossalazar-logs/f.txt"
        ));
        assert!(
            resource("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c.txt"),
            "* spans /"
        );
        assert!(
            !resource("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a"),
            "ARNs are case-sensitive"
        );
        assert!(wildcard("a*b*c", "aXXbYYc", false));
        assert!(!wildcard("a*b*c", "aXXbYY", false));
        assert!(wildcard("**", "", false));
    }

    #[test]
    fn arns_part_by_part() {
        assert!(arn_like(
            "arn:aws:iam::*:role/admin-*",
            "arn:aws:iam::111122223333:role/admin-ops"
        ));
        assert!(!arn_like(
            "arn:aws:iam::*:role/admin-*",
            "arn:aws:iam::111122223333:user/admin-ops"
        ));
        // A * in one part does not swallow the next part's colon.
        assert!(!arn_like("arn:aws:s3:*", "arn:aws:s3:::bucket"));
        assert!(arn_like("arn:aws:s3:::*", "arn:aws:s3:::bucket"));
        assert!(arn_like(
            "arn:aws:sqs:us-east-1:111122223333:q:extra",
            "arn:aws:sqs:us-east-1:111122223333:q:extra"
        ));
        assert!(!arn_like("not-an-arn", "arn:aws:s3:::b"));
    }

    #[test]
    fn policy_variables() {
        let mut ctx = Context::default();
        ctx.set("aws:username", &["alice"]);
        ctx.set("aws:PrincipalTag/team", &["red"]);
        assert_eq!(
            substitute("arn:aws:s3:::home/${aws:username}/*", &ctx).as_deref(),
            Some("arn:aws:s3:::home/alice/*")
        );
        assert_eq!(
            substitute("${AWS:UserName}", &ctx).as_deref(),
            Some("alice"),
            "keys ignore case"
        );
        assert_eq!(
            substitute("${aws:PrincipalTag/dept, 'none'}", &ctx).as_deref(),
            Some("none")
        );
        assert_eq!(
            substitute("${aws:PrincipalTag/team, 'none'}", &ctx).as_deref(),
            Some("red")
        );
        assert_eq!(substitute("${aws:userid}", &ctx), None);
        assert_eq!(substitute("a${*}b${?}${$}", &ctx).as_deref(), Some("a*b?$"));
        // In a pattern, ${*} and substituted values are literal: "${*}" matches only "*".
        let p = substitute_pattern("arn:aws:s3:::b/${*}/x", &ctx).unwrap();
        assert!(resource(&p, "arn:aws:s3:::b/*/x"));
        assert!(!resource(&p, "arn:aws:s3:::b/anything/x"));
        ctx.set("aws:username", &["a*"]);
        let p = substitute_pattern("arn:aws:s3:::home/${aws:username}/*", &ctx).unwrap();
        assert!(resource(&p, "arn:aws:s3:::home/a*/f"));
        assert!(
            !resource(&p, "arn:aws:s3:::home/alice/f"),
            "a value's * is not a wildcard"
        );
    }
}
