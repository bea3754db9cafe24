//! Import → load → check on arbitrary bytes: whatever the importer accepts
//! must load as a site and pass source fidelity.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use gongkai::check::fidelity;
use gongkai::content::load_site;
use gongkai::import::import_bytes;
use libfuzzer_sys::fuzz_target;

struct Env {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::write(root.join("site.yaml"), "title: fuzz\n").unwrap();
        Env { _dir: dir, root }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(imported) = import_bytes(data, std::path::Path::new("fuzz.txt"), "fuzz") else {
        return;
    };
    let env = env();
    let content = env.root.join("content");
    let _ = std::fs::remove_dir_all(&content);
    let dir = content.join("fuzz");
    std::fs::create_dir_all(&dir).unwrap();
    for f in &imported.files {
        std::fs::write(dir.join(&f.path), &f.bytes).unwrap();
    }
    let site = load_site(&env.root, &content)
        .unwrap_or_else(|e| panic!("imported content does not load: {:?}", e.diagnostics()));
    for doc in &site.documents {
        let r = fidelity::check(doc);
        assert!(r.errors.is_empty(), "fidelity: {:?}", r.errors);
    }
});
