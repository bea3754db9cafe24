//! What the `roundtrip` and `soup` targets share: import bytes, write the
//! document into a scratch site, load it and check source fidelity.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongkai::check::fidelity;
use gongkai::content::load_site;
use gongkai::import::import_bytes;

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn scratch_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::write(root.join("site.yaml"), "title: fuzz\n").unwrap();
        Site { _dir: dir, root }
    })
}

/// Whatever `import_bytes` accepts must load as a site and pass source
/// fidelity; `shown` is added to a failure's message (the input, when it
/// is readable).
pub fn import_load_check(raw: &[u8], id: &str, shown: &str) {
    let Ok(imported) = import_bytes(raw, Path::new("fuzz.txt"), id) else {
        return;
    };
    let site = scratch_site();
    let content = site.root.join("content");
    let _ = std::fs::remove_dir_all(&content);
    let dir = content.join(id);
    std::fs::create_dir_all(&dir).unwrap();
    for f in &imported.files {
        std::fs::write(dir.join(&f.path), &f.bytes).unwrap();
    }
    let loaded = load_site(&site.root, &content)
        .unwrap_or_else(|e| panic!("imported content does not load: {:?}", e.diagnostics()));
    for doc in &loaded.documents {
        let r = fidelity::check(doc);
        assert!(r.errors.is_empty(), "fidelity: {:?}\n{shown}", r.errors);
    }
}
