//! Citations as links. Markdown's text runs are rewritten on the event
//! stream (`markdown::blocks` hands each block's runs to a `Linker`): a
//! citation of one of the portal's own documents becomes a link to it (its
//! attachment or article where the citation names one), of a registry entry
//! a link to the entry's page, `专栏N` a link to the box; on pages of another language than Chinese each Chinese run
//! (a cited 文号, a name kept in Chinese) is marked `lang="zh-Hans"`.

use super::lang::Language;
use super::routes::Routes;
use crate::content::{Document, Site};
use crate::references::Citation;
use crate::text::escape_html;

/// Turns a run of text into HTML, linking the citations that fall inside it.
pub struct Linker<'a> {
    pub site: &'a Site,
    pub routes: &'a Routes,
    /// The document being rendered (None for plain pages): 专栏N links to its boxes.
    pub doc: Option<&'a Document>,
    pub lang: &'a Language,
    /// `../` prefix of the page being rendered.
    pub root: String,
    /// False for self-contained pages: citations stay plain text.
    pub links: bool,
}

impl Linker<'_> {
    pub fn citations(&self, text: &str) -> Vec<Citation> {
        self.site.references.find_in(
            &self.lang.code,
            self.lang.authoritative,
            text,
            self.doc.map(|d| d.id.as_str()),
        )
    }

    fn href(&self, c: &Citation) -> Option<String> {
        if !self.links {
            return None;
        }
        if let Some(n) = c.column {
            let doc = self.doc?;
            let exists = doc
                .original
                .sections
                .iter()
                .any(|s| s.front.columns.iter().any(|x| x.number == n));
            return exists.then(|| {
                format!(
                    "{}{}",
                    self.root,
                    self.routes.box_page(&doc.id, n, self.lang)
                )
            });
        }
        if let Some(t) = &c.target {
            return Some(format!("{}{}", self.root, self.routes.target(t, self.lang)));
        }
        let id = c.reference.as_deref()?;
        Some(format!(
            "{}{}",
            self.root,
            self.routes.reference(id, self.lang)
        ))
    }

    /// HTML for `run`, which starts at byte `offset` of a text whose
    /// citations are `cites`; None to keep the run as it is.
    pub fn link_run(&self, run: &str, offset: usize, cites: &[Citation]) -> Option<String> {
        let end = offset + run.len();
        let inside: Vec<_> = cites
            .iter()
            .filter(|c| c.start >= offset && c.end <= end)
            .collect();
        if inside.is_empty() {
            return (!self.lang.authoritative && run.chars().any(crate::text::is_cjk))
                .then(|| self.escape(run));
        }
        let mut html = String::new();
        let mut at = offset;
        for c in inside {
            let Some(href) = self.href(c) else { continue };
            html.push_str(&self.escape(&run[at - offset..c.start - offset]));
            let class = if c.column.is_some() {
                "box-ref"
            } else {
                "cite"
            };
            html.push_str(&format!(
                "<a class=\"{class}\" href=\"{}\">{}</a>",
                escape_html(&href),
                self.escape(&run[c.start - offset..c.end - offset])
            ));
            at = c.end;
        }
        html.push_str(&self.escape(&run[at - offset..]));
        Some(html)
    }

    /// Escaped text; on pages of a translation each Chinese run is marked
    /// `lang="zh-Hans"`, so that screen readers switch voice and browsers
    /// pick a Chinese font.
    fn escape(&self, text: &str) -> String {
        if self.lang.authoritative {
            return escape_html(text);
        }
        let mut out = String::with_capacity(text.len() + 32);
        let mut rest = text;
        while let Some((start, end)) = chinese_run(rest) {
            out.push_str(&escape_html(&rest[..start]));
            out.push_str("<span lang=\"zh-Hans\">");
            out.push_str(&escape_html(&rest[start..end]));
            out.push_str("</span>");
            rest = &rest[end..];
        }
        out.push_str(&escape_html(rest));
        out
    }

    /// A whole plain text with its citations linked.
    pub fn text(&self, text: &str) -> String {
        let cites = self.citations(text);
        self.link_run(text, 0, &cites)
            .unwrap_or_else(|| escape_html(text))
    }
}

/// The first run of Chinese in `text` (byte range): CJK characters and
/// punctuation, with digits between them (〔2020〕168号).
fn chinese_run(text: &str) -> Option<(usize, usize)> {
    let start = text.find(crate::text::is_cjk)?;
    let mut end = start;
    for (i, c) in text[start..].char_indices() {
        if crate::text::is_cjk(c) {
            end = start + i + c.len_utf8();
        } else if !c.is_ascii_digit() {
            break;
        }
    }
    Some((start, end))
}
