//! The record of what each translation was made from:
//! `content/<doc>/<lang>/translated-from.yaml` maps a unit's id to the
//! hash of the Chinese its translation was last confirmed against (or
//! `review` for a translation imported unconfirmed). `translate import`
//! writes it whenever it writes the translation; `export` and `status`
//! read it to tell a translation whose Chinese has changed since. Without
//! a record (a translation written by hand) every translation counts as
//! current.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Result;

pub const FILE: &str = crate::content::TRANSLATED_FROM;

/// The value for a translation imported without being confirmed.
pub const REVIEW: &str = "review";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// Unit id → source hash or `review`.
    pub entries: BTreeMap<String, String>,
    /// Whether the file exists.
    pub exists: bool,
}

impl Record {
    /// Reads the record of the translation in `lang_dir`, if there is one.
    pub fn load(lang_dir: &Path) -> Result<Record> {
        let path = lang_dir.join(FILE);
        if !path.is_file() {
            return Ok(Record::default());
        }
        let mut warnings = Vec::new();
        let text = crate::decode::read_content(&path, &mut warnings)?;
        let entries: BTreeMap<String, String> = if text.trim().is_empty() {
            BTreeMap::new()
        } else {
            crate::content::yaml::parse(&text, &path, 0, &text)?
        };
        Ok(Record {
            entries,
            exists: true,
        })
    }

    /// The record of `doc`'s translation `lang` as loaded with it.
    pub fn of(doc: &crate::content::Document, lang: &str) -> Record {
        match doc
            .translations
            .get(lang)
            .and_then(|t| t.made_from.as_ref())
        {
            Some(entries) => Record {
                entries: entries.clone(),
                exists: true,
            },
            None => Record::default(),
        }
    }

    /// Whether the translation of `id` is current for a Chinese whose hash
    /// is `hash`.
    pub fn is_current(&self, id: &str, hash: &str) -> bool {
        match self.entries.get(id) {
            None => true,
            Some(h) => h == hash,
        }
    }

    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# What each translation was made from, written by `gongkai translate import`:\n\
             # unit id → SHA-256 (first 16 hex digits) of the Chinese it was confirmed\n\
             # against, or `review` when it was imported unconfirmed. Export marks a\n\
             # translation whose Chinese has changed since as needing review.\n",
        );
        for (id, h) in &self.entries {
            out.push_str(id);
            // Quoted: a hash of digits alone would read as a number.
            out.push_str(&format!(": \"{h}\"\n"));
        }
        out
    }
}
