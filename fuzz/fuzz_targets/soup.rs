//! Import → load → source fidelity on "line soups": each input byte picks a
//! piece of the disclosure-page grammar (headings, 专栏, 文号, dates, table
//! cells, Markdown-special characters, line ends), so the fuzzer reaches the
//! structure parser's corners (notice, gaps, restarts, boxes) far sooner
//! than from raw bytes.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use gongkai::check::fidelity;
use gongkai::content::load_site;
use gongkai::import::import_bytes;
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

struct Env {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::write(root.join("site.yaml"), "title: fuzz\n").unwrap();
        Env { _dir: dir, root }
    })
}

fuzz_target!(|data: &[u8]| {
    let text: String = data
        .iter()
        .map(|&b| PIECES[usize::from(b) % PIECES.len()])
        .collect();
    let Ok(imported) = import_bytes(text.as_bytes(), Path::new("soup.txt"), "soup") else {
        return;
    };
    let env = env();
    let content = env.root.join("content");
    let _ = std::fs::remove_dir_all(&content);
    let dir = content.join("soup");
    std::fs::create_dir_all(&dir).unwrap();
    for f in &imported.files {
        std::fs::write(dir.join(&f.path), &f.bytes).unwrap();
    }
    let site = load_site(&env.root, &content)
        .unwrap_or_else(|e| panic!("imported content does not load: {:?}", e.diagnostics()));
    for doc in &site.documents {
        let r = fidelity::check(doc);
        assert!(r.errors.is_empty(), "fidelity: {:?}\n{text}", r.errors);
    }
});
