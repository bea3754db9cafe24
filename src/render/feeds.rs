//! The files beside the pages that machines read: Atom feeds, the sitemap,
//! robots.txt. Without a `base_url` the feed uses relative links and URN ids
//! and there is no sitemap (its protocol needs absolute addresses), so a
//! portal read from disk never names a server.

use sha2::{Digest, Sha256};

use super::{base_url, doc_url, doc_view_title, escape_html, Lang, EN, ZH};
use crate::content::Site;

/// A stable `urn:uuid:` from a name (UUID v8 layout over SHA-256), so that
/// feed ids never change between builds.
pub fn urn(name: &str) -> String {
    let h = Sha256::digest(name.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn xml(s: &str) -> String {
    escape_html(s)
}

/// Atom feed of the documents in one language, newest first.
pub fn atom(site: &Site, lang: Lang) -> String {
    // Escaped once: `base_url` may hold `&` (a valid URL character).
    let base = xml(&base_url(site));
    let mut docs: Vec<_> = site
        .documents
        .iter()
        .filter(|d| lang == ZH || d.en.is_some())
        .collect();
    docs.sort_by(|a, b| {
        b.meta
            .published
            .cmp(&a.meta.published)
            .then(a.id.cmp(&b.id))
    });
    let updated = docs
        .first()
        .map(|d| d.meta.published.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "1970-01-01".into());
    let title = if lang == EN && !site.config.title_en.is_empty() {
        &site.config.title_en
    } else {
        &site.config.title
    };
    // Relative links resolve against the feed's own location.
    let href = |path: &str| {
        if base.is_empty() {
            path.strip_prefix(lang.prefix).unwrap_or(path).to_string()
        } else {
            format!("{base}{path}")
        }
    };
    let feed_id = if base.is_empty() {
        urn(&format!("{}|feed|{}", site.config.title, lang.code))
    } else {
        format!("{base}{}feed.xml", lang.prefix)
    };
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        lang.tag
    ));
    out.push_str(&format!("<title>{}</title>\n", xml(title)));
    out.push_str(&format!("<id>{feed_id}</id>\n"));
    out.push_str(&format!("<updated>{updated}T00:00:00Z</updated>\n"));
    out.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&href(&format!("{}index.html", lang.prefix)))
    ));
    if !base.is_empty() {
        out.push_str(&format!(
            "<link rel=\"self\" href=\"{base}{}feed.xml\"/>\n",
            lang.prefix
        ));
    }
    for d in docs {
        let url = doc_url(d, lang);
        let id = if base.is_empty() {
            urn(&format!("{}|{}|{}", site.config.title, d.id, lang.code))
        } else {
            format!("{base}{url}")
        };
        let date = if d.meta.published.is_empty() {
            updated.clone()
        } else {
            d.meta.published.clone()
        };
        out.push_str("<entry>\n");
        out.push_str(&format!(
            "<title>{}</title>\n",
            xml(&doc_view_title(d, lang))
        ));
        out.push_str(&format!("<id>{id}</id>\n"));
        out.push_str(&format!("<updated>{date}T00:00:00Z</updated>\n"));
        out.push_str(&format!("<published>{date}T00:00:00Z</published>\n"));
        out.push_str(&format!(
            "<author><name>{}</name></author>\n",
            xml(&d.meta.issuer)
        ));
        out.push_str(&format!(
            "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml(&href(&url))
        ));
        let summary = if lang == ZH {
            format!("{} {}", d.meta.number, d.meta.title)
        } else {
            format!(
                "{} (unofficial translation; the Chinese text is authoritative)",
                d.meta.number
            )
        };
        out.push_str(&format!("<summary>{}</summary>\n", xml(&summary)));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// sitemap.xml with hreflang alternates; only with a `base_url`.
pub fn sitemap(site: &Site, pages: &[&str]) -> Option<String> {
    let base = xml(&base_url(site));
    if base.is_empty() {
        return None;
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for p in pages
        .iter()
        .filter(|p| !p.starts_with("en/") && **p != "404.html")
    {
        let (zh, en) = (format!("{base}{p}"), format!("{base}en/{p}"));
        let translated = pages.contains(&&en[base.len()..]);
        // Each language's entry lists both versions (Google's hreflang form).
        let alternates = if translated {
            format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"{}\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{}\"/>",
                xml(&zh),
                xml(&en)
            )
        } else {
            String::new()
        };
        out.push_str(&format!("<url><loc>{}</loc>{alternates}</url>\n", xml(&zh)));
        if translated {
            out.push_str(&format!("<url><loc>{}</loc>{alternates}</url>\n", xml(&en)));
        }
    }
    out.push_str("</urlset>\n");
    Some(out)
}

pub fn robots(site: &Site) -> String {
    let base = base_url(site);
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if !base.is_empty() {
        out.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn urn_is_stable_and_well_formed() {
        let a = super::urn("x");
        assert_eq!(a, super::urn("x"));
        assert_ne!(a, super::urn("y"));
        assert_eq!(a.len(), "urn:uuid:".len() + 36);
    }
}
