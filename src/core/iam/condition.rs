//! Condition operators and how a clause is decided against the request context.
//!
//! IAM User Guide, "IAM JSON policy elements: Condition operators" and "Single-valued vs.
//! multivalued context keys": AND across operators and keys, OR across a key's values;
//! `…IfExists` is true when the key is missing; a missing key makes positive operators
//! false and negated ones (StringNotEquals, NotIpAddress, ArnNotLike …) true; `Null` tests
//! presence; `ForAllValues:` is true when every request value matches (so also when the key
//! is missing or empty), `ForAnyValue:` when at least one does (false when missing).

use super::eval::Context;
use super::matching::{arn_like, substitute, substitute_pattern, wildcard};

/// The family of an operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    BinaryEquals,
    IpAddress,
    Arn,
    Null,
}

/// A comparison of numbers or dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Equals,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

/// Set qualifier of an operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    None,
    ForAllValues,
    ForAnyValue,
}

/// A parsed operator: `ForAnyValue:StringNotLikeIfExists` → qualifier, family, negated,
/// if-exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operator {
    pub qualifier: Qualifier,
    pub family: Family,
    pub negated: bool,
    pub if_exists: bool,
}

impl Operator {
    /// Reads an operator name; `None` for a name IAM does not know.
    pub fn parse(name: &str) -> Option<Operator> {
        let (qualifier, rest) = if let Some(r) = name.strip_prefix("ForAllValues:") {
            (Qualifier::ForAllValues, r)
        } else if let Some(r) = name.strip_prefix("ForAnyValue:") {
            (Qualifier::ForAnyValue, r)
        } else {
            (Qualifier::None, name)
        };
        let (rest, if_exists) = match rest.strip_suffix("IfExists") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        use Cmp::*;
        let (family, negated) = match rest {
            "StringEquals" => (Family::StringEquals, false),
            "StringNotEquals" => (Family::StringEquals, true),
            "StringEqualsIgnoreCase" => (Family::StringEqualsIgnoreCase, false),
            "StringNotEqualsIgnoreCase" => (Family::StringEqualsIgnoreCase, true),
            "StringLike" => (Family::StringLike, false),
            "StringNotLike" => (Family::StringLike, true),
            "NumericEquals" => (Family::Numeric(Equals), false),
            "NumericNotEquals" => (Family::Numeric(Equals), true),
            "NumericLessThan" => (Family::Numeric(LessThan), false),
            "NumericLessThanEquals" => (Family::Numeric(LessThanEquals), false),
            "NumericGreaterThan" => (Family::Numeric(GreaterThan), false),
            "NumericGreaterThanEquals" => (Family::Numeric(GreaterThanEquals), false),
            "DateEquals" => (Family::Date(Equals), false),
            "DateNotEquals" => (Family::Date(Equals), true),
            "DateLessThan" => (Family::Date(LessThan), false),
            "DateLessThanEquals" => (Family::Date(LessThanEquals), false),
            "DateGreaterThan" => (Family::Date(GreaterThan), false),
            "DateGreaterThanEquals" => (Family::Date(GreaterThanEquals), false),
            "Bool" => (Family::Bool, false),
            "BinaryEquals" => (Family::BinaryEquals, false),
            "IpAddress" => (Family::IpAddress, false),
            "NotIpAddress" => (Family::IpAddress, true),
            "ArnEquals" | "ArnLike" => (Family::Arn, false),
            "ArnNotEquals" | "ArnNotLike" => (Family::Arn, true),
            "Null" => (Family::Null, false),
            _ => return None,
        };
        // NullIfExists is read (IfExists means nothing there; the lint reports it as an
        // error, as Access Analyzer does); a set qualifier on Null is not an operator.
        if family == Family::Null && qualifier != Qualifier::None {
            return None;
        }
        Some(Operator {
            qualifier,
            family,
            negated,
            if_exists,
        })
    }
}

/// Seconds since 1970 from an ISO 8601 date (`2026-01-31`, `2026-01-31T12:00:00Z`, with
/// optional fraction and `+hh:mm` offset) or epoch seconds.
pub fn parse_date(text: &str) -> Option<i64> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().ok();
    }
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date, time) = t.split_once(['T', 't', ' ']).unwrap_or((t, "00:00:00Z"));
    // W3C ISO 8601 allows a month without a day (YYYY-MM): its first day.
    let mut d = date.splitn(3, '-');
    let (y, m) = (num(d.next()?)?, num(d.next()?)?);
    let day = d.next().map_or(Some(1), num)?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || !(0..=9999).contains(&y) {
        return None;
    }
    if day < 1 || day > month_days[(m - 1) as usize] {
        return None;
    }
    let (clock, offset) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, o) = time.split_at(i);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let (oh, om) = o[1..].split_once(':').unwrap_or((&o[1..], "0"));
        let (oh, om) = (num(oh)?, num(om)?);
        // UTC offsets run from -12:00 to +14:00.
        if oh > 14 || om > 59 {
            return None;
        }
        (c, sign * (oh * 3600 + om * 60))
    } else {
        (time, 0)
    };
    let clock = clock.split('.').next()?;
    let mut c = clock.splitn(3, ':');
    let h = num(c.next()?)?;
    let mi = c.next().map_or(Some(0), num)?;
    let s = c.next().map_or(Some(0), num)?;
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s - offset)
}

/// Compares two decimal numbers exactly (`-?digits(.digits)?`, the form IAM's numeric
/// operators take), without converting to binary floats: `0.1` equals `0.10`, and
/// `9007199254740993` is greater than `9007199254740992`. `None` when either is not such a
/// number.
pub fn decimal_cmp(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    fn read(t: &str) -> Option<(bool, &str, &str)> {
        let t = t.trim();
        let (neg, body) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty()
            || !digits(int)
            || !digits(frac)
            || (body.contains('.') && frac.is_empty())
        {
            return None;
        }
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        // -0 is 0.
        let neg = neg && !(int.is_empty() && frac.is_empty());
        Some((neg, int, frac))
    }
    let (an, ai, af) = read(a)?;
    let (bn, bi, bf) = read(b)?;
    let magnitude = ai
        .len()
        .cmp(&bi.len())
        .then_with(|| ai.cmp(bi))
        .then_with(|| af.cmp(bf));
    Some(match (an, bn) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
    })
}

fn compare<T: PartialOrd>(cmp: Cmp, request: T, policy: T) -> bool {
    match cmp {
        Cmp::Equals => request == policy,
        Cmp::LessThan => request < policy,
        Cmp::LessThanEquals => request <= policy,
        Cmp::GreaterThan => request > policy,
        Cmp::GreaterThanEquals => request >= policy,
    }
}

/// Whether one request value matches one policy value under the operator's family
/// (before negation). Values that cannot be read as the family's type do not match.
fn matches_one(family: Family, request: &str, policy: &str) -> bool {
    match family {
        Family::StringEquals => request == policy,
        Family::StringEqualsIgnoreCase => request.eq_ignore_ascii_case(policy),
        Family::StringLike => wildcard(policy, request, false),
        Family::Numeric(c) => match decimal_cmp(request, policy) {
            Some(o) => compare(c, o, std::cmp::Ordering::Equal),
            None => false,
        },
        Family::Date(c) => match (parse_date(request), parse_date(policy)) {
            (Some(a), Some(b)) => compare(c, a, b),
            _ => false,
        },
        Family::Bool => request.eq_ignore_ascii_case(policy),
        Family::BinaryEquals => request == policy,
        Family::IpAddress => {
            match (
                crate::core::cidr::Addr::parse(request.trim()),
                crate::core::cidr::Block::parse(policy),
            ) {
                (Ok(a), Ok(b)) => b.block.contains_addr(a),
                _ => false,
            }
        }
        Family::Arn => arn_like(policy, request),
        Family::Null => false,
    }
}

/// The outcome of one clause, with the reason in words when it fails.
pub fn evaluate(
    clause: &super::policy::Clause,
    ctx: &Context,
    variables: bool,
) -> Result<(), String> {
    let Some(op) = Operator::parse(&clause.operator) else {
        return Err(format!("{} is not a condition operator", clause.operator));
    };
    // Patterns (StringLike, ArnLike) keep `${*}` and substituted values literal. Variables
    // are substituted in string and ARN operators only (IAM User Guide, "Policy variables":
    // "in string comparisons … and ARN comparisons"); elsewhere `${…}` is plain text.
    let pattern = matches!(op.family, Family::StringLike | Family::Arn);
    let variables = variables
        && matches!(
            op.family,
            Family::StringEquals
                | Family::StringEqualsIgnoreCase
                | Family::StringLike
                | Family::Arn
        );
    let mut values: Vec<std::borrow::Cow<str>> = Vec::with_capacity(clause.values.len());
    for v in &clause.values {
        let value = match (variables, pattern) {
            (false, _) => Some(std::borrow::Cow::Borrowed(v.as_str())),
            (true, true) => substitute_pattern(v, ctx),
            (true, false) => substitute(v, ctx),
        };
        // A variable without a value and no default: the clause cannot hold (a negated
        // operator must not become true by losing its only value).
        match value {
            Some(x) => values.push(x),
            None => {
                return Err(format!(
                    "{} {}: {v} uses a policy variable the request has no value for",
                    clause.operator, clause.key
                ))
            }
        }
    }
    let request = ctx.get(&clause.key);
    let shown = || {
        request
            .map(|r| format!("[{}]", r.join(", ")))
            .unwrap_or_else(|| "missing".into())
    };
    let wants = || values.join(", ");
    if op.family == Family::Null {
        let absent = request.is_none_or(|v| v.is_empty());
        let want_absent = values.iter().any(|v| v.eq_ignore_ascii_case("true"));
        return if absent == want_absent {
            Ok(())
        } else {
            Err(format!(
                "Null {} wants it {}; it is {}",
                clause.key,
                if want_absent { "absent" } else { "present" },
                if absent { "absent" } else { "present" }
            ))
        };
    }
    // A single value matches the clause when it matches any policy value (negated: none).
    let one = |r: &str| {
        let any = values.iter().any(|p| matches_one(op.family, r, p.as_ref()));
        any != op.negated
    };
    let ok = match (op.qualifier, request) {
        (_, None) if op.if_exists => true,
        (Qualifier::ForAllValues, None) => true,
        (Qualifier::ForAllValues, Some(r)) => r.iter().all(|x| one(x)),
        (Qualifier::ForAnyValue, None) => false,
        (Qualifier::ForAnyValue, Some(r)) => r.iter().any(|x| one(x)),
        (Qualifier::None, None) => op.negated,
        (Qualifier::None, Some(r)) if op.negated => r.iter().all(|x| one(x)),
        (Qualifier::None, Some(r)) => r.iter().any(|x| one(x)),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{} {}: the request has {}, the policy {} {}",
            clause.operator,
            clause.key,
            shown(),
            if op.negated { "excludes" } else { "wants" },
            wants()
        ))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::iam::policy::Clause;

    fn clause(op: &str, key: &str, values: &[&str]) -> Clause {
        Clause {
            operator: op.into(),
            key: key.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn ok(op: &str, key: &str, values: &[&str], ctx: &Context) -> bool {
        evaluate(&clause(op, key, values), ctx, true).is_ok()
    }

    #[test]
    fn operators() {
        let mut c = Context::default();
        c.set("aws:username", &["alice"]);
        c.set("s3:max-keys", &["10"]);
        c.set("aws:SourceIp", &["203.0.113.7"]);
        c.set("aws:CurrentTime", &["2026-11-29T12:00:00Z"]);
        c.set("aws:MultiFactorAuthPresent", &["true"]);
        c.set("aws:SourceArn", &["arn:aws:s3:::photos"]);
        assert!(
            ok("StringEquals", "aws:username", &["bob", "alice"], &c),
            "OR across values"
        );
        assert!(
            ok("StringEquals", "AWS:UserName", &["alice"], &c),
            "keys ignore case"
        );
        assert!(!ok("StringEquals", "aws:username", &["Alice"], &c));
        assert!(ok("StringEqualsIgnoreCase", "aws:username", &["ALICE"], &c));
        assert!(ok("StringLike", "aws:username", &["a*"], &c));
        assert!(ok("StringNotEquals", "aws:username", &["bob"], &c));
        assert!(ok("NumericLessThanEquals", "s3:max-keys", &["10"], &c));
        assert!(!ok("NumericLessThan", "s3:max-keys", &["10"], &c));
        assert!(ok("IpAddress", "aws:SourceIp", &["203.0.113.0/24"], &c));
        assert!(ok("NotIpAddress", "aws:SourceIp", &["198.51.100.0/24"], &c));
        assert!(ok("DateLessThan", "aws:CurrentTime", &["2027-01-01"], &c));
        assert!(
            ok("DateGreaterThan", "aws:CurrentTime", &["1795953000"], &c),
            "epoch seconds"
        );
        assert!(ok("Bool", "aws:MultiFactorAuthPresent", &["TRUE"], &c));
        assert!(ok("ArnLike", "aws:SourceArn", &["arn:aws:s3:::*"], &c));
        assert!(ok(
            "ArnNotEquals",
            "aws:SourceArn",
            &["arn:aws:s3:::other"],
            &c
        ));
        // Missing keys: positive false, negated true, IfExists true; Null tests presence.
        assert!(!ok("StringEquals", "aws:PrincipalTag/team", &["red"], &c));
        assert!(ok("StringNotEquals", "aws:PrincipalTag/team", &["red"], &c));
        assert!(ok(
            "StringEqualsIfExists",
            "aws:PrincipalTag/team",
            &["red"],
            &c
        ));
        assert!(ok("Null", "aws:PrincipalTag/team", &["true"], &c));
        assert!(!ok("Null", "aws:username", &["true"], &c));
        // Policy variables in values.
        assert!(ok("StringEquals", "aws:username", &["${aws:username}"], &c));
        assert!(Operator::parse("ForAllValues:Null").is_none());
        assert!(
            ok("NullIfExists", "aws:PrincipalTag/team", &["true"], &c),
            "IfExists means nothing for Null"
        );
        assert!(Operator::parse("ForAnyValue:StringNotLikeIfExists").is_some());
    }

    #[test]
    fn set_operators() {
        let mut c = Context::default();
        c.set("dynamodb:Attributes", &["ID", "Message"]);
        let allowed = ["ID", "Message", "Tags"];
        assert!(ok(
            "ForAllValues:StringEquals",
            "dynamodb:Attributes",
            &allowed,
            &c
        ));
        c.set("dynamodb:Attributes", &["ID", "Secret"]);
        assert!(!ok(
            "ForAllValues:StringEquals",
            "dynamodb:Attributes",
            &allowed,
            &c
        ));
        assert!(ok(
            "ForAnyValue:StringEquals",
            "dynamodb:Attributes",
            &allowed,
            &c
        ));
        // IAM User Guide: ForAllValues with the key absent (or empty) is true; ForAnyValue false.
        let empty = Context::default();
        assert!(ok(
            "ForAllValues:StringEquals",
            "dynamodb:Attributes",
            &allowed,
            &empty
        ));
        assert!(!ok(
            "ForAnyValue:StringEquals",
            "dynamodb:Attributes",
            &allowed,
            &empty
        ));
        c.set("aws:TagKeys", &[]);
        assert!(ok("ForAllValues:StringEquals", "aws:TagKeys", &["a"], &c));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-11-29T12:00:00Z"), Some(1_795_953_600));
        assert_eq!(parse_date("2026-11-29T13:00:00+01:00"), Some(1_795_953_600));
        assert_eq!(parse_date("2026-11-29T12:00:00.123Z"), Some(1_795_953_600));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2026-02-31"), None);
        assert!(parse_date("2024-02-29").is_some());
        assert_eq!(parse_date("2026-01-01T00:00:00+9999999999999999:00"), None);
        assert_eq!(parse_date("2026-01-01T00:00:00+15:00"), None);
        // A month alone is its first day (W3C ISO 8601 "YYYY-MM").
        assert_eq!(parse_date("2026-11"), parse_date("2026-11-01"));
    }

    #[test]
    fn numbers_compare_exactly_as_decimals() {
        use std::cmp::Ordering::*;
        assert_eq!(decimal_cmp("0.1", "0.10"), Some(Equal));
        assert_eq!(decimal_cmp("-0", "0"), Some(Equal));
        assert_eq!(decimal_cmp("007", "7"), Some(Equal));
        // Beyond f64's 53-bit mantissa the two differ.
        assert_eq!(
            decimal_cmp("9007199254740993", "9007199254740992"),
            Some(Greater)
        );
        assert_eq!(decimal_cmp("-2.5", "-2.25"), Some(Less));
        assert_eq!(decimal_cmp("-1", "0.5"), Some(Less));
        assert_eq!(decimal_cmp("10", "9.99"), Some(Greater));
        for bad in ["1e3", "", "1.", ".5", "+1", "0x10", "NaN", "1 000"] {
            assert_eq!(decimal_cmp(bad, "1"), None, "{bad}");
        }
        let mut c = Context::default();
        c.set("s3:max-keys", &["10"]);
        assert!(ok("NumericLessThanEquals", "s3:max-keys", &["10.0"], &c));
        assert!(!ok("NumericLessThan", "s3:max-keys", &["1e2"], &c));
    }

    #[test]
    fn variables_only_in_string_and_arn_operators() {
        let mut c = Context::default();
        c.set("aws:username", &["7"]);
        c.set("s3:max-keys", &["7"]);
        c.set("s3:prefix", &["home/7/"]);
        assert!(ok(
            "StringLike",
            "s3:prefix",
            &["home/${aws:username}/"],
            &c
        ));
        // In a numeric operator "${aws:username}" is text, not a number: no match.
        assert!(!ok(
            "NumericEquals",
            "s3:max-keys",
            &["${aws:username}"],
            &c
        ));
    }
}
