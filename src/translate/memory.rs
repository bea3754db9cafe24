//! The translation memory: every unit of the portal that has a current
//! translation, by its Chinese. A unit with no translation whose Chinese
//! equals one of them exactly (after trimming whitespace) gets that
//! translation prefilled, marked as a match to review: recurring formulas
//! such as （此件公开发布） or 各省、自治区、直辖市人民政府… are translated once.

use std::collections::HashMap;

use super::record::Record;
use super::units::units;
use crate::content::Site;

/// Where a remembered translation comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub doc: String,
    pub id: String,
    pub target: String,
}

impl Match {
    /// `<doc>:<id>`, as the exported files name it.
    pub fn origin(&self) -> String {
        format!("{}:{}", self.doc, self.id)
    }
}

#[derive(Debug, Default)]
pub struct Memory {
    by_source: HashMap<String, Match>,
}

impl Memory {
    /// The current translations into `lang` of every document, the first
    /// (in document and reading order) for each Chinese text.
    pub fn build(site: &Site, lang: &str) -> Memory {
        let mut by_source: HashMap<String, Match> = HashMap::new();
        for doc in &site.documents {
            let Ok(us) = units(doc, lang) else {
                continue;
            };
            let record = Record::of(doc, lang);
            for u in us {
                let Some(target) = u.target else { continue };
                if !record.is_current(&u.id, &super::source_hash(&u.source)) {
                    continue;
                }
                by_source
                    .entry(u.source.trim().to_string())
                    .or_insert(Match {
                        doc: doc.id.clone(),
                        id: u.id,
                        target,
                    });
            }
        }
        Memory { by_source }
    }

    /// The remembered translation of `source`, if there is one.
    pub fn lookup(&self, source: &str) -> Option<&Match> {
        self.by_source.get(source.trim())
    }

    pub fn len(&self) -> usize {
        self.by_source.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }
}
