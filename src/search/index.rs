//! Writing the index: records → the `<script>` files of the format that
//! [`super::query`] and `search.js` read. The format is described in
//! `mod.rs`; this file only has to agree with it.

use super::text::{fold, is_han, is_word, stream, stream_len};
use super::{script_safe, DocFacts, Record, MAIN_FILE, PARTS_DIR, PART_PREFIX};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// The alphabet of the variable-length integers: 32 final digits, then 32
/// continuation digits, 5 bits each, low bits first. No character needs
/// escaping in JSON or HTML, and none is a space (the list separator).
pub const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Up to this many bytes of parts, everything goes inline into the main
/// file: one request, nothing to load on demand (the one-document site).
pub const SINGLE_FILE_MAX: usize = 512 * 1024;
/// Target size of a dictionary part when the index is split.
pub const TERM_PART_TARGET: usize = 32 * 1024;
/// Target size of a text part when the index is split.
/// Small, because showing 20 results loads up to 20 of them.
pub const TEXT_PART_TARGET: usize = 16 * 1024;

pub fn push_varint(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(DIGITS[32 + (v & 31) as usize] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
}

/// The distinct keys of each title and heading, sorted, computed once per
/// string (every paragraph of a section repeats them).
fn field_keys<'a>(recs: &[&'a Record]) -> HashMap<&'a str, Vec<String>> {
    let mut out: HashMap<&str, Vec<String>> = HashMap::new();
    for r in recs {
        for s in [r.title.as_str(), r.heading.as_str()] {
            out.entry(s).or_insert_with(|| {
                let f = fold(s);
                let mut k: Vec<String> = positioned(&f)
                    .into_iter()
                    .map(|k| k.0.to_string())
                    .collect();
                k.sort_unstable();
                k.dedup();
                k
            });
        }
    }
    out
}

/// Whether a key's postings carry positions: every key but a single Han
/// character (pairs and words; a one-character query needs none).
pub fn has_positions(key: &str) -> bool {
    let mut c = key.chars();
    !matches!((c.next(), c.next()), (Some(ch), None) if is_han(ch))
}

/// The longest gap (characters between two stream items) that a key holds.
pub const GAP_MAX: usize = 4;

/// Whether a key may hold this gap: no white space (the keys' separator),
/// at most [`GAP_MAX`] characters.
pub fn gap_ok(gap: &str) -> bool {
    gap.chars().count() <= GAP_MAX && !gap.chars().any(char::is_whitespace)
}

/// The keys of a folded text with their positions in its stream:
/// * each item (a Han character, a word) at its own position;
/// * each **joint**: two neighbouring items with the gap between them
///   (`专栏`, `栏9`, `2020年`, `1+x”证`, `发[2020`), when the gap is
///   [`gap_ok`], at the first's position; a pair of touching Han
///   characters is the joint of an empty gap. A word before a Han
///   character also gives the joints of its ends (`020年`, `20年`, `0年`
///   for `2020年`), so that a string may begin inside a word;
/// * before a Han character, or a word followed by one: every end of the
///   gap before it (after its last white space, at most [`GAP_MAX`]
///   characters) with the item (`“1+x`, `《吉`), at the item's position;
/// * after a Han character, or a word after one, with no joint after it:
///   the item with the start of the gap after it (up to its first white
///   space, at most [`GAP_MAX`] characters), at the item's position.
///
/// A Chinese string with other characters is then decided by these keys
/// at its positions ([`super::query::joint_parts`]).
pub fn positioned(text: &str) -> Vec<(&str, u32)> {
    let items = stream(text);
    let mut out = Vec::with_capacity(items.len() * 2);
    for (i, it) in items.iter().enumerate() {
        let pos = i as u32;
        out.push((it.text, pos));
        let before = &text[if i == 0 { 0 } else { items[i - 1].end }..it.start];
        let next = items.get(i + 1);
        let after = &text[it.end..next.map_or(text.len(), |n| n.start)];
        let prev_han = i > 0 && items[i - 1].han;
        let next_han = next.is_some_and(|n| n.han);
        let mut joined = false;
        if let Some(nx) = next {
            if gap_ok(after) {
                joined = true;
                out.push((&text[it.start..nx.end], pos));
                if !it.han && nx.han {
                    for (off, c) in it.text.char_indices().skip(1) {
                        if is_word(c) {
                            out.push((&text[it.start + off..nx.end], pos));
                        }
                    }
                }
            }
        }
        if it.han || next_han {
            let tail = match before.char_indices().rfind(|c| c.1.is_whitespace()) {
                Some((w, c)) => &before[w + c.len_utf8()..],
                None => before,
            };
            let starts: Vec<usize> = tail.char_indices().map(|c| c.0).collect();
            let keep = starts.len().saturating_sub(GAP_MAX);
            for &s in &starts[keep..] {
                let at = it.start - tail.len() + s;
                out.push((&text[at..it.end], pos));
            }
        }
        if !joined && (it.han || prev_han) {
            let head = after
                .find(char::is_whitespace)
                .map_or(after, |w| &after[..w]);
            let end = head.char_indices().nth(GAP_MAX).map_or(head.len(), |c| c.0);
            if end > 0 {
                out.push((&text[it.start..it.end + end], pos));
            }
        }
    }
    out
}

/// One record's postings entries: (key, tf*4 + in_title*2 + in_heading,
/// positions of the key in the text), keys borrowed from the folded text
/// or the field keys.
fn analyse<'a>(
    text: &'a str,
    title: &'a [String],
    heading: &'a [String],
) -> Vec<(&'a str, u32, Vec<u32>)> {
    let mut ks: Vec<(&str, u32)> = positioned(text);
    ks.sort_unstable();
    let mut out: Vec<(&str, u32, Vec<u32>)> = Vec::new();
    let mut i = 0;
    while i < ks.len() {
        let k = ks[i].0;
        let mut j = i;
        while j < ks.len() && ks[j].0 == k {
            j += 1;
        }
        let t = title.binary_search_by(|x| x.as_str().cmp(k)).is_ok();
        let h = heading.binary_search_by(|x| x.as_str().cmp(k)).is_ok();
        let tf = (j - i) as u32;
        let pos = if has_positions(k) {
            ks[i..j].iter().map(|e| e.1).collect()
        } else {
            Vec::new()
        };
        out.push((k, tf * 4 + (t as u32) * 2 + h as u32, pos));
        i = j;
    }
    // Keys only in the title or heading: they only rank (tf = 0).
    let mut extra: Vec<&str> = title
        .iter()
        .chain(heading)
        .map(String::as_str)
        .filter(|k| out.binary_search_by(|e| e.0.cmp(k)).is_err())
        .collect();
    extra.sort_unstable();
    extra.dedup();
    for k in extra {
        let t = title.binary_search_by(|x| x.as_str().cmp(k)).is_ok();
        let h = heading.binary_search_by(|x| x.as_str().cmp(k)).is_ok();
        out.push((k, (t as u32) * 2 + h as u32, Vec::new()));
    }
    out
}

/// Chinese records first, then the others, each in the given order: a
/// language is then a range of record numbers.
pub fn ordered(records: &[Record]) -> Vec<&Record> {
    let mut v: Vec<&Record> = records.iter().filter(|r| r.lang == "zh").collect();
    v.extend(records.iter().filter(|r| r.lang != "zh"));
    v
}

fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in bytes {
        h ^= *b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

fn json_str(v: &Value) -> String {
    script_safe(&serde_json::to_string(v).expect("index serializes"))
}

/// Groups consecutive items into parts of about `target` bytes.
fn chunk<T>(items: Vec<(usize, T)>, target: usize) -> Vec<Vec<T>> {
    let mut parts: Vec<Vec<T>> = vec![Vec::new()];
    let mut size = 0;
    for (n, item) in items {
        if size > 0 && size + n > target {
            parts.push(Vec::new());
            size = 0;
        }
        size += n;
        parts.last_mut().unwrap().push(item);
    }
    parts
}

pub fn build(records: &[Record], facts: &[DocFacts]) -> Vec<(String, Vec<u8>)> {
    let recs = ordered(records);
    let folded: Vec<String> = recs.par_iter().map(|r| fold(&r.text)).collect();
    let fields = field_keys(&recs);
    let entries: Vec<Vec<(&str, u32, Vec<u32>)>> = recs
        .par_iter()
        .zip(&folded)
        .map(|(r, text)| analyse(text, &fields[r.title.as_str()], &fields[r.heading.as_str()]))
        .collect();

    // Dictionary: key → postings, record numbers ascending.
    let mut dict: HashMap<&str, Vec<(u32, u32, &[u32])>> = HashMap::new();
    for (id, e) in entries.iter().enumerate() {
        for (k, code, pos) in e {
            dict.entry(k)
                .or_default()
                .push((id as u32, *code, pos.as_slice()));
        }
    }
    let mut keys: Vec<&str> = dict.keys().copied().collect();
    // JS compares strings by UTF-16 code units; so must the sorted keys.
    keys.sort_by_cached_key(|k| k.encode_utf16().collect::<Vec<u16>>());
    let encoded: Vec<(usize, (&str, String))> = keys
        .par_iter()
        .map(|k| {
            let post = &dict[k];
            let mut s = String::with_capacity(post.len() * 2);
            let mut prev: i64 = -1;
            for &(id, code, pos) in post {
                push_varint(&mut s, (id as i64 - prev) as u64);
                push_varint(&mut s, code as u64);
                let mut last = 0;
                for &p in pos {
                    push_varint(&mut s, (p - last) as u64);
                    last = p;
                }
                prev = id as i64;
            }
            (k.len() + s.len() + 2, (*k, s))
        })
        .collect();

    // Text: each record with its page, anchor, title and heading.
    let texts: Vec<(usize, &Record)> = recs
        .iter()
        .map(|r| (r.text.len() + r.url.len() + 16, *r))
        .collect();

    let mut parts: Vec<(String, Value)> = Vec::new();
    let mut tk = Vec::new();
    let term_total: usize = encoded.iter().map(|e| e.0).sum();
    let text_total: usize = texts.iter().map(|e| e.0).sum();
    let single = term_total + text_total <= SINGLE_FILE_MAX;
    let (term_target, text_target) = if single {
        (usize::MAX, usize::MAX)
    } else {
        (TERM_PART_TARGET, TEXT_PART_TARGET)
    };
    for group in chunk(encoded, term_target) {
        tk.push(if tk.is_empty() {
            String::new()
        } else {
            group[0].0.to_string()
        });
        let k: Vec<&str> = group.iter().map(|g| g.0).collect();
        let p: Vec<&str> = group.iter().map(|g| g.1.as_str()).collect();
        parts.push((
            format!("t{}", parts.len()),
            json!({"k": k.join(" "), "p": p.join(" ")}),
        ));
    }
    let n_terms = parts.len();
    let mut xs = Vec::new();
    let mut next = 0usize;
    for group in chunk(texts, text_target) {
        xs.push(next);
        next += group.len();
        let mut urls: Vec<&str> = Vec::new();
        let mut url_ix: BTreeMap<&str, usize> = BTreeMap::new();
        let mut strs: Vec<&str> = Vec::new();
        let mut str_ix: BTreeMap<&str, usize> = BTreeMap::new();
        let mut rows = Vec::new();
        for r in group {
            let (page, anchor) = r.url.split_once('#').unwrap_or((r.url.as_str(), ""));
            let u = *url_ix.entry(page).or_insert_with(|| {
                urls.push(page);
                urls.len() - 1
            });
            let t = *str_ix.entry(r.title.as_str()).or_insert_with(|| {
                strs.push(r.title.as_str());
                strs.len() - 1
            });
            let h = *str_ix.entry(r.heading.as_str()).or_insert_with(|| {
                strs.push(r.heading.as_str());
                strs.len() - 1
            });
            rows.push(json!([u, anchor, t, h, r.text]));
        }
        parts.push((
            format!("x{}", parts.len() - n_terms),
            json!({"u": urls, "s": strs, "r": rows}),
        ));
    }

    let mut lens = String::new();
    for text in &folded {
        push_varint(&mut lens, stream_len(text) as u64);
    }
    let nzh = recs.iter().filter(|r| r.lang == "zh").count();
    // Documents: the facts given, then any other a record names; each
    // record's document as runs of (document number + 1, or 0, count).
    let mut docs: Vec<Value> = Vec::new();
    let mut doc_ix: BTreeMap<&str, usize> = BTreeMap::new();
    for f in facts {
        if doc_ix.contains_key(f.id.as_str()) {
            continue;
        }
        doc_ix.insert(f.id.as_str(), docs.len());
        docs.push(json!([f.id, f.titles, f.categories, f.year.unwrap_or(0)]));
    }
    let mut runs = String::new();
    let mut run: Option<(usize, u64)> = None;
    for r in &recs {
        let d = if r.doc.is_empty() {
            0
        } else {
            let next = docs.len();
            let i = *doc_ix.entry(r.doc.as_str()).or_insert(next);
            if i == next {
                docs.push(json!([r.doc, {}, [], 0]));
            }
            i + 1
        };
        match &mut run {
            Some((cur, n)) if *cur == d => *n += 1,
            _ => {
                if let Some((cur, n)) = run {
                    push_varint(&mut runs, cur as u64);
                    push_varint(&mut runs, n);
                }
                run = Some((d, 1));
            }
        }
    }
    if let Some((cur, n)) = run {
        push_varint(&mut runs, cur as u64);
        push_varint(&mut runs, n);
    }
    // Pages: the lengths of the runs of records on one page (a page's
    // records are consecutive), so results are grouped by page before
    // their text is loaded.
    let mut pages = String::new();
    let mut i = 0;
    while i < recs.len() {
        let page = |r: &Record| r.url.split('#').next().unwrap_or_default().to_string();
        let p = page(recs[i]);
        let mut j = i + 1;
        while j < recs.len() && page(recs[j]) == p {
            j += 1;
        }
        push_varint(&mut pages, (j - i) as u64);
        i = j;
    }
    let mut main = json!({
        "v": 1,
        "pr": pages,
        "n": recs.len(),
        "nzh": nzh,
        "len": lens,
        "tk": tk,
        "xs": xs,
        "docs": docs,
        "dr": runs,
    });
    let mut files = Vec::new();
    let mut names = Vec::new();
    let mut inline = serde_json::Map::new();
    for (name, value) in parts {
        let body = json_str(&value);
        if single {
            names.push(name.clone());
            inline.insert(name, value);
        } else {
            let name = format!("{name}.{:08x}", fnv(body.as_bytes()));
            let js = format!("{PART_PREFIX}[\"{name}\"]={body};\n");
            files.push((format!("{PARTS_DIR}{name}.js"), js.into_bytes()));
            names.push(name);
        }
    }
    main["parts"] = json!(names);
    if single {
        main["inline"] = Value::Object(inline);
    }
    let js = format!("window.GONGKAI_SEARCH={};\n", json_str(&main));
    files.push((MAIN_FILE.to_string(), js.into_bytes()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}
