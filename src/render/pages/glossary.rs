//! The glossary: the fixed English of recurring terms.

use serde::Serialize;

use crate::content::Document;
use crate::diagnostic::Result;
use crate::render::meta::page_title;
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct Glossary;

#[derive(Serialize)]
struct TermView {
    zh: String,
    en: String,
    variants: Vec<String>,
    note: String,
}

#[derive(Serialize)]
struct GlossaryPage {
    terms: Vec<TermView>,
}

impl PageKind for Glossary {
    fn reach(&self) -> Reach {
        Reach::Listing
    }

    fn shows(&self) -> crate::render::Shows {
        crate::render::Shows::ENTRIES
    }

    fn make(
        &self,
        b: &Build,
        lang: &Language,
        _: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        if b.site.glossary.is_empty() {
            return Ok(());
        }
        let path = b.routes.glossary(lang);
        let mut base = b.base(lang, &path, &|l| b.routes.glossary(l));
        let terms = b
            .site
            .glossary
            .iter()
            .map(|g| TermView {
                zh: g.zh.clone(),
                en: g.en.clone(),
                variants: g.variants.clone(),
                note: g.note.clone(),
            })
            .collect();
        base.title = page_title(b, &[b.t(lang, "glossary")], lang);
        base.breadcrumb = vec![b.home_link(lang)];
        out.push(b.page(&base, "glossary.html", &GlossaryPage { terms })?);
        Ok(())
    }
}
