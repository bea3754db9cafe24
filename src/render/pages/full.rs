//! `<doc>/full.html`: the whole document in one self-contained file (CSS
//! inlined, no links out), to save, send or print.

use serde::Serialize;

use crate::content::{Document, Kind};
use crate::diagnostic::Result;
use crate::render::meta::page_title;
use crate::render::views::{BlockView, Closing, ColumnView, DocView, HeadingView};
use crate::render::{link::Linker, Build, Language, Out, PageKind, Reach};

pub struct Full;

#[derive(Serialize)]
struct FullSection<'a> {
    id: &'a str,
    kind: &'static str,
    front: &'a crate::content::FrontMatter,
    heading: HeadingView,
    blocks: Vec<BlockView>,
    columns: Vec<ColumnView>,
    translated: bool,
    closing: Option<Closing>,
}

#[derive(Serialize)]
struct FullPage<'a> {
    doc: DocView,
    sections: Vec<FullSection<'a>>,
    inline_css: String,
}

impl PageKind for Full {
    fn reach(&self) -> Reach {
        Reach::Document
    }

    fn make(
        &self,
        b: &Build,
        lang: &Language,
        doc: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        let doc = doc.expect("a document kind");
        let view = b.doc_view(doc, lang);
        let path = b.routes.full(&doc.id, lang);
        let mut sections = Vec::new();
        for s in &doc.original.sections {
            let (shown, translated) = b.section_in(doc, &s.id, lang);
            let l = Linker {
                site: b.site,
                routes: &b.routes,
                doc: Some(doc),
                lang: if translated {
                    lang
                } else {
                    b.langs.authority()
                },
                root: String::new(),
                links: false,
            };
            let columns = s
                .front
                .columns
                .iter()
                .map(|c| b.column_view(&l, s, c))
                .collect();
            sections.push(FullSection {
                id: &s.id,
                kind: match s.kind {
                    Kind::Notice => "notice",
                    Kind::Attachment => "attachment",
                    Kind::Chapter => "chapter",
                    _ => "section",
                },
                front: &shown.front,
                heading: b.heading_view(doc, shown, lang),
                blocks: b.block_views(&l, shown, true),
                columns,
                translated,
                closing: b.closing_after(doc, s, lang),
            });
        }
        let css = b
            .theme
            .assets
            .iter()
            .find(|(p, _)| p == std::path::Path::new("style.css"))
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_default();
        let mut base = b.base(lang, &path, &|l| b.routes.full(&doc.id, l));
        base.title = page_title(b, &[&view.title], lang);
        out.push(b.page(
            &base,
            "full.html",
            &FullPage {
                doc: view,
                sections,
                inline_css: css.replace("</", "<\\/"),
            },
        )?);
        Ok(())
    }
}
