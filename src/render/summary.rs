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
use crate::search::{Record, RecordRef};

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
    /// Kept apart in the build cache, which reads them back only for the
    /// documents whose part of the search index an edit makes again: a
    /// summary read from the cache holds none until then.
    #[serde(skip)]
    pub records: BTreeMap<String, Records>,
    /// The size of its records in each language they are in
    /// ([`Records::weight`]), read when they are not held.
    pub record_weights: BTreeMap<String, usize>,
    /// A hash of `records`: the search page's address of the index
    /// changes when any document's records do.
    pub records_hash: String,
    /// How far each translation is (the about page's table), one per
    /// language the site translates into, in the site's order.
    pub translation: Vec<crate::translate::status::DocStatus>,
}

impl Summary {
    /// The registry entries whose pages show something of this document
    /// that differs from `was` (its summary before an edit): an entry's
    /// page lists its citations, each with the sentence and the title of
    /// the section it stands in. An entry is in when the citations of it
    /// (in order) differ, or when one of them stands in a section whose
    /// titles differ. The document's catalog entry is not compared: a
    /// changed entry changes every page that names the document.
    pub fn references_changed_from(&self, was: &Summary) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        if self.places == was.places && self.sections == was.sections {
            return out;
        }
        fn refs(s: &Summary) -> std::collections::BTreeSet<&str> {
            s.places
                .iter()
                .filter_map(|p| p.citation.reference.as_deref())
                .collect()
        }
        fn of<'s>(s: &'s Summary, r: &'s str) -> impl Iterator<Item = &'s Place> + Clone {
            s.places
                .iter()
                .filter(move |p| p.citation.reference.as_deref() == Some(r))
        }
        let section_changed =
            |p: &Place| self.sections.get(&p.section) != was.sections.get(&p.section);
        for r in refs(self).union(&refs(was)) {
            let (now, before) = (of(self, r), of(was, r));
            if !now.clone().eq(before.clone()) || now.chain(before).any(section_changed) {
                out.insert(r.to_string());
            }
        }
        out
    }
}

/// A document's search records in one language, held compactly: each page,
/// title and heading once, and every record's anchor and text one after
/// another in one string (a library's records are most of what a build
/// holds of its documents).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    /// The pages, titles and headings, each once.
    strings: Vec<String>,
    /// Each record's anchor, then its text.
    text: String,
    rows: Vec<Row>,
}

/// One record of `Records`: its page, title and heading (in `strings`), and
/// where its anchor and its text end in `text` (each starts where the one
/// before ends).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Row {
    page: u32,
    title: u32,
    heading: u32,
    anchor_end: u32,
    text_end: u32,
}

impl Records {
    pub fn new(records: &[Record]) -> Records {
        fn string<'a>(
            s: &'a str,
            ix: &mut std::collections::HashMap<&'a str, u32>,
            strings: &mut Vec<String>,
        ) -> u32 {
            *ix.entry(s).or_insert_with(|| {
                strings.push(s.to_string());
                (strings.len() - 1) as u32
            })
        }
        let mut out = Records::default();
        let mut ix = std::collections::HashMap::new();
        for r in records {
            let r = r.as_ref();
            let page = string(r.page, &mut ix, &mut out.strings);
            let title = string(r.title, &mut ix, &mut out.strings);
            let heading = string(r.heading, &mut ix, &mut out.strings);
            out.text.push_str(r.anchor);
            let anchor_end = out.text.len() as u32;
            out.text.push_str(r.text);
            out.rows.push(Row {
                page,
                title,
                heading,
                anchor_end,
                text_end: out.text.len() as u32,
            });
        }
        out.strings.shrink_to_fit();
        out.text.shrink_to_fit();
        out.rows.shrink_to_fit();
        out
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Their size in the search index's text ([`RecordRef::weight`]
    /// summed; borrowing them allocates nothing).
    pub fn weight(&self) -> usize {
        self.iter("", "").map(|r| r.weight()).sum()
    }

    /// The records, as the index reads them.
    pub fn iter<'a>(
        &'a self,
        lang: &'a str,
        doc: &'a str,
    ) -> impl Iterator<Item = RecordRef<'a>> + 'a {
        let mut start = 0;
        self.rows.iter().map(move |r| {
            let (a, t) = (r.anchor_end as usize, r.text_end as usize);
            let rec = RecordRef {
                lang,
                page: &self.strings[r.page as usize],
                anchor: &self.text[start..a],
                title: &self.strings[r.title as usize],
                heading: &self.strings[r.heading as usize],
                text: &self.text[a..t],
                doc,
            };
            start = t;
            rec
        })
    }
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
                    Records::new(&super::pages::search::document_records(self, doc, l)),
                )
            })
            .collect();
        let records_hash = hash_records(&records, &doc.id);
        let record_weights = records
            .iter()
            .filter(|(_, r)| !r.is_empty())
            .map(|(l, r)| (l.clone(), r.weight()))
            .collect();
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
            record_weights,
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
        let site = site
            .iter()
            .map(|(l, rs)| (l.as_str(), rs.iter().map(Record::as_ref)));
        h.update(hash_of(site).as_bytes());
        let facts =
            serde_json::to_string(&super::pages::search::doc_facts(self)).expect("facts serialize");
        h.update(facts.as_bytes());
        h.finalize()[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn hash_records(records: &BTreeMap<String, Records>, doc: &str) -> String {
    hash_of(
        records
            .iter()
            .map(|(lang, rs)| (lang.as_str(), rs.iter(lang, doc))),
    )
}

/// The hash of records in languages: for each language its code, then each
/// record's fields as (length, bytes), the URL as `page#anchor`.
fn hash_of<'a, R: Iterator<Item = RecordRef<'a>>>(
    langs: impl Iterator<Item = (&'a str, R)>,
) -> String {
    use sha2::{Digest, Sha256};
    fn field(h: &mut Sha256, parts: &[&str]) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        h.update((len as u64).to_le_bytes());
        for p in parts {
            h.update(p.as_bytes());
        }
    }
    let mut h = Sha256::new();
    for (lang, rs) in langs {
        h.update(lang.as_bytes());
        for r in rs {
            let url: &[&str] = if r.anchor.is_empty() {
                &[r.page]
            } else {
                &[r.page, "#", r.anchor]
            };
            for f in [
                &[r.lang][..],
                url,
                &[r.title],
                &[r.heading],
                &[r.text],
                &[r.doc],
            ] {
                field(&mut h, f);
            }
        }
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
