//! Plain Markdown pages (`content/pages/`: about, guides), in each
//! language when translated.

use serde::Serialize;

use crate::content::Document;
use crate::diagnostic::Result;
use crate::render::meta::page_title;
use crate::render::views::BlockView;
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct Plain;

#[derive(Serialize)]
struct PlainPage {
    heading: String,
    blocks: Vec<BlockView>,
    translated: bool,
    /// The translations' progress, on a page that asks for it.
    translation_status: Option<Vec<StatusRow>>,
}

/// One document's progress in one translation: the units (metadata
/// values, headings, paragraphs, box items) `translate status` counts.
#[derive(Serialize)]
struct StatusRow {
    title: String,
    /// The title's language, when it is not the page's.
    title_lang: Option<String>,
    url: String,
    /// The translation's language, by its own name.
    language: String,
    language_tag: String,
    units: usize,
    translated: usize,
    review: usize,
    missing: usize,
}

/// The progress of every document's every translation, in catalog order.
fn status_rows(b: &Build, lang: &Language) -> Vec<StatusRow> {
    let authority = b.langs.authority();
    b.site
        .catalog
        .entries
        .iter()
        .zip(b.summaries)
        .flat_map(|(e, s)| {
            let title = b.entry_title(e, lang);
            let title_lang =
                (title == e.meta.title && !lang.authoritative).then(|| authority.tag.clone());
            s.translation.iter().filter_map(move |st| {
                let tl = b.langs.all.iter().find(|l| l.code == st.lang)?;
                Some(StatusRow {
                    title: title.clone(),
                    title_lang: title_lang.clone(),
                    url: b.routes.document(&e.id, lang),
                    language: tl.name.clone(),
                    language_tag: tl.tag.clone(),
                    units: st.units,
                    translated: st.translated,
                    review: st.review,
                    missing: st.missing,
                })
            })
        })
        .collect()
}

impl PageKind for Plain {
    fn reach(&self) -> Reach {
        // A page may show every document's translation status.
        Reach::Listing
    }

    fn make(
        &self,
        b: &Build,
        lang: &Language,
        _: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        for page in &b.site.pages {
            let (shown, translated) = match page.translations.get(&lang.code) {
                Some(t) if !lang.authoritative => (t, true),
                _ => (&page.section, lang.authoritative),
            };
            let id = &page.section.id;
            let path = b.routes.page(id, lang);
            // An untranslated page shows the published text, linked as such.
            let text_lang = if translated {
                lang
            } else {
                b.langs.authority()
            };
            let linker = b.linker(None, text_lang, &path);
            let heading = shown
                .front
                .title
                .clone()
                .unwrap_or_else(|| shown.id.clone());
            let mut base = b.base(lang, &path, &|l| b.routes.page(id, l));
            base.title = page_title(b, &[&heading], lang);
            base.breadcrumb = vec![b.home_link(lang)];
            let blocks = b.block_views(&linker, shown, true);
            out.push(
                b.page(
                    &base,
                    "page.html",
                    &PlainPage {
                        heading,
                        blocks,
                        translated,
                        translation_status: page
                            .section
                            .front
                            .translation_status
                            .then(|| status_rows(b, lang)),
                    },
                )?,
            );
        }
        Ok(())
    }
}
