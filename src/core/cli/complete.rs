//! Tab completion: the shell's commands, then `aws` services, operations, waiters, the
//! operation's options and global options, and values the console knows (`--output`
//! formats, instance ids, image ids, subnets, instance types, security groups).

use super::commands::{service, GLOBALS, SERVICES, WAITERS};
use super::format::Format;
use super::Console;
use crate::core::services::ec2::compute::catalog::{IMAGES, INSTANCE_TYPES};

const SHELL: &[&str] = &[
    "aws", "cat", "clear", "curl", "date", "echo", "env", "exit", "export", "help", "history",
    "hostname", "ls", "pwd", "sleep", "ssh", "sudo", "unset", "whoami",
];

/// Completions for the last word of `line`: the candidates that extend it, sorted. The
/// page fills in their common prefix, or lists them.
pub fn complete(c: &Console, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let ends_blank = line.is_empty() || line.ends_with(char::is_whitespace);
    let current = if ends_blank {
        ""
    } else {
        words.last().copied().unwrap_or("")
    };
    let before: Vec<&str> = if ends_blank {
        words.clone()
    } else {
        words[..words.len().saturating_sub(1)].to_vec()
    };
    let candidates: Vec<String> = match before.as_slice() {
        [] => SHELL.iter().map(|s| s.to_string()).collect(),
        ["aws"] => SERVICES
            .iter()
            .map(|s| s.name.to_string())
            .chain(["help".to_string()])
            .collect(),
        ["aws", svc] => service(svc)
            .map(|s| s.ops.iter().map(|o| o.name.to_string()).collect())
            .unwrap_or_default(),
        ["aws", "ec2", "wait"] => WAITERS.iter().map(|(n, _)| n.to_string()).collect(),
        ["aws", svc, op, ..] => {
            let last = before.last().copied().unwrap_or("");
            match values(c, last) {
                Some(v) => v,
                None => {
                    let mut opts: Vec<String> =
                        GLOBALS.iter().map(|(n, _, _)| n.to_string()).collect();
                    let op = if *op == "wait" {
                        None
                    } else {
                        service(svc).and_then(|s| s.op(op))
                    };
                    if let Some(op) = op {
                        for p in op.params {
                            if matches!(p.kind, super::args::Kind::Paths(_)) {
                                continue;
                            }
                            opts.push(p.name.to_string());
                            if p.kind == super::args::Kind::Flag {
                                opts.push(p.name.replacen("--", "--no-", 1));
                            }
                        }
                    } else if *svc == "ec2" {
                        opts.push("--instance-ids".into());
                        opts.push("--filters".into());
                    }
                    opts
                }
            }
        }
        _ => Vec::new(),
    };
    let mut out: Vec<String> = candidates
        .into_iter()
        .filter(|x| x.starts_with(current))
        .collect();
    out.sort();
    out.dedup();
    out
}

fn values(c: &Console, option: &str) -> Option<Vec<String>> {
    let n = &c.account.ec2;
    Some(match option {
        "--output" => Format::NAMES.iter().map(|s| s.to_string()).collect(),
        "--instance-ids" | "--instance-id" => n.instances.iter().map(|i| i.id.clone()).collect(),
        "--image-id" | "--image-ids" => IMAGES.iter().map(|i| i.id.to_string()).collect(),
        "--instance-type" | "--instance-types" => {
            INSTANCE_TYPES.iter().map(|t| t.name.to_string()).collect()
        }
        "--subnet-id" | "--subnet-ids" => n.subnets.iter().map(|s| s.id.clone()).collect(),
        "--security-group-ids" | "--group-ids" | "--groups" => {
            n.groups.iter().map(|g| g.id.clone()).collect()
        }
        "--vpc-ids" => n.vpcs.iter().map(|v| v.id.clone()).collect(),
        "--http-tokens" => vec!["optional".into(), "required".into()],
        "--http-endpoint" => vec!["disabled".into(), "enabled".into()],
        "--role-name" => c
            .flow
            .access
            .identity_specs()
            .into_iter()
            .filter(|i| i.kind == crate::core::flow::IdentityKind::Role)
            .map(|i| i.name)
            .collect(),
        "--policy-arn" => super::commands::MANAGED_POLICIES
            .iter()
            .map(|(n, _)| format!("{}{n}", crate::core::flow::AWS_MANAGED))
            .collect(),
        "--region" => vec!["us-east-1".into(), "us-west-2".into(), "eu-west-1".into()],
        _ => return None,
    })
}

/// The longest prefix the candidates share (what Tab inserts).
pub fn common_prefix(cands: &[String]) -> String {
    let Some(first) = cands.first() else {
        return String::new();
    };
    let mut len = first.len();
    for c in &cands[1..] {
        len = len.min(
            first
                .bytes()
                .zip(c.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    first[..len].to_string()
}
