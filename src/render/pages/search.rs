//! Search: the search page of each language, and the index it loads,
//! made from every paragraph, heading and box item of every document in
//! every language.

use serde::Serialize;

use crate::content::{Document, Kind};
use crate::diagnostic::Result;
use crate::render::meta::page_title;
use crate::render::{Build, Language, Out, PageKind, Reach};
use crate::search::{DocFacts, Record, RecordRef};

pub struct SearchPage;

#[derive(Serialize)]
struct SearchContext<'a> {
    /// A hash of what the search index is made from: its address changes
    /// with it.
    index_v: &'a str,
}

impl PageKind for SearchPage {
    fn reach(&self) -> Reach {
        Reach::Search
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
        lang: &Language,
        doc: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        self.make_each(b, lang, doc, &mut |o| out.push(o))
    }

    fn make_each(
        &self,
        b: &Build,
        _: &Language,
        _: Option<&Document>,
        put: &mut dyn FnMut(Out),
    ) -> Result<()> {
        // A full build's summaries hold every record: nothing is kept.
        write_index(b, None, &mut |path, bytes| put(Out::File { path, bytes }))
            .expect("a full build's summaries hold their records");
        Ok(())
    }
}

/// The search index's files, each handed to `emit` as it is made; with
/// `previous`, only the segments whose records changed, and those of the
/// documents whose records the summaries do not hold (a cached build's)
/// kept as they are (see [`crate::search::build_index_units`]). Returns
/// the names of the parts its main file loads; `None` when a segment
/// cannot be kept, with nothing emitted.
pub fn write_index(
    b: &Build,
    previous: Option<&crate::search::index::Previous>,
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> Option<Vec<String>> {
    let site = all_site_records(b);
    let (refs, units) = index_units(b, &site);
    crate::search::build_index_units(&refs, &units, &doc_facts(b), previous, emit)
}

/// `record_refs` in the index's units: the Chinese first (the index
/// numbers them first), then language by language, document by document,
/// then the site's own pages; a document whose summary does not hold its
/// records is a unit without them.
fn index_units<'a>(
    b: &'a Build,
    site: &'a [Vec<Record>],
) -> (Vec<RecordRef<'a>>, Vec<crate::search::index::Unit<'a>>) {
    use crate::search::index::Unit;
    let mut langs: Vec<(&Language, &Vec<Record>)> = b.langs.all.iter().zip(site).collect();
    langs.sort_by_key(|(l, _)| l.code != "zh");
    let mut refs = Vec::new();
    let mut units = Vec::new();
    for (lang, own) in langs {
        let lang = lang.code.as_str();
        for s in b.summaries {
            let weight = s.record_weights.get(lang).copied().unwrap_or(0);
            let count = match s.records.get(lang) {
                Some(r) if !r.is_empty() => {
                    refs.extend(r.iter(lang, &s.doc));
                    Some(r.len())
                }
                Some(_) => continue,
                None if weight > 0 => None,
                None => continue,
            };
            units.push(Unit {
                lang,
                doc: &s.doc,
                count,
                weight,
            });
        }
        if !own.is_empty() {
            refs.extend(own.iter().map(Record::as_ref));
            units.push(Unit {
                lang,
                doc: "",
                count: Some(own.len()),
                weight: 0,
            });
        }
    }
    (refs, units)
}

/// Each language's `site_records`.
fn all_site_records(b: &Build) -> Vec<Vec<Record>> {
    b.langs.all.iter().map(|l| site_records(b, l)).collect()
}

/// Every text a reader sees on every page, in every language a document
/// is translated into, for the search index: language by language,
/// document by document (from the documents' summaries), then the pages
/// of the whole site (the registry's pages, the glossary).
pub fn records(b: &Build) -> Vec<Record> {
    let site = all_site_records(b);
    record_refs(b, &site)
        .into_iter()
        .map(|r| Record {
            lang: r.lang.to_string(),
            url: match r.anchor {
                "" => r.page.to_string(),
                a => format!("{}#{a}", r.page),
            },
            title: r.title.to_string(),
            heading: r.heading.to_string(),
            text: r.text.to_string(),
            doc: r.doc.to_string(),
        })
        .collect()
}

/// `records`, borrowed from the summaries and from `site` (each
/// language's `site_records`).
fn record_refs<'a>(b: &'a Build, site: &'a [Vec<Record>]) -> Vec<RecordRef<'a>> {
    let mut out = Vec::new();
    for (lang, own) in b.langs.all.iter().zip(site) {
        for s in b.summaries {
            if let Some(r) = s.records.get(&lang.code) {
                out.extend(r.iter(&lang.code, &s.doc));
            }
        }
        out.extend(own.iter().map(Record::as_ref));
    }
    out
}

/// The search records of the pages that belong to no document: each
/// registry entry's page (its title and 文号) and the glossary's terms.
pub fn site_records(b: &Build, lang: &Language) -> Vec<Record> {
    let mut out = Vec::new();
    let rec = |url: String, title: &str, heading: &str, text: &str| Record {
        lang: lang.code.clone(),
        url,
        title: title.to_string(),
        heading: heading.to_string(),
        text: text.to_string(),
        doc: String::new(),
    };
    for r in b
        .site
        .references
        .entries
        .iter()
        .filter(|r| r.document_id.is_empty())
    {
        let view = b.reference_view(r, lang);
        let url = b.routes.reference(&r.id, lang);
        let shown = if lang.authoritative {
            format!("《{}》", view.title)
        } else {
            view.title.clone()
        };
        out.push(rec(url.clone(), &shown, &shown, &shown));
        if !r.number.is_empty() {
            out.push(rec(url, &shown, b.t(lang, "ref_number"), &r.number));
        }
    }
    if !b.site.glossary.is_empty() {
        let url = b.routes.glossary(lang);
        let title = b.t(lang, "glossary").to_string();
        for (i, g) in b.site.glossary.iter().enumerate() {
            let u = format!("{url}#gl-{}", i + 1);
            out.push(rec(u.clone(), &title, &g.zh, &g.zh));
            out.push(rec(u.clone(), &title, &g.zh, &g.en));
            for v in &g.variants {
                out.push(rec(u.clone(), &title, &g.zh, v));
            }
            if !g.note.is_empty() {
                out.push(rec(u, &title, &g.zh, &g.note));
            }
        }
    }
    out
}

/// The search records of one document in one language (its summary's):
/// its metadata table's values, the notice's 文号, 主送机关 and closing
/// (署名, date, 附注), every attachment's label and title, every heading
/// and paragraph, every 专栏 box's title and item, each at the anchor it
/// is shown at. A page's records are consecutive (a section's closing
/// before its boxes, which are on pages of their own).
pub fn document_records(b: &Build, doc: &Document, lang: &Language) -> Vec<Record> {
    let mut out = Vec::new();
    let doc_title = b.doc_title(doc, lang);
    let doc_page = b.routes.document(&doc.id, lang);
    let rec = |url: String, title: &str, heading: &str, text: &str| Record {
        lang: lang.code.clone(),
        url,
        title: title.to_string(),
        heading: heading.to_string(),
        text: text.to_string(),
        doc: doc.id.clone(),
    };
    // The metadata table, at the top of the document's page.
    for row in b.doc_view(doc, lang).meta {
        if !row.unknown {
            out.push(rec(doc_page.clone(), &doc_title, &row.label, &row.value));
        }
    }
    for s in &doc.original.sections {
        let (shown, translated) = b.section_in(doc, &s.id, lang);
        if !translated {
            continue;
        }
        let heading = b.heading_view(doc, shown, lang).text;
        let head = matches!(s.kind, Kind::Notice | Kind::Attachment);
        let page = if head {
            doc_page.clone()
        } else {
            b.routes.section(&doc.id, &s.id, lang)
        };
        let title = if head {
            doc_title.clone()
        } else {
            heading.clone()
        };
        let f = &shown.front;
        if head {
            // The part's own lines, at the part's anchor.
            let at = format!("{page}#{}", s.id);
            let heading = f.title.clone().unwrap_or_else(|| doc_title.clone());
            // (A notice's title is the document's, the page's own.)
            let own_title = f.title.as_ref().filter(|_| s.kind == Kind::Attachment);
            for text in [
                f.doc_number.as_ref(),
                f.addressees.as_ref(),
                f.label.as_ref(),
                own_title,
            ]
            .into_iter()
            .flatten()
            {
                if !text.trim().is_empty() {
                    out.push(rec(at.clone(), &title, &heading, text));
                }
            }
        } else {
            out.push(rec(page.clone(), &title, &heading, &heading));
        }
        let blocks = crate::markdown::plain_blocks(&shown.body);
        for (bl, id) in blocks.iter().zip(shown.block_ids(&blocks)) {
            out.push(rec(format!("{page}#{id}"), &title, &heading, &bl.text));
        }
        if let Some(closing) = b.closing_after(doc, s, lang) {
            let at = if head {
                format!("{page}#{}", s.id)
            } else {
                format!("{page}#closing")
            };
            let lines = closing
                .postscript
                .iter()
                .chain(&closing.signature)
                .chain(&closing.date)
                .chain(&closing.note);
            for text in lines {
                if !text.trim().is_empty() {
                    out.push(rec(at.clone(), &title, &heading, text));
                }
            }
        }
        for c in &s.front.columns {
            let c = b.column_in(doc, s, c, lang);
            let label = format!("{} {}", b.column_label(c.number, lang), c.title);
            let box_page = b.routes.box_page(&doc.id, c.number, lang);
            out.push(rec(box_page.clone(), &label, &label, &label));
            for (k, item) in c.items.iter().enumerate() {
                let text = if lang.authoritative {
                    item.source_text()
                } else {
                    format!("{}. {}", item.name, item.text)
                        .trim_start_matches(". ")
                        .to_string()
                };
                let url = format!("{box_page}#box-{}-i{}", c.number, k + 1);
                out.push(rec(url, &label, &label, &text));
            }
        }
    }
    out
}

/// What the search page's filters and results say of each document: its
/// title in each language, its 分类 and year (from the catalog).
pub fn doc_facts(b: &Build) -> Vec<DocFacts> {
    b.site
        .catalog
        .entries
        .iter()
        .map(|e| DocFacts {
            id: e.id.clone(),
            titles: b
                .langs
                .all
                .iter()
                .map(|l| {
                    let tr = e
                        .translations
                        .get(&l.code)
                        .and_then(|t| t.as_ref())
                        .map(|t| t.title.clone())
                        .filter(|t| !t.is_empty() && !l.authoritative);
                    (l.code.clone(), tr.unwrap_or_else(|| e.meta.title.clone()))
                })
                .collect(),
            categories: e.meta.categories.clone(),
            year: e.year(),
        })
        .collect()
}
