//! Search: the search page of each language, and the index it loads,
//! made from every paragraph, heading and box item of every document in
//! every language.

use serde::Serialize;

use crate::content::{Document, Kind};
use crate::diagnostic::Result;
use crate::render::meta::page_title;
use crate::render::{Build, Language, Out, PageKind, Reach};
use crate::search::Record;

pub struct SearchPage;

#[derive(Serialize)]
struct SearchContext<'a> {
    /// A hash of what the search index is made from: its address changes
    /// with it.
    index_v: &'a str,
}

impl PageKind for SearchPage {
    fn reach(&self) -> Reach {
        Reach::Listing
    }

    fn make(
        &self,
        b: &Build,
        lang: &Language,
        _: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        let path = b.routes.search(lang);
        let mut base = b.base(lang, &path, &|l| b.routes.search(l));
        base.title = page_title(b, &[b.t(lang, "search")], lang);
        out.push(b.page(
            &base,
            "search.html",
            &SearchContext {
                index_v: &b.records_version(),
            },
        )?);
        Ok(())
    }
}

pub struct SearchIndex;

impl PageKind for SearchIndex {
    fn reach(&self) -> Reach {
        Reach::Whole
    }

    fn per_language(&self) -> bool {
        false
    }

    fn make(
        &self,
        b: &Build,
        _: &Language,
        _: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        for (path, bytes) in crate::search::build_index(&records(b)) {
            out.push(Out::File { path, bytes });
        }
        Ok(())
    }
}

/// Every paragraph, heading and box item of every page, in every language
/// a document is translated into, for the search index: language by
/// language, document by document, from the documents' summaries.
pub fn records(b: &Build) -> Vec<Record> {
    let mut out = Vec::new();
    for lang in &b.langs.all {
        for s in b.summaries {
            if let Some(r) = s.records.get(&lang.code) {
                out.extend(r.iter().cloned());
            }
        }
    }
    out
}

/// The search records of one document in one language (its summary's).
pub fn document_records(b: &Build, doc: &Document, lang: &crate::render::Language) -> Vec<Record> {
    let mut out = Vec::new();
    let doc_title = b.doc_title(doc, lang);
    for s in &doc.original.sections {
        let (shown, translated) = b.section_in(doc, &s.id, lang);
        if !translated {
            continue;
        }
        let heading = b.heading_view(doc, shown, lang).text;
        let head = matches!(s.kind, Kind::Notice | Kind::Attachment);
        let page = if head {
            b.routes.document(&doc.id, lang)
        } else {
            b.routes.section(&doc.id, &s.id, lang)
        };
        let title = if head {
            doc_title.clone()
        } else {
            heading.clone()
        };
        if !head {
            out.push(Record {
                lang: lang.code.clone(),
                url: page.clone(),
                title: title.clone(),
                heading: heading.clone(),
                text: heading.clone(),
            });
        }
        let blocks = crate::markdown::plain_blocks(&shown.body);
        for (bl, id) in blocks.iter().zip(shown.block_ids(&blocks)) {
            out.push(Record {
                lang: lang.code.clone(),
                url: format!("{page}#{id}"),
                title: title.clone(),
                heading: heading.clone(),
                text: bl.text.clone(),
            });
        }
        for c in &s.front.columns {
            let c = b.column_in(doc, s, c, lang);
            let label = format!("{} {}", b.column_label(c.number, lang), c.title);
            for item in &c.items {
                let text = if lang.authoritative {
                    item.source_text()
                } else {
                    format!("{}. {}", item.name, item.text)
                        .trim_start_matches(". ")
                        .to_string()
                };
                out.push(Record {
                    lang: lang.code.clone(),
                    url: b.routes.box_page(&doc.id, c.number, lang),
                    title: label.clone(),
                    heading: label.clone(),
                    text,
                });
            }
        }
    }
    out
}
