//! The reading pages: one page per chapter and section, in order, with a
//! breadcrumb, the previous and next page, its boxes and (for a chapter)
//! its sections.

use serde::Serialize;

use crate::content::{Document, Kind, Section};
use crate::diagnostic::Result;
use crate::render::meta::{article_meta, excerpt, page_title};
use crate::render::views::{BlockView, Closing, ColumnView, DocHead, HeadingView, Link, TocEntry};
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct Reading;

#[derive(Serialize)]
struct SectionPage<'a> {
    doc: &'a DocHead,
    section_id: &'a str,
    kind: &'static str,
    heading: HeadingView,
    blocks: Vec<BlockView>,
    columns: Vec<ColumnView>,
    children: Vec<Link>,
    translated: bool,
    parallel_url: Option<String>,
    prev: Option<Link>,
    next: Option<Link>,
    /// The closing of the notice or attachment this page ends.
    closing: Option<Closing>,
    /// The document's chapters, with the sections of this page's chapter,
    /// shown beside the text on wide screens. Not the whole contents: a
    /// page per section each holding every section would grow with the
    /// square of the document's length.
    contents: Vec<TocEntry>,
}

impl PageKind for Reading {
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
        let head = view.head();
        let home = b.home_link(lang);
        let doc_link = Link {
            title: view.title.clone(),
            url: view.url.clone(),
        };
        let reading: Vec<&Section> = doc
            .original
            .sections
            .iter()
            .filter(|s| matches!(s.kind, Kind::Chapter | Kind::Section))
            .collect();
        let link_of = |s: &Section| Link {
            title: b
                .heading_view(doc, b.section_in(doc, &s.id, lang).0, lang)
                .text,
            url: b.routes.section(&doc.id, &s.id, lang),
        };
        // The chapter each page belongs to, found once.
        let mut chapter_of: Vec<Option<&Section>> = Vec::with_capacity(reading.len());
        let mut current = None;
        for s in &reading {
            if s.kind == Kind::Chapter {
                current = Some(*s);
            }
            chapter_of.push(current);
        }
        for (i, s) in reading.iter().enumerate() {
            let (shown, translated) = b.section_in(doc, &s.id, lang);
            let heading = b.heading_view(doc, shown, lang);
            let path = b.routes.section(&doc.id, &s.id, lang);
            let linker = b.linker(Some(doc), lang, &path);
            let chapter = chapter_of[i];
            let mut crumbs = vec![home.clone(), doc_link.clone()];
            if let Some(ch) = chapter.filter(|c| c.id != s.id) {
                crumbs.push(link_of(ch));
            }
            let children: Vec<Link> = if s.kind == Kind::Chapter {
                reading[i + 1..]
                    .iter()
                    .take_while(|x| x.kind == Kind::Section)
                    .map(|x| link_of(x))
                    .collect()
            } else {
                Vec::new()
            };
            let columns = s
                .front
                .columns
                .iter()
                .map(|c| b.column_view(&linker, s, c))
                .collect();
            let mut base = b.base(lang, &path, &|l| b.routes.section(&doc.id, &s.id, l));
            base.breadcrumb = crumbs;
            base.title = page_title(b, &[&heading.text, &view.title], lang);
            let first = crate::markdown::plain_blocks(&shown.body)
                .into_iter()
                .next()
                .map(|bl| excerpt(&bl.text, 120))
                .unwrap_or_else(|| heading.text.clone());
            let article = format!("{} — {}", heading.text, view.title);
            base.gov_meta = article_meta(b, doc, lang, &article, &first, &path);
            let page = SectionPage {
                doc: &head,
                section_id: &s.id,
                kind: if s.kind == Kind::Chapter {
                    "chapter"
                } else {
                    "section"
                },
                blocks: b.block_views(&linker, shown, true),
                columns,
                children,
                translated,
                parallel_url: chapter
                    .filter(|_| b.has_parallel(doc, lang))
                    .map(|c| b.routes.parallel(&doc.id, &c.id, lang)),
                closing: b.closing_after(doc, s, lang),
                prev: i.checked_sub(1).map(|j| link_of(reading[j])),
                next: reading.get(i + 1).map(|x| link_of(x)),
                heading,
                contents: chapter
                    .map(|ch| local_contents(&view.toc, &b.routes.section(&doc.id, &ch.id, lang)))
                    .unwrap_or_default(),
            };
            out.push(b.page(&base, "section.html", &page)?);
        }
        Ok(())
    }
}

/// The chapters of `toc`, only the one at `chapter_url` with its sections.
fn local_contents(toc: &[TocEntry], chapter_url: &str) -> Vec<TocEntry> {
    toc.iter()
        .map(|ch| TocEntry {
            children: if ch.url == chapter_url {
                ch.children.clone()
            } else {
                Vec::new()
            },
            ..ch.clone()
        })
        .collect()
}
