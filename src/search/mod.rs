//! Site search: an index built in Rust at build time, shipped as classic
//! `<script>` files that set a global, queried by `static/search.js` in the
//! browser, from file:// as well as over HTTP.
//!
//! # Why it is built this way
//!
//! The portal must work from a folder on disk, where browsers refuse
//! `fetch`, ES modules and WebAssembly, so the index is plain JavaScript
//! that assigns data to `window`; a search page loads more of it by adding
//! `<script>` tags. The same files work on any static host.
//!
//! Chinese has no spaces and readers expect to find any string they can see,
//! so Chinese is searched as a string: the index maps every Han character
//! and every overlapping pair of Han characters (within a run of Han) to
//! the paragraphs that contain it. A query of one or two characters is
//! answered by one posting list; a longer one by intersecting its pairs and
//! confirming each candidate against the stored paragraph. Results are
//! therefore exactly the paragraphs that contain the query: no dictionary,
//! no segmentation errors, nothing to ship but the index.
//!
//! English (and digits and Latin in Chinese text) is searched as words,
//! lower-cased, with a plural/possessive stemmer small enough to exist
//! identically in Rust and JS ([`text::stem`]), and the last word of the
//! query matched as a prefix while the reader types. The rules are in
//! [`text`] and [`query`]; `search.js` repeats them and a test compares.
//!
//! The unit is the paragraph (also each heading, each 专栏 box's title
//! and item, each value of the metadata table, the notice's 文号, 主送机关
//! and closing lines, each registry title and glossary term), so a result
//! links to the exact anchor. Titles and headings are also the records'
//! boosted fields, which raise paragraphs under a matching heading (BM25
//! with field boosts, see [`query`]); a short record that is the match
//! (a 文号, a box title) ranks above a passing mention by its length.
//!
//! A Chinese string of three or more characters is answered from the
//! positions of its pairs (pair `j` at position `p + j`), a phrase from its
//! words' positions: no paragraph's text is read to confirm them, so a
//! first query loads the dictionary parts of its keys and the text parts
//! of the results it shows. A Chinese string with digits or punctuation
//! (`专栏9`, `“1+X”证书`, `2020年1月10日`, `集政办发[2020]2号`) is answered
//! the same way from its **joints**: each two neighbouring items of the
//! stream with the characters between them (`栏9`, `1+x”证`, `年1`), and
//! the punctuation at its ends with the item next to it (`“1+x`), all
//! indexed with their positions ([`index::positioned`],
//! [`query::joint_parts`]). Only a string with white space or a long run
//! of punctuation inside, or a word at its end with no Han character next
//! to it, is confirmed against the paragraphs' text. When a query is found nowhere, its Chinese
//! terms are cut into the words they are made of by the index's own pairs
//! ([`query::Index::segment`]); a date is any of the ways it is written.
//!
//! # Format (version 2)
//!
//! Record numbers: Chinese records first, then English, each in reading
//! order; a language is a range `0..nzh` / `nzh..n`.
//!
//! The records are cut into **segments**: the records of one language and
//! one group of [`index::SEGMENT_DOCS`] consecutive documents; the site's
//! own pages (registry, glossary) join the language's last group, so a
//! query looks up one segment fewer. Each segment has its own
//! dictionary and text parts, its postings counting records from its
//! first; so an edit to one document makes its segment's parts again and
//! no other, and a cached build keeps the rest as they are in the output
//! ([`index::Previous`]).
//!
//! `static/search-index.js` sets `window.GONGKAI_SEARCH` to
//! `{v, n, nzh, len, pr, docs, dr, sg, xs, parts, inline?}`:
//! * `len`: the length (stream items) of every record, as varints;
//! * `pr`: the number of records of each page, in order (a page's records
//!   are consecutive), as varints: results are grouped by page;
//! * `docs`: `[id, {lang: title}, [分类], year or 0]` of each document;
//! * `dr`: runs of records of one document, as varint pairs (document
//!   number + 1, or 0 for the site's own pages; count);
//! * `sg`: the segments in record order, each `[name, hash of its
//!   records, its first record number, tk]`, where `tk[i]` is the first
//!   key of its dictionary part `i` (`""` for part 0), keys sorted by
//!   UTF-16 code units, so a key or a prefix range names its parts;
//! * `parts`: names of the dictionary parts, segment after segment (as
//!   many as all `tk` have keys), then of the text parts (`xs.length`);
//! * `xs[j]`: the first record number of text part `j` (a text part holds
//!   records of one segment);
//! * `inline`: every part by name, when the records' text is small (up to
//!   [`index::SINGLE_TEXT_MAX`]): one file, one request. Otherwise part `p`
//!   is `static/search/<p>.js` (its name ends with a hash of its content, so
//!   caches never mix builds), which does
//!   `(window.GONGKAI_SEARCH_PARTS||(…={}))["<p>"]={…}`.
//!
//! A dictionary part is `{k: "key key …", p: "postings postings …"}` (keys
//! never contain white space). A key is a Han character, a word, or a
//! joint ([`index::positioned`]): a prefix lookup of a word keeps the
//! words. Postings are pairs of varints per record: the gap from the
//! previous record number (the first from the segment's first record
//! number - 1), then
//! `tf*4 + in_title*2 + in_heading`, then, for every key but a single Han
//! character, the `tf` positions of the key in the record's stream (gaps,
//! the first from 0); a record whose title or heading has the key but whose
//! text does not appears with `tf = 0` (it only ranks).
//! Varints are base-32 digits from [`index::DIGITS`], low bits first, with
//! a second set of 32 characters meaning "more digits follow".
//!
//! A text part is `{u: [page URLs], s: [titles and headings], r: [[u, anchor,
//! title, heading, text], …]}`: each string once per part.
//!
//! All JSON goes through [`script_safe`], so no content can end the script.

pub mod index;
pub mod query;
pub mod text;

use serde::{Deserialize, Serialize};

/// Path of the main index file, relative to the site root.
pub const MAIN_FILE: &str = "static/search-index.js";
/// Folder of the parts of a split index.
pub const PARTS_DIR: &str = "static/search/";
/// What a part file assigns to, before `["name"]=`.
pub const PART_PREFIX: &str = "(window.GONGKAI_SEARCH_PARTS||(window.GONGKAI_SEARCH_PARTS={}))";
/// What the main file assigns to, before `=`.
pub const MAIN_PREFIX: &str = "window.GONGKAI_SEARCH";

/// The JSON the main file's script assigns (`None`: not the main file).
pub fn main_body(js: &str) -> Option<&str> {
    assigned(js, &format!("{MAIN_PREFIX}="))
}

/// The JSON the script of the part `name` assigns (`None`: not that part).
pub fn part_body<'a>(js: &'a str, name: &str) -> Option<&'a str> {
    assigned(js, &format!("{PART_PREFIX}[\"{name}\"]="))
}

/// What follows `prefix` in an index script, up to its closing `;`.
fn assigned<'a>(js: &'a str, prefix: &str) -> Option<&'a str> {
    js.strip_prefix(prefix)?.trim_end().strip_suffix(';')
}

/// One searchable unit: a paragraph (or heading, or box item) of a page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    /// The language's code (`zh`, `en`).
    pub lang: String,
    /// Root-relative URL of the page with the anchor, e.g.
    /// `jian-education-plan/c1-s1/index.html#c1-s1-p3`.
    pub url: String,
    /// Title of the page the record is on (boosted field).
    pub title: String,
    /// Heading of the section the record is in (boosted field), may equal `title`.
    pub heading: String,
    /// The paragraph's plain text, as the reader sees it.
    pub text: String,
    /// The document the page belongs to (its id), empty for the pages of
    /// the whole site (the registry's, the glossary).
    #[serde(default)]
    pub doc: String,
}

/// A record as the index reads it, borrowed from wherever records are
/// kept (a [`Record`], or a document summary's compact records): the
/// index holds no copy of the text it is built from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordRef<'a> {
    pub lang: &'a str,
    /// The URL's page (before `#`).
    pub page: &'a str,
    /// The URL's anchor (after `#`; empty: none).
    pub anchor: &'a str,
    pub title: &'a str,
    pub heading: &'a str,
    pub text: &'a str,
    pub doc: &'a str,
}

impl RecordRef<'_> {
    /// Its size in the index's text parts: its text and URL and about
    /// what the JSON around them takes (what decides whether the index
    /// goes inline).
    pub fn weight(&self) -> usize {
        self.text.len() + self.url_len() + 16
    }

    /// The length of the record's URL (`page#anchor`).
    pub fn url_len(&self) -> usize {
        match self.anchor.len() {
            0 => self.page.len(),
            n => self.page.len() + 1 + n,
        }
    }
}

impl Record {
    pub fn as_ref(&self) -> RecordRef<'_> {
        let (page, anchor) = self.url.split_once('#').unwrap_or((&self.url, ""));
        RecordRef {
            lang: &self.lang,
            page,
            anchor,
            title: &self.title,
            heading: &self.heading,
            text: &self.text,
            doc: &self.doc,
        }
    }
}

/// What the search page says of a document and filters by.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocFacts {
    /// The document's id (`Record::doc`).
    pub id: String,
    /// Its title by language code.
    pub titles: std::collections::BTreeMap<String, String>,
    /// Its 分类 (主题分类 paths such as `科技、教育\\教育`).
    pub categories: Vec<String>,
    /// The year it is filed under.
    pub year: Option<u32>,
}

/// The files of the search index, paths relative to the site root: the main
/// file and, for a large site, its parts. Deterministic.
pub fn build_index(records: &[Record]) -> Vec<(String, Vec<u8>)> {
    let refs: Vec<RecordRef> = records.iter().map(Record::as_ref).collect();
    index::build(&refs, &[])
}

/// The index with the facts of the documents the records belong to (for
/// the filters and for naming a result's document), from records borrowed
/// in any order ([`index::ordered`] puts the Chinese first).
pub fn build_index_with(records: &[RecordRef], docs: &[DocFacts]) -> Vec<(String, Vec<u8>)> {
    index::build(records, docs)
}

/// `build_index_with` from units of records ([`index::Unit`]), each file
/// handed to `emit` as it is made (the main file last), in no particular
/// order otherwise. With `previous` (the index an earlier build wrote,
/// read back), the segments whose records are unchanged keep their parts,
/// which are not emitted again, and those of units whose records are not
/// given are kept as they are. Returns the names of the parts the main
/// file loads; `None` when the units' segments cannot be kept
/// ([`index::build_units`]).
pub fn build_index_units(
    records: &[RecordRef],
    units: &[index::Unit],
    docs: &[DocFacts],
    previous: Option<&index::Previous>,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Option<Vec<String>> {
    index::build_units(records, units, docs, previous, emit)
}

/// JSON made safe inside a classic script: no `</script>`, no `<!--`, no
/// U+2028/9. Only escapes inside JSON strings, where `<` and `\u003c` mean
/// the same, so the data is unchanged.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}
