//! Amazon SNS. So far: subscription filter policies (`filter`), the rules that decide which
//! subscriptions receive a published message.

pub mod filter;
