//! Search: an index built in Rust at build time, shipped as classic
//! `<script>` files that set a global, queried by `static/search.js` in the
//! browser, from file:// as well as over HTTP.

use serde::Serialize;

/// One searchable unit: a paragraph (or heading, or box item) of a page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Record {
    /// `zh` or `en`.
    pub lang: &'static str,
    /// Root-relative URL of the page with the anchor, e.g.
    /// `jian-education-plan/c1-s1/index.html#c1-s1-p3`.
    pub url: String,
    /// Title of the page the record is on (boosted field).
    pub title: String,
    /// Heading of the section the record is in (boosted field), may equal `title`.
    pub heading: String,
    /// The paragraph's plain text, as the reader sees it.
    pub text: String,
}

/// The files of the search index, paths relative to the site root.
pub fn build_index(records: &[Record]) -> Vec<(String, Vec<u8>)> {
    let json = serde_json::to_string(records).expect("records serialize");
    let js = format!("window.GONGKAI_SEARCH={};\n", script_safe(&json));
    vec![("static/search-index.js".to_string(), js.into_bytes())]
}

/// JSON made safe inside a classic script: no `</script>`, no U+2028/9.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}
