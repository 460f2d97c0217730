//! The Describe* calls on the network and the catalogs, in the shapes the AWS CLI prints:
//! DescribeVpcs, DescribeSubnets, DescribeSecurityGroups, DescribeImages and
//! DescribeInstanceTypes (EC2 API Reference; key order as the CLI prints them).

use super::catalog::{Platform, IMAGES, INSTANCE_TYPES};
use crate::core::services::ec2::network::model::{Network, Peer, Proto, SgRule};
use crate::core::sim::{AwsError, Doc};

/// EC2's NotFound for one id (`The instance ID 'i-…' does not exist`, no full stop) or
/// several, named at once.
pub(super) fn unknown(kind: &'static str, code: &'static str, ids: &[&str]) -> AwsError {
    if ids.len() == 1 {
        AwsError::client(code, format!("The {kind} ID '{}' does not exist", ids[0]))
    } else {
        AwsError::client(
            code,
            format!("The {kind} IDs '{}' do not exist", ids.join(", ")),
        )
    }
}

fn check<'a>(
    ids: &'a [String],
    exists: impl Fn(&str) -> bool,
    kind: &'static str,
    code: &'static str,
) -> Result<(), AwsError> {
    let missing: Vec<&'a str> = ids
        .iter()
        .map(String::as_str)
        .filter(|i| !exists(i))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(unknown(kind, code, &missing))
    }
}

fn tags(name: &str) -> Doc {
    Doc::List(vec![Doc::obj([
        ("Key", "Name".into()),
        ("Value", name.into()),
    ])])
}

/// DescribeVpcs.
pub fn vpcs(n: &Network, owner: &str, ids: &[String]) -> Result<Doc, AwsError> {
    check(
        ids,
        |i| n.vpcs.iter().any(|v| v.id == i),
        "vpc",
        "InvalidVpcID.NotFound",
    )?;
    let list = n
        .vpcs
        .iter()
        .filter(|v| ids.is_empty() || ids.contains(&v.id))
        .map(|v| {
            let primary = v.cidrs.first().map(|c| c.to_string()).unwrap_or_default();
            let mut m = vec![
                ("CidrBlock".to_string(), Doc::Str(primary)),
                ("DhcpOptionsId".into(), "dopt-default".into()),
                ("State".into(), "available".into()),
                ("VpcId".into(), v.id.as_str().into()),
                ("OwnerId".into(), owner.into()),
                ("InstanceTenancy".into(), "default".into()),
            ];
            if let Some(six) = v.ipv6 {
                m.push((
                    "Ipv6CidrBlockAssociationSet".into(),
                    Doc::List(vec![Doc::obj([
                        ("Ipv6CidrBlock", six.to_string().into()),
                        (
                            "Ipv6CidrBlockState",
                            Doc::obj([("State", "associated".into())]),
                        ),
                    ])]),
                ));
            }
            m.push((
                "CidrBlockAssociationSet".into(),
                Doc::List(
                    v.cidrs
                        .iter()
                        .map(|c| {
                            Doc::obj([
                                ("CidrBlock", c.to_string().into()),
                                ("CidrBlockState", Doc::obj([("State", "associated".into())])),
                            ])
                        })
                        .collect(),
                ),
            ));
            m.push(("IsDefault".into(), false.into()));
            if !v.name.is_empty() {
                m.push(("Tags".into(), tags(&v.name)));
            }
            Doc::Map(m)
        })
        .collect();
    Ok(Doc::obj([("Vpcs", Doc::List(list))]))
}

/// DescribeSubnets. `AvailableIpAddressCount` is the block's size less the five
/// addresses AWS reserves and the addresses in use.
pub fn subnets(n: &Network, owner: &str, ids: &[String]) -> Result<Doc, AwsError> {
    check(
        ids,
        |i| n.subnet(i).is_some(),
        "subnet",
        "InvalidSubnetID.NotFound",
    )?;
    let list = n
        .subnets
        .iter()
        .filter(|s| ids.is_empty() || ids.contains(&s.id))
        .map(|s| {
            let used = n.instances.iter().filter(|i| i.subnet == s.id).count()
                + n.enis.iter().filter(|e| e.subnet == s.id).count()
                + n.nats.iter().filter(|g| g.subnet == s.id).count();
            let free = (s.cidr.size() as i64 - 5 - used as i64).max(0);
            let mut m = vec![
                ("AvailabilityZone".to_string(), Doc::Str(s.az.clone())),
                (
                    "AvailabilityZoneId".into(),
                    crate::core::services::ec2::imds::az_id(&s.az).into(),
                ),
                ("AvailableIpAddressCount".into(), Doc::Int(free)),
                ("CidrBlock".into(), s.cidr.to_string().into()),
                ("DefaultForAz".into(), false.into()),
                (
                    "MapPublicIpOnLaunch".into(),
                    crate::core::services::ec2::network::query::public(n, &s.id)
                        .v4
                        .into(),
                ),
                ("State".into(), "available".into()),
                ("SubnetId".into(), s.id.as_str().into()),
                ("VpcId".into(), s.vpc.as_str().into()),
                ("OwnerId".into(), owner.into()),
            ];
            if !s.name.is_empty() {
                m.push(("Tags".into(), tags(&s.name)));
            }
            m.push((
                "SubnetArn".into(),
                format!("arn:aws:ec2:{}:{owner}:subnet/{}", n.region, s.id).into(),
            ));
            Doc::Map(m)
        })
        .collect();
    Ok(Doc::obj([("Subnets", Doc::List(list))]))
}

fn permission(r: &SgRule) -> Doc {
    let (proto, from, to): (String, Option<i64>, Option<i64>) = match &r.proto {
        Proto::All => ("-1".into(), None, None),
        Proto::Tcp => ("tcp".into(), Some(r.ports.0.into()), Some(r.ports.1.into())),
        Proto::Udp => ("udp".into(), Some(r.ports.0.into()), Some(r.ports.1.into())),
        Proto::Icmp(_) => ("icmp".into(), Some(-1), Some(-1)),
        Proto::Icmpv6(_) => ("icmpv6".into(), Some(-1), Some(-1)),
        Proto::Other(n) => (n.to_string(), None, None),
    };
    let mut m: Vec<(String, Doc)> = Vec::new();
    if let Some(f) = from {
        m.push(("FromPort".into(), Doc::Int(f)));
    }
    m.push(("IpProtocol".into(), proto.into()));
    let (mut v4, mut v6, mut groups, mut lists) = (vec![], vec![], vec![], vec![]);
    match &r.peer {
        Peer::Cidr(c) if c.is_v6() => v6.push(Doc::obj([("CidrIpv6", c.to_string().into())])),
        Peer::Cidr(c) => v4.push(Doc::obj([("CidrIp", c.to_string().into())])),
        Peer::Group(g) => groups.push(Doc::obj([("GroupId", g.as_str().into())])),
        Peer::PrefixList(s) => lists.push(Doc::obj([(
            "PrefixListId",
            format!("pl-{}", s.name()).into(),
        )])),
    }
    m.push(("IpRanges".into(), Doc::List(v4)));
    m.push(("Ipv6Ranges".into(), Doc::List(v6)));
    m.push(("PrefixListIds".into(), Doc::List(lists)));
    if let Some(t) = to {
        m.push(("ToPort".into(), Doc::Int(t)));
    }
    m.push(("UserIdGroupPairs".into(), Doc::List(groups)));
    Doc::Map(m)
}

/// DescribeSecurityGroups.
pub fn security_groups(n: &Network, owner: &str, ids: &[String]) -> Result<Doc, AwsError> {
    check(
        ids,
        |i| n.group(i).is_some(),
        "security group",
        "InvalidGroup.NotFound",
    )?;
    let list = n
        .groups
        .iter()
        .filter(|g| ids.is_empty() || ids.contains(&g.id))
        .map(|g| {
            Doc::obj([
                (
                    "Description",
                    if g.default {
                        "default VPC security group".to_string()
                    } else {
                        g.name.clone()
                    }
                    .into(),
                ),
                ("GroupName", g.name.as_str().into()),
                (
                    "IpPermissions",
                    Doc::List(g.inbound.iter().map(permission).collect()),
                ),
                ("OwnerId", owner.into()),
                ("GroupId", g.id.as_str().into()),
                (
                    "IpPermissionsEgress",
                    Doc::List(g.outbound.iter().map(permission).collect()),
                ),
                ("VpcId", g.vpc.as_str().into()),
            ])
        })
        .collect();
    Ok(Doc::obj([("SecurityGroups", Doc::List(list))]))
}

/// DescribeImages, over the simulator's catalog.
pub fn images(ids: &[String]) -> Result<Doc, AwsError> {
    if let Some(bad) = ids.iter().find(|i| super::catalog::image(i).is_none()) {
        return Err(AwsError::client(
            "InvalidAMIID.NotFound",
            format!("The image id '[{bad}]' does not exist"),
        ));
    }
    let list = IMAGES
        .iter()
        .filter(|i| ids.is_empty() || ids.iter().any(|x| x == i.id))
        .map(|i| {
            Doc::obj([
                ("Architecture", i.arch.name().into()),
                ("ImageId", i.id.into()),
                ("Name", i.name.into()),
                ("Description", i.description.into()),
                ("RootDeviceName", i.root_device.into()),
                ("RootDeviceType", "ebs".into()),
                (
                    "PlatformDetails",
                    if i.platform == Platform::Windows {
                        "Windows"
                    } else {
                        "Linux/UNIX"
                    }
                    .into(),
                ),
                (
                    "ImdsSupport",
                    if i.imds_v2_only {
                        Doc::Str("v2.0".into())
                    } else {
                        Doc::Null
                    },
                ),
            ])
        })
        .map(|d| match d {
            // ImdsSupport is absent, not null, for images without it.
            Doc::Map(m) => Doc::Map(m.into_iter().filter(|(_, v)| *v != Doc::Null).collect()),
            other => other,
        })
        .collect();
    Ok(Doc::obj([("Images", Doc::List(list))]))
}

/// DescribeInstanceTypes, over the price table (with the price, which AWS's call does not
/// return: the simulator adds `OnDemandUsdPerHour` so a student sees what a type costs).
pub fn instance_types(types: &[String]) -> Result<Doc, AwsError> {
    if let Some(bad) = types
        .iter()
        .find(|t| super::catalog::instance_type(t).is_none())
    {
        return Err(AwsError::client(
            "InvalidInstanceType",
            format!("The following supplied instance types do not exist: [{bad}]"),
        ));
    }
    let list = INSTANCE_TYPES
        .iter()
        .filter(|t| types.is_empty() || types.iter().any(|x| x == t.name))
        .map(|t| {
            Doc::obj([
                ("InstanceType", t.name.into()),
                (
                    "ProcessorInfo",
                    Doc::obj([(
                        "SupportedArchitectures",
                        Doc::List(vec![t.arch.name().into()]),
                    )]),
                ),
                ("VCpuInfo", Doc::obj([("DefaultVCpus", t.vcpus.into())])),
                (
                    "MemoryInfo",
                    Doc::obj([("SizeInMiB", Doc::Int(t.memory_mib as i64))]),
                ),
                ("InstanceStorageSupported", (t.instance_store_gb > 0).into()),
                ("OnDemandUsdPerHour", t.linux_usd_per_hour.into()),
            ])
        })
        .collect();
    Ok(Doc::obj([("InstanceTypes", Doc::List(list))]))
}
