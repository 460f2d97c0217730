use super::*;
use crate::core::services::ec2::network::model::{parse_ip, ElasticIp};
use crate::core::services::ec2::network::templates::single_web_server;

const OWNER: &str = "111122223333";
const AL2023: &str = "ami-0a3c3a20c09d6f377";

fn launch(
    n: &mut Network,
    now: u64,
    f: impl FnOnce(&mut RunRequest),
) -> Result<Vec<String>, AwsError> {
    let mut req = RunRequest {
        image_id: AL2023.into(),
        instance_type: Some("t3.micro".into()),
        count: 1,
        subnet: Some("subnet-public-a".into()),
        ..RunRequest::default()
    };
    f(&mut req);
    let doc = run_instances(n, now, OWNER, &req)?;
    let Some(Doc::List(list)) = doc.get("Instances") else {
        panic!("no instances")
    };
    Ok(list
        .iter()
        .map(|i| {
            i.get("InstanceId")
                .and_then(Doc::as_str)
                .unwrap()
                .to_string()
        })
        .collect())
}

fn state(n: &Network, id: &str) -> InstanceState {
    n.instance(id).unwrap().compute.state
}

#[test]
fn state_codes_are_awss() {
    let table: Vec<(u16, &str)> = InstanceState::ALL
        .iter()
        .map(|s| (s.code(), s.name()))
        .collect();
    assert_eq!(
        table,
        [
            (0, "pending"),
            (16, "running"),
            (32, "shutting-down"),
            (48, "terminated"),
            (64, "stopping"),
            (80, "stopped")
        ]
    );
}

#[test]
fn a_launch_is_pending_then_running_with_its_first_boot() {
    let mut n = single_web_server();
    let ids = launch(&mut n, 1_000, |r| {
        r.user_data = Some("#!/bin/bash\necho hi".into())
    })
    .unwrap();
    let id = &ids[0];
    assert!(id.starts_with("i-0") && id.len() == 19, "{id}");
    assert_eq!(state(&n, id), InstanceState::Pending);
    // Defaults: the default group of the VPC? The template's VPC has none marked default
    // here, so the list is what the template has; the private address is the subnet's first free one.
    let i = n.instance(id).unwrap();
    assert_eq!(ip_text(i.private_ip), "10.0.1.4");
    assert!(settle(&mut n, 1_000 + PENDING_MS - 1).is_empty());
    let boots = settle(&mut n, 1_000 + PENDING_MS);
    assert_eq!(
        boots,
        [Boot {
            instance: id.clone(),
            at_ms: 1_000 + PENDING_MS,
            first: true,
            resumed: false
        }]
    );
    assert_eq!(state(&n, id), InstanceState::Running);
    // A public subnet auto-assigns a public address, from the documentation range.
    assert_eq!(
        n.instance(id).unwrap().public_ip.map(ip_text).as_deref(),
        Some("203.0.113.10")
    );
    // Same launch, same ids: replays are deterministic.
    let mut again = single_web_server();
    assert_eq!(launch(&mut again, 1_000, |_| ()).unwrap(), ids);
}

#[test]
fn run_instances_refuses_with_ec2s_codes() {
    let mut n = single_web_server();
    let code = |n: &mut Network, f: fn(&mut RunRequest)| launch(n, 0, f).unwrap_err().code;
    assert_eq!(
        code(&mut n, |r| r.image_id = "abc".into()),
        "InvalidAMIID.Malformed"
    );
    assert_eq!(
        code(&mut n, |r| r.image_id = "ami-12345678".into()),
        "InvalidAMIID.NotFound"
    );
    assert_eq!(
        code(&mut n, |r| r.instance_type = Some("t3.huge".into())),
        "InvalidParameterValue"
    );
    let arm = launch(&mut n, 0, |r| r.instance_type = Some("t4g.micro".into())).unwrap_err();
    assert!(arm.message.starts_with("The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64'"), "{}", arm.message);
    assert_eq!(code(&mut n, |r| r.subnet = None), "VPCIdNotSpecified");
    assert_eq!(
        code(&mut n, |r| r.subnet = Some("subnet-nope".into())),
        "InvalidSubnetID.NotFound"
    );
    assert_eq!(
        code(&mut n, |r| r.groups = vec!["sg-nope".into()]),
        "InvalidGroup.NotFound"
    );
    assert_eq!(code(&mut n, |r| r.count = 0), "InvalidParameterValue");
    assert_eq!(
        code(&mut n, |r| r.hop_limit = Some(65)),
        "InvalidParameterValue"
    );
    // The course notes' vCPU quota (L1793): 1,152 vCPUs; a c6g.4xlarge has 16.
    let big = |r: &mut RunRequest| {
        r.image_id = "ami-02801556a781a4499".into();
        r.instance_type = Some("c6g.4xlarge".into());
        r.count = 20;
    };
    for _ in 0..3 {
        launch(&mut n, 0, big).unwrap();
    }
    // 60 × 16 = 960 vCPUs (+ 2 for the template's t3.micro); 20 more would be 1,282.
    assert_eq!(
        launch(&mut n, 0, big).unwrap_err().code,
        "VcpuLimitExceeded"
    );
    // Nothing of a refused call stays.
    assert_eq!(n.instances.len(), 61);
}

#[test]
fn termination_protection_set_at_launch_is_honoured() {
    let mut n = single_web_server();
    let id = launch(&mut n, 0, |r| r.disable_api_termination = true)
        .unwrap()
        .remove(0);
    settle(&mut n, PENDING_MS);
    let e = terminate_instances(&mut n, PENDING_MS, std::slice::from_ref(&id)).unwrap_err();
    assert_eq!(e.code, "OperationNotPermitted");
    assert_eq!(
        e.message,
        format!("The instance '{id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.")
    );
    assert_eq!(state(&n, &id), InstanceState::Running);
    modify_instance_attribute(&mut n, &id, &Attribute::DisableApiTermination(false)).unwrap();
    let t = 100_000;
    let doc = terminate_instances(&mut n, t, std::slice::from_ref(&id)).unwrap();
    let change = &doc.get("TerminatingInstances").unwrap();
    let Doc::List(l) = change else { panic!() };
    assert_eq!(
        l[0].get("PreviousState").unwrap().get("Code"),
        Some(&Doc::Int(16))
    );
    assert_eq!(
        l[0].get("CurrentState").unwrap().get("Name"),
        Some(&Doc::Str("shutting-down".into()))
    );
    settle(&mut n, t + SHUTTING_DOWN_MS);
    assert_eq!(state(&n, &id), InstanceState::Terminated);
    // A terminated instance cannot be started.
    let e = start_instances(&mut n, t + SHUTTING_DOWN_MS, std::slice::from_ref(&id)).unwrap_err();
    assert_eq!(e.code, "IncorrectInstanceState");
    // Terminating it again answers terminated → terminated.
    assert!(terminate_instances(&mut n, t + SHUTTING_DOWN_MS, std::slice::from_ref(&id)).is_ok());
    // It stays visible for an hour, then is gone.
    settle(&mut n, t + SHUTTING_DOWN_MS + TERMINATED_VISIBLE_MS - 1);
    assert!(n.instance(&id).is_some());
    settle(&mut n, t + SHUTTING_DOWN_MS + TERMINATED_VISIBLE_MS);
    assert!(n.instance(&id).is_none());
    assert_eq!(
        describe_instances(&n, OWNER, std::slice::from_ref(&id), &[])
            .unwrap_err()
            .code,
        "InvalidInstanceID.NotFound"
    );
}

#[test]
fn what_survives_stop_start_and_terminate() {
    let mut n = single_web_server();
    let id = launch(&mut n, 0, |r| r.instance_type = Some("m5d.large".into()))
        .unwrap()
        .remove(0);
    settle(&mut n, PENDING_MS);
    let first_ip = n.instance(&id).unwrap().public_ip;
    assert!(first_ip.is_some());
    {
        let c = &mut instance_mut(&mut n, &id).compute;
        c.files
            .insert("/home/ec2-user/notes.txt".into(), "on EBS".into());
        c.files
            .insert("/mnt/cache.bin".into(), "on the instance store".into());
    }
    stop_instances(&mut n, 60_000, std::slice::from_ref(&id), false).unwrap();
    assert_eq!(state(&n, &id), InstanceState::Stopping);
    settle(&mut n, 60_000 + STOPPING_MS);
    let i = n.instance(&id).unwrap();
    assert_eq!(i.compute.state, InstanceState::Stopped);
    assert_eq!(i.public_ip, None, "the public IPv4 address is released");
    assert_eq!(
        i.compute.files.keys().collect::<Vec<_>>(),
        ["/home/ec2-user/notes.txt"]
    );
    start_instances(&mut n, 200_000, std::slice::from_ref(&id)).unwrap();
    let boots = settle(&mut n, 200_000 + PENDING_MS);
    assert_eq!(boots.len(), 1);
    assert!(!boots[0].first, "user data runs at the first boot only");
    let i = n.instance(&id).unwrap();
    assert!(
        i.public_ip.is_some() && i.public_ip != first_ip,
        "a new public address"
    );
    assert_eq!(i.compute.launch_ms, 200_000, "LaunchTime is the last start");
    assert_eq!(i.compute.boots, 2);
    // An Elastic IP stays across a stop.
    let eip = parse_ip("198.51.100.7").unwrap();
    n.eips.push(ElasticIp {
        id: "eipalloc-1".into(),
        address: eip,
        target: Some(id.clone()),
    });
    instance_mut(&mut n, &id).public_ip = Some(eip);
    stop_instances(&mut n, 300_000, std::slice::from_ref(&id), false).unwrap();
    settle(&mut n, 300_000 + STOPPING_MS);
    assert_eq!(n.instance(&id).unwrap().public_ip, Some(eip));
    // Termination deletes the root volume and frees the Elastic IP.
    terminate_instances(&mut n, 400_000, std::slice::from_ref(&id)).unwrap();
    settle(&mut n, 400_000 + SHUTTING_DOWN_MS);
    let i = n.instance(&id).unwrap();
    assert!(i.compute.files.is_empty() && i.public_ip.is_none());
    assert_eq!(n.eips[0].target, None);
}

#[test]
fn billing_is_per_second_with_a_sixty_second_minimum_per_start() {
    let mut n = single_web_server();
    let id = launch(&mut n, 0, |_| ()).unwrap().remove(0);
    settle(&mut n, PENDING_MS);
    // Pending is not billed; 30 s running, then a stop: billed 60 s.
    stop_instances(
        &mut n,
        PENDING_MS + 30_000,
        std::slice::from_ref(&id),
        false,
    )
    .unwrap();
    settle(&mut n, PENDING_MS + 30_000 + STOPPING_MS);
    let c = n.instance(&id).unwrap().compute.clone();
    let b = bill(&c, 1_000_000);
    assert_eq!(b.runs.len(), 1);
    assert_eq!((b.runs[0].used_s, b.runs[0].billed_s), (30, 60));
    // t3.micro at $0.0104 an hour: 60 s cost 0.0104 / 60 dollars.
    assert!((b.usd.unwrap() - 0.0104 / 60.0).abs() < 1e-12);
    // A second start running 90.5 s: rounded up to 91 s; 60 + 91 = 151 s in all.
    start_instances(&mut n, 500_000, std::slice::from_ref(&id)).unwrap();
    settle(&mut n, 500_000 + PENDING_MS);
    stop_instances(
        &mut n,
        500_000 + PENDING_MS + 90_500,
        std::slice::from_ref(&id),
        false,
    )
    .unwrap();
    settle(&mut n, 10_000_000);
    let b = bill(&n.instance(&id).unwrap().compute, 10_000_000);
    assert_eq!(
        b.runs.iter().map(|r| r.billed_s).collect::<Vec<_>>(),
        [60, 91]
    );
    assert_eq!(b.billed_s, 151);
    // A type change between runs re-prices only the runs after it.
    modify_instance_attribute(&mut n, &id, &Attribute::InstanceType("m5.large".into())).unwrap();
    start_instances(&mut n, 20_000_000, std::slice::from_ref(&id)).unwrap();
    settle(&mut n, 20_000_000 + PENDING_MS);
    let b = bill(
        &n.instance(&id).unwrap().compute,
        20_000_000 + PENDING_MS + 3_600_000,
    );
    let types: Vec<_> = b.runs.iter().map(|r| r.instance_type).collect();
    assert_eq!(types, ["t3.micro", "t3.micro", "m5.large"]);
    let want = (60.0 + 91.0) * 0.0104 / 3600.0 + 0.096;
    assert!((b.usd.unwrap() - want).abs() < 1e-9, "{:?}", b.usd);
    // An open run is billed up to the time asked.
    let mut m = single_web_server();
    let id = launch(&mut m, 0, |_| ()).unwrap().remove(0);
    settle(&mut m, PENDING_MS);
    assert_eq!(
        bill(&m.instance(&id).unwrap().compute, PENDING_MS + 3_600_000).billed_s,
        3600
    );
}

#[test]
fn hibernation_must_be_configured_is_billed_while_stopping_and_resumes_without_a_boot() {
    let mut n = single_web_server();
    let plain = launch(&mut n, 0, |_| ()).unwrap().remove(0);
    let hib = launch(&mut n, 0, |r| r.hibernation = true)
        .unwrap()
        .remove(0);
    settle(&mut n, PENDING_MS);
    let e = stop_instances(&mut n, 100_000, std::slice::from_ref(&plain), true).unwrap_err();
    assert_eq!(e.code, "UnsupportedHibernationConfiguration");
    stop_instances(&mut n, 100_000, std::slice::from_ref(&hib), true).unwrap();
    settle(&mut n, 100_000 + STOPPING_MS);
    let b = bill(&n.instance(&hib).unwrap().compute, 1_000_000);
    assert_eq!(
        b.runs[0].used_s,
        (100_000 + STOPPING_MS - PENDING_MS) / 1000
    );
    start_instances(&mut n, 200_000, std::slice::from_ref(&hib)).unwrap();
    let boots = settle(&mut n, 200_000 + PENDING_MS);
    assert!(boots[0].resumed);
    assert_eq!(n.instance(&hib).unwrap().compute.boots, 1);
}

#[test]
fn ids_and_filters_are_checked_as_ec2_checks_them() {
    let mut n = single_web_server();
    let a = launch(&mut n, 0, |r| r.name = Some("alpha".into()))
        .unwrap()
        .remove(0);
    let e = describe_instances(&n, OWNER, &["i-0aaaaaaaaaaaaaaaa".into()], &[]).unwrap_err();
    assert_eq!(e.cli("DescribeInstances"), "An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0aaaaaaaaaaaaaaaa' does not exist");
    let e = describe_instances(&n, OWNER, &["i-1".into(), "i-2".into()], &[]).unwrap_err();
    assert_eq!(e.message, "The instance IDs 'i-1, i-2' do not exist");
    assert_eq!(
        describe_instances(&n, OWNER, &["web".into()], &[])
            .unwrap_err()
            .code,
        "InvalidInstanceID.Malformed"
    );
    let pending = Filter {
        name: "instance-state-name".into(),
        values: vec!["pending".into()],
    };
    let d = describe_instances(&n, OWNER, &[], &[pending]).unwrap();
    let Some(Doc::List(r)) = d.get("Reservations") else {
        panic!()
    };
    assert_eq!(r.len(), 1);
    let name = Filter {
        name: "tag:Name".into(),
        values: vec!["web*".into()],
    };
    let d = describe_instances(&n, OWNER, &[], &[name]).unwrap();
    assert!(d.to_json_pretty().contains("\"i-web\""));
    assert!(!d.to_json_pretty().contains(&a));
    let bad = Filter {
        name: "colour".into(),
        values: vec![],
    };
    assert_eq!(
        describe_instances(&n, OWNER, &[], &[bad]).unwrap_err().code,
        "InvalidParameterValue"
    );
}

#[test]
fn changes_that_need_a_stopped_instance() {
    let mut n = single_web_server();
    let id = launch(&mut n, 0, |_| ()).unwrap().remove(0);
    settle(&mut n, PENDING_MS);
    let e = modify_instance_attribute(&mut n, &id, &Attribute::InstanceType("t3.small".into()))
        .unwrap_err();
    assert_eq!(e.code, "IncorrectInstanceState");
    assert_eq!(
        reboot_instances(&mut n, PENDING_MS, std::slice::from_ref(&id))
            .unwrap()
            .len(),
        1
    );
    stop_instances(&mut n, 20_000, std::slice::from_ref(&id), false).unwrap();
    // Stopping twice is not an error; starting while stopping is.
    assert!(stop_instances(&mut n, 21_000, std::slice::from_ref(&id), false).is_ok());
    assert_eq!(
        start_instances(&mut n, 21_000, std::slice::from_ref(&id))
            .unwrap_err()
            .code,
        "IncorrectInstanceState"
    );
    settle(&mut n, 20_000 + STOPPING_MS);
    modify_instance_attribute(&mut n, &id, &Attribute::InstanceType("t3.small".into())).unwrap();
    assert_eq!(n.instance(&id).unwrap().compute.instance_type, "t3.small");
    assert_eq!(
        modify_instance_attribute(&mut n, &id, &Attribute::InstanceType("t4g.small".into()))
            .unwrap_err()
            .code,
        "InvalidParameterValue"
    );
    assert_eq!(
        reboot_instances(&mut n, 50_000, std::slice::from_ref(&id))
            .unwrap_err()
            .code,
        "IncorrectInstanceState"
    );
}

#[test]
fn times_print_as_ec2_prints_them() {
    assert_eq!(iso_time(0), EPOCH);
    // 31 days and 1 h 2 min 3 s later (datetime(2026,1,1) + timedelta(days=31, seconds=3723)).
    assert_eq!(
        iso_time((31 * 86_400 + 3723) * 1000 + 999),
        "2026-02-01T01:02:03+00:00"
    );
    // 2026 is not a leap year: day 59 is 1 March (datetime(2026,1,1) + timedelta(days=59)).
    assert_eq!(iso_time(59 * 86_400_000), "2026-03-01T00:00:00+00:00");
    // Across a year end: 2026-01-01 + 365 days = 2027-01-01.
    assert_eq!(iso_time(365 * 86_400_000), "2027-01-01T00:00:00+00:00");
    assert_eq!(
        private_dns("us-east-1", parse_ip("10.0.1.12").unwrap()),
        "ip-10-0-1-12.ec2.internal"
    );
    assert_eq!(
        private_dns("eu-west-1", parse_ip("10.0.1.12").unwrap()),
        "ip-10-0-1-12.eu-west-1.compute.internal"
    );
    assert_eq!(
        public_dns("us-east-1", parse_ip("203.0.113.25").unwrap()),
        "ec2-203-0-113-25.compute-1.amazonaws.com"
    );
}

#[test]
fn an_instance_drawn_in_the_vpc_builder_is_a_running_default() {
    let n = single_web_server();
    let i = n.instance("i-web").unwrap();
    assert_eq!(i.compute, Compute::default());
    assert_eq!(i.compute.state, InstanceState::Running);
    // Its saved form has no compute field, so older documents and links are unchanged.
    assert!(!serde_json::to_string(i).unwrap().contains("compute"));
}
