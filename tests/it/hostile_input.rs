//! Content that would be dropped without a word, or would inject code or
//! control characters into pages: each is refused (or warned about) with
//! the file and place, and the message is a reviewed snapshot.

use crate::common::*;

fn append(site: &std::path::Path, file: &str, text: &str) {
    let p = site.join(file);
    let mut s = std::fs::read_to_string(&p).unwrap();
    s.push_str(text);
    std::fs::write(p, s).unwrap();
}

#[test]
fn a_document_folder_without_document_yaml_is_an_error() {
    let site = fixture_site("site-minimal");
    std::fs::create_dir(site.path().join("content/next-notice")).unwrap();
    std::fs::write(
        site.path().join("content/next-notice/notice.md"),
        "---\nkind: notice\n---\n正文。\n",
    )
    .unwrap();
    for cmd in ["build", "check"] {
        let err = failure(site.path(), &[cmd]);
        insta::assert_snapshot!(format!("no_document_yaml_{cmd}"), err);
    }
}

#[test]
fn a_folder_named_document_yaml_is_an_error() {
    let site = fixture_site("site-minimal");
    std::fs::create_dir_all(site.path().join("content/next-notice/document.yaml")).unwrap();
    let err = failure(site.path(), &["check"]);
    insta::assert_snapshot!(err);
}

#[test]
fn a_section_cannot_take_the_place_of_a_page_the_site_makes() {
    for (file, front) in [
        ("boxes.md", ""),
        ("c9.md", "id: box-1\n"),
        ("parallel.md", ""),
        ("full.md", ""),
    ] {
        let site = fixture_site("site-minimal");
        std::fs::write(
            site.path().join("content/sports-plan").join(file),
            format!("---\nkind: section\n{front}chapter: 9\nsection: 1\n---\n\n一段。\n"),
        )
        .unwrap();
        let err = failure(site.path(), &["build"]);
        insta::assert_snapshot!(format!("reserved_{}", file.trim_end_matches(".md")), err);
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_folder_named_md_is_a_warning() {
    let site = fixture_site("site-minimal");
    std::fs::create_dir(site.path().join("content/sports-plan/c3.md")).unwrap();
    let fifo = site.path().join("content/sports-plan/c4.md");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("is not read")).collect();
    insta::assert_snapshot!(normalized(&warnings.join("\n"), site.path()));
}

#[test]
fn unsafe_link_addresses_are_refused_with_their_place() {
    for (name, md) in [
        ("javascript_link", "[点此](javascript:alert(1))"),
        ("javascript_image", "![图](javascript:alert(1))"),
        ("autolink", "见 <javascript:alert(1)>"),
        (
            "data_html",
            "[点此](data:text/html,<script>alert(1)</script>)",
        ),
        ("entity_encoded", "[点此](&#106;avascript:alert(1))"),
    ] {
        let site = fixture_site("site-minimal");
        append(
            site.path(),
            "content/sports-plan/c1-s2.md",
            &format!("\n更多：{md}\n"),
        );
        let err = failure(site.path(), &["build"]);
        insta::assert_snapshot!(format!("unsafe_{name}"), err);
    }
}

#[test]
fn safe_links_still_build() {
    let site = fixture_site("site-minimal");
    append(
        site.path(),
        "content/sports-plan/c1-s2.md",
        "\n[官网](https://www.gov.cn/) [邮件](mailto:a@b.cn) [电话](tel:0435-1234567) [本站](../../index.html)\n",
    );
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let page =
        std::fs::read_to_string(site.path().join("public/sports-plan/c1-s2/index.html")).unwrap();
    assert!(page.contains("href=\"https://www.gov.cn/\""), "{page}");
    assert!(page.contains("href=\"tel:0435-1234567\""));
}

#[test]
fn a_control_character_is_refused_with_its_place() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/c1-s1.md",
        "全县共有体育场馆12处。",
        "全县共有体育场馆\u{0}12处。",
    );
    let err = failure(site.path(), &["build"]);
    insta::assert_snapshot!("nul_in_content", err);
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "site.yaml",
        "title: 测试门户",
        "title: 测试\u{1b}[31m门户",
    );
    let err = failure(site.path(), &["check"]);
    insta::assert_snapshot!("escape_in_site_yaml", err);
    let site = fixture_site("site-minimal");
    std::fs::write(
        site.path().join("raw.txt"),
        "关于某事的通知\n正文\u{8}一段。\n",
    )
    .unwrap();
    let err = failure(site.path(), &["import", "raw.txt"]);
    insta::assert_snapshot!("backspace_in_import", err);
    assert!(!site.path().join("content/raw").exists());
}

#[test]
fn base_url_must_be_a_web_address() {
    for (name, url) in [
        ("quote", "https://x.gov.cn/\\\"><script>"),
        ("no_scheme", "www.x.gov.cn/gk/"),
        ("javascript", "javascript:alert(1)"),
        ("space", "https://x.gov.cn/a b/"),
        ("query", "https://x.gov.cn/?a=1"),
    ] {
        let site = fixture_site("site-minimal");
        edit(
            site.path(),
            "site.yaml",
            "base_url: \"\"",
            &format!("base_url: \"{url}\""),
        );
        let err = failure(site.path(), &["build"]);
        insta::assert_snapshot!(format!("base_url_{name}"), err);
    }
    for ok in [
        "https://www.ji-an.gov.cn/gk/",
        "http://127.0.0.1:8080/portal",
        "https://[::1]/",
    ] {
        let site = fixture_site("site-minimal");
        edit(
            site.path(),
            "site.yaml",
            "base_url: \"\"",
            &format!("base_url: \"{ok}\""),
        );
        let (built, _, err) = gongkai(site.path(), &["build"]);
        assert!(built, "{ok}: {err}");
    }
}

#[test]
fn a_theme_is_a_folder_name_not_a_path() {
    for (name, theme) in [("parent", "../../x"), ("absolute", "/etc")] {
        let site = fixture_site("site-minimal");
        edit(
            site.path(),
            "site.yaml",
            "theme: default",
            &format!("theme: {theme}"),
        );
        let err = failure(site.path(), &["build"]);
        insta::assert_snapshot!(format!("theme_{name}"), err);
    }
}

/// A section's front matter with `aliases` aliases of one box item.
fn aliased_columns(aliases: usize) -> String {
    let mut s = String::from(
        "---\nkind: section\nchapter: 1\nsection: 1\nheading: (一)现状。\nnumber: (一)\ncolumns:\n- number: 1\n  title: 重点项目\n  items:\n  - &item {name: 场馆建设, text: 新建场馆。}\n",
    );
    for _ in 0..aliases {
        s.push_str("  - *item\n");
    }
    s.push_str("---\n\n全县共有体育场馆12处。\n");
    s
}

#[test]
fn yaml_aliases_are_refused_where_the_first_one_stands() {
    // 200,000 aliases took 1.8 GB and 43 s to expand.
    let site = fixture_site("site-minimal");
    std::fs::write(
        site.path().join("content/sports-plan/c1-s1.md"),
        aliased_columns(200_000),
    )
    .unwrap();
    for cmd in ["build", "check"] {
        let err = failure(site.path(), &[cmd]);
        insta::assert_snapshot!(format!("yaml_alias_{cmd}"), err);
    }
}

#[test]
fn a_yaml_alias_in_site_yaml_is_refused() {
    let site = fixture_site("site-minimal");
    edit(site.path(), "site.yaml", "title:", "title: &title");
    edit(
        site.path(),
        "site.yaml",
        "title_en: Test portal",
        "title_en: *title",
    );
    let err = failure(site.path(), &["build"]);
    insta::assert_snapshot!(err);
}

#[test]
fn yaml_nested_too_deep_is_refused() {
    // 100,000 levels took time quadratic in the depth to parse.
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/c1-s1.md",
        "heading: (一)现状。",
        &format!("heading: {}", "[".repeat(100_000)),
    );
    let err = failure(site.path(), &["build"]);
    insta::assert_snapshot!(err);
}
