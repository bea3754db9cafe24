//! gongkai's integration tests, in one binary (one link instead of one per
//! file). Each module is one area; `common` has the shared helpers.

mod common;

mod bad_input;
mod bilingual;
mod browser;
mod bundle;
mod cache;
mod corpus;
mod hostile_input;
mod import_forms;
mod languages;
mod library;
mod nginx;
mod output_guard;
mod publishing;
mod references;
mod reliability;
mod roundtrip;
mod scale;
mod search;
mod seed;
mod serve;
mod serve_http;
mod translate;
