//! The `aws` command: global options, the credential chain, and each operation: what it
//! sends through `Account::call` (IAM authorizes it; the account's trace records it) and
//! what it prints. Service errors print as the CLI prints them, with exit code 254.

use super::args::{self, invalid_choice, rc, usage_error, Args, Kind, Op, Param, Service, Usage};
use super::format::{render, Format};
use super::{host, query, Console, Dialog, Output};
use crate::core::account::{Caller, Request};
use crate::core::flow::{IdentityKind, IdentitySpec, ADMIN, AWS_MANAGED};
use crate::core::iam::{self, Decision, Named, Principal};
use crate::core::services::ec2::compute::{self, Attribute, Call, Filter, HttpTokens, RunRequest};
use crate::core::services::ec2::imds;
use crate::core::sim::{Arn, AwsError, Doc};
use crate::core::views::flow::scenario::MAX_IDENTITIES;

pub(super) const fn p(name: &'static str, kind: Kind, doc: &'static str) -> Param {
    Param {
        name,
        kind,
        required: false,
        doc,
    }
}

pub(super) const fn req(name: &'static str, kind: Kind, doc: &'static str) -> Param {
    Param {
        name,
        kind,
        required: true,
        doc,
    }
}

const DRY_RUN: Param = p(
    "--dry-run",
    Kind::Flag,
    "Check the permissions without making the call.",
);
const IDS: Param = req(
    "--instance-ids",
    Kind::List,
    "The instances (one or more ids).",
);

/// Every service the console knows, with its operations.
pub const SERVICES: &[Service] = &[
    Service {
        name: "configure",
        doc: "Set up the credentials and settings of a profile (~/.aws/credentials and ~/.aws/config).",
        ops: &[
            Op { name: "list", api: "List", doc: "Show where each setting of the profile comes from.", params: &[] },
            Op { name: "get", api: "Get", doc: "Print one setting: aws configure get region.", params: &[] },
            Op { name: "set", api: "Set", doc: "Write one setting: aws configure set region eu-west-1.", params: &[] },
        ],
    },
    Service {
        name: "ec2",
        doc: "Amazon EC2: instances, their images and types, and the network they run in.",
        ops: &[
            Op {
                name: "allocate-address",
                api: "AllocateAddress",
                doc: "Allocate an Elastic IP: a public IPv4 address that stays yours across stops.",
                params: &[p("--domain", Kind::Str, "vpc (the only kind)."), DRY_RUN],
            },
            Op {
                name: "associate-address",
                api: "AssociateAddress",
                doc: "Point an Elastic IP at an instance (its auto-assigned public address is released).",
                params: &[req("--allocation-id", Kind::Str, "The Elastic IP."), req("--instance-id", Kind::Str, "The instance."), DRY_RUN],
            },
            Op {
                name: "disassociate-address",
                api: "DisassociateAddress",
                doc: "Take an Elastic IP off its instance.",
                params: &[req("--association-id", Kind::Str, "eipassoc-… (from associate-address or describe-addresses)."), DRY_RUN],
            },
            Op {
                name: "release-address",
                api: "ReleaseAddress",
                doc: "Give an Elastic IP back (it must not be associated).",
                params: &[req("--allocation-id", Kind::Str, "The Elastic IP."), DRY_RUN],
            },
            Op {
                name: "describe-addresses",
                api: "DescribeAddresses",
                doc: "List the account's Elastic IPs and what they point at.",
                params: &[p("--allocation-ids", Kind::List, "Only these.")],
            },
            Op {
                name: "authorize-security-group-ingress",
                api: "AuthorizeSecurityGroupIngress",
                doc: "Let traffic in: a protocol, a port and a source CIDR (or another group).",
                params: &[
                    req("--group-id", Kind::Str, "The security group."),
                    p("--protocol", Kind::Str, "tcp, udp, icmp or -1 (all)."),
                    p("--port", Kind::Str, "A port or a range (22, 8000-8080)."),
                    p("--cidr", Kind::Str, "The source block (0.0.0.0/0 is everyone)."),
                    p("--source-group", Kind::Str, "Or: members of this group."),
                    DRY_RUN,
                ],
            },
            Op {
                name: "create-key-pair",
                api: "CreateKeyPair",
                doc: "Create a key pair: AWS keeps the public key, you get the private key once.",
                params: &[req("--key-name", Kind::Str, "The name."), p("--key-type", Kind::Str, "rsa or ed25519."), DRY_RUN],
            },
            Op {
                name: "delete-key-pair",
                api: "DeleteKeyPair",
                doc: "Delete a key pair (instances launched with it keep the key).",
                params: &[req("--key-name", Kind::Str, "The name."), DRY_RUN],
            },
            Op {
                name: "describe-images",
                api: "DescribeImages",
                doc: "List the AMIs of the catalog (Amazon Linux 2023, Ubuntu 24.04, Windows Server 2022).",
                params: &[p("--image-ids", Kind::List, "Only these images."), p("--owners", Kind::List, "Owners (accepted; the catalog is Amazon's and Canonical's).")],
            },
            Op {
                name: "describe-instance-types",
                api: "DescribeInstanceTypes",
                doc: "vCPUs, memory, architecture and On-Demand price of the instance types.",
                params: &[p("--instance-types", Kind::List, "Only these types.")],
            },
            Op {
                name: "describe-key-pairs",
                api: "DescribeKeyPairs",
                doc: "List the key pairs.",
                params: &[p("--key-names", Kind::List, "Only these.")],
            },
            Op {
                name: "describe-instances",
                api: "DescribeInstances",
                doc: "Describe instances, grouped by the reservation (launch) they came from.",
                params: &[p("--instance-ids", Kind::List, "Only these instances."), p("--filters", Kind::Structs, "Name=instance-state-name,Values=running …"), DRY_RUN],
            },
            Op {
                name: "describe-security-groups",
                api: "DescribeSecurityGroups",
                doc: "Describe the security groups and their rules.",
                params: &[p("--group-ids", Kind::List, "Only these groups.")],
            },
            Op {
                name: "describe-subnets",
                api: "DescribeSubnets",
                doc: "Describe the subnets (MapPublicIpOnLaunch: whether they route to an internet gateway).",
                params: &[p("--subnet-ids", Kind::List, "Only these subnets.")],
            },
            Op {
                name: "describe-vpcs",
                api: "DescribeVpcs",
                doc: "Describe the VPCs.",
                params: &[p("--vpc-ids", Kind::List, "Only these VPCs.")],
            },
            Op {
                name: "get-console-output",
                api: "GetConsoleOutput",
                doc: "The instance's console output: its boots and what its user data printed.",
                params: &[req("--instance-id", Kind::Str, "The instance."), p("--latest", Kind::Flag, "Accepted.")],
            },
            Op {
                name: "modify-instance-attribute",
                api: "ModifyInstanceAttribute",
                doc: "Change termination protection, the type or user data (stopped instances only) or the security groups.",
                params: &[
                    req("--instance-id", Kind::Str, "The instance."),
                    p("--disable-api-termination", Kind::Flag, "Turn termination protection on (--no-disable-api-termination: off)."),
                    p("--instance-type", Kind::Str, "New type: Value=t3.small (stopped instances only)."),
                    p("--user-data", Kind::Str, "New user data: Value=… (stopped instances only)."),
                    p("--groups", Kind::List, "New security groups."),
                    p("--attribute", Kind::Str, "instanceType, userData or disableApiTermination, with --value."),
                    p("--value", Kind::Str, "The attribute's new value."),
                    DRY_RUN,
                ],
            },
            Op {
                name: "modify-instance-metadata-options",
                api: "ModifyInstanceMetadataOptions",
                doc: "Require IMDSv2 tokens, change the hop limit or turn the metadata service off.",
                params: &[
                    req("--instance-id", Kind::Str, "The instance."),
                    p("--http-tokens", Kind::Str, "required or optional."),
                    p("--http-put-response-hop-limit", Kind::Int, "1 to 64."),
                    p("--http-endpoint", Kind::Str, "enabled or disabled."),
                    DRY_RUN,
                ],
            },
            Op {
                name: "reboot-instances",
                api: "RebootInstances",
                doc: "Restart the operating system of running instances (same addresses, same billing period).",
                params: &[IDS, DRY_RUN],
            },
            Op {
                name: "run-instances",
                api: "RunInstances",
                doc: "Launch instances from an AMI into a subnet.",
                params: &[
                    p("--image-id", Kind::Str, "The AMI (aws ec2 describe-images lists them)."),
                    p("--instance-type", Kind::Str, "t3.micro, t4g.micro … (default m1.small, which the catalog lacks)."),
                    p("--count", Kind::Str, "How many (or min:max); default 1."),
                    p("--subnet-id", Kind::Str, "The subnet (the account has no default VPC)."),
                    p("--security-group-ids", Kind::List, "Security groups (default: the VPC's default group)."),
                    p("--key-name", Kind::Str, "A key pair name, for ssh."),
                    p("--user-data", Kind::Str, "A script run once at the first boot (text, or file://script.sh)."),
                    p("--iam-instance-profile", Kind::Str, "Name=role: the role the instance's programs get credentials for."),
                    p("--disable-api-termination", Kind::Flag, "Launch with termination protection."),
                    p("--metadata-options", Kind::Str, "HttpTokens=required,HttpPutResponseHopLimit=2,HttpEndpoint=enabled."),
                    p("--hibernation-options", Kind::Str, "Configured=true to allow stop --hibernate."),
                    p("--associate-public-ip-address", Kind::Flag, "Give it a public IPv4 address (default: if the subnet is public)."),
                    p("--tag-specifications", Kind::List, "ResourceType=instance,Tags=[{Key=Name,Value=web}]."),
                    DRY_RUN,
                ],
            },
            Op {
                name: "start-instances",
                api: "StartInstances",
                doc: "Start stopped instances (pending, then running; a new public IPv4 address).",
                params: &[IDS, DRY_RUN],
            },
            Op {
                name: "stop-instances",
                api: "StopInstances",
                doc: "Stop running instances (the root volume keeps its data; the instance store does not).",
                params: &[IDS, p("--hibernate", Kind::Flag, "Hibernate: keep memory (the instance must be launched with hibernation)."), p("--force", Kind::Flag, "Accepted."), DRY_RUN],
            },
            Op {
                name: "terminate-instances",
                api: "TerminateInstances",
                doc: "Terminate instances (the root volume is deleted; they stay visible about an hour).",
                params: &[IDS, DRY_RUN],
            },
            Op {
                name: "wait",
                api: "Wait",
                doc: "Wait for instances to reach a state: instance-running, instance-stopped, instance-terminated (every 15 s, 40 times).",
                params: &[],
            },
        ],
    },
    Service {
        name: "ec2-instance-connect",
        doc: "Open a shell on an instance.",
        ops: &[Op {
            name: "ssh",
            api: "SSH",
            doc: "Connect to a running instance (its security group must let port 22 in).",
            params: &[req("--instance-id", Kind::Str, "The instance."), p("--os-user", Kind::Str, "The user (default: the AMI's).")],
        }],
    },
    Service {
        name: "iam",
        doc: "IAM roles and their policies, and the policy simulator.",
        ops: &[
            Op {
                name: "attach-role-policy",
                api: "AttachRolePolicy",
                doc: "Attach an AWS managed policy (AdministratorAccess, AmazonEC2ReadOnlyAccess, AmazonS3ReadOnlyAccess, ReadOnlyAccess).",
                params: &[req("--role-name", Kind::Str, "The role."), req("--policy-arn", Kind::Str, "arn:aws:iam::aws:policy/…")],
            },
            Op {
                name: "create-role",
                api: "CreateRole",
                doc: "Create a role (an instance can use it through an instance profile of the same name; the flow page's functions can run as it).",
                params: &[req("--role-name", Kind::Str, "The name."), req("--assume-role-policy-document", Kind::Str, "The trust policy (JSON or file://trust.json).")],
            },
            Op {
                name: "delete-role",
                api: "DeleteRole",
                doc: "Delete a role that has no policies left.",
                params: &[req("--role-name", Kind::Str, "The role.")],
            },
            Op {
                name: "delete-role-policy",
                api: "DeleteRolePolicy",
                doc: "Delete an inline policy of a role.",
                params: &[req("--role-name", Kind::Str, "The role."), req("--policy-name", Kind::Str, "The inline policy.")],
            },
            Op {
                name: "detach-role-policy",
                api: "DetachRolePolicy",
                doc: "Detach an AWS managed policy from a role.",
                params: &[req("--role-name", Kind::Str, "The role."), req("--policy-arn", Kind::Str, "arn:aws:iam::aws:policy/…")],
            },
            Op {
                name: "get-role",
                api: "GetRole",
                doc: "Describe a role.",
                params: &[req("--role-name", Kind::Str, "The role.")],
            },
            Op {
                name: "get-role-policy",
                api: "GetRolePolicy",
                doc: "An inline policy of a role, as written.",
                params: &[req("--role-name", Kind::Str, "The role."), req("--policy-name", Kind::Str, "The inline policy.")],
            },
            Op {
                name: "list-attached-role-policies",
                api: "ListAttachedRolePolicies",
                doc: "The AWS managed policies attached to a role.",
                params: &[req("--role-name", Kind::Str, "The role.")],
            },
            Op {
                name: "list-role-policies",
                api: "ListRolePolicies",
                doc: "The names of a role's inline policies.",
                params: &[req("--role-name", Kind::Str, "The role.")],
            },
            Op {
                name: "list-roles",
                api: "ListRoles",
                doc: "List the roles (the flow page's too: the sandbox account has one set).",
                params: &[],
            },
            Op {
                name: "put-role-policy",
                api: "PutRolePolicy",
                doc: "Add or replace an inline policy of a role.",
                params: &[req("--role-name", Kind::Str, "The role."), req("--policy-name", Kind::Str, "The policy's name."), req("--policy-document", Kind::Str, "The policy (JSON or file://policy.json).")],
            },
            Op {
                name: "simulate-custom-policy",
                api: "SimulateCustomPolicy",
                doc: "Evaluate policies for actions and resources without calling them.",
                params: &[req("--policy-input-list", Kind::List, "Identity-based policies (JSON or file://)."), req("--action-names", Kind::List, "Actions (s3:GetObject …)."), p("--resource-arns", Kind::List, "Resources (default *).")],
            },
        ],
    },
    Service {
        name: "sts",
        doc: "Security Token Service: who am I?",
        ops: &[Op {
            name: "get-caller-identity",
            api: "GetCallerIdentity",
            doc: "The account, user or role session the credentials belong to (needs no permission).",
            params: &[],
        }],
    },
    Service {
        name: "s3",
        doc: "Amazon S3, the high-level commands: list, make and remove buckets; copy and remove objects.",
        ops: super::s3::S3_OPS,
    },
    Service {
        name: "s3api",
        doc: "Amazon S3's API operations, one call each.",
        ops: super::s3::S3API_OPS,
    },
    Service {
        name: "sqs",
        doc: "Amazon SQS: queues, messages, visibility timeouts and dead-letter queues.",
        ops: super::serverless::SQS_OPS,
    },
    Service {
        name: "sns",
        doc: "Amazon SNS: topics, subscriptions (queues and functions) and filter policies.",
        ops: super::serverless::SNS_OPS,
    },
    Service {
        name: "lambda",
        doc: "AWS Lambda: list and invoke the account's functions (their code is the flow page's handler steps).",
        ops: super::serverless::LAMBDA_OPS,
    },
    Service {
        name: "dynamodb",
        doc: "Amazon DynamoDB: tables, items, queries and the capacity each call consumes.",
        ops: super::serverless::DYNAMODB_OPS,
    },
];

/// A service by name.
pub fn service(name: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.name == name)
}

/// The global options every command takes.
pub const GLOBALS: &[(&str, bool, &str)] = &[
    ("--output", true, "json, text, table or yaml."),
    (
        "--query",
        true,
        "A JMESPath expression applied to the output.",
    ),
    (
        "--region",
        true,
        "The Region to call (the account's resources are in us-east-1).",
    ),
    (
        "--profile",
        true,
        "A profile of ~/.aws/credentials and ~/.aws/config.",
    ),
    ("--debug", false, "Accepted."),
    ("--no-cli-pager", false, "Accepted (there is no pager)."),
    (
        "--no-paginate",
        false,
        "One call only: no pages gathered (DynamoDB Query and Scan page; other calls answer whole).",
    ),
    ("--color", true, "Accepted (output is plain)."),
    ("--version", false, "The CLI's version."),
];

#[derive(Default)]
struct Globals {
    output: Option<String>,
    query: Option<String>,
    region: Option<String>,
    profile: Option<String>,
    version: bool,
    no_paginate: bool,
}

fn take_globals(args: &[String]) -> Result<(Globals, Vec<String>), Usage> {
    let mut g = Globals::default();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a, None),
        };
        let Some((_, takes, _)) = GLOBALS.iter().find(|(n, _, _)| *n == name) else {
            rest.push(args[i].clone());
            i += 1;
            continue;
        };
        let value = if *takes {
            match inline.or_else(|| args.get(i + 1).cloned()) {
                Some(v) => {
                    if !a.contains('=') {
                        i += 1;
                    }
                    Some(v)
                }
                None => {
                    return Err(usage_error(&format!(
                        "argument {name}: expected one argument"
                    )))
                }
            }
        } else {
            None
        };
        match name {
            "--output" => {
                let v = value.unwrap_or_default();
                if Format::parse(&v).is_none() {
                    return Err(usage_error(&format!(
                        "argument --output: Invalid choice, valid choices are:\n\n{}",
                        Format::NAMES
                            .chunks(2)
                            .map(|c| c
                                .iter()
                                .map(|n| format!("{n:<40}"))
                                .collect::<Vec<_>>()
                                .join(" | "))
                            .collect::<Vec<_>>()
                            .join("\n")
                    )));
                }
                g.output = Some(v);
            }
            "--query" => g.query = value,
            "--region" => g.region = value,
            "--profile" => g.profile = value,
            "--version" => g.version = true,
            "--no-paginate" => g.no_paginate = true,
            _ => {}
        }
        i += 1;
    }
    Ok((g, rest))
}

/// Runs `aws …` (the words after `aws`).
pub fn aws(c: &mut Console, words: &[String]) -> Output {
    match run_aws(c, words) {
        Ok(o) => o,
        Err(u) => Output::err(u.stderr, u.code),
    }
}

fn names(s: &Service) -> Vec<&'static str> {
    s.ops.iter().map(|o| o.name).collect()
}

fn run_aws(c: &mut Console, words: &[String]) -> Result<Output, Usage> {
    let (g, rest) = take_globals(words)?;
    if g.version {
        return Ok(Output::ok(
            "aws-cli/2 (simulated by Stratus: no request leaves this page)\n",
        ));
    }
    let Some(svc_name) = rest.first() else {
        return Err(usage_error("the following arguments are required: command"));
    };
    if svc_name == "help" {
        return Ok(Output::ok(help_all()));
    }
    let Some(svc) = service(svc_name) else {
        let all: Vec<&str> = SERVICES.iter().map(|s| s.name).collect();
        return Err(invalid_choice("command", svc_name, &all));
    };
    if svc.name == "configure" {
        return configure(c, &g, &rest[1..]);
    }
    let Some(op_name) = rest.get(1) else {
        return Err(usage_error(
            "the following arguments are required: operation",
        ));
    };
    if op_name == "help" {
        return Ok(Output::ok(help_service(svc)));
    }
    let Some(op) = svc.op(op_name) else {
        return Err(invalid_choice("operation", op_name, &names(svc)));
    };
    if rest.get(2).map(String::as_str) == Some("help") {
        return Ok(Output::ok(help_op(svc, op)));
    }
    let (op_args, waiter) = if op.name == "wait" {
        let Some(w) = rest.get(2) else {
            return Err(usage_error(
                "the following arguments are required: subcommand",
            ));
        };
        if !WAITERS.iter().any(|(n, _)| n == w) {
            let all: Vec<&str> = WAITERS.iter().map(|(n, _)| *n).collect();
            return Err(invalid_choice("subcommand", w, &all));
        }
        (&rest[3..], Some(w.clone()))
    } else {
        (&rest[2..], None)
    };
    let spec = match waiter {
        Some(_) => &WAIT_OP,
        None => op,
    };
    let mut a = args::parse(spec, op_args)?;
    if g.no_paginate {
        // Handlers that page (DynamoDB Query and Scan) read the global option with theirs.
        a.0.insert("--no-paginate", args::Value::Flag(true));
    }
    let format = output_format(c, &g)?;
    let q = match &g.query {
        Some(expr) => Some(query::compile(expr).map_err(|e| Usage {
            stderr: format!("\n{e}\n"),
            code: rc::USAGE,
        })?),
        None => None,
    };
    if svc.name == "ec2-instance-connect" {
        let who = identity(c, &g)?;
        return Ok(host::instance_connect(c, &who, &a));
    }
    // The CLI's order: the profile (session), the Region (client), then the credentials
    // (signing the request).
    check_profile(c, &g)?;
    // IAM is global: it needs no Region.
    let region = if svc.name == "iam" {
        c.account.region.clone()
    } else {
        region(c, &g)?
    };
    let who = identity(c, &g)?;
    let raw_blobs = file_setting(c, "config", &profile_name(c, &g), "cli_binary_format").as_deref()
        == Some("raw-in-base64-out");
    let result = match (svc.name, waiter) {
        (_, Some(w)) => return Ok(wait(c, &who, &region, &w, &a)),
        // Signed on this computer: no request, nothing traced.
        ("s3", None) if op.name == "presign" => {
            let (secret, token) = signing_secret(c, &g);
            return super::s3::presign(c, &who, &secret, token.as_deref(), &region, &a);
        }
        ("s3", None) => {
            let out = super::s3::s3(c, &who, op, &a)?;
            let (code, text) = if out.code == 0 {
                (
                    crate::core::account::CALL_OK,
                    format!("aws s3 {} succeeded.", op.name),
                )
            } else {
                (
                    crate::core::account::CALL_REFUSED,
                    format!("aws s3 {} failed: {}", op.name, out.stderr.trim()),
                )
            };
            c.record(&who.caller, code, text);
            return Ok(out);
        }
        ("ec2", None) => ec2(c, &who, &region, op, &a),
        ("sts", None) => sts(c, &who),
        ("iam", None) => iam_op(c, &who, op, &a),
        ("s3api", None) => super::s3::s3api(c, &who, op, &a),
        ("sqs", None) => super::serverless::sqs(c, &who, &region, op, &a),
        ("sns", None) => super::serverless::sns(c, &who, &region, op, &a),
        ("lambda", None) => super::serverless::lambda(c, &who, &region, op, &a, raw_blobs),
        ("dynamodb", None) => super::serverless::dynamodb(c, &who, &region, op, &a),
        _ => Err(CallError::Service(AwsError::client(
            "InvalidAction",
            "Not modelled.",
        ))),
    };
    let paged = c.paged.take();
    match result {
        Ok(doc) => {
            if matches!(svc.name, "s3api" | "sqs" | "sns" | "lambda" | "dynamodb") {
                c.record(
                    &who.caller,
                    crate::core::account::CALL_OK,
                    format!("{} succeeded.", op.api),
                );
            }
            // Text prints a gathered call page by page, the query applied to each.
            if let (Some(paged), Format::Text) = (paged, format) {
                let token = paged
                    .next_token
                    .map(|t| Doc::obj([("NextToken", Doc::obj([("NextToken", Doc::from(t))]))]));
                let mut out = String::new();
                for page in paged.pages.into_iter().chain(token) {
                    let page = match &q {
                        Some(q) => q.search(&page).map_err(|e| Usage {
                            stderr: format!("\n{e}\n"),
                            code: rc::GENERAL,
                        })?,
                        None => page,
                    };
                    out.push_str(&render(&page, format, op.api));
                }
                return Ok(Output::ok(out));
            }
            let doc = match &q {
                Some(q) => q.search(&doc).map_err(|e| Usage {
                    stderr: format!("\n{e}\n"),
                    code: rc::GENERAL,
                })?,
                None => doc,
            };
            Ok(Output::ok(render(&doc, format, op.api)))
        }
        Err(CallError::Service(e)) => {
            // Calls the account's dispatcher did not run are recorded here (a denial was
            // recorded when it was decided).
            let by_account = svc.name == "ec2" && !op.name.contains("key-pair");
            // Each service's access-denied code (`serverless::allow` renames IAM's).
            let denied = matches!(
                e.code,
                "AccessDenied"
                    | "UnauthorizedOperation"
                    | "AuthorizationError"
                    | "AccessDeniedException"
            );
            if !by_account && !denied {
                c.record(
                    &who.caller,
                    crate::core::account::CALL_REFUSED,
                    e.cli(op.api),
                );
            }
            Ok(Output::err(format!("\n{}\n", e.cli(op.api)), rc::SERVICE))
        }
        Err(CallError::Usage(u)) => Err(u),
    }
}

/// Why a call printed no result.
pub enum CallError {
    /// The service answered with an error (254).
    Service(AwsError),
    /// The parameters could not be read (252).
    Usage(Usage),
}

impl From<AwsError> for CallError {
    fn from(e: AwsError) -> Self {
        CallError::Service(e)
    }
}

impl From<Usage> for CallError {
    fn from(u: Usage) -> Self {
        CallError::Usage(u)
    }
}

/// An INI file's sections (`[default]`, `[profile dev]` → `dev`) and their keys.
pub fn ini(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with(';') {
            continue;
        }
        if let Some(name) = l.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            let name = name.trim();
            let name = name.strip_prefix("profile ").unwrap_or(name).trim();
            out.push((name.to_string(), Vec::new()));
        } else if let (Some((k, v)), Some(last)) = (l.split_once('='), out.last_mut()) {
            last.1.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

/// A setting of the current machine's `~/.aws/<file>`.
fn file_setting(c: &Console, file: &str, profile: &str, key: &str) -> Option<String> {
    let text = host::read_file(c, &format!("~/.aws/{file}"))?;
    ini(&text)
        .into_iter()
        .find(|(p, _)| p == profile)?
        .1
        .into_iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

fn profile_name(c: &Console, g: &Globals) -> String {
    g.profile
        .clone()
        .or_else(|| c.env_var("AWS_PROFILE"))
        .unwrap_or_else(|| "default".into())
}

fn profile_exists(c: &Console, name: &str) -> bool {
    ["credentials", "config"].iter().any(|f| {
        host::read_file(c, &format!("~/.aws/{f}"))
            .is_some_and(|t| ini(&t).iter().any(|(p, _)| p == name))
    })
}

fn output_format(c: &Console, g: &Globals) -> Result<Format, Usage> {
    if let Some(o) = &g.output {
        return Ok(Format::parse(o).unwrap_or(Format::Json));
    }
    let profile = profile_name(c, g);
    match c
        .env_var("AWS_DEFAULT_OUTPUT")
        .or_else(|| file_setting(c, "config", &profile, "output"))
    {
        Some(o) => Format::parse(&o).ok_or(Usage {
            stderr: format!("\nUnknown output type: {o}\n"),
            code: rc::GENERAL,
        }),
        None => Ok(Format::Json),
    }
}

fn region(c: &Console, g: &Globals) -> Result<String, Usage> {
    let profile = profile_name(c, g);
    let region = g
        .region
        .clone()
        .or_else(|| c.env_var("AWS_REGION"))
        .or_else(|| c.env_var("AWS_DEFAULT_REGION"))
        .or_else(|| file_setting(c, "config", &profile, "region"))
        .or_else(|| {
            // On an instance the CLI falls back to the Region in the metadata service.
            c.host.as_ref().map(|_| c.account.region.clone())
        })
        .ok_or(Usage {
            stderr: "\nYou must specify a region. You can also configure your region by running \"aws configure\".\n".into(),
            code: rc::CONFIG,
        })?;
    if !region_shaped(&region) {
        // No such endpoint: the CLI cannot connect.
        return Err(Usage {
            stderr: format!("\nCould not connect to the endpoint URL: \"https://ec2.{region}.amazonaws.com/\"\n"),
            code: rc::GENERAL,
        });
    }
    Ok(region)
}

/// Whether a Region name has AWS's shape (`us-east-1`, `eu-central-2`, `us-gov-west-1`,
/// `ap-southeast-4`): an Availability Zone (`us-east-1a`) or a typo is not one.
pub fn region_shaped(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    let (first, last) = match (parts.first(), parts.last()) {
        (Some(f), Some(l)) if parts.len() >= 3 && parts.len() <= 4 => (f, l),
        _ => return false,
    };
    first.len() == 2
        && first.chars().all(|ch| ch.is_ascii_lowercase())
        && !last.is_empty()
        && last.chars().all(|ch| ch.is_ascii_digit())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_lowercase()))
}

/// Who the credentials belong to, and where they came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub caller: Caller,
    /// The credential chain's step that supplied them (`env`, `shared-credentials-file`,
    /// `config-file`, `iam-role`).
    pub source: &'static str,
    pub access_key: String,
    /// Why the keys are not accepted (an unknown key, a wrong secret), if they are not.
    pub refused: Option<AwsError>,
}

/// The credential chain, in the documented order.
pub fn credentials(c: &Console, g_profile: Option<&str>) -> Option<(&'static str, String, String)> {
    let profile = g_profile
        .map(str::to_string)
        .or_else(|| c.env_var("AWS_PROFILE"))
        .unwrap_or_else(|| "default".into());
    let from_files = || {
        for (file, source) in [
            ("credentials", "shared-credentials-file"),
            ("config", "config-file"),
        ] {
            if let (Some(k), Some(s)) = (
                file_setting(c, file, &profile, "aws_access_key_id"),
                file_setting(c, file, &profile, "aws_secret_access_key"),
            ) {
                return Some((source, k, s));
            }
        }
        None
    };
    // 1. A --profile on the command line names the profile to read, whatever the
    // environment holds.
    if g_profile.is_some() {
        return from_files();
    }
    // 2. Environment variables.
    if let (Some(k), Some(s)) = (
        c.env_var("AWS_ACCESS_KEY_ID"),
        c.env_var("AWS_SECRET_ACCESS_KEY"),
    ) {
        return Some(("env", k, s));
    }
    // 3–4. The credentials file, then the config file.
    if let Some(found) = from_files() {
        return Some(found);
    }
    // 5. Container credentials: none here. 6. The instance profile.
    let id = c.host.as_ref()?;
    let i = c.account.ec2.instance(id)?;
    let role = i.compute.role.as_ref()?;
    // IMDS hands out no credentials for a role EC2 may not assume or that is gone
    // (`imds::unassumable`).
    if !i.compute.metadata.endpoint_enabled
        || !c.flow.access.assumable_by(role, "ec2.amazonaws.com")
    {
        return None;
    }
    let (key, secret, _, _, _) = imds::credentials(id, role, i.compute.launch_ms, c.now());
    Some(("iam-role", key, secret))
}

/// The secret key the credential chain found, and the session token of temporary
/// credentials (an instance profile's), for signing a URL.
fn signing_secret(c: &Console, g: &Globals) -> (String, Option<String>) {
    match credentials(c, g.profile.as_deref()) {
        Some(("iam-role", _, secret)) => {
            let token = c.host.as_ref().and_then(|id| {
                let i = c.account.ec2.instance(id)?;
                let role = i.compute.role.as_ref()?;
                Some(imds::credentials(id, role, i.compute.launch_ms, c.now()).2)
            });
            (secret, token)
        }
        Some(("env", _, secret)) => (secret, c.env_var("AWS_SESSION_TOKEN")),
        Some((source, _, secret)) => {
            let file = if source == "config-file" {
                "config"
            } else {
                "credentials"
            };
            (
                secret,
                file_setting(c, file, &profile_name(c, g), "aws_session_token"),
            )
        }
        None => (String::new(), None),
    }
}

fn check_profile(c: &Console, g: &Globals) -> Result<(), Usage> {
    let named = g.profile.clone().or_else(|| c.env_var("AWS_PROFILE"));
    match &named {
        Some(p) if !profile_exists(c, p) => Err(Usage {
            stderr: format!("\nThe config profile ({p}) could not be found\n"),
            code: rc::GENERAL,
        }),
        _ => Ok(()),
    }
}

fn identity(c: &Console, g: &Globals) -> Result<Identity, Usage> {
    check_profile(c, g)?;
    let Some((source, key, secret)) = credentials(c, g.profile.as_deref()) else {
        return Err(Usage {
            stderr: "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n".into(),
            code: rc::CONFIG,
        });
    };
    let account = c.account.id.clone();
    if source == "iam-role" {
        let id = c.host.clone().unwrap_or_default();
        let role = c
            .account
            .ec2
            .instance(&id)
            .and_then(|i| i.compute.role.clone())
            .unwrap_or_default();
        let exists = c.role(&role).is_some();
        return Ok(Identity {
            caller: Caller::Principal(Principal::RoleSession {
                role_arn: Arn::iam_role(&account, &role).to_string(),
                session_arn: Arn::assumed_role(&account, &role, &id).to_string(),
            }),
            source,
            access_key: key,
            refused: (!exists).then(|| {
                AwsError::new(
                    "InvalidClientTokenId",
                    403,
                    "The security token included in the request is invalid.",
                )
            }),
        });
    }
    let refused = match c.keys.get(&key) {
        None => Some(AwsError::new("InvalidClientTokenId", 403, "The security token included in the request is invalid.")),
        Some((s, _)) if *s != secret => Some(AwsError::new(
            "SignatureDoesNotMatch",
            403,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )),
        Some(_) => None,
    };
    let user = c.keys.get(&key).map(|(_, u)| u.clone()).unwrap_or_default();
    Ok(Identity {
        caller: Caller::Principal(Principal::User {
            arn: Arn::iam_user(&account, &user).to_string(),
        }),
        source,
        access_key: key,
        refused,
    })
}

/// EC2 answers unknown keys with AuthFailure; other services with the STS error.
fn ec2_refusal(e: &AwsError) -> AwsError {
    match e.code {
        "InvalidClientTokenId" => AwsError::new(
            "AuthFailure",
            401,
            "AWS was not able to validate the provided access credentials",
        ),
        _ => e.clone(),
    }
}

pub(super) fn principal(who: &Identity) -> Option<&Principal> {
    match &who.caller {
        Caller::Principal(p) => Some(p),
        Caller::Root => None,
    }
}

/// A file:// or fileb:// argument read from the current host's files; other text as it is.
pub(super) fn file_arg(c: &Console, value: &str) -> Result<String, Usage> {
    match value.strip_prefix("file://").or_else(|| value.strip_prefix("fileb://")) {
        Some(path) => host::read_file(c, path).ok_or_else(|| Usage {
            stderr: format!("\nError parsing parameter '…': Unable to load paramfile {value}: [Errno 2] No such file or directory: '{path}'\n"),
            code: rc::USAGE,
        }),
        None => Ok(value.to_string()),
    }
}

fn struct_value(param: &str, text: &str, key: &str) -> Result<Option<String>, Usage> {
    Ok(args::shorthand(param, text)?
        .into_iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.into_iter().next()))
}

fn filters(a: &Args) -> Result<Vec<Filter>, Usage> {
    let raw = a.list("--filters");
    let mut out = Vec::new();
    // A JSON list of filters, or one shorthand structure per word.
    if let [one] = raw.as_slice() {
        if one.trim_start().starts_with('[') {
            let v: serde_json::Value = serde_json::from_str(one).map_err(|e| Usage {
                stderr: format!("\nError parsing parameter '--filters': Invalid JSON: {e}\nJSON received: {one}\n"),
                code: rc::USAGE,
            })?;
            for f in v.as_array().into_iter().flatten() {
                out.push(Filter {
                    name: f["Name"].as_str().unwrap_or_default().to_string(),
                    values: f["Values"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect(),
                });
            }
            return Ok(out);
        }
    }
    for w in raw {
        let s = args::shorthand("--filters", &w)?;
        let get = |k: &str| {
            s.iter()
                .find(|(x, _)| x == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        out.push(Filter {
            name: get("Name").into_iter().next().unwrap_or_default(),
            values: get("Values"),
        });
    }
    Ok(out)
}

/// `--dry-run`: checks `action` on each resource as the call would be checked, and answers
/// EC2's DryRunOperation when it would have been allowed.
fn dry_run(c: &mut Console, who: &Identity, action: &str, resources: &[String]) -> CallError {
    if let Some(p) = principal(who) {
        for r in resources {
            if let Err(e) = c.authorize(p, action, r, false) {
                return e.into();
            }
        }
    }
    AwsError::client(
        "DryRunOperation",
        "Request would have succeeded, but DryRun flag is set.",
    )
    .into()
}

/// An IAM role's ARN in the console's account.
fn role_arn(c: &Console, name: &str) -> String {
    Arn::iam_role(&c.account.id, name).to_string()
}

/// Sends an EC2 call through the account (IAM, trace); `dry_run` checks the permission
/// only and answers DryRunOperation, as EC2 does.
fn send(
    c: &mut Console,
    who: &Identity,
    region: &str,
    call: Call,
    dry: bool,
) -> Result<Doc, CallError> {
    if let Some(e) = &who.refused {
        return Err(ec2_refusal(e).into());
    }
    if region != c.account.region {
        // Another Region: the account has nothing there.
        let mut empty = c.account.clone();
        empty.ec2 = crate::core::services::ec2::network::Network {
            region: region.to_string(),
            ..Default::default()
        };
        let result = empty.call_instances(&who.caller, &call);
        // The call is traced in the account all the same.
        c.account.trace = empty.trace;
        return result.map_err(Into::into);
    }
    if dry {
        let resources = c.account.instance_resources(&call);
        return Err(dry_run(
            c,
            who,
            &format!("ec2:{}", call.operation()),
            &resources,
        ));
    }
    Ok(c.account.call_instances(&who.caller, &call)?)
}

fn ec2(c: &mut Console, who: &Identity, region: &str, op: &Op, a: &Args) -> Result<Doc, CallError> {
    let dry = a.flag("--dry-run") == Some(true);
    let ids = || args::words_or_json(&a.list("--instance-ids"));
    let call = match op.name {
        "describe-instances" => Call::Describe {
            ids: ids(),
            filters: filters(a)?,
        },
        "start-instances" => Call::Start { ids: ids() },
        "stop-instances" => Call::Stop {
            ids: ids(),
            hibernate: a.flag("--hibernate") == Some(true),
        },
        "reboot-instances" => Call::Reboot { ids: ids() },
        "terminate-instances" => Call::Terminate { ids: ids() },
        "describe-vpcs" => Call::DescribeVpcs {
            ids: a.list("--vpc-ids"),
        },
        "describe-subnets" => Call::DescribeSubnets {
            ids: a.list("--subnet-ids"),
        },
        "describe-security-groups" => Call::DescribeSecurityGroups {
            ids: a.list("--group-ids"),
        },
        "describe-images" => Call::DescribeImages {
            ids: a.list("--image-ids"),
        },
        "describe-instance-types" => Call::DescribeInstanceTypes {
            types: a.list("--instance-types"),
        },
        "run-instances" => Call::Run(run_request(c, who, a)?),
        "modify-instance-attribute" => {
            let id = a.str("--instance-id").unwrap_or_default().to_string();
            let value = |param: &str, text: &str| -> Result<String, Usage> {
                Ok(
                    if text.starts_with("Value=") || text.trim_start().starts_with('{') {
                        struct_value(param, text, "Value")?.unwrap_or_default()
                    } else {
                        text.to_string()
                    },
                )
            };
            let attr = if let Some(b) = a.flag("--disable-api-termination") {
                Attribute::DisableApiTermination(b)
            } else if let Some(t) = a.str("--instance-type") {
                Attribute::InstanceType(value("--instance-type", t)?)
            } else if let Some(u) = a.str("--user-data") {
                Attribute::UserData(file_arg(c, &value("--user-data", u)?)?)
            } else if !a.list("--groups").is_empty() {
                Attribute::Groups(a.list("--groups"))
            } else if let (Some(name), Some(v)) = (a.str("--attribute"), a.str("--value")) {
                match name {
                    "instanceType" => Attribute::InstanceType(v.into()),
                    "userData" => Attribute::UserData(v.into()),
                    "disableApiTermination" => Attribute::DisableApiTermination(v.eq_ignore_ascii_case("true")),
                    other => {
                        return Err(AwsError::client("InvalidParameterValue", format!("Value ({other}) for parameter attribute is invalid. Unknown attribute.")).into())
                    }
                }
            } else {
                return Err(AwsError::client(
                    "MissingParameter",
                    "The request must contain exactly one attribute to modify.",
                )
                .into());
            };
            Call::ModifyAttribute { id, attr }
        }
        "modify-instance-metadata-options" => {
            let tokens = a.str("--http-tokens").map(http_tokens).transpose()?;
            let hop = a
                .int("--http-put-response-hop-limit")
                .map(|h| hop_limit(&h.to_string()))
                .transpose()?;
            let endpoint = a.str("--http-endpoint").map(http_endpoint).transpose()?;
            Call::ModifyMetadataOptions {
                id: a.str("--instance-id").unwrap_or_default().into(),
                tokens,
                hop_limit: hop,
                endpoint,
            }
        }
        "get-console-output" => return console_output(c, who, region, a),
        "authorize-security-group-ingress" => return ingress(c, who, region, a, dry),
        "allocate-address"
        | "associate-address"
        | "disassociate-address"
        | "release-address"
        | "describe-addresses" => return addresses(c, who, region, op, a, dry),
        "create-key-pair" | "delete-key-pair" | "describe-key-pairs" => {
            return key_pairs(c, who, region, op, a, dry)
        }
        other => {
            return Err(AwsError::client(
                "InvalidAction",
                format!("The action {other} is not valid for this web service."),
            )
            .into())
        }
    };
    let rebooted = match &call {
        Call::Reboot { ids } => ids.clone(),
        _ => Vec::new(),
    };
    let doc = send(c, who, region, call, dry)?;
    // A reboot restarts the operating system: a boot in the log, and a session on the
    // instance ends.
    let now = c.now();
    for id in rebooted {
        host::boot_log(
            c,
            &compute::Boot {
                instance: id.clone(),
                at_ms: now,
                first: false,
                resumed: false,
            },
        );
        if c.host.as_deref() == Some(id.as_str()) {
            c.disconnect();
            c.pending_stderr
                .push_str(&format!("Connection to {id} closed by remote host.\n"));
        }
    }
    Ok(doc)
}

/// AuthorizeSecurityGroupIngress through the account's network edit (the VPC builder's),
/// answering as the CLI prints it.
fn ingress(
    c: &mut Console,
    who: &Identity,
    region: &str,
    a: &Args,
    dry: bool,
) -> Result<Doc, CallError> {
    use crate::core::services::ec2::network::edit::Edit;
    use crate::core::services::ec2::network::model::{Net, Peer, Ports, Proto, SgRule};
    if let Some(e) = &who.refused {
        return Err(ec2_refusal(e).into());
    }
    let group = a.str("--group-id").unwrap_or_default().to_string();
    if region != c.account.region || c.account.ec2.group(&group).is_none() {
        return Err(AwsError::client(
            "InvalidGroup.NotFound",
            format!("The security group '{group}' does not exist"),
        )
        .into());
    }
    let invalid = |m: String| CallError::Service(AwsError::client("InvalidParameterValue", m));
    let proto = match a.str("--protocol").unwrap_or("tcp") {
        "tcp" | "6" => Proto::Tcp,
        "udp" | "17" => Proto::Udp,
        "icmp" | "1" => Proto::PING,
        "-1" | "all" => Proto::All,
        other => {
            return Err(invalid(format!(
                "Invalid value '{other}' for IP protocol. Unknown protocol."
            )))
        }
    };
    let ports = match (a.str("--port"), &proto) {
        (_, Proto::All | Proto::Icmp(_)) => Ports::ALL,
        (None, _) => return Err(invalid(
            "Invalid value 'null' for portRange. Must specify both from and to ports with TCP/UDP."
                .into(),
        )),
        (Some(p), _) => {
            let (lo, hi) = p.split_once('-').unwrap_or((p, p));
            match (lo.trim().parse::<u16>(), hi.trim().parse::<u16>()) {
                (Ok(l), Ok(h)) if l <= h => Ports(l, h),
                _ => return Err(invalid(format!("Invalid value '{p}' for portRange."))),
            }
        }
    };
    let peer = match (a.str("--cidr"), a.str("--source-group")) {
        (Some(cidr), _) => Peer::Cidr(
            Net::parse(cidr).map_err(|_| invalid(format!("CIDR block {cidr} is malformed")))?,
        ),
        (None, Some(g)) => Peer::Group(g.to_string()),
        (None, None) => {
            return Err(invalid(
                "Either a CIDR block or a source group is needed.".into(),
            ))
        }
    };
    let rule = SgRule { proto, ports, peer };
    let req = Request::Ec2(Edit::AuthorizeSecurityGroupIngress {
        group: group.clone(),
        rule,
    });
    if dry {
        let arn = req.resource_arn(&c.account.region, &c.account.id);
        return Err(dry_run(c, who, &req.action(), &[arn]));
    }
    c.account.call(&who.caller, req)?;
    Ok(Doc::obj([("Return", true.into())]))
}

/// Elastic IPs through the VPC model's own edits (AllocateAddress, AssociateAddress …),
/// answering as the CLI prints them. An association's id is `eipassoc-` and the
/// allocation's number.
fn addresses(
    c: &mut Console,
    who: &Identity,
    region: &str,
    op: &Op,
    a: &Args,
    dry: bool,
) -> Result<Doc, CallError> {
    use crate::core::services::ec2::network::edit::Edit;
    use crate::core::services::ec2::network::model::ip_text;
    if let Some(e) = &who.refused {
        return Err(ec2_refusal(e).into());
    }
    let here = region == c.account.region;
    let assoc_of = |alloc: &str| format!("eipassoc-{}", alloc.trim_start_matches("eipalloc-"));
    let alloc_id = a.str("--allocation-id").unwrap_or_default().to_string();
    let not_found = |id: &str| {
        CallError::Service(AwsError::client(
            "InvalidAllocationID.NotFound",
            format!("The allocation ID '{id}' does not exist"),
        ))
    };
    if op.name == "describe-addresses" {
        let ids = a.list("--allocation-ids");
        if let Some(bad) = ids
            .iter()
            .find(|i| !here || !c.account.ec2.eips.iter().any(|e| e.id == **i))
        {
            return Err(not_found(bad));
        }
        if let Some(p) = principal(who) {
            c.authorize(p, "ec2:DescribeAddresses", "*", false)?;
        }
        let list = c
            .account
            .ec2
            .eips
            .iter()
            .filter(|_| here)
            .filter(|e| ids.is_empty() || ids.contains(&e.id))
            .map(|e| {
                let mut m = vec![
                    ("PublicIp".to_string(), Doc::Str(ip_text(e.address))),
                    ("AllocationId".into(), e.id.as_str().into()),
                    ("Domain".into(), "vpc".into()),
                ];
                if let Some(t) = &e.target {
                    m.push(("AssociationId".into(), assoc_of(&e.id).into()));
                    let key = if t.starts_with("eni-") {
                        "NetworkInterfaceId"
                    } else {
                        "InstanceId"
                    };
                    m.push((key.into(), t.as_str().into()));
                }
                m.push(("PublicIpv4Pool".into(), "amazon".into()));
                Doc::Map(m)
            })
            .collect();
        c.record(
            &who.caller,
            crate::core::account::CALL_OK,
            "DescribeAddresses succeeded.".into(),
        );
        return Ok(Doc::obj([("Addresses", Doc::List(list))]));
    }
    if !here {
        return Err(not_found(&alloc_id));
    }
    let edit = match op.name {
        "allocate-address" => {
            let mut scratch = c.account.ec2.clone();
            let Some(address) = crate::core::services::ec2::compute::new_public_ip(&mut scratch)
            else {
                return Err(AwsError::client(
                    "AddressLimitExceeded",
                    "The maximum number of addresses has been reached.",
                )
                .into());
            };
            c.account.ec2.counters = scratch.counters;
            Edit::AllocateAddress { address }
        }
        "associate-address" => Edit::AssociateAddress {
            eip: alloc_id.clone(),
            target: a.str("--instance-id").unwrap_or_default().into(),
        },
        "disassociate-address" => {
            let assoc = a.str("--association-id").unwrap_or_default();
            let Some(e) = c
                .account
                .ec2
                .eips
                .iter()
                .find(|e| assoc_of(&e.id) == assoc && e.target.is_some())
            else {
                return Err(AwsError::client(
                    "InvalidAssociationID.NotFound",
                    format!("The association ID '{assoc}' does not exist"),
                )
                .into());
            };
            Edit::DisassociateAddress { eip: e.id.clone() }
        }
        _ => Edit::ReleaseAddress {
            eip: alloc_id.clone(),
        },
    };
    if matches!(op.name, "associate-address" | "release-address")
        && !c.account.ec2.eips.iter().any(|e| e.id == alloc_id)
    {
        return Err(not_found(&alloc_id));
    }
    let req = Request::Ec2(edit);
    if dry {
        let arn = req.resource_arn(&c.account.region, &c.account.id);
        return Err(dry_run(c, who, &req.action(), &[arn]));
    }
    let before: Vec<String> = c.account.ec2.eips.iter().map(|e| e.id.clone()).collect();
    c.account.call(&who.caller, req)?;
    Ok(match op.name {
        "allocate-address" => {
            let e = c.account.ec2.eips.iter().find(|e| !before.contains(&e.id));
            let (id, ip) = e
                .map(|e| (e.id.clone(), ip_text(e.address)))
                .unwrap_or_default();
            Doc::obj([
                ("PublicIp", ip.into()),
                ("AllocationId", id.into()),
                ("PublicIpv4Pool", "amazon".into()),
                ("NetworkBorderGroup", c.account.region.clone().into()),
                ("Domain", "vpc".into()),
            ])
        }
        "associate-address" => Doc::obj([("AssociationId", assoc_of(&alloc_id).into())]),
        _ => Doc::Map(vec![]),
    })
}

/// Key pairs: kept by the console (their private key is printed once, as AWS prints it).
fn key_pairs(
    c: &mut Console,
    who: &Identity,
    region: &str,
    op: &Op,
    a: &Args,
    dry: bool,
) -> Result<Doc, CallError> {
    if let Some(e) = &who.refused {
        return Err(ec2_refusal(e).into());
    }
    let name = a.str("--key-name").unwrap_or("*");
    let arn = match name {
        "*" => "*".to_string(),
        _ => Arn::new("ec2", region, &c.account.id, &format!("key-pair/{name}")).to_string(),
    };
    let action = format!("ec2:{}", op.api);
    if dry {
        return Err(dry_run(c, who, &action, &[arn]));
    }
    if let Some(p) = principal(who) {
        c.authorize(p, &action, &arn, false)?;
    }
    let here = region == c.account.region;
    let result = match op.name {
        "create-key-pair" => {
            let name = a.str("--key-name").unwrap_or_default().to_string();
            if here && c.key_pairs.contains_key(&name) {
                return Err(AwsError::client(
                    "InvalidKeyPair.Duplicate",
                    format!("The keypair '{name}' already exists."),
                )
                .into());
            }
            let id = unique_id("key-0", &name)
                .to_ascii_lowercase()
                .chars()
                .take(21)
                .collect::<String>();
            let fingerprint: String = compute::profile_id(&format!("fp-{name}"))
                .bytes()
                .take(20)
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":");
            if here {
                c.key_pairs
                    .insert(name.clone(), (id.clone(), fingerprint.clone()));
            }
            Doc::obj([
                ("KeyFingerprint", fingerprint.into()),
                ("KeyMaterial", format!("-----BEGIN RSA PRIVATE KEY-----\nSIMULATED-KEY-FOR-{name}-NOT-A-REAL-KEY\n-----END RSA PRIVATE KEY-----").into()),
                ("KeyName", name.into()),
                ("KeyPairId", id.into()),
            ])
        }
        "delete-key-pair" => {
            let name = a.str("--key-name").unwrap_or_default();
            let removed = if here { c.key_pairs.remove(name) } else { None };
            Doc::obj([
                ("Return", true.into()),
                (
                    "KeyPairId",
                    removed.map(|(id, _)| id).unwrap_or_default().into(),
                ),
            ])
        }
        _ => {
            let names = a.list("--key-names");
            if let Some(bad) = names
                .iter()
                .find(|n| !here || !c.key_pairs.contains_key(*n))
            {
                return Err(AwsError::client(
                    "InvalidKeyPair.NotFound",
                    format!("The key pair '{bad}' does not exist"),
                )
                .into());
            }
            let list = c
                .key_pairs
                .iter()
                .filter(|_| here)
                .filter(|(n, _)| names.is_empty() || names.contains(n))
                .map(|(n, (id, fp))| {
                    Doc::obj([
                        ("KeyPairId", id.as_str().into()),
                        ("KeyFingerprint", fp.as_str().into()),
                        ("KeyName", n.as_str().into()),
                        ("KeyType", "rsa".into()),
                        ("Tags", Doc::List(vec![])),
                    ])
                })
                .collect();
            Doc::obj([("KeyPairs", Doc::List(list))])
        }
    };
    c.record(
        &who.caller,
        crate::core::account::CALL_OK,
        format!("{} succeeded.", op.api),
    );
    Ok(result)
}

fn console_output(
    c: &mut Console,
    who: &Identity,
    region: &str,
    a: &Args,
) -> Result<Doc, CallError> {
    let id = a.str("--instance-id").unwrap_or_default().to_string();
    // Authorized and traced as DescribeInstances of that instance would be, then read.
    send(
        c,
        who,
        region,
        Call::Describe {
            ids: vec![id.clone()],
            filters: vec![],
        },
        false,
    )?;
    let log = c
        .account
        .ec2
        .instance(&id)
        .map(|i| i.compute.log.join("\n"))
        .unwrap_or_default();
    Ok(Doc::obj([
        ("InstanceId", id.into()),
        ("Timestamp", compute::iso_time(c.now()).into()),
        ("Output", log.into()),
    ]))
}

fn run_request(c: &mut Console, who: &Identity, a: &Args) -> Result<RunRequest, CallError> {
    let Some(image) = a.str("--image-id") else {
        return Err(AwsError::client(
            "MissingParameter",
            "The request must contain the parameter ImageId",
        )
        .into());
    };
    let count = match a.str("--count") {
        None => 1,
        Some(t) => {
            let first = t.split(':').next().unwrap_or("");
            first.trim().parse::<u32>().map_err(|_| Usage {
                stderr: format!("\nError parsing parameter '--count': invalid count: {t}\n"),
                code: rc::USAGE,
            })?
        }
    };
    let user_data = match a.str("--user-data") {
        Some(u) => Some(file_arg(c, u)?),
        None => None,
    };
    let profile = match a.str("--iam-instance-profile") {
        Some(t) => {
            let name = match struct_value("--iam-instance-profile", t, "Name")? {
                Some(n) => n,
                None => struct_value("--iam-instance-profile", t, "Arn")?
                    .and_then(|arn| arn.rsplit('/').next().map(str::to_string))
                    .unwrap_or_default(),
            };
            if c.role(&name).is_none() {
                return Err(AwsError::client(
                    "InvalidParameterValue",
                    format!("Value ({name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"),
                )
                .into());
            }
            // Launching with a role passes it to the instance: iam:PassRole on the role.
            if let Some(p) = principal(who) {
                let arn = role_arn(c, &name);
                c.authorize(p, "iam:PassRole", &arn, true)?;
            }
            Some(name)
        }
        None => None,
    };
    let (mut tokens, mut hop, mut endpoint) = (None, None, None);
    if let Some(m) = a.str("--metadata-options") {
        for (k, v) in args::shorthand("--metadata-options", m)? {
            let v = v.into_iter().next().unwrap_or_default();
            match k.as_str() {
                "HttpTokens" => tokens = Some(http_tokens(&v)?),
                "HttpPutResponseHopLimit" => hop = Some(hop_limit(&v)?),
                "HttpEndpoint" => endpoint = Some(http_endpoint(&v)?),
                "HttpProtocolIpv6" | "InstanceMetadataTags" => {}
                other => {
                    return Err(Usage {
                        stderr: format!("\nParameter validation failed:\nUnknown parameter in MetadataOptions: \"{other}\", must be one of: HttpTokens, HttpPutResponseHopLimit, HttpEndpoint, HttpProtocolIpv6, InstanceMetadataTags\n"),
                        code: rc::USAGE,
                    }
                    .into())
                }
            }
        }
    }
    if let Some(k) = a.str("--key-name") {
        if !c.key_pairs.contains_key(k) {
            return Err(AwsError::client(
                "InvalidKeyPair.NotFound",
                format!("The key pair '{k}' does not exist"),
            )
            .into());
        }
    }
    let hibernation = match a.str("--hibernation-options") {
        Some(h) => struct_value("--hibernation-options", h, "Configured")?
            .is_some_and(|v| v.eq_ignore_ascii_case("true")),
        None => false,
    };
    let name = a
        .list("--tag-specifications")
        .iter()
        .find_map(|t| {
            let at = t.find("Key=Name,Value=")? + "Key=Name,Value=".len();
            Some(
                t[at..]
                    .chars()
                    .take_while(|ch| !matches!(ch, '}' | ',' | ']'))
                    .collect::<String>(),
            )
        })
        .filter(|n| !n.is_empty());
    Ok(RunRequest {
        image_id: image.into(),
        instance_type: a.str("--instance-type").map(str::to_string),
        count,
        subnet: a.str("--subnet-id").map(str::to_string),
        groups: a.list("--security-group-ids"),
        key_name: a.str("--key-name").map(str::to_string),
        user_data,
        profile,
        disable_api_termination: a.flag("--disable-api-termination") == Some(true),
        http_tokens: tokens,
        hop_limit: hop,
        endpoint,
        hibernation,
        public_ip: a.flag("--associate-public-ip-address"),
        name,
    })
}

/// `HttpTokens`: `required` or `optional`, else EC2's InvalidParameterValue.
fn http_tokens(v: &str) -> Result<HttpTokens, AwsError> {
    match v {
        "required" => Ok(HttpTokens::Required),
        "optional" => Ok(HttpTokens::Optional),
        other => Err(AwsError::client(
            "InvalidParameterValue",
            format!("Value ({other}) for parameter HttpTokens is invalid. Valid values are required and optional."),
        )),
    }
}

/// `HttpEndpoint`: `enabled` or `disabled`.
fn http_endpoint(v: &str) -> Result<bool, AwsError> {
    match v {
        "enabled" => Ok(true),
        "disabled" => Ok(false),
        other => Err(AwsError::client(
            "InvalidParameterValue",
            format!("Value ({other}) for parameter HttpEndpoint is invalid. Valid values are enabled and disabled."),
        )),
    }
}

/// `HttpPutResponseHopLimit`: 1 to 64.
fn hop_limit(v: &str) -> Result<u8, AwsError> {
    v.trim()
        .parse::<u8>()
        .ok()
        .filter(|h| (1..=64).contains(h))
        .ok_or_else(|| {
            AwsError::client(
                "InvalidParameterValue",
                format!(
                    "Invalid value '{v}' for HttpPutResponseHopLimit. Valid values are 1 to 64."
                ),
            )
        })
}

/// The waiters (`aws ec2 wait …`) and the state each waits for.
pub const WAITERS: &[(&str, compute::InstanceState)] = &[
    ("instance-running", compute::InstanceState::Running),
    ("instance-stopped", compute::InstanceState::Stopped),
    ("instance-terminated", compute::InstanceState::Terminated),
];

const WAIT_OP: Op = Op {
    name: "wait",
    api: "DescribeInstances",
    doc: "",
    params: &[
        p("--instance-ids", Kind::List, "The instances."),
        p("--filters", Kind::Structs, "Filters."),
    ],
};

/// `aws ec2 wait`: polls DescribeInstances every 15 s, at most 40 times, as the CLI's
/// waiters do; gives up with exit code 255. Prints nothing on success.
fn wait(c: &mut Console, who: &Identity, region: &str, waiter: &str, a: &Args) -> Output {
    let Some((_, target)) = WAITERS.iter().find(|(n, _)| *n == waiter) else {
        return Output::err("\nUnknown waiter\n", rc::USAGE);
    };
    let ids = args::words_or_json(&a.list("--instance-ids"));
    let filters = match filters(a) {
        Ok(f) => f,
        Err(u) => return Output::err(u.stderr, u.code),
    };
    let camel: String = waiter
        .split('-')
        .map(|w| {
            let mut ch = w.chars();
            ch.next()
                .map(|f| f.to_ascii_uppercase().to_string() + ch.as_str())
                .unwrap_or_default()
        })
        .collect();
    for attempt in 0..40 {
        if attempt > 0 {
            c.advance(15_000);
        }
        match send(
            c,
            who,
            region,
            Call::Describe {
                ids: ids.clone(),
                filters: filters.clone(),
            },
            false,
        ) {
            Ok(doc) => {
                let states: Vec<String> = instance_states(&doc);
                if !states.is_empty() && states.iter().all(|s| s == target.name()) {
                    return Output::default();
                }
                // A terminal state the waiter cannot leave: fail at once, as the CLI does.
                let hopeless = match target {
                    compute::InstanceState::Running => states
                        .iter()
                        .any(|s| s == "terminated" || s == "shutting-down" || s == "stopping"),
                    compute::InstanceState::Stopped => {
                        states.iter().any(|s| s == "terminated" || s == "pending")
                    }
                    // botocore's InstanceTerminated fails on pending and stopping.
                    _ => states.iter().any(|s| s == "pending" || s == "stopping"),
                };
                if hopeless {
                    return Output::err(
                        format!("\nWaiter {camel} failed: Waiter encountered a terminal failure state: For expression \"Reservations[].Instances[].State.Name\" we matched expected path: \"{}\" at least once\n", states.iter().find(|s| *s != target.name()).cloned().unwrap_or_default()),
                        rc::GENERAL,
                    );
                }
            }
            // An instance not visible yet: the CLI's waiters retry.
            Err(CallError::Service(e)) if e.code == "InvalidInstanceID.NotFound" => {}
            Err(CallError::Service(e)) => {
                return Output::err(
                    format!("\nWaiter {camel} failed: {}\n", e.message),
                    rc::GENERAL,
                )
            }
            Err(CallError::Usage(u)) => return Output::err(u.stderr, u.code),
        }
    }
    Output::err(
        format!("\nWaiter {camel} failed: Max attempts exceeded\n"),
        rc::GENERAL,
    )
}

fn instance_states(doc: &Doc) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(Doc::List(rs)) = doc.get("Reservations") {
        for r in rs {
            if let Some(Doc::List(is)) = r.get("Instances") {
                for i in is {
                    if let Some(s) = i
                        .get("State")
                        .and_then(|s| s.get("Name"))
                        .and_then(Doc::as_str)
                    {
                        out.push(s.to_string());
                    }
                }
            }
        }
    }
    out
}

fn sts(c: &mut Console, who: &Identity) -> Result<Doc, CallError> {
    if let Some(e) = &who.refused {
        return Err(e.clone().into());
    }
    let account = c.account.id.clone();
    let (user_id, arn) = match &who.caller {
        Caller::Principal(Principal::User { arn }) => (user_id(arn), arn.clone()),
        Caller::Principal(Principal::RoleSession {
            role_arn,
            session_arn,
        }) => {
            let role = role_arn.rsplit('/').next().unwrap_or_default();
            let rid = unique_id("AROA", role);
            let session = session_arn.rsplit('/').next().unwrap_or_default();
            (format!("{rid}:{session}"), session_arn.clone())
        }
        other => (String::new(), other.arn(&account)),
    };
    // GetCallerIdentity needs no permission; it is traced like every call.
    c.record(
        &who.caller,
        crate::core::account::CALL_OK,
        "GetCallerIdentity succeeded.".into(),
    );
    Ok(Doc::obj([
        ("UserId", user_id.into()),
        ("Account", account.into()),
        ("Arn", arn.into()),
    ]))
}

/// A stable unique id for a user (`AIDA…`) or role (`AROA…`), from its name.
fn unique_id(prefix: &str, name: &str) -> String {
    let id = compute::profile_id(name);
    format!("{prefix}{}", &id[4..])
}

fn user_id(arn: &str) -> String {
    unique_id("AIDA", arn.rsplit('/').next().unwrap_or_default())
}

/// The AWS managed policies the console can attach: (name, document). Their ARN is
/// `arn:aws:iam::aws:policy/<name>`. The documents keep the actions of AWS's policies
/// that the simulated services have.
pub const MANAGED_POLICIES: &[(&str, &str)] = &[
    (
        "AdministratorAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    ),
    (
        "AmazonEC2ReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#,
    ),
    (
        "AmazonS3ReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}"#,
    ),
    (
        "ReadOnlyAccess",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*","ec2:Get*","s3:Get*","s3:List*","iam:Get*","iam:List*","sts:GetCallerIdentity"],"Resource":"*"}]}"#,
    ),
];

/// An AWS managed policy the console can attach, by name.
pub fn managed_policy(name: &str) -> Option<Named> {
    let (_, doc) = MANAGED_POLICIES.iter().find(|(n, _)| *n == name)?;
    Some(Named {
        name: name.into(),
        policy: iam::parse(doc).ok()?,
    })
}

fn iam_error(code: &'static str, status: u16, message: String) -> CallError {
    CallError::Service(AwsError::new(code, status, message))
}

/// IAM calls: authorized like every call (the administrator user may; an instance role
/// usually may not), then applied to the account's roles. The roles are the flow engine's
/// (`Access`), so the flow page's roles are listed here and the roles made here are the
/// flow page's too. Errors as IAM words them (`NoSuchEntity`, `EntityAlreadyExists`,
/// `DeleteConflict`, `MalformedPolicyDocument`; IAM API Reference).
fn iam_op(c: &mut Console, who: &Identity, op: &Op, a: &Args) -> Result<Doc, CallError> {
    if let Some(e) = &who.refused {
        return Err(e.clone().into());
    }
    let role_name = a.str("--role-name").unwrap_or_default().to_string();
    let resource = if role_name.is_empty() {
        "*".to_string()
    } else {
        role_arn(c, &role_name)
    };
    if let Some(p) = principal(who) {
        c.authorize(p, &format!("iam:{}", op.api), &resource, true)?;
    }
    let role_doc = |c: &Console, r: &IdentitySpec| {
        let created = c.role_created.get(&r.name).copied().unwrap_or(0);
        Doc::obj([
            ("Path", "/".into()),
            ("RoleName", r.name.as_str().into()),
            ("RoleId", unique_id("AROA", &r.name).into()),
            ("Arn", role_arn(c, &r.name).into()),
            ("CreateDate", compute::iso_time(created).into()),
            (
                "AssumeRolePolicyDocument",
                super::parse_json_ordered(r.trust_policy()).unwrap_or(Doc::Null),
            ),
        ])
    };
    let malformed = |e: iam::PolicyError| {
        iam_error(
            "MalformedPolicyDocument",
            400,
            format!("This policy contains invalid Json: {e}"),
        )
    };
    let name_rule = |field: &str, value: &str, max: usize| {
        let constraint = if value.is_empty() {
            "Member must have length greater than or equal to 1".to_string()
        } else if value.len() > max {
            format!("Member must have length less than or equal to {max}")
        } else if !crate::core::flow::is_iam_name(value, max) {
            "Member must satisfy regular expression pattern: [\\w+=,.@-]+".to_string()
        } else {
            return Ok(());
        };
        Err(iam_error("ValidationError", 400, format!("1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}")))
    };
    // Parameters are validated before anything is looked up, as AWS does.
    let policy_name = a.str("--policy-name").unwrap_or_default().to_string();
    if matches!(
        op.name,
        "get-role-policy" | "delete-role-policy" | "put-role-policy"
    ) {
        name_rule("policyName", &policy_name, 128)?;
    }
    let policy_arn = a.str("--policy-arn").unwrap_or_default().to_string();
    if matches!(op.name, "attach-role-policy" | "detach-role-policy")
        && !policy_arn.starts_with("arn:")
    {
        return Err(iam_error(
            "ValidationError",
            400,
            format!("ARN {policy_arn} is not valid."),
        ));
    }
    // Every operation but these names an existing role.
    let role = match op.name {
        "create-role" | "list-roles" | "simulate-custom-policy" => None,
        _ => Some(c.role(&role_name).cloned().ok_or_else(|| {
            iam_error(
                "NoSuchEntity",
                404,
                format!("The role with name {role_name} cannot be found."),
            )
        })?),
    };
    // The flow engine's script identity: the console's own calls to the serverless
    // services pass its checks, so the console may not change it (the flow page may).
    if role_name == ADMIN
        && !matches!(
            op.name,
            "create-role"
                | "get-role"
                | "get-role-policy"
                | "list-role-policies"
                | "list-attached-role-policies"
                | "list-roles"
                | "simulate-custom-policy"
        )
    {
        return Err(iam_error("UnmodifiableEntity", 400, format!("Cannot perform the operation on the protected role '{ADMIN}' - the flow page's scripted calls and this console's calls to the serverless services run as it. Change it on the flow page's Permissions.")));
    }
    let no_policy = |name: &str| {
        iam_error(
            "NoSuchEntity",
            404,
            format!("The role policy with name {name} cannot be found."),
        )
    };
    let put = |c: &mut Console, spec: IdentitySpec| {
        c.put_identity(spec)
            .map_err(|e| iam_error("MalformedPolicyDocument", 400, e.join("; ")))
    };
    let result = match (op.name, role) {
        ("create-role", _) => {
            name_rule("roleName", &role_name, 64)?;
            let trust = file_arg(
                c,
                a.str("--assume-role-policy-document").unwrap_or_default(),
            )?;
            iam::parse(&trust).map_err(malformed)?;
            let specs = c.flow.access.identity_specs();
            // IAM names are unique regardless of case (`Web` and `web` are one name).
            if let Some(other) = specs
                .iter()
                .chain(std::iter::once(&IdentitySpec::admin()))
                .find(|i| i.name.eq_ignore_ascii_case(&role_name))
            {
                let message = match other.kind {
                    IdentityKind::Role => format!("Role with name {role_name} already exists."),
                    IdentityKind::User => format!("User with name {role_name} already exists (in this sandbox a role and a user cannot share a name)."),
                };
                return Err(iam_error("EntityAlreadyExists", 409, message));
            }
            if specs.len() >= MAX_IDENTITIES {
                return Err(iam_error("LimitExceeded", 409, format!("Cannot exceed quota for RolesPerAccount: this sandbox's account holds at most {MAX_IDENTITIES} roles and users (AWS's default quota is 1,000 roles).")));
            }
            let spec = IdentitySpec {
                kind: IdentityKind::Role,
                name: role_name.clone(),
                trust: Some(trust),
                ..IdentitySpec::default()
            };
            put(c, spec.clone())?;
            let now = c.now();
            c.role_created.insert(role_name.clone(), now);
            Doc::obj([("Role", role_doc(c, &spec))])
        }
        ("delete-role", Some(r)) => {
            if r.policies.iter().any(|d| IdentitySpec::is_managed(&d.name)) {
                return Err(iam_error(
                    "DeleteConflict",
                    409,
                    "Cannot delete entity, must detach all policies first.".into(),
                ));
            }
            if !r.policies.is_empty() {
                return Err(iam_error(
                    "DeleteConflict",
                    409,
                    "Cannot delete entity, must delete policies first.".into(),
                ));
            }
            let in_use = c.account.ec2.instances.iter().any(|i| {
                i.compute.role.as_deref() == Some(role_name.as_str())
                    && i.compute.state != compute::InstanceState::Terminated
            });
            if in_use {
                return Err(iam_error(
                    "DeleteConflict",
                    409,
                    "Cannot delete entity, must remove roles from instance profile first.".into(),
                ));
            }
            c.remove_role(&role_name);
            Doc::Map(vec![])
        }
        ("get-role", Some(r)) => Doc::obj([("Role", role_doc(c, &r))]),
        ("list-roles", _) => {
            let roles: Vec<IdentitySpec> = c
                .flow
                .access
                .identity_specs()
                .into_iter()
                .filter(|i| i.kind == IdentityKind::Role)
                .collect();
            Doc::obj([(
                "Roles",
                Doc::List(roles.iter().map(|r| role_doc(c, r)).collect()),
            )])
        }
        ("put-role-policy", Some(mut r)) => {
            let text = file_arg(c, a.str("--policy-document").unwrap_or_default())?;
            iam::parse(&text).map_err(malformed)?;
            match r.policies.iter_mut().find(|d| d.name == policy_name) {
                Some(d) => d.text = text,
                None => r.policies.push(iam::state::Doc::new(&policy_name, &text)),
            }
            r.check_quotas()
                .map_err(|m| iam_error("LimitExceeded", 409, m))?;
            put(c, r)?;
            Doc::Map(vec![])
        }
        ("get-role-policy", Some(r)) => {
            let d = r
                .policies
                .iter()
                .find(|d| d.name == policy_name && !IdentitySpec::is_managed(&d.name))
                .ok_or_else(|| no_policy(&policy_name))?;
            Doc::obj([
                ("RoleName", role_name.as_str().into()),
                ("PolicyName", policy_name.as_str().into()),
                (
                    "PolicyDocument",
                    super::parse_json_ordered(&d.text).unwrap_or(Doc::Null),
                ),
            ])
        }
        ("list-role-policies", Some(r)) => Doc::obj([(
            "PolicyNames",
            Doc::List(
                r.policies
                    .iter()
                    .filter(|d| !IdentitySpec::is_managed(&d.name))
                    .map(|d| d.name.as_str().into())
                    .collect(),
            ),
        )]),
        ("delete-role-policy", Some(mut r)) => {
            let before = r.policies.len();
            r.policies
                .retain(|d| d.name != policy_name || IdentitySpec::is_managed(&d.name));
            if r.policies.len() == before {
                return Err(no_policy(&policy_name));
            }
            put(c, r)?;
            Doc::Map(vec![])
        }
        ("attach-role-policy", Some(mut r)) => {
            let arn = policy_arn;
            let name = arn.strip_prefix(AWS_MANAGED).unwrap_or("");
            let (_, text) = MANAGED_POLICIES
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| {
                    iam_error(
                        "NoSuchEntity",
                        404,
                        format!("Policy {arn} does not exist or is not attachable."),
                    )
                })?;
            if !r.policies.iter().any(|d| d.name == arn) {
                r.policies.push(iam::state::Doc::new(&arn, text));
                r.check_quotas()
                    .map_err(|m| iam_error("LimitExceeded", 409, m))?;
                put(c, r)?;
            }
            Doc::Map(vec![])
        }
        ("detach-role-policy", Some(mut r)) => {
            let arn = policy_arn;
            let before = r.policies.len();
            r.policies
                .retain(|d| d.name != arn || !IdentitySpec::is_managed(&d.name));
            if r.policies.len() == before {
                return Err(iam_error(
                    "NoSuchEntity",
                    404,
                    format!("Policy {arn} was not found."),
                ));
            }
            put(c, r)?;
            Doc::Map(vec![])
        }
        ("list-attached-role-policies", Some(r)) => Doc::obj([(
            "AttachedPolicies",
            Doc::List(
                r.policies
                    .iter()
                    .filter(|d| IdentitySpec::is_managed(&d.name))
                    .map(|d| {
                        Doc::obj([
                            ("PolicyName", d.name.trim_start_matches(AWS_MANAGED).into()),
                            ("PolicyArn", d.name.as_str().into()),
                        ])
                    })
                    .collect(),
            ),
        )]),
        ("simulate-custom-policy", _) => simulate(c, a)?,
        _ => Doc::Map(vec![]),
    };
    c.record(
        &who.caller,
        crate::core::account::CALL_OK,
        format!("{} succeeded.", op.api),
    );
    Ok(result)
}

/// SimulateCustomPolicy: each action on each resource against the given identity-based
/// policies, with the evaluator's decision and the statements that matched.
fn simulate(c: &Console, a: &Args) -> Result<Doc, CallError> {
    let mut policies = Vec::new();
    for (k, text) in a.list("--policy-input-list").iter().enumerate() {
        let text = file_arg(c, text)?;
        let policy = iam::parse(&text).map_err(|e| {
            iam_error(
                "MalformedPolicyDocument",
                400,
                format!("Policy {} is invalid: {e}", k + 1),
            )
        })?;
        policies.push(Named {
            name: format!("PolicyInputList.{}", k + 1),
            policy,
        });
    }
    let resources = {
        let r = a.list("--resource-arns");
        if r.is_empty() {
            vec!["*".to_string()]
        } else {
            r
        }
    };
    let layers = iam::Layers {
        identity: policies,
        ..Default::default()
    };
    let mut results = Vec::new();
    for action in a.list("--action-names") {
        for resource in &resources {
            let request = iam::Request {
                principal: Principal::User {
                    arn: Arn::iam_user(&c.account.id, super::USER).to_string(),
                },
                action: action.clone(),
                resource: resource.clone(),
                resource_account: Some(c.account.id.clone()),
                context: iam::Context::default(),
            };
            let e = iam::evaluate(&request, &layers);
            let decision = match e.decision {
                Decision::Allow => "allowed",
                Decision::ExplicitDeny => "explicitDeny",
                Decision::ImplicitDeny => "implicitDeny",
            };
            let matched = e
                .deciding
                .iter()
                .map(|(_, policy, _)| {
                    Doc::obj([
                        ("SourcePolicyId", policy.as_str().into()),
                        ("SourcePolicyType", "IAM Policy".into()),
                    ])
                })
                .collect();
            results.push(Doc::obj([
                ("EvalActionName", action.as_str().into()),
                ("EvalResourceName", resource.as_str().into()),
                ("EvalDecision", decision.into()),
                ("MatchedStatements", Doc::List(matched)),
                ("MissingContextValues", Doc::List(vec![])),
            ]));
        }
    }
    Ok(Doc::obj([
        ("EvaluationResults", Doc::List(results)),
        ("IsTruncated", false.into()),
    ]))
}

const CONFIG_KEYS: [(&str, &str, &str); 4] = [
    ("aws_access_key_id", "credentials", "AWS Access Key ID"),
    (
        "aws_secret_access_key",
        "credentials",
        "AWS Secret Access Key",
    ),
    ("region", "config", "Default region name"),
    ("output", "config", "Default output format"),
];

/// The question `aws configure` asks at `step`, with the current value masked as the CLI
/// masks it (`[****************MPLE]`).
pub(super) fn configure_question(c: &Console, step: usize, profile: &str) -> String {
    let Some((key, file, label)) = CONFIG_KEYS.get(step) else {
        return String::new();
    };
    let current = file_setting(c, file, profile, key);
    let shown = match (current, step) {
        (Some(v), 0 | 1) => {
            let tail: String = v
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("{}{tail}", "*".repeat(16))
        }
        (Some(v), _) => v,
        (None, _) => "None".into(),
    };
    format!("{label} [{shown}]:")
}

/// Writes `key = value` in a profile's section of `~/.aws/<file>`, keeping the rest.
pub(super) fn set_setting(c: &mut Console, file: &str, profile: &str, key: &str, value: &str) {
    let path = format!("~/.aws/{file}");
    let header = if file == "config" && profile != "default" {
        format!("[profile {profile}]")
    } else {
        format!("[{profile}]")
    };
    let text = host::read_file(c, &path).unwrap_or_default();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let start = lines.iter().position(|l| {
        let t = l.trim();
        t == header || (file == "config" && profile != "default" && t == format!("[{profile}]"))
    });
    match start {
        None => {
            if !lines.is_empty() && !lines.last().is_some_and(|l| l.trim().is_empty()) {
                lines.push(String::new());
            }
            lines.push(header);
            lines.push(format!("{key} = {value}"));
        }
        Some(s) => {
            let end = lines[s + 1..]
                .iter()
                .position(|l| l.trim().starts_with('['))
                .map_or(lines.len(), |k| s + 1 + k);
            match (s + 1..end).find(|&k| {
                lines[k]
                    .split_once('=')
                    .is_some_and(|(k2, _)| k2.trim() == key)
            }) {
                Some(k) => lines[k] = format!("{key} = {value}"),
                None => lines.insert(end, format!("{key} = {value}")),
            }
        }
    }
    // A refusal (the machine's files are full) leaves the file as it was.
    let _ = host::write_file(c, &path, &(lines.join("\n") + "\n"), false);
}

/// An answer to `aws configure`'s question: empty keeps the value.
pub(super) fn configure_answer(c: &mut Console, d: Dialog, line: &str) -> Output {
    let answer = line.trim();
    if let Some((key, file, _)) = CONFIG_KEYS.get(d.step) {
        if !answer.is_empty() {
            set_setting(c, file, &d.profile, key, answer);
        }
    }
    if d.step + 1 < CONFIG_KEYS.len() {
        c.dialog = Some(Dialog {
            profile: d.profile,
            step: d.step + 1,
        });
    }
    Output::default()
}

fn configure(c: &mut Console, g: &Globals, rest: &[String]) -> Result<Output, Usage> {
    let profile = profile_name(c, g);
    match rest.first().map(String::as_str) {
        None => {
            c.dialog = Some(Dialog { profile, step: 0 });
            Ok(Output::default())
        }
        Some("help") => Ok(Output::ok(help_service(
            service("configure").expect("listed"),
        ))),
        Some("list") => {
            let mut out = format!(
                "{:>10} {:>24} {:>16} {:>24}\n{:>10} {:>24} {:>16} {:>24}\n",
                "Name", "Value", "Type", "Location", "----", "-----", "----", "--------"
            );
            let prof = match (&g.profile, c.env_var("AWS_PROFILE")) {
                (Some(p), _) => (p.clone(), "manual", "--profile".to_string()),
                (None, Some(p)) => (p, "env", "AWS_PROFILE".to_string()),
                (None, None) => ("<not set>".into(), "None", "None".to_string()),
            };
            out.push_str(&format!(
                "{:>10} {:>24} {:>16} {:>24}\n",
                "profile", prof.0, prof.1, prof.2
            ));
            let creds = credentials(c, g.profile.as_deref());
            let (ak, sk, ty, loc) = match &creds {
                Some((source, k, s)) => {
                    let mask = |v: &str| {
                        let n = v.chars().count();
                        let tail: String = v.chars().skip(n.saturating_sub(4)).collect();
                        format!("{}{tail}", "*".repeat(16))
                    };
                    let loc = match *source {
                        "shared-credentials-file" => "~/.aws/credentials",
                        "config-file" => "~/.aws/config",
                        _ => "",
                    };
                    (mask(k), mask(s), *source, loc)
                }
                None => ("<not set>".into(), "<not set>".into(), "None", "None"),
            };
            out.push_str(&format!(
                "{:>10} {:>24} {:>16} {:>24}\n",
                "access_key", ak, ty, loc
            ));
            out.push_str(&format!(
                "{:>10} {:>24} {:>16} {:>24}\n",
                "secret_key", sk, ty, loc
            ));
            let region = if let Some(r) = &g.region {
                (r.clone(), "manual", "--region".to_string())
            } else if let Some(r) = c
                .env_var("AWS_REGION")
                .or_else(|| c.env_var("AWS_DEFAULT_REGION"))
            {
                (r, "env", "AWS_DEFAULT_REGION".into())
            } else if let Some(r) = file_setting(c, "config", &profile, "region") {
                (r, "config-file", "~/.aws/config".into())
            } else {
                ("<not set>".into(), "None", "None".into())
            };
            out.push_str(&format!(
                "{:>10} {:>24} {:>16} {:>24}\n",
                "region", region.0, region.1, region.2
            ));
            Ok(Output::ok(out))
        }
        Some("get") => {
            let Some(key) = rest.get(1) else {
                return Err(usage_error("the following arguments are required: varname"));
            };
            let file = if key.starts_with("aws_") {
                "credentials"
            } else {
                "config"
            };
            match file_setting(c, file, &profile, key) {
                Some(v) => Ok(Output::ok(format!("{v}\n"))),
                None => Ok(Output::err("", 1)),
            }
        }
        Some("set") => {
            let (Some(key), Some(value)) = (rest.get(1), rest.get(2)) else {
                return Err(usage_error(
                    "the following arguments are required: varname, value",
                ));
            };
            let file = if key.starts_with("aws_") {
                "credentials"
            } else {
                "config"
            };
            set_setting(c, file, &profile, key, value);
            Ok(Output::default())
        }
        Some(other) => Err(invalid_choice("subcommand", other, &["list", "get", "set"])),
    }
}

/// `aws help`.
pub fn help_all() -> String {
    let mut s = String::from("aws: the AWS Command Line Interface, simulated\n\nUsage: aws [options] <command> <subcommand> [parameters]\n\nEvery call goes to this sandbox's simulated account (account 111122223333, us-east-1):\nnothing leaves the page. Calls are authorized by IAM like real ones.\n\nCommands:\n");
    for svc in SERVICES {
        s.push_str(&format!("  {:<22}{}\n", svc.name, svc.doc));
    }
    s.push_str("\nGlobal options:\n");
    for (n, takes, d) in GLOBALS {
        s.push_str(&format!(
            "  {:<22}{}\n",
            format!("{n}{}", if *takes { " <value>" } else { "" }),
            d
        ));
    }
    s.push_str(
        "\nTry: aws sts get-caller-identity\n     aws ec2 describe-instances --output table\n",
    );
    s
}

/// `aws <service> help`.
pub fn help_service(svc: &Service) -> String {
    let mut s = format!("aws {}: {}\n\nOperations:\n", svc.name, svc.doc);
    for op in svc.ops {
        s.push_str(&format!("  {:<34}{}\n", op.name, op.doc));
    }
    s
}

/// `aws <service> <operation> help`.
pub fn help_op(svc: &Service, op: &Op) -> String {
    let mut s = format!(
        "aws {} {}: {}\n\nAPI operation: {}\n\nOptions:\n",
        svc.name, op.name, op.doc, op.api
    );
    for prm in op.params {
        let name = match prm.kind {
            Kind::Paths(_) => format!("<{}>", prm.name),
            _ => prm.name.to_string(),
        };
        s.push_str(&format!(
            "  {:<34}{}{}\n",
            name,
            prm.doc,
            if prm.required { " (required)" } else { "" }
        ));
    }
    if op.name == "wait" {
        s.push_str("\nWaiters: instance-running, instance-stopped, instance-terminated\n");
    }
    s
}
