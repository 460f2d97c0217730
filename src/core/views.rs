//! Tool pages' views of the simulated account: the choices a page keeps (query, selection,
//! template) for share links and sandboxes, the forms it reads into API requests, and the
//! diagrams it draws. The models they show live in `core::services`.

pub mod console;
pub mod flow;
pub mod vpc;
