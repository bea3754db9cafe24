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
}

impl PageKind for Plain {
    fn reach(&self) -> Reach {
        Reach::Whole
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
            out.push(b.page(
                &base,
                "page.html",
                &PlainPage {
                    heading,
                    blocks,
                    translated,
                },
            )?);
        }
        Ok(())
    }
}
