//! `build` with its cache: after an edit to one document it renders again
//! only what depends on that document, and the output must be exactly what
//! a full build of the edited site writes, after every kind of edit.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::common::*;
use gongkai::render::{self, BuildOptions, BuildReport};

/// `common::two_document_site`, its files dated an hour ago as files
/// edited earlier are.
fn aged_two_document_site() -> tempfile::TempDir {
    let site = two_document_site();
    age(&site.path().join("content"));
    site
}

/// Dates every file under `dir` an hour back, so that the cache's
/// "just modified" rule (a file modified within its timestamp granularity
/// of the last build is read again) does not apply to it.
fn age(dir: &Path) {
    let then = SystemTime::now() - Duration::from_secs(3600);
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            std::fs::File::open(e.path())
                .unwrap()
                .set_modified(then)
                .unwrap();
        }
    }
}

fn build(root: &Path) -> BuildReport {
    render::build(&BuildOptions::new(root)).unwrap()
}

/// A full build of the site as it is now, into `public-full/`, without the
/// cache: what the cached build must equal.
fn assert_same_as_full_build(root: &Path) {
    let mut opts = BuildOptions::new(root);
    opts.out = root.join("public-full");
    opts.incremental = false;
    render::build(&opts).unwrap();
    let full = read_tree(&root.join("public-full"));
    let got = read_tree(&root.join("public"));
    let missing: Vec<&String> = full.keys().filter(|p| !got.contains_key(*p)).collect();
    let extra: Vec<&String> = got.keys().filter(|p| !full.contains_key(*p)).collect();
    let differ: Vec<&String> = full
        .iter()
        .filter(|(p, b)| got.get(*p).is_some_and(|g| g != *b))
        .map(|(p, _)| p)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "the cached build differs from a full one: missing {missing:?}, extra {extra:?}, different {differ:?}"
    );
}

fn write(root: &Path, file: &str, text: &str) {
    std::fs::write(root.join(file), text).unwrap();
}

#[test]
fn a_second_build_of_an_unchanged_site_writes_nothing() {
    let site = aged_two_document_site();
    let root = site.path();
    let first = build(root);
    assert_eq!(first.written, None, "the first build is a full one");
    let before = read_tree(&root.join("public"));
    let second = build(root);
    assert_eq!(second.written, Some(0), "nothing changed, nothing written");
    assert_eq!(second.pages, first.pages);
    assert_eq!(second.files, first.files);
    assert_eq!(second.bytes, first.bytes);
    assert_eq!(
        second.warnings.len(),
        first.warnings.len(),
        "the warnings are given again"
    );
    assert_eq!(read_tree(&root.join("public")), before);
    // --full ignores the cache.
    let mut opts = BuildOptions::new(root);
    opts.incremental = false;
    assert_eq!(render::build(&opts).unwrap().written, None);
}

#[test]
fn an_edit_to_one_document_writes_only_its_pages_and_what_lists_it() {
    let site = aged_two_document_site();
    let root = site.path();
    build(root);
    let before = read_tree(&root.join("public"));

    // A word of one paragraph of the copy.
    let file = "content/jian-copy/c3-s1.md";
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    assert!(text.contains("(吉教办〔2020〕168号)"));
    write(root, file, &text.replacen("(吉教办〔2020〕168号)", "", 1));
    let r = build(root);
    let written = r.written.expect("built from the cache");
    assert!(written > 0);
    let after = read_tree(&root.join("public"));
    let changed: Vec<&String> = after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(*b))
        .map(|(p, _)| p)
        .collect();
    assert!(
        changed.iter().any(|p| *p == "jian-copy/c3-s1/index.html"),
        "{changed:?}"
    );
    assert!(
        !changed
            .iter()
            .any(|p| p.starts_with("jian-education-plan/")),
        "the other document's pages are untouched: {changed:?}"
    );
    assert!(
        changed.len() < before.len() / 4,
        "{} of {} files changed",
        changed.len(),
        before.len()
    );
    assert_same_as_full_build(root);

    // Saved again with the same bytes (a touch): nothing written, and the
    // search index, which its records leave as it was, is still whole.
    write(
        root,
        file,
        &std::fs::read_to_string(root.join(file)).unwrap(),
    );
    age(&root.join("content/jian-copy"));
    assert_eq!(build(root).written, Some(0));
    assert_same_as_full_build(root);

    // Reverted: the output is the first build's again.
    write(root, file, &text);
    build(root);
    assert_same_as_full_build(root);
    assert_eq!(read_tree(&root.join("public")), before);

    // The heading of the section its citations stand in: the registry
    // pages that list them name the section, so they are made again
    // (only the entries cited there: the others' pages are left as they
    // are, and must still equal a full build's).
    let heading = "heading: (一)全面贯彻落实立德树人根本任务。";
    assert!(text.contains(heading));
    write(
        root,
        file,
        &text.replacen(heading, "heading: (一)全面落实立德树人根本任务。", 1),
    );
    let r = build(root);
    assert!(r.written.is_some_and(|n| n > 0), "built from the cache");
    let now = read_tree(&root.join("public"));
    let remade: Vec<&String> = now
        .iter()
        .filter(|(p, b)| p.starts_with("references/") && before.get(*p) != Some(*b))
        .map(|(p, _)| p)
        .collect();
    assert!(!remade.is_empty(), "a registry page names the section");
    assert_same_as_full_build(root);
}

#[test]
fn edits_that_reach_other_documents_or_the_whole_site_build_in_full() {
    let site = aged_two_document_site();
    let root = site.path();
    build(root);

    // A title other documents' citations may name: a full build.
    edit(
        root,
        "content/jian-copy/document.yaml",
        "教育发展规划",
        "教育事业发展规划",
    );
    assert_eq!(build(root).written, None);
    assert_same_as_full_build(root);

    // The registry, the theme, site.yaml: a full build.
    let registry = std::fs::read_to_string(root.join("content/references.yaml")).unwrap();
    write(root, "content/references.yaml", &format!("{registry}\n"));
    assert_eq!(build(root).written, None);
    let css = std::fs::read_to_string(root.join("themes/default/static/style.css")).unwrap();
    write(root, "themes/default/static/style.css", &format!("{css}\n"));
    assert_eq!(build(root).written, None);
    assert_same_as_full_build(root);

    // A document added, then removed: full builds, nothing left over.
    let content = root.join("content");
    copy_dir(&content.join("jian-copy"), &content.join("jian-third"));
    renumber(&content.join("jian-third"), 2);
    edit(
        root,
        "content/jian-third/document.yaml",
        "教育事业发展规划",
        "教育发展规划（第三份）",
    );
    assert_eq!(build(root).written, None);
    assert!(root.join("public/jian-third/index.html").is_file());
    assert_same_as_full_build(root);
    std::fs::remove_dir_all(content.join("jian-third")).unwrap();
    assert_eq!(build(root).written, None);
    assert!(!root.join("public/jian-third").exists());
    assert_same_as_full_build(root);
}

#[test]
fn many_documents_to_read_again_build_in_full() {
    let site = aged_two_document_site();
    let root = site.path();
    build(root);
    let touch = |doc: &str, ago: u64| {
        std::fs::File::open(root.join("content").join(doc).join("document.yaml"))
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_secs(ago))
            .unwrap();
    };
    // Both documents' files touched (as a checkout does): more than a
    // quarter of the documents, so a full build instead of the cache.
    touch("jian-education-plan", 1800);
    touch("jian-copy", 1800);
    assert_eq!(build(root).written, None);
    assert_same_as_full_build(root);
    // One document of the two touched is not many: the cache is used.
    touch("jian-education-plan", 900);
    assert_eq!(build(root).written, Some(0));
}

#[test]
fn a_bad_edit_fails_and_leaves_the_output_as_it_was() {
    let site = aged_two_document_site();
    let root = site.path();
    build(root);
    let before = read_tree(&root.join("public"));
    let file = "content/jian-copy/c1-s1.md";
    let good = std::fs::read_to_string(root.join(file)).unwrap();
    // Front matter that does not close.
    write(root, file, &good.replacen("---", "---\nid: [", 1));
    assert!(render::build(&BuildOptions::new(root)).is_err());
    assert_eq!(read_tree(&root.join("public")), before);
    // Fixed again: the next build is the first one's output.
    write(root, file, &good);
    build(root);
    assert_eq!(read_tree(&root.join("public")), before);
    assert_same_as_full_build(root);
}

#[test]
fn a_build_that_died_while_writing_is_followed_by_a_full_one() {
    let site = aged_two_document_site();
    let root = site.path();
    build(root);
    // What a build killed midway leaves: the cache marked as applying,
    // and a page half written.
    let cache = std::fs::read_dir(root.join(".gongkai-cache"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    std::fs::write(root.join("public/jian-copy/c1-s1/index.html"), "<p>half").unwrap();
    let before = read_tree(&cache);
    gongkai::render::cache::mark_applying(&cache).unwrap();
    assert_ne!(read_tree(&cache), before, "the cache is marked");
    let r = build(root);
    assert_eq!(r.written, None, "a full build");
    assert_same_as_full_build(root);
}
