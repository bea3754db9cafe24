//! `<doc>/full.html`: the whole document in one self-contained file (CSS
//! inlined, no links out), to save, send or print.

use serde::Serialize;

use crate::content::{Document, Kind};
use crate::diagnostic::Result;
use crate::render::meta::page_title;
use crate::render::views::{BlockView, Closing, ColumnView, DocView, HeadingView, TocEntry};
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
    /// The contents list, leading to the chapters and sections on the page.
    contents: Vec<TocEntry>,
    inline_css: String,
    /// site.js, inlined: the reader's remembered settings apply here too.
    inline_js: String,
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
        let mut contents: Vec<TocEntry> = Vec::new();
        for s in &sections {
            let entry = TocEntry {
                title: s.heading.text.clone(),
                url: format!("#{}", s.id),
                parallel: None,
                editorial: s.heading.editorial,
                children: Vec::new(),
            };
            match s.kind {
                "chapter" => contents.push(entry),
                "section" => match contents.last_mut() {
                    Some(ch) => ch.children.push(entry),
                    None => contents.push(entry),
                },
                _ => {}
            }
        }
        let asset = |name: &str| {
            b.theme
                .assets
                .iter()
                .find(|(p, _)| p == std::path::Path::new(name))
                .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
                .unwrap_or_default()
        };
        let css = asset("style.css");
        let js = asset("site.js");
        let mut base = b.base(lang, &path, &|l| b.routes.full(&doc.id, l));
        base.title = page_title(b, &[&view.title], lang);
        out.push(b.page(
            &base,
            "full.html",
            &FullPage {
                doc: view,
                sections,
                contents,
                inline_css: css.replace("</", "<\\/"),
                // site.js holds no `</` or `<!--` outside strings: this keeps it so.
                inline_js: js.replace("</", "<\\/").replace("<!--", "<\\!--"),
            },
        )?);
        Ok(())
    }
}
