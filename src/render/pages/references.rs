//! The registry of cited documents: an index grouped by level, and a page
//! per entry with the places in the portal that cite it.

use serde::Serialize;

use crate::content::Document;
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
}

impl PageKind for References {
    fn reach(&self) -> Reach {
        Reach::Listing
    }

    fn shows(&self) -> crate::render::Shows {
        crate::render::Shows {
            entries: true,
            citations: true,
            translation: false,
        }
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
        // An entry that is one of the portal's documents has no page: its
        // citations, and the index, lead to the document itself, whose page
        // lists the other documents that cite it.
        for r in site
            .references
            .entries
            .iter()
            .filter(|r| r.document_id.is_empty())
            .filter(|r| b.references.is_none_or(|made| made.contains(&r.id)))
        {
            let view = b.reference_view(r, lang);
            let backlinks = b.backlinks(
                b.places
                    .iter()
                    .copied()
                    .filter(|p| p.citation.reference.as_deref() == Some(r.id.as_str())),
                lang,
            );
            let path = b.routes.reference(&r.id, lang);
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
                },
            )?);
        }
        Ok(())
    }
}
