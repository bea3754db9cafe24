//! Reliability: the rows of the bad-input table not covered elsewhere,
//! escaping of hostile text in every output context, atomic output under
//! kill -9 and concurrent builds.

use std::process::Command;
use std::time::Duration;

use crate::common::*;
use gongkai::render::{self, BuildOptions};

#[test]
fn malformed_site_yaml() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "site.yaml",
        "theme: default",
        "theme: [default",
    );
    fails(
        site.path(),
        &["build"],
        &["invalid YAML", "site.yaml:", "hint:"],
    );
}

#[test]
fn site_yaml_typo_suggests_the_key() {
    let site = fixture_site("site-minimal");
    edit(site.path(), "site.yaml", "theme: default", "thme: default");
    fails(
        site.path(),
        &["build"],
        &[
            "unknown field `thme`",
            "site.yaml:",
            "did you mean `theme`?",
        ],
    );
}

#[test]
fn gb18030_content_file_says_how_to_convert() {
    let site = fixture_site("site-minimal");
    let p = site.path().join("content/sports-plan/c1-s1.md");
    let text = std::fs::read_to_string(&p).unwrap();
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    std::fs::write(&p, &gb).unwrap();
    fails(
        site.path(),
        &["build"],
        &[
            "c1-s1.md is not valid UTF-8",
            "c1-s1.md:5:",
            "looks like GB18030",
            "iconv -f GB18030 -t UTF-8",
        ],
    );
}

#[test]
fn invalid_utf8_content_file() {
    let site = fixture_site("site-minimal");
    std::fs::write(
        site.path().join("content/sports-plan/c1-s2.md"),
        b"---\nkind: section\n---\n\xff\xfe\x00garbage\n",
    )
    .unwrap();
    fails(
        site.path(),
        &["check"],
        &[
            "c1-s2.md is not valid UTF-8",
            "c1-s2.md:4:1",
            "must be UTF-8",
        ],
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let site = fixture_site("site-minimal");
    let p = site.path().join("content/sports-plan/c1-s1.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("\u{feff}{}", text.replace('\n', "\r\n"))).unwrap();
    let (ok, _, err) = gongkai(site.path(), &["check"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("warning: file starts with a byte-order mark (BOM); it was ignored"),
        "{err}"
    );
    assert!(err.contains("source fidelity OK"));
}

#[test]
fn an_oversized_input_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: nothing is written
    fails(
        dir.path(),
        &["import", "big.txt"],
        &[
            "big.txt is 200 MB; gongkai reads files of at most 32 MB",
            "is this the right file?",
        ],
    );
}

#[test]
fn ids_that_would_escape_the_output_are_refused() {
    for (id, why) in [
        ("../../etc", "only a–z"),
        ("/abs", "only a–z"),
        ("con", "reserved name"),
        ("a\\u0000b", "only a–z"),
    ] {
        let site = fixture_site("site-minimal");
        edit(
            site.path(),
            "content/sports-plan/c1-s1.md",
            "kind: section",
            &format!("kind: section\nid: \"{id}\""),
        );
        fails(
            site.path(),
            &["build"],
            &["cannot be used", why, "c1-s1.md:3:1"],
        );
        assert!(!site.path().join("public").exists());
    }
    let dir = tempfile::tempdir().unwrap();
    let raw = repo().join("tests/fixtures/raw/layout-a.txt");
    fails(
        dir.path(),
        &["import", raw.to_str().unwrap(), "--id", "../x"],
        &["document id `../x` cannot be used"],
    );
}

#[test]
fn a_symlink_out_of_content_is_refused() {
    let site = fixture_site("site-minimal");
    std::os::unix::fs::symlink(
        "/etc/passwd",
        site.path().join("content/sports-plan/leak.md"),
    )
    .unwrap();
    let err = fails(
        site.path(),
        &["build"],
        &[
            "symbolic link",
            "leak.md",
            "points outside the content folder",
        ],
    );
    // The linked file is never read, so none of it reaches the terminal.
    assert!(!err.contains("root:"), "{err}");
}

/// A document whose text is full of markup, quotes and line separators.
fn hostile_site() -> tempfile::TempDir {
    let site = fixture_site("site-minimal");
    let raw = "索 引 号: | X-1 |\n分 类: | 通知 |\n发文机关: | 某县<b>政府</b> |\n成文日期: | 2024年01月02日 |\n\
               标 题: | 关于</script><script>alert(\"标题\")</script>的通知\u{2028}' |\n发文字号: | 某政发〔2024〕9号 |\n发布日期: | 2024年01月03日 |\n\
               关于</script><script>alert(\"标题\")</script>的通知\u{2028}'\n某政发〔2024〕9号\n各单位:\n\
               正文<script>alert(1)</script>与\"引号\"和'单引号'及</script>和&amp;和\u{2028}分隔。\n某县<b>政府</b>\n2024年1月2日\n\
               某县\"规划\"<img src=x onerror=alert(1)>\n一、总则\n(一)第一节。\n段落</title><!-- -->`代码`*强调*[链接](javascript:alert(1))。\n";
    std::fs::write(site.path().join("hostile.txt"), raw).unwrap();
    let (ok, _, err) = gongkai(site.path(), &["import", "hostile.txt", "--id", "hostile"]);
    assert!(ok, "{err}");
    let (ok, _, err) = gongkai(site.path(), &["check"]);
    assert!(err.contains("hostile: source fidelity OK"), "{err}");
    let _ = ok;
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    site
}

#[test]
fn hostile_text_is_escaped_in_every_context() {
    let site = hostile_site();
    let files = read_tree(&site.path().join("public"));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            let doc = html(bytes);
            // full.html carries the theme's site.js inline, and only that.
            let site_js =
                std::fs::read_to_string(repo().join("themes/default/static/site.js")).unwrap();
            for s in doc.select(&sel("script")) {
                let src = s.value().attr("src").unwrap_or("");
                let ty = s.value().attr("type").unwrap_or("");
                if path.ends_with("full.html") && src.is_empty() && ty.is_empty() {
                    assert_eq!(
                        s.text().collect::<String>(),
                        site_js,
                        "{path}: the inline script is site.js"
                    );
                    continue;
                }
                assert!(
                    src.contains("static/") || ty == "application/ld+json",
                    "{path}: unexpected script element {}",
                    s.html()
                );
                if ty != "application/ld+json" {
                    assert!(
                        s.text().collect::<String>().trim().is_empty(),
                        "{path}: script body from content"
                    );
                }
            }
            assert!(
                doc.select(&sel("img, b")).next().is_none(),
                "{path}: markup from content became elements"
            );
            assert!(
                doc.select(&sel("a[href^=javascript]")).next().is_none(),
                "{path}: javascript: link"
            );
            for ld in doc.select(&sel("script[type='application/ld+json']")) {
                let json = ld.text().collect::<String>();
                assert!(
                    !json.contains('\u{2028}') && !json.contains("</"),
                    "{path}: JSON-LD not script-safe"
                );
                let v: serde_json::Value =
                    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{path}: {e}"));
                assert!(
                    v["name"].as_str().unwrap_or("").contains("</script>")
                        || v["name"].as_str().is_some()
                );
            }
        }
        if path.ends_with(".js") {
            assert!(
                !text.contains("</script"),
                "{path}: </script> in a script file"
            );
            assert!(
                !text.contains('\u{2028}'),
                "{path}: raw U+2028 in a script file"
            );
        }
        if path.ends_with(".xml") {
            assert!(!text.contains("<script"), "{path}: markup in a feed");
        }
    }
    // The text itself survives: shown literally, not executed.
    let page = html(&files["hostile/index.html"]);
    let title = text_of(page.select(&sel("title")).next().unwrap());
    assert!(
        title.contains("关于</script><script>alert(\"标题\")</script>的通知"),
        "{title}"
    );
    let notice = text_of(page.select(&sel("article.notice")).next().unwrap());
    assert!(
        notice.contains("正文<script>alert(1)</script>与\"引号\"和'单引号'"),
        "{notice}"
    );
    let meta = page
        .select(&sel("meta[name=ArticleTitle]"))
        .next()
        .unwrap()
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert!(meta.contains("</script><script>"), "{meta}");
    let feed = String::from_utf8(files["feed.xml"].clone()).unwrap();
    assert!(feed.contains("关于&lt;/script&gt;&lt;script&gt;"), "{feed}");
}

#[test]
fn raw_html_is_allowed_only_by_the_site_switch() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/en/c1-s2.md",
        "There are not enough venues.",
        "There are <em>not</em> enough venues.",
    );
    render::build(&BuildOptions::new(site.path())).unwrap();
    let page =
        html(&std::fs::read(site.path().join("public/en/sports-plan/c1-s2/index.html")).unwrap());
    assert!(page.select(&sel(".text em")).next().is_none());
    assert!(text_of(page.select(&sel(".text p")).next().unwrap()).contains("<em>not</em>"));
    edit(
        site.path(),
        "site.yaml",
        "allow_raw_html: false",
        "allow_raw_html: true",
    );
    render::build(&BuildOptions::new(site.path())).unwrap();
    let page =
        html(&std::fs::read(site.path().join("public/en/sports-plan/c1-s2/index.html")).unwrap());
    assert_eq!(
        text_of(page.select(&sel(".text em")).next().unwrap()),
        "not"
    );
}

/// A site big enough that a build takes a while: the seed document 12 times.
fn big_site() -> tempfile::TempDir {
    let site = repo_site();
    let src = site.path().join("content/jian-education-plan");
    for i in 0..12 {
        let dest = site.path().join(format!("content/copy-{i}"));
        assert!(Command::new("cp")
            .args(["-r", src.to_str().unwrap(), dest.to_str().unwrap()])
            .status()
            .unwrap()
            .success());
        renumber(&dest, i + 1);
    }
    site
}

/// A build that dies at the worst moment (every page written, the swap
/// not yet made: `GONGKAI_CRASH_BEFORE_SWAP` makes it abort there, as a
/// kill -9 or a power cut would) leaves the previous site as it was; the
/// next build finishes and clears what the dead one left.
#[test]
fn a_build_killed_midway_leaves_the_previous_site_complete() {
    let site = big_site();
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let before = read_tree(&site.path().join("public"));
    // Change the content so that a finished build would differ.
    edit(site.path(), "site.yaml", "title_en: ", "title_en: Changed ");
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(site.path())
        .arg("build")
        .env("GONGKAI_CRASH_BEFORE_SWAP", "1")
        .output()
        .unwrap()
        .status;
    assert!(!status.success());
    assert_eq!(read_tree(&site.path().join("public")), before);
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let after = read_tree(&site.path().join("public"));
    assert!(String::from_utf8_lossy(&after["en/index.html"]).contains("Changed"));
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn two_builds_at_once_do_not_corrupt_the_output() {
    let site = big_site();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .current_dir(site.path())
            .arg("build")
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let after = read_tree(&site.path().join("public"));
    // A third build, alone, makes the same site: nothing was half-written.
    render::build(&BuildOptions::new(site.path())).unwrap();
    let reference = read_tree(&site.path().join("public"));
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        reference.keys().collect::<Vec<_>>()
    );
    let differing: Vec<&String> = after
        .iter()
        .filter(|(k, v)| reference[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(
        differing.is_empty(),
        "files differ from a clean build: {differing:?}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn unchanged_files_keep_their_modification_time() {
    let site = fixture_site("site-minimal");
    render::build(&BuildOptions::new(site.path())).unwrap();
    let public = site.path().join("public");
    let mtime = |p: &str| {
        std::fs::metadata(public.join(p))
            .unwrap()
            .modified()
            .unwrap()
    };
    let (index, section) = (
        mtime("en/index.html"),
        mtime("sports-plan/c1-s1/index.html"),
    );
    std::thread::sleep(Duration::from_millis(1100));
    edit(
        site.path(),
        "content/sports-plan/en/c1-s2.md",
        "not enough venues",
        "too few venues",
    );
    render::build(&BuildOptions::new(site.path())).unwrap();
    assert_eq!(
        mtime("sports-plan/c1-s1/index.html"),
        section,
        "an unchanged page keeps its mtime"
    );
    assert_ne!(
        mtime("en/sports-plan/c1-s2/index.html"),
        index,
        "a changed page is new"
    );
    let text = std::fs::read_to_string(public.join("en/sports-plan/c1-s2/index.html")).unwrap();
    assert!(text.contains("too few venues"));
}

/// An internal error (a bug) reads as one message with a hint, never a
/// Rust panic dump or backtrace, even with RUST_BACKTRACE set.
#[test]
fn an_internal_error_prints_a_message_not_a_backtrace() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("internal-panic")
        .env("RUST_BACKTRACE", "full")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: gongkai stopped on an internal error"),
        "{err}"
    );
    assert!(err.contains("hint: please report it"), "{err}");
    for dump in [
        "panicked at",
        "stack backtrace",
        "RUST_BACKTRACE",
        "rust_begin_unwind",
    ] {
        assert!(!err.contains(dump), "{dump} in: {err}");
    }
}
