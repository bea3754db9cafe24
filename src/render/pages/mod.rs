//! The kinds of page a portal has, one module each. A kind says what its
//! pages are made from (`Reach`), makes them with a typed context, and is
//! listed once in `KINDS`: the full build and `serve`'s incremental
//! rebuild both go through this list.

pub mod assets;
pub mod boxes;
pub mod document;
pub mod feeds;
pub mod full;
pub mod glossary;
pub mod library;
pub mod not_found;
pub mod parallel;
pub mod plain;
pub mod reading;
pub mod references;
pub mod search;

use super::PageKind;

/// Every kind of page, in no particular order (the build schedules them).
pub static KINDS: &[&dyn PageKind] = &[
    &library::Library,
    &document::DocumentPage,
    &reading::Reading,
    &boxes::Boxes,
    &parallel::Parallel,
    &full::Full,
    &references::References,
    &glossary::Glossary,
    &search::SearchPage,
    &search::SearchIndex,
    &plain::Plain,
    &feeds::Feed,
    &feeds::Robots,
    &not_found::NotFound,
    &assets::Assets,
];
