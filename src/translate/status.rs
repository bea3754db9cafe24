//! `gongkai translate status`: for each document and translation, how many
//! units are translated, need review (their Chinese changed since, or they
//! were imported unconfirmed) or have no translation.

use super::record::Record;
use super::source_hash;
use super::units::units;
use crate::content::{Document, Site};
use crate::diagnostic::Result;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocStatus {
    pub doc: String,
    pub lang: String,
    pub units: usize,
    pub translated: usize,
    pub review: usize,
    pub missing: usize,
}

/// Every document's counts in every translation, in site order.
pub fn status(site: &Site) -> Result<Vec<DocStatus>> {
    site.documents
        .iter()
        .flat_map(|doc| {
            site.config
                .translation_codes()
                .into_iter()
                .map(move |lang| doc_status(doc, &lang))
        })
        .collect()
}

/// One document's counts in the translation `lang`, from the document as
/// loaded (its translation and the record of what it was made from).
pub fn doc_status(doc: &Document, lang: &str) -> Result<DocStatus> {
    let record = Record::of(doc, lang);
    let mut s = DocStatus {
        doc: doc.id.clone(),
        lang: lang.to_string(),
        units: 0,
        translated: 0,
        review: 0,
        missing: 0,
    };
    for u in units(doc, lang)? {
        s.units += 1;
        match &u.target {
            None => s.missing += 1,
            Some(_) if record.is_current(&u.id, &source_hash(&u.source)) => s.translated += 1,
            Some(_) => s.review += 1,
        }
    }
    Ok(s)
}

/// The counts as a table.
pub fn table(rows: &[DocStatus]) -> String {
    let w = rows
        .iter()
        .map(|r| r.doc.chars().count())
        .max()
        .unwrap_or(0)
        .max(8);
    let mut out = format!(
        "{:<w$}  {:<8}  {:>5}  {:>10}  {:>12}  {:>7}\n",
        "document", "language", "units", "translated", "needs review", "missing"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<w$}  {:<8}  {:>5}  {:>10}  {:>12}  {:>7}\n",
            r.doc, r.lang, r.units, r.translated, r.review, r.missing
        ));
    }
    out
}
