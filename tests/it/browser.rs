//! Real-browser tests (Debian chromium, driven by playwright-core from
//! tests/browser/): each builds the site and runs one node script on it.
//! On a machine without chromium or the node packages they are skipped with
//! a notice, except in CI, where .ci/run installs both and a skip fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use gongkai::render::{self, BuildOptions};

fn ready() -> bool {
    let chromium = Path::new("/usr/bin/chromium").exists();
    let packages = repo()
        .join("tests/browser/node_modules/playwright-core")
        .is_dir();
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if chromium && packages && node {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must provide chromium, node and tests/browser/node_modules (see .ci/run)"
    );
    eprintln!("skipped: needs /usr/bin/chromium, node and `npm ci --prefix tests/browser`");
    false
}

/// One browser at a time: the scripts measure timings that a second
/// Chromium on a 2-core machine would distort.
static BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn run(script: &str, dir: &Path) {
    run_with(script, dir, &[], &[]);
}

/// Runs a browser script on `dir` with more arguments and environment.
fn run_with(script: &str, dir: &Path, args: &[&str], env: &[(&str, String)]) {
    let _one_at_a_time = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .arg(dir)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(repo())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
}

fn built_repo_site() -> (tempfile::TempDir, PathBuf) {
    let site = repo_site();
    render::build(&BuildOptions::new(site.path())).unwrap();
    let public = site.path().join("public");
    (site, public)
}

#[test]
fn search_works_from_file_and_http() {
    if !ready() {
        return;
    }
    let (_site, public) = built_repo_site();
    let queries = serde_json::to_string(crate::search::VISIBLE_QUERIES).unwrap();
    run_with(
        "search.mjs",
        &public,
        &[],
        &[("GONGKAI_VISIBLE_QUERIES", queries)],
    );
}

#[test]
fn every_page_type_passes_axe_and_the_nu_checker_in_every_mode() {
    if !ready() {
        return;
    }
    let (_site, public) = built_repo_site();
    run("a11y.mjs", &public);
}

#[test]
fn the_unzipped_bundle_works_from_disk() {
    if !ready() {
        return;
    }
    let site = repo_site();
    let (ok, _, err) = gongkai(site.path(), &["bundle", "--out", "portal.zip"]);
    assert!(ok, "{err}");
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("unzip")
        .args(["-q", site.path().join("portal.zip").to_str().unwrap(), "-d"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    run("bundle.mjs", &dir.path().join("portal"));
}

/// The gov.cn library, in Chinese and English (its English pages show the
/// published text), filtered and sorted in Chromium from disk and over HTTP.
#[test]
fn the_library_filters_and_sorts_from_file_and_http() {
    if !ready() {
        return;
    }
    let site = crate::library::example_site();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let (head, _languages) = yaml.split_once("languages:").unwrap();
    std::fs::write(site.path().join("site.yaml"), head).unwrap();
    render::build(&BuildOptions::new(site.path())).unwrap();
    run("library.mjs", &site.path().join("public"));
}

/// Reading on a phone: on every page type, both languages, every reading
/// mode, at 320, 375 and 1280 px, the body's first text within the first
/// screen (the tops are printed); the header's one button for the reading
/// aids; breadcrumbs, the metadata table and box items. Screenshots go to
/// $GONGKAI_SHOTS when it is set.
#[test]
fn the_first_screen_holds_the_text_on_every_page_type() {
    if !ready() {
        return;
    }
    let (_site, public) = built_repo_site();
    match std::env::var("GONGKAI_SHOTS") {
        Ok(dir) if !dir.is_empty() => run_with("reading.mjs", &public, &["--shots", &dir], &[]),
        _ => run("reading.mjs", &public),
    }
}
