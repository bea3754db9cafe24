//! The 404 page, one for the whole site in every language: a server shows
//! it for any missing address, so its links start at the site's root on
//! the server: the path of `base_url` (`/portal/` for
//! `https://example.org/portal/`), or `/`. Without the host, the page works
//! under whatever name the server answers to.

use serde::Serialize;

use crate::content::Document;
use crate::diagnostic::{Diagnostic, Result};
use crate::render::{Build, Language, Out, PageKind, Reach};

pub struct NotFound;

#[derive(Serialize)]
struct Lang404<'a> {
    code: &'a str,
    tag: &'a str,
    prefix: &'a str,
    name: &'a str,
    /// The portal's name in this language.
    title: &'a str,
    /// Its UI strings.
    t: Option<&'a std::collections::BTreeMap<String, String>>,
}

#[derive(Serialize)]
struct NotFoundPage<'a> {
    root: String,
    site: &'a crate::content::SiteConfig,
    authority: Lang404<'a>,
    others: Vec<Lang404<'a>>,
}

impl PageKind for NotFound {
    fn reach(&self) -> Reach {
        Reach::Listing
    }

    fn shows(&self) -> crate::render::Shows {
        crate::render::Shows::ENTRIES
    }

    fn per_language(&self) -> bool {
        false
    }

    fn make(
        &self,
        b: &Build,
        _: &Language,
        _: Option<&Document>,
        out: &mut Vec<Out>,
    ) -> Result<()> {
        fn view<'l>(b: &'l Build, l: &'l Language) -> Lang404<'l> {
            Lang404 {
                code: &l.code,
                tag: &l.tag,
                prefix: &l.prefix,
                name: &l.name,
                title: b.site_title(l),
                t: b.theme.strings.get(&l.code),
            }
        }
        let authority = b.langs.authority();
        let root = server_root(b.routes.base());
        let page = NotFoundPage {
            root,
            site: &b.site.config,
            authority: view(b, authority),
            others: b.langs.others(authority).map(|l| view(b, l)).collect(),
        };
        let mut ctx = tera::Context::from_serialize(&page)
            .map_err(|e| Diagnostic::error(format!("internal: the 404 context: {e}")))?;
        // Each language's UI strings under its code (`zh.not_found_title`).
        for l in &b.langs.all {
            if let Some(v) = b.theme.string_values.get(&l.code) {
                ctx.insert_value(l.code.clone(), v.clone());
            }
        }
        if let Some(v) = b.theme.string_values.get(&authority.code) {
            ctx.insert_value("a", v.clone());
        }
        out.push(Out::Page {
            path: b.routes.not_found().into(),
            template: "404.html",
            ctx,
        });
        Ok(())
    }
}

/// The path of `base`, from its first `/` after the host (with a final
/// `/`), or `/`.
fn server_root(base: &str) -> String {
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
        .unwrap_or("");
    let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use super::server_root;

    #[test]
    fn the_root_is_the_path_of_base_url() {
        assert_eq!(server_root(""), "/");
        assert_eq!(server_root("https://example.org"), "/");
        assert_eq!(server_root("https://example.org/"), "/");
        assert_eq!(server_root("https://example.org/portal/"), "/portal/");
        assert_eq!(server_root("http://example.org:8080/a/b"), "/a/b/");
    }
}
