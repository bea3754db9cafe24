//! The registry of cited documents: an index grouped by level, and a page
//! per entry with the places in the portal that cite it.

use serde::Serialize;

use crate::content::{Document, Kind};
use crate::diagnostic::Result;
use crate::render::meta::{column_meta, page_title};
use crate::render::views::{Backlink, CitedGroup, Link, ReferenceView};
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct References;

#[derive(Serialize)]
struct IndexPage {
    groups: Vec<CitedGroup>,
}

#[derive(Serialize)]
struct EntryPage {
    reference: ReferenceView,
    backlinks: Vec<Backlink>,
    own_document: Option<Link>,
}

impl PageKind for References {
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
        let site = b.site;
        if site.references.entries.is_empty() {
            return Ok(());
        }
        let home = b.home_link(lang);
        let index_path = b.routes.references(lang);
        let index_title = b.t(lang, "references").to_string();
        let mut base = b.base(lang, &index_path, &|l| b.routes.references(l));
        base.gov_meta = column_meta(
            b,
            lang,
            &index_title,
            b.t(lang, "references_description"),
            &index_title,
        );
        base.title = page_title(b, &[&index_title], lang);
        base.breadcrumb = vec![home.clone()];
        out.push(b.page(
            &base,
            "references.html",
            &IndexPage {
                groups: b.cited_groups(lang, None),
            },
        )?);
        for r in &site.references.entries {
            let view = b.reference_view(r, lang);
            let backlinks: Vec<Backlink> = b
                .places
                .iter()
                .filter(|p| p.citation.reference.as_deref() == Some(r.id.as_str()))
                .filter_map(|p| {
                    let doc = site.documents.iter().find(|d| d.id == p.doc)?;
                    let s = doc.original.section(&p.section)?;
                    let section_page = b.routes.section(&doc.id, &s.id, lang);
                    let head = matches!(s.kind, Kind::Notice | Kind::Attachment);
                    let url = if head {
                        format!("{}#{}", b.routes.document(&doc.id, lang), p.anchor)
                    } else {
                        format!("{section_page}#{}", p.anchor)
                    };
                    Some(Backlink {
                        section: Link {
                            title: if head {
                                b.doc_title(doc, lang)
                            } else {
                                b.heading_view(doc, b.section_in(doc, &s.id, lang).0, lang)
                                    .text
                            },
                            url: section_page,
                        },
                        anchor: p.anchor.clone(),
                        url,
                        sentence: p.sentence.clone(),
                        written: p.citation.text.clone(),
                    })
                })
                .fold(Vec::<Backlink>::new(), |mut acc, bl| {
                    // A title and its number in one sentence are one place.
                    if !acc
                        .iter()
                        .any(|a| a.url == bl.url && a.sentence == bl.sentence)
                    {
                        acc.push(bl);
                    }
                    acc
                });
            let own_document = site
                .documents
                .iter()
                .find(|d| d.id == r.document_id)
                .map(|d| Link {
                    title: b.doc_title(d, lang),
                    url: b.routes.document(&d.id, lang),
                });
            let path = view.url.clone();
            let mut base = b.base(lang, &path, &|l| b.routes.reference(&r.id, l));
            base.title = page_title(b, &[&view.title, &index_title], lang);
            base.breadcrumb = vec![
                home.clone(),
                Link {
                    title: index_title.clone(),
                    url: index_path.clone(),
                },
            ];
            out.push(b.page(
                &base,
                "reference.html",
                &EntryPage {
                    reference: view,
                    backlinks,
                    own_document,
                },
            )?);
        }
        Ok(())
    }
}
