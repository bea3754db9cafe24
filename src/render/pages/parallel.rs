//! `<doc>/parallel/<chapter>/`: a chapter with the published text and a
//! translation side by side, paragraph by paragraph (sharing one anchor
//! per row). In a translation's language it pairs with that translation;
//! in the published language with the document's first translation.

use serde::Serialize;

use crate::content::{Document, Kind, Section};
use crate::diagnostic::Result;
use crate::render::meta::page_title;
use crate::render::views::{ColumnView, Link};
use crate::render::{escape_html, Build, Language, Out, PageKind, Reach};

pub struct Parallel;

/// One row: the same paragraph (or heading, or box) in both languages.
#[derive(Debug, Clone, Serialize)]
struct ParallelRow {
    id: String,
    kind: &'static str,
    original: String,
    translation: String,
    original_box: Option<ColumnView>,
    translation_box: Option<ColumnView>,
}

#[derive(Serialize)]
struct ParallelPage<'a> {
    rows: Vec<ParallelRow>,
    chapter_title: String,
    heading: String,
    chapter_url: String,
    prev: Option<Link>,
    next: Option<Link>,
    partner: &'a Language,
    original_side: &'a str,
    translation_side: &'a str,
}

impl PageKind for Parallel {
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
        if !b.has_parallel(doc, lang) {
            return Ok(());
        }
        let authority = b.langs.authority();
        // A language the document is not translated into pairs with its
        // first translation (the switch leads to every language's page).
        let Some(partner) = b
            .parallel_partner(doc, lang)
            .or_else(|| b.parallel_partner(doc, authority))
        else {
            return Ok(());
        };
        let view = b.doc_view(doc, lang);
        let reading: Vec<&Section> = doc
            .original
            .sections
            .iter()
            .filter(|s| matches!(s.kind, Kind::Chapter | Kind::Section))
            .collect();
        let chapters: Vec<&&Section> = reading.iter().filter(|s| s.kind == Kind::Chapter).collect();
        let title_in = |s: &Section| {
            b.heading_view(doc, b.section_in(doc, &s.id, lang).0, lang)
                .text
        };
        for (ci, ch) in chapters.iter().enumerate() {
            let path = b.routes.parallel(&doc.id, &ch.id, lang);
            let (zl, tl) = (
                b.linker(Some(doc), authority, &path),
                b.linker(Some(doc), partner, &path),
            );
            let members: Vec<&Section> = reading
                .iter()
                .skip_while(|s| s.id != ch.id)
                .enumerate()
                .take_while(|(i, s)| *i == 0 || s.kind == Kind::Section)
                .map(|(_, s)| *s)
                .collect();
            let mut rows = Vec::new();
            for s in members {
                let (t_s, translated) = b.section_in(doc, &s.id, partner);
                let zh_h = b.heading_view(doc, s, authority);
                let t_h = b.heading_view(doc, t_s, partner);
                rows.push(ParallelRow {
                    id: s.id.clone(),
                    kind: if s.kind == Kind::Chapter {
                        "chapter"
                    } else {
                        "section"
                    },
                    original: escape_html(&zh_h.text),
                    translation: if translated {
                        escape_html(&t_h.text)
                    } else {
                        String::new()
                    },
                    original_box: None,
                    translation_box: None,
                });
                let zb = b.block_views(&zl, s, false);
                let tb = if translated {
                    b.block_views(&tl, t_s, false)
                } else {
                    Vec::new()
                };
                for (i, z) in zb.iter().enumerate() {
                    let t = tb
                        .iter()
                        .find(|e| e.id == z.id)
                        .or_else(|| tb.get(i).filter(|e| e.kind == z.kind));
                    let (original_box, translation_box) = match z.column {
                        Some(n) => {
                            let c = s
                                .front
                                .columns
                                .iter()
                                .find(|c| c.number == n)
                                .expect("box of this section");
                            (
                                Some(b.column_view(&zl, s, c)),
                                translated.then(|| b.column_view(&tl, s, c)),
                            )
                        }
                        None => (None, None),
                    };
                    rows.push(ParallelRow {
                        id: z.id.clone(),
                        kind: z.kind,
                        original: z.html.clone(),
                        translation: t.map(|e| e.html.clone()).unwrap_or_default(),
                        original_box,
                        translation_box,
                    });
                }
            }
            let heading = format!("{} — {}", b.t(lang, "parallel"), title_in(ch));
            let mut base = b.base(lang, &path, &|l| b.routes.parallel(&doc.id, &ch.id, l));
            base.title = page_title(b, &[&heading, &view.title], lang);
            base.breadcrumb = vec![
                b.home_link(lang),
                Link {
                    title: view.title.clone(),
                    url: view.url.clone(),
                },
            ];
            let page = ParallelPage {
                rows,
                chapter_title: b.heading_view(doc, ch, authority).text,
                heading,
                chapter_url: b.routes.section(&doc.id, &ch.id, lang),
                prev: ci.checked_sub(1).map(|j| Link {
                    title: title_in(chapters[j]),
                    url: b.routes.parallel(&doc.id, &chapters[j].id, lang),
                }),
                next: chapters.get(ci + 1).map(|c| Link {
                    title: title_in(c),
                    url: b.routes.parallel(&doc.id, &c.id, lang),
                }),
                partner,
                original_side: b.t(lang, &format!("{}_side", authority.code)),
                translation_side: b.t(lang, &format!("{}_side", partner.code)),
            };
            out.push(b.page(&base, "parallel.html", &page)?);
        }
        Ok(())
    }
}
