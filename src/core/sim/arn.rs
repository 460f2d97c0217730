//! ARNs, formatted and read in one place: `arn:partition:service:region:account:resource`
//! (AWS General Reference, "Amazon Resource Names").

use std::fmt;

/// An Amazon Resource Name. Services format their own resource part (the kernel knows no
/// service): EC2's from `vpc::id_kind`. `region` and `account` are empty for services that have none
/// there (IAM's region, S3's region and account).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    /// `user/alice`, `subnet/subnet-1`, `my-bucket/key` …
    pub resource: String,
}

impl Arn {
    /// An ARN in the `aws` partition.
    pub fn new(service: &str, region: &str, account: &str, resource: &str) -> Arn {
        Arn {
            partition: "aws".into(),
            service: service.into(),
            region: region.into(),
            account: account.into(),
            resource: resource.into(),
        }
    }

    /// An IAM user: `arn:aws:iam::111122223333:user/alice`.
    pub fn iam_user(account: &str, name: &str) -> Arn {
        Arn::new("iam", "", account, &format!("user/{name}"))
    }

    /// An IAM role: `arn:aws:iam::111122223333:role/app`.
    pub fn iam_role(account: &str, name: &str) -> Arn {
        Arn::new("iam", "", account, &format!("role/{name}"))
    }

    /// The account's root user: `arn:aws:iam::111122223333:root`.
    pub fn root(account: &str) -> Arn {
        Arn::new("iam", "", account, "root")
    }

    /// A role session: `arn:aws:sts::111122223333:assumed-role/app/session`.
    pub fn assumed_role(account: &str, role: &str, session: &str) -> Arn {
        Arn::new(
            "sts",
            "",
            account,
            &format!("assumed-role/{role}/{session}"),
        )
    }

    /// A federated user: `arn:aws:sts::111122223333:federated-user/bob`.
    pub fn federated_user(account: &str, name: &str) -> Arn {
        Arn::new("sts", "", account, &format!("federated-user/{name}"))
    }

    /// Reads an ARN: six colon-separated parts, the last may hold colons.
    pub fn parse(text: &str) -> Option<Arn> {
        let mut p = text.splitn(6, ':');
        if p.next()? != "arn" {
            return None;
        }
        let (partition, service, region, account, resource) =
            (p.next()?, p.next()?, p.next()?, p.next()?, p.next()?);
        if partition.is_empty() || service.is_empty() {
            return None;
        }
        Some(Arn {
            partition: partition.into(),
            service: service.into(),
            region: region.into(),
            account: account.into(),
            resource: resource.into(),
        })
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn formats_as_aws_writes_them_and_reads_back() {
        assert_eq!(
            Arn::iam_user("111122223333", "alice").to_string(),
            "arn:aws:iam::111122223333:user/alice"
        );
        assert_eq!(
            Arn::assumed_role("111122223333", "app", "s1").to_string(),
            "arn:aws:sts::111122223333:assumed-role/app/s1"
        );
        for text in [
            "arn:aws:s3:::bucket/key:with:colons",
            "arn:aws:iam::111122223333:root",
            "arn:aws:ec2:us-east-1:111122223333:security-group/sg-web",
        ] {
            assert_eq!(
                Arn::parse(text).map(|a| a.to_string()).as_deref(),
                Some(text)
            );
        }
        assert_eq!(Arn::parse("arn:aws:s3"), None);
        assert_eq!(Arn::parse("urn:aws:s3:::b"), None);
    }
}
