//! Languages are data: a portal in three languages (site.yaml
//! `languages:` zh authoritative, en, ko with only some units translated)
//! builds every page in each, links each page to itself in the others, and
//! indexes every language for search.

use std::collections::BTreeSet;

use crate::common::*;
use gongkai::render::{self, BuildOptions};

fn built() -> (
    tempfile::TempDir,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let site = fixture_site("site-trilingual");
    render::build(&BuildOptions::new(site.path())).unwrap();
    let files = read_tree(&site.path().join("public"));
    (site, files)
}

#[test]
fn every_page_exists_in_every_language_and_links_to_its_twins() {
    let (_site, files) = built();
    let pages: Vec<&String> = files.keys().filter(|p| p.ends_with(".html")).collect();
    let in_lang = |prefix: &str| -> BTreeSet<String> {
        pages
            .iter()
            .filter(|p| p.as_str() != "404.html")
            .filter_map(|p| match prefix {
                "" => (!p.starts_with("en/") && !p.starts_with("ko/")).then(|| p.to_string()),
                _ => p.strip_prefix(prefix).map(str::to_owned),
            })
            .collect()
    };
    let zh = in_lang("");
    assert!(zh.len() > 10);
    assert_eq!(zh, in_lang("en/"));
    assert_eq!(zh, in_lang("ko/"));
    assert!(
        broken_links(&files).is_empty(),
        "{:?}",
        broken_links(&files)
    );
    // The language switch of each page leads to the same page in the other
    // two languages; its hreflang alternates name all three.
    for p in pages
        .iter()
        .filter(|p| p.as_str() != "404.html" && !p.ends_with("full.html"))
    {
        let doc = html(&files[p.as_str()]);
        let switch: Vec<String> = doc
            .select(&sel("a.lang-switch"))
            .map(|a| resolve(p, a.value().attr("href").unwrap()))
            .collect();
        let rest = p.trim_start_matches("en/").trim_start_matches("ko/");
        let mut want: Vec<String> = ["", "en/", "ko/"]
            .iter()
            .map(|l| format!("{l}{rest}"))
            .filter(|t| t != *p)
            .collect();
        want.sort();
        let mut got = switch.clone();
        got.sort();
        assert_eq!(got, want, "{p}");
        let tags: BTreeSet<&str> = doc
            .select(&sel("link[rel=alternate][hreflang]"))
            .map(|l| l.value().attr("hreflang").unwrap())
            .collect();
        assert_eq!(tags, BTreeSet::from(["zh-Hans", "en", "ko"]), "{p}");
    }
}

#[test]
fn a_partial_translation_shows_its_units_and_the_original_for_the_rest() {
    let (_site, files) = built();
    let page = |p: &str| html(&files[p]);
    let translated = page("ko/sports-plan/c1-s1/index.html");
    assert_eq!(translated.root_element().value().attr("lang"), Some("ko"));
    assert!(text_of(translated.select(&sel("main")).next().unwrap())
        .contains("현에는 체육 시설이 모두 12곳 있다."));
    // The translation says it is unofficial and links to the published text.
    let note = translated.select(&sel("p.unofficial a")).next().unwrap();
    assert_eq!(
        note.value().attr("href"),
        Some("../../../sports-plan/c1-s1/index.html")
    );
    assert!(
        text_of(translated.select(&sel("p.unofficial")).next().unwrap()).contains("비공식 번역")
    );
    let untranslated = page("ko/sports-plan/c1-s2/index.html");
    let main = text_of(untranslated.select(&sel("main")).next().unwrap());
    assert!(main.contains("아직 번역되지 않았습니다"), "{main}");
    assert!(main.contains("场馆数量不足。"), "{main}");
    assert_eq!(
        untranslated
            .select(&sel("div.text"))
            .next()
            .unwrap()
            .value()
            .attr("lang"),
        Some("zh-Hans")
    );
    // The parallel view in Korean pairs the Chinese with the Korean.
    let parallel = page("ko/sports-plan/parallel/c1/index.html");
    let cells: Vec<String> = parallel
        .select(&sel(".pcell[lang=ko]"))
        .map(text_of)
        .collect();
    assert!(
        cells.iter().any(|c| c.contains("현에는 체육 시설이")),
        "{cells:?}"
    );
    // Feeds and the sitemap list the Korean pages.
    assert!(files.contains_key("ko/feed.xml"));
    let sitemap = String::from_utf8(files["sitemap.xml"].clone()).unwrap();
    assert!(sitemap.contains(
        "hreflang=\"ko\" href=\"https://portal.example.gov.cn/gk/ko/sports-plan/c1-s1/index.html\""
    ));
}

#[test]
fn the_search_index_holds_every_language() {
    let site = fixture_site("site-trilingual");
    let s = gongkai::content::load_site(site.path(), &site.path().join("content")).unwrap();
    let langs = gongkai::render::Languages::from_config(&s.config);
    let theme =
        gongkai::render::theme::Theme::load(site.path(), "default", &langs.codes()).unwrap();
    let records = render::search_records(&s, &theme).unwrap();
    let by_lang = |code: &str| records.iter().filter(|r| r.lang == code).count();
    assert!(by_lang("zh") > 0 && by_lang("en") > 0);
    // Only the Korean units are indexed in Korean (not the Chinese shown
    // in their place).
    let ko: Vec<&str> = records
        .iter()
        .filter(|r| r.lang == "ko")
        .map(|r| r.text.as_str())
        .collect();
    assert!(ko.contains(&"현에는 체육 시설이 모두 12곳 있다."), "{ko:?}");
    assert!(!ko.iter().any(|t| t.contains("场馆数量不足")), "{ko:?}");
}
