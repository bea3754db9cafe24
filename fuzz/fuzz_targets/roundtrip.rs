//! Import → load → check on arbitrary bytes: whatever the importer accepts
//! must load as a site and pass source fidelity.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gongkai_fuzz::import_load_check(data, "fuzz", "");
});
