//! Import → load → source fidelity on "line soups": each input byte picks a
//! piece of the disclosure-page grammar (headings, 专栏, 文号, dates, table
//! cells, Markdown-special characters, line ends), so the fuzzer reaches the
//! structure parser's corners (notice, gaps, restarts, boxes) far sooner
//! than from raw bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PIECES: &[&str] = &[
    "一、",
    "二、",
    "三、",
    "十、",
    "〇十、",
    "(一)",
    "(二)",
    "（三）",
    "(十二)",
    "第一章 ",
    "第二章 ",
    "1.",
    "2.",
    "1、",
    "0.",
    "4294967295.",
    "专栏1 ",
    "专栏2",
    "专栏01 ",
    "专栏１",
    "|",
    " | ",
    "||",
    "。",
    "：",
    ":",
    "甲",
    "乙丙",
    "丁",
    "《",
    "》",
    "“",
    "”",
    "〔2023〕",
    "集政办发〔2023〕1号",
    "吉教办[2020]168号",
    "国令第7号",
    "2023年1月10日",
    "二〇二三年一月十日",
    "2023-01-10",
    "(此件公开发布)",
    "附件",
    "附件1",
    "各单位：",
    "索 引 号:",
    "标 题:",
    "成文日期:",
    "发文字号：",
    "分 类:",
    "发布日期:",
    " >> ",
    " ",
    "\u{3000}",
    "\t",
    "#",
    "*",
    "\\",
    "<",
    ">",
    "&",
    "`",
    "_",
    "[",
    "]",
    "!",
    "~",
    "-",
    "+",
    "=",
    "1",
    "9",
    "a",
    "\n",
    "\n",
    "\n",
    "\n",
    "\n",
    "\r\n",
    "\r",
];

fuzz_target!(|data: &[u8]| {
    let text: String = data
        .iter()
        .map(|&b| PIECES[usize::from(b) % PIECES.len()])
        .collect();
    gongkai_fuzz::import_load_check(text.as_bytes(), "soup", &text);
});
