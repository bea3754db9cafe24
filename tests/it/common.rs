//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seed() -> PathBuf {
    repo().join("content/jian-education-plan/source.txt")
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temporary copy of `tests/fixtures/<name>` with the repository's
/// themes (unless the fixture brings its own).
pub fn fixture_site(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    if !dir.path().join("themes").exists() {
        copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    }
    dir
}

/// A temporary copy of the repository's own site (site.yaml, content, themes).
pub fn repo_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

/// Runs the gongkai binary; returns (success, stdout, stderr).
pub fn gongkai(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file of a built site: path relative to the root → bytes.
pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

pub fn html(bytes: &[u8]) -> scraper::Html {
    scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap())
}

pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap()
}

pub fn text_of(el: scraper::ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Resolves `href` (relative) from the page at `page` (root-relative path).
pub fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Checks that every relative link of every page resolves to a file and,
/// with a fragment, to an element with that id. Returns the broken ones.
pub fn broken_links(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let any = sel("[id]");
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = html(bytes);
        ids.insert(
            path,
            doc.select(&any)
                .filter_map(|e| e.value().attr("id").map(str::to_owned))
                .collect(),
        );
    }
    let mut broken = Vec::new();
    let links = sel("a[href], link[href], script[src], img[src]");
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = html(bytes);
        for el in doc.select(&links) {
            let href = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with("data:") {
                continue;
            }
            // The 404 page's links start at the server's root (base_url's
            // path): publishing.rs checks them under that path.
            if path == "404.html" && href.starts_with('/') {
                continue;
            }
            let (file, frag) = href.split_once('#').unwrap_or((href, ""));
            let file = file.split('?').next().unwrap_or(file);
            let target = if file.is_empty() {
                path.clone()
            } else {
                resolve(path, file)
            };
            if !files.contains_key(&target) {
                broken.push(format!("{path}: {href} (no file {target})"));
            } else if !frag.is_empty()
                && !ids.get(target.as_str()).is_some_and(|s| s.contains(frag))
            {
                broken.push(format!("{path}: {href} (no id {frag} in {target})"));
            }
        }
    }
    broken
}

/// Replaces the first `from` in a site file, which must contain it.
pub fn edit(site: &std::path::Path, file: &str, from: &str, to: &str) {
    let p = site.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

/// Runs gongkai expecting failure: every needle in the error output, no
/// panic or backtrace. Returns the output.
pub fn fails(site: &std::path::Path, args: &[&str], needles: &[&str]) -> String {
    let (ok, _, err) = gongkai(site, args);
    assert!(!ok, "{args:?} should fail:\n{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    err
}

/// Error output as a snapshot shows it: the temporary folder's path (as
/// given and as the system resolves it) replaced by `[site]`.
pub fn normalized(err: &str, site: &std::path::Path) -> String {
    let mut s = err.to_string();
    if let Ok(c) = site.canonicalize() {
        s = s.replace(&c.display().to_string(), "[site]");
    }
    s.replace(&site.display().to_string(), "[site]")
}

/// Runs gongkai expecting failure (as `fails`); returns the error output
/// normalized for a snapshot.
pub fn failure(site: &std::path::Path, args: &[&str]) -> String {
    normalized(&fails(site, args, &[]), site)
}

/// Gives a copied document folder its own 索引号 and 发文字号 (`n` in both),
/// so that it is another document of the portal, not the same one twice.
pub fn renumber(doc: &Path, n: usize) {
    let p = doc.join("document.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if let Some(v) = l.strip_prefix("索引号: ") {
                format!("索引号: {v}-{n}")
            } else if let Some(v) = l.strip_prefix("发文字号: ") {
                // 集政办发〔2023〕1号 → 集政办发〔2023〕1001号
                let (head, num) = v.trim_end_matches('号').rsplit_once('〕').unwrap();
                format!(
                    "发文字号: {head}〕{}号",
                    1000 * n + num.parse::<usize>().unwrap()
                )
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&p, out.join("\n") + "\n").unwrap();
}

/// The seed plus a second document (a copy of the plan with its own
/// 索引号 and 发文字号), so that an edit to one document can be seen to
/// leave the other alone.
pub fn two_document_site() -> tempfile::TempDir {
    let site = repo_site();
    let content = site.path().join("content");
    copy_dir(
        &content.join("jian-education-plan"),
        &content.join("jian-copy"),
    );
    renumber(&content.join("jian-copy"), 1);
    site
}
