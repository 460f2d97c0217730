//! Amazon DynamoDB tables as the flow simulator will run them (issue 17): exact decimal
//! numbers (`decimal`), the expression languages — conditions, key conditions and updates
//! (`expr`) — and tables with their item operations, consumed capacity, provisioned
//! throughput with burst capacity and streams (`table`). Item sizes and capacity units
//! come from the calculator's core (`core::dynamodb::item`, `core::dynamodb::capacity`).

pub mod decimal;
pub mod expr;
pub mod table;
