//! A portal of many documents: the library page (a row per document,
//! filters), links between the portal's own documents and their
//! backlinks, and the errors of a library (two documents of one number).
//! The real library is examples/govcn-library: the 40 gov.cn pages of
//! tests/fixtures/corpus/govcn as `gongkai import` makes them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::common::*;

fn example() -> PathBuf {
    repo().join("examples/govcn-library")
}

fn truth() -> BTreeMap<String, BTreeMap<String, String>> {
    let text =
        std::fs::read_to_string(repo().join("tests/fixtures/corpus/govcn/truth.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn iso(d: &str) -> String {
    gongkai::content::docnum::Date::parse(d)
        .map(|d| d.iso())
        .unwrap_or_default()
}

/// A temporary copy of examples/govcn-library, its themes copied in (the
/// example links to the repository's).
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(example().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    copy_dir(&example().join("content"), &dir.path().join("content"));
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

/// The example's content is what the importer makes of the pages, in the
/// order import.sh imports them (by name): nobody edited it by hand.
#[test]
fn the_govcn_library_is_what_the_importer_makes_of_its_pages() {
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(example().join("site.yaml"), site.path().join("site.yaml")).unwrap();
    copy_dir(&repo().join("themes"), &site.path().join("themes"));
    std::fs::create_dir(site.path().join("content")).unwrap();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures/corpus/govcn"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 40);
    for page in &pages {
        let id = page.file_stem().unwrap().to_str().unwrap();
        let (ok, _, err) = gongkai(site.path(), &["import", page.to_str().unwrap(), "--id", id]);
        assert!(ok, "{id}: {err}");
    }
    let fresh = read_tree(&site.path().join("content"));
    let committed = read_tree(&example().join("content"));
    let differ: Vec<&String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|k| fresh.get(*k) != committed.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "examples/govcn-library/content is not the import of its pages (run examples/govcn-library/import.sh): {differ:?}"
    );
    let (ok, _, err) = gongkai(site.path(), &["check"]);
    assert!(ok && err.contains("check passed (0 warnings)"), "{err}");
}

fn built_example() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let site = example_site();
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let files = read_tree(&site.path().join("public"));
    (site, files)
}

#[test]
fn the_library_page_has_a_row_per_document_with_its_published_metadata() {
    let (_site, files) = built_example();
    let broken = broken_links(&files);
    assert!(broken.is_empty(), "{broken:?}");
    let page = html(&files["index.html"]);
    let rows: Vec<_> = page.select(&sel("li.doc")).collect();
    let truth = truth();
    assert_eq!(rows.len(), truth.len());
    let mut seen = 0;
    let mut last_date = String::from("9999");
    for row in &rows {
        let a = row.select(&sel("a.doc-title")).next().unwrap();
        let href = a.value().attr("href").unwrap();
        let id = href.trim_end_matches("/index.html");
        let t = &truth[id];
        assert_eq!(text_of(a), t["标题"], "{id}");
        let one = |s: &str| row.select(&sel(s)).next().map(text_of).unwrap_or_default();
        assert_eq!(one(".docnum"), t["发文字号"], "{id}");
        assert_eq!(one(".issuer"), t["发文机关"], "{id}");
        let times: Vec<&str> = row
            .select(&sel("time"))
            .map(|e| e.value().attr("datetime").unwrap())
            .collect();
        assert_eq!(times, [iso(&t["成文日期"]), iso(&t["发布日期"])], "{id}");
        let d = row.value();
        assert_eq!(d.attr("data-cat"), Some(t["主题分类"].as_str()), "{id}");
        assert_eq!(d.attr("data-org"), Some(t["发文机关"].as_str()), "{id}");
        assert_eq!(
            d.attr("data-year").unwrap(),
            &iso(&t["成文日期"])[..4],
            "{id}"
        );
        // Newest first.
        let date = d.attr("data-date").unwrap().to_string();
        assert!(date <= last_date, "{id} out of order");
        last_date = date;
        seen += 1;
    }
    assert_eq!(seen, 40);
    // No row carries a contents list: the page stays small.
    assert_eq!(page.select(&sel("li.doc ol, li.doc nav")).count(), 0);
    // Each filter's choices count the documents they keep.
    let count_of = |select: &str| -> Vec<(String, usize)> {
        page.select(&sel(&format!("#{select} option")))
            .filter_map(|o| {
                let v = o.value().attr("value")?.to_string();
                let n: usize = text_of(o)
                    .rsplit('(')
                    .next()?
                    .trim_end_matches(')')
                    .parse()
                    .ok()?;
                (!v.is_empty()).then_some((v, n))
            })
            .collect()
    };
    let years = count_of("lib-year");
    assert_eq!(years.iter().map(|(_, n)| n).sum::<usize>(), 40);
    let genres = count_of("lib-genre");
    assert_eq!(genres.iter().map(|(_, n)| n).sum::<usize>(), 40);
    let genre = |g: &str| genres.iter().find(|(k, _)| k == g).map_or(0, |(_, n)| *n);
    let by_title = |w: &str| truth.values().filter(|t| t["标题"].ends_with(w)).count();
    assert_eq!(genre("批复"), by_title("批复"));
    assert_eq!(genre("通知"), by_title("通知"));
    assert!(genre("通知") > 10 && genre("意见") > 3, "{genres:?}");
    // 分类 as a tree: a top level counts every document under it.
    let cats = count_of("lib-cat");
    for (k, n) in &cats {
        let under = truth
            .values()
            .filter(|t| t["主题分类"] == *k || t["主题分类"].starts_with(&format!("{k}\\")))
            .count();
        assert_eq!(*n, under, "分类 {k}");
    }
    assert!(cats.iter().any(|(k, _)| !k.contains('\\')));
    assert!(cats.iter().any(|(k, _)| k.contains('\\')));
    // Without scripts the rows are grouped by year, each year linked.
    let groups: Vec<String> = page
        .select(&sel(".lib-year h3"))
        .map(|h| h.value().attr("id").unwrap().to_string())
        .collect();
    let nav: Vec<String> = page
        .select(&sel("#lib-years a"))
        .map(|a| {
            a.value()
                .attr("href")
                .unwrap()
                .trim_start_matches('#')
                .to_string()
        })
        .collect();
    assert_eq!(groups, nav);
    assert_eq!(groups.len(), years.len());
}

#[test]
fn a_document_of_the_library_that_cites_another_links_to_it_and_is_listed_on_its_page() {
    let (_site, files) = built_example();
    // guobanfa-1997-2 cites guobanfa-1996-2 by its title and 文号.
    let citing: Vec<(String, String)> = files
        .iter()
        .filter(|(p, _)| p.starts_with("guobanfa-1997-2/") && p.ends_with(".html"))
        .flat_map(|(p, b)| {
            html(b)
                .select(&sel("a.cite"))
                .map(|a| (resolve(p, a.value().attr("href").unwrap()), text_of(a)))
                .collect::<Vec<_>>()
        })
        .filter(|(to, _)| to.starts_with("guobanfa-1996-2/"))
        .collect();
    assert!(
        citing
            .iter()
            .any(|(to, text)| to == "guobanfa-1996-2/index.html" && text == "国办发〔1996〕2号"),
        "{citing:?}"
    );
    assert!(
        citing.iter().any(|(_, text)| text.starts_with('《')),
        "{citing:?}"
    );
    // No registry entry repeats it.
    let registry = std::fs::read_to_string(example().join("content/references.yaml")).unwrap();
    assert!(!registry.contains("国办发〔1996〕2号"));
    assert!(!files.keys().any(|p| p.starts_with("references/")
        && std::str::from_utf8(&files[p])
            .unwrap()
            .contains("<h1>《国务院办公厅转发国家地震局关于我国地震重点监视防御区")));
    // The cited document lists the citing one, with the sentence, linked
    // to the paragraph.
    let cited = html(&files["guobanfa-1996-2/index.html"]);
    let by = cited
        .select(&sel("section.cited-by"))
        .next()
        .expect("cited-by");
    let links: Vec<String> = by
        .select(&sel("a"))
        .map(|a| {
            resolve(
                "guobanfa-1996-2/index.html",
                a.value().attr("href").unwrap(),
            )
        })
        .collect();
    assert!(
        links.contains(&"guobanfa-1997-2/index.html".to_string()),
        "{links:?}"
    );
    let place = links
        .iter()
        .find(|l| l.contains('#'))
        .expect("a link to the place");
    let (page, anchor) = place.split_once('#').unwrap();
    assert!(
        html(&files[page])
            .select(&sel(&format!("[id=\"{anchor}\"]")))
            .next()
            .is_some_and(|p| text_of(p).contains("国办发〔1996〕2号")),
        "{place}"
    );
    let quote = by.select(&sel("blockquote")).next().map(text_of).unwrap();
    assert!(quote.contains("国办发〔1996〕2号"), "{quote}");
    // And the citing document lists it among the portal's documents it cites.
    let citing_page = html(&files["guobanfa-1997-2/index.html"]);
    assert!(citing_page.select(&sel("section.cited a")).any(|a| resolve(
        "guobanfa-1997-2/index.html",
        a.value().attr("href").unwrap()
    ) == "guobanfa-1996-2/index.html"));
}

#[test]
fn the_seed_s_notice_and_metadata_table_lead_to_the_plan_itself() {
    let site = repo_site();
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let files = read_tree(&site.path().join("public"));
    let page = "jian-education-plan/index.html";
    let doc = html(&files[page]);
    let notice_cite = doc
        .select(&sel("#notice a.cite"))
        .next()
        .expect("the notice cites the plan");
    assert_eq!(text_of(notice_cite), "《集安市“十四五”教育发展规划》");
    assert_eq!(
        resolve(page, notice_cite.value().attr("href").unwrap()),
        "jian-education-plan/index.html#main"
    );
    let number = doc.select(&sel("table.meta td a")).next().unwrap();
    assert_eq!(text_of(number), "集政办发〔2023〕1号");
    assert_eq!(
        resolve(page, number.value().attr("href").unwrap()),
        "jian-education-plan/index.html#notice"
    );
    assert!(!files[page]
        .windows(b"references/jian-14th-fyp-education".len())
        .any(|w| w == b"references/jian-14th-fyp-education"));
    // The registry's entries of the plan and its notice have no page of
    // their own: the index leads to the document.
    assert!(!files.contains_key("references/jian-14th-fyp-education/index.html"));
    assert!(!files.contains_key("references/jian-education-plan-notice/index.html"));
    let r = "references/index.html";
    let index = html(&files[r]);
    let plan = index
        .select(&sel("a"))
        .find(|a| text_of(*a) == "集安市“十四五”教育发展规划")
        .unwrap();
    assert_eq!(
        resolve(r, plan.value().attr("href").unwrap()),
        "jian-education-plan/index.html#main"
    );
    // The English pages too.
    let en = html(&files["en/jian-education-plan/index.html"]);
    let cite = en.select(&sel("#notice a.cite")).next().unwrap();
    assert_eq!(
        resolve(
            "en/jian-education-plan/index.html",
            cite.value().attr("href").unwrap()
        ),
        "en/jian-education-plan/index.html#main"
    );
}

/// site-minimal with guofa-2018-41 (a 暂行办法 of 第N条 articles) from the
/// library beside its plan, whose first section is made to cite an article.
fn site_with_articles(citation: &str) -> tempfile::TempDir {
    let site = fixture_site("site-minimal");
    copy_dir(
        &example().join("content/guofa-2018-41"),
        &site.path().join("content/guofa-2018-41"),
    );
    let file = site.path().join("content/sports-plan/c1-s1.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let (head, body) = text.rsplit_once("---\n").unwrap();
    std::fs::write(&file, format!("{head}---\n{citation}\n\n{body}")).unwrap();
    site
}

#[test]
fn a_citation_of_an_article_of_a_held_document_leads_to_the_article() {
    let site =
        site_with_articles("依据《个人所得税专项附加扣除暂行办法》第五条，落实子女教育支出扣除。");
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let files = read_tree(&site.path().join("public"));
    let page = "sports-plan/c1-s1/index.html";
    let parsed = html(&files[page]);
    let a = parsed
        .select(&sel("a.cite"))
        .find(|a| text_of(*a).contains("暂行办法"))
        .unwrap();
    assert_eq!(text_of(a), "《个人所得税专项附加扣除暂行办法》第五条");
    let to = resolve(page, a.value().attr("href").unwrap());
    assert_eq!(to, "guofa-2018-41/c2/index.html#art-5");
    let (target, anchor) = to.split_once('#').unwrap();
    let art = html(&files[target]);
    let p = art.select(&sel(&format!("#{anchor}"))).next().unwrap();
    assert!(text_of(p).starts_with("第五条"));
    // An article the document does not have: the link leads to the document.
    let site = site_with_articles("依据《个人所得税专项附加扣除暂行办法》第九十九条办理。");
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let files = read_tree(&site.path().join("public"));
    let parsed = html(&files[page]);
    let a = parsed
        .select(&sel("a.cite"))
        .find(|a| text_of(*a).contains("暂行办法"))
        .unwrap();
    assert_eq!(text_of(a), "《个人所得税专项附加扣除暂行办法》");
    assert_eq!(
        resolve(page, a.value().attr("href").unwrap()),
        "guofa-2018-41/index.html#main"
    );
    // The cited document lists the plan among those that cite it.
    let cited = html(&files["guofa-2018-41/index.html"]);
    assert!(cited.select(&sel("section.cited-by a")).any(|a| resolve(
        "guofa-2018-41/index.html",
        a.value().attr("href").unwrap()
    ) == "sports-plan/index.html"));
}

#[test]
fn two_documents_that_cite_each_other_both_link() {
    let site = site_with_articles("依据《个人所得税专项附加扣除暂行办法》第五条办理。");
    let file = site.path().join("content/guofa-2018-41/c1.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\n参照《某县体育发展规划》执行。\n")).unwrap();
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let files = read_tree(&site.path().join("public"));
    let links = |page: &str| -> Vec<String> {
        html(&files[page])
            .select(&sel("a.cite"))
            .map(|a| resolve(page, a.value().attr("href").unwrap()))
            .collect()
    };
    assert!(links("guofa-2018-41/c1/index.html")
        .iter()
        .any(|l| l.starts_with("sports-plan/index.html")));
    assert!(links("sports-plan/c1-s1/index.html")
        .iter()
        .any(|l| l.starts_with("guofa-2018-41/")));
    assert!(broken_links(&files).is_empty());
}

/// site-minimal with a second copy of its plan: the same 文号 and 索引号.
fn site_with_a_copy() -> tempfile::TempDir {
    let site = fixture_site("site-minimal");
    copy_dir(
        &site.path().join("content/sports-plan"),
        &site.path().join("content/sports-plan-2024"),
    );
    site
}

#[test]
fn two_documents_of_one_number_are_an_error_naming_both_unless_one_replaces_the_other() {
    let site = site_with_a_copy();
    let err = failure(site.path(), &["build"]);
    assert!(err.contains("sports-plan-2024/document.yaml"), "{err}");
    assert!(err.contains("content/sports-plan"), "{err}");
    insta::assert_snapshot!("duplicate_number", err);
    assert!(!site.path().join("public").exists());
    edit(
        site.path(),
        "content/sports-plan-2024/document.yaml",
        "公开属性:",
        "replaces: sports-plan\n公开属性:",
    );
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    edit(
        site.path(),
        "content/sports-plan-2024/document.yaml",
        "replaces: sports-plan",
        "replaces: sport-plan",
    );
    insta::assert_snapshot!("replaces_unknown", failure(site.path(), &["build"]));
}

#[test]
fn a_registry_entry_that_names_no_document_or_part_of_the_portal_is_an_error() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/references.yaml",
        "document_id: sports-plan",
        "document_id: sports-plans",
    );
    insta::assert_snapshot!("document_id_unknown", failure(site.path(), &["build"]));
    edit(
        site.path(),
        "content/references.yaml",
        "document_id: sports-plans",
        "document_id: sports-plan\n  part: appendix",
    );
    insta::assert_snapshot!("part_unknown", failure(site.path(), &["check"]));
}

#[test]
fn a_folder_of_content_without_document_yaml_is_a_clear_error() {
    let site = fixture_site("site-minimal");
    std::fs::remove_file(site.path().join("content/sports-plan/document.yaml")).unwrap();
    let err = failure(site.path(), &["build"]);
    assert!(err.contains("it has no document.yaml"), "{err}");
    insta::assert_snapshot!("document_yaml_missing", err);
}

// The library's filters and sorting are tried in Chromium, from file:// and
// over HTTP, by tests/it/browser.rs (tests/browser/library.mjs).
