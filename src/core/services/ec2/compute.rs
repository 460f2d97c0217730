//! EC2 instances as machines: what they run (image, type), their lifecycle on the virtual
//! clock, what survives each transition, per-second billing, termination protection, user
//! data, the instance profile and the metadata options. The network side of an instance
//! (subnet, addresses, security groups) is `network::Instance`; its [`Compute`] field holds
//! the rest, so the VPC builder, the console and the analyzer see one instance.
//!
//! Rules (EC2 User Guide, "Amazon EC2 instance state changes", "Stop and start", "Hibernate",
//! "Terminate", "Instance metadata options"; course notes L649–656, L1768–1777):
//! * state codes: pending 0, running 16, shutting-down 32, terminated 48, stopping 64,
//!   stopped 80 ([`InstanceState::code`]);
//! * usage is billed per second while running, with a minimum of 60 seconds each time the
//!   instance starts; a hibernating instance is billed while it is stopping too;
//! * a stop releases the auto-assigned public IPv4 address (a start brings a new one), an
//!   Elastic IP stays associated, the instance store is erased, the EBS root volume keeps its
//!   data; a termination deletes the root volume (DeleteOnTermination) and the instance stays
//!   visible, terminated, for about an hour;
//! * termination protection (`DisableApiTermination`) refuses TerminateInstances;
//! * user data runs once, at the first boot, as root;
//! * the timings of the transitions are the simulator's ([`PENDING_MS`] …): AWS publishes
//!   none, and real ones vary from seconds to minutes.

pub mod catalog;

use super::network::edit::{apply, apply_named, Edit};
use super::network::model::{ip_text, Instance, Network};
use super::network::query::public;
use crate::core::sim::{AwsError, Doc, Rng};
use catalog::{image, instance_type, Platform, DEFAULT_IMAGE, DEFAULT_TYPE};
use std::collections::BTreeMap;

/// How long an instance stays `pending` before it is `running`, in ms.
pub const PENDING_MS: u64 = 15_000;
/// How long `stopping` lasts, in ms.
pub const STOPPING_MS: u64 = 20_000;
/// How long `shutting-down` lasts, in ms.
pub const SHUTTING_DOWN_MS: u64 = 20_000;
/// How long a terminated instance stays visible to DescribeInstances ("about an hour").
pub const TERMINATED_VISIBLE_MS: u64 = 3_600_000;
/// The minimum billed per start: 60 seconds (EC2 On-Demand pricing, "Per Second Billing").
pub const MIN_BILLED_MS: u64 = 60_000;
/// The account's default On-Demand Standard vCPU quota in the course notes (L1793; it is
/// account-specific in AWS).
pub const VCPU_QUOTA: u32 = 1152;
/// RunInstances launches at most this many instances per call here.
pub const MAX_COUNT: u32 = 20;

/// An instance's state, with AWS's codes and names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InstanceState {
    Pending,
    #[default]
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped,
}

impl InstanceState {
    /// The state code (the low byte of `State.Code`).
    pub fn code(self) -> u16 {
        match self {
            InstanceState::Pending => 0,
            InstanceState::Running => 16,
            InstanceState::ShuttingDown => 32,
            InstanceState::Terminated => 48,
            InstanceState::Stopping => 64,
            InstanceState::Stopped => 80,
        }
    }

    /// The state's name (`shutting-down`).
    pub fn name(self) -> &'static str {
        match self {
            InstanceState::Pending => "pending",
            InstanceState::Running => "running",
            InstanceState::ShuttingDown => "shutting-down",
            InstanceState::Terminated => "terminated",
            InstanceState::Stopping => "stopping",
            InstanceState::Stopped => "stopped",
        }
    }

    /// `{"Code": 16, "Name": "running"}`.
    pub fn doc(self) -> Doc {
        Doc::obj([("Code", self.code().into()), ("Name", self.name().into())])
    }

    /// Every state, in code order.
    pub const ALL: [InstanceState; 6] = [
        InstanceState::Pending,
        InstanceState::Running,
        InstanceState::ShuttingDown,
        InstanceState::Terminated,
        InstanceState::Stopping,
        InstanceState::Stopped,
    ];
}

/// `HttpTokens`: whether IMDSv1 (no token) is still answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HttpTokens {
    Optional,
    #[default]
    Required,
}

impl HttpTokens {
    pub fn name(self) -> &'static str {
        match self {
            HttpTokens::Optional => "optional",
            HttpTokens::Required => "required",
        }
    }
}

/// The instance metadata options (`MetadataOptions`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetadataOptions {
    pub http_tokens: HttpTokens,
    /// `HttpPutResponseHopLimit`, 1–64: how many network hops the PUT's answer (the token)
    /// may travel; 1 keeps it on the instance, a container behind a bridge needs 2.
    pub hop_limit: u8,
    /// `HttpEndpoint`: whether the metadata service answers at all.
    pub endpoint_enabled: bool,
}

impl Default for MetadataOptions {
    fn default() -> Self {
        MetadataOptions {
            http_tokens: HttpTokens::Required,
            hop_limit: 2,
            endpoint_enabled: true,
        }
    }
}

impl MetadataOptions {
    /// As DescribeInstances prints it.
    pub fn doc(&self, state: &str) -> Doc {
        Doc::obj([
            ("State", state.into()),
            ("HttpTokens", self.http_tokens.name().into()),
            ("HttpPutResponseHopLimit", self.hop_limit.into()),
            (
                "HttpEndpoint",
                if self.endpoint_enabled {
                    "enabled"
                } else {
                    "disabled"
                }
                .into(),
            ),
            ("HttpProtocolIpv6", "disabled".into()),
            ("InstanceMetadataTags", "disabled".into()),
        ])
    }
}

/// One stretch of billed time: from entering `running` until leaving it (or, for a
/// hibernation, until `stopped`). `end_ms` is `None` while it lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    pub start_ms: u64,
    pub end_ms: Option<u64>,
    /// The type it ran as (a stopped instance's type can change between runs).
    pub instance_type: &'static str,
}

/// An IMDSv2 session token issued on the instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub value: String,
    /// Virtual time at which it stops being accepted, in ms.
    pub expires_ms: u64,
}

/// The machine side of an instance. An instance drawn in the VPC builder has the default:
/// running since the start of the clock, Amazon Linux 2023 on a t3.micro.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compute {
    pub image_id: String,
    pub instance_type: String,
    pub state: InstanceState,
    /// When the instance entered its state, in ms of virtual time.
    pub state_since_ms: u64,
    /// `LaunchTime`: the last time it was started (AWS updates it on every start).
    pub launch_ms: u64,
    /// `StateTransitionReason`.
    pub reason: String,
    /// Termination protection.
    pub disable_api_termination: bool,
    /// The user data as text (the CLI base64-encodes it on the way).
    pub user_data: Option<String>,
    /// The instance profile's role (the profile has the role's name, as the console makes
    /// them).
    pub role: Option<String>,
    pub key_name: Option<String>,
    pub metadata: MetadataOptions,
    /// Launched with `HibernationOptions.Configured`.
    pub hibernation: bool,
    /// The current (or last) stop is a hibernation: memory kept, no new boot on start.
    pub hibernated: bool,
    /// Gets an auto-assigned public IPv4 address at each start.
    pub auto_public_ip: bool,
    /// Billed stretches.
    pub runs: Vec<Run>,
    /// Boots so far (a reboot and a start after a stop each count; a resume does not).
    pub boots: u32,
    /// The user data has run (it runs once, at the first boot).
    pub user_data_ran: bool,
    /// /var/log/cloud-init-output.log.
    pub log: Vec<String>,
    /// Files on the instance: on the root volume, or under /mnt (the instance store).
    pub files: BTreeMap<String, String>,
    /// IMDSv2 tokens issued and not yet expired.
    pub tokens: Vec<Token>,
    pub reservation: String,
    pub launch_index: u32,
}

impl Default for Compute {
    fn default() -> Self {
        Compute {
            image_id: DEFAULT_IMAGE.into(),
            instance_type: DEFAULT_TYPE.into(),
            state: InstanceState::Running,
            state_since_ms: 0,
            launch_ms: 0,
            reason: String::new(),
            disable_api_termination: false,
            user_data: None,
            role: None,
            key_name: None,
            metadata: MetadataOptions::default(),
            hibernation: false,
            hibernated: false,
            auto_public_ip: false,
            runs: vec![Run {
                start_ms: 0,
                end_ms: None,
                instance_type: DEFAULT_TYPE,
            }],
            boots: 1,
            user_data_ran: true,
            log: Vec::new(),
            files: BTreeMap::new(),
            tokens: Vec::new(),
            reservation: String::new(),
            launch_index: 0,
        }
    }
}

impl Compute {
    /// The default machine ([`Compute::default`]), launched and running since `now_ms`
    /// (ms on the virtual clock): billing starts then, not at the start of the clock.
    pub fn running_since(now_ms: u64) -> Compute {
        let mut c = Compute {
            state_since_ms: now_ms,
            launch_ms: now_ms,
            ..Compute::default()
        };
        for r in &mut c.runs {
            r.start_ms = now_ms;
        }
        c
    }
}

/// A boot that happened while the clock advanced: the caller runs the user data of a
/// first boot (the console's shell does) and writes the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Boot {
    pub instance: String,
    pub at_ms: u64,
    /// The first boot: user data runs now.
    pub first: bool,
    /// Resumed from hibernation (no boot: memory was kept).
    pub resumed: bool,
}

/// RunInstances' parameters (the subset the console offers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunRequest {
    pub image_id: String,
    pub instance_type: Option<String>,
    pub count: u32,
    pub subnet: Option<String>,
    pub groups: Vec<String>,
    pub key_name: Option<String>,
    pub user_data: Option<String>,
    /// `--iam-instance-profile Name=…`.
    pub profile: Option<String>,
    pub disable_api_termination: bool,
    pub http_tokens: Option<HttpTokens>,
    pub hop_limit: Option<u8>,
    /// `HttpEndpoint` (`None`: enabled).
    pub endpoint: Option<bool>,
    pub hibernation: bool,
    /// `--associate-public-ip-address` / `--no-associate-public-ip-address`.
    pub public_ip: Option<bool>,
    /// The `Name` tag.
    pub name: Option<String>,
}

fn err(code: &'static str, message: impl Into<String>) -> AwsError {
    AwsError::client(code, message)
}

/// Checks instance ids: malformed ones (`InvalidInstanceID.Malformed`), then unknown or
/// expired ones (`InvalidInstanceID.NotFound`, all named at once, as EC2 does).
pub fn check_ids(n: &Network, ids: &[String]) -> Result<(), AwsError> {
    if let Some(bad) = ids.iter().find(|id| !id.starts_with("i-") || id.len() < 3) {
        return Err(err(
            "InvalidInstanceID.Malformed",
            format!("Invalid id: \"{bad}\""),
        ));
    }
    let missing: Vec<&str> = ids
        .iter()
        .filter(|id| n.instance(id).is_none())
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(describe::unknown(
            "instance",
            "InvalidInstanceID.NotFound",
            &missing,
        ))
    }
}

fn instance_mut<'a>(n: &'a mut Network, id: &str) -> &'a mut Instance {
    let i = n.instances.iter().position(|i| i.id == id);
    // Callers checked the id with `check_ids`.
    &mut n.instances[i.unwrap_or(0)]
}

fn set_state(c: &mut Compute, state: InstanceState, at: u64) {
    c.state = state;
    c.state_since_ms = at;
}

fn close_run(c: &mut Compute, at: u64) {
    if let Some(r) = c.runs.last_mut() {
        if r.end_ms.is_none() {
            r.end_ms = Some(at.max(r.start_ms));
        }
    }
}

/// A free public IPv4 address for an auto-assignment, from the documentation range
/// 203.0.113.0/24 (RFC 5737), then 198.51.100.0/24: never one that is in use, nor the
/// analyzer's stand-ins for an internet client and server.
pub fn new_public_ip(n: &mut Network) -> Option<u32> {
    let used: Vec<u32> = n
        .instances
        .iter()
        .filter_map(|i| i.public_ip)
        .chain(n.eips.iter().map(|e| e.address))
        .collect();
    let counter = n.counters.entry("public-ipv4".into()).or_insert(0);
    let pool: Vec<u32> = (10u32..=254)
        .map(|h| 0xCB00_7100 + h)
        .chain((10u32..=254).map(|h| 0xC633_6400 + h))
        .filter(|ip| {
            *ip != crate::core::services::ec2::network::reach::INTERNET_CLIENT
                && *ip != crate::core::services::ec2::network::reach::INTERNET_SERVER
        })
        .collect();
    for k in 0..pool.len() {
        let ip = pool[(*counter as usize + k) % pool.len()];
        if !used.contains(&ip) {
            *counter += k as u64 + 1;
            return Some(ip);
        }
    }
    None
}

/// The instance's public IPv4 address: its Elastic IP's, or the auto-assigned one.
pub fn public_address(n: &Network, i: &Instance) -> Option<u32> {
    n.eips
        .iter()
        .find(|e| e.target.as_deref() == Some(i.id.as_str()))
        .map(|e| e.address)
        .or(i.public_ip)
}

/// Whether an Elastic IP is associated with the instance (its primary interface).
fn has_eip(n: &Network, id: &str) -> bool {
    n.eips.iter().any(|e| e.target.as_deref() == Some(id))
}

/// Advances every instance to `now`: pending → running, stopping → stopped, shutting-down →
/// terminated, and terminated instances older than [`TERMINATED_VISIBLE_MS`] are removed.
/// Returns the boots that happened, in time order.
pub fn settle(n: &mut Network, now: u64) -> Vec<Boot> {
    let mut boots = Vec::new();
    let mut gone = Vec::new();
    for idx in 0..n.instances.len() {
        let (id, state, since) = {
            let i = &n.instances[idx];
            (i.id.clone(), i.compute.state, i.compute.state_since_ms)
        };
        match state {
            InstanceState::Pending if now >= since + PENDING_MS => {
                let at = since + PENDING_MS;
                let assign = n.instances[idx].compute.auto_public_ip
                    && n.instances[idx].public_ip.is_none()
                    && !has_eip(n, &id);
                let ip = if assign { new_public_ip(n) } else { None };
                let inst = &mut n.instances[idx];
                if ip.is_some() {
                    inst.public_ip = ip;
                }
                let c = &mut inst.compute;
                set_state(c, InstanceState::Running, at);
                let instance_type =
                    instance_type(&c.instance_type).map_or(DEFAULT_TYPE, |t| t.name);
                c.runs.push(Run {
                    start_ms: at,
                    end_ms: None,
                    instance_type,
                });
                let resumed = std::mem::take(&mut c.hibernated);
                if !resumed {
                    c.boots += 1;
                }
                let first = !c.user_data_ran;
                c.user_data_ran = true;
                boots.push(Boot {
                    instance: id,
                    at_ms: at,
                    first,
                    resumed,
                });
            }
            InstanceState::Stopping if now >= since + STOPPING_MS => {
                let at = since + STOPPING_MS;
                let keep_ip = has_eip(n, &id);
                let inst = &mut n.instances[idx];
                if !keep_ip {
                    inst.public_ip = None;
                }
                let c = &mut inst.compute;
                set_state(c, InstanceState::Stopped, at);
                close_run(c, at);
                c.tokens.clear();
                // The instance store is erased; the EBS root volume keeps its files.
                c.files.retain(|path, _| !path.starts_with("/mnt/"));
            }
            InstanceState::ShuttingDown if now >= since + SHUTTING_DOWN_MS => {
                let at = since + SHUTTING_DOWN_MS;
                for e in n
                    .eips
                    .iter_mut()
                    .filter(|e| e.target.as_deref() == Some(id.as_str()))
                {
                    e.target = None;
                }
                for e in n
                    .enis
                    .iter_mut()
                    .filter(|e| e.instance.as_deref() == Some(id.as_str()))
                {
                    e.instance = None;
                }
                let inst = &mut n.instances[idx];
                inst.public_ip = None;
                let c = &mut inst.compute;
                set_state(c, InstanceState::Terminated, at);
                c.tokens.clear();
                // The root volume is deleted on termination (DeleteOnTermination).
                c.files.clear();
                if now >= at + TERMINATED_VISIBLE_MS {
                    gone.push(id);
                }
            }
            InstanceState::Terminated if now >= since + TERMINATED_VISIBLE_MS => gone.push(id),
            _ => {}
        }
    }
    for id in gone {
        if let Ok(next) = apply(n, &Edit::TerminateInstances { id }) {
            *n = next;
        }
    }
    // A pending instance may have become running and then been asked nothing else: one
    // pass settles every timer because each state's timer starts where the last ended, and
    // no transition schedules another on its own.
    boots.sort_by_key(|b| b.at_ms);
    boots
}

/// A new instance id shaped as AWS's (`i-` and 17 hexadecimal digits), derived from the
/// network's counter so a replay gives the same ids.
fn new_instance_id(n: &mut Network) -> String {
    let counter = n.allocate("i");
    let k = counter
        .rsplit('-')
        .next()
        .and_then(|k| k.parse::<u64>().ok())
        .unwrap_or(0);
    let mut rng = Rng::new(0x5EED_0EC2 ^ k);
    loop {
        let id = format!("i-0{:016x}", rng.next_u64());
        if n.instance(&id).is_none() {
            return id;
        }
    }
}

/// The first free private address of a subnet (after the four AWS reserves at its start,
/// before the last one).
fn free_address(n: &Network, subnet: &str) -> Option<u32> {
    let s = n.subnet(subnet)?;
    let first = s.cidr.first4();
    let size = u32::try_from(s.cidr.size()).unwrap_or(u32::MAX);
    let used: Vec<u32> = n
        .instances
        .iter()
        .map(|i| i.private_ip)
        .chain(n.enis.iter().map(|e| e.private_ip))
        .chain(n.nats.iter().map(|g| g.private_ip))
        .collect();
    (4..size.saturating_sub(1))
        .map(|k| first.wrapping_add(k))
        .find(|ip| !used.contains(ip))
}

/// The vCPUs of the account's running and pending instances.
fn vcpus_in_use(n: &Network) -> u32 {
    n.instances
        .iter()
        .filter(|i| {
            matches!(
                i.compute.state,
                InstanceState::Pending | InstanceState::Running
            )
        })
        .filter_map(|i| instance_type(&i.compute.instance_type))
        .map(|t| t.vcpus)
        .sum()
}

/// RunInstances: launches `count` instances (pending at `now`), returning the reservation.
/// Errors: `InvalidAMIID.Malformed` / `.NotFound`, `InvalidParameterValue` (an unknown
/// type, an architecture that does not match the image, a count outside 1–20, a hop limit
/// outside 1–64), `VPCIdNotSpecified` (no subnet: the account has no default VPC),
/// `InvalidSubnetID.NotFound`, `InvalidGroup.NotFound`, `VcpuLimitExceeded`,
/// `InsufficientFreeAddressesInSubnet`.
pub fn run_instances(
    n: &mut Network,
    now: u64,
    owner: &str,
    req: &RunRequest,
) -> Result<Doc, AwsError> {
    if !req.image_id.starts_with("ami-") {
        return Err(err(
            "InvalidAMIID.Malformed",
            format!("Invalid id: \"{}\" (expecting \"ami-...\")", req.image_id),
        ));
    }
    let img = image(&req.image_id).ok_or_else(|| {
        err(
            "InvalidAMIID.NotFound",
            format!("The image id '[{}]' does not exist", req.image_id),
        )
    })?;
    let type_name = req.instance_type.as_deref().unwrap_or("m1.small");
    let ty = instance_type(type_name).ok_or_else(|| {
        err(
            "InvalidParameterValue",
            format!("Invalid value '{type_name}' for InstanceType."),
        )
    })?;
    if ty.arch != img.arch {
        return Err(err(
            "InvalidParameterValue",
            format!(
                "The architecture '{}' of the specified instance type does not match the architecture '{}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again.",
                ty.arch.name(),
                img.arch.name()
            ),
        ));
    }
    if !(1..=MAX_COUNT).contains(&req.count) {
        return Err(err(
            "InvalidParameterValue",
            format!(
                "The count must be between 1 and {MAX_COUNT} here (asked: {}).",
                req.count
            ),
        ));
    }
    if let Some(h) = req.hop_limit {
        if !(1..=64).contains(&h) {
            return Err(err(
                "InvalidParameterValue",
                format!(
                    "Invalid value '{h}' for HttpPutResponseHopLimit. Valid values are 1 to 64."
                ),
            ));
        }
    }
    let subnet = req.subnet.clone().ok_or_else(|| {
        err(
            "VPCIdNotSpecified",
            "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.",
        )
    })?;
    let Some(vpc) = n.subnet(&subnet).map(|s| s.vpc.clone()) else {
        return Err(err(
            "InvalidSubnetID.NotFound",
            format!("The subnet ID '{subnet}' does not exist"),
        ));
    };
    let groups = if req.groups.is_empty() {
        n.groups
            .iter()
            .filter(|g| g.vpc == vpc && g.default)
            .map(|g| g.id.clone())
            .take(1)
            .collect()
    } else {
        req.groups.clone()
    };
    if let Some(g) = groups.iter().find(|g| n.group(g).is_none()) {
        return Err(err(
            "InvalidGroup.NotFound",
            format!("The security group '{g}' does not exist in VPC '{vpc}'"),
        ));
    }
    let asked = ty.vcpus * req.count;
    if vcpus_in_use(n) + asked > VCPU_QUOTA {
        return Err(err(
            "VcpuLimitExceeded",
            format!("You have requested more vCPU capacity than your current vCPU limit of {VCPU_QUOTA} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit."),
        ));
    }
    let auto_public = req.public_ip.unwrap_or_else(|| public(n, &subnet).v4);
    let mut next = n.clone();
    let reservation = format!(
        "r-0{:016x}",
        Rng::new(now ^ 0x7E5E_7A71).next_u64() ^ next.instances.len() as u64
    );
    let mut ids = Vec::new();
    for k in 0..req.count {
        let ip = free_address(&next, &subnet).ok_or_else(|| {
            err(
                "InsufficientFreeAddressesInSubnet",
                format!("There are not enough free addresses in subnet '{subnet}' to satisfy the requested number of instances."),
            )
        })?;
        let id = new_instance_id(&mut next);
        let edit = Edit::RunInstances {
            name: req.name.clone().unwrap_or_else(|| id.clone()),
            subnet: subnet.clone(),
            ip,
            public_ip: None,
            groups: groups.clone(),
        };
        next = apply_named(&next, &edit, &[&id]).map_err(|r| r.error())?;
        let inst = instance_mut(&mut next, &id);
        inst.compute = Compute {
            image_id: img.id.into(),
            instance_type: ty.name.into(),
            state: InstanceState::Pending,
            state_since_ms: now,
            launch_ms: now,
            reason: String::new(),
            disable_api_termination: req.disable_api_termination,
            user_data: req.user_data.clone().filter(|u| !u.is_empty()),
            role: req.profile.clone(),
            key_name: req.key_name.clone(),
            metadata: MetadataOptions {
                http_tokens: req.http_tokens.unwrap_or(if img.imds_v2_only {
                    HttpTokens::Required
                } else {
                    HttpTokens::Optional
                }),
                hop_limit: req
                    .hop_limit
                    .unwrap_or(if img.imds_v2_only { 2 } else { 1 }),
                endpoint_enabled: req.endpoint.unwrap_or(true),
            },
            hibernation: req.hibernation,
            hibernated: false,
            auto_public_ip: auto_public,
            runs: Vec::new(),
            boots: 0,
            user_data_ran: false,
            log: Vec::new(),
            files: BTreeMap::new(),
            tokens: Vec::new(),
            reservation: reservation.clone(),
            launch_index: k,
        };
        ids.push(id);
    }
    *n = next;
    let instances = ids
        .iter()
        .filter_map(|id| n.instance(id))
        .map(|i| instance_doc(n, i, owner))
        .collect();
    Ok(Doc::obj([
        ("Groups", Doc::List(vec![])),
        ("Instances", Doc::List(instances)),
        ("OwnerId", owner.into()),
        ("ReservationId", reservation.into()),
    ]))
}

/// A DescribeInstances filter: `Name=instance-state-name,Values=running,stopped`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
}

/// The filter names DescribeInstances understands here.
pub const FILTERS: &[&str] = &[
    "instance-id",
    "instance-state-name",
    "instance-state-code",
    "instance-type",
    "image-id",
    "subnet-id",
    "vpc-id",
    "private-ip-address",
    "ip-address",
    "tag:Name",
];

/// `*` and `?` wildcards, as EC2 filters take them.
fn wildcard(pattern: &str, text: &str) -> bool {
    crate::core::iam::matching::wildcard(pattern, text, false)
}

fn filter_matches(n: &Network, i: &Instance, f: &Filter) -> Result<bool, AwsError> {
    let vpc = n
        .subnet(&i.subnet)
        .map(|s| s.vpc.clone())
        .unwrap_or_default();
    let value = match f.name.as_str() {
        "instance-id" => i.id.clone(),
        "instance-state-name" => i.compute.state.name().into(),
        "instance-state-code" => i.compute.state.code().to_string(),
        "instance-type" => i.compute.instance_type.clone(),
        "image-id" => i.compute.image_id.clone(),
        "subnet-id" => i.subnet.clone(),
        "vpc-id" => vpc,
        "private-ip-address" => ip_text(i.private_ip),
        "ip-address" => public_address(n, i).map(ip_text).unwrap_or_default(),
        "tag:Name" => i.name.clone(),
        other => {
            return Err(err(
                "InvalidParameterValue",
                format!("The filter '{other}' is invalid"),
            ))
        }
    };
    Ok(f.values.iter().any(|v| wildcard(v, &value)))
}

/// DescribeInstances: the instances (all, or `ids`) that pass every filter, grouped by
/// reservation in launch order.
pub fn describe_instances(
    n: &Network,
    owner: &str,
    ids: &[String],
    filters: &[Filter],
) -> Result<Doc, AwsError> {
    check_ids(n, ids)?;
    let mut reservations: Vec<(String, Vec<Doc>)> = Vec::new();
    for i in &n.instances {
        if !ids.is_empty() && !ids.contains(&i.id) {
            continue;
        }
        let mut keep = true;
        for f in filters {
            keep &= filter_matches(n, i, f)?;
        }
        if !keep {
            continue;
        }
        let r = if i.compute.reservation.is_empty() {
            format!("r-{}", i.id.trim_start_matches("i-"))
        } else {
            i.compute.reservation.clone()
        };
        let doc = instance_doc(n, i, owner);
        match reservations.iter_mut().find(|(id, _)| *id == r) {
            Some((_, list)) => list.push(doc),
            None => reservations.push((r, vec![doc])),
        }
    }
    Ok(Doc::obj([(
        "Reservations",
        Doc::List(
            reservations
                .into_iter()
                .map(|(r, instances)| {
                    Doc::obj([
                        ("Groups", Doc::List(vec![])),
                        ("Instances", Doc::List(instances)),
                        ("OwnerId", owner.into()),
                        ("ReservationId", r.into()),
                    ])
                })
                .collect(),
        ),
    )]))
}

/// An ISO 8601 time as EC2 prints it (`2026-12-01T09:00:15+00:00`): virtual time 0 is
/// [`EPOCH`].
pub fn iso_time(ms: u64) -> String {
    let secs = ms / 1000;
    let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    let days = secs / 86_400;
    let (y, mo, d) = civil(EPOCH_DAYS + days as i64);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}+00:00")
}

/// The calendar date virtual time 0 falls on.
pub const EPOCH: &str = "2026-01-01T00:00:00+00:00";
/// Days from 1970-01-01 to [`EPOCH`].
const EPOCH_DAYS: i64 = 20_454;

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's civil_from_days).
fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The private DNS name in us-east-1 (`ip-10-0-1-12.ec2.internal`) or elsewhere
/// (`ip-10-0-1-12.eu-west-1.compute.internal`).
pub fn private_dns(region: &str, ip: u32) -> String {
    let dashed = ip_text(ip).replace('.', "-");
    if region == "us-east-1" {
        format!("ip-{dashed}.ec2.internal")
    } else {
        format!("ip-{dashed}.{region}.compute.internal")
    }
}

/// The public DNS name (`ec2-203-0-113-25.compute-1.amazonaws.com` in us-east-1).
pub fn public_dns(region: &str, ip: u32) -> String {
    let dashed = ip_text(ip).replace('.', "-");
    if region == "us-east-1" {
        format!("ec2-{dashed}.compute-1.amazonaws.com")
    } else {
        format!("ec2-{dashed}.{region}.compute.amazonaws.com")
    }
}

/// An instance's MAC address (`0e:` and five bytes from its id).
pub fn mac(id: &str) -> String {
    let h = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let b = h.to_be_bytes();
    format!(
        "0e:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], b[3], b[4]
    )
}

/// One instance as DescribeInstances and RunInstances print it.
pub fn instance_doc(n: &Network, i: &Instance, owner: &str) -> Doc {
    let c = &i.compute;
    let img = image(&c.image_id);
    let vpc = n
        .subnet(&i.subnet)
        .map(|s| s.vpc.clone())
        .unwrap_or_default();
    let az = n
        .subnet(&i.subnet)
        .map(|s| s.az.clone())
        .unwrap_or_default();
    let gone = c.state == InstanceState::Terminated;
    let groups = Doc::List(
        i.groups
            .iter()
            .map(|g| {
                let name = n.group(g).map(|x| x.name.clone()).unwrap_or_default();
                Doc::obj([("GroupName", name.into()), ("GroupId", g.as_str().into())])
            })
            .collect(),
    );
    let public_ip = public_address(n, i);
    let mut m: Vec<(String, Doc)> = vec![
        ("AmiLaunchIndex".into(), c.launch_index.into()),
        ("ImageId".into(), c.image_id.as_str().into()),
        ("InstanceId".into(), i.id.as_str().into()),
        ("InstanceType".into(), c.instance_type.as_str().into()),
    ];
    if let Some(k) = &c.key_name {
        m.push(("KeyName".into(), k.as_str().into()));
    }
    m.push(("LaunchTime".into(), iso_time(c.launch_ms).into()));
    m.push((
        "Monitoring".into(),
        Doc::obj([("State", "disabled".into())]),
    ));
    m.push((
        "Placement".into(),
        Doc::obj([
            ("AvailabilityZone", az.into()),
            ("GroupName", "".into()),
            ("Tenancy", "default".into()),
        ]),
    ));
    if img.is_some_and(|i| i.platform == Platform::Windows) {
        m.push(("Platform".into(), "windows".into()));
    }
    m.push((
        "PrivateDnsName".into(),
        if gone {
            "".into()
        } else {
            private_dns(&n.region, i.private_ip).into()
        },
    ));
    if !gone {
        m.push(("PrivateIpAddress".into(), ip_text(i.private_ip).into()));
    }
    m.push(("ProductCodes".into(), Doc::List(vec![])));
    m.push((
        "PublicDnsName".into(),
        public_ip
            .map(|p| public_dns(&n.region, p))
            .unwrap_or_default()
            .into(),
    ));
    if let Some(p) = public_ip {
        m.push(("PublicIpAddress".into(), ip_text(p).into()));
    }
    m.push(("State".into(), c.state.doc()));
    m.push(("StateTransitionReason".into(), c.reason.as_str().into()));
    if !gone {
        m.push(("SubnetId".into(), i.subnet.as_str().into()));
        m.push(("VpcId".into(), vpc.as_str().into()));
    }
    m.push((
        "Architecture".into(),
        img.map_or("x86_64", |i| i.arch.name()).into(),
    ));
    let root = img.map_or("/dev/xvda", |i| i.root_device);
    m.push((
        "BlockDeviceMappings".into(),
        Doc::List(if gone {
            vec![]
        } else {
            vec![Doc::obj([
                ("DeviceName", root.into()),
                (
                    "Ebs",
                    Doc::obj([
                        ("AttachTime", iso_time(c.launch_ms).into()),
                        ("DeleteOnTermination", true.into()),
                        ("Status", "attached".into()),
                        (
                            "VolumeId",
                            format!("vol-{}", i.id.trim_start_matches("i-")).into(),
                        ),
                    ]),
                ),
            ])]
        }),
    ));
    m.push(("EbsOptimized".into(), false.into()));
    m.push(("EnaSupport".into(), true.into()));
    m.push(("Hypervisor".into(), "xen".into()));
    if let Some(role) = &c.role {
        m.push((
            "IamInstanceProfile".into(),
            Doc::obj([
                (
                    "Arn",
                    format!("arn:aws:iam::{owner}:instance-profile/{role}").into(),
                ),
                ("Id", profile_id(role).into()),
            ]),
        ));
    }
    if !gone {
        let mut ni = vec![
            (
                "Attachment".to_string(),
                Doc::obj([
                    ("AttachTime", iso_time(c.launch_ms).into()),
                    (
                        "AttachmentId",
                        format!("eni-attach-{}", i.id.trim_start_matches("i-")).into(),
                    ),
                    ("DeleteOnTermination", true.into()),
                    ("DeviceIndex", 0u32.into()),
                    ("Status", "attached".into()),
                ]),
            ),
            ("Groups".to_string(), groups.clone()),
            ("MacAddress".to_string(), mac(&i.id).into()),
            (
                "NetworkInterfaceId".to_string(),
                format!("eni-{}", i.id.trim_start_matches("i-")).into(),
            ),
            ("OwnerId".to_string(), owner.into()),
            (
                "PrivateDnsName".to_string(),
                private_dns(&n.region, i.private_ip).into(),
            ),
            ("PrivateIpAddress".to_string(), ip_text(i.private_ip).into()),
        ];
        if let Some(p) = public_ip {
            ni.push((
                "Association".into(),
                Doc::obj([
                    (
                        "IpOwnerId",
                        if has_eip(n, &i.id) { owner } else { "amazon" }.into(),
                    ),
                    ("PublicDnsName", public_dns(&n.region, p).into()),
                    ("PublicIp", ip_text(p).into()),
                ]),
            ));
        }
        ni.push(("SubnetId".into(), i.subnet.as_str().into()));
        ni.push(("VpcId".into(), vpc.as_str().into()));
        m.push(("NetworkInterfaces".into(), Doc::List(vec![Doc::Map(ni)])));
    }
    m.push(("RootDeviceName".into(), root.into()));
    m.push(("RootDeviceType".into(), "ebs".into()));
    m.push((
        "SecurityGroups".into(),
        if gone { Doc::List(vec![]) } else { groups },
    ));
    m.push(("SourceDestCheck".into(), true.into()));
    if i.name != i.id {
        m.push((
            "Tags".into(),
            Doc::List(vec![Doc::obj([
                ("Key", "Name".into()),
                ("Value", i.name.as_str().into()),
            ])]),
        ));
    }
    m.push(("VirtualizationType".into(), "hvm".into()));
    m.push((
        "HibernationOptions".into(),
        Doc::obj([("Configured", c.hibernation.into())]),
    ));
    m.push((
        "MetadataOptions".into(),
        c.metadata.doc(if c.state == InstanceState::Pending {
            "pending"
        } else {
            "applied"
        }),
    ));
    m.push((
        "PlatformDetails".into(),
        if img.is_some_and(|i| i.platform == Platform::Windows) {
            "Windows"
        } else {
            "Linux/UNIX"
        }
        .into(),
    ));
    Doc::Map(m)
}

/// The instance profile's id (`AIPA…`), derived from its name.
pub fn profile_id(role: &str) -> String {
    let mut rng = Rng::new(
        role.bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))),
    );
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let tail: String = (0..17)
        .map(|_| alphabet[rng.below(32) as usize] as char)
        .collect();
    format!("AIPA{tail}")
}

/// One line of a Start/Stop/TerminateInstances answer.
fn change(id: &str, previous: InstanceState, current: InstanceState) -> Doc {
    Doc::obj([
        ("CurrentState", current.doc()),
        ("InstanceId", id.into()),
        ("PreviousState", previous.doc()),
    ])
}

fn incorrect(id: &str, verb: &str) -> AwsError {
    err(
        "IncorrectInstanceState",
        format!("The instance '{id}' is not in a state from which it can be {verb}."),
    )
}

/// StartInstances: stopped → pending (→ running after [`PENDING_MS`]); a running or pending
/// instance is left as it is. `IncorrectInstanceState` for an instance that is stopping,
/// shutting down or terminated (a terminated instance cannot be started).
pub fn start_instances(n: &mut Network, now: u64, ids: &[String]) -> Result<Doc, AwsError> {
    check_ids(n, ids)?;
    for id in ids {
        let s = n.instance(id).map(|i| i.compute.state).unwrap_or_default();
        if matches!(
            s,
            InstanceState::Stopping | InstanceState::ShuttingDown | InstanceState::Terminated
        ) {
            return Err(incorrect(id, "started"));
        }
    }
    let mut out = Vec::new();
    for id in ids {
        let c = &mut instance_mut(n, id).compute;
        let before = c.state;
        if before == InstanceState::Stopped {
            set_state(c, InstanceState::Pending, now);
            c.launch_ms = now;
            c.reason.clear();
        }
        out.push(change(id, before, c.state));
    }
    Ok(Doc::obj([("StartingInstances", Doc::List(out))]))
}

/// StopInstances: running → stopping (→ stopped after [`STOPPING_MS`]); with `hibernate`,
/// memory is kept (`UnsupportedHibernationConfiguration` unless the instance was launched
/// with hibernation configured). A stopped or stopping instance is left as it is;
/// `IncorrectInstanceState` for pending, shutting-down and terminated ones.
pub fn stop_instances(
    n: &mut Network,
    now: u64,
    ids: &[String],
    hibernate: bool,
) -> Result<Doc, AwsError> {
    check_ids(n, ids)?;
    for id in ids {
        let c = n
            .instance(id)
            .map(|i| i.compute.clone())
            .unwrap_or_default();
        match c.state {
            InstanceState::Pending => {
                return Err(err(
                    "IncorrectInstanceState",
                    format!("Instance '{id}' cannot be stopped as it has never reached the 'running' state."),
                ))
            }
            InstanceState::ShuttingDown | InstanceState::Terminated => {
                // EC2's wording here starts with "This", unlike StartInstances'.
                return Err(err(
                    "IncorrectInstanceState",
                    format!("This instance '{id}' is not in a state from which it can be stopped."),
                ));
            }
            _ => {}
        }
        if hibernate && !c.hibernation {
            return Err(err(
                "UnsupportedHibernationConfiguration",
                format!("The instance '{id}' was not launched with hibernation configured, so it cannot hibernate."),
            ));
        }
    }
    let mut out = Vec::new();
    for id in ids {
        let c = &mut instance_mut(n, id).compute;
        let before = c.state;
        if before == InstanceState::Running {
            set_state(c, InstanceState::Stopping, now);
            c.hibernated = hibernate;
            c.reason = format!(
                "User initiated ({})",
                iso_time(now).replace("T", " ").replace("+00:00", " GMT")
            );
            // Billing stops when stopping starts, except while hibernating: then the run
            // closes when the stop completes (`settle`).
            if !hibernate {
                close_run(c, now);
            }
        }
        out.push(change(id, before, c.state));
    }
    Ok(Doc::obj([("StoppingInstances", Doc::List(out))]))
}

/// RebootInstances: a running instance restarts its operating system and stays running
/// (same addresses, same billing period; a boot is counted). `IncorrectInstanceState`
/// otherwise. The answer is empty, as AWS's is.
pub fn reboot_instances(n: &mut Network, now: u64, ids: &[String]) -> Result<Vec<Boot>, AwsError> {
    check_ids(n, ids)?;
    for id in ids {
        let s = n.instance(id).map(|i| i.compute.state).unwrap_or_default();
        if s != InstanceState::Running {
            return Err(incorrect(id, "rebooted"));
        }
    }
    let mut boots = Vec::new();
    for id in ids {
        let c = &mut instance_mut(n, id).compute;
        c.boots += 1;
        c.tokens.clear();
        boots.push(Boot {
            instance: id.clone(),
            at_ms: now,
            first: false,
            resumed: false,
        });
    }
    Ok(boots)
}

/// TerminateInstances: → shutting-down (→ terminated after [`SHUTTING_DOWN_MS`]).
/// `OperationNotPermitted` when termination protection is on (nothing is terminated);
/// terminating a terminated instance answers its state again.
pub fn terminate_instances(n: &mut Network, now: u64, ids: &[String]) -> Result<Doc, AwsError> {
    check_ids(n, ids)?;
    for id in ids {
        if n.instance(id)
            .is_some_and(|i| i.compute.disable_api_termination)
        {
            return Err(err(
                "OperationNotPermitted",
                format!("The instance '{id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again."),
            ));
        }
    }
    let mut out = Vec::new();
    for id in ids {
        let c = &mut instance_mut(n, id).compute;
        let before = c.state;
        if !matches!(
            before,
            InstanceState::ShuttingDown | InstanceState::Terminated
        ) {
            close_run(c, now);
            set_state(c, InstanceState::ShuttingDown, now);
            c.reason = format!(
                "User initiated ({})",
                iso_time(now).replace("T", " ").replace("+00:00", " GMT")
            );
        }
        out.push(change(id, before, c.state));
    }
    Ok(Doc::obj([("TerminatingInstances", Doc::List(out))]))
}

/// What ModifyInstanceAttribute changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attribute {
    DisableApiTermination(bool),
    /// Only while stopped.
    InstanceType(String),
    /// Only while stopped.
    UserData(String),
    Groups(Vec<String>),
}

/// ModifyInstanceAttribute. The type and user data change only while the instance is
/// stopped (`IncorrectInstanceState`); an unknown type is `InvalidParameterValue`.
pub fn modify_instance_attribute(
    n: &mut Network,
    id: &str,
    attr: &Attribute,
) -> Result<(), AwsError> {
    check_ids(n, &[id.to_string()])?;
    let state = n.instance(id).map(|i| i.compute.state).unwrap_or_default();
    if matches!(
        state,
        InstanceState::Terminated | InstanceState::ShuttingDown
    ) {
        return Err(err(
            "IncorrectInstanceState",
            format!("The instance '{id}' is not in a state from which it can be modified."),
        ));
    }
    let stopped_only = |what: &str| {
        if state == InstanceState::Stopped {
            Ok(())
        } else {
            Err(err(
                "IncorrectInstanceState",
                format!("The instance '{id}' is not in the 'stopped' state: stop it before changing its {what}."),
            ))
        }
    };
    match attr {
        Attribute::DisableApiTermination(b) => {
            instance_mut(n, id).compute.disable_api_termination = *b
        }
        Attribute::InstanceType(t) => {
            stopped_only("instance type")?;
            let ty = instance_type(t).ok_or_else(|| {
                err(
                    "InvalidParameterValue",
                    format!("Invalid value '{t}' for InstanceType."),
                )
            })?;
            let c = &instance_mut(n, id).compute;
            if image(&c.image_id).is_some_and(|i| i.arch != ty.arch) {
                return Err(err(
                    "InvalidParameterValue",
                    format!("The instance type '{t}' does not support the architecture of the instance's image."),
                ));
            }
            instance_mut(n, id).compute.instance_type = ty.name.into();
        }
        Attribute::UserData(u) => {
            stopped_only("user data")?;
            instance_mut(n, id).compute.user_data = Some(u.clone()).filter(|u| !u.is_empty());
        }
        Attribute::Groups(g) => {
            let next = apply(
                n,
                &Edit::ModifyInstanceAttribute {
                    instance: id.into(),
                    groups: g.clone(),
                },
            )
            .map_err(|r| r.error())?;
            *n = next;
        }
    }
    Ok(())
}

/// ModifyInstanceMetadataOptions: returns the new options (`State: pending`, as AWS
/// answers while they apply).
pub fn modify_metadata_options(
    n: &mut Network,
    id: &str,
    tokens: Option<HttpTokens>,
    hop_limit: Option<u8>,
    endpoint: Option<bool>,
) -> Result<Doc, AwsError> {
    check_ids(n, &[id.to_string()])?;
    if let Some(h) = hop_limit {
        if !(1..=64).contains(&h) {
            return Err(err(
                "InvalidParameterValue",
                format!(
                    "Invalid value '{h}' for HttpPutResponseHopLimit. Valid values are 1 to 64."
                ),
            ));
        }
    }
    let m = &mut instance_mut(n, id).compute.metadata;
    if let Some(t) = tokens {
        m.http_tokens = t;
    }
    if let Some(h) = hop_limit {
        m.hop_limit = h;
    }
    if let Some(e) = endpoint {
        m.endpoint_enabled = e;
    }
    let opts = *m;
    Ok(Doc::obj([
        ("InstanceId", id.into()),
        ("InstanceMetadataOptions", opts.doc("pending")),
    ]))
}

/// One billed stretch and its math.
#[derive(Clone, Debug, PartialEq)]
pub struct BilledRun {
    pub start_ms: u64,
    /// `None`: still running at the time asked.
    pub end_ms: Option<u64>,
    /// The type it ran as.
    pub instance_type: &'static str,
    /// Whole seconds used (rounded up).
    pub used_s: u64,
    /// Seconds billed: at least 60.
    pub billed_s: u64,
    /// The hourly price used; `None` when the table has no price for this type and
    /// platform (a Windows instance on a type without a listed Windows price).
    pub usd_per_hour: Option<f64>,
}

/// An instance's On-Demand charges up to a time.
#[derive(Clone, Debug, PartialEq)]
pub struct Bill {
    pub runs: Vec<BilledRun>,
    pub billed_s: u64,
    /// The charge in US dollars (`None` when a run has no price in the table).
    pub usd: Option<f64>,
}

/// The instance's charges up to `now`: each run billed per second (rounded up) with a
/// 60-second minimum, at the hourly price of the type it ran as (Linux, or Windows for a
/// Windows image).
pub fn bill(c: &Compute, now: u64) -> Bill {
    let windows = image(&c.image_id).is_some_and(|i| i.platform == Platform::Windows);
    let runs: Vec<BilledRun> = c
        .runs
        .iter()
        .filter(|r| r.start_ms <= now)
        .map(|r| {
            let end = r.end_ms.unwrap_or(now).min(now.max(r.start_ms));
            let used_s = (end - r.start_ms).div_ceil(1000);
            let usd_per_hour = instance_type(r.instance_type).and_then(|t| {
                if windows {
                    t.windows_usd_per_hour
                } else {
                    Some(t.linux_usd_per_hour)
                }
            });
            BilledRun {
                start_ms: r.start_ms,
                end_ms: r.end_ms.filter(|e| *e <= now),
                instance_type: r.instance_type,
                used_s,
                billed_s: used_s.max(MIN_BILLED_MS / 1000),
                usd_per_hour,
            }
        })
        .collect();
    let billed_s: u64 = runs.iter().map(|r| r.billed_s).sum();
    let usd = runs
        .iter()
        .map(|r| r.usd_per_hour.map(|p| r.billed_s as f64 * p / 3600.0))
        .sum::<Option<f64>>();
    Bill {
        runs,
        billed_s,
        usd,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

/// An instance API call, as the account's dispatcher routes it (`account::Request::Instances`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    Run(RunRequest),
    Describe {
        ids: Vec<String>,
        filters: Vec<Filter>,
    },
    Start {
        ids: Vec<String>,
    },
    Stop {
        ids: Vec<String>,
        hibernate: bool,
    },
    Reboot {
        ids: Vec<String>,
    },
    Terminate {
        ids: Vec<String>,
    },
    ModifyAttribute {
        id: String,
        attr: Attribute,
    },
    ModifyMetadataOptions {
        id: String,
        tokens: Option<HttpTokens>,
        hop_limit: Option<u8>,
        endpoint: Option<bool>,
    },
    DescribeVpcs {
        ids: Vec<String>,
    },
    DescribeSubnets {
        ids: Vec<String>,
    },
    DescribeSecurityGroups {
        ids: Vec<String>,
    },
    DescribeImages {
        ids: Vec<String>,
    },
    DescribeInstanceTypes {
        types: Vec<String>,
    },
}

impl Call {
    /// The EC2 API operation.
    pub fn operation(&self) -> &'static str {
        match self {
            Call::Run(_) => "RunInstances",
            Call::Describe { .. } => "DescribeInstances",
            Call::Start { .. } => "StartInstances",
            Call::Stop { .. } => "StopInstances",
            Call::Reboot { .. } => "RebootInstances",
            Call::Terminate { .. } => "TerminateInstances",
            Call::ModifyAttribute { .. } => "ModifyInstanceAttribute",
            Call::ModifyMetadataOptions { .. } => "ModifyInstanceMetadataOptions",
            Call::DescribeVpcs { .. } => "DescribeVpcs",
            Call::DescribeSubnets { .. } => "DescribeSubnets",
            Call::DescribeSecurityGroups { .. } => "DescribeSecurityGroups",
            Call::DescribeImages { .. } => "DescribeImages",
            Call::DescribeInstanceTypes { .. } => "DescribeInstanceTypes",
        }
    }

    /// The instance a call acts on, for resource-level permissions (`None`: authorized on
    /// `*`, as EC2's Describe* actions are; a call on several instances is authorized on
    /// each).
    pub fn instances(&self) -> Vec<String> {
        match self {
            Call::Start { ids }
            | Call::Stop { ids, .. }
            | Call::Reboot { ids }
            | Call::Terminate { ids } => ids.clone(),
            Call::ModifyAttribute { id, .. } | Call::ModifyMetadataOptions { id, .. } => {
                vec![id.clone()]
            }
            _ => Vec::new(),
        }
    }
}

/// Runs a call on the network at `now` (after [`settle`]); `owner` is the account id.
pub fn call(n: &mut Network, now: u64, owner: &str, c: &Call) -> Result<Doc, AwsError> {
    match c {
        Call::Run(r) => run_instances(n, now, owner, r),
        Call::Describe { ids, filters } => describe_instances(n, owner, ids, filters),
        Call::Start { ids } => start_instances(n, now, ids),
        Call::Stop { ids, hibernate } => stop_instances(n, now, ids, *hibernate),
        Call::Reboot { ids } => reboot_instances(n, now, ids).map(|_| Doc::Map(vec![])),
        Call::Terminate { ids } => terminate_instances(n, now, ids),
        Call::ModifyAttribute { id, attr } => {
            modify_instance_attribute(n, id, attr).map(|_| Doc::Map(vec![]))
        }
        Call::ModifyMetadataOptions {
            id,
            tokens,
            hop_limit,
            endpoint,
        } => modify_metadata_options(n, id, *tokens, *hop_limit, *endpoint),
        Call::DescribeVpcs { ids } => describe::vpcs(n, owner, ids),
        Call::DescribeSubnets { ids } => describe::subnets(n, owner, ids),
        Call::DescribeSecurityGroups { ids } => describe::security_groups(n, owner, ids),
        Call::DescribeImages { ids } => describe::images(ids),
        Call::DescribeInstanceTypes { types } => describe::instance_types(types),
    }
}

pub mod describe;
