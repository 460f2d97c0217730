//! What an instance is launched from and on: a small catalog of AMIs and a table of instance
//! types with their size and On-Demand price, each row with its source and date.
//!
//! An instance type's name reads as family, generation, attributes and size: `m5.2xlarge` is
//! family `m` (general purpose), generation 5, size `2xlarge`; `c6g.4xlarge` is compute
//! optimised, generation 6, Graviton (`g`, Arm), size `4xlarge` (course notes L653–655;
//! EC2 User Guide, "Amazon EC2 instance type naming conventions").

/// A family's purpose, from the first letter of the type's name.
pub fn family_purpose(family: &str) -> &'static str {
    match family {
        "t" => "burstable general purpose",
        "m" | "a" | "mac" => "general purpose",
        "c" => "compute optimised",
        "r" | "x" | "z" | "u" => "memory optimised",
        "i" | "d" | "h" => "storage optimised",
        "p" | "g" | "inf" | "trn" | "dl" | "f" | "vt" => "accelerated computing",
        _ => "unknown family",
    }
}

/// An instance type's name taken apart (`c6gn.4xlarge` → `c`, 6, `gn`, `4xlarge`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeName {
    /// The series: one or more letters (`m`, `c`, `inf`).
    pub family: String,
    pub generation: u32,
    /// Letters after the generation: `g` Graviton, `a` AMD, `i` Intel, `n` network, `d`
    /// local NVMe instance store, `e` extra storage or memory, `z` high frequency.
    pub attributes: String,
    /// `nano` … `metal`, `xlarge`, `2xlarge` …
    pub size: String,
}

/// Parses an instance type's name; errors name what is wrong (the AWS CLI would answer
/// `InvalidParameterValue` for a type that does not exist; the catalog decides that).
pub fn parse_type(name: &str) -> Result<TypeName, String> {
    let (class, size) = name.split_once('.').ok_or_else(|| {
        format!("“{name}” is not an instance type: expected family and size, like t3.micro.")
    })?;
    let family: String = class
        .chars()
        .take_while(|c| c.is_ascii_lowercase())
        .collect();
    let rest = &class[family.len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let attributes = &rest[digits.len()..];
    if family.is_empty() || digits.is_empty() {
        return Err(format!(
            "“{name}”: the part before the dot should be letters then a generation number, like m5 or c6g."
        ));
    }
    if !attributes
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '-')
    {
        return Err(format!(
            "“{name}”: unexpected characters in “{attributes}”."
        ));
    }
    if size.is_empty() || !size.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "“{name}”: the size after the dot is missing or malformed."
        ));
    }
    let generation = digits
        .parse::<u32>()
        .map_err(|_| format!("“{name}”: the generation number is too large."))?;
    Ok(TypeName {
        family,
        generation,
        attributes: attributes.into(),
        size: size.into(),
    })
}

/// A CPU architecture as EC2 names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    Arm64,
}

impl Arch {
    /// `x86_64` or `arm64`, as DescribeImages and the identity document print it.
    pub fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }
}

/// One instance type: size and the On-Demand Linux price in us-east-1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InstanceType {
    pub name: &'static str,
    pub vcpus: u32,
    /// Memory in MiB, as DescribeInstanceTypes gives it.
    pub memory_mib: u64,
    pub arch: Arch,
    /// US dollars per hour, Linux/UNIX On-Demand, us-east-1.
    pub linux_usd_per_hour: f64,
    /// US dollars per hour with a Windows Server licence, where listed.
    pub windows_usd_per_hour: Option<f64>,
    /// Gigabytes of local NVMe instance store (0: EBS only).
    pub instance_store_gb: u32,
}

/// Where the prices come from and when they were read.
pub const PRICES_SOURCE: &str = "https://aws.amazon.com/ec2/pricing/on-demand/";
/// The date the price table was read (On-Demand prices change rarely; check before quoting).
pub const PRICES_DATE: &str = "2026-11";
/// The Region the prices are for.
pub const PRICES_REGION: &str = "us-east-1";

/// The instance types the simulator launches. vCPUs and memory from the EC2 User Guide's
/// instance type specifications. Linux prices as listed on [`PRICES_SOURCE`], read through
/// several third-party copies of that page that agree (2024–2026; the page itself could
/// not be fetched from here: check before quoting). A Windows price is listed only where
/// two copies agree (t2.micro); elsewhere a Windows instance's bill says the price is not
/// in the table rather than guess.
pub const INSTANCE_TYPES: &[InstanceType] = &[
    it("t2.micro", 1, 1024, Arch::X86_64, 0.0116, Some(0.0162)),
    it("t3.micro", 2, 1024, Arch::X86_64, 0.0104, None),
    it("t3.small", 2, 2048, Arch::X86_64, 0.0208, None),
    it("t3.medium", 2, 4096, Arch::X86_64, 0.0416, None),
    it("t4g.micro", 2, 1024, Arch::Arm64, 0.0084, None),
    it("t4g.small", 2, 2048, Arch::Arm64, 0.0168, None),
    it("m5.large", 2, 8192, Arch::X86_64, 0.096, None),
    it("m5.2xlarge", 8, 32768, Arch::X86_64, 0.384, None),
    it("m6g.large", 2, 8192, Arch::Arm64, 0.077, None),
    it("c5.large", 2, 4096, Arch::X86_64, 0.085, None),
    it("c6g.4xlarge", 16, 32768, Arch::Arm64, 0.544, None),
    it("r5.large", 2, 16384, Arch::X86_64, 0.126, None),
    InstanceType {
        instance_store_gb: 75,
        ..it("m5d.large", 2, 8192, Arch::X86_64, 0.113, None)
    },
];

const fn it(
    name: &'static str,
    vcpus: u32,
    memory_mib: u64,
    arch: Arch,
    linux_usd_per_hour: f64,
    windows_usd_per_hour: Option<f64>,
) -> InstanceType {
    InstanceType {
        name,
        vcpus,
        memory_mib,
        arch,
        linux_usd_per_hour,
        windows_usd_per_hour,
        instance_store_gb: 0,
    }
}

/// The catalog's row for a type name.
pub fn instance_type(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

/// The operating system family of an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    Linux,
    Windows,
}

/// An Amazon Machine Image of the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Image {
    /// `ami-…` (the catalog's own ids; real ones differ per Region and release).
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub arch: Arch,
    pub platform: Platform,
    /// The root volume's device name (`/dev/xvda` on Amazon Linux, `/dev/sda1` elsewhere).
    pub root_device: &'static str,
    /// Root volume size in GiB.
    pub root_gib: u32,
    /// The user a key pair logs in as.
    pub user: &'static str,
    /// Whether launches default to IMDSv2 only (`HttpTokens: required`): AMIs registered
    /// with `ImdsSupport: v2.0`, as Amazon Linux 2023's are.
    pub imds_v2_only: bool,
}

/// The AMI catalog: Amazon Linux 2023, Ubuntu 24.04 and Windows Server 2022, x86 and Arm.
pub const IMAGES: &[Image] = &[
    Image {
        id: "ami-0a3c3a20c09d6f377",
        name: "al2023-ami-2023.6-kernel-6.1-x86_64",
        description: "Amazon Linux 2023 AMI (x86_64)",
        arch: Arch::X86_64,
        platform: Platform::Linux,
        root_device: "/dev/xvda",
        root_gib: 8,
        user: "ec2-user",
        imds_v2_only: true,
    },
    Image {
        id: "ami-02801556a781a4499",
        name: "al2023-ami-2023.6-kernel-6.1-arm64",
        description: "Amazon Linux 2023 AMI (arm64)",
        arch: Arch::Arm64,
        platform: Platform::Linux,
        root_device: "/dev/xvda",
        root_gib: 8,
        user: "ec2-user",
        imds_v2_only: true,
    },
    Image {
        id: "ami-04b70fa74e45c3917",
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server",
        description: "Canonical, Ubuntu, 24.04 LTS, amd64 noble image",
        arch: Arch::X86_64,
        platform: Platform::Linux,
        root_device: "/dev/sda1",
        root_gib: 8,
        user: "ubuntu",
        imds_v2_only: false,
    },
    Image {
        id: "ami-0eac975a54dfee8cb",
        name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server",
        description: "Canonical, Ubuntu, 24.04 LTS, arm64 noble image",
        arch: Arch::Arm64,
        platform: Platform::Linux,
        root_device: "/dev/sda1",
        root_gib: 8,
        user: "ubuntu",
        imds_v2_only: false,
    },
    Image {
        id: "ami-0f9c44e98edf38a2b",
        name: "Windows_Server-2022-English-Full-Base",
        description: "Microsoft Windows Server 2022 Full Locale English AMI",
        arch: Arch::X86_64,
        platform: Platform::Windows,
        root_device: "/dev/sda1",
        root_gib: 30,
        user: "Administrator",
        imds_v2_only: false,
    },
];

/// The catalog's image with this id.
pub fn image(id: &str) -> Option<&'static Image> {
    IMAGES.iter().find(|i| i.id == id)
}

/// The image an instance made before the compute model (a VPC builder design) runs.
pub const DEFAULT_IMAGE: &str = "ami-0a3c3a20c09d6f377";
/// The type such an instance has.
pub const DEFAULT_TYPE: &str = "t3.micro";

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn type_names_read_as_the_course_notes_read_them() {
        // Course notes L653: m5.2xlarge is class m, generation 5, size 2xlarge.
        let m = parse_type("m5.2xlarge").unwrap();
        assert_eq!(
            (m.family.as_str(), m.generation, m.size.as_str()),
            ("m", 5, "2xlarge")
        );
        assert_eq!(family_purpose(&m.family), "general purpose");
        // Digest §2 (derived): c6g.4xlarge is compute optimised, generation 6, 4xlarge.
        let c = parse_type("c6g.4xlarge").unwrap();
        assert_eq!(
            (
                c.family.as_str(),
                c.generation,
                c.attributes.as_str(),
                c.size.as_str()
            ),
            ("c", 6, "g", "4xlarge")
        );
        assert_eq!(family_purpose(&c.family), "compute optimised");
        assert_eq!(parse_type("inf2.xlarge").unwrap().family, "inf");
        for bad in [
            "t3",
            "3.micro",
            "t.micro",
            "t3.",
            "T3.micro",
            "t3.mi-cro",
            "t99999999999.micro",
        ] {
            assert!(parse_type(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_catalogs_rows_are_consistent() {
        for t in INSTANCE_TYPES {
            let n = parse_type(t.name).unwrap();
            // Graviton types (attribute g) are Arm; the rest here are x86.
            assert_eq!(
                n.attributes.contains('g'),
                t.arch == Arch::Arm64,
                "{}",
                t.name
            );
            assert!(t.linux_usd_per_hour > 0.0 && t.memory_mib >= 512);
            if let Some(w) = t.windows_usd_per_hour {
                assert!(w > t.linux_usd_per_hour, "{}", t.name);
            }
        }
        let mut names: Vec<_> = INSTANCE_TYPES.iter().map(|t| t.name).collect();
        names.dedup();
        assert_eq!(names.len(), INSTANCE_TYPES.len());
        assert!(image(DEFAULT_IMAGE).is_some() && instance_type(DEFAULT_TYPE).is_some());
        for i in IMAGES {
            assert!(i.id.starts_with("ami-") && i.id.len() == 21, "{}", i.id);
        }
        // Every architecture and platform the issue asks for.
        assert!(IMAGES.iter().any(|i| i.arch == Arch::Arm64));
        assert!(IMAGES.iter().any(|i| i.platform == Platform::Windows));
    }
}
