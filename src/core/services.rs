//! The models of AWS services the simulated account holds (`core::account`), one module per
//! service, named by its IAM prefix. A service module holds state and the operations on it
//! (named after the service's API actions, failing with its error codes); views of it
//! (pages' state, diagrams) live in `core::views`.

pub mod apigateway;
pub mod dynamodb;
pub mod ec2;
pub mod lambda;
pub mod s3;
pub mod sns;
pub mod sqs;
