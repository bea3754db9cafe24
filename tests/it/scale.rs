//! Memory that follows the size of the content, not its square: a document
//! of many sections builds in memory proportional to its length.

use std::io::Write;

use crate::common::*;

/// The site-minimal fixture with its plan replaced by one of `n` sections
/// (ten to a chapter, a box in every tenth), Chinese only.
fn long_document_site(n: usize) -> tempfile::TempDir {
    let site = fixture_site("site-minimal");
    let doc = site.path().join("content/sports-plan");
    for entry in std::fs::read_dir(&doc).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('c') && name.ends_with(".md") {
            std::fs::remove_file(&path).unwrap();
        }
    }
    std::fs::remove_dir_all(doc.join("en")).unwrap();
    for k in 1..=n.div_ceil(10) {
        std::fs::write(
            doc.join(format!("c{k}.md")),
            format!(
                "---\nkind: chapter\nchapter: {k}\nheading: 第{k}章 任务\nnumber: 第{k}章\n---\n"
            ),
        )
        .unwrap();
        for j in 1..=(n - (k - 1) * 10).min(10) {
            let mut f = std::fs::File::create(doc.join(format!("c{k}-s{j}.md"))).unwrap();
            write!(
                f,
                "---\nkind: section\nchapter: {k}\nsection: {j}\nheading: ({j})第{k}章第{j}节。\nnumber: ({j})\n"
            )
            .unwrap();
            if j == 10 {
                write!(f, "columns:\n- number: {k}\n  title: 重点项目\n  items:\n  - name: 场馆\n    text: 新建场馆{k}处。\n").unwrap();
            }
            let paragraph = "全县共有体育场馆12处，建设全民健身设施，推进体育事业发展。".repeat(8);
            write!(f, "---\n\n{paragraph}\n\n{paragraph}\n").unwrap();
        }
    }
    site
}

/// Runs `gongkai build` in `site`; returns the build's peak resident
/// memory in MiB. GNU time measures it: the rusage of a child spawned by
/// this test would count the test harness's own memory (the kernel keeps
/// the high-water mark of the image a process had before its exec), and
/// the harness holds every test's data.
#[cfg(target_os = "linux")]
fn build_peak_mib(site: &std::path::Path) -> u64 {
    let out = std::process::Command::new("/usr/bin/time")
        .current_dir(site)
        .args(["-f", "peak-kib %M", env!("CARGO_BIN_EXE_gongkai"), "build"])
        .stdout(std::process::Stdio::null())
        .output()
        .expect("GNU time (Debian package `time`), which .ci/run installs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "build failed: {err}");
    let kib: u64 = err
        .lines()
        .filter_map(|l| l.strip_prefix("peak-kib "))
        .last()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in {err}"));
    kib / 1024
}

#[cfg(target_os = "linux")]
#[test]
fn a_long_document_builds_in_memory_proportional_to_its_length() {
    // Every section page used to hold its own copy of the whole document's
    // contents, all of them at once: 600 sections took 829 MiB (debug
    // build), now about 60.
    let site = long_document_site(600);
    let peak = build_peak_mib(site.path());
    assert!(peak < 300, "600 sections took {peak} MiB");
    assert!(site
        .path()
        .join("public/sports-plan/c60-s10/index.html")
        .is_file());
}
