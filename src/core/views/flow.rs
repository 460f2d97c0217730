//! The flow simulator's view of the engine (`core::flow`): the scenario a page keeps
//! (`scenario`), the course's starting scenarios (`templates`), the diagram and its Mermaid
//! text (`layout`) and the page's state for links and sandboxes (`state`).

pub mod cost;
pub mod edit;
pub mod grants;
pub mod layout;
pub mod scenario;
pub mod state;
pub mod templates;
