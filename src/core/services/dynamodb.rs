//! Amazon DynamoDB tables as the flow simulator runs them: exact decimal
//! numbers (`decimal`), the expression languages — conditions, key conditions and updates
//! (`expr`) — and tables with their item operations, consumed capacity, provisioned
//! throughput with burst capacity and streams (`table`), and a call as a script or handler
//! states it (`request`); batches and transactions across tables (`batch`). Item sizes and capacity units
//! come from the calculator's core (`core::dynamodb::item`, `core::dynamodb::capacity`).

pub mod batch;
pub mod decimal;
pub mod expr;
pub mod request;
pub mod reserved;
pub mod table;
