//! The `aws` command line: services, operations and their options as data, parsed the way
//! the AWS CLI v2 parses them, with its usage errors (exit code 252) word for word
//! (`awscli/clidriver.py`, `awscli/argparser.py`).

use std::collections::BTreeMap;

/// How an option takes its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One word.
    Str,
    /// An integer.
    Int,
    /// One or more words, up to the next option.
    List,
    /// `--x` sets true, `--no-x` false.
    Flag,
    /// Shorthand structures (`Name=a,Values=b,c`) or JSON, one or more.
    Structs,
    /// Positional words (`aws s3 cp <from> <to>`): up to this many, in order; a required
    /// one needs them all (argparse's `nargs`).
    Paths(u8),
}

/// An option of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// `--instance-ids`.
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// One line of help.
    pub doc: &'static str,
}

/// An operation (`describe-instances`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    pub name: &'static str,
    /// The API operation (`DescribeInstances`): the table output's title and the error
    /// message's operation.
    pub api: &'static str,
    pub doc: &'static str,
    pub params: &'static [Param],
}

/// A service (`ec2`) and its operations, in the order `help` lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Service {
    pub name: &'static str,
    pub doc: &'static str,
    pub ops: &'static [Op],
}

impl Service {
    pub fn op(&self, name: &str) -> Option<&'static Op> {
        self.ops.iter().find(|o| o.name == name)
    }
}

/// A parsed option value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Int(i64),
    List(Vec<String>),
    Flag(bool),
}

/// An operation's options as given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args(pub BTreeMap<&'static str, Value>);

impl Args {
    pub fn str(&self, name: &str) -> Option<&str> {
        match self.0.get(name) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.0.get(name) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }
    pub fn list(&self, name: &str) -> Vec<String> {
        match self.0.get(name) {
            Some(Value::List(l)) => l.clone(),
            Some(Value::Str(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.0.get(name) {
            Some(Value::Flag(b)) => Some(*b),
            _ => None,
        }
    }
}

/// A failure before any call: the text for standard error and the exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Usage {
    pub stderr: String,
    pub code: i32,
}

/// The exit codes of the AWS CLI v2 ("Command line return codes").
pub mod rc {
    /// Parsing or parameter validation failed.
    pub const USAGE: i32 = 252;
    /// Configuration: no region, no credentials.
    pub const CONFIG: i32 = 253;
    /// The service answered with an error.
    pub const SERVICE: i32 = 254;
    /// Anything else (an unknown profile, a waiter that gave up).
    pub const GENERAL: i32 = 255;
}

const USAGE_TEXT: &str = "aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n";

/// An argparse error as the CLI prints it: the usage block, then `aws: error: …`.
pub fn usage_error(message: &str) -> Usage {
    Usage {
        stderr: format!("\nusage: {USAGE_TEXT}\naws: error: {message}\n\n"),
        code: rc::USAGE,
    }
}

/// Leftover options: `Unknown options: --foo, bar`.
pub fn unknown_options(left: &[String]) -> Usage {
    Usage {
        stderr: format!(
            "\nusage: {USAGE_TEXT}\nUnknown options: {}\n\n",
            left.join(", ")
        ),
        code: rc::USAGE,
    }
}

/// "Invalid choice" for `what` (`command`, `operation`), listing the choices two per row
/// (each padded to 40 columns) and the close matches.
pub fn invalid_choice(what: &str, value: &str, choices: &[&str]) -> Usage {
    let mut all: Vec<&str> = choices.to_vec();
    all.push("help");
    let mut parts = vec!["Invalid choice, valid choices are:\n".to_string()];
    for pair in all.chunks(2) {
        parts.push(match pair {
            [a, b] => format!("{a:<40} | {b:<40}"),
            [a] => format!("{a:<40}"),
            _ => String::new(),
        });
    }
    let close = close_matches(value, &all);
    if !close.is_empty() {
        parts.push(format!("\n\nInvalid choice: '{value}', maybe you meant:\n"));
        for c in close {
            parts.push(format!("  * {c}"));
        }
    }
    usage_error(&format!("argument {what}: {}", parts.join("\n")))
}

/// Up to three choices at least 80% similar to `word` (difflib's ratio: twice the matched
/// characters over the total), best first.
pub fn close_matches<'a>(word: &str, choices: &[&'a str]) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = choices
        .iter()
        .map(|c| (ratio(word, c), *c))
        .filter(|(r, _)| *r >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Ratcliff/Obershelp similarity, as Python's `difflib.SequenceMatcher.ratio`.
fn ratio(a: &str, b: &str) -> f64 {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * matched(&a, &b) as f64 / (a.len() + b.len()) as f64
}

fn matched(a: &[char], b: &[char]) -> usize {
    // The longest common block, then the same on each side of it.
    let (mut best, mut ai, mut bi) = (0, 0, 0);
    for i in 0..a.len() {
        for j in 0..b.len() {
            let mut k = 0;
            while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                k += 1;
            }
            if k > best {
                (best, ai, bi) = (k, i, j);
            }
        }
    }
    if best == 0 {
        return 0;
    }
    best + matched(&a[..ai], &b[..bi]) + matched(&a[ai + best..], &b[bi + best..])
}

/// Parses an operation's options from `args` (global options already taken out).
pub fn parse(op: &Op, args: &[String]) -> Result<Args, Usage> {
    let mut out = Args::default();
    let mut unknown = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let negated = name.strip_prefix("--no-").map(|n| format!("--{n}"));
        let param = op
            .params
            .iter()
            .find(|p| p.name == name && !matches!(p.kind, Kind::Paths(_)))
            .or_else(|| {
                let n = negated.as_deref()?;
                op.params
                    .iter()
                    .find(|p| p.name == n && p.kind == Kind::Flag)
            });
        let Some(p) = param else {
            let positional = op.params.iter().find_map(|p| match p.kind {
                Kind::Paths(n) if !a.starts_with("--") => Some((p.name, n)),
                _ => None,
            });
            match positional {
                Some((name, n)) if out.list(name).len() < n as usize => {
                    let mut v = out.list(name);
                    v.push(a.clone());
                    out.0.insert(name, Value::List(v));
                }
                _ => unknown.push(a.clone()),
            }
            i += 1;
            continue;
        };
        i += 1;
        let mut take_values = |many: bool| -> Vec<String> {
            let mut v = Vec::new();
            if let Some(x) = &inline {
                v.push(x.clone());
                return v;
            }
            while i < args.len() && !(args[i].starts_with("--") && args[i].len() > 2) {
                v.push(args[i].clone());
                i += 1;
                if !many {
                    break;
                }
            }
            v
        };
        let value = match p.kind {
            Kind::Flag => {
                if let Some(v) = &inline {
                    return Err(usage_error(&format!(
                        "argument {}: ignored explicit argument '{v}'",
                        p.name
                    )));
                }
                Value::Flag(negated.is_none())
            }
            Kind::Str => match take_values(false).pop() {
                Some(v) => Value::Str(v),
                None => {
                    return Err(usage_error(&format!(
                        "argument {}: expected one argument",
                        p.name
                    )))
                }
            },
            Kind::Int => {
                let Some(v) = take_values(false).pop() else {
                    return Err(usage_error(&format!(
                        "argument {}: expected one argument",
                        p.name
                    )));
                };
                match v.trim().parse::<i64>() {
                    Ok(n) => Value::Int(n),
                    Err(_) => {
                        return Err(Usage {
                            stderr: format!("\nError parsing parameter '{}': invalid literal for int() with base 10: '{v}'\n", p.name),
                            code: rc::USAGE,
                        })
                    }
                }
            }
            Kind::Paths(_) => {
                // A positional's name is not an option (`--paths`): an unknown option.
                unknown.push(a.clone());
                continue;
            }
            Kind::List | Kind::Structs => {
                let v = take_values(true);
                if v.is_empty() {
                    return Err(usage_error(&format!(
                        "argument {}: expected at least one argument",
                        p.name
                    )));
                }
                Value::List(v)
            }
        };
        out.0.insert(p.name, value);
    }
    if !unknown.is_empty() {
        return Err(unknown_options(&unknown));
    }
    let missing: Vec<&str> = op
        .params
        .iter()
        .filter(|p| {
            p.required
                && match p.kind {
                    Kind::Paths(n) => out.list(p.name).len() < n as usize,
                    _ => !out.0.contains_key(p.name),
                }
        })
        .map(|p| p.name)
        .collect();
    if !missing.is_empty() {
        return Err(usage_error(&format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    Ok(out)
}

/// A list option's words: each word, or the items of a JSON list (`["i-1","i-2"]`).
pub fn words_or_json(values: &[String]) -> Vec<String> {
    if let [one] = values {
        if one.trim_start().starts_with('[') {
            if let Ok(serde_json::Value::Array(items)) =
                serde_json::from_str::<serde_json::Value>(one)
            {
                return items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect();
            }
        }
    }
    values.to_vec()
}

/// Shorthand syntax (`Name=instance-state-name,Values=running,stopped`): keys and their
/// values; a value list runs until the next `Key=`. JSON objects are read too. The error is
/// the CLI's "Error parsing parameter" text.
pub fn shorthand(param: &str, text: &str) -> Result<Vec<(String, Vec<String>)>, Usage> {
    let fail = |why: &str| Usage {
        stderr: format!("\nError parsing parameter '{param}': {why}: {text}\n"),
        code: rc::USAGE,
    };
    let t = text.trim();
    if t.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(t)
            .map_err(|e| fail(&format!("Invalid JSON: {e}\nJSON received")))?;
        let obj = v
            .as_object()
            .ok_or_else(|| fail("Expected a JSON object"))?;
        return Ok(obj
            .iter()
            .map(|(k, v)| {
                let vals = match v {
                    serde_json::Value::Array(a) => a
                        .iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                        .collect(),
                    serde_json::Value::String(s) => vec![s.clone()],
                    other => vec![other.to_string()],
                };
                (k.clone(), vals)
            })
            .collect());
    }
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for piece in t.split(',') {
        match piece.split_once('=') {
            Some((k, v))
                if !k.is_empty()
                    && k.chars().all(|c| {
                        c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':' || c == '.'
                    }) =>
            {
                out.push((k.to_string(), vec![v.to_string()]));
            }
            _ => match out.last_mut() {
                Some((_, vals)) => vals.push(piece.to_string()),
                None => return Err(fail("Expected: '=', received: 'EOF' for input")),
            },
        }
    }
    if out.is_empty() {
        return Err(fail("Expected: '=', received: 'EOF' for input"));
    }
    Ok(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const OP: Op = Op {
        name: "terminate-instances",
        api: "TerminateInstances",
        doc: "",
        params: &[
            Param {
                name: "--instance-ids",
                kind: Kind::List,
                required: true,
                doc: "",
            },
            Param {
                name: "--dry-run",
                kind: Kind::Flag,
                required: false,
                doc: "",
            },
            Param {
                name: "--count",
                kind: Kind::Int,
                required: false,
                doc: "",
            },
        ],
    };

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn options_parse_as_the_cli_parses_them() {
        let a = parse(&OP, &args("--instance-ids i-1 i-2 --no-dry-run --count 3")).unwrap();
        assert_eq!(a.list("--instance-ids"), ["i-1", "i-2"]);
        assert_eq!(a.flag("--dry-run"), Some(false));
        assert_eq!(a.int("--count"), Some(3));
        let a = parse(&OP, &args("--instance-ids=i-9 --dry-run")).unwrap();
        assert_eq!(
            (a.list("--instance-ids"), a.flag("--dry-run")),
            (vec!["i-9".to_string()], Some(true))
        );
        assert_eq!(
            words_or_json(&[r#"["i-1", "i-2"]"#.to_string()]),
            ["i-1", "i-2"]
        );
    }

    #[test]
    fn usage_errors_word_for_word() {
        let e = parse(&OP, &[]).unwrap_err();
        assert_eq!(e.code, 252);
        assert_eq!(
            e.stderr,
            "\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\naws: error: the following arguments are required: --instance-ids\n\n"
        );
        assert!(parse(&OP, &args("--instance-ids"))
            .unwrap_err()
            .stderr
            .contains("aws: error: argument --instance-ids: expected at least one argument\n"));
        let e = parse(&OP, &args("--instance-ids i-1 --foo bar")).unwrap_err();
        assert!(
            e.stderr.ends_with("\nUnknown options: --foo, bar\n\n"),
            "{}",
            e.stderr
        );
        assert!(parse(&OP, &args("--instance-ids i-1 --count x"))
            .unwrap_err()
            .stderr
            .contains("Error parsing parameter '--count'"));
    }

    #[test]
    fn invalid_choices_list_the_valid_ones_and_the_close_match() {
        let e = invalid_choice(
            "operation",
            "describe-instance",
            &[
                "describe-instances",
                "describe-volumes",
                "terminate-instances",
            ],
        );
        let want = format!(
            "aws: error: argument operation: Invalid choice, valid choices are:\n\n{:<40} | {:<40}\n{:<40} | {:<40}\n\n\nInvalid choice: 'describe-instance', maybe you meant:\n\n  * describe-instances\n\n",
            "describe-instances", "describe-volumes", "terminate-instances", "help"
        );
        assert!(e.stderr.ends_with(&want), "{}", e.stderr);
        // difflib's ratio: 2 × 8 matched / 17 characters = 0.94.
        assert_eq!(
            close_matches("configur", &["configure", "ec2"]),
            ["configure"]
        );
        assert!(
            close_matches("ec3", &["ec2", "s3"]).is_empty(),
            "2 × 2 / 6 = 0.67 < 0.8"
        );
        assert!(close_matches("zzz", &["ec2"]).is_empty());
    }

    #[test]
    fn shorthand_and_json_structures() {
        assert_eq!(
            shorthand(
                "--filters",
                "Name=instance-state-name,Values=running,stopped"
            )
            .unwrap(),
            [
                ("Name".to_string(), vec!["instance-state-name".to_string()]),
                (
                    "Values".to_string(),
                    vec!["running".to_string(), "stopped".to_string()]
                )
            ]
        );
        assert_eq!(
            shorthand("--filters", r#"{"Name": "tag:Name", "Values": ["web"]}"#).unwrap()[1].1,
            ["web"]
        );
        assert_eq!(
            shorthand("--iam-instance-profile", "Name=s3access").unwrap()[0].1,
            ["s3access"]
        );
        let e = shorthand("--filters", "running").unwrap_err();
        assert!(e.stderr.contains("Error parsing parameter '--filters': Expected: '=', received: 'EOF' for input: running"));
    }
}
