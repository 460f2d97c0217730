use super::*;
use crate::core::services::ec2::network::templates::single_web_server;

const AL2023: &str = "ami-0a3c3a20c09d6f377";

fn console() -> Console {
    Console::new(single_web_server())
}

pub(super) fn ok(c: &mut Console, line: &str) -> String {
    let o = c.run(line);
    assert_eq!(
        o.code, 0,
        "{line}\nstdout: {}\nstderr: {}",
        o.stdout, o.stderr
    );
    o.stdout
}

/// Launches `n` instances into the public subnet and returns their ids.
fn launch(c: &mut Console, extra: &str) -> Vec<String> {
    let out = ok(
        c,
        &format!("aws ec2 run-instances --image-id {AL2023} --instance-type t3.micro --subnet-id subnet-public-a --query 'Instances[].InstanceId' --output text {extra}"),
    );
    out.split_whitespace().map(str::to_string).collect()
}

#[test]
fn the_issues_describe_instances_outputs() {
    let mut c = console();
    let a = launch(&mut c, "")[0].clone();
    let b = launch(&mut c, "")[0].clone();
    ok(
        &mut c,
        &format!("aws ec2 wait instance-running --instance-ids {a} {b}"),
    );
    ok(
        &mut c,
        &format!("aws ec2 stop-instances --instance-ids {b}"),
    );
    ok(
        &mut c,
        &format!("aws ec2 wait instance-stopped --instance-ids {b}"),
    );
    let q = format!("aws ec2 describe-instances --instance-ids {a} {b} --query 'Reservations[].Instances[].[InstanceId,State.Name]'");
    // Text: one tab-separated line per instance.
    assert_eq!(
        ok(&mut c, &format!("{q} --output text")),
        format!("{a}\trunning\n{b}\tstopped\n")
    );
    // Table: the titled box table.
    assert_eq!(
        ok(&mut c, &format!("{q} --output table")),
        format!(
            "------------------------------------\n|         DescribeInstances        |\n+----------------------+-----------+\n|  {a} |  running  |\n|  {b} |  stopped  |\n+----------------------+-----------+\n"
        )
    );
    // JSON: four spaces.
    assert_eq!(
        ok(&mut c, &format!("{q} --output json")),
        format!("[\n    [\n        \"{a}\",\n        \"running\"\n    ],\n    [\n        \"{b}\",\n        \"stopped\"\n    ]\n]\n")
    );
    // Text prints null as None and an empty list as nothing.
    assert_eq!(ok(&mut c, &format!("aws ec2 describe-instances --instance-ids {b} --query 'Reservations[0].Instances[0].PublicIpAddress' --output text")), "None\n");
    assert_eq!(ok(&mut c, "aws ec2 describe-instances --filters Name=instance-state-name,Values=pending --query 'Reservations' --output text"), "");
    // The full text output names each nested list by its key.
    let text = ok(
        &mut c,
        &format!("aws ec2 describe-instances --instance-ids {a} --output text"),
    );
    assert!(text.starts_with("RESERVATIONS\t111122223333\tr-"), "{text}");
    assert!(
        text.contains("\nINSTANCES\t") && text.contains("\nSTATE\t16\trunning\n"),
        "{text}"
    );
}

#[test]
fn imds_from_the_instance_shell() {
    let mut c = console();
    let role = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    ok(
        &mut c,
        &format!("aws iam create-role --role-name web-role --assume-role-policy-document '{role}'"),
    );
    let o = c.run(&format!("aws ec2 run-instances --image-id {AL2023} --subnet-id subnet-public-a --instance-type t3.micro --key-name my-key"));
    assert!(o.stderr.contains("(InvalidKeyPair.NotFound) when calling the RunInstances operation: The key pair 'my-key' does not exist"), "{}", o.stderr);
    ok(
        &mut c,
        "aws ec2 create-key-pair --key-name my-key --query KeyMaterial --output text > my-key.pem",
    );
    assert!(ok(&mut c, "cat my-key.pem").starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let id = launch(
        &mut c,
        "--key-name my-key --iam-instance-profile Name=web-role",
    )[0]
    .clone();
    ok(
        &mut c,
        &format!("aws ec2 wait instance-running --instance-ids {id}"),
    );
    // Port 22 is closed in the template's web group: ssh times out, naming the reason.
    let o = c.run(&format!("aws ec2-instance-connect ssh --instance-id {id}"));
    assert_eq!(o.code, 255);
    assert!(
        o.stderr.contains("port 22: Connection timed out"),
        "{}",
        o.stderr
    );
    // The instance has the VPC's default group, which lets nothing in from the internet.
    // Open 22 on it and connect.
    let sg = ok(&mut c, &format!("aws ec2 describe-instances --instance-ids {id} --query 'Reservations[0].Instances[0].SecurityGroups[0].GroupId' --output text"));
    ok(&mut c, &format!("aws ec2 authorize-security-group-ingress --group-id {} --protocol tcp --port 22 --cidr 0.0.0.0/0", sg.trim()));
    // ssh needs the private key.
    let ip = ok(&mut c, &format!("aws ec2 describe-instances --instance-ids {id} --query 'Reservations[0].Instances[0].PublicIpAddress' --output text"));
    assert!(c
        .run(&format!("ssh ec2-user@{}", ip.trim()))
        .stderr
        .contains("Permission denied (publickey"));
    assert!(c
        .run(&format!("ssh -i my-key.pem ubuntu@{}", ip.trim()))
        .stderr
        .contains("Permission denied"));
    let o = ok(&mut c, &format!("ssh -i my-key.pem ec2-user@{}", ip.trim()));
    assert!(o.contains("Connected to"));
    ok(&mut c, "exit");
    let o = ok(
        &mut c,
        &format!("aws ec2-instance-connect ssh --instance-id {id}"),
    );
    assert!(o.contains("Connected to"));
    assert!(
        c.prompt().starts_with("[ec2-user@ip-10-0-1-4 ~]$"),
        "{}",
        c.prompt()
    );
    // IMDSv2 is required on Amazon Linux 2023: no token, 401.
    let o = ok(&mut c, "curl -s -o /dev/null -w '%{http_code}' http://169.254.169.254/latest/meta-data/instance-id");
    assert!(o.ends_with("401"), "{o}");
    // The token rules of the issue: TTL 0 → 400, 21,600 → 200.
    let o = ok(
        &mut c,
        r#"curl -s -X PUT -w ' %{http_code}' -H "X-aws-ec2-metadata-token-ttl-seconds: 0" http://169.254.169.254/latest/api/token"#,
    );
    assert!(o.ends_with(" 400"), "{o}");
    // The user guide's two-step example.
    let o = ok(
        &mut c,
        r#"TOKEN=`curl -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600"` && curl -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id"#,
    );
    assert_eq!(o, id);
    let o = ok(
        &mut c,
        r#"curl -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/iam/security-credentials/"#,
    );
    assert_eq!(o, "web-role");
    // On the instance, the CLI's credentials come from the instance profile.
    let o = ok(
        &mut c,
        "aws sts get-caller-identity --query Arn --output text",
    );
    assert_eq!(
        o,
        format!("arn:aws:sts::111122223333:assumed-role/web-role/{id}\n")
    );
    // The role has no policy yet: EC2 refuses.
    let o = c.run("aws ec2 describe-instances");
    assert_eq!(o.code, 254);
    assert!(o.stderr.contains("An error occurred (UnauthorizedOperation) when calling the DescribeInstances operation: You are not authorized to perform this operation."), "{}", o.stderr);
    ok(&mut c, "exit");
    ok(&mut c, "aws iam attach-role-policy --role-name web-role --policy-arn arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess");
    ok(
        &mut c,
        &format!("aws ec2-instance-connect ssh --instance-id {id}"),
    );
    ok(
        &mut c,
        "aws ec2 describe-instances --output text --query 'Reservations[].Instances[].InstanceId'",
    );
    // The computer's environment does not follow onto the instance.
    assert_eq!(c.run("curl http://example.com/").code, 28);
}

#[test]
fn the_credential_chain_in_its_documented_order() {
    let mut c = console();
    let who = |c: &mut Console| ok(c, "aws sts get-caller-identity --query Arn --output text");
    assert_eq!(who(&mut c), "arn:aws:iam::111122223333:user/student\n");
    // A second user's keys in the environment beat the credentials file.
    c.keys.insert(
        "AKIAI44QH8DHBEXAMPLE".into(),
        (
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY".into(),
            "alice".into(),
        ),
    );
    ok(&mut c, "export AWS_ACCESS_KEY_ID=AKIAI44QH8DHBEXAMPLE AWS_SECRET_ACCESS_KEY=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY");
    assert_eq!(who(&mut c), "arn:aws:iam::111122223333:user/alice\n");
    // A --profile on the command line beats the environment.
    assert_eq!(
        ok(
            &mut c,
            "aws sts get-caller-identity --profile default --query Arn --output text"
        ),
        "arn:aws:iam::111122223333:user/student\n"
    );
    // An unknown profile.
    let o = c.run("aws sts get-caller-identity --profile nope");
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (255, "\nThe config profile (nope) could not be found\n")
    );
    // A wrong secret.
    ok(&mut c, "export AWS_SECRET_ACCESS_KEY=wrong");
    let o = c.run("aws sts get-caller-identity");
    assert_eq!(o.code, 254);
    assert!(o
        .stderr
        .contains("(SignatureDoesNotMatch) when calling the GetCallerIdentity operation"));
    ok(&mut c, "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY");
    // No credentials anywhere: 253.
    c.files.clear();
    let o = c.run("aws ec2 describe-instances --region us-east-1");
    assert_eq!(o.code, 253);
    assert_eq!(o.stderr, "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n");
    let o = c.run("aws ec2 describe-instances");
    assert_eq!(o.code, 253);
    assert!(o.stderr.contains("You must specify a region."));
    // aws configure writes both files; answers replace, empty answers keep.
    ok(&mut c, "aws configure");
    assert_eq!(c.prompt(), "AWS Access Key ID [None]:");
    ok(&mut c, ACCESS_KEY);
    ok(&mut c, SECRET_KEY);
    ok(&mut c, "eu-west-1");
    assert_eq!(c.prompt(), "Default output format [None]:");
    ok(&mut c, "");
    assert_eq!(c.prompt(), "student@laptop:~$");
    assert_eq!(
        ok(&mut c, "cat ~/.aws/config"),
        "[default]\nregion = eu-west-1\n"
    );
    assert_eq!(ok(&mut c, "aws configure get region"), "eu-west-1\n");
    // The account's resources are in us-east-1: eu-west-1 has none.
    assert_eq!(
        ok(&mut c, "aws ec2 describe-instances --output json"),
        "{\n    \"Reservations\": []\n}\n"
    );
    assert!(ok(&mut c, "aws ec2 describe-instances --region us-east-1").contains("i-web"));
}

#[test]
fn errors_and_exit_codes_as_the_cli_prints_them() {
    let mut c = console();
    let o = c.run("aws");
    assert_eq!(o.code, 252);
    assert!(o
        .stderr
        .ends_with("aws: error: the following arguments are required: command\n\n"));
    let o = c.run("aws ec3 describe-instances");
    assert_eq!(o.code, 252);
    assert!(o
        .stderr
        .contains("aws: error: argument command: Invalid choice, valid choices are:"));
    let o = c.run("aws ec2 describe-instance");
    assert!(
        o.stderr.contains(
            "Invalid choice: 'describe-instance', maybe you meant:\n\n  * describe-instances"
        ),
        "{}",
        o.stderr
    );
    let o = c.run("aws ec2 terminate-instances");
    assert!(o
        .stderr
        .contains("the following arguments are required: --instance-ids"));
    let o = c.run("aws ec2 describe-instances --instance-ids i-0123456789abcdef0");
    assert_eq!(o.code, 254);
    assert_eq!(o.stderr, "\nAn error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist\n");
    let o = c.run("aws ec2 describe-instances --output xml");
    assert_eq!(o.code, 252);
    let o = c.run("aws ec2 describe-instances --query 'Reservations['");
    assert_eq!(o.code, 252);
    assert!(o.stderr.contains("Bad value for --query Reservations["));
    let o = c.run("aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --subnet-id subnet-public-a --instance-type t3.micro --dry-run");
    assert_eq!(o.code, 254);
    assert!(o.stderr.contains("(DryRunOperation) when calling the RunInstances operation: Request would have succeeded, but DryRun flag is set."));
    // Nothing was launched by the dry run.
    assert_eq!(c.account.ec2.instances.len(), 1);
    assert_eq!(c.run("nonsense").code, 127);
    assert_eq!(c.run("false || echo fallback").stdout, "fallback\n");
    assert_eq!(c.run("false && echo never").stdout, "");
}

#[test]
fn protection_lifecycle_user_data_and_billing_through_the_console() {
    let mut c = console();
    ok(&mut c, "echo -e '#!/bin/bash\\nyum install -y httpd\\necho \"<h1>Hello from $(hostname)</h1>\" > /var/www/html/index.html' > userdata.sh");
    let id = launch(
        &mut c,
        "--user-data file://userdata.sh --disable-api-termination",
    )[0]
    .clone();
    ok(
        &mut c,
        &format!("aws ec2 wait instance-running --instance-ids {id}"),
    );
    let o = c.run(&format!("aws ec2 terminate-instances --instance-ids {id}"));
    assert_eq!(o.code, 254);
    assert!(o.stderr.contains("OperationNotPermitted"));
    let log = ok(
        &mut c,
        &format!("aws ec2 get-console-output --instance-id {id} --query Output --output text"),
    );
    assert!(log.contains("+ yum install -y httpd"), "{log}");
    assert!(
        log.contains("+ echo \"<h1>Hello from $(hostname)</h1>\" > /var/www/html/index.html"),
        "{log}"
    );
    let page = &c.account.ec2.instance(&id).unwrap().compute.files["/var/www/html/index.html"];
    assert_eq!(page, "<h1>Hello from ip-10-0-1-4.ec2.internal</h1>\n");
    ok(
        &mut c,
        &format!(
            "aws ec2 modify-instance-attribute --instance-id {id} --no-disable-api-termination"
        ),
    );
    ok(
        &mut c,
        &format!("aws ec2 terminate-instances --instance-ids {id}"),
    );
    ok(
        &mut c,
        &format!("aws ec2 wait instance-terminated --instance-ids {id}"),
    );
    let o = c.run(&format!("aws ec2 start-instances --instance-ids {id}"));
    assert_eq!(o.code, 254);
    assert!(o.stderr.contains(&format!("(IncorrectInstanceState) when calling the StartInstances operation: The instance '{id}' is not in a state from which it can be started.")));
    // A waiter that cannot succeed gives up with 255.
    let o = c.run(&format!(
        "aws ec2 wait instance-running --instance-ids {id}"
    ));
    assert_eq!(o.code, 255);
    assert!(
        o.stderr.starts_with("\nWaiter InstanceRunning failed:"),
        "{}",
        o.stderr
    );
    // Billing: running from the end of pending to the termination, at least 60 s.
    let bill = compute::bill(&c.account.ec2.instance(&id).unwrap().compute, c.now());
    assert!(bill.billed_s >= 60);
}

#[test]
fn every_call_is_traced_and_authorized() {
    let mut c = console();
    ok(&mut c, "aws ec2 describe-instances");
    ok(&mut c, "aws sts get-caller-identity");
    let trace: Vec<(&str, &str)> = c
        .account
        .trace
        .entries()
        .iter()
        .map(|t| (t.code, t.text.as_str()))
        .collect();
    assert_eq!(
        trace,
        [
            ("API_CALL", "DescribeInstances succeeded."),
            ("API_CALL", "GetCallerIdentity succeeded.")
        ]
    );
    assert_eq!(
        c.account.trace.entries()[0].actor,
        "arn:aws:iam::111122223333:user/student"
    );
}

#[test]
fn completion_and_history() {
    let mut c = console();
    assert_eq!(
        complete::complete(&c, "aws e"),
        ["ec2", "ec2-instance-connect"]
    );
    assert_eq!(
        complete::complete(&c, "aws ec2 describe-i"),
        [
            "describe-images",
            "describe-instance-types",
            "describe-instances"
        ]
    );
    assert_eq!(
        complete::complete(&c, "aws ec2 describe-instances --out"),
        ["--output"]
    );
    assert_eq!(
        complete::complete(&c, "aws ec2 describe-instances --output "),
        ["json", "table", "text", "yaml"]
    );
    assert_eq!(
        complete::complete(&c, "aws ec2 stop-instances --instance-ids "),
        ["i-web"]
    );
    assert_eq!(
        complete::complete(&c, "aws ec2 wait instance-r"),
        ["instance-running"]
    );
    assert_eq!(
        complete::common_prefix(&["describe-images".into(), "describe-instances".into()]),
        "describe-i"
    );
    ok(&mut c, "echo one");
    ok(&mut c, "echo two");
    assert_eq!(
        ok(&mut c, "history"),
        "    1  echo one\n    2  echo two\n    3  history\n"
    );
    assert!(ok(&mut c, "aws help").contains("ec2"));
    assert!(ok(&mut c, "aws ec2 run-instances help").contains("--user-data"));
}

#[test]
fn the_clock_moves_with_each_command() {
    let mut c = console();
    let id = launch(&mut c, "")[0].clone();
    let state = |c: &mut Console| {
        ok(c, &format!("aws ec2 describe-instances --instance-ids {id} --query 'Reservations[0].Instances[0].State.Name' --output text"))
    };
    assert_eq!(state(&mut c), "pending\n");
    ok(&mut c, "sleep 10");
    assert_eq!(state(&mut c), "running\n");
}

#[test]
fn the_reviewers_inputs_are_handled() {
    let mut c = console();
    // Multibyte keys do not break `configure list`.
    let o = c.run("AWS_ACCESS_KEY_ID=€€€€€ AWS_SECRET_ACCESS_KEY=x aws configure list");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("****************€€€€"), "{}", o.stdout);
    // A query of thousands of operators is refused before parsing.
    let o = c.run(&format!(
        "aws sts get-caller-identity --query '{}Account'",
        "!".repeat(4000)
    ));
    assert_eq!(o.code, 252);
    assert!(o.stderr.contains("more than 128 operators"));
    // Doubling a variable stops at 1 MiB.
    let mut doubling = String::from("X=0123456789abcdef");
    for _ in 0..20 {
        doubling.push_str("; X=$X$X");
    }
    let o = c.run(&doubling);
    assert!(o.stderr.contains("more than 1 MiB"), "{}", o.stderr);
    // An assignment's status is its substitution's.
    assert_eq!(c.run("T=$(false) && echo got").stdout, "");
    assert_eq!(c.run("T=$(true) && echo got").stdout, "got\n");
    // A flag with a value is refused, as argparse refuses it.
    let o = c.run(
        "aws ec2 modify-instance-attribute --instance-id i-web --disable-api-termination=false",
    );
    assert_eq!(o.code, 252);
    assert!(o
        .stderr
        .contains("argument --disable-api-termination: ignored explicit argument 'false'"));
    // Standard error to /dev/null, or into the output.
    let o = c.run("aws ec2 describe-instances --instance-ids i-nope 2>/dev/null");
    assert_eq!((o.code, o.stderr.as_str()), (254, ""));
    let o = c.run("aws ec2 describe-instances --instance-ids i-nope 2>&1");
    assert!(o.stdout.contains("InvalidInstanceID.NotFound"));
    // A Region that is not one: no endpoint.
    let o = c.run("aws ec2 describe-instances --region us-east-1a");
    assert_eq!(o.code, 255);
    assert_eq!(
        o.stderr,
        "\nCould not connect to the endpoint URL: \"https://ec2.us-east-1a.amazonaws.com/\"\n"
    );
    // AWS_PROFILE naming a missing profile.
    let o = c.run("AWS_PROFILE=nope aws sts get-caller-identity");
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (255, "\nThe config profile (nope) could not be found\n")
    );
    // Metadata options at launch are checked and kept.
    let o = c.run(&format!("aws ec2 run-instances --image-id {AL2023} --subnet-id subnet-public-a --instance-type t3.micro --metadata-options HttpTokens=maybe"));
    assert!(
        o.stderr
            .contains("Value (maybe) for parameter HttpTokens is invalid"),
        "{}",
        o.stderr
    );
    let id = launch(
        &mut c,
        "--metadata-options HttpEndpoint=disabled,HttpPutResponseHopLimit=3",
    )[0]
    .clone();
    let i = c.account.ec2.instance(&id).unwrap();
    assert!(!i.compute.metadata.endpoint_enabled);
    assert_eq!(i.compute.metadata.hop_limit, 3);
    let o = c.run(&format!("aws ec2 modify-instance-metadata-options --instance-id {id} --http-put-response-hop-limit 300"));
    assert!(
        o.stderr
            .contains("Invalid value '300' for HttpPutResponseHopLimit"),
        "{}",
        o.stderr
    );
}

#[test]
fn user_data_runs_apart_from_the_students_session() {
    let mut c = console();
    ok(
        &mut c,
        "echo -e 'whoami > /tmp/who\\nsleep 3600\\nexit\\necho never > /tmp/after' > ud.sh",
    );
    let before = c.now();
    let id = launch(&mut c, "--user-data file://ud.sh")[0].clone();
    ok(&mut c, "MINE=kept");
    ok(
        &mut c,
        &format!("aws ec2 wait instance-running --instance-ids {id}"),
    );
    // The script's sleep did not move the student's clock: only the lines and the waiter.
    assert!(c.now() - before < 120_000, "{}", c.now() - before);
    let files = &c.account.ec2.instance(&id).unwrap().compute.files;
    assert_eq!(files.get("/tmp/who").map(String::as_str), Some("root\n"));
    assert!(!files.contains_key("/tmp/after"), "exit ends the script");
    assert_eq!(ok(&mut c, "echo $MINE"), "kept\n");
    assert_eq!(c.prompt(), "student@laptop:~$");
    // A failed command's status survives a boot in between.
    let o = c.run("false");
    assert_eq!(o.code, 1);
    assert_eq!(ok(&mut c, "echo $?"), "1\n");
}

#[test]
fn an_elastic_ip_stays_across_a_stop_and_start() {
    let mut c = console();
    let id = launch(&mut c, "")[0].clone();
    ok(
        &mut c,
        &format!("aws ec2 wait instance-running --instance-ids {id}"),
    );
    let ip = |c: &mut Console| {
        ok(c, &format!("aws ec2 describe-instances --instance-ids {id} --query 'Reservations[0].Instances[0].PublicIpAddress' --output text"))
    };
    let auto = ip(&mut c);
    let alloc = ok(
        &mut c,
        "aws ec2 allocate-address --domain vpc --query AllocationId --output text",
    );
    let alloc = alloc.trim();
    let eip = ok(&mut c, &format!("aws ec2 describe-addresses --allocation-ids {alloc} --query 'Addresses[0].PublicIp' --output text"));
    let assoc = ok(&mut c, &format!("aws ec2 associate-address --allocation-id {alloc} --instance-id {id} --query AssociationId --output text"));
    assert_eq!(ip(&mut c), eip);
    assert_ne!(ip(&mut c), auto);
    ok(
        &mut c,
        &format!("aws ec2 stop-instances --instance-ids {id}"),
    );
    ok(
        &mut c,
        &format!("aws ec2 wait instance-stopped --instance-ids {id}"),
    );
    assert_eq!(ip(&mut c), eip, "the Elastic IP stays while stopped");
    ok(
        &mut c,
        &format!("aws ec2 start-instances --instance-ids {id}"),
    );
    ok(
        &mut c,
        &format!("aws ec2 wait instance-running --instance-ids {id}"),
    );
    assert_eq!(ip(&mut c), eip, "and after the start");
    // Released while associated: refused. Disassociated: the instance has no public address
    // until its next start.
    assert_eq!(
        c.run(&format!("aws ec2 release-address --allocation-id {alloc}"))
            .code,
        254
    );
    ok(
        &mut c,
        &format!(
            "aws ec2 disassociate-address --association-id {}",
            assoc.trim()
        ),
    );
    assert_eq!(ip(&mut c), "None\n");
    ok(
        &mut c,
        &format!("aws ec2 release-address --allocation-id {alloc}"),
    );
    let o = c.run(&format!("aws ec2 release-address --allocation-id {alloc}"));
    assert!(
        o.stderr.contains("InvalidAllocationID.NotFound"),
        "{}",
        o.stderr
    );
}
