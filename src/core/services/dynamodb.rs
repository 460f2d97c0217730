//! Amazon DynamoDB tables as the flow simulator will run them (issue 17): exact decimal
//! numbers (`decimal`) and the expression languages — conditions, key conditions and
//! updates (`expr`). Item sizes and consumed capacity come from the calculator's core
//! (`core::dynamodb::item`, `core::dynamodb::capacity`).

pub mod decimal;
pub mod expr;
