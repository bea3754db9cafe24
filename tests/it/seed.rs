//! The seed document end to end: import reproduces the committed content,
//! check proves fidelity, build produces the pages a citizen reads.

use std::path::Path;

use crate::common::*;
use gongkai::render::{self, BuildOptions};

#[test]
fn import_of_the_seed_equals_the_committed_content() {
    let bytes = std::fs::read(seed()).unwrap();
    let imported =
        gongkai::import::import_bytes(&bytes, Path::new("seed.txt"), "jian-education-plan")
            .unwrap();
    let dir = repo().join("content/jian-education-plan");
    assert_eq!(
        imported.files.len(),
        28,
        "source.txt, document.yaml, notice, main, 4 chapters, 20 sections"
    );
    for f in &imported.files {
        let committed = std::fs::read(dir.join(&f.path))
            .unwrap_or_else(|_| panic!("{} not committed", f.path.display()));
        assert!(
            committed == f.bytes,
            "{} differs from a fresh import",
            f.path.display()
        );
    }
    // The committed Chinese folder holds nothing else but editorial.yaml and en/.
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            name == "editorial.yaml"
                || name == "en"
                || imported.files.iter().any(|f| f.path == Path::new(&name)),
            "unexpected file {name}"
        );
    }
}

#[test]
fn import_warns_about_the_missing_headings() {
    let bytes = std::fs::read(seed()).unwrap();
    let imported = gongkai::import::import_bytes(&bytes, Path::new("seed.txt"), "x").unwrap();
    let w: Vec<String> = imported.warnings.iter().map(|d| d.to_string()).collect();
    assert!(
        w.iter()
            .any(|m| m.contains("(二) is followed by `(八)`") && m.contains("(三)–(七)")),
        "{w:#?}"
    );
    assert!(
        w.iter().any(|m| m.contains("no heading for chapter 四、")),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|m| m.contains("(九) at line 97") && m.contains("(十二) at line 112")),
        "{w:#?}"
    );
    let meta = &imported.meta;
    assert_eq!(meta.categories, ["专项规划", "五年发展规划", "通知"]);
    assert_eq!(
        (meta.signed.as_str(), meta.published.as_str()),
        ("2023-01-10", "2023-01-12")
    );
    assert_eq!(meta.disclosure, "此件公开发布");
}

#[test]
fn check_passes_and_fails_on_a_changed_character() {
    let site = repo_site();
    let (ok, _, err) = gongkai(site.path(), &["check"]);
    assert!(ok, "{err}");
    assert!(err.contains("source fidelity OK"), "{err}");

    // One character changed in a paragraph of c2-s1.md.
    let p = site.path().join("content/jian-education-plan/c2-s1.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("立德树人根本任务", "立德树人基本任务", 1)).unwrap();
    let (ok, _, err) = gongkai(site.path(), &["check"]);
    assert!(!ok);
    assert!(
        err.contains(
            "source fidelity: content differs from source.txt (source has `根`, content has `基`)"
        ),
        "{err}"
    );
    assert!(err.contains("source.txt:39:"), "{err}");
    assert!(err.contains("c2-s1.md:"), "{err}");
}

#[test]
fn an_editorial_heading_is_not_mixed_into_the_text() {
    // Putting an editor's title into the section's heading is caught.
    let site = repo_site();
    let p = site.path().join("content/jian-education-plan/c3-s3.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replacen("number: (三)", "heading: (三)学前教育\nnumber: (三)", 1),
    )
    .unwrap();
    let (ok, _, err) = gongkai(site.path(), &["check"]);
    assert!(!ok, "{err}");
    assert!(
        err.contains("content has text the source does not") || err.contains("content has `"),
        "{err}"
    );
}

fn build_repo() -> (
    tempfile::TempDir,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let site = repo_site();
    render::build(&BuildOptions::new(site.path())).unwrap();
    let files = read_tree(&site.path().join("public"));
    (site, files)
}

#[test]
fn document_page_shows_the_metadata_table() {
    let (_site, files) = build_repo();
    let page = html(&files["jian-education-plan/index.html"]);
    let rows: Vec<(String, String)> = page
        .select(&sel("table.meta tr"))
        .map(|tr| {
            (
                text_of(tr.select(&sel("th")).next().unwrap()),
                text_of(tr.select(&sel("td")).next().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("索引号", "11220582013590556F/2023-00100"),
            ("分类", "专项规划；五年发展规划；通知"),
            ("发文机关", "集安市人民政府办公室"),
            ("成文日期", "2023年01月10日"),
            (
                "标题",
                "集安市人民政府办公室关于印发集安市“十四五”教育发展规划的通知"
            ),
            ("发文字号", "集政办发〔2023〕1号"),
            ("发布日期", "2023年01月12日"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // The dates in ISO for machines; the identifiers break after / and -.
    let times: Vec<&str> = page
        .select(&sel("table.meta time"))
        .filter_map(|t| t.value().attr("datetime"))
        .collect();
    assert_eq!(times, ["2023-01-10", "2023-01-12"]);
    let index_no = page.select(&sel("table.meta td.ident")).next().unwrap();
    assert_eq!(
        index_no.inner_html(),
        "11220582013590556F/<wbr>2023-<wbr>00100"
    );
    let notice = text_of(page.select(&sel("article.notice")).next().unwrap());
    assert!(notice.contains("边合区管委会,各乡(镇)人民政府、街道办事处,市政府各办、局:"));
    assert!(notice.contains("(此件公开发布)"));
}

#[test]
fn twelve_box_pages_with_their_items() {
    let (_site, files) = build_repo();
    let expected_titles = [
        "立德树人工程",
        "深化教育改革开放工程",
        "学前教育资源扩大工程",
        "义务教育优质均衡发展推进工程",
        "普通高中质量多样化发展工程",
        "职业教育发展工程",
        "民族教育发展推进工程",
        "特殊教育扶持发展工程",
        "民办教育发展促进工程",
        "高水平师资队伍建设工程",
        "教育信息化建设推进工程",
        "校园校车安全保障工程",
    ];
    let index = html(&files["jian-education-plan/boxes/index.html"]);
    assert_eq!(index.select(&sel(".box-list > li")).count(), 12);
    for (i, title) in expected_titles.iter().enumerate() {
        let n = i + 1;
        let page = html(&files[&format!("jian-education-plan/box-{n}/index.html")]);
        let h1 = text_of(page.select(&sel("h1")).next().unwrap());
        assert_eq!(h1, format!("专栏{n} {title}"));
        let items: Vec<String> = page.select(&sel(".box-items > li")).map(text_of).collect();
        assert!(!items.is_empty(), "box {n} has items");
        if n == 7 {
            assert_eq!(items.len(), 1);
            assert!(
                page.select(&sel(".item-name")).next().is_none(),
                "box 7's single item has no name"
            );
        }
        if n == 1 {
            let names: Vec<String> = page.select(&sel(".item-name")).map(text_of).collect();
            assert_eq!(names, ["时事新闻课项目。", "学校体育、美育提升计划。"]);
        }
        // Linked to and from its section.
        let back = page
            .select(&sel(".in-section a"))
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        let section = resolve(
            &format!("jian-education-plan/box-{n}/index.html"),
            back.split('#').next().unwrap(),
        );
        let section_page = html(&files[&section]);
        assert!(
            section_page
                .select(&sel(&format!("aside#box-{n}")))
                .next()
                .is_some(),
            "{section} shows box {n}"
        );
        let to_box = format!("jian-education-plan/box-{n}/index.html");
        assert!(
            section_page
                .select(&sel("aside a"))
                .any(|a| resolve(&section, a.value().attr("href").unwrap()) == to_box),
            "{section} links to box {n}"
        );
    }
}

#[test]
fn headings_in_order_with_editorial_ones_marked() {
    let (_site, files) = build_repo();
    let page = html(&files["jian-education-plan/index.html"]);
    let toc: Vec<String> = page
        .select(&sel(".toc > ol > li > a:not(.toc-parallel)"))
        .map(text_of)
        .collect();
    assert_eq!(
        toc,
        [
            "一、规划背景",
            "二、总体要求",
            "三、主要任务",
            "四、保障措施"
        ]
    );
    let sections: Vec<String> = page
        .select(&sel(".toc ol ol > li > a"))
        .map(text_of)
        .collect();
    assert_eq!(sections.len(), 20);
    assert_eq!(sections[0], "(一)发展基础。");
    assert_eq!(sections[7], "(三)学前教育");
    assert_eq!(sections[12], "(八)保障特殊群体教育权利。");
    let marked = page.select(&sel(".toc .ed-mark")).count();
    assert_eq!(
        marked, 10,
        "9 sections and chapter 四 carry the editor's mark"
    );
    let s = html(&files["jian-education-plan/c3-s3/index.html"]);
    assert!(s.select(&sel("h1 .editorial")).next().is_some());
    assert!(text_of(s.select(&sel(".ed-note")).next().unwrap()).contains("不属于公文原文"));
    // Every paragraph has a stable anchor.
    let c1 = html(&files["jian-education-plan/c1-s1/index.html"]);
    let ids: Vec<&str> = c1
        .select(&sel(".text p[id]"))
        .map(|p| p.value().attr("id").unwrap())
        .collect();
    assert_eq!(ids.len(), 9);
    assert_eq!(ids[0], "c1-s1-p1");
}

#[test]
fn every_relative_link_resolves() {
    let (_site, files) = build_repo();
    let broken = broken_links(&files);
    assert!(broken.is_empty(), "{broken:#?}");
    // No absolute or root-relative links: the site works from disk. (The 404
    // page is the exception: a web server shows it at any depth.)
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && *p != "404.html")
    {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(
            !text.contains("href=\"/") && !text.contains("href=/"),
            "{path} has a root-relative link"
        );
    }
}

#[test]
fn build_is_byte_identical_across_runs() {
    let (_a, one) = build_repo();
    let (_b, two) = build_repo();
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (k, v) in &one {
        assert!(v == &two[k], "{k} differs between two builds");
    }
}

/// The visible text of a page: its text nodes, less scripts, styles,
/// hidden elements and what only screen readers get, with every
/// whitespace character taken out.
fn visible_text(page: &scraper::Html) -> String {
    let mut out = String::new();
    for node in page.root_element().descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let hidden = node
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .any(|e| {
                let v = e.value();
                matches!(
                    v.name(),
                    "script" | "style" | "head" | "noscript" | "template"
                ) || v.attr("hidden").is_some()
                    || v.attr("aria-hidden") == Some("true")
                    || v.classes().any(|c| c == "visually-hidden")
            });
        if !hidden {
            out.extend(text.chars().filter(|c| !c.is_whitespace()));
        }
    }
    out
}

/// The published text, exactly, on the page: every line of source.txt's
/// body appears verbatim in the visible text of some Chinese page (only
/// the `|` and spaces of the flattened boxes left out), so presentation
/// never drifts from the authority.
#[test]
fn every_line_of_the_source_is_shown_verbatim_on_a_chinese_page() {
    let (_site, files) = build_repo();
    let pages: Vec<(String, String)> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && !p.starts_with("en/"))
        .map(|(p, b)| (p.clone(), visible_text(&html(b))))
        .collect();
    let source = repo().join("content/jian-education-plan/source.txt");
    let extract = gongkai::source::extract(&std::fs::read(&source).unwrap(), &source).unwrap();
    assert!(extract.lines.len() > 50, "the body of source.txt");
    let mut missing = Vec::new();
    for line in &extract.lines {
        let want: String = line
            .text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '|')
            .collect();
        if want.is_empty() {
            continue;
        }
        if !pages.iter().any(|(_, text)| text.contains(&want)) {
            missing.push(line.text.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} lines of source.txt appear on no Chinese page:\n{}",
        missing.len(),
        extract.lines.len(),
        missing.join("\n")
    );
}

/// One page of each kind, as an outline a reviewer can read: its title,
/// landmarks and headings (level and text). A change to what a kind of
/// page shows, or in what order, shows in review of the snapshot.
#[test]
fn one_page_of_each_kind_outlined() {
    let site = repo_site();
    render::build(&BuildOptions::new(site.path())).unwrap();
    let files = read_tree(&site.path().join("public"));
    let pages = [
        ("library (home)", "index.html"),
        ("document", "jian-education-plan/index.html"),
        ("chapter", "jian-education-plan/c3/index.html"),
        ("section", "jian-education-plan/c3-s2/index.html"),
        ("box", "jian-education-plan/box-4/index.html"),
        ("boxes index", "jian-education-plan/boxes/index.html"),
        ("parallel", "en/jian-education-plan/parallel/c1/index.html"),
        ("full", "jian-education-plan/full.html"),
        ("references index", "references/index.html"),
        (
            "reference",
            "references/china-education-modernization-2035/index.html",
        ),
        ("glossary", "glossary/index.html"),
        ("search", "search/index.html"),
        ("plain page (about)", "pages/about/index.html"),
        ("not found", "404.html"),
        ("English section", "en/jian-education-plan/c3-s2/index.html"),
    ];
    let outline_sel = sel("title, header, nav, main, aside, footer, h1, h2, h3");
    let mut out = String::new();
    for (kind, path) in pages {
        let bytes = files
            .get(path)
            .unwrap_or_else(|| panic!("{kind}: {path} not built"));
        out.push_str(&format!("## {kind}: {path}\n"));
        let doc = html(bytes);
        for el in doc.select(&outline_sel) {
            let name = el.value().name();
            let line = match name {
                "title" | "h1" | "h2" | "h3" => format!("{name} {}", text_of(el)),
                _ => {
                    let label = el
                        .value()
                        .attr("aria-label")
                        .map(|l| format!(" [{l}]"))
                        .unwrap_or_default();
                    format!("<{name}>{label}")
                }
            };
            out.push_str(&format!("  {line}\n"));
        }
    }
    insta::assert_snapshot!("one_page_of_each_kind", out);
}
