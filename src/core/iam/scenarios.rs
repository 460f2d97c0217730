//! The scenario library of the IAM page: the course notes' examples and the IAM User Guide's,
//! each a full page state (policies by layer and a table of requests). Every scenario's
//! decisions are tested below against what its source says.

use super::caller::{Caller, CallerKind, Mfa};
use super::eval::ResourceKind;
use super::state::{Doc, IamState, Row};

/// One scenario: an id (kept in links), a title, what it teaches, where it comes from, and
/// the state it loads.
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    /// The course notes' line or the AWS page the scenario follows.
    pub source: &'static str,
    build: fn() -> IamState,
}

impl Scenario {
    /// The page state this scenario loads.
    pub fn state(&self) -> IamState {
        IamState {
            scenario: self.id.to_string(),
            ..(self.build)()
        }
    }
}

/// Looks a scenario up by id.
pub fn by_id(id: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.id == id)
}

const ACCOUNT: &str = "111122223333";
const PARTNER: &str = "444455556666";

fn user(name: &str) -> Caller {
    Caller {
        kind: CallerKind::User,
        account: ACCOUNT.into(),
        name: name.into(),
        ..Default::default()
    }
}

fn role(name: &str, session: &str) -> Caller {
    Caller {
        kind: CallerKind::Role,
        account: ACCOUNT.into(),
        name: name.into(),
        session: session.into(),
        ..Default::default()
    }
}

fn service(name: &str) -> Caller {
    Caller {
        kind: CallerKind::Service,
        name: name.into(),
        ..Default::default()
    }
}

fn row(caller: Caller, action: &str, resource: &str, context: &str) -> Row {
    Row {
        caller,
        action: action.into(),
        resource: resource.into(),
        resource_account: String::new(),
        context: context.into(),
    }
}

fn base(identity: Vec<Doc>, requests: Vec<Row>) -> IamState {
    IamState {
        identity,
        requests,
        ..IamState::empty()
    }
}

const BUCKET_RW: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadWriteMyBucket",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::my_bucket/*"
    }
  ]
}"#;

const EC2_READ: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DescribeOnly",
      "Effect": "Allow",
      "Action": "ec2:Describe*",
      "Resource": "*"
    }
  ]
}"#;

const DENY_BUCKET: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyMyBucket",
      "Effect": "Deny",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::my_bucket", "arn:aws:s3:::my_bucket/*"]
    }
  ]
}"#;

fn bucket_policy(effect: &str) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "{effect}Ec2AppRole",
      "Effect": "{effect}",
      "Principal": {{"AWS": "arn:aws:iam::{ACCOUNT}:role/ec2-app-role"}},
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::my_bucket/*"
    }}
  ]
}}"#
    )
}

/// The course's EC2 instance role reading and writing `my_bucket`.
fn course_rows() -> Vec<Row> {
    let r = || role("ec2-app-role", "i-0abcd1234example");
    vec![
        row(r(), "s3:GetObject", "arn:aws:s3:::my_bucket/data.csv", ""),
        row(r(), "s3:PutObject", "arn:aws:s3:::my_bucket/data.csv", ""),
    ]
}

fn course(identity: &str, bucket: Option<String>) -> IamState {
    IamState {
        resource: bucket.map(|t| Doc::new("my_bucket policy", &t)),
        ..base(
            vec![Doc::new("ec2-app-role policy", identity)],
            course_rows(),
        )
    }
}

const GET_LIST: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadIam",
      "Effect": "Allow",
      "Action": ["iam:Get*", "iam:List*"],
      "Resource": "*"
    },
    {
      "Sid": "NoReports",
      "Effect": "Deny",
      "Action": "iam:*Report",
      "Resource": "*"
    }
  ]
}"#;

const MFA_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowEc2AndIamRead",
      "Effect": "Allow",
      "Action": ["ec2:*", "iam:List*", "iam:Get*"],
      "Resource": "*"
    },
    {
      "Sid": "DenyAllExceptListedIfNoMFA",
      "Effect": "Deny",
      "NotAction": ["iam:List*", "iam:Get*", "sts:GetSessionToken"],
      "Resource": "*",
      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
    }
  ]
}"#;

const HOME_FOLDER: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ListOwnFolder",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::company-home",
      "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}}
    },
    {
      "Sid": "ReadWriteOwnFolder",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      "Resource": "arn:aws:s3:::company-home/home/${aws:username}/*"
    }
  ]
}"#;

const PASS_ROLE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "LaunchInstances",
      "Effect": "Allow",
      "Action": ["ec2:RunInstances", "iam:GetRole"],
      "Resource": "*"
    },
    {
      "Sid": "PassAppRoleToEc2Only",
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "arn:aws:iam::111122223333:role/ec2-app-role",
      "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    }
  ]
}"#;

const TRUST_EC2: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "TrustEc2",
      "Effect": "Allow",
      "Principal": {"Service": "ec2.amazonaws.com"},
      "Action": "sts:AssumeRole"
    }
  ]
}"#;

const PARTNER_READ: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadPartnerReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::partner-reports/*"
    }
  ]
}"#;

const PARTNER_BUCKET: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ShareReportsWithAccountA",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::partner-reports/reports/*"
    }
  ]
}"#;

const ADMIN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AdministratorAccess",
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;

const BOUNDARY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AppTeamCeiling",
      "Effect": "Allow",
      "Action": ["s3:*", "cloudwatch:*", "ec2:Describe*"],
      "Resource": "*"
    }
  ]
}"#;

const FULL_ACCESS: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;

const REGION_SCP: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyAllOutsideEU",
      "Effect": "Deny",
      "NotAction": ["iam:*", "organizations:*", "route53:*", "sts:*", "support:*", "cloudfront:*"],
      "Resource": "*",
      "Condition": {
        "StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]}
      }
    }
  ]
}"#;

const EMPTY_SCP: &str = r#"{
  "Version": "2012-10-17",
  "Statement": []
}"#;

/// The first scenario and the page's default, as a plain function: the sandbox check of
/// every module builds the default state, and must not pull in the whole library.
pub fn three_outcomes() -> IamState {
    let u = || user("alice");
    IamState {
        scenario: "three-outcomes".into(),
        ..base(
            vec![Doc::new("ReadIamNoReports", GET_LIST)],
            vec![
                row(
                    u(),
                    "iam:GetUser",
                    "arn:aws:iam::111122223333:user/alice",
                    "",
                ),
                row(u(), "iam:CreatePolicy", "*", ""),
                row(u(), "iam:GetCredentialReport", "*", ""),
            ],
        )
    }
}

/// The text a newly added policy starts with, by where it goes: a small valid policy of
/// that kind to edit from.
pub fn template(place: super::state::Place) -> &'static str {
    use super::state::Place;
    match place {
        Place::Identity(_) | Place::Session(_) => {
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}"#
        }
        Place::Resource => {
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ShareWithAccount",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}"#
        }
        Place::Boundary | Place::Scp(..) => FULL_ACCESS,
        Place::Rcp(_) => {
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "RCPFullAWSAccess",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#
        }
    }
}

/// Every scenario, in the order the page lists them; the first is the page's default.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "three-outcomes",
        title: "Allow, implicit deny, explicit deny",
        summary: "One policy allows iam:Get* and iam:List* and denies iam:*Report: a GetUser call is allowed, CreatePolicy is denied because nothing allows it, and GetCredentialReport is denied outright even though Get* matches.",
        source: "IAM User Guide, policy evaluation logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)",
        build: three_outcomes,
    },
    Scenario {
        id: "course-s3-1",
        title: "Course example 1: role allows, no bucket policy",
        summary: "The EC2 instance's role allows reading and writing my_bucket and the bucket has no policy: the instance can read and write.",
        source: "Course notes, Advanced IAM, Example 1 (seed 004, lines 4890–4893)",
        build: || course(BUCKET_RW, None),
    },
    Scenario {
        id: "course-s3-2",
        title: "Course example 2: bucket policy denies the role",
        summary: "The role allows read and write, but the bucket policy explicitly denies that role: an explicit deny anywhere wins.",
        source: "Course notes, Advanced IAM, Example 2 (seed 004, lines 4896–4899)",
        build: || course(BUCKET_RW, Some(bucket_policy("Deny"))),
    },
    Scenario {
        id: "course-s3-3",
        title: "Course example 3: only the bucket policy allows",
        summary: "The role's own policy says nothing about S3, but the bucket policy allows the role: within one account either side may allow.",
        source: "Course notes, Advanced IAM, Example 3 (seed 004, lines 4902–4905)",
        build: || course(EC2_READ, Some(bucket_policy("Allow"))),
    },
    Scenario {
        id: "course-s3-4",
        title: "Course example 4: role denies, bucket allows",
        summary: "The bucket policy allows the role, but the role's policy explicitly denies the bucket: the deny wins.",
        source: "Course notes, Advanced IAM, Example 4 (seed 004, lines 4908–4911)",
        build: || course(DENY_BUCKET, Some(bucket_policy("Allow"))),
    },
    Scenario {
        id: "mfa",
        title: "No MFA, no changes",
        summary: "A deny with NotAction and BoolIfExists on aws:MultiFactorAuthPresent: without MFA only IAM reads and GetSessionToken work; access keys carry no MFA key at all, which IfExists also treats as a match.",
        source: "IAM User Guide, example policy: allow only with MFA, abridged (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html); course notes, STS with MFA (seed 004, lines 4845–4853)",
        build: || {
            let with = |mfa| Caller {
                mfa,
                ..user("alice")
            };
            base(
                vec![Doc::new("Ec2WithMfa", MFA_POLICY)],
                vec![
                    row(with(Mfa::Absent), "ec2:StopInstances", "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abcd1234example", ""),
                    row(with(Mfa::No), "ec2:StopInstances", "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abcd1234example", ""),
                    row(with(Mfa::Yes), "ec2:StopInstances", "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abcd1234example", ""),
                    row(with(Mfa::Absent), "iam:ListUsers", "*", ""),
                ],
            )
        },
    },
    Scenario {
        id: "home-folder",
        title: "A home folder per user with ${aws:username}",
        summary: "One policy for every user: ${aws:username} becomes the caller's own name, so alice reaches home/alice/ and not home/bob/, and can list only her folder.",
        source: "Course notes, Dynamic Policies with IAM (seed 004, lines 4914–4916); IAM User Guide, policy variables (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html)",
        build: || {
            let (a, b) = (|| user("alice"), || user("bob"));
            base(
                vec![Doc::new("HomeFolder", HOME_FOLDER)],
                vec![
                    row(a(), "s3:GetObject", "arn:aws:s3:::company-home/home/alice/notes.txt", ""),
                    row(a(), "s3:GetObject", "arn:aws:s3:::company-home/home/bob/notes.txt", ""),
                    row(b(), "s3:PutObject", "arn:aws:s3:::company-home/home/bob/todo.txt", ""),
                    row(a(), "s3:ListBucket", "arn:aws:s3:::company-home", "s3:prefix = home/alice/"),
                    row(a(), "s3:ListBucket", "arn:aws:s3:::company-home", "s3:prefix = home/bob/"),
                ],
            )
        },
    },
    Scenario {
        id: "pass-role",
        title: "PassRole, and the trust policy that limits it",
        summary: "A developer may pass ec2-app-role to EC2 only (iam:PassedToService); the role's trust policy lets only EC2 assume it, so a Lambda function could not use it even if it were passed.",
        source: "Course notes, Granting a User Permissions to Pass a Role (seed 004, lines 4923–4944); IAM User Guide, granting a user permissions to pass a role (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)",
        build: || {
            let dev = || user("developer");
            let role_arn = "arn:aws:iam::111122223333:role/ec2-app-role";
            IamState {
                resource: Some(Doc::new("ec2-app-role trust policy", TRUST_EC2)),
                resource_kind: ResourceKind::RoleTrust,
                ..base(
                    vec![Doc::new("LaunchWithAppRole", PASS_ROLE)],
                    vec![
                        row(dev(), "iam:PassRole", role_arn, "iam:PassedToService = ec2.amazonaws.com"),
                        row(dev(), "iam:PassRole", role_arn, "iam:PassedToService = lambda.amazonaws.com"),
                        row(service("ec2.amazonaws.com"), "sts:AssumeRole", role_arn, ""),
                        row(service("lambda.amazonaws.com"), "sts:AssumeRole", role_arn, ""),
                    ],
                )
            }
        },
    },
    Scenario {
        id: "cross-account",
        title: "Reading another account's bucket",
        summary: "Across accounts both sides must allow: alice's policy allows reading partner-reports, and the partner's bucket policy shares only reports/ with her account.",
        source: "IAM User Guide, cross-account policy evaluation logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)",
        build: || {
            let a = || user("alice");
            let mut rows = vec![
                row(a(), "s3:GetObject", "arn:aws:s3:::partner-reports/reports/q3.csv", ""),
                row(a(), "s3:GetObject", "arn:aws:s3:::partner-reports/private/salaries.csv", ""),
                row(a(), "s3:PutObject", "arn:aws:s3:::partner-reports/reports/q3.csv", ""),
            ];
            for r in &mut rows {
                r.resource_account = PARTNER.into();
            }
            IamState {
                resource: Some(Doc::new("partner-reports bucket policy", PARTNER_BUCKET)),
                ..base(vec![Doc::new("ReadPartnerReports", PARTNER_READ)], rows)
            }
        },
    },
    Scenario {
        id: "boundary",
        title: "A permissions boundary caps an administrator",
        summary: "The role has AdministratorAccess, but its boundary allows only S3, CloudWatch and EC2 reads: what is allowed is what both allow.",
        source: "IAM User Guide, permissions boundaries (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)",
        build: || {
            let r = || role("app-team-admin", "maria");
            IamState {
                boundary: Some(Doc::new("AppTeamCeiling", BOUNDARY)),
                ..base(
                    vec![Doc::new("AdministratorAccess", ADMIN)],
                    vec![
                        row(r(), "s3:PutObject", "arn:aws:s3:::app-team-data/log.txt", ""),
                        row(r(), "ec2:DescribeInstances", "*", ""),
                        row(r(), "ec2:TerminateInstances", "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abcd1234example", ""),
                        row(r(), "iam:CreateUser", "arn:aws:iam::111122223333:user/new-admin", ""),
                    ],
                )
            }
        },
    },
    Scenario {
        id: "scp-region",
        title: "An SCP that blocks Regions",
        summary: "An SCP on the OU denies everything outside eu-central-1 and eu-west-1, except global services named in NotAction: even an administrator is stopped.",
        source: "AWS Organizations User Guide, SCP examples: deny access based on the requested Region, abridged: without the exempt admin role (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html)",
        build: || {
            let u = || user("admin");
            IamState {
                scps: vec![
                    vec![Doc::new("FullAWSAccess", FULL_ACCESS)],
                    vec![
                        Doc::new("FullAWSAccess", FULL_ACCESS),
                        Doc::new("DenyAllOutsideEU", REGION_SCP),
                    ],
                    vec![Doc::new("FullAWSAccess", FULL_ACCESS)],
                ],
                ..base(
                    vec![Doc::new("AdministratorAccess", ADMIN)],
                    vec![
                        row(u(), "ec2:RunInstances", "*", "aws:RequestedRegion = eu-west-1"),
                        row(u(), "ec2:RunInstances", "*", "aws:RequestedRegion = us-east-1"),
                        row(u(), "iam:CreateUser", "arn:aws:iam::111122223333:user/new", "aws:RequestedRegion = us-east-1"),
                    ],
                )
            }
        },
    },
    Scenario {
        id: "scp-levels",
        title: "SCPs must allow at every level",
        summary: "The root and the account allow everything, but the OU between them has an SCP with no statements: with no allow at one level, nothing below it is allowed.",
        source: "AWS Organizations User Guide, SCP evaluation (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html)",
        build: || IamState {
            scps: vec![
                vec![Doc::new("FullAWSAccess", FULL_ACCESS)],
                vec![Doc::new("SandboxOU", EMPTY_SCP)],
                vec![Doc::new("FullAWSAccess", FULL_ACCESS)],
            ],
            ..base(
                vec![Doc::new("AdministratorAccess", ADMIN)],
                vec![row(user("admin"), "s3:ListAllMyBuckets", "*", "")],
            )
        },
    },
];

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::iam::Decision::{self, Allow, ExplicitDeny, ImplicitDeny};

    fn decisions(id: &str) -> Vec<Decision> {
        let s = by_id(id).unwrap().state();
        let c = s.compile();
        for d in &c.docs {
            assert!(d.error.is_none(), "{id}: {} {:?}", d.name, d.error);
        }
        s.run(&c)
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| panic!("{id}: {e:?}")).1.decision)
            .collect()
    }

    #[test]
    fn every_scenario_decides_as_its_source_says() {
        let want: [(&str, &[Decision]); 12] = [
            ("three-outcomes", &[Allow, ImplicitDeny, ExplicitDeny]),
            // The course notes' four examples, each for reading and writing.
            ("course-s3-1", &[Allow, Allow]),
            ("course-s3-2", &[ExplicitDeny, ExplicitDeny]),
            ("course-s3-3", &[Allow, Allow]),
            ("course-s3-4", &[ExplicitDeny, ExplicitDeny]),
            ("mfa", &[ExplicitDeny, ExplicitDeny, Allow, Allow]),
            (
                "home-folder",
                &[Allow, ImplicitDeny, Allow, Allow, ImplicitDeny],
            ),
            ("pass-role", &[Allow, ImplicitDeny, Allow, ImplicitDeny]),
            ("cross-account", &[Allow, ImplicitDeny, ImplicitDeny]),
            ("boundary", &[Allow, Allow, ImplicitDeny, ImplicitDeny]),
            ("scp-region", &[Allow, ExplicitDeny, Allow]),
            ("scp-levels", &[ImplicitDeny]),
        ];
        assert_eq!(want.len(), SCENARIOS.len());
        for (id, expect) in want {
            assert_eq!(decisions(id), expect, "{id}");
        }
    }

    #[test]
    fn the_default_is_the_first_scenario() {
        assert_eq!(SCENARIOS[0].state(), IamState::default());
    }

    #[test]
    fn ids_are_unique_and_sources_named() {
        for (i, s) in SCENARIOS.iter().enumerate() {
            assert!(SCENARIOS[..i].iter().all(|o| o.id != s.id), "{}", s.id);
            assert!(
                s.source.contains("Course notes")
                    || s.source.contains("https://docs.aws.amazon.com/")
            );
            assert!(s.summary.ends_with('.'));
        }
    }

    #[test]
    fn no_scenario_has_lint_errors() {
        for s in SCENARIOS {
            for d in s.state().compile().docs {
                for f in &d.findings {
                    assert_ne!(
                        f.severity,
                        crate::core::iam::lint::Severity::Error,
                        "{}: {} {}",
                        s.id,
                        d.name,
                        f.message
                    );
                }
            }
        }
    }
}
