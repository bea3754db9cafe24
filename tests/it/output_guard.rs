//! The output folder guard: a build replaces only a folder that is new,
//! empty or written by gongkai, and never the site, its content or theme.
//! Each test checks that the files it would have lost are still there.

use std::path::Path;

use crate::common::*;

fn built(site: &Path) {
    let (ok, _, err) = gongkai(site, &["build"]);
    assert!(ok, "{err}");
}

fn snapshot_of_tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    read_tree(dir)
}

#[test]
fn out_set_to_the_content_folder_is_refused() {
    let site = fixture_site("site-minimal");
    let before = snapshot_of_tree(&site.path().join("content"));
    let err = failure(site.path(), &["build", "--out", "content"]);
    insta::assert_snapshot!(err);
    assert_eq!(before, snapshot_of_tree(&site.path().join("content")));
}

#[test]
fn out_set_to_the_site_folder_is_refused() {
    let site = fixture_site("site-minimal");
    let err = failure(site.path(), &["build", "--out", "."]);
    insta::assert_snapshot!(err);
    assert!(site.path().join("site.yaml").is_file());
}

#[test]
fn out_holding_the_site_is_refused() {
    let outer = tempfile::tempdir().unwrap();
    let site = outer.path().join("portal");
    copy_dir(&repo().join("tests/fixtures/site-minimal"), &site);
    copy_dir(&repo().join("themes"), &site.join("themes"));
    let err = normalized(&fails(&site, &["build", "--out", ".."], &[]), outer.path());
    insta::assert_snapshot!(err);
    assert!(site.join("site.yaml").is_file());
}

#[test]
fn out_inside_the_content_or_theme_folder_is_refused() {
    let site = fixture_site("site-minimal");
    let err = failure(site.path(), &["build", "--out", "content/public"]);
    insta::assert_snapshot!("inside_content", err);
    let err = failure(site.path(), &["build", "--out", "themes/default/public"]);
    insta::assert_snapshot!("inside_theme", err);
    assert!(!site.path().join("content/public").exists());
}

#[test]
fn a_folder_of_the_users_files_is_refused() {
    let site = fixture_site("site-minimal");
    let mine = site.path().join("my-notes");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("draft.txt"), "mine").unwrap();
    let err = failure(site.path(), &["build", "--out", "my-notes"]);
    insta::assert_snapshot!(err);
    assert_eq!(std::fs::read(mine.join("draft.txt")).unwrap(), b"mine");
}

#[test]
fn an_empty_or_new_folder_is_built_into_and_marked() {
    let site = fixture_site("site-minimal");
    std::fs::create_dir(site.path().join("empty")).unwrap();
    for out in ["empty", "new/deeper"] {
        let (ok, _, err) = gongkai(site.path(), &["build", "--out", out]);
        assert!(ok, "{err}");
        let marker =
            std::fs::read_to_string(site.path().join(out).join(".gongkai-output")).unwrap();
        // The marker lists what the build put at the top of the folder.
        for name in ["index.html", "en", "static"] {
            assert!(marker.lines().any(|l| l == name), "{marker}");
        }
    }
    // A folder gongkai wrote is replaced by the next build.
    let (ok, _, err) = gongkai(site.path(), &["build", "--out", "empty"]);
    assert!(ok, "{err}");
}

#[test]
fn a_file_added_to_the_output_stops_the_next_build() {
    let site = fixture_site("site-minimal");
    built(site.path());
    std::fs::write(site.path().join("public/CNAME"), "portal.example").unwrap();
    let err = failure(site.path(), &["build"]);
    insta::assert_snapshot!(err);
    assert!(site.path().join("public/CNAME").is_file());
    assert!(site.path().join("public/index.html").is_file());
}

#[test]
fn out_that_is_a_file_is_refused_not_replaced() {
    let site = fixture_site("site-minimal");
    std::fs::write(site.path().join("public"), "a file").unwrap();
    let err = failure(site.path(), &["build"]);
    insta::assert_snapshot!(err);
    assert_eq!(
        std::fs::read(site.path().join("public")).unwrap(),
        b"a file"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_judged_by_its_target() {
    let site = fixture_site("site-minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    // A symlink to a folder of someone's files: refused, files kept.
    let theirs = elsewhere.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(&theirs, site.path().join("public")).unwrap();
    let err = normalized(&failure(site.path(), &["build"]), elsewhere.path());
    insta::assert_snapshot!("symlink_to_users_folder", err);
    assert_eq!(std::fs::read(theirs.join("keep.txt")).unwrap(), b"keep");
    // A symlink to an empty folder: the target is built, the link stays.
    std::fs::remove_file(site.path().join("public")).unwrap();
    let www = elsewhere.path().join("www");
    std::fs::create_dir(&www).unwrap();
    std::os::unix::fs::symlink(&www, site.path().join("public")).unwrap();
    built(site.path());
    built(site.path());
    assert!(std::fs::symlink_metadata(site.path().join("public"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(www.join("index.html").is_file());
    // A symlink to the content folder is refused like the folder itself.
    std::fs::remove_file(site.path().join("public")).unwrap();
    std::os::unix::fs::symlink(site.path().join("content"), site.path().join("public")).unwrap();
    let err = failure(site.path(), &["build"]);
    insta::assert_snapshot!("symlink_to_content", err);
    assert!(site
        .path()
        .join("content/sports-plan/document.yaml")
        .is_file());
}

#[cfg(unix)]
#[test]
fn a_read_only_output_fails_before_anything_is_swapped() {
    use std::os::unix::fs::PermissionsExt;
    let site = fixture_site("site-minimal");
    built(site.path());
    let public = site.path().join("public");
    let before = read_tree(&public);
    std::fs::set_permissions(&public, std::fs::Permissions::from_mode(0o555)).unwrap();
    let err = failure(site.path(), &["build"]);
    std::fs::set_permissions(&public, std::fs::Permissions::from_mode(0o755)).unwrap();
    insta::assert_snapshot!(err);
    assert_eq!(before, read_tree(&public));
    // Nothing staged is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_failed_bundle_leaves_no_temporary_file() {
    let site = fixture_site("site-minimal");
    // A folder where the zip should go: the bundle cannot take its place.
    std::fs::create_dir(site.path().join("portal.zip")).unwrap();
    let err = failure(site.path(), &["bundle"]);
    insta::assert_snapshot!(err);
    let names: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}
