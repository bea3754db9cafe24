//! Real pages the importer was not written on: 40 gov.cn policy pages (each
//! as the page's HTML and as a browser's copy of its text) and the
//! beginnings of twelve city, county and department pages with other
//! layouts (tests/fixtures/corpus, see their README and SOURCES).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::*;
use gongkai::import::header::Origin;
use gongkai::import::import_bytes;

fn corpus() -> PathBuf {
    repo().join("tests/fixtures/corpus")
}

/// truth.json: each page's metadata table, as the page shows it.
fn truth() -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(corpus().join("govcn/truth.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `2018年12月24日` as document.yaml writes it.
fn iso(d: &str) -> String {
    gongkai::content::docnum::Date::parse(d)
        .map(|d| d.iso())
        .unwrap_or_default()
}

#[test]
fn every_govcn_page_imports_with_its_metadata_from_html_and_from_text() {
    let truth = truth();
    assert_eq!(truth.len(), 40);
    let mut wrong = Vec::new();
    for (name, t) in &truth {
        for ext in ["html", "txt"] {
            let path = corpus().join(format!("govcn/{name}.{ext}"));
            let imp = import_bytes(&std::fs::read(&path).unwrap(), &path, "doc")
                .unwrap_or_else(|e| panic!("{name}.{ext}: {:?}", e.diagnostics()));
            let m = &imp.meta;
            let keywords: Vec<String> = t["主题词"].split_whitespace().map(String::from).collect();
            let pairs = [
                ("索引号", m.index_no.clone(), t["索引号"].clone()),
                ("分类", m.categories.join("|"), t["主题分类"].clone()),
                ("发文机关", m.issuer.clone(), t["发文机关"].clone()),
                ("成文日期", m.signed.clone(), iso(&t["成文日期"])),
                ("标题", m.title.clone(), t["标题"].clone()),
                ("发文字号", m.number.clone(), t["发文字号"].clone()),
                ("发布日期", m.published.clone(), iso(&t["发布日期"])),
                ("主题词", m.keywords.join("|"), keywords.join("|")),
            ];
            for (key, got, want) in pairs {
                if got != want {
                    wrong.push(format!("{name}.{ext} {key}: got {got:?}, want {want:?}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The 40 pages imported with the CLI from their copied text into one
/// site: `check` passes (fidelity, metadata, citations as drafts) and the
/// site builds with every link resolving. Their HTML form is the library
/// of examples/govcn-library (tests/it/library.rs imports it again); a page
/// read from its HTML and from its text is the same document: the same
/// files.
#[test]
fn the_govcn_pages_as_copied_text_import_check_and_build_as_their_html_does() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("site.yaml"),
        "title: 政策文件库\ntitle_en: Policy library\ntheme: default\n",
    )
    .unwrap();
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    std::fs::create_dir(site.path().join("content")).unwrap();
    for name in truth().keys() {
        let input = corpus().join(format!("govcn/{name}.txt"));
        let (ok, _, err) = gongkai(
            site.path(),
            &["import", input.to_str().unwrap(), "--id", name],
        );
        assert!(ok, "{name}: {err}");
        assert!(!err.contains("error:"), "{name}: {err}");
    }
    let (ok, _, err) = gongkai(site.path(), &["check"]);
    assert!(ok, "{err}");
    assert!(err.contains("check passed"), "{err}");
    for name in truth().keys() {
        assert!(
            err.contains(&format!("{name}: source fidelity OK")),
            "{name} not proven: {err}"
        );
    }
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let files = read_tree(&site.path().join("public"));
    let broken = broken_links(&files);
    assert!(
        broken.is_empty(),
        "{} broken links, e.g. {:?}",
        broken.len(),
        &broken[..broken.len().min(5)]
    );
    let example = repo().join("examples/govcn-library/content");
    for name in truth().keys() {
        let md = |d: &Path| -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .unwrap()
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            md(&example.join(name)),
            md(&site.path().join("content").join(name)),
            "{name}: the two forms give other files"
        );
    }
}

#[derive(serde::Deserialize)]
struct CountyFields {
    索引号: String,
    分类: Vec<String>,
    发文机关: String,
    成文日期: String,
    标题: String,
    发文字号: String,
    发布日期: String,
}

/// Every county page's header fields are right, or empty with the reason
/// in the import report: never another value.
#[test]
fn county_pages_give_right_fields_or_none() {
    let text = std::fs::read_to_string(corpus().join("county/expected.yaml")).unwrap();
    let expected: BTreeMap<String, CountyFields> = serde_yaml_ng::from_str(&text).unwrap();
    assert_eq!(expected.len(), 12);
    let mut wrong = Vec::new();
    for (name, e) in &expected {
        let path = corpus().join(format!("county/{name}.txt"));
        let imp = import_bytes(&std::fs::read(&path).unwrap(), &path, "doc")
            .unwrap_or_else(|err| panic!("{name}: {:?}", err.diagnostics()));
        let m = &imp.meta;
        let pairs = [
            ("索引号", m.index_no.clone(), e.索引号.clone()),
            ("分类", m.categories.join("|"), e.分类.join("|")),
            ("发文机关", m.issuer.clone(), e.发文机关.clone()),
            ("成文日期", m.signed.clone(), e.成文日期.clone()),
            ("标题", m.title.clone(), e.标题.clone()),
            ("发文字号", m.number.clone(), e.发文字号.clone()),
            ("发布日期", m.published.clone(), e.发布日期.clone()),
        ];
        for (key, got, want) in pairs {
            if got != want {
                wrong.push(format!("{name} {key}: got {got:?}, want {want:?}"));
            }
            let reported = imp.report.iter().find(|r| r.field.key() == key).unwrap();
            if want.is_empty() && !matches!(reported.origin, Origin::Empty { .. }) {
                wrong.push(format!("{name} {key}: empty without a reason"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The structure of seventeen documents of different kinds (批复, 复函,
/// notices with attachments, opinions, a 暂行办法 with 第N章 and 第N条, a
/// notice with a table), as read by eye from each page
/// (tests/fixtures/corpus/govcn/structure.json): every content file in
/// reading order, with its title or heading, the notice's 文号, 主送机关,
/// 署名, date and 附注, the articles a file holds and its tables. From the
/// page's HTML and from its text alike.
#[test]
fn seventeen_documents_have_the_structure_read_by_eye() {
    let text = std::fs::read_to_string(corpus().join("govcn/structure.json")).unwrap();
    let expected: BTreeMap<String, Vec<serde_json::Value>> = serde_json::from_str(&text).unwrap();
    assert!(expected.len() >= 10);
    let mut wrong = Vec::new();
    for (name, files) in &expected {
        for ext in ["html", "txt"] {
            let path = corpus().join(format!("govcn/{name}.{ext}"));
            let imp = import_bytes(&std::fs::read(&path).unwrap(), &path, "doc").unwrap();
            // The content files in reading order.
            let mut got: Vec<(gongkai::content::FrontMatter, String, String)> = imp
                .files
                .iter()
                .filter(|f| f.path.extension().is_some_and(|x| x == "md"))
                .map(|f| {
                    let text = String::from_utf8(f.bytes.clone()).unwrap();
                    let (yaml, body, _) =
                        gongkai::content::yaml::split_front_matter(&text, &f.path).unwrap();
                    (
                        serde_yaml_ng::from_str(yaml).unwrap(),
                        body.to_string(),
                        f.path.to_string_lossy().into_owned(),
                    )
                })
                .collect();
            got.sort_by_key(|(front, _, file)| {
                let kind = front.kind.unwrap();
                let part = match kind {
                    gongkai::content::Kind::Notice => (0, 0),
                    _ if front.in_notice => (0, 1),
                    gongkai::content::Kind::Attachment => (front.attachment.max(1), 0),
                    _ => (front.attachment.max(1), 1),
                };
                (part, front.chapter, front.section, file.clone())
            });
            let files_got: Vec<&str> = got.iter().map(|g| g.2.as_str()).collect();
            let files_want: Vec<&str> = files.iter().map(|f| f["file"].as_str().unwrap()).collect();
            if files_got != files_want {
                wrong.push(format!(
                    "{name}.{ext}: files {files_got:?}, want {files_want:?}"
                ));
                continue;
            }
            for ((front, body, file), want) in got.iter().zip(files) {
                let check = |key: &str, value: Option<&str>| {
                    let w = want.get(key).and_then(|v| v.as_str());
                    (want.get(key).is_some() && w != value)
                        .then(|| format!("{name}.{ext} {file} {key}: got {value:?}, want {w:?}"))
                };
                let fields = [
                    ("title", front.title.as_deref()),
                    ("heading", front.heading.as_deref()),
                    ("doc_number", front.doc_number.as_deref()),
                    ("addressees", front.addressees.as_deref()),
                    ("signature", front.signature.as_deref()),
                    ("date", front.date.as_deref()),
                    ("note", front.note.as_deref()),
                    ("label", front.label.as_deref()),
                ];
                wrong.extend(fields.iter().filter_map(|(k, v)| check(k, *v)));
                if let Some(arts) = want.get("articles") {
                    let numbers: Vec<u64> = gongkai::markdown::plain_blocks(body)
                        .iter()
                        .filter_map(|b| {
                            let n = match front.articles.as_deref() {
                                Some("N、") => gongkai::text::dun_number(&b.text),
                                Some(_) => gongkai::text::article_number(&b.text),
                                None => None,
                            };
                            n.map(u64::from)
                        })
                        .collect();
                    let want: Vec<u64> = arts
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| a.as_u64().unwrap())
                        .collect();
                    if numbers != want {
                        wrong.push(format!(
                            "{name}.{ext} {file} articles: got {numbers:?}, want {want:?}"
                        ));
                    }
                }
                if let Some(n) = want.get("tables").and_then(|t| t.as_u64()) {
                    let tables = gongkai::markdown::plain_blocks(body)
                        .iter()
                        .filter(|b| b.kind == gongkai::markdown::BlockKind::Table)
                        .count() as u64;
                    if tables != n {
                        wrong.push(format!(
                            "{name}.{ext} {file} tables: got {tables}, want {n}"
                        ));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
