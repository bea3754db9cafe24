//! The files beside the pages that machines read: Atom feeds, the sitemap,
//! robots.txt. Without a `base_url` the feed uses relative links and URN ids
//! and there is no sitemap (its protocol needs absolute addresses), so a
//! portal read from disk never names a server.

use sha2::{Digest, Sha256};

use super::{escape_html, Build, Language, Languages};
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

/// Atom feed of the documents in one language, newest first: the
/// documents translated into it (all of them in the authoritative one).
pub fn atom(b: &Build, lang: &Language) -> String {
    let site = b.site;
    let base = b.routes.base();
    let mut docs: Vec<_> = site
        .catalog
        .entries
        .iter()
        .filter(|d| lang.authoritative || d.translations.contains_key(&lang.code))
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
    // Relative links resolve against the feed's own location.
    let href = |path: &str| {
        if base.is_empty() {
            path.strip_prefix(lang.prefix.as_str())
                .unwrap_or(path)
                .to_string()
        } else {
            format!("{base}{path}")
        }
    };
    let feed_id = if base.is_empty() {
        urn(&format!("{}|feed|{}", site.config.title, lang.code))
    } else {
        format!("{base}{}", b.routes.feed(lang))
    };
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(&lang.tag)
    ));
    out.push_str(&format!("<title>{}</title>\n", xml(b.site_title(lang))));
    out.push_str(&format!("<id>{}</id>\n", xml(&feed_id)));
    out.push_str(&format!("<updated>{updated}T00:00:00Z</updated>\n"));
    out.push_str(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml(&href(&b.routes.home(lang)))
    ));
    if !base.is_empty() {
        out.push_str(&format!(
            "<link rel=\"self\" href=\"{}\"/>\n",
            xml(&format!("{base}{}", b.routes.feed(lang)))
        ));
    }
    for d in docs {
        let url = b.routes.document(&d.id, lang);
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
            xml(&b.entry_title(d, lang))
        ));
        out.push_str(&format!("<id>{}</id>\n", xml(&id)));
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
        let summary = if lang.authoritative {
            format!("{} {}", d.meta.number, d.meta.title)
        } else {
            let note = b.t(lang, "feed_unofficial");
            format!("{} ({note})", d.meta.number)
        };
        out.push_str(&format!("<summary>{}</summary>\n", xml(&summary)));
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// sitemap.xml with hreflang alternates; only with a `base_url`. Each page
/// of the authoritative language is listed with its versions in the other
/// languages, and each version lists all of them (Google's hreflang form).
/// The most URLs one sitemap file may list (sitemaps.org); a site with
/// more gets a sitemap index.
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// The sitemap's files for the site's pages: `sitemap.xml` alone, or, past
/// `max` URLs, `sitemap.xml` as an index of `sitemap-1.xml`,
/// `sitemap-2.xml`… of at most `max` URLs each. None without a `base_url`.
pub fn sitemap(
    site: &Site,
    langs: &Languages,
    pages: &[&str],
    max: usize,
) -> Option<Vec<(String, String)>> {
    let routes = super::Routes::new(&site.config.base_url);
    let base = routes.base();
    if base.is_empty() {
        return None;
    }
    let all: std::collections::HashSet<&str> = pages.iter().copied().collect();
    let translated_prefixes: Vec<&str> = langs
        .all
        .iter()
        .filter(|l| !l.authoritative)
        .map(|l| l.prefix.as_str())
        .collect();
    let mut urls: Vec<String> = Vec::new();
    for p in pages.iter().filter(|p| {
        !translated_prefixes.iter().any(|t| p.starts_with(t)) && **p != routes.not_found()
    }) {
        let versions: Vec<(&str, String)> = std::iter::once(langs.authority())
            .chain(langs.all.iter().filter(|l| !l.authoritative))
            .filter_map(|l| {
                let path = format!("{}{p}", l.prefix);
                (l.authoritative || all.contains(path.as_str()))
                    .then(|| (l.tag.as_str(), format!("{base}{path}")))
            })
            .collect();
        let alternates: String = if versions.len() > 1 {
            versions
                .iter()
                .map(|(tag, url)| {
                    format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        xml(tag),
                        xml(url)
                    )
                })
                .collect()
        } else {
            String::new()
        };
        for (_, url) in &versions {
            urls.push(format!("<url><loc>{}</loc>{alternates}</url>\n", xml(url)));
        }
    }
    let urlset = |urls: &[String]| -> String {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for u in urls {
            out.push_str(u);
        }
        out.push_str("</urlset>\n");
        out
    };
    let max = max.max(1);
    if urls.len() <= max {
        return Some(vec![(routes.sitemap().to_string(), urlset(&urls))]);
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in urls.chunks(max).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            xml(&format!("{base}{name}"))
        ));
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, (routes.sitemap().to_string(), index));
    Some(files)
}

pub fn robots(b: &Build) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if !b.routes.base().is_empty() {
        out.push_str(&format!(
            "Sitemap: {}{}\n",
            b.routes.base(),
            b.routes.sitemap()
        ));
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
