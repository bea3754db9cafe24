//! The importer on arbitrary bytes: it returns a result or a diagnostic,
//! never panics, and whatever it writes must load again as content.
#![no_main]

use std::path::Path;

use gongkai::content::{yaml, FrontMatter, Metadata};
use gongkai::import::import_bytes;
use gongkai::markdown::plain_blocks;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let imported = match import_bytes(data, Path::new("fuzz.txt"), "fuzz") {
        Ok(i) => i,
        Err(e) => {
            // What the CLI prints must format too.
            for d in e.diagnostics() {
                let _ = d.to_string();
            }
            return;
        }
    };
    for w in &imported.warnings {
        let _ = w.to_string();
    }
    for f in &imported.files {
        let name = f.path.to_string_lossy();
        if name == "source.txt" {
            assert_eq!(f.bytes, data, "source.txt must be the input, byte for byte");
            continue;
        }
        let text = std::str::from_utf8(&f.bytes).expect("the importer writes UTF-8");
        if name == "document.yaml" {
            let meta: Metadata = yaml::parse(text, &f.path, 0, text)
                .unwrap_or_else(|d| panic!("document.yaml does not load: {d:?}\n{text}"));
            assert_eq!(meta, imported.meta, "document.yaml round-trips");
            continue;
        }
        let (fm, body, _) = yaml::split_front_matter(text, &f.path)
            .unwrap_or_else(|d| panic!("{name}: front matter does not split: {d:?}\n{text}"));
        let front: FrontMatter = yaml::parse(fm, &f.path, 1, text)
            .unwrap_or_else(|d| panic!("{name}: front matter does not load: {d:?}\n{text}"));
        assert!(front.kind.is_some(), "{name}: no kind");
        let _ = plain_blocks(body);
    }
});
