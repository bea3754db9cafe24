//! `gongkai bundle --verify` on hostile zips: names that would write
//! outside the folder they are unzipped into, two entries of one name,
//! symlinks and entries too large to read are refused before any checksum,
//! naming the zip and the entry. Each zip is made here with the `zip` crate,
//! with a manifest that lists its entries (so that only the names are wrong).

use std::io::Write;

use sha2::{Digest, Sha256};

use crate::common::*;

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A zip of `entries` and a `portal/MANIFEST.sha256` that lists each of them
/// (the path after `portal/`, or the whole name) with its checksum.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let manifest: String = entries
        .iter()
        .map(|(name, bytes)| {
            let path = name.strip_prefix("portal/").unwrap_or(name);
            format!("{}  {path}\n", sha(bytes))
        })
        .collect();
    zip_with_manifest(entries, &manifest)
}

fn zip_with_manifest(entries: &[(&str, &[u8])], manifest: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.start_file("portal/MANIFEST.sha256", options).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// Replaces every `from` in `bytes` by `to` (of the same length): a name
/// that the zip writer would not write twice.
fn patched(bytes: &[u8], from: &[u8], to: &[u8], only_first: bool) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut found = false;
    while i + from.len() <= out.len() {
        if &out[i..i + from.len()] == from {
            out[i..i + from.len()].copy_from_slice(to);
            found = true;
            if only_first {
                break;
            }
            i += from.len();
        } else {
            i += 1;
        }
    }
    assert!(found, "{from:?} not in the zip");
    out
}

/// Writes `zip` as `hostile.zip` in a new folder and verifies it, expecting
/// a refusal; returns the error output.
fn refused(zip: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hostile.zip"), zip).unwrap();
    failure(dir.path(), &["bundle", "--verify", "hostile.zip"])
}

const PAGE: &[u8] = b"<!doctype html><p>page</p>";

#[test]
fn a_zip_made_here_verifies() {
    // The helpers make zips that verify when their names are good, so each
    // refusal below is about its name alone.
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(&[("portal/index.html", PAGE), ("portal/en/index.html", PAGE)]);
    std::fs::write(dir.path().join("good.zip"), zip).unwrap();
    let (ok, _, err) = gongkai(dir.path(), &["bundle", "--verify", "good.zip"]);
    assert!(ok && err.contains("all 2 files match"), "{err}");
}

#[test]
fn entry_names_that_leave_the_folder_are_refused() {
    for (case, name) in [
        ("dotdot", "portal/../../evil.txt"),
        ("absolute", "/tmp/evil.txt"),
        ("backslash", "portal\\..\\..\\evil.txt"),
        ("nul", "portal/evil\0.txt"),
        ("newline", "portal/evil\n.txt"),
        ("drive", "C:/evil.txt"),
    ] {
        let err = refused(&zip_of(&[("portal/index.html", PAGE), (name, b"evil")]));
        insta::assert_snapshot!(format!("entry_{case}"), err);
    }
}

#[test]
fn two_entries_of_one_name_are_refused() {
    let zip = zip_of(&[("portal/a.html", PAGE), ("portal/b.html", b"other")]);
    let err = refused(&patched(&zip, b"portal/b.html", b"portal/a.html", false));
    insta::assert_snapshot!(err);
}

#[test]
fn a_local_header_naming_another_file_is_refused() {
    // What a streaming unzip writes is the local header's name.
    let zip = zip_of(&[("portal/aa.html", PAGE)]);
    let err = refused(&patched(&zip, b"portal/aa.html", b"../../aa.html.", true));
    insta::assert_snapshot!(err);
}

#[test]
fn a_symlink_entry_is_refused() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.add_symlink("portal/passwd", "/etc/passwd", options)
        .unwrap();
    zip.start_file("portal/MANIFEST.sha256", options).unwrap();
    zip.write_all(format!("{}  passwd\n", sha(b"/etc/passwd")).as_bytes())
        .unwrap();
    let err = refused(&zip.finish().unwrap().into_inner());
    insta::assert_snapshot!(err);
}

#[test]
fn manifest_paths_that_leave_the_folder_or_repeat_are_refused() {
    let entries: &[(&str, &[u8])] = &[("portal/index.html", PAGE)];
    let good = format!("{}  index.html\n", sha(PAGE));
    for (case, extra) in [
        ("dotdot", format!("{}  ../evil.txt\n", sha(b"evil"))),
        ("absolute", format!("{}  /etc/passwd\n", sha(b"evil"))),
        ("twice", good.clone()),
    ] {
        let err = refused(&zip_with_manifest(entries, &format!("{good}{extra}")));
        insta::assert_snapshot!(format!("manifest_{case}"), err);
    }
}

#[test]
fn an_entry_over_the_size_limit_is_refused_without_reading_it_whole() {
    // 65 MiB of zeros deflate to about 65 KB: a small zip that would fill
    // the memory of the verifier that read it whole.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    zip.start_file("portal/big.html", options).unwrap();
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..65 {
        zip.write_all(&chunk).unwrap();
    }
    zip.start_file("portal/MANIFEST.sha256", options).unwrap();
    zip.write_all(b"0  big.html\n").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    let err = refused(&bytes);
    insta::assert_snapshot!(err);
}
