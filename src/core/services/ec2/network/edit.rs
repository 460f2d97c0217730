//! Edits to the model, each one an EC2 API operation (the VPC API is part of EC2: `aws ec2
//! create-subnet`, IAM action `ec2:CreateSubnet`; [`Edit::operation`] names it). Each edit
//! is applied to a copy: its own preconditions first (a missing resource is
//! `Invalid….NotFound`, a duplicate rule `InvalidPermission.Duplicate` …), then every rule
//! of `validate` it would newly break; a refusal carries AWS's error code ([`Refusal`]) and
//! nothing changes.

use super::model::*;
use super::validate::{validate, Problem};
use crate::core::sim::AwsError;
use serde::{Deserialize, Serialize};

/// An EC2 request on the network. Variants are named after the EC2 API action when one call
/// does the same (CreateSubnet, CreateNetworkAclEntry, AllocateAddress …); the rest say what
/// they stand for in their documentation ([`Edit::operation`] names the AWS call either way).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    RunInstances {
        name: String,
        subnet: String,
        ip: u32,
        public_ip: Option<u32>,
        groups: Vec<String>,
    },
    TerminateInstances {
        id: String,
    },
    SetPublicIp {
        instance: String,
        ip: Option<u32>,
    },
    ModifyInstanceAttribute {
        instance: String,
        groups: Vec<String>,
    },
    CreateSubnet {
        name: String,
        vpc: String,
        az: String,
        cidr: Net,
    },
    SetSubnetCidr {
        subnet: String,
        cidr: Net,
    },
    AuthorizeSecurityGroupIngress {
        group: String,
        rule: SgRule,
    },
    AuthorizeSecurityGroupEgress {
        group: String,
        rule: SgRule,
    },
    /// Revokes the group's inbound rule at `index` (from 0).
    RevokeSecurityGroupIngress {
        group: String,
        index: usize,
    },
    RevokeSecurityGroupEgress {
        group: String,
        index: usize,
    },
    CreateNetworkAclEntry {
        nacl: String,
        inbound: bool,
        rule: NaclRule,
    },
    DeleteNetworkAclEntry {
        nacl: String,
        inbound: bool,
        number: u16,
    },
    CreateRoute {
        table: String,
        route: Route,
    },
    DeleteRoute {
        table: String,
        index: usize,
    },
    AttachInternetGateway {
        igw: String,
        vpc: String,
    },
    DetachInternetGateway {
        igw: String,
    },
    CreateVpc {
        name: String,
        cidr: Net,
    },
    AssociateVpcCidrBlock {
        vpc: String,
        cidr: Net,
    },
    CreateSecurityGroup {
        vpc: String,
        name: String,
    },
    CreateNetworkAcl {
        vpc: String,
        name: String,
        subnet: Option<String>,
    },
    CreateRouteTable {
        vpc: String,
        name: String,
        subnet: Option<String>,
    },
    /// Associates a subnet with a route table of its VPC (the main table included).
    AssociateRouteTable {
        table: String,
        subnet: String,
    },
    CreateInternetGateway {
        vpc: Option<String>,
    },
    CreateNatGateway {
        subnet: String,
        eip: u32,
    },
    CreateVpcPeeringConnection {
        requester: String,
        accepter: String,
    },
    CreateVpcEndpoint {
        vpc: String,
        service: Service,
        route_table: Option<String>,
        subnet: Option<String>,
    },
    /// Sets the Name tag of a VPC, subnet, route table, network ACL, instance or network
    /// interface.
    CreateTags {
        id: String,
        name: String,
    },
    /// Puts an instance in another subnet with a new private address. In AWS an
    /// instance's subnet is fixed: this stands for launching a replacement there.
    MoveInstance {
        instance: String,
        subnet: String,
        ip: u32,
    },
    /// AssociateVpcCidrBlock with an IPv6 block (its `Ipv6CidrBlock` parameter).
    AssociateVpcIpv6CidrBlock {
        vpc: String,
        cidr: Net,
    },
    /// Removes a VPC's IPv6 block.
    DisassociateVpcCidrBlock {
        vpc: String,
    },
    /// Gives a subnet its IPv6 block.
    AssociateSubnetCidrBlock {
        subnet: String,
        cidr: Net,
    },
    DisassociateSubnetCidrBlock {
        subnet: String,
    },
    /// Gives an instance or a network interface an IPv6 address.
    AssignIpv6Addresses {
        id: String,
        #[serde(with = "super::model::ip_serde")]
        ip: Option<Ip>,
    },
    UnassignIpv6Addresses {
        id: String,
    },
    CreateEgressOnlyInternetGateway {
        vpc: String,
    },
    CreateNetworkInterface {
        name: String,
        subnet: String,
        ip: u32,
        groups: Vec<String>,
    },
    AttachNetworkInterface {
        eni: String,
        instance: String,
    },
    DetachNetworkInterface {
        eni: String,
    },
    /// Sets a network interface's security groups.
    ModifyNetworkInterfaceAttribute {
        eni: String,
        groups: Vec<String>,
    },
    AllocateAddress {
        address: u32,
    },
    /// Associates an Elastic IP with an instance or network interface.
    AssociateAddress {
        eip: String,
        target: String,
    },
    DisassociateAddress {
        eip: String,
    },
    AcceptVpcPeeringConnection {
        peering: String,
    },
    /// Puts an active peering connection back to pending-acceptance, to show that a
    /// connection carries traffic only once accepted. Model-only: AWS has no such call.
    MarkPeeringPending {
        peering: String,
    },
    DeleteVpc {
        vpc: String,
    },
    DeleteSubnet {
        subnet: String,
    },
    DeleteRouteTable {
        table: String,
    },
    DeleteInternetGateway {
        igw: String,
    },
    DeleteEgressOnlyInternetGateway {
        eigw: String,
    },
    DeleteVpnGateway {
        vgw: String,
    },
    DeleteNatGateway {
        nat: String,
    },
    DeleteVpcPeeringConnection {
        peering: String,
    },
    DeleteVpcEndpoints {
        endpoint: String,
    },
    DeleteNetworkAcl {
        nacl: String,
    },
    DeleteSecurityGroup {
        group: String,
    },
    DeleteNetworkInterface {
        eni: String,
    },
    /// Releases an Elastic IP.
    ReleaseAddress {
        eip: String,
    },
}

impl Edit {
    /// The call that deletes resource `id`, by its kind (TerminateInstances for an
    /// instance, ReleaseAddress for an Elastic IP); `None` for an id of no known kind.
    pub fn delete(id: &str) -> Option<Edit> {
        let id = id.to_string();
        Some(match id_kind(&id)?.prefix {
            "vpc" => Edit::DeleteVpc { vpc: id },
            "subnet" => Edit::DeleteSubnet { subnet: id },
            "rtb" => Edit::DeleteRouteTable { table: id },
            "igw" => Edit::DeleteInternetGateway { igw: id },
            "eigw" => Edit::DeleteEgressOnlyInternetGateway { eigw: id },
            "vgw" => Edit::DeleteVpnGateway { vgw: id },
            "nat" => Edit::DeleteNatGateway { nat: id },
            "pcx" => Edit::DeleteVpcPeeringConnection { peering: id },
            "vpce" => Edit::DeleteVpcEndpoints { endpoint: id },
            "acl" => Edit::DeleteNetworkAcl { nacl: id },
            "sg" => Edit::DeleteSecurityGroup { group: id },
            "i" => Edit::TerminateInstances { id },
            "eni" => Edit::DeleteNetworkInterface { eni: id },
            _ => Edit::ReleaseAddress { eip: id },
        })
    }

    /// The resource a delete call removes (`None` for other calls).
    pub fn deleted(&self) -> Option<&str> {
        Some(match self {
            Edit::DeleteVpc { vpc: id }
            | Edit::DeleteSubnet { subnet: id }
            | Edit::DeleteRouteTable { table: id }
            | Edit::DeleteInternetGateway { igw: id }
            | Edit::DeleteEgressOnlyInternetGateway { eigw: id }
            | Edit::DeleteVpnGateway { vgw: id }
            | Edit::DeleteNatGateway { nat: id }
            | Edit::DeleteVpcPeeringConnection { peering: id }
            | Edit::DeleteVpcEndpoints { endpoint: id }
            | Edit::DeleteNetworkAcl { nacl: id }
            | Edit::DeleteSecurityGroup { group: id }
            | Edit::TerminateInstances { id }
            | Edit::DeleteNetworkInterface { eni: id }
            | Edit::ReleaseAddress { eip: id } => id,
            _ => return None,
        })
    }

    /// The rule call for a group's inbound or outbound side.
    pub fn authorize(group: &str, inbound: bool, rule: SgRule) -> Edit {
        let group = group.to_string();
        match inbound {
            true => Edit::AuthorizeSecurityGroupIngress { group, rule },
            false => Edit::AuthorizeSecurityGroupEgress { group, rule },
        }
    }

    /// The call revoking rule `index` of a group's inbound or outbound side.
    pub fn revoke(group: &str, inbound: bool, index: usize) -> Edit {
        let group = group.to_string();
        match inbound {
            true => Edit::RevokeSecurityGroupIngress { group, index },
            false => Edit::RevokeSecurityGroupEgress { group, index },
        }
    }

    /// Attaches an internet gateway to `vpc`, or detaches it with `None`.
    pub fn igw_attachment(igw: &str, vpc: Option<String>) -> Edit {
        let igw = igw.to_string();
        match vpc {
            Some(vpc) => Edit::AttachInternetGateway { igw, vpc },
            None => Edit::DetachInternetGateway { igw },
        }
    }

    /// Attaches a network interface to `instance`, or detaches it with `None`.
    pub fn eni_attachment(eni: &str, instance: Option<String>) -> Edit {
        let eni = eni.to_string();
        match instance {
            Some(instance) => Edit::AttachNetworkInterface { eni, instance },
            None => Edit::DetachNetworkInterface { eni },
        }
    }

    /// Associates an Elastic IP with `target`, or disassociates it with `None`.
    pub fn address_association(eip: &str, target: Option<String>) -> Edit {
        let eip = eip.to_string();
        match target {
            Some(target) => Edit::AssociateAddress { eip, target },
            None => Edit::DisassociateAddress { eip },
        }
    }

    /// Associates an IPv6 block with a VPC, or removes it with `None`.
    pub fn vpc_ipv6(vpc: &str, cidr: Option<Net>) -> Edit {
        let vpc = vpc.to_string();
        match cidr {
            Some(cidr) => Edit::AssociateVpcIpv6CidrBlock { vpc, cidr },
            None => Edit::DisassociateVpcCidrBlock { vpc },
        }
    }

    /// Associates an IPv6 block with a subnet, or removes it with `None`.
    pub fn subnet_ipv6(subnet: &str, cidr: Option<Net>) -> Edit {
        let subnet = subnet.to_string();
        match cidr {
            Some(cidr) => Edit::AssociateSubnetCidrBlock { subnet, cidr },
            None => Edit::DisassociateSubnetCidrBlock { subnet },
        }
    }

    /// Assigns an IPv6 address to an instance or interface, or unassigns it with `None`.
    pub fn ipv6_address(id: &str, ip: Option<Ip>) -> Edit {
        let id = id.to_string();
        match ip {
            Some(_) => Edit::AssignIpv6Addresses { id, ip },
            None => Edit::UnassignIpv6Addresses { id },
        }
    }

    /// Accepts a peering connection, or (model-only) marks it pending.
    pub fn peering_state(peering: &str, active: bool) -> Edit {
        let peering = peering.to_string();
        match active {
            true => Edit::AcceptVpcPeeringConnection { peering },
            false => Edit::MarkPeeringPending { peering },
        }
    }
}

impl Edit {
    /// The EC2 API operation this edit is (Amazon EC2 API Reference): the name a refusal and
    /// the AWS CLI use. Edits AWS has no single call for say what they stand for.
    pub fn operation(&self) -> &'static str {
        match self {
            Edit::RunInstances { .. } => "RunInstances",
            Edit::TerminateInstances { .. } => "TerminateInstances",
            // The primary interface's AssociatePublicIpAddress attribute.
            Edit::SetPublicIp { .. } => "ModifyNetworkInterfaceAttribute",
            Edit::ModifyInstanceAttribute { .. } => "ModifyInstanceAttribute",
            Edit::CreateSubnet { .. } => "CreateSubnet",
            // A subnet's CIDR cannot change in AWS: this stands for replacing the subnet.
            Edit::SetSubnetCidr { .. } => "CreateSubnet",
            Edit::AuthorizeSecurityGroupIngress { .. } => "AuthorizeSecurityGroupIngress",
            Edit::AuthorizeSecurityGroupEgress { .. } => "AuthorizeSecurityGroupEgress",
            Edit::RevokeSecurityGroupIngress { .. } => "RevokeSecurityGroupIngress",
            Edit::RevokeSecurityGroupEgress { .. } => "RevokeSecurityGroupEgress",
            Edit::CreateNetworkAclEntry { .. } => "CreateNetworkAclEntry",
            Edit::DeleteNetworkAclEntry { .. } => "DeleteNetworkAclEntry",
            Edit::CreateRoute { .. } => "CreateRoute",
            Edit::DeleteRoute { .. } => "DeleteRoute",
            Edit::AttachInternetGateway { .. } => "AttachInternetGateway",
            Edit::DetachInternetGateway { .. } => "DetachInternetGateway",
            Edit::CreateVpc { .. } => "CreateVpc",
            Edit::AssociateVpcCidrBlock { .. } | Edit::AssociateVpcIpv6CidrBlock { .. } => {
                "AssociateVpcCidrBlock"
            }
            Edit::DisassociateVpcCidrBlock { .. } => "DisassociateVpcCidrBlock",
            Edit::CreateSecurityGroup { .. } => "CreateSecurityGroup",
            Edit::CreateNetworkAcl { .. } => "CreateNetworkAcl",
            Edit::CreateRouteTable { .. } => "CreateRouteTable",
            Edit::AssociateRouteTable { .. } => "AssociateRouteTable",
            Edit::CreateInternetGateway { .. } => "CreateInternetGateway",
            Edit::CreateNatGateway { .. } => "CreateNatGateway",
            Edit::CreateVpcPeeringConnection { .. } => "CreateVpcPeeringConnection",
            Edit::AcceptVpcPeeringConnection { .. } => "AcceptVpcPeeringConnection",
            Edit::MarkPeeringPending { .. } => "Model.MarkPeeringPending",
            Edit::CreateVpcEndpoint { .. } => "CreateVpcEndpoint",
            Edit::CreateTags { .. } => "CreateTags",
            // An instance's subnet is fixed: this stands for launching a replacement.
            Edit::MoveInstance { .. } => "RunInstances",
            Edit::AssociateSubnetCidrBlock { .. } => "AssociateSubnetCidrBlock",
            Edit::DisassociateSubnetCidrBlock { .. } => "DisassociateSubnetCidrBlock",
            Edit::AssignIpv6Addresses { .. } => "AssignIpv6Addresses",
            Edit::UnassignIpv6Addresses { .. } => "UnassignIpv6Addresses",
            Edit::CreateEgressOnlyInternetGateway { .. } => "CreateEgressOnlyInternetGateway",
            Edit::CreateNetworkInterface { .. } => "CreateNetworkInterface",
            Edit::AttachNetworkInterface { .. } => "AttachNetworkInterface",
            Edit::DetachNetworkInterface { .. } => "DetachNetworkInterface",
            Edit::ModifyNetworkInterfaceAttribute { .. } => "ModifyNetworkInterfaceAttribute",
            Edit::AllocateAddress { .. } => "AllocateAddress",
            Edit::AssociateAddress { .. } => "AssociateAddress",
            Edit::DisassociateAddress { .. } => "DisassociateAddress",
            Edit::DeleteVpc { .. } => "DeleteVpc",
            Edit::DeleteSubnet { .. } => "DeleteSubnet",
            Edit::DeleteRouteTable { .. } => "DeleteRouteTable",
            Edit::DeleteInternetGateway { .. } => "DeleteInternetGateway",
            Edit::DeleteEgressOnlyInternetGateway { .. } => "DeleteEgressOnlyInternetGateway",
            Edit::DeleteVpnGateway { .. } => "DeleteVpnGateway",
            Edit::DeleteNatGateway { .. } => "DeleteNatGateway",
            Edit::DeleteVpcPeeringConnection { .. } => "DeleteVpcPeeringConnection",
            Edit::DeleteVpcEndpoints { .. } => "DeleteVpcEndpoints",
            Edit::DeleteNetworkAcl { .. } => "DeleteNetworkAcl",
            Edit::DeleteSecurityGroup { .. } => "DeleteSecurityGroup",
            Edit::DeleteNetworkInterface { .. } => "DeleteNetworkInterface",
            Edit::ReleaseAddress { .. } => "ReleaseAddress",
        }
    }
}

impl Edit {
    /// The resource the call acts on, for IAM's resource-level permissions: the resource
    /// itself for modify and delete calls, its container for create calls (the VPC for
    /// CreateSubnet, the group for AuthorizeSecurityGroupIngress, the subnet for
    /// RunInstances); `None` for calls authorized on `*` (CreateVpc,
    /// CreateInternetGateway, AllocateAddress).
    pub fn resource_id(&self) -> Option<&str> {
        if let Some(id) = self.deleted() {
            return Some(id);
        }
        Some(match self {
            Edit::RunInstances { subnet, .. }
            | Edit::SetSubnetCidr { subnet, .. }
            | Edit::AssociateSubnetCidrBlock { subnet, .. }
            | Edit::DisassociateSubnetCidrBlock { subnet }
            | Edit::CreateNatGateway { subnet, .. }
            | Edit::CreateNetworkInterface { subnet, .. } => subnet,
            Edit::SetPublicIp { instance, .. }
            | Edit::ModifyInstanceAttribute { instance, .. }
            | Edit::MoveInstance { instance, .. } => instance,
            Edit::CreateSubnet { vpc, .. }
            | Edit::AssociateVpcCidrBlock { vpc, .. }
            | Edit::AssociateVpcIpv6CidrBlock { vpc, .. }
            | Edit::DisassociateVpcCidrBlock { vpc }
            | Edit::CreateSecurityGroup { vpc, .. }
            | Edit::CreateNetworkAcl { vpc, .. }
            | Edit::CreateRouteTable { vpc, .. }
            | Edit::CreateVpcEndpoint { vpc, .. }
            | Edit::CreateEgressOnlyInternetGateway { vpc } => vpc,
            Edit::AuthorizeSecurityGroupIngress { group, .. }
            | Edit::AuthorizeSecurityGroupEgress { group, .. }
            | Edit::RevokeSecurityGroupIngress { group, .. }
            | Edit::RevokeSecurityGroupEgress { group, .. } => group,
            Edit::CreateNetworkAclEntry { nacl, .. } | Edit::DeleteNetworkAclEntry { nacl, .. } => {
                nacl
            }
            Edit::CreateRoute { table, .. }
            | Edit::DeleteRoute { table, .. }
            | Edit::AssociateRouteTable { table, .. } => table,
            Edit::AttachInternetGateway { igw, .. } | Edit::DetachInternetGateway { igw } => igw,
            Edit::CreateVpcPeeringConnection { requester, .. } => requester,
            Edit::CreateTags { id, .. }
            | Edit::AssignIpv6Addresses { id, .. }
            | Edit::UnassignIpv6Addresses { id } => id,
            Edit::AttachNetworkInterface { eni, .. }
            | Edit::DetachNetworkInterface { eni }
            | Edit::ModifyNetworkInterfaceAttribute { eni, .. } => eni,
            Edit::AssociateAddress { eip, .. } | Edit::DisassociateAddress { eip } => eip,
            Edit::AcceptVpcPeeringConnection { peering } | Edit::MarkPeeringPending { peering } => {
                peering
            }
            _ => return None,
        })
    }
}

/// A refused edit: the EC2 API error code AWS answers with (Amazon EC2 API Reference,
/// "Error codes for the Amazon EC2 API") and every problem, in words. The network is
/// unchanged. Derefs to the messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub messages: Vec<String>,
}

impl Refusal {
    fn one(code: &'static str, message: String) -> Refusal {
        Refusal {
            code,
            messages: vec![message],
        }
    }

    /// The refusal as an AWS error (`cli(operation)` prints it as the AWS CLI does).
    pub fn error(&self) -> AwsError {
        AwsError::client(self.code, self.messages.join(" "))
    }
}

impl std::ops::Deref for Refusal {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        &self.messages
    }
}

impl PartialEq<Vec<String>> for Refusal {
    fn eq(&self, other: &Vec<String>) -> bool {
        &self.messages == other
    }
}

type Done = Result<(), Refusal>;

/// The `….NotFound` error for an id, by its kind.
fn not_found_code(id: &str) -> &'static str {
    id_kind(id).map_or("InvalidParameterValue", |k| k.not_found)
}

/// The `….NotFound` error for a kind of resource (EC2 API error codes).
fn missing(what: &str, id: &str) -> Refusal {
    let code = match what {
        "instance" => "InvalidInstanceID.NotFound",
        "subnet" => "InvalidSubnetID.NotFound",
        "security group" => "InvalidGroup.NotFound",
        "network ACL" => "InvalidNetworkAclID.NotFound",
        "route table" => "InvalidRouteTableID.NotFound",
        "internet gateway" => "InvalidInternetGatewayID.NotFound",
        "VPC" => "InvalidVpcID.NotFound",
        "network interface" => "InvalidNetworkInterfaceID.NotFound",
        "Elastic IP" => "InvalidAllocationID.NotFound",
        "peering connection" => "InvalidVpcPeeringConnectionID.NotFound",
        _ => not_found_code(id),
    };
    Refusal::one(code, format!("There is no {what} {id}."))
}

fn invalid(message: impl Into<String>) -> Refusal {
    Refusal::one("InvalidParameterValue", message.into())
}

/// The EC2 API error for a validation problem an edit would introduce. A problem AWS itself
/// would not refuse (a rule this model adds for teaching) gets a `Model.` code, so the page
/// never passes it off as AWS's answer.
fn aws_code(problem: &str, edit: &Edit) -> &'static str {
    // A delete that leaves something referring to what it removed: AWS's answer.
    if edit.deleted().is_some() {
        return "DependencyViolation";
    }
    match problem {
        "SUBNET_OVERLAP" | "SUBNET_IPV6_OVERLAP" => "InvalidSubnet.Conflict",
        "SUBNET_OUTSIDE_VPC"
        | "SUBNET_CIDR_SIZE"
        | "SUBNET_CIDR_FAMILY"
        | "SUBNET_IPV6_OUTSIDE_VPC"
        | "SUBNET_IPV6_SIZE" => "InvalidSubnet.Range",
        "VPC_CIDR_SIZE" | "VPC_CIDR_FAMILY" | "VPC_CIDR_OVERLAP" | "VPC_IPV6_SIZE" => {
            "InvalidVpc.Range"
        }
        "NACL_DUPLICATE_NUMBER" => "NetworkAclEntryAlreadyExists",
        "DUPLICATE_ROUTE" => "RouteAlreadyExists",
        "IP_IN_USE" | "PUBLIC_IP_IN_USE" => "InvalidIPAddress.InUse",
        "SECOND_IGW" => "Resource.AlreadyAssociated",
        "MISSING_SUBNET" => "InvalidSubnetID.NotFound",
        "MISSING_VPC" | "PEERING_MISSING_VPC" => "InvalidVpcID.NotFound",
        "SG_MISSING_GROUP" => "InvalidGroup.NotFound",
        "NO_GROUP" => "MissingParameter",
        // CreateRoute names the missing target by its kind.
        "ROUTE_TARGET_MISSING" => match edit {
            Edit::CreateRoute { route, .. } => match route.target {
                Target::Nat(_) => "InvalidNatGatewayID.NotFound",
                Target::Peering(_) => "InvalidVpcPeeringConnectionID.NotFound",
                Target::Endpoint(_) => "InvalidVpcEndpointId.NotFound",
                _ => "InvalidGatewayID.NotFound",
            },
            // Detaching a gateway routes still use: AWS would leave blackhole routes; this
            // model refuses, to show the broken path first.
            _ => "Model.RouteTargetInUse",
        },
        // AWS creates a NAT gateway wherever asked; one in a private subnet just cannot
        // reach the internet. This model refuses it to make the point.
        "NAT_IN_PRIVATE_SUBNET" => "Model.NatInPrivateSubnet",
        _ => "InvalidParameterValue",
    }
}

/// The problems in `after` that `before` does not have: per (code, resource), the ones
/// beyond how many there were (a second overlap on the same subnet is new even though the
/// subnet already had one), preferring those whose wording is new.
fn new_problems(before: Vec<Problem>, after: Vec<Problem>) -> Vec<Problem> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut had: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for p in &before {
        *had.entry((p.code, p.resource.as_str())).or_default() += 1;
    }
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, p) in after.iter().enumerate() {
        groups
            .entry((p.code, p.resource.as_str()))
            .or_default()
            .push(i);
    }
    let mut chosen = BTreeSet::new();
    for (key, mut idx) in groups {
        let extra = idx
            .len()
            .saturating_sub(had.get(&key).copied().unwrap_or(0));
        // Problems worded as before come last: the new ones are the extra.
        idx.sort_by_key(|&i| (before.iter().any(|b| b.message == after[i].message), i));
        chosen.extend(idx.into_iter().take(extra));
    }
    // In validation's order.
    after
        .into_iter()
        .enumerate()
        .filter(|(i, _)| chosen.contains(i))
        .map(|(_, p)| p)
        .collect()
}

/// Applies an edit, or returns why it is refused (the network is unchanged): the
/// operation's own preconditions first, then every rule of `validate` the result would
/// newly break (counted by code and resource, not compared by wording).
pub fn apply(net: &Network, edit: &Edit) -> Result<Network, Refusal> {
    apply_named(net, edit, &[])
}

/// [`apply`], giving what the call creates the ids `named`, in the order it creates them
/// (CreateVpc: the VPC, its default network ACL, default security group and main route
/// table) instead of allocated ones. AWS lets no caller choose ids; templates do, so their
/// resources read well (`i-web`, `sg-web`) and the links that name them keep working. A
/// named id must have the kind's prefix and be free; naming more ids than the call creates
/// is refused too.
pub fn apply_named(net: &Network, edit: &Edit, named: &[&str]) -> Result<Network, Refusal> {
    let mut n = net.clone();
    let mut ids = Ids(named.iter().map(|s| s.to_string()).collect());
    run(&mut n, edit, &mut ids)?;
    if let Some(extra) = ids.0.front() {
        return Err(invalid(format!(
            "{} creates fewer resources than the ids named: {extra} is left over.",
            edit.operation()
        )));
    }
    let new = new_problems(validate(net), validate(&n));
    match new.first() {
        None => Ok(n),
        Some(first) => Err(Refusal {
            code: aws_code(first.code, edit),
            messages: new.into_iter().map(|p| p.message).collect(),
        }),
    }
}

/// Where a create call's ids come from: the ones the caller named ([`apply_named`]), then
/// the network's allocator.
struct Ids(std::collections::VecDeque<String>);

impl Ids {
    /// The next id for a resource of `prefix` (`subnet` → `subnet-4`, or a named id).
    fn next(&mut self, n: &mut Network, prefix: &str) -> Result<String, Refusal> {
        let Some(id) = self.0.pop_front() else {
            return Ok(n.allocate(prefix));
        };
        let fits = id
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|rest| !rest.is_empty());
        if !fits {
            return Err(invalid(format!(
                "{id} cannot name a new resource of kind {prefix}- (ids start with their kind)."
            )));
        }
        if n.ids().any(|x| x == id) {
            return Err(invalid(format!("{id} is already in use.")));
        }
        Ok(id)
    }
}

/// One operation on the copy.
fn run(n: &mut Network, edit: &Edit, ids: &mut Ids) -> Done {
    if let Some(id) = edit.deleted() {
        return delete(n, edit.operation(), id);
    }
    match edit {
        Edit::RunInstances {
            name,
            subnet,
            ip,
            public_ip,
            groups,
        } => run_instances(n, ids, name, subnet, *ip, *public_ip, groups),
        Edit::SetPublicIp { instance, ip } => instance_mut(n, instance).map(|x| x.public_ip = *ip),
        Edit::ModifyInstanceAttribute { instance, groups } => {
            instance_mut(n, instance).map(|x| x.groups = groups.clone())
        }
        Edit::CreateSubnet {
            name,
            vpc,
            az,
            cidr,
        } => create_subnet(n, ids, name, vpc, az, *cidr),
        Edit::SetSubnetCidr { subnet, cidr } => subnet_mut(n, subnet).map(|x| x.cidr = *cidr),
        Edit::AuthorizeSecurityGroupIngress { group, rule } => authorize(n, group, true, rule),
        Edit::AuthorizeSecurityGroupEgress { group, rule } => authorize(n, group, false, rule),
        Edit::RevokeSecurityGroupIngress { group, index } => revoke(n, group, true, *index),
        Edit::RevokeSecurityGroupEgress { group, index } => revoke(n, group, false, *index),
        Edit::CreateNetworkAclEntry {
            nacl,
            inbound,
            rule,
        } => create_nacl_entry(n, nacl, *inbound, rule),
        Edit::DeleteNetworkAclEntry {
            nacl,
            inbound,
            number,
        } => delete_nacl_entry(n, nacl, *inbound, *number),
        Edit::CreateRoute { table, route } => {
            table_mut(n, table).map(|x| x.routes.push(route.clone()))
        }
        Edit::DeleteRoute { table, index } => delete_route(n, table, *index),
        Edit::AssociateRouteTable { table, subnet } => associate_route_table(n, table, subnet),
        Edit::CreateInternetGateway { vpc } => create_internet_gateway(n, ids, vpc.as_deref()),
        Edit::AttachInternetGateway { igw, vpc } => attach_internet_gateway(n, igw, Some(vpc)),
        Edit::DetachInternetGateway { igw } => attach_internet_gateway(n, igw, None),
        Edit::CreateVpc { name, cidr } => create_vpc(n, ids, name, *cidr),
        Edit::AssociateVpcIpv6CidrBlock { vpc, cidr } => set_vpc_ipv6(n, vpc, Some(*cidr)),
        Edit::AssociateVpcCidrBlock { vpc, cidr } => associate_vpc_cidr(n, vpc, *cidr),
        Edit::DisassociateVpcCidrBlock { vpc } => set_vpc_ipv6(n, vpc, None),
        Edit::CreateSecurityGroup { vpc, name } => create_security_group(n, ids, vpc, name),
        Edit::CreateNetworkAcl { vpc, name, subnet } => {
            create_network_acl(n, ids, vpc, name, subnet.as_deref())
        }
        Edit::CreateRouteTable { vpc, name, subnet } => {
            create_route_table(n, ids, vpc, name, subnet.as_deref())
        }
        Edit::CreateNatGateway { subnet, eip } => create_nat_gateway(n, ids, subnet, *eip),
        Edit::CreateVpcPeeringConnection {
            requester,
            accepter,
        } => create_peering(n, ids, requester, accepter),
        Edit::AcceptVpcPeeringConnection { peering } => set_peering_active(n, peering, true),
        Edit::MarkPeeringPending { peering } => set_peering_active(n, peering, false),
        Edit::CreateVpcEndpoint {
            vpc,
            service,
            route_table,
            subnet,
        } => create_endpoint(
            n,
            ids,
            vpc,
            *service,
            route_table.as_deref(),
            subnet.as_deref(),
        ),
        Edit::CreateTags { id, name } => rename(n, id, name),
        Edit::MoveInstance {
            instance,
            subnet,
            ip,
        } => move_instance(n, instance, subnet, *ip),
        Edit::AssociateSubnetCidrBlock { subnet, cidr } => set_subnet_ipv6(n, subnet, Some(*cidr)),
        Edit::DisassociateSubnetCidrBlock { subnet } => set_subnet_ipv6(n, subnet, None),
        Edit::AssignIpv6Addresses { id, ip: Some(ip) } => assign_ipv6(n, id, Some(*ip)),
        Edit::AssignIpv6Addresses { .. } => Err(invalid("AssignIpv6Addresses needs an address.")),
        Edit::UnassignIpv6Addresses { id } => assign_ipv6(n, id, None),
        Edit::CreateEgressOnlyInternetGateway { vpc } => create_egress_only_gateway(n, ids, vpc),
        Edit::CreateNetworkInterface {
            name,
            subnet,
            ip,
            groups,
        } => create_network_interface(n, ids, name, subnet, *ip, groups),
        Edit::AttachNetworkInterface { eni, instance } => {
            attach_network_interface(n, eni, Some(instance))
        }
        Edit::DetachNetworkInterface { eni } => attach_network_interface(n, eni, None),
        Edit::ModifyNetworkInterfaceAttribute { eni, groups } => {
            eni_mut(n, eni).map(|x| x.groups = groups.clone())
        }
        Edit::AllocateAddress { address } => allocate_address(n, ids, *address),
        Edit::AssociateAddress { eip, target } => associate_address(n, eip, Some(target)),
        Edit::DisassociateAddress { eip } => associate_address(n, eip, None),
        // Delete calls are handled above.
        _ => Err(invalid(format!(
            "{} is not a call on the network.",
            edit.operation()
        ))),
    }
}

/// CreateNetworkAclEntry, kept in rule-number order.
fn create_nacl_entry(n: &mut Network, nacl: &str, inbound: bool, rule: &NaclRule) -> Done {
    let rules = nacl_rules(n, nacl, inbound)?;
    rules.push(rule.clone());
    rules.sort_by_key(|r| r.number);
    Ok(())
}

/// CreateInternetGateway, attached to a VPC when one is given.
fn create_internet_gateway(n: &mut Network, ids: &mut Ids, vpc: Option<&str>) -> Done {
    let id = ids.next(n, "igw")?;
    n.igws.push(Gateway {
        id,
        vpc: vpc.map(str::to_string),
    });
    Ok(())
}

/// AllocateAddress: an Elastic IP, not yet associated.
fn allocate_address(n: &mut Network, ids: &mut Ids, address: u32) -> Done {
    let id = ids.next(n, "eipalloc")?;
    n.eips.push(ElasticIp {
        id,
        address,
        target: None,
    });
    Ok(())
}

/// AcceptVpcPeeringConnection (only a pending connection: InvalidStateTransition), or
/// (model-only) back to pending.
fn set_peering_active(n: &mut Network, peering: &str, active: bool) -> Done {
    let p = n
        .peerings
        .iter_mut()
        .find(|p| p.id == peering)
        .ok_or_else(|| missing("peering connection", peering))?;
    if p.active == active {
        let (code, state) = match active {
            true => ("InvalidStateTransition", "active"),
            false => ("Model.PeeringAlreadyPending", "pending"),
        };
        return Err(Refusal::one(code, format!("{peering} is already {state}.")));
    }
    p.active = active;
    Ok(())
}

fn eni_mut<'a>(n: &'a mut Network, id: &str) -> Result<&'a mut Eni, Refusal> {
    n.enis
        .iter_mut()
        .find(|e| e.id == id)
        .ok_or_else(|| missing("network interface", id))
}

/// Attach/DetachInternetGateway: a gateway is attached to one VPC at a time
/// (Resource.AlreadyAssociated) and only an attached one can be detached
/// (Gateway.NotAttached).
fn attach_internet_gateway(n: &mut Network, igw: &str, vpc: Option<&str>) -> Done {
    let g = n
        .igws
        .iter_mut()
        .find(|g| g.id == igw)
        .ok_or_else(|| missing("internet gateway", igw))?;
    match (&g.vpc, vpc) {
        (Some(at), Some(_)) => Err(Refusal::one(
            "Resource.AlreadyAssociated",
            format!("{igw} is already attached to {at}: detach it first."),
        )),
        (None, None) => Err(Refusal::one(
            "Gateway.NotAttached",
            format!("{igw} is not attached to a VPC."),
        )),
        _ => {
            g.vpc = vpc.map(str::to_string);
            Ok(())
        }
    }
}

/// CreateVpcPeeringConnection (accepted at once in this model; MarkPeeringPending shows a
/// pending one).
fn create_peering(n: &mut Network, ids: &mut Ids, requester: &str, accepter: &str) -> Done {
    let id = ids.next(n, "pcx")?;
    n.peerings.push(Peering {
        id,
        requester: requester.into(),
        accepter: accepter.into(),
        active: true,
    });
    Ok(())
}

/// An instance relaunched in another subnet: a new private address and no IPv6 address.
fn move_instance(n: &mut Network, instance: &str, subnet: &str, ip: u32) -> Done {
    if n.subnet(subnet).is_none() {
        return Err(missing("subnet", subnet));
    }
    let i = instance_mut(n, instance)?;
    i.subnet = subnet.into();
    i.private_ip = ip;
    i.ipv6 = None;
    Ok(())
}

/// Assign/UnassignIpv6Addresses on an instance or a network interface.
fn assign_ipv6(n: &mut Network, id: &str, ip: Option<Ip>) -> Done {
    if let Some(i) = n.instances.iter_mut().find(|i| i.id == id) {
        i.ipv6 = ip;
    } else if let Some(e) = n.enis.iter_mut().find(|e| e.id == id) {
        e.ipv6 = ip;
    } else {
        return Err(missing("instance or network interface", id));
    }
    Ok(())
}

/// CreateEgressOnlyInternetGateway, attached to its VPC.
fn create_egress_only_gateway(n: &mut Network, ids: &mut Ids, vpc: &str) -> Done {
    if n.vpc(vpc).is_none() {
        return Err(missing("VPC", vpc));
    }
    let id = ids.next(n, "eigw")?;
    n.eigws.push(Gateway {
        id,
        vpc: Some(vpc.into()),
    });
    Ok(())
}

fn instance_mut<'a>(n: &'a mut Network, id: &str) -> Result<&'a mut Instance, Refusal> {
    n.instances
        .iter_mut()
        .find(|i| i.id == id)
        .ok_or_else(|| missing("instance", id))
}

fn subnet_mut<'a>(n: &'a mut Network, id: &str) -> Result<&'a mut Subnet, Refusal> {
    n.subnets
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or_else(|| missing("subnet", id))
}

fn table_mut<'a>(n: &'a mut Network, id: &str) -> Result<&'a mut RouteTable, Refusal> {
    n.route_tables
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or_else(|| missing("route table", id))
}

/// RunInstances: a named instance in a subnet with its addresses and groups.
fn run_instances(
    n: &mut Network,
    ids: &mut Ids,
    name: &str,
    subnet: &str,
    ip: u32,
    public_ip: Option<u32>,
    groups: &[String],
) -> Done {
    if name.trim().is_empty() {
        return Err(invalid("An instance needs a name."));
    }
    let id = ids.next(n, "i")?;
    n.instances.push(Instance {
        id,
        name: name.trim().into(),
        subnet: subnet.into(),
        private_ip: ip,
        public_ip,
        groups: groups.to_vec(),
        ipv6: None,
        compute: Default::default(),
    });
    Ok(())
}

/// CreateSubnet (the CIDR's rules are checked by validation: InvalidSubnet.Range/Conflict).
fn create_subnet(
    n: &mut Network,
    ids: &mut Ids,
    name: &str,
    vpc: &str,
    az: &str,
    cidr: Net,
) -> Done {
    let id = ids.next(n, "subnet")?;
    n.subnets.push(Subnet {
        id,
        name: name.trim().into(),
        vpc: vpc.into(),
        az: az.into(),
        cidr,
        ipv6: None,
    });
    Ok(())
}

fn group_rules<'a>(
    n: &'a mut Network,
    group: &str,
    inbound: bool,
) -> Result<&'a mut Vec<SgRule>, Refusal> {
    let g = n
        .groups
        .iter_mut()
        .find(|g| g.id == group)
        .ok_or_else(|| missing("security group", group))?;
    Ok(if inbound {
        &mut g.inbound
    } else {
        &mut g.outbound
    })
}

/// AuthorizeSecurityGroupIngress/Egress: a rule the group already has is refused with
/// InvalidPermission.Duplicate, as AWS does.
fn authorize(n: &mut Network, group: &str, inbound: bool, rule: &SgRule) -> Done {
    let rules = group_rules(n, group, inbound)?;
    if rules.contains(rule) {
        return Err(Refusal::one(
            "InvalidPermission.Duplicate",
            format!("{group} already has the rule {rule}."),
        ));
    }
    rules.push(rule.clone());
    Ok(())
}

/// RevokeSecurityGroupIngress/Egress by the rule's position.
fn revoke(n: &mut Network, group: &str, inbound: bool, index: usize) -> Done {
    let rules = group_rules(n, group, inbound)?;
    if index >= rules.len() {
        return Err(Refusal::one(
            "InvalidPermission.NotFound",
            format!("{group} has no rule {}.", index as u128 + 1),
        ));
    }
    rules.remove(index);
    Ok(())
}

fn nacl_rules<'a>(
    n: &'a mut Network,
    nacl: &str,
    inbound: bool,
) -> Result<&'a mut Vec<NaclRule>, Refusal> {
    let a = n
        .nacls
        .iter_mut()
        .find(|a| a.id == nacl)
        .ok_or_else(|| missing("network ACL", nacl))?;
    Ok(if inbound {
        &mut a.inbound
    } else {
        &mut a.outbound
    })
}

/// DeleteNetworkAclEntry by rule number.
fn delete_nacl_entry(n: &mut Network, nacl: &str, inbound: bool, number: u16) -> Done {
    let rules = nacl_rules(n, nacl, inbound)?;
    let before = rules.len();
    rules.retain(|r| r.number != number);
    if rules.len() == before {
        return Err(Refusal::one(
            "InvalidNetworkAclEntry.NotFound",
            format!("{nacl} has no rule {number}."),
        ));
    }
    Ok(())
}

/// DeleteRoute by the route's position.
fn delete_route(n: &mut Network, table: &str, index: usize) -> Done {
    let t = table_mut(n, table)?;
    if index >= t.routes.len() {
        return Err(Refusal::one(
            "InvalidRoute.NotFound",
            format!("{table} has no route {}.", index as u128 + 1),
        ));
    }
    t.routes.remove(index);
    Ok(())
}

/// CreateVpc: the VPC with its default network ACL, default security group and main route
/// table, as AWS creates them.
fn create_vpc(n: &mut Network, ids: &mut Ids, name: &str, cidr: Net) -> Done {
    if name.trim().is_empty() {
        return Err(invalid("A VPC needs a name."));
    }
    let id = ids.next(n, "vpc")?;
    let acl = ids.next(n, "acl")?;
    let group = ids.next(n, "sg")?;
    let table = ids.next(n, "rtb")?;
    n.vpcs.push(Vpc {
        id: id.clone(),
        name: name.trim().into(),
        cidrs: vec![cidr],
        ipv6: None,
    });
    n.nacls.push(default_nacl(&acl, &id));
    n.groups.push(default_group(&group, &id));
    n.route_tables.push(RouteTable {
        id: table,
        name: "main".into(),
        vpc: id,
        main: true,
        subnets: vec![],
        routes: vec![],
    });
    Ok(())
}

/// AssociateVpcCidrBlock (IPv4): at most 5 blocks, the default quota (CidrLimitExceeded).
fn associate_vpc_cidr(n: &mut Network, vpc: &str, cidr: Net) -> Done {
    let v = n
        .vpcs
        .iter_mut()
        .find(|v| v.id == vpc)
        .ok_or_else(|| missing("VPC", vpc))?;
    if v.cidrs.len() >= 5 {
        return Err(Refusal::one(
            "CidrLimitExceeded",
            format!("{vpc} already has 5 CIDR blocks (the default quota)."),
        ));
    }
    v.cidrs.push(cidr);
    Ok(())
}

/// CreateSecurityGroup: nothing in, everything out (IPv6 too when the VPC has a block).
fn create_security_group(n: &mut Network, ids: &mut Ids, vpc: &str, name: &str) -> Done {
    let Some(v) = n.vpc(vpc) else {
        return Err(missing("VPC", vpc));
    };
    let has_v6 = v.ipv6.is_some();
    let id = ids.next(n, "sg")?;
    let all_out = |to| SgRule {
        proto: Proto::All,
        ports: Ports::ALL,
        peer: Peer::Cidr(to),
    };
    n.groups.push(SecurityGroup {
        id,
        name: name.trim().into(),
        vpc: vpc.into(),
        default: false,
        inbound: vec![],
        outbound: std::iter::once(all_out(Net::ANY))
            .chain(has_v6.then(|| all_out(Net::ANY6)))
            .collect(),
    });
    Ok(())
}

/// CreateNetworkAcl (+ ReplaceNetworkAclAssociation when a subnet is given: a subnet has
/// one NACL). A custom NACL denies everything until rules are added.
fn create_network_acl(
    n: &mut Network,
    ids: &mut Ids,
    vpc: &str,
    name: &str,
    subnet: Option<&str>,
) -> Done {
    if n.vpc(vpc).is_none() {
        return Err(missing("VPC", vpc));
    }
    let id = ids.next(n, "acl")?;
    if let Some(s) = subnet {
        n.nacls
            .iter_mut()
            .for_each(|a| a.subnets.retain(|x| x != s));
    }
    n.nacls.push(Nacl {
        id,
        name: name.trim().into(),
        vpc: vpc.into(),
        default: false,
        subnets: subnet.iter().map(|s| s.to_string()).collect(),
        inbound: vec![],
        outbound: vec![],
    });
    Ok(())
}

/// CreateRouteTable (+ ReplaceRouteTableAssociation when a subnet is given: a subnet has
/// one route table).
fn create_route_table(
    n: &mut Network,
    ids: &mut Ids,
    vpc: &str,
    name: &str,
    subnet: Option<&str>,
) -> Done {
    if n.vpc(vpc).is_none() {
        return Err(missing("VPC", vpc));
    }
    let id = ids.next(n, "rtb")?;
    if let Some(s) = subnet {
        n.route_tables
            .iter_mut()
            .for_each(|t| t.subnets.retain(|x| x != s));
    }
    n.route_tables.push(RouteTable {
        id,
        name: name.trim().into(),
        vpc: vpc.into(),
        main: false,
        subnets: subnet.iter().map(|s| s.to_string()).collect(),
        routes: vec![],
    });
    Ok(())
}

/// AssociateRouteTable: a subnet already associated explicitly is refused with
/// Resource.AlreadyAssociated (AWS's answer; ReplaceRouteTableAssociation moves it), and
/// the table must be in the subnet's VPC.
fn associate_route_table(n: &mut Network, table: &str, subnet: &str) -> Done {
    let Some(s) = n.subnet(subnet) else {
        return Err(missing("subnet", subnet));
    };
    let vpc = s.vpc.clone();
    table_mut(n, table)?;
    if let Some(t) = n
        .route_tables
        .iter()
        .find(|t| t.subnets.iter().any(|x| x == subnet))
    {
        return Err(Refusal::one(
            "Resource.AlreadyAssociated",
            format!("{subnet} is already associated with {}.", t.id),
        ));
    }
    let t = table_mut(n, table)?;
    if t.vpc != vpc {
        return Err(invalid(format!(
            "{table} is in {}, {subnet} in {vpc}: a subnet uses a route table of its own VPC.",
            t.vpc
        )));
    }
    t.subnets.push(subnet.into());
    Ok(())
}

/// CreateNatGateway in a subnet with an Elastic IP.
fn create_nat_gateway(n: &mut Network, ids: &mut Ids, subnet: &str, eip: u32) -> Done {
    let Some(s) = n.subnet(subnet) else {
        return Err(missing("subnet", subnet));
    };
    let private_ip = s.cidr.first4().wrapping_add(5);
    let id = ids.next(n, "nat")?;
    n.nats.push(NatGateway {
        id,
        subnet: subnet.into(),
        eip: Some(eip),
        private_ip,
    });
    Ok(())
}

/// CreateVpcEndpoint: a gateway endpoint (S3, DynamoDB) adds its route to a route table;
/// an interface endpoint puts a network interface in a subnet.
fn create_endpoint(
    n: &mut Network,
    ids: &mut Ids,
    vpc: &str,
    service: Service,
    route_table: Option<&str>,
    subnet: Option<&str>,
) -> Done {
    let id = ids.next(n, "vpce")?;
    let kind = if service.has_gateway_endpoint() {
        let Some(rt) = route_table else {
            return Err(Refusal::one(
                "MissingParameter",
                format!(
                    "A gateway endpoint for {} needs a route table to add its route to.",
                    service.name()
                ),
            ));
        };
        table_mut(n, rt)?.routes.push(Route {
            dest: Dest::PrefixList(service),
            target: Target::Endpoint(id.clone()),
        });
        EndpointKind::Gateway {
            route_tables: vec![rt.to_string()],
        }
    } else {
        let Some(sub) = subnet else {
            return Err(Refusal::one(
                "MissingParameter",
                format!(
                    "An interface endpoint for {} needs a subnet for its network interface.",
                    service.name()
                ),
            ));
        };
        let Some(s) = n.subnet(sub) else {
            return Err(missing("subnet", sub));
        };
        let private_ip = s.cidr.first4().wrapping_add(6);
        let groups = n
            .groups
            .iter()
            .find(|g| g.default && g.vpc == vpc)
            .map(|g| g.id.clone())
            .into_iter()
            .collect();
        EndpointKind::Interface {
            subnets: vec![sub.to_string()],
            groups,
            private_ip,
        }
    };
    n.endpoints.push(Endpoint {
        id,
        vpc: vpc.into(),
        service,
        kind,
    });
    Ok(())
}

/// CreateTags (Name): VPCs, subnets, route tables, NACLs, instances and interfaces. A
/// security group's name is fixed at creation.
fn rename(n: &mut Network, id: &str, name: &str) -> Done {
    let name = name.trim().to_string();
    if name.is_empty() {
        return Err(invalid("A name cannot be empty."));
    }
    if name.chars().count() > 64 {
        return Err(invalid("Names are at most 64 characters here."));
    }
    if n.group(id).is_some() {
        // AWS accepts a Name tag on a group; this model shows the group name, which is fixed.
        return Err(Refusal::one("Model.GroupNameFixed", "A security group's name is fixed once it is created (its Name tag can change, but this model shows the group name); create a new group instead.".into()));
    }
    fn named<'a, T>(
        list: &'a mut [T],
        id: &str,
        parts: fn(&mut T) -> (&str, &mut String),
    ) -> Option<&'a mut String> {
        list.iter_mut()
            .map(parts)
            .find(|(x, _)| *x == id)
            .map(|(_, name)| name)
    }
    let slot = named(&mut n.vpcs, id, |x| (&x.id, &mut x.name))
        .or_else(|| named(&mut n.subnets, id, |x| (&x.id, &mut x.name)))
        .or_else(|| named(&mut n.route_tables, id, |x| (&x.id, &mut x.name)))
        .or_else(|| named(&mut n.nacls, id, |x| (&x.id, &mut x.name)))
        .or_else(|| named(&mut n.instances, id, |x| (&x.id, &mut x.name)))
        .or_else(|| named(&mut n.enis, id, |x| (&x.id, &mut x.name)));
    match slot {
        Some(x) => {
            *x = name;
            Ok(())
        }
        None => Err(Refusal::one(
            "InvalidID",
            format!("{id} has no name to change, or does not exist."),
        )),
    }
}

/// Associate/DisassociateVpcCidrBlock (IPv6). AWS adds rule 101 for ::/0 both ways to a
/// default NACL whose rules were not changed from the defaults.
fn set_vpc_ipv6(n: &mut Network, vpc: &str, cidr: Option<Net>) -> Done {
    if let Some(c) = cidr {
        if !c.is_v6() {
            return Err(invalid(format!(
                "{c} is IPv4: a VPC's IPv6 block is an IPv6 prefix such as 2600:1f18:6b4:a00::/56."
            )));
        }
    }
    let v = n
        .vpcs
        .iter_mut()
        .find(|v| v.id == vpc)
        .ok_or_else(|| missing("VPC", vpc))?;
    let had = v.ipv6.is_some();
    v.ipv6 = cidr;
    if cidr.is_some() && !had {
        if let Some(a) = n.nacls.iter_mut().find(|a| a.default && a.vpc == vpc) {
            let untouched = |r: &Vec<NaclRule>| {
                r.len() == 1
                    && r[0].number == 100
                    && r[0].allow
                    && r[0].cidr == Net::ANY
                    && r[0].proto == Proto::All
            };
            if untouched(&a.inbound) && untouched(&a.outbound) {
                allow_all_ipv6(a);
            }
        }
    }
    Ok(())
}

/// Associate/DisassociateSubnetCidrBlock (IPv6); addresses from a removed block go with it.
fn set_subnet_ipv6(n: &mut Network, subnet: &str, cidr: Option<Net>) -> Done {
    subnet_mut(n, subnet)?.ipv6 = cidr;
    if cidr.is_none() {
        n.instances
            .iter_mut()
            .filter(|i| i.subnet == subnet)
            .for_each(|i| i.ipv6 = None);
        n.enis
            .iter_mut()
            .filter(|e| e.subnet == subnet)
            .for_each(|e| e.ipv6 = None);
    }
    Ok(())
}

/// CreateNetworkInterface in a subnet.
fn create_network_interface(
    n: &mut Network,
    ids: &mut Ids,
    name: &str,
    subnet: &str,
    ip: u32,
    groups: &[String],
) -> Done {
    if n.subnet(subnet).is_none() {
        return Err(missing("subnet", subnet));
    }
    let id = ids.next(n, "eni")?;
    n.enis.push(Eni {
        id,
        name: name.trim().into(),
        subnet: subnet.into(),
        private_ip: ip,
        ipv6: None,
        groups: groups.to_vec(),
        instance: None,
    });
    Ok(())
}

/// Attach/DetachNetworkInterface: an attached interface must be detached first.
fn attach_network_interface(n: &mut Network, eni: &str, instance: Option<&str>) -> Done {
    if let Some(i) = instance {
        if n.instance(i).is_none() {
            return Err(missing("instance", i));
        }
    }
    let e = n
        .enis
        .iter_mut()
        .find(|e| e.id == eni)
        .ok_or_else(|| missing("network interface", eni))?;
    match (&e.instance, instance) {
        (Some(at), Some(_)) => {
            return Err(Refusal::one(
                "InvalidNetworkInterface.InUse",
                format!("{eni} is already attached to {at}: detach it first."),
            ))
        }
        // DetachNetworkInterface names the attachment, which an unattached one has not.
        (None, None) => {
            return Err(Refusal::one(
                "InvalidAttachmentID.NotFound",
                format!("{eni} is not attached to an instance."),
            ))
        }
        _ => {}
    }
    e.instance = instance.map(str::to_string);
    Ok(())
}

/// Associate/DisassociateAddress: an Elastic IP replaces the instance's auto-assigned
/// public IP.
fn associate_address(n: &mut Network, eip: &str, target: Option<&str>) -> Done {
    if let Some(t) = target {
        if n.instance(t).is_none() && n.eni(t).is_none() {
            return Err(missing("instance or network interface", t));
        }
    }
    let e = n
        .eips
        .iter_mut()
        .find(|e| e.id == eip)
        .ok_or_else(|| missing("Elastic IP", eip))?;
    match (&e.target, target) {
        (Some(at), Some(_)) => {
            return Err(Refusal::one(
                "Resource.AlreadyAssociated",
                format!("{eip} is already associated with {at}: disassociate it first."),
            ))
        }
        // DisassociateAddress names the association, which an idle address has not.
        (None, None) => {
            return Err(Refusal::one(
                "InvalidAssociationID.NotFound",
                format!("{eip} is not associated with anything."),
            ))
        }
        _ => {}
    }
    e.target = target.map(str::to_string);
    if let Some(t) = target {
        if let Some(i) = n.instances.iter_mut().find(|i| i.id == t) {
            i.public_ip = None;
        }
    }
    Ok(())
}

/// A Delete… call (or TerminateInstances, ReleaseAddress): refused for an id of another
/// kind (`….NotFound`, as AWS answers DeleteSubnet with a VPC's id), while attached or
/// associated, and (by validation) while anything still refers to it (DependencyViolation).
fn delete(n: &mut Network, operation: &str, id: &str) -> Done {
    if operation == "TerminateInstances" && n.instance(id).is_none() {
        return Err(missing("instance", id));
    }
    let kind = id_kind(id);
    if kind.map(|k| k.delete_operation) != Some(operation) {
        let code = ID_KINDS
            .iter()
            .find(|k| k.delete_operation == operation)
            .map_or("InvalidParameterValue", |k| k.malformed);
        return Err(Refusal::one(
            code,
            format!("{operation} cannot delete {id}: it is not the id of a resource of that kind."),
        ));
    }
    if let Some(at) = n.eni(id).and_then(|e| e.instance.clone()) {
        return Err(Refusal::one(
            "InvalidNetworkInterface.InUse",
            format!("{id} is attached to {at}: detach it before deleting it."),
        ));
    }
    if let Some(t) = n
        .eips
        .iter()
        .find(|e| e.id == id)
        .and_then(|e| e.target.clone())
    {
        return Err(Refusal::one(
            "InvalidIPAddress.InUse",
            format!("{id} is associated with {t}: disassociate it before releasing it."),
        ));
    }
    let before = n.resources();
    n.vpcs.retain(|x| x.id != id);
    n.subnets.retain(|x| x.id != id);
    n.route_tables.retain(|x| x.id != id);
    n.igws.retain(|x| x.id != id);
    n.eigws.retain(|x| x.id != id);
    n.vgws.retain(|x| x.id != id);
    n.nats.retain(|x| x.id != id);
    n.peerings.retain(|x| x.id != id);
    n.endpoints.retain(|x| x.id != id);
    n.nacls.retain(|x| x.id != id || x.default);
    n.groups.retain(|x| x.id != id || x.default);
    n.instances.retain(|x| x.id != id);
    n.enis.retain(|x| x.id != id);
    n.eips.retain(|x| x.id != id);
    if n.resources() == before {
        let is_default = n.nacls.iter().any(|a| a.id == id && a.default)
            || n.groups.iter().any(|g| g.id == id && g.default);
        return Err(if is_default {
            Refusal::one(
                "CannotDelete",
                format!("{id} is its VPC's default; it goes only with the VPC."),
            )
        } else {
            Refusal::one(not_found_code(id), format!("{id} does not exist."))
        });
    }
    // Associations that named it go too; what still depends on it is refused by validation.
    n.route_tables
        .iter_mut()
        .for_each(|t| t.subnets.retain(|s| s != id));
    n.nacls
        .iter_mut()
        .for_each(|a| a.subnets.retain(|s| s != id));
    // Terminating an instance detaches its other interfaces and disassociates its Elastic IP.
    n.enis
        .iter_mut()
        .filter(|e| e.instance.as_deref() == Some(id))
        .for_each(|e| e.instance = None);
    n.eips
        .iter_mut()
        .filter(|e| e.target.as_deref() == Some(id))
        .for_each(|e| e.target = None);
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn refusals_carry_the_ec2_error_codes() {
        use super::super::templates;
        let net = templates::single_web_server();
        let code = |e: Edit| apply(&net, &e).expect_err("refused").code;
        // CreateSubnet over an existing subnet.
        assert_eq!(
            code(Edit::CreateSubnet {
                name: "b".into(),
                vpc: "vpc-main".into(),
                az: "us-east-1b".into(),
                cidr: Net::parse("10.0.1.128/25").unwrap(),
            }),
            "InvalidSubnet.Conflict"
        );
        // Outside the VPC.
        assert_eq!(
            code(Edit::CreateSubnet {
                name: "c".into(),
                vpc: "vpc-main".into(),
                az: "us-east-1b".into(),
                cidr: Net::parse("192.168.0.0/24").unwrap(),
            }),
            "InvalidSubnet.Range"
        );
        // The same rule twice.
        let rule = net
            .groups
            .iter()
            .find(|g| g.id == "sg-web")
            .unwrap()
            .inbound[0]
            .clone();
        let dup = Edit::authorize("sg-web", true, rule);
        assert_eq!(dup.operation(), "AuthorizeSecurityGroupIngress");
        assert_eq!(code(dup), "InvalidPermission.Duplicate");
        // A group still in use.
        let del = Edit::delete("sg-web").unwrap();
        assert_eq!(del.operation(), "DeleteSecurityGroup");
        let e = apply(&net, &del).unwrap_err();
        assert_eq!(e.code, "DependencyViolation");
        assert!(e.error().cli(del.operation()).starts_with(
            "An error occurred (DependencyViolation) when calling the DeleteSecurityGroup operation: i-web uses sg-web"
        ), "{}", e.error().cli(del.operation()));
        // Missing resources, by kind.
        assert_eq!(
            code(Edit::subnet_ipv6("subnet-nope", None)),
            "InvalidSubnetID.NotFound"
        );
        assert_eq!(
            code(Edit::TerminateInstances {
                id: "i-nope".into()
            }),
            "InvalidInstanceID.NotFound"
        );
        assert_eq!(
            Edit::SetPublicIp {
                instance: "i-web".into(),
                ip: None
            }
            .operation(),
            "ModifyNetworkInterfaceAttribute"
        );
        // A NAT gateway in a private subnet: a rule of this model, not an AWS error.
        let nat_net = templates::public_private_nat();
        let subnet = nat_net
            .subnets
            .iter()
            .find(|s| !super::super::query::is_public(&nat_net, &s.id))
            .map(|s| s.id.clone())
            .expect("a private subnet");
        let e = apply(&nat_net, &Edit::CreateNatGateway { subnet, eip: 1 }).unwrap_err();
        assert_eq!(e.code, "Model.NatInPrivateSubnet", "{e:?}");
        assert_eq!(
            code(Edit::DeleteNetworkAclEntry {
                nacl: "acl-main".into(),
                inbound: true,
                number: 9
            }),
            "InvalidNetworkAclEntry.NotFound"
        );
    }

    #[test]
    fn an_existing_problem_reworded_is_not_new() {
        // Problems are compared by code and resource: an edit is refused only for what it
        // breaks, whatever the wording of problems already there.
        use super::super::templates;
        let mut net = templates::single_web_server();
        // A design that already has a problem (a NAT gateway without an Elastic IP) …
        net.nats.push(NatGateway {
            id: "nat-x".into(),
            subnet: "subnet-public-a".into(),
            eip: None,
            private_ip: net.subnets[0].cidr.first4() + 9,
        });
        assert!(validate(&net).iter().any(|p| p.code == "NAT_NO_EIP"));
        // … still takes an unrelated edit, but not a second problem of the same kind on
        // the same resource: a table that already routes to a missing NAT gateway cannot
        // gain another route to a missing one.
        let table = net.route_tables[0].id.clone();
        let mut broken = net.clone();
        broken.route_tables[0].routes.push(Route {
            dest: Dest::Cidr(Net::parse("10.8.0.0/16").unwrap()),
            target: Target::Nat("nat-gone".into()),
        });
        let e = apply(
            &broken,
            &Edit::CreateRoute {
                table,
                route: Route {
                    dest: Dest::Cidr(Net::parse("10.9.0.0/16").unwrap()),
                    target: Target::Nat("nat-gone-too".into()),
                },
            },
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidNatGatewayID.NotFound");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("nat-gone-too"), "{e:?}");
        assert!(apply(
            &net,
            &Edit::CreateTags {
                id: "vpc-main".into(),
                name: "main".into()
            }
        )
        .is_ok());
    }

    #[test]
    fn a_missing_rule_or_route_at_the_largest_index_is_named_without_overflow() {
        let net = super::super::templates::single_web_server();
        let e = apply(&net, &Edit::revoke("sg-web", true, usize::MAX)).unwrap_err();
        assert_eq!(
            e,
            vec![format!("sg-web has no rule {}.", usize::MAX as u128 + 1)]
        );
        let table = net.route_tables[0].id.clone();
        let e = apply(
            &net,
            &Edit::DeleteRoute {
                table: table.clone(),
                index: usize::MAX,
            },
        )
        .unwrap_err();
        assert_eq!(
            e,
            vec![format!("{table} has no route {}.", usize::MAX as u128 + 1)]
        );
    }

    use super::super::templates;
    use super::*;

    #[test]
    fn valid_edits_apply_and_bad_ones_are_refused_whole() {
        let net = templates::single_web_server();
        let n = apply(
            &net,
            &Edit::SetPublicIp {
                instance: "i-web".into(),
                ip: None,
            },
        )
        .unwrap();
        assert_eq!(n.instances[0].public_ip, None);
        // A CIDR outside the VPC.
        let e = apply(
            &net,
            &Edit::SetSubnetCidr {
                subnet: "subnet-public-a".into(),
                cidr: Net::parse("192.168.0.0/24").unwrap(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("outside vpc-main"), "{e:?}");
        // An overlapping subnet.
        let e = apply(
            &net,
            &Edit::CreateSubnet {
                name: "b".into(),
                vpc: "vpc-main".into(),
                az: "us-east-1b".into(),
                cidr: Net::parse("10.0.1.128/25").unwrap(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("overlaps"));
        // A route to a missing target.
        let e = apply(
            &net,
            &Edit::CreateRoute {
                table: "rtb-main".into(),
                route: Route {
                    dest: Dest::Cidr(Net::parse("10.9.0.0/16").unwrap()),
                    target: Target::Nat("nat-9".into()),
                },
            },
        )
        .unwrap_err();
        assert!(e[0].contains("does not exist"));
        // Duplicate NACL rule numbers.
        let rule = NaclRule {
            number: 100,
            proto: Proto::Tcp,
            ports: Ports::one(22),
            cidr: Net::ANY,
            allow: false,
        };
        let e = apply(
            &net,
            &Edit::CreateNetworkAclEntry {
                nacl: "acl-main".into(),
                inbound: true,
                rule,
            },
        )
        .unwrap_err();
        assert!(e[0].contains("two inbound rules numbered 100"));
        // A reserved address for a new instance.
        let e = apply(
            &net,
            &Edit::RunInstances {
                name: "x".into(),
                subnet: "subnet-public-a".into(),
                ip: parse_ip("10.0.1.255").unwrap(),
                public_ip: None,
                groups: vec!["sg-web".into()],
            },
        )
        .unwrap_err();
        assert!(e[0].contains("reserves"));
        let n = apply(
            &net,
            &Edit::RunInstances {
                name: "api".into(),
                subnet: "subnet-public-a".into(),
                ip: parse_ip("10.0.1.20").unwrap(),
                public_ip: None,
                groups: vec!["sg-web".into()],
            },
        )
        .unwrap();
        assert_eq!(n.instances[1].id, "i-1");
        assert!(apply(
            &net,
            &Edit::TerminateInstances {
                id: "i-nope".into()
            }
        )
        .is_err());
    }

    #[test]
    fn every_kind_has_its_delete_call() {
        for k in ID_KINDS {
            let id = format!("{}-x", k.prefix);
            let e = Edit::delete(&id).unwrap();
            assert_eq!(e.operation(), k.delete_operation, "{id}");
            assert_eq!(e.deleted(), Some(id.as_str()));
            assert_eq!(e.resource_id(), Some(id.as_str()));
        }
        assert_eq!(Edit::delete("nothing"), None);
        // A delete call given another kind's id answers as AWS does: not found.
        let net = templates::single_web_server();
        let e = apply(
            &net,
            &Edit::DeleteSubnet {
                subnet: "vpc-main".into(),
            },
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidSubnetID.Malformed");
        assert!(e.messages[0].contains("not the id of a resource of that kind"));
        let e = apply(&net, &Edit::delete("subnet-nope").unwrap()).unwrap_err();
        assert_eq!(e.code, "InvalidSubnetID.NotFound");
    }

    #[test]
    fn attachments_answer_for_their_state() {
        let net = templates::dual_stack();
        let code = |e: Edit| apply(&net, &e).unwrap_err().code;
        assert_eq!(
            code(Edit::igw_attachment("igw-main", Some("vpc-main".into()))),
            "Resource.AlreadyAssociated"
        );
        let detached = apply(&net, &Edit::igw_attachment("igw-main", None));
        // Routes still use the gateway: the model refuses to leave them blackholed.
        assert_eq!(detached.unwrap_err().code, "Model.RouteTargetInUse");
        assert_eq!(
            code(Edit::eni_attachment("eni-web-b", Some("i-app".into()))),
            "InvalidNetworkInterface.InUse"
        );
        let n = apply(&net, &Edit::eni_attachment("eni-web-b", None)).unwrap();
        let again = apply(&n, &Edit::eni_attachment("eni-web-b", None)).unwrap_err();
        assert_eq!(again.code, "InvalidAttachmentID.NotFound");
        assert_eq!(
            code(Edit::address_association(
                "eipalloc-web",
                Some("i-app".into())
            )),
            "Resource.AlreadyAssociated"
        );
        let n = apply(&net, &Edit::address_association("eipalloc-web", None)).unwrap();
        let again = apply(&n, &Edit::address_association("eipalloc-web", None)).unwrap_err();
        assert_eq!(again.code, "InvalidAssociationID.NotFound");
        let p = templates::peering_chain();
        let e = apply(&p, &Edit::peering_state("pcx-ab", true)).unwrap_err();
        assert_eq!(e.code, "InvalidStateTransition");
        let pending = apply(&p, &Edit::peering_state("pcx-ab", false)).unwrap();
        assert!(apply(&pending, &Edit::peering_state("pcx-ab", true)).is_ok());
        let e = apply(
            &net,
            &Edit::TerminateInstances {
                id: "i-nope".into(),
            },
        )
        .unwrap_err();
        assert_eq!(e.messages[0], "There is no instance i-nope.");
    }

    #[test]
    fn subnets_go_in_any_zone_of_the_region() {
        let net = templates::single_web_server();
        assert_eq!(net.zones().len(), 6, "us-east-1 has six Availability Zones");
        let subnet = |az: &str| Edit::CreateSubnet {
            name: "c".into(),
            vpc: "vpc-main".into(),
            az: az.into(),
            cidr: Net::parse("10.0.9.0/24").unwrap(),
        };
        assert!(apply(&net, &subnet("us-east-1c")).is_ok());
        assert!(apply(&net, &subnet("us-east-1f")).is_ok());
        let e = apply(&net, &subnet("us-east-1g")).unwrap_err();
        assert!(
            e.messages[0].contains("not an Availability Zone of us-east-1"),
            "{e:?}"
        );
    }

    #[test]
    fn route_table_associations() {
        let net = templates::public_private_nat();
        let e = apply(
            &net,
            &Edit::AssociateRouteTable {
                table: "rtb-private".into(),
                subnet: "subnet-public-a".into(),
            },
        )
        .unwrap_err();
        assert_eq!(e.code, "Resource.AlreadyAssociated");
        assert_eq!(
            e.messages[0],
            "subnet-public-a is already associated with rtb-public."
        );
        let peering = templates::peering_chain();
        let e = apply(
            &peering,
            &Edit::AssociateRouteTable {
                table: "rtb-a".into(),
                subnet: "subnet-b".into(),
            },
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");
        let n = apply(
            &peering,
            &Edit::AssociateRouteTable {
                table: "rtb-b".into(),
                subnet: "subnet-b".into(),
            },
        )
        .unwrap();
        assert_eq!(n.route_table_of("subnet-b").unwrap().subnets, ["subnet-b"]);
    }

    fn ok(net: &Network, e: Edit) -> Network {
        apply(net, &e).unwrap_or_else(|err| panic!("{e:?}: {err:?}"))
    }
    fn refused(net: &Network, e: Edit) -> String {
        apply(net, &e).expect_err("should be refused").join(" ")
    }

    #[test]
    fn ipv6_blocks_addresses_and_gateways() {
        let net = templates::single_web_server();
        let b56 = Net::parse("2600:1f18:6b4:a00::/56").unwrap();
        // A subnet block needs the VPC's first.
        let sub = Edit::subnet_ipv6(
            "subnet-public-a",
            Some(Net::parse("2600:1f18:6b4:a01::/64").unwrap()),
        );
        assert!(refused(&net, sub.clone()).contains("associate one with the VPC first"));
        let n = ok(&net, Edit::vpc_ipv6("vpc-main", Some(b56)));
        // The untouched default NACL gains rule 101 for ::/0 both ways.
        assert!(n.nacls[0]
            .inbound
            .iter()
            .any(|r| r.number == 101 && r.cidr == Net::ANY6));
        assert!(n.nacls[0]
            .outbound
            .iter()
            .any(|r| r.number == 101 && r.cidr == Net::ANY6));
        assert!(refused(
            &net,
            Edit::vpc_ipv6("vpc-main", Some(Net::parse("10.9.0.0/16").unwrap()))
        )
        .contains("is IPv4"));
        assert!(refused(
            &n,
            Edit::subnet_ipv6(
                "subnet-public-a",
                Some(Net::parse("2600:1f18:6b4:b00::/64").unwrap())
            )
        )
        .contains("outside vpc-main's IPv6 block"));
        let n = ok(&n, sub);
        let ip = |t: &str| Some(parse_ip6(t).unwrap());
        assert!(
            refused(&n, Edit::ipv6_address("i-web", ip("2600:1f18:6b4:a01::2")))
                .contains("reserves")
        );
        assert!(
            refused(&n, Edit::ipv6_address("i-web", ip("2600:1f18:6b4:a02::10")))
                .contains("outside subnet-public-a")
        );
        let n = ok(&n, Edit::ipv6_address("i-web", ip("2600:1f18:6b4:a01::10")));
        // Routes: IPv4 to an egress-only gateway and IPv6 to a NAT gateway are refused.
        let n = ok(
            &n,
            Edit::CreateEgressOnlyInternetGateway {
                vpc: "vpc-main".into(),
            },
        );
        assert_eq!(n.eigws[0].id, "eigw-1");
        let route = |dest: &str, target: Target| Edit::CreateRoute {
            table: "rtb-main".into(),
            route: Route {
                dest: Dest::Cidr(Net::parse(dest).unwrap()),
                target,
            },
        };
        assert!(
            refused(&n, route("10.8.0.0/16", Target::Eigw("eigw-1".into())))
                .contains("IPv6 routes only")
        );
        let n = ok(&n, route("::/0", Target::Igw("igw-main".into())));
        // A group created now allows all IPv6 out as well.
        let n = ok(
            &n,
            Edit::CreateSecurityGroup {
                vpc: "vpc-main".into(),
                name: "new".into(),
            },
        );
        assert_eq!(n.groups.last().unwrap().outbound.len(), 2);
        // Removing the VPC's block while a subnet uses it is refused.
        assert!(refused(&n, Edit::vpc_ipv6("vpc-main", None)).contains("has none"));
        // An egress-only gateway in a VPC without IPv6 makes no sense.
        assert!(refused(
            &net,
            Edit::CreateEgressOnlyInternetGateway {
                vpc: "vpc-main".into()
            }
        )
        .contains("carries IPv6 only"));
    }

    #[test]
    fn interfaces_elastic_ips_names_and_moves() {
        let net = templates::dual_stack();
        let n = ok(
            &net,
            Edit::CreateNetworkInterface {
                name: "spare".into(),
                subnet: "subnet-public-a".into(),
                ip: parse_ip("10.0.1.50").unwrap(),
                groups: vec!["sg-web".into()],
            },
        );
        assert_eq!(n.enis[1].id, "eni-1");
        assert!(refused(
            &n,
            Edit::CreateNetworkInterface {
                name: "dup".into(),
                subnet: "subnet-public-a".into(),
                ip: parse_ip("10.0.1.50").unwrap(),
                groups: vec!["sg-web".into()]
            }
        )
        .contains("already used"));
        let n = ok(&n, Edit::eni_attachment("eni-1", Some("i-app".into())));
        assert!(
            refused(&n, Edit::eni_attachment("eni-1", Some("i-web".into())))
                .contains("detach it first")
        );
        assert!(refused(&n, Edit::delete("eni-1").unwrap()).contains("detach it before deleting"));
        // Another AZ is refused.
        let mut other_az = n.clone();
        other_az.subnets.push(Subnet {
            id: "subnet-b".into(),
            name: "b".into(),
            vpc: "vpc-main".into(),
            az: "us-east-1b".into(),
            cidr: Net::parse("10.0.9.0/24").unwrap(),
            ipv6: None,
        });
        let moved = refused(
            &other_az,
            Edit::MoveInstance {
                instance: "i-app".into(),
                subnet: "subnet-b".into(),
                ip: parse_ip("10.0.9.10").unwrap(),
            },
        );
        assert!(moved.contains("own Availability Zone"), "{moved}");
        // Elastic IPs: allocate, associate (replacing an auto-assigned address), release.
        let n = ok(
            &n,
            Edit::AllocateAddress {
                address: parse_ip("192.0.2.30").unwrap(),
            },
        );
        assert!(refused(
            &n,
            Edit::AllocateAddress {
                address: parse_ip("192.0.2.30").unwrap()
            }
        )
        .contains("already in use"));
        assert!(refused(
            &n,
            Edit::AllocateAddress {
                address: parse_ip("10.0.0.30").unwrap()
            }
        )
        .contains("private address"));
        assert!(refused(
            &n,
            Edit::address_association("eipalloc-1", Some("i-web".into()))
        )
        .contains("already has an Elastic IP"));
        let n = ok(
            &n,
            Edit::address_association("eipalloc-1", Some("i-app".into())),
        );
        assert!(refused(&n, Edit::delete("eipalloc-1").unwrap()).contains("disassociate it"));
        // Deleting an instance detaches its interfaces and frees its Elastic IP.
        let n = ok(&n, Edit::delete("i-app").unwrap());
        assert_eq!(n.enis[1].instance, None);
        assert_eq!(n.eips[1].target, None);
        let n = ok(&n, Edit::delete("eipalloc-1").unwrap());
        assert_eq!(n.eips.len(), 1);
        // Names.
        let n = ok(
            &n,
            Edit::CreateTags {
                id: "i-web".into(),
                name: " front ".into(),
            },
        );
        assert_eq!(n.instances[0].name, "front");
        assert!(refused(
            &n,
            Edit::CreateTags {
                id: "sg-web".into(),
                name: "x".into()
            }
        )
        .contains("fixed"));
        assert!(refused(
            &n,
            Edit::CreateTags {
                id: "subnet-public-a".into(),
                name: "  ".into()
            }
        )
        .contains("empty"));
        // Moving clears the IPv6 address (a new subnet, a new address).
        let n = ok(
            &n,
            Edit::MoveInstance {
                instance: "i-web".into(),
                subnet: "subnet-private-a".into(),
                ip: parse_ip("10.0.2.30").unwrap(),
            },
        );
        assert_eq!(
            (n.instances[0].subnet.as_str(), n.instances[0].ipv6),
            ("subnet-private-a", None)
        );
        // Peering acceptance.
        let p = templates::peering_chain();
        let id = p.peerings[0].id.clone();
        let n = ok(&p, Edit::peering_state(&id, false));
        assert!(!n.peerings[0].active);
    }

    #[test]
    fn creating_and_deleting_resources() {
        use super::super::reach::{analyze, End, Query};
        let net = templates::single_web_server();
        let n = apply(
            &net,
            &Edit::CreateVpc {
                name: "data".into(),
                cidr: Net::parse("10.1.0.0/16").unwrap(),
            },
        )
        .unwrap();
        assert_eq!(n.vpcs[1].id, "vpc-1");
        assert!(n.route_tables.iter().any(|t| t.main && t.vpc == "vpc-1"));
        assert!(apply(
            &n,
            &Edit::CreateVpcPeeringConnection {
                requester: "vpc-main".into(),
                accepter: "vpc-1".into()
            }
        )
        .is_ok());
        let e = apply(
            &net,
            &Edit::CreateVpc {
                name: "big".into(),
                cidr: Net::parse("10.0.0.0/8").unwrap(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("/16 to /28"), "{e:?}");
        let e = apply(
            &n,
            &Edit::CreateVpcPeeringConnection {
                requester: "vpc-main".into(),
                accepter: "vpc-main".into(),
            },
        )
        .unwrap_err();
        assert!(e[0].contains("with itself"));
        // A second IGW attached to the same VPC is refused; a detached one is fine.
        assert!(apply(
            &net,
            &Edit::CreateInternetGateway {
                vpc: Some("vpc-main".into())
            }
        )
        .unwrap_err()[0]
            .contains("more than one internet gateway"));
        assert!(apply(&net, &Edit::CreateInternetGateway { vpc: None }).is_ok());
        let n2 = apply(
            &net,
            &Edit::CreateNatGateway {
                subnet: "subnet-public-a".into(),
                eip: parse_ip("192.0.2.99").unwrap(),
            },
        )
        .unwrap();
        assert_eq!(n2.nats[0].id, "nat-1");
        // Deleting something still in use is refused with what depends on it.
        let e = apply(&net, &Edit::delete("sg-web").unwrap()).unwrap_err();
        assert!(e[0].contains("uses sg-web"), "{e:?}");
        let e = apply(&net, &Edit::delete("igw-main").unwrap()).unwrap_err();
        assert!(e[0].contains("igw-main, which does not exist"), "{e:?}");
        let e = apply(&net, &Edit::delete("acl-main").unwrap()).unwrap_err();
        assert!(e[0].contains("is its VPC's default"), "{e:?}");
        assert_eq!(e.code, "CannotDelete");
        let gone = apply(&net, &Edit::delete("subnet-9").unwrap()).unwrap_err();
        assert_eq!(gone.code, "InvalidSubnetID.NotFound");
        assert!(apply(&net, &Edit::delete("i-web").unwrap()).is_ok());
        // Endpoints: a gateway endpoint for S3 adds its route; SQS needs a subnet.
        let n3 = apply(
            &net,
            &Edit::CreateVpcEndpoint {
                vpc: "vpc-main".into(),
                service: Service::S3,
                route_table: Some("rtb-main".into()),
                subnet: None,
            },
        )
        .unwrap();
        assert!(n3.route_tables[0]
            .routes
            .iter()
            .any(|r| r.dest == Dest::PrefixList(Service::S3)));
        assert!(apply(
            &net,
            &Edit::CreateVpcEndpoint {
                vpc: "vpc-main".into(),
                service: Service::Sqs,
                route_table: None,
                subnet: None
            }
        )
        .is_err());
        // A custom NACL denies everything until rules are added.
        let n4 = apply(
            &net,
            &Edit::CreateNetworkAcl {
                vpc: "vpc-main".into(),
                name: "strict".into(),
                subnet: Some("subnet-public-a".into()),
            },
        )
        .unwrap();
        let q = Query::new(End::Internet, End::Instance("i-web".into()), Proto::Tcp, 80);
        assert!(!analyze(&n4, &q).reachable);
    }
}
