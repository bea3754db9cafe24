//! Property tests of import → check, and the fuzzers' regression inputs.
//!
//! - Generated documents in every shape the importer understands (breadcrumb,
//!   both table layouts, key/value lines, notice, plan, chapters, sections,
//!   专栏 boxes, paragraphs full of Markdown-special characters) import, load
//!   as a site, and pass source fidelity.
//! - Arbitrary bytes and line soups never make the importer or the content
//!   parser panic; whatever the importer accepts passes source fidelity.
//! - Every input in `tests/fixtures/fuzz/` (crashes found by `cargo fuzz`,
//!   see fuzz/README.md) goes through the same steps.

use std::path::{Path, PathBuf};

use gongkai::check::fidelity;
use gongkai::content::{docnum, load_section, load_site, yaml, FrontMatter};
use gongkai::import::import_bytes;
use gongkai::markdown::plain_blocks;
use gongkai::references::{book_titles, Citation, Registry};
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------
// The round trip.

/// Imports `bytes` as document `id` into a fresh site, loads it and checks
/// source fidelity. `Err` only when the importer refuses the input.
fn round_trip(bytes: &[u8], id: &str) -> Result<usize, String> {
    let imported = import_bytes(bytes, Path::new("input.txt"), id)
        .map_err(|e| format!("import failed: {:?}", e.diagnostics()))?;
    let site = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::common::repo().join("site.yaml"),
        site.path().join("site.yaml"),
    )
    .unwrap();
    let content = site.path().join("content");
    let dir = content.join(id);
    std::fs::create_dir_all(&dir).unwrap();
    for f in &imported.files {
        std::fs::write(dir.join(&f.path), &f.bytes).unwrap();
    }
    let loaded = match load_site(site.path(), &content) {
        Ok(s) => s,
        Err(e) => panic!(
            "imported content does not load: {:#?}\n{}",
            e.diagnostics(),
            dump(&imported.files)
        ),
    };
    assert_eq!(loaded.documents.len(), 1);
    let report = fidelity::check(&loaded.documents[0]);
    assert!(
        report.errors.is_empty(),
        "source fidelity fails after import: {:#?}\n{}",
        report.errors,
        dump(&imported.files)
    );
    Ok(report.chars)
}

fn dump(files: &[gongkai::import::OutputFile]) -> String {
    files
        .iter()
        .map(|f| {
            format!(
                "=== {}\n{}",
                f.path.display(),
                String::from_utf8_lossy(&f.bytes)
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Generators of documents in the importer's shapes.

const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞";
const PUNCT: &str = "，。、；：“”‘’《》（）()！？—…·,.;:?%％";
const SPECIAL: &str = "*_[]<>#|`\\&!~-+={}$^\"'/@";
const ASCII: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn han_char() -> impl Strategy<Value = char> {
    select(chars(HAN))
}

/// Any character a paragraph of a disclosure page may hold.
fn para_char() -> impl Strategy<Value = char> {
    prop_oneof![
        10 => han_char(),
        3 => select(chars(PUNCT)),
        2 => select(chars(DIGITS)),
        2 => select(chars(ASCII)),
        3 => select(chars(SPECIAL)),
        1 => select(vec![' ', ' ', '\u{3000}', '\t']),
    ]
}

fn string_of(
    c: impl Strategy<Value = char> + 'static,
    len: std::ops::Range<usize>,
) -> BoxedStrategy<String> {
    proptest::collection::vec(c, len)
        .prop_map(|v| v.into_iter().collect())
        .boxed()
}

/// A paragraph: random text, sometimes ending in 。, sometimes starting
/// with a character Markdown treats specially at the start of a line.
fn paragraph() -> BoxedStrategy<String> {
    (
        prop::option::of(select(vec![
            "#", "# ", "## ", "- ", "+ ", "* ", "> ", "=", "===", "---", "1. ", "1) ", "12.", "`",
            "```", "~~~", "    ", "<div>", "<!--", "[x]: ", "|", "\\", "&amp;", "&#0;", "***",
        ])),
        string_of(para_char(), 1..60),
        prop::option::of(select(vec![
            "。", " #", " ##", "\\", "  ", "|", "：", "\\#", "*",
        ])),
    )
        .prop_map(|(start, mid, end)| {
            format!("{}{mid}{}", start.unwrap_or(""), end.unwrap_or("。"))
        })
        .boxed()
}

/// A title: Han characters and digits, no colon, pipe or `>` (a title line
/// must not read as a metadata row or a breadcrumb).
fn title() -> BoxedStrategy<String> {
    string_of(
        prop_oneof![10 => han_char(), 1 => select(chars("0123456789“”《》·—"))],
        2..30,
    )
}

fn date() -> impl Strategy<Value = (u32, u32, u32)> {
    (1990u32..2040, 1u32..=12, 1u32..=28)
}

fn cn_digit(d: u32) -> char {
    chars("〇一二三四五六七八九")[d as usize]
}

fn cn_small(n: u32) -> String {
    match n {
        1..=9 => cn_digit(n).to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", cn_digit(n - 10)),
        _ if n % 10 == 0 => format!("{}十", cn_digit(n / 10)),
        _ => format!("{}十{}", cn_digit(n / 10), cn_digit(n % 10)),
    }
}

/// A date as a table, a notice or a key/value line writes it.
fn date_text((y, m, d): (u32, u32, u32), style: u8) -> String {
    match style % 5 {
        0 => format!("{y}年{m:02}月{d:02}日"),
        1 => format!("{y}年{m}月{d}日"),
        2 => format!("{y}-{m:02}-{d:02}"),
        3 => format!("{y}/{m}/{d}"),
        _ => {
            let year: String = y
                .to_string()
                .chars()
                .map(|c| cn_digit(c.to_digit(10).unwrap()))
                .collect();
            format!("{year}年{}月{}日", cn_small(m), cn_small(d))
        }
    }
}

/// 发文字号 in the standard, bracket or decree form.
fn doc_number() -> BoxedStrategy<String> {
    (
        string_of(han_char(), 2..7),
        select(vec![("〔", "〕"), ("[", "]"), ("(", ")"), ("（", "）")]),
        1990u32..2040,
        1u32..500,
        any::<bool>(),
    )
        .prop_map(|(issuer, (open, close), year, serial, decree)| {
            if decree {
                format!("国令第{serial}号")
            } else {
                format!("{issuer}{open}{year}{close}{serial}号")
            }
        })
        .boxed()
}

#[derive(Debug, Clone)]
struct Meta {
    index_no: String,
    categories: Vec<String>,
    issuer: String,
    signed: (u32, u32, u32),
    title: String,
    number: String,
    published: (u32, u32, u32),
}

fn meta(title: String) -> impl Strategy<Value = Meta> {
    (
        string_of(select(chars("0123456789ABCDEF/-")), 1..30),
        proptest::collection::vec(title_no_sep(), 0..4),
        title_no_sep(),
        date(),
        doc_number(),
        date(),
    )
        .prop_map(
            move |(index_no, categories, issuer, signed, number, published)| Meta {
                index_no,
                categories,
                issuer,
                signed,
                title: title.clone(),
                number,
                published,
            },
        )
}

/// A title without the separators the table's lists split on.
fn title_no_sep() -> BoxedStrategy<String> {
    string_of(han_char(), 1..12)
}

/// The metadata table, as one of the layouts the platforms publish.
fn table_lines(m: &Meta, layout: u8, date_style: u8) -> Vec<String> {
    let pairs: Vec<(&str, String)> = vec![
        ("索 引 号:", m.index_no.clone()),
        ("分 类:", m.categories.join(";")),
        ("发文机关:", m.issuer.clone()),
        ("成文日期:", date_text(m.signed, date_style % 3)),
        ("标 题:", m.title.clone()),
        ("发文字号:", m.number.clone()),
        ("发布日期:", date_text(m.published, date_style % 3)),
    ];
    let one = || -> Vec<String> { pairs.iter().map(|(k, v)| format!("{k} | {v} |")).collect() };
    let two = || -> Vec<String> {
        pairs
            .chunks(2)
            .map(|c| match c {
                [(k1, v1), (k2, v2)] => format!("{k1} | {v1} | {k2} | {v2} |"),
                [(k, v)] => format!("{k} | {v} | ||"),
                _ => unreachable!(),
            })
            .collect()
    };
    match layout % 4 {
        0 => one(),
        1 => two(),
        2 => [one(), two()].concat(),
        _ => pairs
            .iter()
            .map(|(k, v)| format!("{}：{v}", k.trim_end_matches(':').replace(' ', "")))
            .collect(),
    }
}

#[derive(Debug, Clone)]
struct Notice {
    title: String,
    number: Option<String>,
    addressees: Option<String>,
    body: Vec<String>,
    signature: String,
    date: (u32, u32, u32),
    date_style: u8,
    note: Option<String>,
}

fn notice() -> impl Strategy<Value = Notice> {
    (
        title(),
        prop::option::of(doc_number()),
        prop::option::of(title().prop_map(|t| format!("{t}："))),
        proptest::collection::vec(paragraph(), 0..4),
        title(),
        date(),
        any::<u8>(),
        prop::option::of(select(vec![
            "(此件公开发布)",
            "（此件公开发布）",
            "(此件主动公开)",
        ])),
    )
        .prop_map(
            |(title, number, addressees, body, signature, date, date_style, note)| Notice {
                title: format!("关于{title}的通知"),
                number,
                addressees,
                body,
                signature,
                date,
                date_style,
                note: note.map(str::to_string),
            },
        )
}

#[derive(Debug, Clone)]
enum Item {
    Para(String),
    /// 专栏N: title, items (名称, 说明), whether the items share the heading's line.
    Box(String, Vec<(String, String)>, bool),
    /// A lower-level heading inside a section: 1. / 1、
    Sub(String),
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        8 => paragraph().prop_map(Item::Para),
        1 => (
            title(),
            proptest::collection::vec((title(), paragraph()), 0..4),
            any::<bool>()
        )
            .prop_map(|(t, items, inline)| Item::Box(t, items, inline)),
        1 => (1u32..20, title(), select(vec![".", "、", "．"]))
            .prop_map(|(n, t, sep)| Item::Sub(format!("{n}{sep}{t}"))),
    ]
}

#[derive(Debug, Clone)]
struct Chapter {
    title: String,
    intro: Vec<Item>,
    sections: Vec<(String, Vec<Item>)>,
}

fn chapter() -> impl Strategy<Value = Chapter> {
    (
        title(),
        proptest::collection::vec(item(), 0..3),
        proptest::collection::vec((title(), proptest::collection::vec(item(), 0..5)), 0..5),
    )
        .prop_map(|(title, intro, sections)| Chapter {
            title,
            intro,
            sections,
        })
}

#[derive(Debug, Clone)]
struct Doc {
    breadcrumb: Option<Vec<String>>,
    /// Layout of the table, or `None` for no table.
    table: Option<(Meta, u8, u8)>,
    notice: Option<Notice>,
    label: Option<&'static str>,
    plan_title: Option<String>,
    preamble: Vec<String>,
    chapters: Vec<Chapter>,
    /// Numbering: 一、 chapters with (一) or （一） sections, or 第一章 with 一、.
    style: u8,
    /// Line ends, blank lines, indentation, encoding.
    crlf: bool,
    blank_lines: bool,
    indent: bool,
    encoding: u8,
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        prop::option::of(proptest::collection::vec(title_no_sep(), 1..4)),
        notice(),
        any::<bool>(),
        prop::option::of((any::<u8>(), any::<u8>())),
        prop::option::of(select(vec!["附件", "附件1", "附件：", "附件:"])),
        prop::option::of(title()),
        proptest::collection::vec(paragraph(), 0..3),
        proptest::collection::vec(chapter(), 1..5),
        any::<u8>(),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<u8>()),
    )
        .prop_flat_map(
            |(
                breadcrumb,
                notice,
                has_notice,
                table,
                label,
                plan_title,
                preamble,
                chapters,
                style,
                (crlf, blank_lines, indent, encoding),
            )| {
                let meta_title = notice.title.clone();
                let table = match table {
                    Some((layout, date_style)) => meta(meta_title)
                        .prop_map(move |m| Some((m, layout, date_style)))
                        .boxed(),
                    None => Just(None).boxed(),
                };
                table.prop_map(move |table| Doc {
                    breadcrumb: breadcrumb.clone(),
                    table,
                    notice: has_notice.then(|| notice.clone()),
                    label,
                    plan_title: plan_title.clone(),
                    preamble: preamble.clone(),
                    chapters: chapters.clone(),
                    style,
                    crlf,
                    blank_lines,
                    indent,
                    encoding,
                })
            },
        )
}

fn push_items(lines: &mut Vec<String>, items: &[Item], next_box: &mut u32) {
    for it in items {
        match it {
            Item::Para(p) => lines.push(p.clone()),
            Item::Sub(s) => lines.push(s.clone()),
            Item::Box(title, items, inline) => {
                let n = *next_box;
                *next_box += 1;
                let list: Vec<String> = items.iter().map(|(a, b)| format!("{a}。{b}")).collect();
                if *inline && !list.is_empty() {
                    lines.push(format!("专栏{n} {title} {}", list.join(" ")));
                } else {
                    lines.push(format!("专栏{n} {title} |"));
                    if !list.is_empty() {
                        lines.push(format!("{} |", list.join(" ")));
                    }
                }
            }
        }
    }
}

impl Doc {
    fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(b) = &self.breadcrumb {
            lines.push(b.join(" >> "));
        }
        if let Some((m, layout, date_style)) = &self.table {
            lines.extend(table_lines(m, *layout, *date_style));
        }
        if let Some(n) = &self.notice {
            lines.push(n.title.clone());
            lines.extend(n.number.clone());
            lines.extend(n.addressees.clone());
            lines.extend(n.body.iter().cloned());
            lines.push(n.signature.clone());
            lines.push(date_text(n.date, [0, 1, 4][usize::from(n.date_style % 3)]));
            lines.extend(n.note.clone());
        }
        lines.extend(self.label.map(str::to_string));
        lines.extend(self.plan_title.clone());
        lines.extend(self.preamble.iter().cloned());
        let mut next_box = 1;
        for (ci, c) in self.chapters.iter().enumerate() {
            let n = ci as u32 + 1;
            let (chapter, sec_open, sec_close) = match self.style % 3 {
                0 => (format!("{}、", cn_small(n)), "(", ")"),
                1 => (format!("{}、", cn_small(n)), "（", "）"),
                _ => (format!("第{}章 ", cn_small(n)), "", "、"),
            };
            lines.push(format!("{chapter}{}", c.title));
            push_items(&mut lines, &c.intro, &mut next_box);
            for (si, (title, items)) in c.sections.iter().enumerate() {
                let s = cn_small(si as u32 + 1);
                lines.push(format!("{sec_open}{s}{sec_close}{title}"));
                push_items(&mut lines, items, &mut next_box);
            }
        }
        lines
    }

    fn bytes(&self) -> Vec<u8> {
        let nl = if self.crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        for (i, l) in self.lines().iter().enumerate() {
            if self.indent && i % 3 == 1 {
                text.push_str("\u{3000}\u{3000}");
            }
            text.push_str(l);
            if self.indent && i % 4 == 2 {
                text.push_str("  ");
            }
            text.push_str(nl);
            if self.blank_lines && i % 5 == 4 {
                text.push_str(nl);
            }
        }
        match self.encoding % 4 {
            1 => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
            2 => encoding_gb18030(&text),
            _ => text.into_bytes(),
        }
    }
}

fn encoding_gb18030(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

/// Line soups: the importer's tokens in any order, to reach the corners of
/// the structure parser (gaps, restarts, boxes without sections).
fn soup_line() -> BoxedStrategy<String> {
    prop_oneof![
        4 => paragraph(),
        2 => (1u32..30, title()).prop_map(|(n, t)| format!("{}、{t}", cn_small(n))),
        2 => (1u32..30, title(), any::<bool>()).prop_map(|(n, t, full)| if full {
            format!("（{}）{t}", cn_small(n))
        } else {
            format!("({}){t}", cn_small(n))
        }),
        1 => (1u32..30, title()).prop_map(|(n, t)| format!("第{}章 {t}", cn_small(n))),
        1 => (0u32..40, title()).prop_map(|(n, t)| format!("{n}.{t}")),
        1 => (0u32..40, title()).prop_map(|(n, t)| format!("{n}、{t}")),
        1 => (0u32..12, title(), select(vec![" |", "", " 甲。乙。 丙。丁。", "：|"]))
            .prop_map(|(n, t, tail)| format!("专栏{n} {t}{tail}")),
        1 => (title(), title()).prop_map(|(a, b)| format!("{a}。{b}。 {b}。{a}。 |")),
        1 => (date(), any::<u8>()).prop_map(|(d, s)| date_text(d, s)),
        1 => doc_number(),
        1 => title(),
        1 => select(vec![
            "附件", "(此件公开发布)", "各单位：", "", "   ", "|", "||", ">>", "首页 >> 公开",
            "标 题: | 题 |", "发文字号：集政办发〔2023〕1号", "成文日期: | 2023年01月10日 |",
            "专栏", "专栏１ 全角", "专栏1：冒号 |", "专栏01 零 |", "专栏2标题 甲。乙。", "第十章", "(十)", "一、", "4294967295.甲", "99999999999.乙",
        ]).prop_map(str::to_string),
    ]
    .boxed()
}

fn soup() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(soup_line(), 1..40),
        select(vec!["\n", "\r\n", "\r"]),
    )
        .prop_map(|(lines, nl)| lines.join(nl))
}

// ---------------------------------------------------------------------------
// The properties.

proptest! {
    /// Generated documents import, load, and keep every character.
    #[test]
    fn generated_documents_round_trip(doc in doc()) {
        let bytes = doc.bytes();
        let chars = round_trip(&bytes, "doc").map_err(TestCaseError::fail)?;
        prop_assert!(chars > 0);
    }

    /// Line soups: the importer may refuse (a bad date in a table row), but
    /// never panics, and what it accepts keeps every character.
    #[test]
    fn line_soups_round_trip(text in soup()) {
        let _ = round_trip(text.as_bytes(), "soup");
    }

    /// Arbitrary bytes: import and the content parser never panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1500)) {
        let _ = import_bytes(&bytes, Path::new("x.txt"), "x");
        parse_content(&bytes);
    }

    /// Arbitrary front matter built from the real keys never panics the parser.
    #[test]
    fn front_matter_soups_never_panic(
        lines in proptest::collection::vec(
            prop_oneof![
                select(vec![
                    "kind: section", "kind: notice", "kind: page", "kind: [", "chapter: 1",
                    "chapter: -1", "chapter: 99999999999", "section: 2", "heading: 一、甲",
                    "number: (一)", "id: ../x", "id: CON", "id: ok", "title: 《甲》",
                    "columns:", "- number: 1", "  title: 框", "  items:", "  - name: 甲",
                    "    text: 乙。", "  after: 3", "exceptions: []", "---", "...", "? x",
                    "&a a", "*a", "!!binary x", "title: |", "  块", "\t", "日期: 2023年",
                ]).prop_map(str::to_string),
                paragraph(),
            ],
            0..20,
        ),
        body in proptest::collection::vec(paragraph(), 0..5),
    ) {
        let text = format!("---\n{}\n---\n{}", lines.join("\n"), body.join("\n\n"));
        parse_content(text.as_bytes());
    }
}

// ---------------------------------------------------------------------------
// The content parser, as the `content` fuzz target runs it.

fn registry() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::load(&crate::common::repo().join("content")).unwrap())
}

fn citations_ok(text: &str, found: &[Citation]) {
    let mut last = 0;
    for c in found {
        assert!(c.start >= last && c.start <= c.end && c.end <= text.len());
        assert_eq!(&text[c.start..c.end], c.text);
        last = c.end;
        let _ = gongkai::references::sentence_around(text, c.start);
    }
}

fn detect(text: &str) {
    citations_ok(text, &registry().find(text));
    citations_ok(text, &registry().find_en(text, None));
    for (s, e) in book_titles(text) {
        assert!(text[s..e].starts_with('《') && text[s..e].ends_with('》'));
    }
    for (_, s, e) in docnum::find_in(text) {
        assert!(s < e && e <= text.len() && text.is_char_boundary(s));
    }
    let _ = docnum::parse(text);
    let _ = docnum::Date::parse(text);
}

/// Loads `bytes` as a content file and runs every detector on its text.
fn parse_content(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c1-s1.md");
    std::fs::write(&file, bytes).unwrap();
    let _ = load_section(&file, &mut Vec::new());
    let text = gongkai::decode::normalize_newlines(String::from_utf8_lossy(bytes).into_owned());
    let body = match yaml::split_front_matter(&text, &file) {
        Ok((fm, body, _)) => {
            if let Ok(front) = yaml::parse::<FrontMatter>(fm, &file, 1, &text) {
                for v in [&front.title, &front.heading, &front.doc_number, &front.note]
                    .into_iter()
                    .flatten()
                {
                    detect(v);
                }
                for c in &front.columns {
                    for i in &c.items {
                        detect(&i.source_text());
                    }
                }
            }
            body
        }
        Err(_) => &text[..],
    };
    for b in plain_blocks(body) {
        detect(&b.text);
    }
    detect(&text);
}

// ---------------------------------------------------------------------------
// Regression inputs from fuzzing.

fn fuzz_fixtures() -> Vec<PathBuf> {
    let dir = crate::common::repo().join("tests/fixtures/fuzz");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"));
    files.sort();
    files
}

/// Every regression input: import (and, when it is accepted, the whole round
/// trip), and the content parser, without a panic.
#[test]
fn fuzz_regressions() {
    let files = fuzz_fixtures();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let outcome = std::panic::catch_unwind(|| {
            let _ = round_trip(&bytes, "fuzz");
            parse_content(&bytes);
        });
        assert!(outcome.is_ok(), "regression input {name} panics");
    }
}

/// The seed document, and the raw fixtures, round-trip too.
#[test]
fn repository_inputs_round_trip() {
    let mut inputs = vec![crate::common::seed()];
    let raw = crate::common::repo().join("tests/fixtures/raw");
    let mut more: Vec<PathBuf> = std::fs::read_dir(&raw)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    more.sort();
    inputs.extend(more);
    for p in inputs {
        let bytes = std::fs::read(&p).unwrap();
        // empty.txt and disagree.txt are refused; the rest must round-trip.
        match round_trip(&bytes, "doc") {
            Ok(n) => assert!(n > 0, "{}", p.display()),
            Err(e) => assert!(
                p.ends_with("empty.txt") || p.ends_with("disagree.txt"),
                "{}: {e}",
                p.display()
            ),
        }
    }
}
