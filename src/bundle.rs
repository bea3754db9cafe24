//! `gongkai bundle`: the built site as one zip for readers without a
//! network, with a README telling them to open `index.html` and a
//! `MANIFEST.sha256` so that anyone can check that nothing was altered.
//!
//! The zip is reproducible: entries in path order, every timestamp taken
//! from `SOURCE_DATE_EPOCH` (default 1980-01-01, the zip epoch), fixed
//! permissions.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, IoContext, Result};
use crate::render::{self, theme::Theme};

/// Top folder inside the zip, so that unzipping makes one folder.
pub const TOP: &str = "portal";

const README: &str = "请用浏览器打开本文件夹中的 index.html 阅读（无需联网）。\n\
英文译文为非官方译文，以中文原文为准。\n\
MANIFEST.sha256 列出每个文件的 SHA-256 校验值，可用 `sha256sum -c MANIFEST.sha256` 核对。\n\
\n\
Open index.html in this folder with a web browser to read the portal (no network needed).\n\
The English translation is unofficial; the Chinese text is authoritative.\n\
MANIFEST.sha256 lists the SHA-256 of every file; check it with `sha256sum -c MANIFEST.sha256`.\n";

#[derive(Debug, Clone)]
pub struct BundleOptions {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub out: PathBuf,
}

/// What went into the bundle.
#[derive(Debug)]
pub struct BundleReport {
    pub files: usize,
    pub bytes: u64,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The files of the bundle, in order: the site, README.txt, MANIFEST.sha256.
pub fn bundle_files(root: &Path, content_dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let site = crate::content::load_site(root, content_dir)?;
    let langs = crate::render::Languages::from_config(&site.config);
    let theme = Theme::load(root, &site.config.theme, &langs.codes())?;
    let mut files = render::render_site(&site, &theme, true)?;
    files.push(("README.txt".into(), README.as_bytes().to_vec()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let manifest: String = files
        .iter()
        .map(|(p, b)| format!("{}  {p}\n", hex(&Sha256::digest(b))))
        .collect();
    files.push(("MANIFEST.sha256".into(), manifest.into_bytes()));
    Ok(files)
}

fn zip_time() -> zip::DateTime {
    let epoch: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(315_532_800);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(1980, 2107) as u16;
    zip::DateTime::from_date_and_time(
        year,
        month,
        day,
        (secs / 3600) as u8,
        ((secs % 3600) / 60) as u8,
        (secs % 60) as u8,
    )
    .unwrap_or_default()
}

/// Writes the zip (atomically: a temporary file renamed into place; on
/// any failure the temporary file is removed and `out` is untouched).
pub fn bundle(opts: &BundleOptions) -> Result<BundleReport> {
    if opts.out.is_dir() {
        return Err(Diagnostic::error(format!(
            "cannot write the bundle to {}: it is a folder",
            opts.out.display()
        ))
        .hint("give --out a file name ending in .zip, e.g. `--out portal.zip`")
        .into());
    }
    let files = bundle_files(&opts.root, &opts.content_dir)?;
    let tmp = opts.out.with_extension("zip.tmp");
    let written = write_zip(&tmp, &files)
        .and_then(|()| std::fs::rename(&tmp, &opts.out).with_path("rename", &opts.out));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let bytes = std::fs::metadata(&opts.out).map(|m| m.len()).unwrap_or(0);
    Ok(BundleReport {
        files: files.len(),
        bytes,
    })
}

fn write_zip(tmp: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let f = std::fs::File::create(tmp).with_path("create", tmp)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(f));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time())
        .unix_permissions(0o644);
    let zip_error = |e: zip::result::ZipError| {
        crate::diagnostic::Error::from(Diagnostic::error(format!(
            "cannot write {}: {e}",
            tmp.display()
        )))
    };
    for (path, bytes) in files {
        zip.start_file(format!("{TOP}/{path}"), options)
            .map_err(zip_error)?;
        zip.write_all(bytes).with_path("write", tmp)?;
    }
    let mut inner = zip.finish().map_err(zip_error)?;
    inner.flush().with_path("write", tmp)
}

/// Checks a bundle against its manifest: every listed file present with
/// its checksum, nothing unlisted. Returns the number of files checked.
pub fn verify(zip_path: &Path) -> Result<usize> {
    let f = std::fs::File::open(zip_path).map_err(|e| {
        Diagnostic::error(format!("cannot open {}: {e}", zip_path.display())).in_file(zip_path)
    })?;
    let mut zip = zip::ZipArchive::new(f).map_err(|e| {
        Diagnostic::error(format!("{} is not a valid zip: {e}", zip_path.display()))
            .in_file(zip_path)
    })?;
    let mut entries = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).map_err(|e| {
            Diagnostic::error(format!(
                "{}: cannot read entry {i}: {e}",
                zip_path.display()
            ))
        })?;
        if file.is_dir() {
            continue;
        }
        let name = file.name().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| {
            Diagnostic::error(format!("{}: cannot read {name}: {e}", zip_path.display()))
        })?;
        entries.insert(name, bytes);
    }
    let manifest_name = format!("{TOP}/MANIFEST.sha256");
    let manifest = entries.get(&manifest_name).ok_or_else(|| {
        Diagnostic::error(format!("{} has no {manifest_name}", zip_path.display()))
            .hint("make the bundle with `gongkai bundle`")
    })?;
    let manifest = String::from_utf8_lossy(manifest).into_owned();
    let mut errors = Vec::new();
    let mut listed = std::collections::BTreeSet::new();
    for (n, line) in manifest.lines().enumerate() {
        let Some((sum, path)) = line.split_once("  ") else {
            errors.push(Diagnostic::error(format!(
                "MANIFEST.sha256 line {} is malformed",
                n + 1
            )));
            continue;
        };
        let key = format!("{TOP}/{path}");
        listed.insert(key.clone());
        match entries.get(&key) {
            None => errors.push(Diagnostic::error(format!(
                "{path} is listed in the manifest but missing"
            ))),
            Some(bytes) if hex(&Sha256::digest(bytes)) != sum => errors.push(Diagnostic::error(
                format!("{path} does not match its checksum: it was altered"),
            )),
            Some(_) => {}
        }
    }
    for name in entries.keys() {
        if *name != manifest_name && !listed.contains(name) {
            errors.push(Diagnostic::error(format!(
                "{name} is in the zip but not in the manifest"
            )));
        }
    }
    if errors.is_empty() {
        Ok(listed.len())
    } else {
        Err(crate::diagnostic::Error::Many(
            errors.into_iter().map(|d| d.in_file(zip_path)).collect(),
        ))
    }
}
