//! The home page: the portal's documents with their metadata and the plain
//! pages.

use serde::Serialize;

use crate::content::Document;
use crate::diagnostic::Result;
use crate::render::meta::{column_meta, page_title};
use crate::render::views::{DocView, Link};
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct Home;

#[derive(Serialize)]
struct HomePage {
    documents: Vec<DocView>,
    pages: Vec<Link>,
}

impl PageKind for Home {
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
        let path = b.routes.home(lang);
        let mut base = b.base(lang, &path, &|l| b.routes.home(l));
        let documents = b
            .site
            .documents
            .iter()
            .map(|d| b.doc_view(d, lang))
            .collect();
        let pages = b
            .site
            .pages
            .iter()
            .map(|p| {
                let shown = p.translations.get(&lang.code).unwrap_or(&p.section);
                Link {
                    title: shown
                        .front
                        .title
                        .clone()
                        .unwrap_or_else(|| p.section.id.clone()),
                    url: b.routes.page(&p.section.id, lang),
                }
            })
            .collect();
        let keywords: Vec<String> = b
            .site
            .documents
            .iter()
            .flat_map(|d| d.meta.categories.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        base.gov_meta = column_meta(
            b,
            lang,
            b.site_title(lang),
            b.t(lang, "home_description"),
            &keywords.join(","),
        );
        base.title = page_title(b, &[], lang);
        out.push(b.page(&base, "index.html", &HomePage { documents, pages })?);
        Ok(())
    }
}
