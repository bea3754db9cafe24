//! Cited documents: every citation in the seed resolves and links to its
//! page; an unknown citation fails `check` with file, line and citation.

use crate::common::*;
use gongkai::render::{self, BuildOptions};

#[test]
fn every_citation_in_the_seed_resolves() {
    let site = gongkai::content::load_site(&repo(), &repo().join("content")).unwrap();
    let places = gongkai::references::collect(&site);
    let unresolved: Vec<_> = places
        .iter()
        .filter(|p| p.citation.column.is_none() && p.citation.reference.is_none())
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:#?}");
    let cited = |id: &str| {
        places
            .iter()
            .filter(|p| p.citation.reference.as_deref() == Some(id))
            .count()
    };
    // 《…》(吉教办〔2020〕168号): the title and the number both resolve to the entry.
    assert_eq!(cited("jilin-labour-education-opinions"), 2);
    // Written without 《》 and without 教育 in the title.
    assert_eq!(cited("patriotic-education-outline"), 1);
    assert_eq!(cited("private-education-promotion-law"), 1);
    // Nested quotes inside the marks.
    assert_eq!(cited("tonghua-zhitong-cunxiao-programme"), 1);
    let (errors, warnings) = gongkai::references::diagnose(&site, &places);
    assert!(
        errors.is_empty() && warnings.is_empty(),
        "{errors:?} {warnings:?}"
    );
}

#[test]
fn citations_link_to_reference_pages_with_backlinks() {
    let dir = repo_site();
    render::build(&BuildOptions::new(dir.path())).unwrap();
    let files = read_tree(&dir.path().join("public"));
    let page = "jian-education-plan/c3-s1/index.html";
    let doc = html(&files[page]);
    let links: Vec<(String, String)> = doc
        .select(&sel("p a.cite"))
        .map(|a| (text_of(a), resolve(page, a.value().attr("href").unwrap())))
        .collect();
    assert!(links.contains(&(
        "吉教办〔2020〕168号".to_string(),
        "references/jilin-labour-education-opinions/index.html".to_string()
    )));
    assert!(links.iter().any(|(t, _)| t == "《国家学生体质健康标准》"));
    // The linked text is still the published text.
    let para = text_of(doc.select(&sel("#c3-s1-p5")).next().unwrap());
    assert!(para.contains(
        "依据《吉林省教育厅关于全面加强新时代大中小学劳动教育的实施意见》(吉教办〔2020〕168号)和"
    ));

    let r = html(&files["references/jilin-labour-education-opinions/index.html"]);
    let back: Vec<String> = r
        .select(&sel(".backlinks li > a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        back,
        ["../../jian-education-plan/c3-s1/index.html#c3-s1-p5"]
    );
    let quote = text_of(r.select(&sel(".backlinks blockquote")).next().unwrap());
    assert!(
        quote.starts_with("为充分发挥劳动综合育人功能") && quote.ends_with("职业体验教育。"),
        "{quote}"
    );

    // The index groups by level, national first, down to the county, with counts.
    let idx = html(&files["references/index.html"]);
    let groups: Vec<String> = idx.select(&sel(".ref-group h2")).map(text_of).collect();
    assert_eq!(groups, ["国家级 (11)", "省级 (4)", "市级 (5)", "县级 (6)"]);

    // The document page lists what it cites; its own number, which the
    // registry says is this document's, leads to the notice that bears it.
    let d = html(&files["jian-education-plan/index.html"]);
    assert!(d.select(&sel(".cited li")).count() >= 20);
    let own = d.select(&sel("table.meta a")).next().unwrap();
    assert_eq!(text_of(own), "集政办发〔2023〕1号");
    assert_eq!(
        resolve(
            "jian-education-plan/index.html",
            own.value().attr("href").unwrap()
        ),
        "jian-education-plan/index.html#notice"
    );
    assert!(broken_links(&files).is_empty());
}

#[test]
fn unknown_citation_fails_check_and_warns_in_build() {
    let site = fixture_site("site-minimal");
    let p = site.path().join("content/sports-plan/c1-s1.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace(
            "全县共有体育场馆12处。",
            "全县共有体育场馆12处。\n\n依据《某县全民健身条例》执行。",
        ),
    )
    .unwrap();
    // Keep the source in step so that only the citation is at issue.
    let src = site.path().join("content/sports-plan/source.txt");
    let s = std::fs::read_to_string(&src).unwrap();
    std::fs::write(
        &src,
        s.replace(
            "全县共有体育场馆12处。\n",
            "全县共有体育场馆12处。\n依据《某县全民健身条例》执行。\n",
        ),
    )
    .unwrap();
    let (ok, _, err) = gongkai(site.path(), &["check"]);
    assert!(!ok, "{err}");
    assert!(
        err.contains(
            "error: citation 《某县全民健身条例》 has no entry in content/references.yaml"
        ),
        "{err}"
    );
    assert!(err.contains("content/sports-plan/c1-s1.md:11:3"), "{err}");
    let (ok, _, err) = gongkai(site.path(), &["build"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("warning: citation 《某县全民健身条例》 has no entry"),
        "{err}"
    );
}

/// Three citations on one line, one written with brackets that Markdown
/// escapes: each is reported at its own column.
#[test]
fn citations_on_one_line_are_each_placed_at_their_column() {
    let site = fixture_site("site-minimal");
    let line = "依据《甲条例》、某教发[2024]7号和《乙办法》执行。";
    let escaped = "依据《甲条例》、某教发\\[2024\\]7号和《乙办法》执行。";
    for (file, from, to) in [
        (
            "content/sports-plan/c1-s1.md",
            "全县共有体育场馆12处。",
            format!("全县共有体育场馆12处。\n\n{escaped}"),
        ),
        (
            "content/sports-plan/source.txt",
            "全县共有体育场馆12处。\n",
            format!("全县共有体育场馆12处。\n{line}\n"),
        ),
    ] {
        edit(site.path(), file, from, &to);
    }
    let err = failure(site.path(), &["check"]);
    let places: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("--> ./content/sports-plan/c1-s1.md:11:"))
        .collect();
    assert_eq!(
        places,
        vec![
            "  --> ./content/sports-plan/c1-s1.md:11:3",
            "  --> ./content/sports-plan/c1-s1.md:11:9",
            "  --> ./content/sports-plan/c1-s1.md:11:23",
        ],
        "{err}"
    );
}

/// A reader's note on a reference page, in either language, says where a
/// title stands in words, never by line numbers of the source file, which
/// no reader sees (the seed's English notes used to: "(line 32)").
#[test]
fn reference_notes_name_no_source_lines() {
    let dir = repo_site();
    render::build(&BuildOptions::new(dir.path())).unwrap();
    let files = read_tree(&dir.path().join("public"));
    let names_a_line = |note: &str| {
        let words: Vec<&str> = note.split_whitespace().collect();
        words.windows(2).any(|w| {
            matches!(w[0].trim_start_matches('('), "line" | "lines")
                && w[1].starts_with(|c: char| c.is_ascii_digit())
        }) || note.contains('行')
            && note.split('第').skip(1).any(|t| {
                let n = t.chars().take_while(|c| c.is_ascii_digit()).count();
                n > 0 && t[n..].starts_with('行')
            })
    };
    let mut notes = 0;
    for (path, bytes) in &files {
        let is_reference = path.starts_with("references/") || path.starts_with("en/references/");
        if !is_reference || !path.ends_with("/index.html") {
            continue;
        }
        let page = html(bytes);
        for row in page.select(&sel("table.meta tr")) {
            let Some(th) = row.select(&sel("th")).next() else {
                continue;
            };
            if !matches!(text_of(th).as_str(), "说明" | "Note") {
                continue;
            }
            let note = text_of(row.select(&sel("td")).next().unwrap());
            notes += 1;
            assert!(!names_a_line(&note), "{path}: {note}");
        }
    }
    assert!(notes > 20, "only {notes} notes seen");
    assert!(names_a_line("The text (line 32) omits 教育"));
    assert!(names_a_line("见正文第32行"));
    assert!(!names_a_line("Lines of the Outline"));
}
