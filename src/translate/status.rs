//! `gongkai translate status`: for each document and translation, how many
//! units are translated, need review (their Chinese changed since, or they
//! were imported unconfirmed) or have no translation.

use super::record::Record;
use super::source_hash;
use super::units::units;
use crate::content::Site;
use crate::diagnostic::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
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
    let mut out = Vec::new();
    for doc in &site.documents {
        for lang in site.config.translation_codes() {
            let record = Record::load(&doc.dir.join(&lang))?;
            let us = units(doc, &lang)?;
            let mut s = DocStatus {
                doc: doc.id.clone(),
                lang: lang.clone(),
                units: us.len(),
                translated: 0,
                review: 0,
                missing: 0,
            };
            for u in &us {
                match &u.target {
                    None => s.missing += 1,
                    Some(_) if record.is_current(&u.id, &source_hash(&u.source)) => {
                        s.translated += 1
                    }
                    Some(_) => s.review += 1,
                }
            }
            out.push(s);
        }
    }
    Ok(out)
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
