//! The instance metadata service at 169.254.169.254, as an instance sees it: HTTP requests
//! in, status and body out (the console's `curl` prints them).
//!
//! Rules (EC2 User Guide, "Use the Instance Metadata Service to access instance metadata",
//! "Instance metadata categories", "Retrieve security credentials from instance metadata";
//! course notes L1768–1777):
//! * IMDSv2: `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds` between 1
//!   and 21,600 answers a token (a TTL outside that range, or none, is 400); a PUT carrying
//!   `X-Forwarded-For`, or to another path's `api/token`, is 403; GETs carry the token in
//!   `X-aws-ec2-metadata-token`. An invalid or expired token is 401, and with
//!   `HttpTokens: required` so is a GET without one; with `optional` a GET without a token is
//!   IMDSv1 and is answered;
//! * the PUT's answer travels at most `HttpPutResponseHopLimit` hops: from a container (one
//!   hop more) with a limit of 1 the answer never arrives and the client times out;
//! * `HttpEndpoint: disabled` answers 403 to everything;
//! * a directory (a path ending in `/`) lists its entries one per line, subdirectories with a
//!   trailing `/`; a leaf is its value with no newline; anything else is 404;
//! * the role's name and temporary credentials are visible; its policy never is.

use super::compute::catalog::image;
use super::compute::{iso_time, mac, private_dns, profile_id, public_dns, InstanceState, Token};
use super::network::model::{ip_text, Network};
use crate::core::sim::Rng;

/// The longest token lifetime, in seconds (six hours).
pub const MAX_TOKEN_TTL_S: u64 = 21_600;
/// How long role credentials last (AWS gives no figure; about six hours is observed).
pub const CREDENTIALS_LIFETIME_MS: u64 = 6 * 3_600_000;
/// New credentials appear at least five minutes before the old ones expire.
pub const CREDENTIALS_ROTATE_MS: u64 = CREDENTIALS_LIFETIME_MS - 5 * 60_000;

/// An HTTP request to the metadata service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `PUT`, `HEAD` …
    pub method: String,
    /// The path, from `/` (`/latest/meta-data/instance-id`).
    pub path: String,
    /// Header names as sent (matched without regard to case).
    pub headers: Vec<(String, String)>,
    /// Network hops between the caller and the instance's interface: 1 on the instance, 2
    /// from a container behind a bridge.
    pub hops: u8,
}

impl HttpRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }
}

/// What comes back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Http {
        status: u16,
        reason: &'static str,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// The answer was dropped on the way (hop limit): the client waits and times out.
    Timeout,
}

impl Answer {
    /// The status, 0 for a timeout.
    pub fn status(&self) -> u16 {
        match self {
            Answer::Http { status, .. } => *status,
            Answer::Timeout => 0,
        }
    }

    /// The body, "" for a timeout.
    pub fn body(&self) -> &str {
        match self {
            Answer::Http { body, .. } => body,
            Answer::Timeout => "",
        }
    }
}

fn ok(body: impl Into<String>) -> Answer {
    Answer::Http {
        status: 200,
        reason: "OK",
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: body.into(),
    }
}

/// The metadata service's error page (the 404 page is the real one, byte for byte).
fn error(status: u16) -> Answer {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        405 => "Method Not Allowed",
        _ => "Not Found",
    };
    let title = format!("{status} - {reason}");
    Answer::Http {
        status,
        reason,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: format!(
            "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n         \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n <head>\n  <title>{title}</title>\n </head>\n <body>\n  <h1>{title}</h1>\n </body>\n</html>\n"
        ),
    }
}

/// A node of the metadata tree.
enum Node {
    Leaf(String),
    Dir(Vec<String>),
}

/// What `iam/info` and `iam/security-credentials/<role>` answer when EC2 may not assume
/// the instance profile's role (its trust policy does not name `ec2.amazonaws.com`, or
/// the role is gone): no credentials, the code `AssumeRoleUnauthorizedAccess` and `why`.
/// `answer` is the answer the service gave; only a 200 with a body (not a HEAD) on those
/// two paths is replaced.
pub fn unassumable(answer: Answer, path: &str, role: &str, why: &str, now: u64) -> Answer {
    let meta = path.split('?').next().unwrap_or(path);
    let iam = meta == "/latest/meta-data/iam/info"
        || meta == format!("/latest/meta-data/iam/security-credentials/{role}");
    match answer {
        Answer::Http {
            status: 200,
            reason,
            headers,
            body,
        } if iam && !body.is_empty() => Answer::Http {
            status: 200,
            reason,
            headers,
            body: format!(
                "{{\n  \"Code\" : \"AssumeRoleUnauthorizedAccess\",\n  \"Message\" : \"EC2 cannot assume the role {role}: {why}.\",\n  \"LastUpdated\" : \"{}\"\n}}",
                zulu(now)
            ),
        },
        other => other,
    }
}

fn dir(entries: &[&str]) -> Node {
    Node::Dir(entries.iter().map(|s| s.to_string()).collect())
}

/// Handles one request from instance `id` at virtual time `now`. Tokens it issues are kept
/// on the instance. A request from an instance that is not running gets no answer.
pub fn handle(n: &mut Network, account: &str, id: &str, now: u64, req: &HttpRequest) -> Answer {
    let Some(inst) = n.instance(id) else {
        return Answer::Timeout;
    };
    if inst.compute.state != InstanceState::Running {
        return Answer::Timeout;
    }
    let opts = inst.compute.metadata;
    if !opts.endpoint_enabled {
        return error(403);
    }
    let method = req.method.to_ascii_uppercase();
    if method == "PUT" {
        if req.path != "/latest/api/token" {
            return error(if req.path.ends_with("/api/token") {
                403
            } else {
                405
            });
        }
        if req.header("X-Forwarded-For").is_some() {
            return error(403);
        }
        let ttl = req
            .header("X-aws-ec2-metadata-token-ttl-seconds")
            .and_then(|t| t.parse::<u64>().ok())
            .filter(|t| (1..=MAX_TOKEN_TTL_S).contains(t));
        let Some(ttl) = ttl else {
            return error(400);
        };
        if req.hops > opts.hop_limit {
            return Answer::Timeout;
        }
        let value = token_value(id, now, inst.compute.tokens.len());
        if let Some(i) = n.instances.iter_mut().find(|i| i.id == id) {
            i.compute.tokens.retain(|t| t.expires_ms > now);
            i.compute.tokens.push(Token {
                value: value.clone(),
                expires_ms: now + ttl * 1000,
            });
        }
        return Answer::Http {
            status: 200,
            reason: "OK",
            headers: vec![
                ("Content-Type".into(), "text/plain".into()),
                (
                    "X-Aws-Ec2-Metadata-Token-Ttl-Seconds".into(),
                    ttl.to_string(),
                ),
            ],
            body: value,
        };
    }
    if method != "GET" && method != "HEAD" {
        return error(405);
    }
    match req.header("X-aws-ec2-metadata-token") {
        Some(t)
            if !inst
                .compute
                .tokens
                .iter()
                .any(|k| k.value == t && k.expires_ms > now) =>
        {
            return error(401)
        }
        Some(_) => {}
        None if opts.http_tokens == super::compute::HttpTokens::Required => return error(401),
        None => {}
    }
    let answer = match node(n, account, id, now, &req.path) {
        Some(Node::Leaf(v)) => ok(v),
        Some(Node::Dir(entries)) => ok(entries.join("\n")),
        None => error(404),
    };
    match (method.as_str(), answer) {
        (
            "HEAD",
            Answer::Http {
                status,
                reason,
                headers,
                ..
            },
        ) => Answer::Http {
            status,
            reason,
            headers,
            body: String::new(),
        },
        (_, a) => a,
    }
}

/// A token: opaque text, different for every PUT.
fn token_value(id: &str, now: u64, issued: usize) -> String {
    let seed = id.bytes().fold(now ^ (issued as u64) << 40, |h, b| {
        h.rotate_left(7) ^ u64::from(b)
    });
    let mut rng = Rng::new(seed);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let tail: String = (0..51)
        .map(|_| alphabet[rng.below(64) as usize] as char)
        .collect();
    format!("AQAEA{tail}==")
}

/// Temporary credentials of the instance's role at `now`: (AccessKeyId, SecretAccessKey,
/// Token, LastUpdated ms, Expiration ms). They rotate every [`CREDENTIALS_ROTATE_MS`] from
/// the launch and last [`CREDENTIALS_LIFETIME_MS`].
pub fn credentials(
    id: &str,
    role: &str,
    launch_ms: u64,
    now: u64,
) -> (String, String, String, u64, u64) {
    let k = now.saturating_sub(launch_ms) / CREDENTIALS_ROTATE_MS;
    let issued = launch_ms + k * CREDENTIALS_ROTATE_MS;
    let seed = format!("{id}/{role}/{k}").bytes().fold(0x1D5_u64, |h, b| {
        h.wrapping_mul(0x100_0000_01b3) ^ u64::from(b)
    });
    let mut rng = Rng::new(seed);
    let mut pick = |alphabet: &[u8], len: usize| -> String {
        (0..len)
            .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize] as char)
            .collect()
    };
    let key = format!("ASIA{}", pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16));
    let secret = pick(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        40,
    );
    let token = format!(
        "IQoJb3JpZ2luX2Vj{}",
        pick(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
            80
        )
    );
    (key, secret, token, issued, issued + CREDENTIALS_LIFETIME_MS)
}

/// `2026-01-01T06:00:00Z`, the form metadata JSON uses.
fn zulu(ms: u64) -> String {
    iso_time(ms).replace("+00:00", "Z")
}

fn node(n: &Network, account: &str, id: &str, now: u64, path: &str) -> Option<Node> {
    let inst = n.instance(id)?;
    let c = &inst.compute;
    let subnet = n.subnet(&inst.subnet)?;
    let vpc = n.vpcs.iter().find(|v| v.id == subnet.vpc)?;
    let region = n.region.clone();
    let mac = mac(id);
    let public = super::compute::public_address(n, inst);
    let group_names: Vec<String> = inst
        .groups
        .iter()
        .filter_map(|g| n.group(g).map(|x| x.name.clone()))
        .collect();
    let root = image(&c.image_id).map_or("/dev/xvda", |i| i.root_device);
    let arch = image(&c.image_id).map_or("x86_64", |i| i.arch.name());
    let meta = |rest: &str| -> Option<Node> {
        Some(match rest {
            "" => {
                let mut e = vec![
                    "ami-id",
                    "ami-launch-index",
                    "ami-manifest-path",
                    "block-device-mapping/",
                    "events/",
                    "hostname",
                ];
                if c.role.is_some() {
                    e.push("iam/");
                }
                e.extend([
                    "instance-action",
                    "instance-id",
                    "instance-life-cycle",
                    "instance-type",
                    "local-hostname",
                    "local-ipv4",
                    "mac",
                    "metrics/",
                    "network/",
                    "placement/",
                    "profile",
                ]);
                if public.is_some() {
                    e.extend(["public-hostname", "public-ipv4"]);
                }
                if c.key_name.is_some() {
                    e.push("public-keys/");
                }
                e.extend(["reservation-id", "security-groups", "services/"]);
                dir(&e)
            }
            "ami-id" => Node::Leaf(c.image_id.clone()),
            "ami-launch-index" => Node::Leaf(c.launch_index.to_string()),
            "ami-manifest-path" => Node::Leaf("(unknown)".into()),
            "block-device-mapping/" => dir(&["ami", "root"]),
            "block-device-mapping/ami" | "block-device-mapping/root" => Node::Leaf(root.into()),
            "events/" => dir(&["maintenance/"]),
            "events/maintenance/" => dir(&["history", "scheduled"]),
            "events/maintenance/history" | "events/maintenance/scheduled" => {
                Node::Leaf("[]".into())
            }
            "hostname" | "local-hostname" => Node::Leaf(private_dns(&region, inst.private_ip)),
            "instance-action" => Node::Leaf("none".into()),
            "instance-id" => Node::Leaf(id.into()),
            "instance-life-cycle" => Node::Leaf("on-demand".into()),
            "instance-type" => Node::Leaf(c.instance_type.clone()),
            "local-ipv4" => Node::Leaf(ip_text(inst.private_ip)),
            "mac" => Node::Leaf(mac.clone()),
            "metrics/" => dir(&["vhostmd"]),
            "metrics/vhostmd" => Node::Leaf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>".into()),
            "network/" => dir(&["interfaces/"]),
            "network/interfaces/" => dir(&["macs/"]),
            "network/interfaces/macs/" => Node::Dir(vec![format!("{mac}/")]),
            "placement/" => dir(&["availability-zone", "availability-zone-id", "region"]),
            "placement/availability-zone" => Node::Leaf(subnet.az.clone()),
            "placement/availability-zone-id" => Node::Leaf(az_id(&subnet.az)),
            "placement/region" => Node::Leaf(region.clone()),
            "profile" => Node::Leaf("default-hvm".into()),
            "public-hostname" => Node::Leaf(public_dns(&region, public?)),
            "public-ipv4" => Node::Leaf(ip_text(public?)),
            "public-keys/" => Node::Leaf(format!("0={}", c.key_name.as_deref()?)),
            "public-keys/0/" => {
                c.key_name.as_ref()?;
                dir(&["openssh-key"])
            }
            "public-keys/0/openssh-key" => Node::Leaf(format!(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{} {}",
                &profile_id(c.key_name.as_deref()?)[4..],
                c.key_name.as_deref()?
            )),
            "reservation-id" => Node::Leaf(c.reservation.clone()),
            "security-groups" => Node::Leaf(group_names.join("\n")),
            "services/" => dir(&["domain", "partition"]),
            "services/domain" => Node::Leaf("amazonaws.com".into()),
            "services/partition" => Node::Leaf("aws".into()),
            "iam/" => {
                c.role.as_ref()?;
                dir(&["info", "security-credentials/"])
            }
            "iam/info" => {
                let role = c.role.as_deref()?;
                Node::Leaf(format!(
                    "{{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"{}\",\n  \"InstanceProfileArn\" : \"arn:aws:iam::{account}:instance-profile/{role}\",\n  \"InstanceProfileId\" : \"{}\"\n}}",
                    zulu(c.launch_ms),
                    profile_id(role)
                ))
            }
            "iam/security-credentials/" => Node::Leaf(c.role.clone()?),
            other => {
                if let Some(role) = other.strip_prefix("iam/security-credentials/") {
                    if Some(role) != c.role.as_deref() {
                        return None;
                    }
                    let (key, secret, token, issued, expires) =
                        credentials(id, role, c.launch_ms, now);
                    return Some(Node::Leaf(format!(
                        "{{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"{}\",\n  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"{key}\",\n  \"SecretAccessKey\" : \"{secret}\",\n  \"Token\" : \"{token}\",\n  \"Expiration\" : \"{}\"\n}}",
                        zulu(issued),
                        zulu(expires)
                    )));
                }
                let rest = other.strip_prefix(&format!("network/interfaces/macs/{mac}/"))?;
                let vpc_cidrs: Vec<String> = vpc.cidrs.iter().map(|c| c.to_string()).collect();
                let gids: Vec<&str> = inst.groups.iter().map(String::as_str).collect();
                let mut entries = vec![
                    "device-number",
                    "interface-id",
                    "local-hostname",
                    "local-ipv4s",
                    "mac",
                    "owner-id",
                ];
                if public.is_some() {
                    entries.extend(["public-hostname", "public-ipv4s"]);
                }
                entries.extend([
                    "security-group-ids",
                    "security-groups",
                    "subnet-id",
                    "subnet-ipv4-cidr-block",
                    "vpc-id",
                    "vpc-ipv4-cidr-block",
                    "vpc-ipv4-cidr-blocks",
                ]);
                match rest {
                    "" => dir(&entries),
                    "device-number" => Node::Leaf("0".into()),
                    "interface-id" => Node::Leaf(format!("eni-{}", id.trim_start_matches("i-"))),
                    "local-hostname" => Node::Leaf(private_dns(&region, inst.private_ip)),
                    "local-ipv4s" => Node::Leaf(ip_text(inst.private_ip)),
                    "mac" => Node::Leaf(mac.clone()),
                    "owner-id" => Node::Leaf(account.into()),
                    "public-hostname" => Node::Leaf(public_dns(&region, public?)),
                    "public-ipv4s" => Node::Leaf(ip_text(public?)),
                    "security-group-ids" => Node::Leaf(gids.join("\n")),
                    "security-groups" => Node::Leaf(group_names.join("\n")),
                    "subnet-id" => Node::Leaf(subnet.id.clone()),
                    "subnet-ipv4-cidr-block" => Node::Leaf(subnet.cidr.to_string()),
                    "vpc-id" => Node::Leaf(vpc.id.clone()),
                    "vpc-ipv4-cidr-block" => Node::Leaf(vpc_cidrs.first()?.clone()),
                    "vpc-ipv4-cidr-blocks" => Node::Leaf(vpc_cidrs.join("\n")),
                    _ => return None,
                }
            }
        })
    };
    match path {
        "/" => Some(dir(&["latest"])),
        "/latest" | "/latest/" => {
            let mut e = vec!["dynamic", "meta-data"];
            if c.user_data.is_some() {
                e.push("user-data");
            }
            Some(dir(&e))
        }
        "/latest/user-data" | "/latest/user-data/" => c.user_data.clone().map(Node::Leaf),
        "/latest/dynamic" | "/latest/dynamic/" => Some(dir(&["instance-identity/"])),
        "/latest/dynamic/instance-identity/" => Some(dir(&["document"])),
        "/latest/dynamic/instance-identity/document" => Some(Node::Leaf(format!(
            "{{\n  \"accountId\" : \"{account}\",\n  \"architecture\" : \"{arch}\",\n  \"availabilityZone\" : \"{}\",\n  \"billingProducts\" : null,\n  \"devpayProductCodes\" : null,\n  \"marketplaceProductCodes\" : null,\n  \"imageId\" : \"{}\",\n  \"instanceId\" : \"{id}\",\n  \"instanceType\" : \"{}\",\n  \"kernelId\" : null,\n  \"pendingTime\" : \"{}\",\n  \"privateIp\" : \"{}\",\n  \"ramdiskId\" : null,\n  \"region\" : \"{region}\",\n  \"version\" : \"2017-09-30\"\n}}",
            subnet.az,
            c.image_id,
            c.instance_type,
            zulu(c.launch_ms),
            ip_text(inst.private_ip)
        ))),
        "/latest/meta-data" => meta(""),
        p => meta(p.strip_prefix("/latest/meta-data/")?),
    }
}

/// An Availability Zone's id (`us-east-1a` → `use1-az1`): AWS maps names to ids per
/// account; the simulator's account maps them in letter order.
pub fn az_id(az: &str) -> String {
    let letter = az
        .chars()
        .last()
        .filter(char::is_ascii_lowercase)
        .unwrap_or('a');
    let region = az.strip_suffix(letter).unwrap_or(az);
    let short: String = region
        .split('-')
        .map(|p| {
            if p.chars().all(|c| c.is_ascii_digit()) {
                p.to_string()
            } else {
                p.chars().next().map(String::from).unwrap_or_default()
            }
        })
        .collect();
    let short = match region {
        "us-east-1" => "use1".to_string(),
        "us-east-2" => "use2".to_string(),
        "us-west-2" => "usw2".to_string(),
        "eu-west-1" => "euw1".to_string(),
        _ => short,
    };
    format!("{short}-az{}", (letter as u8 - b'a') + 1)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
