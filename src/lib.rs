//! gongkai (公开, "disclosure") publishes Chinese government-disclosure
//! documents as bilingual, searchable static portals.
//!
//! The pipeline, one module per stage:
//! [`import`] raw text → [`content`] model → [`check`] → [`render`] (with
//! [`markdown`]) → `public/`; [`translate`] takes a document's units to a
//! translator and back. The CLI in `main.rs` is a thin layer over these.

pub mod bundle;
pub mod check;
pub mod content;
pub mod decode;
pub mod diagnostic;
pub mod import;
pub mod markdown;
pub mod references;
pub mod render;
pub mod search;
pub mod serve;
pub mod source;
pub mod text;
pub mod translate;

pub use diagnostic::{Diagnostic, Error, Result, Severity};
