//! The portal's languages, as pages see them: from `languages:` in
//! site.yaml, in the order the language switch lists them. The
//! authoritative language's pages are at the root; every other language's
//! under its prefix (`en/`), the same path after that.

use serde::Serialize;

use crate::content::SiteConfig;

/// A language of the portal.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Language {
    pub code: String,
    /// BCP 47 tag for `lang=` and `hreflang=`.
    pub tag: String,
    /// Path prefix of its pages: empty for the authoritative language.
    pub prefix: String,
    /// Its name in itself, for the language switch.
    pub name: String,
    pub authoritative: bool,
}

/// All the portal's languages.
#[derive(Debug, Clone)]
pub struct Languages {
    pub all: Vec<Language>,
}

impl Languages {
    pub fn from_config(config: &SiteConfig) -> Languages {
        Languages {
            all: config
                .languages
                .iter()
                .map(|l| Language {
                    code: l.code.clone(),
                    tag: if l.tag.is_empty() {
                        l.code.clone()
                    } else {
                        l.tag.clone()
                    },
                    prefix: if l.authoritative {
                        String::new()
                    } else {
                        format!("{}/", l.code)
                    },
                    name: l.name.clone(),
                    authoritative: l.authoritative,
                })
                .collect(),
        }
    }

    /// The language of the published text.
    pub fn authority(&self) -> &Language {
        self.all
            .iter()
            .find(|l| l.authoritative)
            .unwrap_or(&self.all[0])
    }

    /// The languages other than `lang`, in site order.
    pub fn others<'a>(&'a self, lang: &'a Language) -> impl Iterator<Item = &'a Language> + 'a {
        self.all.iter().filter(move |l| l.code != lang.code)
    }

    /// The codes, for loading UI strings.
    pub fn codes(&self) -> Vec<&str> {
        self.all.iter().map(|l| l.code.as_str()).collect()
    }

    /// The language whose pages a site-relative path belongs to.
    pub fn of_path(&self, path: &str) -> &Language {
        self.all
            .iter()
            .filter(|l| !l.prefix.is_empty())
            .find(|l| path.starts_with(&l.prefix))
            .unwrap_or_else(|| self.authority())
    }
}
