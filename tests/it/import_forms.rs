//! The importer on each input form it must understand, and on bad input.

use std::path::Path;

use crate::common::*;
use gongkai::content::{FrontMatter, Kind};
use gongkai::import::{import_bytes, Imported};

fn raw(name: &str) -> Vec<u8> {
    std::fs::read(repo().join("tests/fixtures/raw").join(name)).unwrap()
}

fn front(imp: &Imported, file: &str) -> (FrontMatter, String) {
    let f = imp
        .files
        .iter()
        .find(|f| f.path == Path::new(file))
        .unwrap_or_else(|| panic!("no {file}"));
    let text = String::from_utf8(f.bytes.clone()).unwrap();
    let (yaml, body, _) =
        gongkai::content::yaml::split_front_matter(&text, Path::new(file)).unwrap();
    (serde_yaml_ng::from_str(yaml).unwrap(), body.to_string())
}

fn names(imp: &Imported) -> Vec<String> {
    imp.files
        .iter()
        .map(|f| f.path.to_string_lossy().into_owned())
        .collect()
}

#[test]
fn one_field_per_row_table_with_notice_and_box() {
    let imp = import_bytes(&raw("layout-a.txt"), Path::new("a.txt"), "a").unwrap();
    assert_eq!(imp.meta.number, "某政办发〔2024〕3号");
    assert_eq!(
        imp.meta.breadcrumb,
        ["某县政府信息公开专栏", "某县人民政府办公室"]
    );
    let (notice, body) = front(&imp, "notice.md");
    assert_eq!(notice.kind, Some(Kind::Notice));
    assert_eq!(notice.addressees.as_deref(), Some("各乡镇人民政府:"));
    assert_eq!(notice.date.as_deref(), Some("2024年3月1日"));
    assert!(body.contains("请认真执行。"));
    let (main, body) = front(&imp, "main.md");
    assert_eq!(main.title.as_deref(), Some("某县体育发展规划"));
    assert!(body.contains("为推进全民健身"));
    let (s, _) = front(&imp, "c2-s1.md");
    assert_eq!(s.columns.len(), 1);
    assert_eq!(s.columns[0].items[1].name, "体育公园项目");
}

#[test]
fn two_fields_per_row_table_and_nonstandard_number() {
    let imp = import_bytes(&raw("layout-b.txt"), Path::new("b.txt"), "b").unwrap();
    assert_eq!(imp.meta.issuer, "某市教育局");
    assert_eq!(imp.meta.title, "某市教育局关于开展读书活动的通知");
    assert_eq!(imp.meta.number, "某教发[2024]7号");
    assert_eq!(imp.meta.published, "2024-05-07");
    let (notice, _) = front(&imp, "notice.md");
    assert_eq!(notice.doc_number.as_deref(), Some("某教发[2024]7号"));
    assert_eq!(notice.signature.as_deref(), Some("某市教育局"));
}

#[test]
fn key_value_lines_and_chapter_headings() {
    let imp = import_bytes(&raw("keyvalue.txt"), Path::new("k.txt"), "k").unwrap();
    assert_eq!(imp.meta.index_no, "ABC/2022-12");
    assert_eq!(imp.meta.signed, "2022-08-01");
    assert_eq!(
        names(&imp),
        [
            "source.txt",
            "document.yaml",
            "main.md",
            "c1.md",
            "c1-s1.md",
            "c1-s2.md",
            "c2.md",
            "c2-s1.md"
        ]
    );
    let (c1, _) = front(&imp, "c1.md");
    assert_eq!(c1.heading.as_deref(), Some("第一章 总则"));
    let (s, body) = front(&imp, "c1-s2.md");
    assert_eq!(s.heading.as_deref(), Some("二、适用范围"));
    // 1. / 2. are sub-headings inside the section, not lists.
    assert!(body.contains("### 1\\. 职业学校"), "{body}");
    assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
}

#[test]
fn text_without_a_table_imports_with_a_warning() {
    let imp = import_bytes(&raw("no-table.txt"), Path::new("n.txt"), "n").unwrap();
    assert!(imp
        .warnings
        .iter()
        .any(|w| w.message.contains("no metadata table")));
    assert_eq!(imp.meta.title, "某县义务教育发展规划");
    assert_eq!(imp.meta.number, "");
    let (s, _) = front(&imp, "c1-s2.md");
    assert_eq!(s.heading.as_deref(), Some("（二）均衡水平。"));
    assert_eq!(s.number.as_deref(), Some("（二）"));
}

#[test]
fn gb18030_and_crlf_input_is_decoded_and_kept_byte_for_byte() {
    let utf8 = String::from_utf8(raw("layout-a.txt"))
        .unwrap()
        .replace('\n', "\r\n");
    let (gb, _, _) = encoding_rs::GB18030.encode(&utf8);
    let imp = import_bytes(&gb, Path::new("gb.txt"), "gb").unwrap();
    assert_eq!(imp.encoding, gongkai::decode::Encoding::Gb18030);
    assert_eq!(
        imp.files[0].bytes,
        gb.to_vec(),
        "source.txt keeps the original bytes"
    );
    assert_eq!(
        imp.meta.title,
        "某县人民政府办公室关于印发某县体育发展规划的通知"
    );
    let bom: Vec<u8> = [&b"\xEF\xBB\xBF"[..], &raw("layout-a.txt")].concat();
    let imp = import_bytes(&bom, Path::new("bom.txt"), "bom").unwrap();
    assert_eq!(imp.meta.number, "某政办发〔2024〕3号");
}

#[test]
fn disagreeing_tables_are_an_error() {
    let err = import_bytes(&raw("disagree.txt"), Path::new("disagree.txt"), "d").unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("the two metadata tables disagree on 发文字号"),
        "{text}"
    );
    assert!(text.contains("disagree.txt:4"), "{text}");
}

#[test]
fn cli_reports_missing_and_empty_input() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = gongkai(dir.path(), &["import", "nope.txt"]);
    assert!(!ok);
    assert!(err.contains("error: file not found: nope.txt"), "{err}");
    let (ok, _, err) = gongkai(
        dir.path(),
        &[
            "import",
            repo()
                .join("tests/fixtures/raw/empty.txt")
                .to_str()
                .unwrap(),
        ],
    );
    assert!(!ok);
    assert!(err.contains("is empty"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert!(
        !dir.path().join("content").exists(),
        "nothing written on failure"
    );
}

#[test]
fn cli_import_then_check_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    for name in [
        "layout-a.txt",
        "layout-b.txt",
        "keyvalue.txt",
        "no-table.txt",
    ] {
        let input = repo().join("tests/fixtures/raw").join(name);
        let id = name.trim_end_matches(".txt");
        let (ok, _, err) = gongkai(dir.path(), &["import", input.to_str().unwrap(), "--id", id]);
        assert!(ok, "{name}: {err}");
    }
    // no-table has no 发文字号 etc.: check reports the missing metadata, but
    // every document's text equals its source.
    let (_, _, err) = gongkai(dir.path(), &["check"]);
    for id in ["layout-a", "layout-b", "keyvalue", "no-table"] {
        assert!(
            err.contains(&format!("{id}: source fidelity OK")),
            "{id}: {err}"
        );
    }
    assert!(
        err.contains("required metadata `发文字号` is empty"),
        "{err}"
    );
    assert!(
        err.contains("is not in the standard form"),
        "layout-b's [2024] is a warning: {err}"
    );
    // Importing the same id twice needs --force.
    let input = repo().join("tests/fixtures/raw/layout-a.txt");
    let (ok, _, err) = gongkai(
        dir.path(),
        &["import", input.to_str().unwrap(), "--id", "layout-a"],
    );
    assert!(
        !ok && err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
}

/// Pages the importer cannot read: a clear error naming the file and what
/// is missing, and nothing written.
#[test]
fn unreadable_pages_are_refused_and_nothing_is_written() {
    let site = fixture_site("site-minimal");
    let cases: [(&str, &[u8]); 5] = [
        ("no-body.html", b"<html><head><title>x</title></head><body><div class=\"nav\">\xe9\xa6\x96\xe9\xa1\xb5</div></body></html>"),
        ("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("table-only.txt", "索 引 号: | X/2024-1 |\n发文机关: | 某县人民政府 |\n".as_bytes()),
        ("binary.txt", b"abc\0def\0\x01\x02"),
    ];
    for (name, bytes) in cases {
        std::fs::write(site.path().join(name), bytes).unwrap();
        let err = failure(site.path(), &["import", name, "--id", "next"]);
        insta::assert_snapshot!(format!("unreadable_{}", name.replace('.', "_")), err);
        assert!(!site.path().join("content/next").exists(), "{name}");
    }
}

/// A page saved as HTML, from a site other than gov.cn: a metadata table of
/// label cells, the body in .TRS_Editor, a centred title over two lines,
/// a table; page furniture inside the body is left out and listed.
#[test]
fn an_html_page_of_another_site_imports_checks_and_builds() {
    let site = fixture_site("site-minimal");
    let page = repo().join("tests/fixtures/raw/other-site.html");
    let (ok, _, err) = gongkai(
        site.path(),
        &["import", page.to_str().unwrap(), "--id", "county-notice"],
    );
    assert!(ok, "{err}");
    let imp = import_bytes(&std::fs::read(&page).unwrap(), &page, "county-notice").unwrap();
    assert_eq!(imp.meta.index_no, "11220582013590556F/2024-00031");
    assert_eq!(imp.meta.issuer, "某县人民政府办公室");
    assert_eq!(
        imp.meta.title,
        "某县人民政府办公室关于印发某县校园安全管理办法的通知"
    );
    assert_eq!(imp.meta.number, "某政办发〔2024〕5号");
    assert_eq!(imp.meta.signed, "2024-03-01");
    assert_eq!(imp.meta.published, "2024-03-04");
    assert_eq!(
        imp.meta.extra.get("有效性").map(String::as_str),
        Some("有效")
    );
    let (notice, _) = front(&imp, "notice.md");
    assert_eq!(
        notice.title.as_deref(),
        Some("某县人民政府办公室关于印发某县校园安全管理办法的通知")
    );
    let (main, _) = front(&imp, "main.md");
    assert_eq!(main.label.as_deref(), Some("附件"));
    assert_eq!(main.title.as_deref(), Some("某县校园安全管理办法"));
    assert_eq!(main.articles.as_deref(), Some("第N条"));
    let (_, body) = front(&imp, "c2.md");
    assert!(body.contains("| 类别 | 责任单位 |"), "{body}");
    assert_eq!(
        imp.page_text
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>(),
        ["【字号：大 中 小】", "打印本页 关闭窗口"]
    );
    let (ok, _, err) = gongkai(site.path(), &["check"]);
    assert!(
        ok && err.contains("county-notice: source fidelity OK"),
        "{err}"
    );
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let art =
        std::fs::read_to_string(site.path().join("public/county-notice/c1/index.html")).unwrap();
    assert!(art.contains("id=\"art-2\""), "{art}");
}

/// A page saved from the browser keeps the address it declares for itself:
/// that, and only that, becomes `source_url`. A relative or non-web address
/// is no address, and a page without one gets none.
#[test]
fn source_url_is_the_address_the_page_declares() {
    let page =
        std::fs::read_to_string(repo().join("tests/fixtures/corpus/govcn/guofa-2019-5.html"))
            .unwrap();
    let with = |head: &str| page.replacen("<head>", &format!("<head>{head}"), 1);
    let url = "https://www.gov.cn/zhengce/content/2019-02/13/content_5365391.htm";
    for (page, want) in [
        (
            with(&format!("<link rel=\"canonical\" href=\"{url}\">")),
            url,
        ),
        (
            with(&format!("<meta property=\"og:url\" content=\"{url}\">")),
            url,
        ),
        (
            with("<link rel=\"canonical\" href=\"/zhengce/content_1.htm\">"),
            "",
        ),
        (
            with("<link rel=\"canonical\" href=\"javascript:alert(1)\">"),
            "",
        ),
        (page.clone(), ""),
    ] {
        assert!(page.contains("<head>"));
        let imp = import_bytes(page.as_bytes(), Path::new("p.html"), "p").unwrap();
        assert_eq!(imp.meta.source_url, want);
        let yaml = imp
            .files
            .iter()
            .find(|f| f.path == Path::new("document.yaml"))
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&yaml.bytes).contains(url),
            !want.is_empty()
        );
    }
}
