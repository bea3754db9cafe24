//! Search: the index answers exactly what a plain scan of the paragraphs
//! answers (recall 1.0, precision 1.0), in Rust and, under node, in JS.
//!
//! The oracle below does not use the index. For a term with a Han character
//! it is a plain substring test on the NFKC-folded, lower-cased paragraph.
//! For words it uses its own (naive) tokenizer: a word is a run of letters
//! and digits, one of `. + ' ’ &` between two of them does not break it;
//! query words match words with the same S-stem; the query's last word,
//! while typed (no space after it), also matches every word it begins;
//! `"a b"` and `high-quality` match consecutive words (Han characters count
//! as words there, punctuation does not).

use gongkai::search::query::{Index, Scope};
use gongkai::search::text::{fold, stem};
use gongkai::search::{build_index, Record};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ZH_QUERIES: &[&str] = &[
    "双减",
    "学前教育",
    "集安",
    "教育发",
    "93.38",
    "2025",
    "1+X",
    "１＋Ｘ",
    "“1+X”证书",
    "义务教育",
    "职业教育",
    "高中",
    "教师",
    "乡村",
    "十四五",
    "信息化",
    "课后服务",
    "普惠",
    "鸭绿江",
    "特殊教育",
    "立德树人",
    "学",
    "年",
    "教育 发展",
    "学校 安全",
    "二〇三五",
    "集安市",
    "教育现代化",
    "%",
    "《吉林省",
    "\"教育 发展\"",
    // Chinese with digits and punctuation: decided by the joints' positions.
    "“十四五”",
    "“十四五”教育",
    "十四五”",
    "2025年",
    "5年",
    "100%",
    "95%以上",
    "集政办发〔2023〕1号",
    "〔2023〕",
    "年9",
    "“双减”",
    "，加快",
    "。“",
    "\"教育 ，\"",
];

const EN_QUERIES: &[&str] = &[
    "vocational",
    "\"double reduction\"",
    "double reduction",
    "kindergart",
    "kindergartens ",
    "schools",
    "school ",
    "studies",
    "teacher training",
    "high-quality",
    "Ji'an",
    "jian",
    "1+x",
    "2025",
    "93.38",
    "rural teachers",
    "children's",
    "Education Development Plan",
    "\"education development",
    "digit",
    "14th",
    "informatization",
    "VOCATIONAL EDUCATION",
    "the",
    "x",
    "y",
];

fn seed() -> (Vec<Record>, Vec<(String, Vec<u8>)>) {
    let root = crate::common::repo();
    let site = gongkai::content::load_site(&root, &root.join("content")).unwrap();
    let theme = gongkai::render::theme::Theme::load(&root, "default", &["zh", "en"]).unwrap();
    let records = gongkai::render::search_records(&site, &theme).unwrap();
    let files = gongkai::render::render_site(&site, &theme, false).unwrap();
    (records, files)
}

/// Records in index order: Chinese first, then English.
fn ordered(records: &[Record]) -> Vec<&Record> {
    let mut v: Vec<&Record> = records.iter().filter(|r| r.lang == "zh").collect();
    v.extend(records.iter().filter(|r| r.lang != "zh"));
    v
}

// ---------- the oracle ----------

fn is_han(c: char) -> bool {
    gongkai::search::text::is_han(c)
}

/// Words and Han characters, written independently of the library's.
fn oracle_items(s: &str) -> Vec<String> {
    let c: Vec<char> = s.chars().collect();
    let word = |i: usize| {
        i < c.len()
            && !is_han(c[i])
            && (c[i].is_alphanumeric() || unicode_normalization::char::is_combining_mark(c[i]))
    };
    let mut out = Vec::new();
    let mut cur = String::new();
    for i in 0..c.len() {
        if word(i) {
            cur.push(c[i]);
            continue;
        }
        let joins = "+.'’&".contains(c[i]) && i > 0 && word(i - 1) && word(i + 1);
        if joins {
            cur.push(c[i]);
            continue;
        }
        if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if is_han(c[i]) {
            out.push(c[i].to_string());
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn oracle_words(s: &str) -> Vec<String> {
    oracle_items(s)
        .into_iter()
        .filter(|w| !w.chars().any(is_han))
        .collect()
}

enum OTerm {
    Sub(String),
    Word(String, bool),
    Phrase(Vec<String>, bool),
}

fn oracle_terms(q: &str) -> Vec<OTerm> {
    let q = fold(q);
    let open_end = !q.ends_with(char::is_whitespace);
    let mut chunks = Vec::new();
    let mut rest = q.as_str();
    while !rest.is_empty() {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix('"') {
            match r.find('"') {
                Some(e) => {
                    chunks.push((r[..e].trim().to_string(), true, true));
                    rest = &r[e + 1..];
                }
                None => {
                    chunks.push((r.trim().to_string(), true, false));
                    rest = "";
                }
            }
        } else if !rest.is_empty() {
            let e = rest
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(rest.len());
            chunks.push((rest[..e].to_string(), false, false));
            rest = &rest[e..];
        }
    }
    let n = chunks.len();
    let mut out = Vec::new();
    for (i, (chunk, quoted, closed)) in chunks.into_iter().enumerate() {
        if chunk.chars().any(is_han) {
            out.push(OTerm::Sub(chunk));
            continue;
        }
        let items = oracle_items(&chunk);
        if items.is_empty() {
            continue;
        }
        let ends_in_word = chunk.ends_with(items.last().unwrap().as_str());
        let prefix = i + 1 == n && open_end && !closed && ends_in_word;
        if items.len() == 1 && !quoted {
            out.push(OTerm::Word(items[0].clone(), prefix));
        } else {
            out.push(OTerm::Phrase(items, prefix));
        }
    }
    out
}

fn oracle_match(terms: &[OTerm], r: &Record) -> bool {
    let text = fold(&r.text);
    let words = oracle_words(&text);
    let items = oracle_items(&text);
    !terms.is_empty()
        && terms.iter().all(|t| match t {
            OTerm::Sub(s) => text.contains(s.as_str()),
            OTerm::Word(w, prefix) => words
                .iter()
                .any(|x| stem(x) == stem(w) || (*prefix && x.starts_with(w.as_str()))),
            OTerm::Phrase(ws, prefix) => items.windows(ws.len()).any(|win| {
                win.iter().zip(ws).enumerate().all(|(j, (x, w))| {
                    if *prefix && j + 1 == ws.len() {
                        x.starts_with(w.as_str())
                    } else {
                        x == w
                    }
                })
            }),
        })
}

fn in_scope(r: &Record, scope: Scope) -> bool {
    match scope {
        Scope::All => true,
        Scope::Zh => r.lang == "zh",
        Scope::En => r.lang == "en",
    }
}

/// Checks every query in every scope against the oracle; returns
/// (queries, total results).
fn check_against_oracle(records: &[Record], index: &Index, queries: &[&str]) -> (usize, usize) {
    let recs = ordered(records);
    assert_eq!(index.n, recs.len());
    let mut total = 0;
    for q in queries {
        let terms = oracle_terms(q);
        for scope in [Scope::Zh, Scope::En, Scope::All] {
            let expected: BTreeSet<u32> = recs
                .iter()
                .enumerate()
                .filter(|(_, r)| in_scope(r, scope) && oracle_match(&terms, r))
                .map(|(i, _)| i as u32)
                .collect();
            let out = index.search(q, scope);
            let got: BTreeSet<u32> = out.hits.iter().map(|h| h.0).collect();
            assert_eq!(got.len(), out.hits.len(), "{q:?}: duplicate results");
            let missed: Vec<&str> = expected
                .difference(&got)
                .map(|&i| recs[i as usize].url.as_str())
                .collect();
            let wrong: Vec<&str> = got
                .difference(&expected)
                .map(|&i| recs[i as usize].url.as_str())
                .collect();
            assert!(
                missed.is_empty() && wrong.is_empty(),
                "{q:?} in {scope:?}: recall misses {missed:?}, precision fails on {wrong:?}"
            );
            if scope == Scope::All {
                let zh = expected.iter().filter(|&&i| recs[i as usize].lang == "zh");
                assert_eq!(out.zh, zh.count(), "{q:?}: Chinese count");
                assert_eq!(out.zh + out.en, expected.len(), "{q:?}: counts");
                total += expected.len();
                eprintln!(
                    "{:>5} zh {:>3} en {:>3}  {q:?}",
                    expected.len(),
                    out.zh,
                    out.en
                );
            }
            // Every result contains the query, as the reader reads it.
            for &(id, score) in &out.hits {
                assert!(score > 0.0, "{q:?}: score {score}");
                let d = &index.docs[id as usize];
                assert_eq!(d.text, recs[id as usize].text);
                assert_eq!(d.url, recs[id as usize].url);
            }
            // Ranked best first, ties by reading order.
            for w in out.hits.windows(2) {
                let (a, b) = ((w[0].1 * 1e6).round(), (w[1].1 * 1e6).round());
                assert!(a > b || (a == b && w[0].0 < w[1].0), "{q:?}: order");
            }
        }
    }
    (queries.len(), total)
}

#[test]
fn seed_results_equal_a_plain_scan() {
    let (records, files) = seed();
    let index = Index::from_files(&files).unwrap();
    let mut all: Vec<&str> = ZH_QUERIES.to_vec();
    all.extend(EN_QUERIES);
    let (n, total) = check_against_oracle(&records, &index, &all);
    eprintln!("{n} queries, {total} results, recall 1.0, precision 1.0");
    assert!(ZH_QUERIES.len() >= 20);
}

/// Paragraphs where a string of Chinese with digits and punctuation stands
/// at the edges of words and gaps: inside a longer number, before a joiner,
/// across white space, after a long run of punctuation.
fn mixed_records() -> Vec<Record> {
    let texts = [
        "12020年1月10日印发",
        "2020年1月10日印发",
        "2020年 1月10日",
        "2020年1月105日",
        "1.5年以上，专栏9：",
        "专栏91和专栏 9、专栏9.5",
        "实施“1+x”证书制度。“1+x”证书",
        "a+1年",
        "《吉林省》，《吉林省教育》",
        "集政办发〔2020〕2号、集政办发[2020]12号",
        "等……",
        "年1.5万",
        "x证书” and",
        "证书”，“",
        "教育，，，，，，发展",
        "教育 ，发展",
        "证书”",
    ];
    paragraphs(texts.iter().map(|t| t.to_string()))
}

/// Chinese records of these texts, one page each.
fn paragraphs(texts: impl Iterator<Item = String>) -> Vec<Record> {
    texts
        .enumerate()
        .map(|(i, text)| Record {
            lang: "zh".into(),
            url: format!("p{i}/index.html#p{i}"),
            title: "页".into(),
            heading: "页".into(),
            text,
            doc: String::new(),
        })
        .collect()
}

/// Queries of [`mixed_records`] the postings decide (no text read), and
/// those whose text is read.
const MIXED_EXACT: &[&str] = &[
    "2020年1月10日",
    "020年1月",
    "0年1月10日",
    "专栏9",
    "专栏9：",
    "5年",
    "1.5年",
    "“1+x”证书",
    "”证书",
    "《吉林省",
    "吉林省》",
    "林省》，《",
    "集政办发[2020]2号",
    "集政办发〔2020〕2号",
    "发[2020]",
    "2号、",
    "年1.5",
    "证书”",
    "证书”，“",
    "教育，，",
    "x证书”",
    "栏9.5",
    "等..",
];
const MIXED_READ: &[&str] = &[
    ".5年",
    "+1年",
    "年1.",
    "等......",
    "，，，，，，发",
    "\"专栏 9\"",
    "\"教育 ，\"",
];

#[test]
fn mixed_strings_are_decided_by_the_postings() {
    let records = mixed_records();
    let files = build_index(&records);
    let index = Index::from_files(&files).unwrap();
    let mut qs: Vec<&str> = MIXED_EXACT.to_vec();
    qs.extend(MIXED_READ);
    check_against_oracle(&records, &index, &qs);
    for q in MIXED_EXACT {
        assert!(!index.search(q, Scope::Zh).read_text, "{q:?} read the text");
    }
    for q in MIXED_READ {
        assert!(
            index.search(q, Scope::Zh).read_text,
            "{q:?} did not read the text"
        );
    }
    // Some of them are found inside longer words and gaps.
    assert_eq!(index.search("020年1月", Scope::Zh).hits.len(), 3);
    if node_available() {
        compare_with_node(&files, &qs);
    }
}

/// Random paragraphs of Han characters, digits, letters, joiners,
/// punctuation and spaces, and Chinese strings cut from them: the joints
/// answer what a substring scan answers, in Rust and in JS.
#[test]
fn random_mixed_strings_equal_a_plain_scan() {
    for seed in 1..=4u64 {
        random_mixed_strings(seed);
    }
}

fn random_mixed_strings(seed: u64) {
    const ALPHABET: &[&str] = &[
        "教", "育", "年", "月", "1", "2", "0", "9", ".", "+", "a", "x", "“", "”", "，", "、", " ",
        "《", "》", "…", "-", "[", "]", "教", "年", "1",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15 ^ seed;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    let texts: Vec<Vec<&str>> = (0..60)
        .map(|_| {
            let len = 4 + next(24);
            (0..len).map(|_| ALPHABET[next(ALPHABET.len())]).collect()
        })
        .collect();
    let records = paragraphs(texts.iter().map(|t| t.concat()));
    let mut queries: Vec<String> = Vec::new();
    while queries.len() < 300 {
        let t = &texts[next(texts.len())];
        let a = next(t.len());
        let b = (a + 2 + next(6)).min(t.len());
        let q = t[a..b].concat().trim().to_string();
        let has_han = q.chars().any(gongkai::search::text::is_han);
        let date = gongkai::search::query::date_parts(&fold(&q)).is_some();
        if has_han && !date && !q.contains(' ') && !queries.contains(&q) {
            queries.push(q);
        }
    }
    let files = build_index(&records);
    let index = Index::from_files(&files).unwrap();
    let qs: Vec<&str> = queries.iter().map(String::as_str).collect();
    check_against_oracle(&records, &index, &qs);
    let exact = qs
        .iter()
        .filter(|q| !index.search(q, Scope::Zh).read_text)
        .count();
    eprintln!(
        "seed {seed}: {exact} of {} decided by the postings",
        qs.len()
    );
    assert!(
        exact * 2 > qs.len(),
        "only {exact} of {} decided by the postings",
        qs.len()
    );
    if node_available() {
        compare_with_node(&files, &qs);
    }
}

/// Expectations a reader would state, beyond set equality.
#[test]
fn seed_answers_what_a_reader_expects() {
    let (_, files) = seed();
    let index = Index::from_files(&files).unwrap();
    let hits = |q: &str, scope| index.search(q, scope).hits;
    let url = |id: u32| index.docs[id as usize].url.clone();
    for q in [
        "双减",
        "学前教育",
        "集安",
        "教育发",
        "93.38",
        "2025",
        "1+X",
        "职业教育",
    ] {
        assert!(!hits(q, Scope::Zh).is_empty(), "{q} finds nothing");
    }
    for q in ["vocational", "\"double reduction\"", "kindergart", "1+x"] {
        assert!(!hits(q, Scope::En).is_empty(), "{q} finds nothing");
    }
    // Full-width and half-width queries are the same query.
    assert_eq!(hits("１＋Ｘ", Scope::All), hits("1+x", Scope::All));
    // A Chinese query finds Chinese text whatever the page's language.
    // (The English glossary shows the Chinese term, where it is found.)
    let all = index.search("双减", Scope::All);
    assert!(all.zh > 0);
    for (id, _) in &all.hits {
        let d = &index.docs[*id as usize];
        assert!(
            (*id as usize) < index.nzh || d.url.starts_with("en/glossary/"),
            "{}",
            d.url
        );
    }
    // 集政办发〔2023〕1号 typed with other brackets, an 索引号 and a date in
    // any of its forms lead first to the metadata table.
    for q in [
        "集政办发〔2023〕1号",
        "集政办发[2023]1号",
        "集政办发(2023)1号",
        "11220582013590556F",
        "2023-01-10",
        "2023年01月10日",
        "2023年1月10日",
    ] {
        let first = &index.docs[hits(q, Scope::Zh)[0].0 as usize];
        assert_eq!(first.url, "jian-education-plan/index.html", "{q}");
    }
    // A box's title ranks its box first; its items link to themselves.
    let first = &index.docs[hits("深化教育改革开放工程", Scope::Zh)[0].0 as usize];
    assert_eq!(first.url, "jian-education-plan/box-2/index.html");
    let item = &index.docs[hits("法治教室", Scope::Zh)[0].0 as usize];
    assert_eq!(item.url, "jian-education-plan/box-2/index.html#box-2-i2");
    // Chinese typed without spaces: the words it is made of.
    let split = index.search("乡镇幼儿园", Scope::Zh);
    assert_eq!(split.split, ["乡镇", "幼儿园"]);
    assert_eq!(split.hits, index.search("乡镇 幼儿园", Scope::Zh).hits);
    assert!(index.search("乡镇 幼儿园", Scope::Zh).split.is_empty());
    // The prefix is the last word only while it is being typed.
    assert!(hits("kindergart ", Scope::En).is_empty());
    assert!(!hits("kindergarten", Scope::En).is_empty());
    // Stemming: a plural and a singular find each other.
    let a: BTreeSet<u32> = hits("schools ", Scope::En).iter().map(|h| h.0).collect();
    let b: BTreeSet<u32> = hits("school ", Scope::En).iter().map(|h| h.0).collect();
    assert_eq!(a, b);
    // A heading that is exactly the query ranks first.
    let first = hits("学前教育", Scope::Zh)[0].0;
    let d = &index.docs[first as usize];
    assert!(
        fold(&d.heading).contains("学前教育"),
        "first result {} under {:?}",
        url(first),
        d.heading
    );
    // Phrases need the words in order.
    let phrase = hits("\"reduction double\"", Scope::En);
    assert!(phrase.is_empty(), "{:?}", phrase);
}

#[test]
fn content_cannot_break_out_of_the_index() {
    let evil = [
        "</script><script>alert(1)</script>",
        "<!-- \"quoted\" 'single' \\ back\\slash",
        "line\u{2028}separator\u{2029}end & amp; 测试</SCRIPT>",
    ];
    let records: Vec<Record> = evil
        .iter()
        .enumerate()
        .map(|(i, t)| Record {
            lang: if i == 2 { "zh" } else { "en" }.to_string(),
            url: format!("p{i}/index.html#x\"><script>"),
            title: format!("<b>title</b> \"{i}\""),
            heading: "</script>".into(),
            text: t.to_string(),
            doc: String::new(),
        })
        .collect();
    let files = build_index(&records);
    for (path, bytes) in &files {
        let s = String::from_utf8(bytes.clone()).unwrap();
        let lower = s.to_lowercase();
        assert!(!lower.contains("</script"), "{path}");
        assert!(!lower.contains("<!--"), "{path}");
        assert!(!s.contains('\u{2028}') && !s.contains('\u{2029}'), "{path}");
        assert!(!s.contains('<') && !s.contains('>'), "{path}");
    }
    let index = Index::from_files(&files).unwrap();
    for r in ordered(&records) {
        assert!(index.docs.iter().any(|d| d.text == r.text
            && d.url == r.url
            && d.title == r.title
            && d.heading == r.heading));
    }
    assert_eq!(index.search("alert", Scope::All).hits.len(), 1);
    assert_eq!(index.search("测试", Scope::All).hits.len(), 1);
    assert_eq!(index.search("script", Scope::All).hits.len(), 2);
}

/// More queries for the split index: copies, and multi-word queries with
/// hundreds of candidates.
const SPLIT_QUERIES: &[&str] = &[
    "copy1",
    "copy",
    "copy3 双减",
    "the and",
    "of the",
    "教育 学",
    "发展 教育",
];

/// Copies of the seed's records, under different URLs, enough to split the
/// index into parts.
fn many(records: &[Record], copies: usize) -> Vec<Record> {
    let mut out = Vec::new();
    for k in 0..copies {
        for r in records {
            let mut r = r.clone();
            r.url = format!("copy{k}/{}", r.url);
            if k % 2 == 1 {
                r.text = format!("{} copy{k}", r.text);
            }
            out.push(r);
        }
    }
    out
}

#[test]
fn split_index_answers_the_same() {
    let (records, _) = seed();
    let big = many(&records, 4);
    let files = build_index(&big);
    let parts = files
        .iter()
        .filter(|f| f.0.starts_with("static/search/"))
        .count();
    assert!(parts > 4, "only {parts} parts");
    let index = Index::from_files(&files).unwrap();
    let mut qs: Vec<&str> = ZH_QUERIES.to_vec();
    qs.extend(EN_QUERIES);
    qs.extend(SPLIT_QUERIES);
    check_against_oracle(&big, &index, &qs);
    // Queries with more candidates than BONUS_MAX_CANDIDATES are ranked from
    // the postings alone; these must include some.
    let many_candidates = SPLIT_QUERIES
        .iter()
        .filter(|q| {
            let o = index.search(q, Scope::All);
            o.hits.len() > gongkai::search::query::BONUS_MAX_CANDIDATES && !o.read_text
        })
        .count();
    assert!(many_candidates >= 2, "{many_candidates}");
    assert_eq!(build_index(&big), files, "deterministic");
}

// ---------- segments: an edit makes its own segment again ----------

/// A library of `n` documents, each with the first `per` records of each
/// language of the seed's document under its own folder and with a word
/// of its own, then the seed's own site records.
fn library(records: &[Record], n: usize, per: usize) -> Vec<Record> {
    let of = |lang: &str| -> Vec<&Record> {
        records
            .iter()
            .filter(|r| r.lang == lang && !r.doc.is_empty())
            .take(per)
            .collect()
    };
    let (zh, en) = (of("zh"), of("en"));
    let mut out = Vec::new();
    for d in 0..n {
        for r in zh.iter().chain(&en) {
            let mut r = (*r).clone();
            r.url = format!("d{d}/{}", r.url);
            r.doc = format!("d{d}");
            r.text = format!("{} doc{d}", r.text);
            out.push(r);
        }
    }
    out.extend(records.iter().filter(|r| r.doc.is_empty()).cloned());
    out
}

/// The index of `records` made from `previous`'s files: what it emitted.
fn remade(records: &[Record], previous: &[(String, Vec<u8>)]) -> BTreeMap<String, Vec<u8>> {
    use gongkai::search::index::{build_each, Previous};
    let main = &previous.iter().find(|f| f.0 == MAIN).unwrap().1;
    let prev = Previous::parse(main).expect("a split index reads back");
    let refs: Vec<_> = records.iter().map(Record::as_ref).collect();
    let mut out = BTreeMap::new();
    build_each(&refs, &[], Some(&prev), &mut |p, b| {
        assert!(out.insert(p, b).is_none(), "a file emitted twice");
    });
    out
}

const MAIN: &str = gongkai::search::MAIN_FILE;

/// The segment names of an index's main file.
fn segment_names(files: &[(String, Vec<u8>)]) -> Vec<String> {
    let main = String::from_utf8_lossy(&files.iter().find(|f| f.0 == MAIN).unwrap().1).into_owned();
    let v: serde_json::Value = serde_json::from_str(
        main.trim_end()
            .strip_prefix("window.GONGKAI_SEARCH=")
            .and_then(|m| m.strip_suffix(';'))
            .unwrap(),
    )
    .unwrap();
    v["sg"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[0].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_edit_makes_only_its_segment_again() {
    let (records, _) = seed();
    let docs = 2 * gongkai::search::index::SEGMENT_DOCS + 5;
    let lib = library(&records, docs, 30);
    let full = build_index(&lib);
    assert_eq!(
        segment_names(&full),
        ["zh0", "zh1", "zh2", "en0", "en1", "en2"],
        "segments by language and group of documents, the site's pages with the last"
    );
    let fixed = |r: &Record| r.doc == "d70" && r.lang == "zh";
    let edited_at = lib.iter().position(fixed).unwrap() + 3;
    // One paragraph changed; one added (the later segments' record
    // numbers move, their parts do not).
    let mut changed = lib.clone();
    changed[edited_at].text.push_str("改正一字");
    let mut added = lib.clone();
    let mut extra = added[edited_at].clone();
    extra.url = format!("{}-new", extra.url);
    extra.text = "新增一段：加强学生劳动教育".to_string();
    added.insert(edited_at + 1, extra);
    for (what, edited) in [("changed", &changed), ("added", &added)] {
        let emitted = remade(edited, &full);
        let fresh = build_index(edited);
        // What was emitted is the edited segment's parts and the main file,
        // as a full build makes them.
        for (p, b) in &emitted {
            assert!(
                p == MAIN || p.starts_with("static/search/zh1"),
                "{what}: {p} made again"
            );
            assert!(
                fresh.iter().any(|f| f.0 == *p && f.1 == *b),
                "{what}: {p} differs"
            );
        }
        let parts = fresh
            .iter()
            .filter(|f| f.0.starts_with("static/search/"))
            .count();
        assert!(
            emitted.len() * 4 < parts,
            "{what}: {} of {parts}",
            emitted.len()
        );
        // Every file of a full build is the one made now or the one kept.
        for (p, b) in &fresh {
            let kept = full.iter().find(|f| f.0 == *p).map(|f| &f.1);
            assert!(
                emitted.get(p).or(kept) == Some(b),
                "{what}: {p} is neither made nor kept as a full build has it"
            );
        }
        let index = Index::from_files(&fresh).unwrap();
        check_against_oracle(
            edited,
            &index,
            &["改正一字", "劳动教育", "doc70", "教育 doc131"],
        );
    }
}

/// A cached build gives the records of the segments an edit touched
/// only: the others' units come without records and are kept as the old
/// main file has them. What it emits is what it emits given every record.
#[test]
fn segments_whose_records_are_not_given_are_kept() {
    use gongkai::search::index::{build_units, units_of, Previous, Unit};
    let (records, _) = seed();
    let lib = library(&records, 2 * gongkai::search::index::SEGMENT_DOCS + 5, 30);
    let full = build_index(&lib);
    let mut edited = lib.clone();
    let at = lib
        .iter()
        .position(|r| r.doc == "d70" && r.lang == "zh")
        .unwrap()
        + 3;
    edited[at].text.push_str("改正一字");
    let given_all = remade(&edited, &full);
    let prev = Previous::parse(&full.iter().find(|f| f.0 == MAIN).unwrap().1).unwrap();
    let refs: Vec<_> = edited.iter().map(Record::as_ref).collect();
    let refs = gongkai::search::index::ordered(&refs).into_owned();
    // Given: the edited document's group (d64–d127) in Chinese, and each
    // language's last group, which the site's pages join.
    let given = |u: &Unit| {
        let n: usize = u
            .doc
            .strip_prefix('d')
            .map_or(usize::MAX, |d| d.parse().unwrap());
        (u.lang == "zh" && (64..128).contains(&n)) || n >= 128
    };
    let build = |given: &dyn Fn(&Unit) -> bool| {
        let mut at = 0;
        let mut recs = Vec::new();
        let mut units = Vec::new();
        for u in units_of(&refs) {
            let mine = &refs[at..at + u.count.unwrap()];
            at += mine.len();
            if given(&u) {
                recs.extend_from_slice(mine);
                units.push(u);
            } else {
                let weight = mine.iter().map(|r| r.weight()).sum();
                units.push(Unit {
                    count: None,
                    weight,
                    ..u
                });
            }
        }
        let mut out = BTreeMap::new();
        let names = build_units(&recs, &units, &[], Some(&prev), &mut |p, b| {
            out.insert(p, b);
        });
        names.map(|_| out)
    };
    let kept = build(&given).expect("whole segments given or kept");
    assert_eq!(
        kept.keys().collect::<Vec<_>>(),
        given_all.keys().collect::<Vec<_>>()
    );
    assert!(kept == given_all, "the same files as given every record");
    for p in kept.keys() {
        assert!(
            p == MAIN || p.starts_with("static/search/zh1"),
            "{p} made again"
        );
    }
    // Part of a segment given, part not: refused, nothing emitted.
    assert!(build(&|u: &Unit| given(u) && u.doc != "d64").is_none());
    // No English given, its site pages neither: every English segment kept.
    let zh_only = build(&|u: &Unit| u.lang == "zh" && given(u));
    assert!(zh_only.as_ref() == Some(&given_all), "English kept whole");
}

/// Units of one language and group that do not come one after another
/// (not as a build gives them) still make segments of names of their own.
#[test]
fn a_group_split_by_another_language_gets_a_second_name() {
    use gongkai::search::index::{build_units, units_of};
    let (records, _) = seed();
    let lib = library(&records, 2, 3);
    let part = |doc: &str, lang: &str| -> Vec<Record> {
        lib.iter()
            .filter(|r| r.doc == doc && r.lang == lang)
            .cloned()
            .collect()
    };
    let order: Vec<Record> = [part("d0", "zh"), part("d0", "en"), part("d1", "zh")].concat();
    let refs: Vec<_> = order.iter().map(Record::as_ref).collect();
    let units = units_of(&refs);
    assert_eq!(units.len(), 3);
    let mut files = Vec::new();
    build_units(&refs, &units, &[], None, &mut |p, b| files.push((p, b))).unwrap();
    assert_eq!(segment_names(&files), ["zh0", "en0", "zh0-2"]);
}

/// A cached build names the documents whose records are the ones the
/// index in the output was made from: a segment that holds an edited
/// document is then made from its old dictionary (read back from its
/// parts), only the edited records analysed. What it emits is what
/// analysing every record emits, whether paragraphs change, come or go,
/// in one document or several, at a segment's start or end.
#[test]
fn an_edited_segment_is_made_from_its_old_dictionary() {
    use gongkai::search::index::{build_each, Previous};
    let (records, _) = seed();
    let lib = library(&records, 2 * gongkai::search::index::SEGMENT_DOCS + 5, 30);
    let full = build_index(&lib);
    let out = tempfile::tempdir().unwrap();
    write_site(out.path(), &full);
    let main = &full.iter().find(|f| f.0 == MAIN).unwrap().1;
    let at = |doc: &str, n: usize| {
        lib.iter()
            .position(|r| r.doc == doc && r.lang == "zh")
            .unwrap()
            + n
    };
    let mut changed = lib.clone();
    changed[at("d70", 3)].text.push_str("改正一字");
    let mut added = lib.clone();
    let mut extra = added[at("d70", 3)].clone();
    extra.url = format!("{}-new", extra.url);
    extra.text = "新增一段：加强学生劳动教育".to_string();
    added.insert(at("d70", 3) + 1, extra);
    let mut removed = lib.clone();
    removed.remove(at("d70", 5));
    // Three documents of one segment: its first, one inside, its last.
    let mut several = lib.clone();
    for (doc, n, text) in [
        ("d64", 0, "首段改动"),
        ("d100", 7, "中间改动"),
        ("d127", 29, "末段改动"),
    ] {
        several[at(doc, n)].text = text.to_string();
    }
    let edits: [(&str, &Vec<Record>, &[&str]); 4] = [
        ("changed", &changed, &["d70"]),
        ("added", &added, &["d70"]),
        ("removed", &removed, &["d70"]),
        ("several", &several, &["d64", "d100", "d127"]),
    ];
    for (what, edited, docs) in edits {
        let unchanged = |docs: &[&str]| -> std::collections::HashSet<String> {
            edited
                .iter()
                .map(|r| r.doc.clone())
                .filter(|d| !d.is_empty() && !docs.contains(&d.as_str()))
                .collect()
        };
        let spliced = |unchanged| {
            let prev = Previous::parse(main)
                .unwrap()
                .with_parts(out.path(), unchanged);
            let refs: Vec<_> = edited.iter().map(Record::as_ref).collect();
            let mut files = BTreeMap::new();
            build_each(&refs, &[], Some(&prev), &mut |p, b| {
                files.insert(p, b);
            });
            files
        };
        let analysed = remade(edited, &full);
        assert!(
            spliced(unchanged(docs)) == analysed,
            "{what}: not the files analysing every record makes"
        );
        // Said to be unchanged when it is not, an edited document's old
        // postings are copied: the dictionary was read, not made again.
        if what == "changed" || what == "several" {
            assert!(
                spliced(unchanged(&[])) != analysed,
                "{what}: made from the old dictionary"
            );
        }
    }
}

// ---------- the JS engine under node ----------

fn write_site(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (p, b) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b).unwrap();
    }
}

fn node_available() -> bool {
    let ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("node is not on PATH, and CI is set: the JS engine must be tested");
        }
        eprintln!("NOTICE: node is not on PATH; skipping the JS/Rust comparison");
    }
    ok
}

fn compare_with_node(files: &[(String, Vec<u8>)], queries: &[&str]) -> usize {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), files);
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::copy(
        crate::common::repo().join("themes/default/static/search.js"),
        dir.path().join("static/search.js"),
    )
    .unwrap();
    let scopes = [("zh", Scope::Zh), ("en", Scope::En), ("all", Scope::All)];
    let mut list = Vec::new();
    for q in queries {
        for (s, _) in scopes {
            list.push(serde_json::json!([q, s]));
        }
    }
    let qfile = dir.path().join("queries.json");
    std::fs::write(&qfile, serde_json::to_string(&list).unwrap()).unwrap();
    let out = std::process::Command::new("node")
        .arg(crate::common::repo().join("tests/browser/query.cjs"))
        .arg(dir.path())
        .arg(&qfile)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let index = Index::from_files(files).unwrap();
    let mut k = 0;
    for q in queries {
        for (s, scope) in scopes {
            let r = index.search(q, scope);
            let j = &js[k];
            k += 1;
            let jh: Vec<(u32, f64)> = j["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| (h[0].as_u64().unwrap() as u32, h[1].as_f64().unwrap()))
                .collect();
            let ids = |v: &[(u32, f64)]| v.iter().map(|h| h.0).collect::<Vec<_>>();
            assert_eq!(ids(&jh), ids(&r.hits), "{q:?} in {s}: JS and Rust order");
            for (a, b) in jh.iter().zip(&r.hits) {
                assert!(
                    (a.1 - b.1).abs() < 1e-9,
                    "{q:?} in {s}: score {} vs {}",
                    a.1,
                    b.1
                );
            }
            assert_eq!(j["zh"].as_u64().unwrap() as usize, r.zh, "{q:?}");
            assert_eq!(j["en"].as_u64().unwrap() as usize, r.en, "{q:?}");
        }
    }
    k
}

#[test]
fn js_engine_equals_rust_engine() {
    if !node_available() {
        return;
    }
    let (records, files) = seed();
    let mut qs: Vec<&str> = ZH_QUERIES.to_vec();
    qs.extend(EN_QUERIES);
    let n = compare_with_node(&files, &qs);
    // The split index too: parts loaded on demand.
    let big = build_index(&many(&records, 4));
    qs.extend(SPLIT_QUERIES);
    let m = compare_with_node(&big, &qs);
    // An index of many segments: every key looked up in each.
    let docs = 2 * gongkai::search::index::SEGMENT_DOCS + 5;
    let lib = build_index(&library(&records, docs, 30));
    assert!(segment_names(&lib).len() >= 6);
    let l = compare_with_node(&lib, &qs);
    eprintln!("JS = Rust on {n} + {m} + {l} query/scope pairs");
}

#[test]
fn js_text_rules_equal_rust() {
    if !node_available() {
        return;
    }
    let (records, _) = seed();
    let mut samples: Vec<String> = records.iter().map(|r| r.text.clone()).collect();
    samples.extend(
        [
            "ＡＢＣ１２３（一）Ⅻ ﬁ İstanbul ΣΑΣ",
            "high-quality R&D 1+x 2.04 people’s teachers' a..b .5 x. 𠀀𠀁字",
            "studies classes series bus is news",
        ]
        .map(String::from),
    );
    let script = r#"
const api = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = input.map((s) => {
  const f = api.text.fold(s);
  return [f, api.text.stream(f).map((t) => t.text), api.text.words(f).map(api.text.stem),
          api.text.sentences(f), api.text.hanRuns(f)];
});
process.stdout.write(JSON.stringify(out));
"#;
    use std::io::Write;
    let mut child = std::process::Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(crate::common::repo().join("themes/default/static/search.js"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&samples).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let js: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    use gongkai::search::text;
    for (s, j) in samples.iter().zip(js) {
        let f = fold(s);
        let rust = serde_json::json!([
            f,
            text::stream(&f).iter().map(|i| i.text).collect::<Vec<_>>(),
            text::words(&f).map(stem).collect::<Vec<_>>(),
            text::sentences(&f),
            text::han_runs(&f),
        ]);
        assert_eq!(j, rust, "text rules differ on {s:?}");
    }
}

// ---------- every text a reader sees, against the built pages ----------

/// One query for each kind of text a reader sees: 专栏 titles and items,
/// headings, the notice's title, 文号, 主送机关, 署名, date and 附注, the
/// metadata table's values, registry titles and 文号, the glossary, body
/// text; and the forms people type (brackets, dates, full-width).
pub const VISIBLE_QUERIES: &[&str] = &[
    "深化教育改革开放工程",
    "专栏9",
    "人才培训体制改革项目",
    "法治教室",
    "着力推进教育改革",
    "发展基础",
    "关于印发集安市",
    "集政办发〔2023〕1号",
    "集政办发[2023]1号",
    "集政办发(2023)1号",
    "集政办发［2023］1号",
    "边合区管委会",
    "街道办事处",
    "集安市人民政府办公室",
    "2023年01月10日",
    "2023-01-12",
    "2023年1月12日",
    "此件公开发布",
    "11220582013590556F",
    "11220582013590556F/2023-00100",
    "专项规划",
    "吉林省“十四五”教育发展规划",
    "通化市",
    "普惠性幼儿园",
    "优质均衡",
    "affordable",
    "学前教育",
    "课后服务",
    "乡镇 幼儿园",
    "kindergarten",
    "Ji'an",
    "１＋Ｘ",
];

/// A piece of visible text: the page#anchor it is at, its folded text.
struct Piece {
    target: String,
    text: String,
}

/// The visible text of the pages search covers (a document's page, its
/// chapter, section and box pages, the registry's entry pages, the
/// glossary; not the lists that repeat them: home, contents, full text,
/// parallel views, the registry's index), cut into blocks, each at the
/// nearest anchor around it. Navigation, labels and the boxes a section
/// page repeats from their own pages are not text to find.
fn visible_pieces(files: &[(String, Vec<u8>)]) -> Vec<Piece> {
    use scraper::{ElementRef, Html, Node, Selector};
    let skip_pages = ["parallel/", "search/", "404", "pages/"];
    let mut out = Vec::new();
    for (path, bytes) in files {
        if !path.ends_with("index.html") || skip_pages.iter().any(|s| path.contains(s)) {
            continue;
        }
        let rel = path.strip_prefix("en/").unwrap_or(path);
        let depth = rel.matches('/').count();
        let is_ref = rel.starts_with("references/") && depth == 2;
        let is_glossary = rel == "glossary/index.html";
        let is_doc = !rel.starts_with("references/") && !is_glossary && depth >= 1;
        let is_boxes_list = rel.ends_with("/boxes/index.html");
        if !(is_ref || is_glossary || is_doc) || is_boxes_list {
            continue;
        }
        let html = Html::parse_document(std::str::from_utf8(bytes).unwrap());
        let main = html
            .select(&Selector::parse("main").unwrap())
            .next()
            .unwrap();
        let blocks = [
            "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "div",
        ];
        // Subtrees that are not text to find.
        let excluded = |e: &ElementRef| -> bool {
            let v = e.value();
            let class = |c: &str| v.classes().any(|x| x == c);
            let name = v.name();
            name == "nav"
                || name == "caption"
                || (name == "aside" && class("box"))
                || class("cited")
                || class("cited-by")
                || class("doc-links")
                || class("parallel-link")
                || class("ed-note")
                || class("ed-mark")
                || class("untranslated")
                || class("in-section")
                || class("pager")
                || class("backlinks")
                // The notice's and the box page's headings are labels.
                || (name == "h2" && !is_glossary && v.id().is_none()
                    && e.parent().and_then(ElementRef::wrap).is_some_and(|p| {
                        p.value().classes().any(|c| c == "notice" || c == "box-page")
                    }))
                || (name == "h2" && is_ref)
                // Labels of the metadata tables.
                || (name == "th" && !is_glossary)
        };
        fn walk<'a>(
            e: ElementRef<'a>,
            anchor: &str,
            excluded: &dyn Fn(&ElementRef) -> bool,
            blocks: &[&str],
            out: &mut Vec<(String, String, ElementRef<'a>)>,
        ) {
            if excluded(&e) {
                return;
            }
            let anchor = match e.value().id() {
                Some(id) if id != "main-content" => id.to_string(),
                _ => anchor.to_string(),
            };
            // The element's own text (not that of blocks inside it).
            let mut own = String::new();
            fn own_text<'a>(
                e: ElementRef<'a>,
                own: &mut String,
                blocks: &[&str],
                excluded: &dyn Fn(&ElementRef) -> bool,
            ) {
                for c in e.children() {
                    match c.value() {
                        Node::Text(t) => own.push_str(t),
                        Node::Element(el) if !blocks.contains(&el.name()) => {
                            let ce = ElementRef::wrap(c).unwrap();
                            if !excluded(&ce) {
                                own_text(ce, own, blocks, excluded);
                            }
                        }
                        _ => {}
                    }
                }
            }
            own_text(e, &mut own, blocks, excluded);
            if blocks.contains(&e.value().name()) && !own.trim().is_empty() {
                out.push((anchor.clone(), own, e));
            }
            for c in e.children().filter_map(ElementRef::wrap) {
                walk(c, &anchor, excluded, blocks, out);
            }
        }
        let mut found = Vec::new();
        walk(main, "", &excluded, &blocks, &mut found);
        for (anchor, text, e) in found {
            // A registry page: its title and its 文号 are its text.
            if is_ref && e.value().name() != "h1" {
                let row = e.parent().and_then(ElementRef::wrap);
                let label: String = row
                    .and_then(|r| r.select(&Selector::parse("th").unwrap()).next())
                    .map(|th| th.text().collect())
                    .unwrap_or_default();
                if !(label == "文号" || label == "Document number" || label.contains("No.")) {
                    continue;
                }
            }
            let target = if anchor.is_empty() {
                path.clone()
            } else {
                format!("{path}#{anchor}")
            };
            out.push(Piece {
                target,
                text: fold(&text),
            });
        }
    }
    out
}

/// The forms a date query also matches (the oracle's own list).
fn date_forms(q: &str) -> Option<Vec<String>> {
    let (y, m, d) = gongkai::search::query::date_parts(&fold(q))?;
    Some(vec![
        format!("{y}年{m}月{d}日"),
        format!("{y}年{m:02}月{d:02}日"),
        format!("{y}-{m:02}-{d:02}"),
        format!("{y}-{m}-{d}"),
    ])
}

#[test]
fn every_visible_text_is_found_at_its_anchor() {
    let (_, files) = seed();
    let index = Index::from_files(&files).unwrap();
    let pieces = visible_pieces(&files);
    let mut targets: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in &pieces {
        targets.entry(&p.target).or_default().push(&p.text);
    }
    let mut total = 0;
    for q in VISIBLE_QUERIES {
        let terms: Vec<String> = q.split_whitespace().map(fold).collect();
        let forms = date_forms(q);
        let expected: BTreeSet<&str> = targets
            .iter()
            .filter(|(_, texts)| match &forms {
                Some(f) => texts
                    .iter()
                    .any(|t| f.iter().any(|x| t.contains(x.as_str()))),
                None => terms
                    .iter()
                    .all(|term| texts.iter().any(|t| t.contains(term.as_str()))),
            })
            .map(|(t, _)| *t)
            .collect();
        let out = index.search(q, Scope::All);
        let got: BTreeSet<&str> = out
            .hits
            .iter()
            .map(|h| index.docs[h.0 as usize].url.as_str())
            .collect();
        let missed: Vec<_> = expected.difference(&got).collect();
        let wrong: Vec<_> = got.difference(&expected).collect();
        assert!(
            missed.is_empty() && wrong.is_empty(),
            "{q:?}: recall misses {missed:?}, precision fails on {wrong:?}"
        );
        assert!(!expected.is_empty(), "{q:?} finds nothing");
        total += expected.len();
    }
    eprintln!(
        "{} queries over {} pieces of visible text: {total} places, precision 1.0, recall 1.0",
        VISIBLE_QUERIES.len(),
        pieces.len()
    );
}
