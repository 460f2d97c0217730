use super::*;

fn fn_who(role: &str, function: &str) -> Who {
    Who::Function {
        role: role.into(),
        function: function.into(),
    }
}

const PUT_PHOTOS: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/photos"}]}"#;

#[test]
fn a_role_without_the_action_gets_the_enhanced_message() {
    let a = Access::build(
        &[IdentitySpec::role("labeler-role", "Photos", PUT_PHOTOS)],
        vec![],
    )
    .unwrap();
    let table = "arn:aws:dynamodb:us-east-1:111122223333:table/photos";
    assert!(a
        .authorize(
            &fn_who("labeler-role", "labeler"),
            "dynamodb:PutItem",
            table,
            table
        )
        .is_ok());
    let d = a
        .authorize(
            &fn_who("labeler-role", "labeler"),
            "dynamodb:GetItem",
            table,
            table,
        )
        .unwrap_err();
    assert_eq!(d.decision, Decision::ImplicitDeny);
    assert_eq!(
        d.message,
        "User: arn:aws:sts::111122223333:assumed-role/labeler-role/labeler is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:111122223333:table/photos because no identity-based policy allows the dynamodb:GetItem action"
    );
    assert_eq!(denied_code(&d.action), ("AccessDeniedException", 400));
    // The IAM page gets the same request and policies back, and decides it the same way.
    let state = a.iam_state(&d);
    state.check().unwrap();
    let compiled = state.compile();
    let runs = state.run(&compiled);
    let (_, e) = runs[0].as_ref().unwrap();
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.reason, d.reason);
}

#[test]
fn an_explicit_deny_in_a_boundary_names_it() {
    let mut role = IdentitySpec::role("app", "All", ADMINISTRATOR_ACCESS);
    role.boundary = Some(Doc::new(
        "NoDeletes",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"dynamodb:DeleteItem","Resource":"*"}]}"#,
    ));
    let a = Access::build(&[role], vec![]).unwrap();
    let d = a
        .authorize(
            &Who::Identity("app".into()),
            "dynamodb:DeleteItem",
            "arn:aws:dynamodb:us-east-1:111122223333:table/t",
            "",
        )
        .unwrap_err();
    assert_eq!(d.decision, Decision::ExplicitDeny);
    assert!(
        d.message
            .ends_with("with an explicit deny in a permissions boundary"),
        "{}",
        d.message
    );
    assert!(d.message.contains("assumed-role/app/script"));
}

#[test]
fn a_service_needs_the_resource_policy_and_its_source() {
    let queue = "arn:aws:sqs:us-east-1:111122223333:orders";
    let topic = "arn:aws:sns:us-east-1:111122223333:events";
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"sns.amazonaws.com"}},"Action":"sqs:SendMessage","Resource":"{queue}","Condition":{{"ArnEquals":{{"aws:SourceArn":"{topic}"}}}}}}]}}"#
    );
    let sns = |source: &str| Who::Service {
        principal: "sns.amazonaws.com",
        source_arn: source.into(),
    };
    // No queue policy: SNS is refused, whatever the account's identities may do.
    let open = Access::build(&[], vec![]).unwrap();
    let d = open
        .authorize(&sns(topic), "sqs:SendMessage", queue, queue)
        .unwrap_err();
    assert_eq!(d.decision, Decision::ImplicitDeny);
    assert_eq!(denied_code(&d.action), ("AccessDenied", 403));
    let a = Access::build(
        &[],
        vec![ResourcePolicy {
            arn: queue.into(),
            name: "queue orders".into(),
            text: policy,
        }],
    )
    .unwrap();
    assert!(a
        .authorize(&sns(topic), "sqs:SendMessage", queue, queue)
        .is_ok());
    // Another topic is not the source the policy names.
    assert!(a
        .authorize(
            &sns("arn:aws:sns:us-east-1:111122223333:other"),
            "sqs:SendMessage",
            queue,
            queue
        )
        .is_err());
    // The IAM page sees the service and its context keys.
    let d = a
        .authorize(
            &sns("arn:aws:sns:us-east-1:111122223333:other"),
            "sqs:SendMessage",
            queue,
            queue,
        )
        .unwrap_err();
    let state = a.iam_state(&d);
    assert!(state.resource.is_some());
    assert!(state.requests[0]
        .context
        .contains("aws:SourceArn = arn:aws:sns:us-east-1:111122223333:other"));
    let runs = state.run(&state.compile());
    assert_eq!(runs[0].as_ref().unwrap().1.decision, Decision::ImplicitDeny);
}

#[test]
fn the_script_user_admin_is_built_in_and_can_be_replaced() {
    let a = Access::build(&[], vec![]).unwrap();
    assert!(a
        .authorize(
            &Who::Identity(ADMIN.into()),
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-1:111122223333:q",
            ""
        )
        .is_ok());
    let mut limited = IdentitySpec::role(
        ADMIN,
        "ReadOnly",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:Get*","Resource":"*"}]}"#,
    );
    limited.kind = IdentityKind::User;
    let a = Access::build(&[limited], vec![]).unwrap();
    let d = a
        .authorize(
            &Who::Identity(ADMIN.into()),
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-1:111122223333:q",
            "",
        )
        .unwrap_err();
    assert!(d
        .message
        .starts_with("User: arn:aws:iam::111122223333:user/admin is not authorized"));
}

#[test]
fn bad_policies_and_names_are_named() {
    let errors = Access::build(
        &[
            IdentitySpec::role("r", "Broken", "{not json"),
            IdentitySpec::role("bad name", "P", ADMINISTRATOR_ACCESS),
            IdentitySpec::role("r", "P", ADMINISTRATOR_ACCESS),
        ],
        vec![],
    )
    .unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].starts_with("Role r, policy Broken:"),
        "{}",
        errors[0]
    );
    assert!(errors[1].contains("not a valid name"));
    assert!(errors[2].contains("EntityAlreadyExists"));
}

#[test]
fn an_account_without_iam_allows_everything() {
    let a = Access::default();
    assert!(a
        .authorize(
            &fn_who("", "f"),
            "dynamodb:PutItem",
            "arn:aws:dynamodb:us-east-1:111122223333:table/t",
            ""
        )
        .is_ok());
}

#[test]
fn an_explicit_deny_in_an_identity_policy_reads_as_aws_writes_it() {
    let role = IdentitySpec::role(
        "app",
        "NoDeletes",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sqs:DeleteMessage","Resource":"*"}]}"#,
    );
    let a = Access::build(&[role], vec![]).unwrap();
    let d = a
        .authorize(
            &Who::Identity("app".into()),
            "sqs:DeleteMessage",
            "arn:aws:sqs:us-east-1:111122223333:q",
            "",
        )
        .unwrap_err();
    assert!(
        d.message
            .ends_with("with an explicit deny in an identity-based policy"),
        "{}",
        d.message
    );
}

/// A role's trust policy decides who may assume it (IAM User Guide, "Policy evaluation
/// logic"; Lambda's CreateFunction refuses a role Lambda cannot assume).
#[test]
fn a_role_is_assumed_only_by_whom_its_trust_policy_names() {
    let ec2_trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let mut web = IdentitySpec::role("web", "P", ADMINISTRATOR_ACCESS);
    web.trust = Some(ec2_trust.into());
    let worker = IdentitySpec::role("worker-role", "P", ADMINISTRATOR_ACCESS);
    let a = Access::build(&[web, worker], vec![]).unwrap();
    assert!(a.assumable_by("worker-role", "lambda.amazonaws.com"));
    assert!(!a.assumable_by("worker-role", "ec2.amazonaws.com"));
    assert!(a.assumable_by("web", "ec2.amazonaws.com"));
    assert!(!a.assumable_by("web", "lambda.amazonaws.com"));
    assert!(!a.assumable_by("none", "lambda.amazonaws.com"));
    // A trust policy that does not parse is named like any policy.
    let mut bad = IdentitySpec::role("x", "P", ADMINISTRATOR_ACCESS);
    bad.trust = Some("{".into());
    let e = Access::build(&[bad], vec![]).unwrap_err();
    assert!(e[0].starts_with("Role x, policy trust policy:"), "{e:?}");
    // A function whose role only EC2 may assume is refused, saying why.
    let mut d = crate::core::views::flow::templates::scenario("photo").definitions();
    let role = d
        .identities
        .iter_mut()
        .find(|i| i.name == "labeler-role")
        .unwrap();
    role.trust = Some(ec2_trust.into());
    let e = d.build().err().unwrap().join("; ");
    assert!(
        e.contains(
            "the trust policy of role labeler-role does not let lambda.amazonaws.com assume it"
        ),
        "{e}"
    );
}
