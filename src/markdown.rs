//! Markdown → blocks. Each top-level block (paragraph, heading, list, code)
//! keeps its plain text (for source fidelity, search and translation checks)
//! and its HTML (for pages).
//!
//! Choices that matter for Chinese: smart punctuation stays off (it would
//! rewrite “” and ''); a soft line break between two CJK characters is
//! dropped rather than rendered as a space.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    Code,
    Table,
    Other,
}

/// One top-level Markdown block.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// The text a reader sees, without markup.
    pub text: String,
    /// Its HTML; for a paragraph or heading what stands inside its tag
    /// (the page writes the tag, with the block's anchor).
    pub html: String,
    /// 0-based line within the body where the block starts.
    pub line: usize,
    /// The block's Markdown source: a byte range of the body.
    pub span: std::ops::Range<usize>,
}

/// Rewrites runs of a block's text into HTML (to link citations). Called
/// once per block with the block's whole text and its runs (byte ranges of
/// that text, one per Markdown text event); returns one entry per run,
/// `None` to keep the run as it is.
pub type Decorate<'a> = dyn FnMut(&str, &[std::ops::Range<usize>]) -> Vec<Option<String>> + 'a;

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Splits `body` into blocks with their HTML. Raw HTML is escaped unless
/// `allow_raw_html`.
pub fn blocks(body: &str, allow_raw_html: bool, decorate: &mut Decorate<'_>) -> Vec<Block> {
    split(body, allow_raw_html, Some(decorate))
}

/// Blocks with their text only (`html` left empty): for fidelity, search,
/// citations and excerpts, which never show the HTML.
pub fn plain_blocks(body: &str) -> Vec<Block> {
    split(body, false, None)
}

/// One pass of pulldown-cmark over `body`. A block's events are kept until
/// it ends; then its text is complete, so `decorate` sees the whole block
/// at once (a citation may span runs), and the HTML is written.
fn split(body: &str, allow_raw_html: bool, mut decorate: Option<&mut Decorate<'_>>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut events: Vec<Event> = Vec::new();
    // Text events that `decorate` may rewrite: (index in `events`, range in `text`).
    let mut runs: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    let mut text = String::new();
    let mut kind = BlockKind::Other;
    // Lines before `counted`, so that a block's line is found in one pass.
    let (mut counted, mut line) = (0usize, 0usize);
    // Where the current block's source starts.
    let mut start = 0usize;
    let mut code: Option<(String, String)> = None; // (lang, text)
    let mut prev_char: Option<char> = None;
    let mut pending_soft = false;
    let html = decorate.is_some();
    // For each open link or image: whether its tags were dropped (an
    // unsafe address: its text stays, as text).
    let mut links: Vec<bool> = Vec::new();
    let mut finish = |events: &mut Vec<Event>,
                      runs: &mut Vec<(usize, std::ops::Range<usize>)>,
                      text: &mut String,
                      kind: BlockKind,
                      line: usize,
                      span: std::ops::Range<usize>,
                      out: &mut Vec<Block>| {
        let mut block_html = String::new();
        if let Some(decorate) = decorate.as_mut() {
            if !runs.is_empty() {
                let ranges: Vec<std::ops::Range<usize>> =
                    runs.iter().map(|(_, r)| r.clone()).collect();
                for ((at, _), new) in runs.iter().zip(decorate(text, &ranges)) {
                    if let Some(new) = new {
                        events[*at] = Event::InlineHtml(new.into());
                    }
                }
            }
            // A paragraph's or heading's own tag is the page's to write (with
            // its anchor): only what is inside it becomes HTML here.
            let own_tag = matches!(kind, BlockKind::Paragraph | BlockKind::Heading(_))
                && matches!(
                    events.first(),
                    Some(Event::Start(Tag::Paragraph | Tag::Heading { .. }))
                )
                && matches!(
                    events.last(),
                    Some(Event::End(TagEnd::Paragraph | TagEnd::Heading(_)))
                );
            if own_tag {
                events.pop();
                pulldown_cmark::html::push_html(&mut block_html, events.drain(1..));
            } else {
                pulldown_cmark::html::push_html(&mut block_html, events.drain(..));
            }
        }
        events.clear();
        runs.clear();
        out.push(Block {
            kind,
            text: std::mem::take(text),
            html: block_html,
            line,
            span,
        });
    };
    let parser = Parser::new_ext(body, options()).into_offset_iter();
    for (event, range) in parser {
        if depth == 0 {
            line += body[counted..range.start].matches('\n').count();
            counted = range.start;
            start = range.start;
            text.clear();
            events.clear();
            runs.clear();
            prev_char = None;
            pending_soft = false;
            kind = BlockKind::Other;
        }
        match &event {
            Event::Start(Tag::Link { dest_url, .. }) if depth > 0 => {
                let unsafe_url = !safe_url(dest_url, false);
                links.push(unsafe_url);
                depth += 1;
                if !unsafe_url {
                    events.push(event.clone());
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) if depth > 0 => {
                let unsafe_url = !safe_url(dest_url, true);
                links.push(unsafe_url);
                depth += 1;
                if !unsafe_url {
                    events.push(event.clone());
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                depth = depth.saturating_sub(1);
                if !links.pop().unwrap_or(false) {
                    events.push(event.clone());
                }
            }
            Event::Start(tag) => {
                if depth == 0 {
                    kind = match tag {
                        Tag::Paragraph => BlockKind::Paragraph,
                        Tag::Heading { level, .. } => BlockKind::Heading(*level as u8),
                        Tag::CodeBlock(_) => BlockKind::Code,
                        Tag::Table(_) => BlockKind::Table,
                        _ => BlockKind::Other,
                    };
                }
                if let Tag::CodeBlock(k) = tag {
                    let lang = match k {
                        CodeBlockKind::Fenced(l) => {
                            l.split_whitespace().next().unwrap_or("").to_string()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                depth += 1;
                if code.is_none() {
                    events.push(event.clone());
                }
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                if let TagEnd::CodeBlock = tag {
                    if let Some((lang, src)) = code.take() {
                        if html {
                            events.push(Event::Html(CowStr::from(highlight(&lang, &src))));
                        }
                    }
                } else {
                    events.push(event.clone());
                }
                if depth == 0 {
                    finish(
                        &mut events,
                        &mut runs,
                        &mut text,
                        kind,
                        line,
                        start..range.end,
                        &mut out,
                    );
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, src)) = code.as_mut() {
                    src.push_str(t);
                    text.push_str(t);
                    continue;
                }
                if pending_soft {
                    pending_soft = false;
                    let next = t.chars().next();
                    if !(prev_char.is_some_and(is_cjk) && next.is_some_and(is_cjk)) {
                        text.push(' ');
                        events.push(Event::Text(" ".into()));
                    }
                }
                let offset = text.len();
                text.push_str(t);
                prev_char = t.chars().last().or(prev_char);
                if matches!(event, Event::Text(_)) {
                    runs.push((events.len(), offset..text.len()));
                }
                events.push(event.clone());
            }
            Event::SoftBreak => pending_soft = true,
            Event::HardBreak => {
                text.push('\n');
                events.push(event.clone());
            }
            Event::Html(raw) | Event::InlineHtml(raw) => {
                if allow_raw_html {
                    events.push(event.clone());
                } else {
                    text.push_str(raw);
                    events.push(Event::Text(raw.clone()));
                }
            }
            _ => events.push(event.clone()),
        }
        if depth == 0 && !matches!(event, Event::End(_)) {
            // A lone top-level event (a rule, raw HTML block).
            finish(
                &mut events,
                &mut runs,
                &mut text,
                BlockKind::Other,
                line,
                start..range.end,
                &mut out,
            );
        }
    }
    out
}

/// Whether a link (or, with `image`, an image) address may stand in a
/// page: http, https, mailto, tel, or no scheme at all (a relative address
/// or a fragment); for images also `data:image/…` of the raster types.
/// Anything else (`javascript:`, `data:text/html`, `vbscript:`, `file:`)
/// could run code or leave the site when a reader clicks it. The address is
/// read as a browser would: tabs and line breaks inside it and control
/// characters and spaces around it are ignored.
pub fn safe_url(url: &str, image: bool) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // `a/b:c` or `?x=1:2`: the colon is not a scheme's.
    if !is_scheme {
        return true;
    }
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" | "mailto" | "tel" => true,
        "data" if image => {
            let rest = cleaned[colon + 1..].to_ascii_lowercase();
            ["image/png", "image/jpeg", "image/gif", "image/webp"]
                .iter()
                .any(|t| rest.starts_with(t))
        }
        _ => false,
    }
}

/// Links and images in `body` whose address `safe_url` refuses: the byte
/// offset where each starts and its address.
pub fn unsafe_links(body: &str) -> Vec<(usize, String)> {
    // Most bodies have no link at all: no parse for them.
    if !body.contains("](") && !body.contains("]:") && !body.contains('<') {
        return Vec::new();
    }
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) if !safe_url(&dest_url, false) => {
                Some((range.start, dest_url.to_string()))
            }
            Event::Start(Tag::Image { dest_url, .. }) if !safe_url(&dest_url, true) => {
                Some((range.start, dest_url.to_string()))
            }
            _ => None,
        })
        .collect()
}

/// Stable anchors for a section's blocks: paragraphs `<section>-p<n>`,
/// headings `<section>-h<n>`, anything else `<section>-b<n>`, each counted
/// on its own so that a translation with the same paragraphs shares them.
pub fn block_ids(section: &str, blocks: &[Block]) -> Vec<String> {
    let (mut p, mut h, mut o) = (0, 0, 0);
    blocks
        .iter()
        .map(|b| match b.kind {
            BlockKind::Paragraph => {
                p += 1;
                format!("{section}-p{p}")
            }
            BlockKind::Heading(_) => {
                h += 1;
                format!("{section}-h{h}")
            }
            _ => {
                o += 1;
                format!("{section}-b{o}")
            }
        })
        .collect()
}

pub use crate::text::is_cjk;

/// Escapes text so that Markdown renders it exactly as written. Used by
/// `import`, whose paragraphs are published text, not Markdown.
pub fn escape_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let last = line.chars().count().saturating_sub(1);
    for (i, c) in line.chars().enumerate() {
        let special_anywhere = matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '!'
        );
        let special_at_start = i == 0 && matches!(c, '#' | '-' | '+' | '=' | '>');
        // A heading's closing sequence (`### 1. 甲 #`) would drop the `#`.
        let special_at_end = i == last && c == '#';
        if special_anywhere || special_at_start || special_at_end {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. text" or "1) text" at the start would become a list.
    let digits = out.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        let rest = &out[digits..];
        if rest.starts_with('.') || rest.starts_with(')') {
            out.insert(digits, '\\');
        }
    }
    out
}

fn highlight(lang: &str, src: &str) -> String {
    use syntect::html::{ClassStyle, ClassedHTMLGenerator};
    use syntect::parsing::SyntaxSet;
    use syntect::util::LinesWithEndings;
    // Loading the syntaxes costs milliseconds: only when a code block exists.
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    let ss = SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines);
    let syntax = ss
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| ss.find_syntax_plain_text());
    let mut gen = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        ss,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(src) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!("<pre><code>{}</code></pre>", crate::text::escape_html(src));
        }
    }
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", crate::text::escape_html(lang))
    };
    format!(
        "<pre class=\"code\"><code{class}>{}</code></pre>",
        gen.finalize()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_blocks(body: &str) -> Vec<Block> {
        blocks(body, false, &mut |_, runs| vec![None; runs.len()])
    }

    #[test]
    fn decorate_sees_the_whole_block_and_rewrites_runs() {
        let mut seen = Vec::new();
        let b = blocks("甲*乙*丙\n\n丁", false, &mut |text, runs| {
            seen.push((text.to_string(), runs.len()));
            runs.iter()
                .map(|r| (&text[r.clone()] == "乙").then(|| "<mark>乙</mark>".to_string()))
                .collect()
        });
        assert_eq!(seen, vec![("甲乙丙".to_string(), 3), ("丁".to_string(), 1)]);
        assert_eq!(b[0].html, "甲<em><mark>乙</mark></em>丙");
        assert!(plain_blocks("甲").iter().all(|b| b.html.is_empty()));
    }

    #[test]
    fn cjk_soft_break_is_dropped() {
        let b = html_blocks("集安市\n教育 and\nmore");
        assert_eq!(b[0].text, "集安市教育 and more");
        assert!(b[0].html.contains("集安市教育"));
    }

    #[test]
    fn escaped_text_round_trips() {
        for s in [
            "1. 不是列表",
            "# 不是标题",
            "a*b*c_d_ <script>&amp; [x](y) |",
            "- 项",
            "3) x",
        ] {
            let b = plain_blocks(&escape_text(s));
            assert_eq!(b.len(), 1, "{s}");
            assert_eq!(b[0].kind, BlockKind::Paragraph, "{s}");
            assert_eq!(b[0].text, s);
        }
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let b = html_blocks("<script>alert(1)</script>\n\ntext <b>x</b>");
        assert!(!b.iter().any(|b| b.html.contains("<script>")));
        assert!(b[1].html.contains("&lt;b&gt;"));
        let allowed = blocks("text <b>x</b>", true, &mut |_, runs| vec![None; runs.len()]);
        assert!(allowed[0].html.contains("<b>x</b>"));
    }

    #[test]
    fn unsafe_addresses_are_found_and_rendered_as_text() {
        let body = "[a](javascript:alert(1)) ![i](JaVaScRiPt:x) <javascript:alert(2)>\n\n\
                    [d](data:text/html,<b>) [ok](https://x.cn) [rel](../a/index.html#p1) \
                    [m](mailto:a@b.cn) ![png](data:image/png;base64,AA) [e](&#106;avascript:1)";
        let found: Vec<String> = unsafe_links(body).into_iter().map(|(_, u)| u).collect();
        assert_eq!(
            found,
            vec![
                "javascript:alert(1)",
                "JaVaScRiPt:x",
                "javascript:alert(2)",
                "data:text/html,<b>",
                "javascript:1"
            ]
        );
        let html: String = html_blocks(body).iter().map(|b| b.html.clone()).collect();
        let lower = html.to_lowercase();
        assert!(
            !lower.contains("href=\"javascript") && !lower.contains("src=\"javascript"),
            "{html}"
        );
        // The autolink's address stays, as text.
        assert!(html.contains("a i javascript:alert(2)"), "{html}");
        assert!(!html.contains("data:text"), "{html}");
        assert!(html.contains("<a href=\"https://x.cn\">ok</a>"), "{html}");
        assert!(html.contains("<img src=\"data:image/png"), "{html}");
        assert!(safe_url("a/b:c", false) && safe_url("#p1", false) && safe_url("tel:123", false));
        assert!(!safe_url(" javascript:x", false) && !safe_url("java\tscript:x", false));
        assert!(!safe_url("data:image/png,x", false) && safe_url("data:image/png,x", true));
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let b = html_blocks("```rust\nfn main() {}\n```\n");
        assert_eq!(b[0].kind, BlockKind::Code);
        assert!(b[0].html.contains("hl-"), "{}", b[0].html);
        assert_eq!(b[0].text, "fn main() {}\n");
    }

    #[test]
    fn spans_are_the_blocks_sources() {
        let body = "\n一 *二*\n三\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n\n---\n";
        let b = plain_blocks(body);
        let src: Vec<&str> = b.iter().map(|b| body[b.span.clone()].trim_end()).collect();
        assert_eq!(
            src,
            [
                "一 *二*\n三",
                "| a | b |\n|---|---|\n| 1 | 2 |",
                "```\ncode\n```",
                "---"
            ]
        );
    }

    #[test]
    fn paragraph_lines() {
        let b = plain_blocks("一\n\n二\n\n\n三");
        assert_eq!(b.iter().map(|b| b.line).collect::<Vec<_>>(), vec![0, 2, 5]);
    }
}
