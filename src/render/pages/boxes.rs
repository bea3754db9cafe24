//! A document's 专栏 boxes: an index of them and a page each.

use serde::Serialize;

use crate::content::Document;
use crate::diagnostic::Result;
use crate::render::meta::{article_meta, excerpt, page_title};
use crate::render::views::{ColumnView, DocHead, DocView, Link};
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct Boxes;

#[derive(Serialize)]
struct BoxesPage<'a> {
    doc: &'a DocView,
    columns: &'a [ColumnView],
}

#[derive(Serialize)]
struct BoxPage<'a> {
    doc: &'a DocHead,
    column: ColumnView,
    prev: Option<&'a ColumnView>,
    next: Option<&'a ColumnView>,
    boxes_url: &'a str,
}

impl PageKind for Boxes {
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
        let boxes_title = b.t(lang, "boxes").to_string();
        let index_path = view.columns_url.clone();
        let index_columns = b.all_columns(&b.linker(Some(doc), lang, &index_path));
        let mut base = b.base(lang, &index_path, &|l| b.routes.boxes(&doc.id, l));
        base.title = page_title(b, &[&boxes_title, &view.title], lang);
        base.breadcrumb = vec![home.clone(), doc_link.clone()];
        out.push(b.page(
            &base,
            "boxes.html",
            &BoxesPage {
                doc: &view,
                columns: &index_columns,
            },
        )?);
        // Each box page links relative to its own place.
        let mut sections = doc
            .original
            .sections
            .iter()
            .flat_map(|s| s.front.columns.iter().map(move |c| (s, c)));
        for (i, c) in index_columns.iter().enumerate() {
            let (s, col) = sections.next().expect("one box per view");
            let column = b.column_view(&b.linker(Some(doc), lang, &c.url), s, col);
            let mut base = b.base(lang, &c.url, &|l| b.routes.box_page(&doc.id, c.number, l));
            let full = format!("{} {}", c.label, c.title);
            base.title = page_title(b, &[&full, &view.title], lang);
            base.breadcrumb = vec![
                home.clone(),
                doc_link.clone(),
                Link {
                    title: boxes_title.clone(),
                    url: view.columns_url.clone(),
                },
            ];
            let first = column
                .items
                .first()
                .map(|it| excerpt(&it.text, 120))
                .unwrap_or_default();
            base.gov_meta = article_meta(
                b,
                doc,
                lang,
                &format!("{full} — {}", view.title),
                &first,
                &c.url,
            );
            out.push(b.page(
                &base,
                "box.html",
                &BoxPage {
                    doc: &head,
                    column,
                    prev: i.checked_sub(1).map(|j| &index_columns[j]),
                    next: index_columns.get(i + 1),
                    boxes_url: &view.columns_url,
                },
            )?);
        }
        Ok(())
    }
}
