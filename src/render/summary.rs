//! What the site-wide pages and the pages of other documents need of one
//! document, made once per document: where its citations stand (with the
//! titles of the sections they stand in, so that a backlink can be written
//! without the citing document's text), its search records and how far its
//! translations are. The
//! library page reads the catalog; everything else that lists or cites
//! across documents reads these. A build keeps them in its cache, so that
//! after an edit to one document the others need not be read again.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Build;
use crate::content::{Document, Kind};
use crate::diagnostic::Result;
use crate::references::Place;
use crate::search::Record;

/// One document's part in the site-wide pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The document's id.
    pub doc: String,
    /// Its citations, in reading order.
    pub places: Vec<Place>,
    /// The sections its citations stand in: by section id.
    pub sections: BTreeMap<String, PlaceSection>,
    /// Its search records, by language code (the languages it is in).
    pub records: BTreeMap<String, Vec<Record>>,
    /// A hash of `records`: the search page's address of the index
    /// changes when any document's records do.
    pub records_hash: String,
    /// How far each translation is (the about page's table), one per
    /// language the site translates into, in the site's order.
    pub translation: Vec<crate::translate::status::DocStatus>,
}

/// A section that holds citations, as a backlink names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceSection {
    /// Shown on the document page (the notice and the attachments' heads)
    /// rather than on a page of its own.
    pub head: bool,
    /// Its title in each language: the document's title for a head, the
    /// heading as shown for a chapter or section.
    pub titles: BTreeMap<String, String>,
}

impl Build<'_> {
    /// `doc`'s summary; `places` are its citations (`references::collect_document`).
    /// Fails only where `translate status` would: two translation units
    /// of one id.
    pub fn summarize(&self, doc: &Document, places: Vec<Place>) -> Result<Summary> {
        let mut sections = BTreeMap::new();
        for p in &places {
            if sections.contains_key(&p.section) {
                continue;
            }
            let Some(s) = doc.original.section(&p.section) else {
                continue;
            };
            let head = matches!(s.kind, Kind::Notice | Kind::Attachment);
            let titles = self
                .langs
                .all
                .iter()
                .map(|lang| {
                    let title = if head {
                        self.doc_title(doc, lang)
                    } else {
                        self.heading_view(doc, self.section_in(doc, &s.id, lang).0, lang)
                            .text
                    };
                    (lang.code.clone(), title)
                })
                .collect();
            sections.insert(p.section.clone(), PlaceSection { head, titles });
        }
        let records = self
            .langs
            .all
            .iter()
            .filter(|l| l.authoritative || doc.translations.contains_key(&l.code))
            .map(|l| {
                (
                    l.code.clone(),
                    super::pages::search::document_records(self, doc, l),
                )
            })
            .collect();
        let records_hash = hash_records(&records);
        let translation = self
            .langs
            .all
            .iter()
            .filter(|l| !l.authoritative)
            .map(|l| crate::translate::status::doc_status(doc, &l.code))
            .collect::<Result<_>>()?;
        Ok(Summary {
            doc: doc.id.clone(),
            places,
            sections,
            records,
            records_hash,
            translation,
        })
    }

    /// A short hash of what the search index is made from (every
    /// document's records, the site's own pages' records, the documents'
    /// facts the filters use), without making it.
    pub fn records_version(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for s in self.summaries {
            h.update(s.records_hash.as_bytes());
        }
        let mut site = BTreeMap::new();
        for lang in &self.langs.all {
            site.insert(
                lang.code.clone(),
                super::pages::search::site_records(self, lang),
            );
        }
        h.update(hash_records(&site).as_bytes());
        let facts =
            serde_json::to_string(&super::pages::search::doc_facts(self)).expect("facts serialize");
        h.update(facts.as_bytes());
        h.finalize()[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn hash_records(records: &BTreeMap<String, Vec<Record>>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (lang, rs) in records {
        h.update(lang.as_bytes());
        for r in rs {
            for field in [&r.lang, &r.url, &r.title, &r.heading, &r.text, &r.doc] {
                h.update((field.len() as u64).to_le_bytes());
                h.update(field.as_bytes());
            }
        }
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
