//! AWS's error shape: a code (`InvalidSubnet.Conflict`, `AccessDenied`,
//! `ConditionalCheckFailedException`), the HTTP status and a message, printed the way the
//! AWS CLI prints a failed call.

use std::fmt;

/// A refused or failed API call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    /// AWS's error code, as the service returns it.
    pub code: &'static str,
    /// The HTTP status the service answers with (400 client error, 403 denied, 404 …).
    pub status: u16,
    pub message: String,
}

impl AwsError {
    pub fn new(code: &'static str, status: u16, message: impl Into<String>) -> AwsError {
        AwsError {
            code,
            status,
            message: message.into(),
        }
    }

    /// A client error (HTTP 400), the status of most validation failures.
    pub fn client(code: &'static str, message: impl Into<String>) -> AwsError {
        AwsError::new(code, 400, message)
    }

    /// As the AWS CLI prints it: `An error occurred (Code) when calling the Operation
    /// operation: message`.
    pub fn cli(&self, operation: &str) -> String {
        format!(
            "An error occurred ({}) when calling the {operation} operation: {}",
            self.code, self.message
        )
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn printed_as_the_cli_prints_it() {
        let e = AwsError::client(
            "InvalidSubnet.Conflict",
            "The CIDR '10.0.1.0/24' conflicts with another subnet",
        );
        assert_eq!(
            e.cli("CreateSubnet"),
            "An error occurred (InvalidSubnet.Conflict) when calling the CreateSubnet operation: The CIDR '10.0.1.0/24' conflicts with another subnet"
        );
        assert_eq!(e.status, 400);
        assert!(e.to_string().starts_with("InvalidSubnet.Conflict: "));
    }
}
