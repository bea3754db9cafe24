//! `serve` between edits: an edit inside one document's folder re-renders
//! only what depends on that document, and the result must be exactly what
//! a full build of the edited site makes.

use std::path::Path;

use crate::common::*;
use gongkai::serve::{Rebuilt, Session};

/// Every file of a full in-memory build of the site as it is on disk.
fn full_build(root: &Path) -> Vec<(String, Vec<u8>)> {
    let site = gongkai::content::load_site(root, &root.join("content")).unwrap();
    let theme =
        gongkai::render::theme::Theme::load(root, &site.config.theme, &["zh", "en"]).unwrap();
    gongkai::render::render_site(&site, &theme, false).unwrap()
}

/// The session's files equal a full build's; the only extra files are the
/// previous search index's parts, kept one generation.
fn assert_same_as_full_build(session: &Session, root: &Path) {
    let full = full_build(root);
    for (path, bytes) in &full {
        let got = session
            .files()
            .get(path)
            .unwrap_or_else(|| panic!("{path} missing after the incremental rebuild"));
        assert!(
            got.as_slice() == bytes.as_slice(),
            "{path} differs from a full build"
        );
    }
    let full_paths: std::collections::HashSet<&str> =
        full.iter().map(|(p, _)| p.as_str()).collect();
    for path in session.files().keys() {
        assert!(
            full_paths.contains(path.as_str()) || path.starts_with(gongkai::search::PARTS_DIR),
            "{path} is left over"
        );
    }
}

#[test]
fn an_edit_to_one_document_rebuilds_it_and_what_lists_it() {
    let site = two_document_site();
    let root = site.path();
    let mut session = Session::start(root, &root.join("content")).unwrap();
    let before = session.files().clone();

    // Drop a citation from the copy's text: its pages change, and so do the
    // reference pages that list where 吉教办〔2020〕168号 is cited.
    let file = root.join("content/jian-copy/c3-s1.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("(吉教办〔2020〕168号)"));
    std::fs::write(&file, text.replacen("(吉教办〔2020〕168号)", "", 1)).unwrap();

    let how = session.rebuild(std::slice::from_ref(&file)).unwrap();
    assert_eq!(how, Rebuilt::Documents(vec!["jian-copy".into()]));
    session.refresh_search();
    assert_same_as_full_build(&session, root);

    // What changed: the copy's section, its reference list, the reference
    // page of 吉教办〔2020〕168号 (one backlink fewer); not the other document.
    let changed: Vec<&str> = session
        .files()
        .iter()
        .filter(|(p, b)| before.get(*p).is_none_or(|old| old != *b))
        .map(|(p, _)| p.as_str())
        .collect();
    assert!(
        changed.contains(&"jian-copy/c3-s1/index.html"),
        "{changed:?}"
    );
    assert!(
        changed
            .iter()
            .any(|p| p.starts_with("references/") && p != &"references/index.html"),
        "{changed:?}"
    );
    assert!(
        !changed
            .iter()
            .any(|p| p.starts_with("jian-education-plan/")),
        "the other document's pages are untouched: {changed:?}"
    );
}

#[test]
fn edits_outside_a_document_rebuild_everything_and_bad_edits_change_nothing() {
    let site = two_document_site();
    let root = site.path();
    let mut session = Session::start(root, &root.join("content")).unwrap();

    // The registry is shared by every document: a full rebuild.
    let registry = root.join("content/references.yaml");
    let text = std::fs::read_to_string(&registry).unwrap();
    std::fs::write(&registry, format!("{text}\n")).unwrap();
    assert_eq!(session.rebuild(&[registry]).unwrap(), Rebuilt::Full);
    assert_same_as_full_build(&session, root);

    // A document's own folder (a file saved by renaming changes it).
    let dir = root.join("content/jian-copy");
    let how = session.rebuild(&[dir]).unwrap();
    assert_eq!(how, Rebuilt::Documents(vec!["jian-copy".into()]));

    // A broken edit: an error, and the last good files stay.
    let good = session.files().clone();
    let file = root.join("content/jian-copy/c1.md");
    std::fs::write(&file, "---\nkind: [chapter\n---\n").unwrap();
    let err = session.rebuild(std::slice::from_ref(&file)).unwrap_err();
    assert!(err.to_string().contains("c1.md"), "{err}");
    assert!(session.files() == &good, "the last good site is kept");
}
