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
use std::collections::BTreeSet;
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
    let records = gongkai::render::search_records(&site, &theme);
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
    let all = index.search("双减", Scope::All);
    assert!(all.zh > 0 && all.en == 0);
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
    eprintln!("JS = Rust on {n} + {m} query/scope pairs");
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
