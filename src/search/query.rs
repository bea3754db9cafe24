//! Reading the index and answering a query: the same algorithm as the
//! `engine` of `themes/default/static/search.js`, step for step, so that the
//! Rust tests exercise the real files the browser gets, and a node test can
//! check that the JS gives the same answers.
//!
//! A query is folded like the text, then cut into terms: white space
//! separates terms, `"…"` makes one phrase term (an unclosed quote runs to
//! the end). A term that contains a Han character is a **substring** term; a
//! term of one word is a **word** term; several words (quoted, or joined by
//! punctuation like `high-quality`) make a **phrase** term. All terms must
//! match in the paragraph's own text (AND); title and heading only rank.
//!
//! * substring: the folded paragraph contains the term's folded string.
//! * word: the paragraph has a word with the same stem, or — for the last
//!   word of the query, while it is being typed (no space after it) — a word
//!   that starts with it.
//! * phrase: consecutive stream items equal the words (the last one may be a
//!   prefix, as above, when the phrase is the unfinished end of the query).
//!
//! Candidates come from the dictionary; a term is *exact* when its postings
//! alone decide it (a Han string by its pairs' positions, a phrase by its
//! words', a Chinese string with digits or punctuation by its joints' —
//! [`joint_parts`] — one word), and otherwise every candidate is
//! confirmed against the stored text. Queries
//! of two or more terms also read the candidates' text, for the sentence
//! bonus, unless they have more than [`BONUS_MAX_CANDIDATES`].

use super::index::{gap_ok, has_positions};
use super::text::{
    cmp_utf16, fold, han_runs, is_han, run_bigrams, sentences, stem, stem_base, stream, words,
};
use super::{MAIN_FILE, PARTS_DIR};
use serde_json::Value;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;
pub const TITLE_BOOST: f64 = 2.0;
pub const HEADING_BOOST: f64 = 1.0;
pub const SENTENCE_BONUS: f64 = 1.25;
/// Above this many candidates, a query of exact terms is ranked from the
/// postings alone, without the sentence bonus: reading the text of
/// thousands of paragraphs would load most of a large site's index.
pub const BONUS_MAX_CANDIDATES: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Substring(String),
    Word {
        tok: String,
        prefix: bool,
    },
    Phrase {
        toks: Vec<String>,
        prefix: bool,
    },
    /// Any of these: the ways one date is written (2023年1月10日,
    /// 2023年01月10日, 2023-01-10).
    Any(Vec<Term>),
}

/// A date as a reader types it: `2023年1月10日`, `2023年01月10日`,
/// `2023-01-10`, `2023/1/10` or `2023.01.10` (year, month, day).
pub fn date_parts(chunk: &str) -> Option<(u32, u32, u32)> {
    let c: Vec<char> = chunk.chars().collect();
    let mut i = 0;
    let num = |i: &mut usize, min: usize, max: usize| -> Option<u32> {
        let a = *i;
        while *i < c.len() && c[*i].is_ascii_digit() && *i - a < max {
            *i += 1;
        }
        if *i - a < min {
            return None;
        }
        c[a..*i].iter().collect::<String>().parse().ok()
    };
    let y = num(&mut i, 4, 4)?;
    let s1 = *c.get(i)?;
    if !matches!(s1, '年' | '-' | '/' | '.') {
        return None;
    }
    i += 1;
    let m = num(&mut i, 1, 2)?;
    let s2 = *c.get(i)?;
    if s2 != if s1 == '年' { '月' } else { s1 } {
        return None;
    }
    i += 1;
    let d = num(&mut i, 1, 2)?;
    if s1 == '年' && c.get(i) == Some(&'日') {
        i += 1;
    }
    (i == c.len() && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// The forms of a date that the index can find.
pub fn date_term(y: u32, m: u32, d: u32) -> Term {
    let mut alts = Vec::new();
    for t in [
        Term::Substring(format!("{y}年{m}月{d}日")),
        Term::Substring(format!("{y}年{m:02}月{d:02}日")),
        Term::Phrase {
            toks: vec![y.to_string(), format!("{m:02}"), format!("{d:02}")],
            prefix: false,
        },
        Term::Phrase {
            toks: vec![y.to_string(), m.to_string(), d.to_string()],
            prefix: false,
        },
    ] {
        if !alts.contains(&t) {
            alts.push(t);
        }
    }
    Term::Any(alts)
}

/// Which records a query searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Zh,
    En,
    All,
}

/// Splits a query into terms (see the module documentation).
pub fn parse(query: &str) -> Vec<Term> {
    let q = fold(query);
    // (text, quoted, closed)
    let mut chunks: Vec<(String, bool, bool)> = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    for c in q.chars() {
        if in_quote {
            if c == '"' {
                chunks.push((std::mem::take(&mut cur), true, true));
                in_quote = false;
            } else {
                cur.push(c);
            }
        } else if c == '"' || c.is_whitespace() {
            if !cur.is_empty() {
                chunks.push((std::mem::take(&mut cur), false, false));
            }
            in_quote = c == '"';
        } else {
            cur.push(c);
        }
    }
    if in_quote || !cur.is_empty() {
        chunks.push((cur, in_quote, false));
    }
    let open_end = !q.ends_with(|c: char| c.is_whitespace());
    let last = chunks.len().saturating_sub(1);
    let mut terms: Vec<Term> = Vec::new();
    for (i, (chunk, quoted, closed)) in chunks.iter().enumerate() {
        let chunk = chunk.trim();
        let date = if *quoted { None } else { date_parts(chunk) };
        let term = if let Some((y, m, d)) = date {
            date_term(y, m, d)
        } else if chunk.chars().any(is_han) {
            Term::Substring(chunk.to_string())
        } else {
            let items = stream(chunk);
            if items.is_empty() {
                continue;
            }
            let prefix =
                i == last && open_end && !closed && items.last().unwrap().end == chunk.len();
            let toks: Vec<String> = items.iter().map(|t| t.text.to_string()).collect();
            if toks.len() == 1 && !quoted {
                Term::Word {
                    tok: toks.into_iter().next().unwrap(),
                    prefix,
                }
            } else {
                Term::Phrase { toks, prefix }
            }
        };
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms
}

/// The parts of a Chinese string with other characters that stand where
/// the string's stream says wherever it occurs: (offset in its stream,
/// key, prefix). Pairs of adjacent Han characters; words with a character
/// before them that neither is a word's nor joins one (a word at the
/// start may be the end of a longer one), and after them the same, or
/// the end of the string (then a prefix: the text's word may go on).
pub fn mixed_parts(s: &str) -> Vec<(u32, String, bool)> {
    let items = stream(s);
    let mut out = Vec::new();
    let before = |i: usize| s[..i].chars().next_back();
    let after = |i: usize| s[i..].chars().next();
    let ok = |c: char| !super::text::is_joiner(c);
    for (k, it) in items.iter().enumerate() {
        if it.han {
            if let Some(n) = items.get(k + 1) {
                if n.han && n.start == it.end {
                    out.push((k as u32, s[it.start..n.end].to_string(), false));
                }
            }
        } else if before(it.start).is_some_and(ok) {
            match after(it.end) {
                Some(c) if ok(c) => out.push((k as u32, it.text.to_string(), false)),
                None => out.push((k as u32, it.text.to_string(), true)),
                _ => {}
            }
        }
    }
    out
}

/// The keys that decide a Chinese string with other characters from the
/// postings alone ([`super::index::positioned`]): (offset in its stream,
/// key, prefix). The gap before its first item with that item; each two
/// neighbouring items with the gap between them (the last as a prefix when
/// it is a word the string ends in: the text's word may go on); the last
/// item with the gap after it (a prefix: the text's gap may go on). A word
/// the string begins with may be the end of a longer one: its joint with
/// the next item is also indexed from inside the word.
///
/// None when the index cannot decide it, and the text is read: a gap with
/// white space or of more than [`super::index::GAP_MAX`] characters, a word
/// at either end without a Han character next to it, or a word at an end
/// behind a lone joiner (`.5年`: the text may have `1.5年`).
pub fn joint_parts(s: &str) -> Option<Vec<(u32, String, bool)>> {
    let items = stream(s);
    let m = items.len();
    if m == 0 {
        return None;
    }
    let gap = |k: usize| {
        let a = if k == 0 { 0 } else { items[k - 1].end };
        let b = if k == m { s.len() } else { items[k].start };
        &s[a..b]
    };
    let lone_joiner = |g: &str| {
        let mut c = g.chars();
        matches!((c.next(), c.next()), (Some(x), None) if super::text::is_joiner(x))
    };
    let (first, last) = (&items[0], &items[m - 1]);
    let (g0, gm) = (gap(0), gap(m));
    if !gap_ok(g0) || !gap_ok(gm) {
        return None;
    }
    if !first.han && (m < 2 || !items[1].han || lone_joiner(g0)) {
        return None;
    }
    if !last.han && !gm.is_empty() && (m < 2 || !items[m - 2].han || lone_joiner(gm)) {
        return None;
    }
    let mut out = Vec::new();
    if !g0.is_empty() {
        out.push((0, s[..first.end].to_string(), false));
    }
    for k in 1..m {
        if !gap_ok(gap(k)) {
            return None;
        }
        let prefix = k == m - 1 && !last.han && gm.is_empty();
        let key = s[items[k - 1].start..items[k].end].to_string();
        out.push(((k - 1) as u32, key, prefix));
    }
    if !gm.is_empty() {
        out.push(((m - 1) as u32, s[last.start..].to_string(), true));
    }
    Some(out)
}

/// Whether a key is one word (a key of the index is a word, a Han
/// character, or a joint with a Han character or a gap in it).
pub fn is_word_key(key: &str) -> bool {
    let items = stream(key);
    items.len() == 1 && !items[0].han && items[0].text.len() == key.len()
}

/// Overlapping occurrences of `needle` in `hay`.
fn count_overlapping(hay: &str, needle: &str) -> u32 {
    let step = needle.chars().next().map_or(1, char::len_utf8);
    let mut n = 0;
    let mut from = 0;
    while let Some(p) = hay[from..].find(needle) {
        n += 1;
        from += p + step;
    }
    n
}

fn word_matches(t: &str, tok: &str, stem_tok: &str, prefix: bool) -> bool {
    (prefix && t.starts_with(tok)) || stem(t) == stem_tok
}

/// How often `term` matches in a folded text. The definition of a match.
pub fn count(term: &Term, folded: &str) -> u32 {
    match term {
        Term::Any(alts) => alts.iter().map(|t| count(t, folded)).sum(),
        Term::Substring(s) => count_overlapping(folded, s),
        Term::Word { tok, prefix } => {
            let st = stem(tok);
            words(folded)
                .filter(|t| word_matches(t, tok, &st, *prefix))
                .count() as u32
        }
        Term::Phrase { toks, prefix } => {
            let items = stream(folded);
            let n = toks.len();
            if items.len() < n {
                return 0;
            }
            (0..=items.len() - n)
                .filter(|&i| {
                    (0..n).all(|j| {
                        let t = items[i + j].text;
                        if j == n - 1 && *prefix {
                            t.starts_with(toks[j].as_str())
                        } else {
                            t == toks[j]
                        }
                    })
                })
                .count() as u32
        }
    }
}

/// A record as stored, for display.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub url: String,
    pub title: String,
    pub heading: String,
    pub text: String,
}

/// The index, read back from the files `build_index` wrote.
pub struct Index {
    pub n: usize,
    pub nzh: usize,
    pub lens: Vec<u32>,
    /// The segments, in record order.
    segments: Vec<Seg>,
    /// How many dictionary parts there are (the first names of `names`).
    nt: usize,
    xs: Vec<usize>,
    names: Vec<String>,
    terms: Vec<(Vec<String>, Vec<String>)>,
    pub docs: Vec<Doc>,
    /// Each record's document: its number in `doc_ids` + 1, or 0 for the
    /// pages of the whole site.
    pub doc_of: Vec<u32>,
    /// The documents' ids.
    pub doc_ids: Vec<String>,
    avg: [f64; 2],
    inline: bool,
    /// Parts a query has read: what the browser would have loaded.
    touched: RefCell<BTreeSet<usize>>,
}

/// A segment of the index: its first record number, the first key of
/// each of its dictionary parts and the number of the first of them.
struct Seg {
    base: u32,
    tk: Vec<String>,
    first: usize,
}

/// A dictionary entry found: key, postings, and the first record number
/// of its segment (the postings count from it).
type Entry<'a> = (&'a str, &'a str, u32);

/// Matches of one term: record → (tf, in title, in heading).
type Hits = BTreeMap<u32, (u32, bool, bool)>;

/// The answer to a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Record numbers and scores, best first.
    pub hits: Vec<(u32, f64)>,
    /// Matches in each language, whatever the scope.
    pub zh: usize,
    pub en: usize,
    /// Whether the stored text had to be read (for the benchmark).
    pub read_text: bool,
    /// When the query as typed is found nowhere and a Chinese term of three
    /// or more characters was searched as the words it is made of: those
    /// words (see [`Index::segment`]).
    pub split: Vec<String>,
}

pub fn decode_varints(s: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u64, 0u32);
    for b in s.bytes() {
        let d = super::index::DIGIT_OF[b as usize] as u64;
        assert!(d < 64, "index digit");
        if d >= 32 {
            v |= (d - 32) << shift;
            shift += 5;
        } else {
            out.push(v | (d << shift));
            v = 0;
            shift = 0;
        }
    }
    out
}

fn as_str(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

impl Index {
    /// Reads the index from the files of a build (paths relative to the
    /// site root), as the browser would find them.
    pub fn from_files(files: &[(String, Vec<u8>)]) -> Result<Index, String> {
        let get = |p: &str| {
            files
                .iter()
                .find(|f| f.0 == p)
                .map(|f| String::from_utf8_lossy(&f.1).into_owned())
                .ok_or(format!("missing {p}"))
        };
        let main_js = get(MAIN_FILE)?;
        let main: Value = serde_json::from_str(super::main_body(&main_js).ok_or("bad main file")?)
            .map_err(|e| e.to_string())?;
        let names: Vec<String> = main["parts"]
            .as_array()
            .ok_or("no parts")?
            .iter()
            .map(|v| as_str(v).to_string())
            .collect();
        let part = |name: &str| -> Result<Value, String> {
            if let Some(v) = main.get("inline").and_then(|m| m.get(name)) {
                return Ok(v.clone());
            }
            let js = get(&format!("{PARTS_DIR}{name}.js"))?;
            let body = super::part_body(&js, name).ok_or(format!("bad part {name}"))?;
            serde_json::from_str(body).map_err(|e| e.to_string())
        };
        if main["v"].as_u64() != Some(super::index::VERSION as u64) {
            return Err("another version".into());
        }
        let mut segments = Vec::new();
        let mut nt = 0;
        for s in main["sg"].as_array().ok_or("no sg")? {
            let tk: Vec<String> = s[3]
                .as_array()
                .ok_or("no segment keys")?
                .iter()
                .map(|v| as_str(v).to_string())
                .collect();
            let first = nt;
            nt += tk.len();
            segments.push(Seg {
                base: s[2].as_u64().ok_or("no segment base")? as u32,
                tk,
                first,
            });
        }
        if nt > names.len() {
            return Err("too few parts".into());
        }
        let mut terms = Vec::new();
        for name in &names[..nt] {
            let p = part(name)?;
            let k = as_str(&p["k"]).split(' ').map(String::from).collect();
            let ps = as_str(&p["p"]).split(' ').map(String::from).collect();
            terms.push((k, ps));
        }
        let mut docs = Vec::new();
        for name in &names[nt..] {
            let p = part(name)?;
            let u = p["u"].as_array().ok_or("no u")?;
            let s = p["s"].as_array().ok_or("no s")?;
            for r in p["r"].as_array().ok_or("no r")? {
                let ix = |i: usize| r[i].as_u64().unwrap_or(0) as usize;
                let anchor = as_str(&r[1]);
                let page = as_str(&u[ix(0)]);
                docs.push(Doc {
                    url: if anchor.is_empty() {
                        page.to_string()
                    } else {
                        format!("{page}#{anchor}")
                    },
                    title: as_str(&s[ix(2)]).to_string(),
                    heading: as_str(&s[ix(3)]).to_string(),
                    text: as_str(&r[4]).to_string(),
                });
            }
        }
        let n = main["n"].as_u64().ok_or("no n")? as usize;
        let nzh = main["nzh"].as_u64().ok_or("no nzh")? as usize;
        let lens: Vec<u32> = decode_varints(as_str(&main["len"]))
            .into_iter()
            .map(|v| v as u32)
            .collect();
        if docs.len() != n || lens.len() != n {
            return Err("record count mismatch".into());
        }
        let avg = |r: std::ops::Range<usize>| {
            let c = r.len();
            let sum: f64 = lens[r].iter().map(|&l| l as f64).sum();
            if c == 0 || sum == 0.0 {
                1.0
            } else {
                sum / c as f64
            }
        };
        let avg = [avg(0..nzh), avg(nzh..n)];
        let doc_ids: Vec<String> = main["docs"]
            .as_array()
            .map(|a| a.iter().map(|d| as_str(&d[0]).to_string()).collect())
            .unwrap_or_default();
        let mut doc_of = Vec::with_capacity(n);
        for c in decode_varints(as_str(&main["dr"])).chunks(2) {
            doc_of.extend(std::iter::repeat_n(c[0] as u32, c[1] as usize));
        }
        if doc_of.len() != n {
            return Err("document runs mismatch".into());
        }
        let xs = main["xs"]
            .as_array()
            .ok_or("no xs")?
            .iter()
            .map(|v| v.as_u64().unwrap_or(0) as usize)
            .collect();
        Ok(Index {
            n,
            nzh,
            lens,
            segments,
            nt,
            xs,
            names,
            terms,
            docs,
            doc_of,
            doc_ids,
            avg,
            inline: main.get("inline").is_some(),
            touched: RefCell::default(),
        })
    }

    /// Whether every part is inline in the main file (a small site).
    pub fn single_file(&self) -> bool {
        self.inline
    }

    /// Names of the parts read since the last call (dictionary parts, and
    /// text parts of confirmed candidates and of `shown` results), as the
    /// browser would load them.
    pub fn take_touched(&self, shown: &[u32]) -> Vec<String> {
        for &id in shown {
            self.touch_text(id);
        }
        let t = std::mem::take(&mut *self.touched.borrow_mut());
        t.into_iter().map(|i| self.names[i].clone()).collect()
    }

    fn touch_text(&self, id: u32) {
        let j = self
            .xs
            .partition_point(|&x| x <= id as usize)
            .saturating_sub(1);
        self.touched.borrow_mut().insert(self.nt + j);
    }

    /// Dictionary entries whose key equals `key`, or starts with it (the
    /// words that start with a word: not the joints that do), segment by
    /// segment.
    fn lookup(&self, key: &str, prefix: bool) -> Vec<Entry<'_>> {
        let mut out = Vec::new();
        let word = prefix && is_word_key(key);
        for seg in &self.segments {
            let tk = &seg.tk;
            if tk.is_empty() {
                continue;
            }
            // The last part whose first key is <= key.
            let mut p = tk
                .partition_point(|k| cmp_utf16(k, key) != Ordering::Greater)
                .saturating_sub(1);
            loop {
                self.touched.borrow_mut().insert(seg.first + p);
                let (keys, posts) = &self.terms[seg.first + p];
                let mut i = keys.partition_point(|k| cmp_utf16(k, key) == Ordering::Less);
                while i < keys.len() && (keys[i] == key || (prefix && keys[i].starts_with(key))) {
                    if !word || keys[i] == key || is_word_key(&keys[i]) {
                        out.push((keys[i].as_str(), posts[i].as_str(), seg.base));
                    }
                    i += 1;
                }
                p += 1;
                if !prefix || p >= tk.len() || !tk[p].starts_with(key) {
                    break;
                }
            }
        }
        out
    }

    /// A key's postings: record, (tf, in title, in heading), positions.
    #[allow(clippy::type_complexity)]
    fn postings(key: &str, post: &str, base: u32) -> Vec<(u32, (u32, bool, bool), Vec<u32>)> {
        let v = decode_varints(post);
        let with_pos = has_positions(key);
        let mut out = Vec::new();
        let mut id: i64 = base as i64 - 1;
        let mut i = 0;
        while i + 1 < v.len() {
            id += v[i] as i64;
            let code = v[i + 1] as u32;
            i += 2;
            let tf = code >> 2;
            let mut pos = Vec::new();
            if with_pos {
                let mut p = 0;
                for _ in 0..tf {
                    p += v[i] as u32;
                    pos.push(p);
                    i += 1;
                }
            }
            out.push((id as u32, (tf, code & 2 != 0, code & 1 != 0), pos));
        }
        out
    }

    fn merged<'a>(entries: impl IntoIterator<Item = Entry<'a>>) -> Hits {
        let mut hits = Hits::new();
        for (key, post, base) in entries {
            for (id, (tf, t, h), _) in Self::postings(key, post, base) {
                let e = hits.entry(id).or_default();
                e.0 += tf;
                e.1 |= t;
                e.2 |= h;
            }
        }
        hits
    }

    /// Records where the parts follow each other in the stream (part `j`
    /// at position `p + j`): a Chinese string by its pairs, a phrase by its
    /// words. tf is the number of such `p`; in title (heading) when every
    /// part is.
    fn consecutive(parts: Vec<Vec<Entry>>) -> Hits {
        Self::at_offsets(
            parts
                .into_iter()
                .enumerate()
                .map(|(j, e)| (j as u32, e))
                .collect(),
        )
    }

    /// Records where part `j` stands at position `p + offset_j` for some `p`.
    fn at_offsets(parts: Vec<(u32, Vec<Entry>)>) -> Hits {
        let offsets: Vec<u32> = parts.iter().map(|p| p.0).collect();
        let mut sets: Vec<BTreeMap<u32, (BTreeSet<u32>, bool, bool)>> = Vec::new();
        for (_, entries) in parts {
            let mut m: BTreeMap<u32, (BTreeSet<u32>, bool, bool)> = BTreeMap::new();
            for (key, post, base) in entries {
                for (id, (_, t, h), pos) in Self::postings(key, post, base) {
                    let e = m.entry(id).or_default();
                    e.0.extend(pos);
                    e.1 |= t;
                    e.2 |= h;
                }
            }
            sets.push(m);
        }
        let mut out = Hits::new();
        let Some(first) = sets.first() else {
            return out;
        };
        for (id, (p0, t0, h0)) in first {
            let mut t = *t0;
            let mut h = *h0;
            let mut others = Vec::new();
            for m in &sets[1..] {
                match m.get(id) {
                    Some(e) => {
                        t &= e.1;
                        h &= e.2;
                        others.push(&e.0);
                    }
                    None => break,
                }
            }
            if others.len() + 1 != sets.len() {
                continue;
            }
            let tf = p0
                .iter()
                .filter(|&&p| {
                    p >= offsets[0]
                        && others
                            .iter()
                            .enumerate()
                            .all(|(j, o)| o.contains(&(p - offsets[0] + offsets[j + 1])))
                })
                .count() as u32;
            if tf > 0 {
                out.insert(*id, (tf, t, h));
            }
        }
        out
    }

    fn in_text(h: Hits) -> Hits {
        h.into_iter().filter(|e| e.1 .0 > 0).collect()
    }

    fn intersect(sets: Vec<Hits>) -> Hits {
        let mut it = sets.into_iter();
        let mut acc = it.next().unwrap_or_default();
        for s in it {
            acc.retain(|k, _| s.contains_key(k));
        }
        acc
    }

    fn in_scope(&self, id: u32, scope: Scope) -> bool {
        match scope {
            Scope::All => true,
            Scope::Zh => (id as usize) < self.nzh,
            Scope::En => (id as usize) >= self.nzh,
        }
    }

    /// Candidates of a term, whether they are exact, and its document
    /// frequency in `scope` (for exact terms the true one, otherwise the
    /// smallest of its parts').
    fn term_hits(&self, term: &Term, scope: Scope) -> (Hits, bool, usize) {
        let df = |h: &Hits| h.keys().filter(|&&id| self.in_scope(id, scope)).count();
        match term {
            Term::Any(alts) => {
                let mut hits = Hits::new();
                let mut exact = true;
                let mut dfs = 0;
                for t in alts {
                    let (h, e, d) = self.term_hits(t, scope);
                    exact &= e;
                    dfs += d;
                    for (id, (tf, t, hd)) in h {
                        let x = hits.entry(id).or_default();
                        x.0 += tf;
                        x.1 |= t;
                        x.2 |= hd;
                    }
                }
                let d = if exact { df(&hits) } else { dfs };
                (hits, exact, d)
            }
            Term::Substring(s) => {
                let one_run = han_runs(s) == [s.as_str()];
                if one_run && s.chars().count() > 2 {
                    // Exact from the pairs' positions.
                    let h = Self::consecutive(
                        run_bigrams(s)
                            .iter()
                            .map(|g| self.lookup(g, false))
                            .collect(),
                    );
                    let d = df(&h);
                    return (h, true, d);
                }
                if let Some(parts) = joint_parts(s).filter(|_| !one_run) {
                    // Exact from the joints' positions.
                    let h = Self::at_offsets(
                        parts
                            .iter()
                            .map(|(k, key, prefix)| (*k, self.lookup(key, *prefix)))
                            .collect(),
                    );
                    let d = df(&h);
                    return (h, true, d);
                }
                let mut grams: Vec<&str> = han_runs(s).into_iter().flat_map(run_bigrams).collect();
                grams.sort();
                grams.dedup();
                let sets: Vec<Hits> = grams
                    .iter()
                    .map(|g| Self::in_text(Self::merged(self.lookup(g, false))))
                    .collect();
                let min_df = sets.iter().map(df).min().unwrap_or(0);
                let exact = one_run && s.chars().count() <= 2;
                let mut cands = Self::intersect(sets);
                if !exact {
                    // Narrowed by where its parts stand (confirmed by the text).
                    let parts: Vec<(u32, Vec<Entry>)> = mixed_parts(s)
                        .into_iter()
                        .map(|(k, key, prefix)| (k, self.lookup(&key, prefix)))
                        .collect();
                    if !parts.is_empty() {
                        let near = Self::at_offsets(parts);
                        cands.retain(|id, _| near.contains_key(id));
                    }
                }
                (cands, exact, min_df)
            }
            Term::Word { tok, prefix } => {
                let st = stem(tok);
                let mut entries: Vec<Entry> = self
                    .lookup(stem_base(&st), true)
                    .into_iter()
                    .filter(|e| stem(e.0) == st)
                    .collect();
                if *prefix {
                    entries.extend(self.lookup(tok, true));
                }
                entries.sort();
                entries.dedup();
                let h = Self::in_text(Self::merged(entries.iter().copied()));
                let d = df(&h);
                (h, true, d)
            }
            Term::Phrase { toks, prefix } => {
                let h = Self::consecutive(
                    toks.iter()
                        .enumerate()
                        .map(|(j, t)| self.lookup(t, *prefix && j == toks.len() - 1))
                        .collect(),
                );
                let d = df(&h);
                (h, true, d)
            }
        }
    }

    /// Cuts a Chinese string that occurs nowhere into the words it is made
    /// of, by the index's own pairs: a word grows while some paragraph has
    /// every pair of it, and ends where none has (乡镇幼儿园 → 乡镇, 幼儿园).
    /// A string whose pairs all stand together somewhere is cut into pairs.
    pub fn segment(&self, s: &str) -> Vec<String> {
        let c: Vec<&str> = s
            .char_indices()
            .map(|(i, ch)| &s[i..i + ch.len_utf8()])
            .collect();
        let mut pieces = Vec::new();
        let mut start = 0;
        let mut acc: Option<BTreeSet<u32>> = None;
        for j in 1..c.len() {
            let pair = format!("{}{}", c[j - 1], c[j]);
            let h: BTreeSet<u32> = Self::in_text(Self::merged(self.lookup(&pair, false)))
                .into_keys()
                .collect();
            let next: BTreeSet<u32> = match &acc {
                None => h,
                Some(a) => a.intersection(&h).copied().collect(),
            };
            if next.is_empty() {
                pieces.push(c[start..j].concat());
                start = j;
                acc = None;
            } else {
                acc = Some(next);
            }
        }
        pieces.push(c[start..].concat());
        if pieces.len() == 1 {
            let k = c.len();
            pieces.clear();
            let mut a = 0;
            while a + 2 <= k {
                pieces.push(c[a..a + 2].concat());
                a += 2;
            }
            if a < k {
                pieces.push(c[k - 2..k].concat());
            }
        }
        pieces
    }

    pub fn search(&self, query: &str, scope: Scope) -> Outcome {
        let terms = parse(query);
        let out = self.search_terms(&terms, scope);
        if out.zh + out.en > 0 {
            return out;
        }
        let mut split = Vec::new();
        let mut next: Vec<Term> = Vec::new();
        for t in &terms {
            match t {
                Term::Substring(s) if s.chars().count() >= 3 && s.chars().all(is_han) => {
                    for p in self.segment(s) {
                        split.push(p.clone());
                        let p = Term::Substring(p);
                        if !next.contains(&p) {
                            next.push(p);
                        }
                    }
                }
                t => {
                    if !next.contains(t) {
                        next.push(t.clone());
                    }
                }
            }
        }
        if split.is_empty() {
            return out;
        }
        let mut again = self.search_terms(&next, scope);
        again.split = split;
        again
    }

    /// The records that match every term, ranked.
    pub fn search_terms(&self, terms: &[Term], scope: Scope) -> Outcome {
        let terms = terms.to_vec();
        let mut out = Outcome {
            hits: Vec::new(),
            zh: 0,
            en: 0,
            read_text: false,
            split: Vec::new(),
        };
        if terms.is_empty() {
            return out;
        }
        let evaluated: Vec<(Hits, bool, usize)> =
            terms.iter().map(|t| self.term_hits(t, scope)).collect();
        let mut ids: Vec<u32> = evaluated[0].0.keys().copied().collect();
        for e in &evaluated[1..] {
            ids.retain(|id| e.0.contains_key(id));
        }
        let read_text = evaluated.iter().any(|e| !e.1)
            || (terms.len() > 1 && self.inline && ids.len() <= BONUS_MAX_CANDIDATES);
        out.read_text = read_text;
        // (id, per-term (tf, title, heading), all terms in one sentence)
        let mut matched: Vec<(u32, Vec<(u32, bool, bool)>, bool)> = Vec::new();
        for id in ids {
            if read_text {
                self.touch_text(id);
                let d = &self.docs[id as usize];
                let text = fold(&d.text);
                let title = fold(&d.title);
                let heading = fold(&d.heading);
                let per: Vec<(u32, bool, bool)> = terms
                    .iter()
                    .map(|t| {
                        (
                            count(t, &text),
                            count(t, &title) > 0,
                            count(t, &heading) > 0,
                        )
                    })
                    .collect();
                if per.iter().any(|p| p.0 == 0) {
                    continue;
                }
                let bonus = terms.len() > 1
                    && sentences(&text)
                        .iter()
                        .any(|s| terms.iter().all(|t| count(t, s) > 0));
                matched.push((id, per, bonus));
            } else {
                matched.push((id, evaluated.iter().map(|e| e.0[&id]).collect(), false));
            }
        }
        for m in &matched {
            if (m.0 as usize) < self.nzh {
                out.zh += 1;
            } else {
                out.en += 1;
            }
        }
        let n_scope = match scope {
            Scope::Zh => self.nzh,
            Scope::En => self.n - self.nzh,
            Scope::All => self.n,
        } as f64;
        let mut scored: Vec<(u32, f64, i64)> = matched
            .into_iter()
            .filter(|m| self.in_scope(m.0, scope))
            .map(|(id, per, bonus)| {
                let lang = usize::from(id as usize >= self.nzh);
                let norm = 1.0 - B + B * self.lens[id as usize] as f64 / self.avg[lang];
                let mut s = 0.0;
                for (k, &(tf, t, h)) in per.iter().enumerate() {
                    let df = evaluated[k].2 as f64;
                    let idf = (1.0 + (n_scope - df + 0.5) / (df + 0.5)).ln();
                    let w = tf as f64 / norm
                        + TITLE_BOOST * f64::from(u8::from(t))
                        + HEADING_BOOST * f64::from(u8::from(h));
                    s += idf * (w * (K1 + 1.0)) / (w + K1);
                }
                if bonus {
                    s *= SENTENCE_BONUS;
                }
                (id, s, (s * 1e6).round() as i64)
            })
            .collect();
        scored.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        out.hits = scored.into_iter().map(|s| (s.0, s.1)).collect();
        out
    }
}
