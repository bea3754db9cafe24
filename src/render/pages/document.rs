//! A document's own page: its metadata table as a 政府信息公开 page shows
//! it, the notice, each attachment's title and preamble, the contents
//! list, its 专栏 boxes and the documents it cites.

use serde::Serialize;

use crate::content::{Document, Kind};
use crate::diagnostic::Result;
use crate::render::meta::{article_meta, excerpt, json_ld, page_title};
use crate::render::views::{BlockView, CitedBy, CitedGroup, Closing, ColumnView, DocView, Link};
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct DocumentPage;

/// The notice or an attachment's head, as the document page shows it.
#[derive(Serialize)]
struct Part<'a> {
    kind: &'static str,
    id: &'a str,
    front: &'a crate::content::FrontMatter,
    blocks: Vec<BlockView>,
    translated: bool,
    /// The part's closing, when it follows this head (the part has no
    /// chapters): otherwise it is on its last chapter's page.
    closing: Option<Closing>,
}

#[derive(Serialize)]
struct DocumentContext<'a> {
    doc: DocView,
    parts: Vec<Part<'a>>,
    columns: Vec<ColumnView>,
    cited: Vec<CitedGroup>,
    /// The other documents of the portal this one cites.
    cites: Vec<Link>,
    /// The other documents of the portal that cite this one, with where.
    cited_by: Vec<CitedBy>,
    /// Where the 发文字号 of the metadata table leads, when the registry
    /// says it is this document's: to the notice that bears it.
    own_reference_url: Option<String>,
    full_url: String,
}

impl PageKind for DocumentPage {
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
        let path = view.url.clone();
        let linker = b.linker(Some(doc), lang, &path);
        let mut parts = Vec::new();
        for s in &doc.original.sections {
            if matches!(s.kind, Kind::Notice | Kind::Attachment) {
                let (shown, translated) = b.section_in(doc, &s.id, lang);
                parts.push(Part {
                    kind: if s.kind == Kind::Notice {
                        "notice"
                    } else {
                        "attachment"
                    },
                    id: &s.id,
                    front: &shown.front,
                    blocks: b.block_views(&linker, shown, true),
                    translated,
                    closing: b.closing_after(doc, s, lang),
                });
            }
        }
        let own = b
            .site
            .references
            .entries
            .iter()
            .find(|r| r.document_id == doc.id);
        let mut base = b.base(lang, &path, &|l| b.routes.document(&doc.id, l));
        base.title = page_title(b, &[&view.title], lang);
        base.breadcrumb = vec![b.home_link(lang)];
        let description = doc
            .original
            .sections
            .iter()
            .find(|s| s.kind == Kind::Attachment)
            .map(|s| b.section_in(doc, &s.id, lang).0)
            .and_then(|s| crate::markdown::plain_blocks(&s.body).into_iter().next())
            .map(|bl| excerpt(&bl.text, 120))
            .unwrap_or_default();
        base.gov_meta = article_meta(b, doc, lang, &view.title, &description, &path);
        base.json_ld = json_ld(b, doc, lang);
        let page = DocumentContext {
            columns: b.all_columns(&linker),
            cited: b.cited_groups(lang, Some(&doc.id)),
            cites: b.cites_held(&doc.id, lang),
            cited_by: b.cited_by(&doc.id, lang),
            own_reference_url: own.map(|_| {
                let notice = doc
                    .original
                    .sections
                    .iter()
                    .find(|s| s.kind == Kind::Notice);
                match notice {
                    Some(n) => format!("{}#{}", b.routes.document(&doc.id, lang), n.id),
                    None => b.routes.document(&doc.id, lang),
                }
            }),
            full_url: b.routes.full(&doc.id, lang),
            parts,
            doc: view,
        };
        out.push(b.page(&base, "document.html", &page)?);
        Ok(())
    }
}
