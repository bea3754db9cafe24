//! Every address the site makes, in one place. Paths are relative to the
//! site's root and name `index.html` explicitly, so that a page's links
//! (its `root` prefix, `../` per level, and the path) work opened from disk
//! and served from any sub-path; absolute URLs exist only with a
//! `base_url`.

use super::lang::Language;

/// The site's addresses.
#[derive(Debug, Clone)]
pub struct Routes {
    /// `base_url` with a trailing `/`, or empty.
    base: String,
}

impl Routes {
    pub fn new(base_url: &str) -> Routes {
        let b = base_url.trim();
        Routes {
            base: if b.is_empty() || b.ends_with('/') {
                b.to_string()
            } else {
                format!("{b}/")
            },
        }
    }

    /// `base_url` with a trailing `/`, or empty when the site has none.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The absolute URL of `path`, only when the site has a `base_url`: a
    /// portal read from disk never names a server.
    pub fn absolute(&self, path: &str) -> String {
        if self.base.is_empty() {
            String::new()
        } else {
            format!("{}{path}", self.base)
        }
    }

    pub fn home(&self, l: &Language) -> String {
        format!("{}index.html", l.prefix)
    }

    pub fn document(&self, doc: &str, l: &Language) -> String {
        format!("{}{doc}/index.html", l.prefix)
    }

    /// The folder of a document's pages in `l` (for invalidating them).
    pub fn document_folder(&self, doc: &str, l: &Language) -> String {
        format!("{}{doc}/", l.prefix)
    }

    pub fn section(&self, doc: &str, section: &str, l: &Language) -> String {
        format!("{}{doc}/{section}/index.html", l.prefix)
    }

    /// Where a citation of one of the portal's documents leads: the
    /// document page (at the part's anchor, for the notice or an
    /// attachment), or the page of the section that holds the article.
    pub fn target(&self, t: &crate::references::Target, l: &Language) -> String {
        let anchor = t.anchor.as_deref().or(t.section.as_deref());
        match (&t.section, anchor) {
            (Some(s), Some(a)) if !t.on_document_page => {
                format!("{}#{a}", self.section(&t.doc, s, l))
            }
            (_, Some(a)) => format!("{}#{a}", self.document(&t.doc, l)),
            _ => self.document(&t.doc, l),
        }
    }

    pub fn boxes(&self, doc: &str, l: &Language) -> String {
        format!("{}{doc}/boxes/index.html", l.prefix)
    }

    pub fn box_page(&self, doc: &str, n: u32, l: &Language) -> String {
        format!("{}{doc}/box-{n}/index.html", l.prefix)
    }

    pub fn parallel(&self, doc: &str, chapter: &str, l: &Language) -> String {
        format!("{}{doc}/parallel/{chapter}/index.html", l.prefix)
    }

    pub fn full(&self, doc: &str, l: &Language) -> String {
        format!("{}{doc}/full.html", l.prefix)
    }

    pub fn references(&self, l: &Language) -> String {
        format!("{}references/index.html", l.prefix)
    }

    pub fn reference(&self, id: &str, l: &Language) -> String {
        format!("{}references/{id}/index.html", l.prefix)
    }

    pub fn glossary(&self, l: &Language) -> String {
        format!("{}glossary/index.html", l.prefix)
    }

    pub fn search(&self, l: &Language) -> String {
        format!("{}search/index.html", l.prefix)
    }

    pub fn page(&self, id: &str, l: &Language) -> String {
        format!("{}pages/{id}/index.html", l.prefix)
    }

    pub fn feed(&self, l: &Language) -> String {
        format!("{}feed.xml", l.prefix)
    }

    pub fn not_found(&self) -> &'static str {
        "404.html"
    }

    pub fn robots(&self) -> &'static str {
        "robots.txt"
    }

    pub fn sitemap(&self) -> &'static str {
        "sitemap.xml"
    }

    pub fn asset(&self, rel: &str) -> String {
        format!("static/{rel}")
    }
}

/// `../` repeated for the depth of `path`: what a page's links start with.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}
