//! The glossary terms a document uses, as TBX (ISO 30042, the TBX-Basic
//! dialect in the `martif` vocabulary): one `termEntry` per term, a
//! `langSet` for the Chinese and one for the translation, whose first
//! term is the glossary's rendering (preferred) and the others its
//! accepted variants (admitted). A term's note goes with its entry.

use super::units::units;
use super::xliff::escape;
use crate::content::{Document, Site};

/// The TBX text and the number of terms in it.
pub fn write(site: &Site, doc: &Document, source: &str, target: &str) -> (String, usize) {
    // The text the document's units hold, to find the terms it uses.
    let text: String = units(doc, "")
        .map(|us| {
            us.iter()
                .map(|u| u.source.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<martif type=\"TBX-Basic\" xml:lang=\"{}\">\n",
        escape(target)
    ));
    out.push_str("  <martifHeader>\n    <fileDesc>\n");
    out.push_str(&format!(
        "      <titleStmt><title>Glossary terms of {} ({})</title></titleStmt>\n",
        escape(&doc.id),
        escape(&doc.meta.title)
    ));
    out.push_str(
        "      <sourceDesc><p>content/glossary.yaml: the fixed renderings that `gongkai check` asks the translation to use</p></sourceDesc>\n",
    );
    out.push_str("    </fileDesc>\n    <encodingDesc><p type=\"XCSURI\">TBXBasicXCSV02.xcs</p></encodingDesc>\n  </martifHeader>\n");
    out.push_str("  <text>\n    <body>\n");
    let mut n = 0;
    for term in &site.glossary {
        if term.zh.is_empty() || !text.contains(&term.zh) {
            continue;
        }
        n += 1;
        out.push_str(&format!(
            "      <termEntry id=\"term-{}\">\n",
            super::source_hash(&term.zh)
        ));
        if !term.note.is_empty() {
            out.push_str(&format!("        <note>{}</note>\n", escape(&term.note)));
        }
        if term.scope == "label" {
            out.push_str("        <note>a metadata label: not checked in running text</note>\n");
        }
        out.push_str(&format!(
            "        <langSet xml:lang=\"{}\">\n          <tig>\n            <term>{}</term>\n          </tig>\n        </langSet>\n",
            escape(source),
            escape(&term.zh)
        ));
        // The glossary's renderings are English, whatever the language
        // exported.
        out.push_str("        <langSet xml:lang=\"en\">\n");
        for (i, en) in std::iter::once(&term.en).chain(&term.variants).enumerate() {
            let status = if i == 0 {
                "preferredTerm-admn-sts"
            } else {
                "admittedTerm-admn-sts"
            };
            out.push_str(&format!(
                "          <tig>\n            <term>{}</term>\n            <termNote type=\"administrativeStatus\">{status}</termNote>\n          </tig>\n",
                escape(en)
            ));
        }
        out.push_str("        </langSet>\n      </termEntry>\n");
    }
    out.push_str("    </body>\n  </text>\n</martif>\n");
    (out, n)
}
