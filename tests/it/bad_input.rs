//! Bad content and themes: each gives a clear error (file, line, hint), a
//! non-zero exit, and never touches the previous build.

use crate::common::*;

#[test]
fn malformed_front_matter_yaml_names_file_and_line() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/c1-s1.md",
        "chapter: 1",
        "chapter: [1",
    );
    fails(
        site.path(),
        &["build"],
        &[
            "invalid YAML",
            "content/sports-plan/c1-s1.md:3:",
            "chapter: [1",
            "hint:",
        ],
    );
}

#[test]
fn malformed_document_yaml_names_file_and_line() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/document.yaml",
        "发文机关: ",
        "发文机关: \"",
    );
    fails(site.path(), &["check"], &["invalid YAML", "document.yaml:"]);
}

#[test]
fn missing_required_field() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/document.yaml",
        "发文机关: 某县人民政府办公室\n",
        "",
    );
    fails(
        site.path(),
        &["build"],
        &[
            "missing field `发文机关`",
            "document.yaml",
            "hint: add `发文机关:`",
        ],
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/document.yaml",
        "发文机关:",
        "发文机构:",
    );
    fails(
        site.path(),
        &["check"],
        &[
            "unknown field `发文机构`",
            "document.yaml:7:1",
            "did you mean `发文机关`?",
        ],
    );
}

#[test]
fn invalid_date_is_an_error() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/document.yaml",
        "成文日期: 2024-03-01",
        "成文日期: 2024年13月40日",
    );
    fails(
        site.path(),
        &["build"],
        &[
            "`成文日期` is not a valid date: `2024年13月40日`",
            "document.yaml:8:1",
            "hint:",
        ],
    );
}

#[test]
fn empty_number_fails_check_but_builds_as_unknown() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/document.yaml",
        "发文字号: 某政办发〔2024〕3号",
        "发文字号: ''",
    );
    fails(
        site.path(),
        &["check"],
        &[
            "required metadata `发文字号` is empty",
            "document.yaml:10:1",
        ],
    );
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("warning: required metadata `发文字号` is empty"),
        "{err}"
    );
    let page = std::fs::read(site.path().join("public/sports-plan/index.html")).unwrap();
    let page = html(&page);
    let unknown: Vec<String> = page.select(&sel("td.unknown")).map(text_of).collect();
    assert_eq!(
        unknown,
        vec!["未知"],
        "the empty 发文字号 is shown as unknown"
    );
}

#[test]
fn two_sections_with_the_same_id() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/c1-s2.md",
        "kind: section",
        "kind: section\nid: c1-s1",
    );
    // The error points at the `id:` line that made the clash.
    fails(
        site.path(),
        &["build"],
        &[
            "two sections have the id `c1-s1`",
            "c1-s2.md:3:1",
            "id: c1-s1",
        ],
    );
}

#[test]
fn template_error_names_the_template() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "themes/default/templates/box.html",
        "{{ column.title }}</h1>",
        "{{ column.titel }}</h1>",
    );
    let err = fails(
        site.path(),
        &["build"],
        &[
            "template error",
            "themes/default/templates/box.html:4:",
            "hint: check the variable's name",
        ],
    );
    // Twelve box pages in two languages use the template: one message.
    let errors = err.lines().filter(|l| l.starts_with("error:")).count();
    assert_eq!(errors, 1, "{err}");
    edit(
        site.path(),
        "themes/default/templates/box.html",
        "{% block content %}",
        "{% block content %}{% if %}",
    );
    fails(site.path(), &["build"], &["template error", "box.html:2:"]);
}

#[test]
fn missing_theme() {
    let site = fixture_site("site-minimal");
    edit(site.path(), "site.yaml", "theme: default", "theme: nosuch");
    fails(
        site.path(),
        &["build"],
        &["theme `nosuch` not found", "one of: default"],
    );
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = fixture_site("site-minimal");
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let before = read_tree(&site.path().join("public"));
    assert!(before.contains_key("sports-plan/c2-s1/index.html"));
    edit(
        site.path(),
        "content/sports-plan/c2-s1.md",
        "新建社区健身中心3处。",
        "新建社区健身中心4处。",
    );
    edit(
        site.path(),
        "themes/default/templates/section.html",
        "{{ heading.text }}{% endif %}",
        "{{ heading.nosuch }}{% endif %}",
    );
    fails(site.path(), &["build"], &["template error"]);
    assert_eq!(
        read_tree(&site.path().join("public")),
        before,
        "public/ is exactly as before"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary folders left behind");
}

#[test]
fn empty_content_file() {
    let site = fixture_site("site-minimal");
    std::fs::write(site.path().join("content/sports-plan/c1-s2.md"), "").unwrap();
    fails(site.path(), &["build"], &["file is empty", "c1-s2.md"]);
}

#[test]
fn an_empty_required_field_is_one_error_in_check_not_also_a_warning() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/document.yaml",
        "发文机关: 某县人民政府办公室",
        "发文机关: ''",
    );
    let err = fails(
        site.path(),
        &["check"],
        &["error: required metadata `发文机关` is empty"],
    );
    assert!(
        !err.contains("warning: required metadata `发文机关` is empty"),
        "{err}"
    );
}

/// Builds (or checks) the site, which must succeed; returns its warnings
/// about fields the pages show, normalized for a snapshot.
fn warnings_about_shown_fields(site: &std::path::Path, cmd: &str) -> String {
    let (ok, _, err) = gongkai(site, &[cmd]);
    assert!(ok, "{err}");
    let at = err.find("warning: this").expect("a warning");
    let end = err[at..]
        .find("= hint:")
        .map(|h| at + h + err[at + h..].find('\n').unwrap_or(0))
        .unwrap();
    normalized(&err[at..end], site)
}

#[test]
fn an_attachment_without_a_title_is_named_not_the_template() {
    // What an import that found no title line writes. The build used to
    // fail at templates/document.html:25; now the page shows no title and
    // the warning names the file to fix.
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/main.md",
        "title: 某县体育发展规划\n",
        "",
    );
    let warning = warnings_about_shown_fields(site.path(), "build");
    insta::assert_snapshot!("attachment_without_title_build", warning);
    // check also finds the title line that the content lacks, in source.txt.
    let err = failure(site.path(), &["check"]);
    insta::assert_snapshot!("attachment_without_title_check", err);
    let page = std::fs::read_to_string(site.path().join("public/sports-plan/index.html")).unwrap();
    assert!(!page.contains("<h2></h2>"), "no empty heading");
    // An English attachment needs its own.
    let site = fixture_site("site-minimal");
    let en = site.path().join("content/sports-plan/en/main.md");
    let text = std::fs::read_to_string(&en).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("title:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&en, without).unwrap();
    let warning = warnings_about_shown_fields(site.path(), "build");
    insta::assert_snapshot!("english_attachment_without_title", warning);
}

#[test]
fn a_notice_without_a_signature_is_named_not_the_template() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/notice.md",
        "signature: 某县人民政府办公室\n",
        "",
    );
    let warning = warnings_about_shown_fields(site.path(), "build");
    insta::assert_snapshot!(warning);
    let page = std::fs::read_to_string(site.path().join("public/sports-plan/index.html")).unwrap();
    assert!(!page.contains("class=\"signature\""));
}

#[test]
fn an_attachment_whose_source_has_no_title_builds_without_a_warning() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/main.md",
        "title: 某县体育发展规划",
        "title: \"\"",
    );
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok && !err.contains("warning: this attachment"), "{err}");
    let page = std::fs::read_to_string(site.path().join("public/sports-plan/index.html")).unwrap();
    assert!(!page.contains("<h2></h2>"), "an empty heading is left out");
}

/// The bad-input table, as a reader of the terminal sees it: every row's
/// whole message (file:line:column, the line, the caret, the hint), one
/// snapshot reviewed by eye. A change to any message shows in review.
#[test]
fn the_bad_input_table_as_printed() {
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    );
    let rows: &[Row] = &[
        (
            "malformed YAML in front matter",
            "content/sports-plan/c1-s1.md",
            "chapter: 1",
            "chapter: [1",
            "build",
        ),
        (
            "malformed YAML in document.yaml",
            "content/sports-plan/document.yaml",
            "发文机关: ",
            "发文机关: \"",
            "check",
        ),
        (
            "a required field missing",
            "content/sports-plan/document.yaml",
            "发文机关: 某县人民政府办公室\n",
            "",
            "build",
        ),
        (
            "an unknown key",
            "content/sports-plan/document.yaml",
            "发文机关:",
            "发文机构:",
            "check",
        ),
        (
            "an impossible date",
            "content/sports-plan/document.yaml",
            "成文日期: 2024-03-01",
            "成文日期: 2024年13月40日",
            "build",
        ),
        (
            "an empty 文号",
            "content/sports-plan/document.yaml",
            "发文字号: 某政办发〔2024〕3号",
            "发文字号: ''",
            "check",
        ),
        (
            "a theme that does not exist",
            "site.yaml",
            "theme: default",
            "theme: nosuch",
            "build",
        ),
        (
            "an unknown key in site.yaml",
            "site.yaml",
            "title:",
            "titel:",
            "build",
        ),
        (
            "an id that would leave the output",
            "content/sports-plan/c1-s1.md",
            "chapter: 1",
            "chapter: 1\nid: ../../etc",
            "build",
        ),
    ];
    let mut out = String::new();
    for (what, file, from, to, cmd) in rows {
        let site = fixture_site("site-minimal");
        edit(site.path(), file, from, to);
        out.push_str(&format!(
            "## {what} (gongkai {cmd})\n{}\n",
            failure(site.path(), &[cmd])
        ));
    }
    insta::assert_snapshot!("bad_input_table", out);
}

/// `source_url`, the original page's address, is an http(s) address or an
/// error at its line; a valid one is linked from the document page.
#[test]
fn source_url_must_be_a_web_address() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/document.yaml",
        "发布日期: 2024-03-05\n",
        "发布日期: 2024-03-05\nsource_url: javascript:alert(1)\n",
    );
    fails(
        site.path(),
        &["build"],
        &[
            "`source_url` \"javascript:alert(1)\" is not a web address",
            "content/sports-plan/document.yaml:12:",
            "hint:",
        ],
    );
    edit(
        site.path(),
        "content/sports-plan/document.yaml",
        "source_url: javascript:alert(1)",
        "source_url: https://www.example.gov.cn/zwgk/2024/0305/1.html?id=3",
    );
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let page = html(&std::fs::read(site.path().join("public/sports-plan/index.html")).unwrap());
    let a = page
        .select(&sel("table.meta td.source-url a"))
        .next()
        .expect("the original page is linked");
    assert_eq!(
        a.value().attr("href"),
        Some("https://www.example.gov.cn/zwgk/2024/0305/1.html?id=3")
    );
}
