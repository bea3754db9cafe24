//! A theme: Tera templates, static files and UI strings per language.
//!
//! ```text
//! themes/<name>/templates/*.html
//! themes/<name>/static/**        copied to public/static/
//! themes/<name>/i18n/zh.yaml     UI strings, one file per language
//! themes/<name>/i18n/en.yaml
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::yaml;
use crate::decode::read_content;
use crate::diagnostic::{Diagnostic, Error, Result};

pub struct Theme {
    pub dir: PathBuf,
    /// The templates as written: error positions refer to these.
    pub tera: tera::Tera,
    /// The same templates with the whitespace between tags taken out once
    /// (see `compact_template`): what a minified build renders with, so
    /// that no page has to be minified on its own.
    pub compact: tera::Tera,
    /// Language → key → UI string.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Static files: path relative to `static/` → bytes.
    pub assets: Vec<(PathBuf, Vec<u8>)>,
    hash: std::sync::OnceLock<String>,
    /// `strings` as template values, made once (every page uses them).
    pub string_values: BTreeMap<String, tera::Value>,
}

impl Theme {
    /// A short hash of the theme's static files. Computed once.
    pub fn asset_hash(&self) -> &str {
        self.hash.get_or_init(|| self.compute_hash())
    }

    fn compute_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for (p, b) in &self.assets {
            h.update(p.to_string_lossy().as_bytes());
            h.update(b);
        }
        h.finalize()
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl Theme {
    pub fn load(root: &Path, name: &str, languages: &[&str]) -> Result<Theme> {
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            let available: Vec<String> = std::fs::read_dir(root.join("themes"))
                .map(|rd| {
                    rd.flatten()
                        .filter(|e| e.path().is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            return Err(Diagnostic::error(format!(
                "theme `{name}` not found (looked in {})",
                dir.display()
            ))
            .in_file(root.join("site.yaml"))
            .hint(if available.is_empty() {
                "no themes/ folder here: run gongkai from the site's root folder".to_string()
            } else {
                format!(
                    "set `theme:` in site.yaml to one of: {}",
                    available.join(", ")
                )
            })
            .into());
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.register_filter("css_string", css_string_filter);
        let tdir = dir.join("templates");
        let mut templates = Vec::new();
        for entry in walkdir::WalkDir::new(&tdir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&tdir).unwrap_or(entry.path());
                let name = rel.to_string_lossy().replace('\\', "/");
                let mut w = Vec::new();
                let text = read_content(entry.path(), &mut w)?;
                templates.push((name, text));
            }
        }
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, &tdir))?;
        let mut compact = tera::Tera::new();
        compact.autoescape_on(vec![".html", ".xml"]);
        compact.register_filter("css_string", css_string_filter);
        let compacted: Vec<(String, String)> = templates
            .iter()
            .map(|(n, t)| {
                let c = if n.ends_with(".html") {
                    compact_template(t)
                } else {
                    t.clone()
                };
                (n.clone(), c)
            })
            .collect();
        compact
            .add_raw_templates(compacted.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, &tdir))?;
        let mut strings = BTreeMap::new();
        for lang in languages {
            let p = dir.join("i18n").join(format!("{lang}.yaml"));
            let mut w = Vec::new();
            let text = read_content(&p, &mut w)?;
            let map: BTreeMap<String, String> = yaml::parse(&text, &p, 0, &text)?;
            strings.insert(lang.to_string(), map);
        }
        check_same_keys(&strings, &dir)?;
        let sdir = dir.join("static");
        let mut assets = Vec::new();
        for entry in walkdir::WalkDir::new(&sdir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&sdir)
                    .unwrap_or(entry.path())
                    .to_path_buf();
                let bytes = std::fs::read(entry.path()).map_err(|e| {
                    Diagnostic::error(format!("cannot read {}: {e}", entry.path().display()))
                })?;
                let bytes = if rel.extension().is_some_and(|e| e == "css") {
                    minify_css(&bytes)
                } else {
                    bytes
                };
                assets.push((rel, bytes));
            }
        }
        let string_values = strings
            .iter()
            .map(|(k, v)| (k.clone(), tera::Value::from_serializable(v)))
            .collect();
        Ok(Theme {
            dir,
            tera,
            compact,
            strings,
            assets,
            hash: std::sync::OnceLock::new(),
            string_values,
        })
    }

    /// A page's bytes, from the compacted templates or the ones as written.
    /// Written straight into bytes: the templates and every value are
    /// UTF-8 already, so the output need not be validated again. On an
    /// error with the compacted templates, the ones as written render
    /// again, so that the message points at the line the theme's author
    /// sees.
    pub fn render_bytes(
        &self,
        template: &str,
        ctx: &tera::Context,
        compact: bool,
    ) -> Result<Vec<u8>> {
        let tera = if compact { &self.compact } else { &self.tera };
        let mut out = Vec::with_capacity(16 * 1024);
        match tera.render_to(template, ctx, &mut out) {
            Ok(()) => Ok(out),
            Err(e) if compact => Err(match self.render_bytes(template, ctx, false) {
                Err(original) => original,
                Ok(_) => template_error(&e, &self.dir.join("templates")),
            }),
            Err(e) => Err(template_error(&e, &self.dir.join("templates"))),
        }
    }
}

/// `{{ x | css_string }}`: `x` as a quoted CSS string, safe inside a
/// `<style>` element (every ASCII character but letters, digits and the
/// space written as a CSS escape, so no `"`, `\\`, `<` or `&` is left).
fn css_string_filter(val: &str, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    tera::Value::safe_string(&css_string(val))
}

pub fn css_string(val: &str) -> String {
    let mut out = String::from("\"");
    for c in val.chars() {
        if c.is_ascii_alphanumeric() || c == ' ' || (!c.is_ascii() && !c.is_control()) {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

/// A stylesheet minified once, when the theme loads, by minify-html's CSS
/// minifier (lightningcss): the pages ask for it, and full.html inlines it.
/// Templates are compacted instead (`compact_template`): minify-html
/// cannot read a template whose `{% if %}` stands inside a start tag
/// (`<td{% if x %} class="u"{% endif %}>`), which the theme's templates do.
pub fn minify_css(css: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        minify_css: true,
        keep_closing_tags: true,
        ..minify_html::Cfg::default()
    };
    let mut wrapped = b"<style>".to_vec();
    wrapped.extend_from_slice(css);
    wrapped.extend_from_slice(b"</style>");
    let out = minify_html::minify(&wrapped, &cfg);
    match (out.strip_prefix(b"<style>"), out.ends_with(b"</style>")) {
        (Some(rest), true) => rest[..rest.len() - b"</style>".len()].to_vec(),
        // Not what a stylesheet minifies to: keep it as written.
        _ => css.to_vec(),
    }
}

/// Takes out the line breaks (and indentation) a template's author puts
/// between tags. A break goes only where the tags on both sides of it
/// (looking through `{% %}` and `{# #}`) are known and at least one is a
/// block or head element, where a browser renders no space; breaks next to
/// text, `{{ value }}` or between two inline elements stay. Leading
/// indentation goes everywhere (templates hold no literal `<pre>` text).
/// `tests/publishing.rs` checks that minify-html makes the same page of
/// both forms.
pub fn compact_template(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some((line, next)) = rest.split_once('\n') {
        out.push_str(line.trim_start());
        let joinable = match (tag_before(&out), tag_after(next)) {
            (Some(a), Some(b)) => is_block(a) || is_block(b),
            _ => false,
        };
        if joinable {
            let kept = out.trim_end().len();
            out.truncate(kept);
        } else {
            out.push('\n');
        }
        rest = next;
    }
    out.push_str(rest.trim_start());
    out
}

/// The name of the HTML tag that `html` ends with, through template tags.
fn tag_before(html: &str) -> Option<&str> {
    let mut s = html.trim_end();
    loop {
        if s.ends_with("%}") || s.ends_with("#}") {
            let open = if s.ends_with("%}") { "{%" } else { "{#" };
            s = s[..s.rfind(open)?].trim_end();
        } else if s.ends_with('>') {
            return tag_name(&s[s.rfind('<')?..]);
        } else {
            return None;
        }
    }
}

/// The name of the HTML tag that `html` starts with, through template tags.
fn tag_after(html: &str) -> Option<&str> {
    let mut s = html.trim_start();
    loop {
        if s.starts_with("{%") || s.starts_with("{#") {
            let close = if s.starts_with("{%") { "%}" } else { "#}" };
            s = s[s.find(close)? + 2..].trim_start();
        } else if s.starts_with('<') {
            return tag_name(s);
        } else {
            return None;
        }
    }
}

/// `<div class=…>` → `div`, `</li>` → `li`, `<!DOCTYPE html>` → `!doctype`.
pub fn tag_name(tag: &str) -> Option<&str> {
    let t = tag.strip_prefix('<')?;
    let t = t.strip_prefix('/').unwrap_or(t);
    let end = t
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(t.len());
    (end > 0).then(|| &t[..end])
}

/// Elements whose boundaries make whitespace beside them unrendered in the
/// default theme (none of them is styled inline there).
pub fn is_block(name: &str) -> bool {
    const BLOCK: [&str; 47] = [
        "!DOCTYPE", "!doctype", "html", "head", "body", "meta", "link", "title", "script", "style",
        "base", "header", "footer", "nav", "main", "div", "p", "ul", "ol", "li", "table",
        "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "form", "fieldset", "legend",
        "section", "article", "aside", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd",
        "figure", "details", "summary", "hr",
    ];
    BLOCK.contains(&name)
}

/// Every language must have every UI string: a missing one would show a
/// blank or another language's text.
fn check_same_keys(strings: &BTreeMap<String, BTreeMap<String, String>>, dir: &Path) -> Result<()> {
    let all: std::collections::BTreeSet<&String> =
        strings.values().flat_map(|m| m.keys()).collect();
    let mut errors = Vec::new();
    for (lang, map) in strings {
        for key in &all {
            if !map.contains_key(*key) {
                errors.push(
                    Diagnostic::error(format!(
                        "UI string `{key}` is missing for language `{lang}`"
                    ))
                    .in_file(dir.join("i18n").join(format!("{lang}.yaml")))
                    .hint("add it: every language file lists the same keys"),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Many(errors))
    }
}

/// A Tera error as a diagnostic naming the template, line and column.
fn template_error(e: &tera::Error, tdir: &Path) -> Error {
    use tera::ErrorKind;
    let (file, span, message) = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => (
            Some(r.filename().to_string()),
            Some(r.span().clone()),
            r.message().to_string(),
        ),
        _ => (None, None, e.to_string()),
    };
    let mut d = Diagnostic::error(format!("template error: {message}"));
    if let Some(name) = file {
        let path = tdir.join(&name);
        d = d.in_file(&path);
        if let Some(span) = span {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            d = d.at_line_of(&text, span.start_line, span.start_col + 1);
        }
    }
    let full = e.to_string();
    d.hint(
        if full.contains("not found") || full.contains("not defined") {
            "check the variable's name against the context gongkai passes (see ARCHITECTURE.md); \
         use `| default(value=\"\")` for optional values"
                .to_string()
        } else {
            "fix the template syntax at the position shown".to_string()
        },
    )
    .into()
}

#[cfg(test)]
mod css_string_tests {
    use super::css_string;

    #[test]
    fn a_css_string_holds_no_quote_backslash_or_tag() {
        assert_eq!(css_string("集政办发〔2023〕1号"), "\"集政办发〔2023〕1号\"");
        let s = css_string("a\"b\\c</style><x>&\n");
        assert_eq!(
            s,
            "\"a\\22 b\\5c c\\3c \\2f style\\3e \\3c x\\3e \\26 \\a \""
        );
        assert!(!s[1..s.len() - 1].contains(['"', '<', '>', '&', '\n']));
    }
}
