//! The English translation: checks that catch a dropped number, citation or
//! term, a missing file or paragraph; exceptions; pages in both languages.

use crate::common::*;
use gongkai::render::{self, BuildOptions};

fn check(site: &std::path::Path) -> (bool, String) {
    let (ok, _, err) = gongkai(site, &["check"]);
    (ok, err)
}

#[test]
fn the_seed_translation_passes_every_check() {
    let (ok, err) = check(&repo());
    assert!(ok, "{err}");
    assert!(
        err.contains("ok: translation: 116 paragraphs and box items checked"),
        "{err}"
    );
    // One declared exception: 普及性体育运动 is mass sport, not the
    // universalizing of a level of education.
    assert!(err.contains("1 exceptions"), "{err}");
}

/// The findings of the professional review of the English stay fixed: the
/// renderings it corrected do not come back (the glossary proves the
/// consistent ones wherever their Chinese occurs; these are the wrong ones).
#[test]
fn the_reviewed_english_does_not_regress() {
    let dir = repo().join("content/jian-education-plan/en");
    let mut all = String::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        all.push_str(&std::fs::read_to_string(e.path()).unwrap());
    }
    for wrong in [
        "schools for intellectual education",
        "senior high school education",
        "public funds",
        "backbone teacher",
        "famous teacher",
        "renowned teacher",
        "only-increase-never-decrease",
        "Development Foundation",
        "Situation Faced",
        "Ji'an City People's Government",
        "fulfil ",
    ] {
        assert!(!all.contains(wrong), "`{wrong}` is back in the English");
    }
    // Box 4's second item has no name in the Chinese, nor in the English.
    let c3s4 = std::fs::read_to_string(dir.join("c3-s4.md")).unwrap();
    let front: gongkai::content::FrontMatter = serde_yaml_ng::from_str(
        gongkai::content::yaml::split_front_matter(&c3s4, &dir.join("c3-s4.md"))
            .unwrap()
            .0,
    )
    .unwrap();
    let box4 = front.columns.iter().find(|c| c.number == 4).unwrap();
    assert_eq!(box4.items[1].name, "");
    assert!(
        box4.items[1].text.starts_with("Continue the"),
        "{}",
        box4.items[1].text
    );
}

#[test]
fn a_dropped_number_is_an_error_and_an_exception_waives_it() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/en/c1-s1.md",
        "has 12 sports venues",
        "has a dozen sports venues",
    );
    let (ok, err) = check(site.path());
    assert!(!ok);
    assert!(
        err.contains("paragraph 1: the number 12 of the Chinese is missing from the English"),
        "{err}"
    );
    assert!(err.contains("content/sports-plan/en/c1-s1.md:9:1"), "{err}");
    edit(
        site.path(),
        "content/sports-plan/en/c1-s1.md",
        "number: (1)\n",
        "number: (1)\nexceptions:\n- paragraph: '1'\n  check: number\n  value: '12'\n  reason: a dozen is exactly twelve\n",
    );
    let (ok, err) = check(site.path());
    assert!(ok, "{err}");
    assert!(err.contains("1 exceptions"), "{err}");
}

#[test]
fn amounts_in_wan_and_yi_are_converted() {
    let site = fixture_site("site-minimal");
    // 3处 → 3; an amount written as 1.5万 must appear as 15,000 or 0.015 million.
    edit(
        site.path(),
        "content/sports-plan/c1-s2.md",
        "场馆数量不足。",
        "场馆数量不足,缺口1.5万平方米。",
    );
    edit(
        site.path(),
        "content/sports-plan/source.txt",
        "场馆数量不足。",
        "场馆数量不足,缺口1.5万平方米。",
    );
    edit(
        site.path(),
        "content/sports-plan/en/c1-s2.md",
        "not enough venues.",
        "not enough venues, a shortfall of 15 square metres.",
    );
    let (ok, err) = check(site.path());
    assert!(
        !ok && err.contains("the number 1.5万 of the Chinese is missing"),
        "{err}"
    );
    edit(
        site.path(),
        "content/sports-plan/en/c1-s2.md",
        "of 15 square",
        "of 15,000 square",
    );
    let (ok, err) = check(site.path());
    assert!(ok, "{err}");
}

#[test]
fn a_dropped_citation_or_glossary_term_is_an_error() {
    let site = fixture_site("site-minimal");
    edit(
        site.path(),
        "content/sports-plan/en/notice.md",
        "The *Sports Development Plan of the County* has",
        "The plan has",
    );
    edit(
        site.path(),
        "content/sports-plan/en/c2-s1.md",
        "---\n\nBuild 3 new community fitness centres.\n",
        "---\n\nBuild 3 new fitness halls.\n",
    );
    let (ok, err) = check(site.path());
    assert!(!ok);
    assert!(
        err.contains("paragraph 1: the Chinese cites `sports-plan-text` but the English does not"),
        "{err}"
    );
    assert!(
        err.contains("glossary term 社区健身中心 should appear as \"community fitness centre\""),
        "{err}"
    );
}

#[test]
fn missing_files_and_paragraphs_are_errors() {
    let site = fixture_site("site-minimal");
    std::fs::remove_file(site.path().join("content/sports-plan/en/c1-s2.md")).unwrap();
    edit(
        site.path(),
        "content/sports-plan/en/main.md",
        "fitness for all.",
        "fitness for all.\n\nAn extra paragraph.",
    );
    std::fs::write(
        site.path().join("content/sports-plan/en/c9.md"),
        "---\nkind: chapter\nchapter: 9\n---\n",
    )
    .unwrap();
    let (ok, err) = check(site.path());
    assert!(!ok);
    assert!(err.contains("c1-s2.md has no English counterpart"), "{err}");
    assert!(
        err.contains("en/main.md has 2 paragraphs but its Chinese counterpart has 1"),
        "{err}"
    );
    assert!(err.contains("en/c9.md has no Chinese counterpart"), "{err}");
}

#[test]
fn an_untranslated_page_falls_back_visibly() {
    let site = fixture_site("site-minimal");
    std::fs::remove_file(site.path().join("content/sports-plan/en/c1-s2.md")).unwrap();
    render::build(&BuildOptions::new(site.path())).unwrap();
    let page = std::fs::read_to_string(site.path().join("public/en/sports-plan/c1-s2/index.html"))
        .unwrap();
    let doc = html(page.as_bytes());
    let note = text_of(doc.select(&sel(".untranslated")).next().unwrap());
    assert!(note.contains("has not been translated yet"), "{note}");
    assert!(
        doc.select(&sel(".text[lang=zh-Hans]")).next().is_some(),
        "the Chinese shown is marked as Chinese"
    );
    assert!(page.contains("场馆数量不足。"));
}

#[test]
fn english_pages_are_labelled_and_switch_to_the_same_place() {
    let dir = repo_site();
    render::build(&BuildOptions::new(dir.path())).unwrap();
    let files = read_tree(&dir.path().join("public"));
    let mut english = 0;
    // Every page but the two that stand alone: the 404 page (bilingual
    // itself) and the self-contained single-file document.
    let pages = files.iter().filter(|(p, _)| p.ends_with("index.html"));
    for (path, bytes) in pages {
        let doc = html(bytes);
        let lang = doc
            .select(&sel("html"))
            .next()
            .unwrap()
            .value()
            .attr("lang")
            .unwrap()
            .to_string();
        let switch = doc
            .select(&sel("a.lang-switch"))
            .next()
            .unwrap_or_else(|| panic!("{path} has no language switch"));
        let target = resolve(path, switch.value().attr("href").unwrap());
        if path.starts_with("en/") {
            english += 1;
            assert_eq!(lang, "en", "{path}");
            assert_eq!(
                target,
                path.trim_start_matches("en/"),
                "{path} switches to the same page"
            );
            let note = doc
                .select(&sel("main > .unofficial"))
                .next()
                .unwrap_or_else(|| panic!("{path} lacks the unofficial label"));
            assert!(text_of(note).contains("unofficial translation"));
            let zh = note.select(&sel("a")).next().unwrap();
            assert_eq!(resolve(path, zh.value().attr("href").unwrap()), target);
            assert_eq!(zh.value().attr("hreflang"), Some("zh-Hans"));
        } else {
            assert_eq!(lang, "zh-Hans", "{path}");
            assert_eq!(target, format!("en/{path}"), "{path}");
            assert_eq!(switch.value().attr("lang"), Some("en"));
        }
        let alternates = doc.select(&sel("link[rel=alternate][hreflang]")).count();
        assert_eq!(alternates, 2, "{path} has an hreflang pair");
    }
    assert!(english > 60, "{english} English pages");
    // Same anchors in both languages, so a #paragraph survives the switch.
    for p in [
        "jian-education-plan/c3-s1/index.html",
        "jian-education-plan/c4-s3/index.html",
    ] {
        let ids = |path: &str| -> Vec<String> {
            html(&files[path])
                .select(&sel(".text [id]"))
                .map(|e| e.value().attr("id").unwrap().to_string())
                .collect()
        };
        assert_eq!(ids(p), ids(&format!("en/{p}")));
    }
}

#[test]
fn parallel_view_aligns_every_paragraph_of_every_chapter() {
    let dir = repo_site();
    render::build(&BuildOptions::new(dir.path())).unwrap();
    let files = read_tree(&dir.path().join("public"));
    for ch in ["c1", "c2", "c3", "c4"] {
        let page = html(&files[&format!("jian-education-plan/parallel/{ch}/index.html")]);
        let rows: Vec<_> = page.select(&sel(".prow[id]")).collect();
        assert!(!rows.is_empty());
        for row in rows {
            let cells: Vec<_> = row.select(&sel(".pcell")).collect();
            assert_eq!(cells.len(), 2);
            assert_eq!(cells[0].value().attr("lang"), Some("zh-Hans"));
            assert_eq!(cells[1].value().attr("lang"), Some("en"));
            assert!(
                !text_of(cells[1]).is_empty(),
                "row {} has English",
                row.value().attr("id").unwrap()
            );
        }
    }
    let c3 = html(&files["jian-education-plan/parallel/c3/index.html"]);
    assert_eq!(
        c3.select(&sel(".prow .box")).count(),
        24,
        "12 boxes, both languages"
    );
    assert!(files.contains_key("en/jian-education-plan/parallel/c3/index.html"));
    let g = html(&files["glossary/index.html"]);
    assert!(g.select(&sel("table.glossary tbody tr")).count() >= 30);
}

/// On English pages every piece of Chinese text (a cited 文号, a name kept
/// in Chinese, a quoted sentence) sits inside an element marked as Chinese,
/// so that screen readers switch voice (WCAG 3.1.2).
#[test]
fn chinese_inside_english_pages_is_marked_as_chinese() {
    let site = repo_site();
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    let public = site.path().join("public");
    let mut checked = 0;
    let mut marked_spans = 0;
    for (path, bytes) in read_tree(&public) {
        if !path.starts_with("en/") || !path.ends_with(".html") {
            continue;
        }
        let doc = html(&bytes);
        marked_spans += doc.select(&sel("main span[lang=zh-Hans]")).count();
        for main in doc.select(&sel("main")) {
            for node in main.descendants() {
                let Some(text) = node.value().as_text() else {
                    continue;
                };
                if !text.chars().any(gongkai::markdown::is_cjk) {
                    continue;
                }
                checked += 1;
                let lang = node
                    .ancestors()
                    .filter_map(scraper::ElementRef::wrap)
                    .find_map(|e| e.value().attr("lang"))
                    .unwrap_or("");
                assert!(
                    lang.starts_with("zh"),
                    "{path}: Chinese text {:?} is inside lang={lang:?}",
                    &text[..text.len().min(60)]
                );
            }
        }
    }
    assert!(checked > 100, "{checked} Chinese texts checked");
    // The 文号 cited in the English plan are marked by the renderer itself.
    assert!(marked_spans > 20, "{marked_spans} spans");
}
