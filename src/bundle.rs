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
    within_verify_limits(&files)?;
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

/// A bundle that `verify` would refuse is not written.
fn within_verify_limits(files: &[(String, Vec<u8>)]) -> Result<()> {
    let limits = Limits::BUNDLE;
    let hint = "a bundle is for one portal of ordinary size; publish this site with `gongkai build` instead";
    if files.len() > limits.entries {
        return Err(Diagnostic::error(format!(
            "cannot bundle {} files: a bundle holds at most {}",
            files.len(),
            limits.entries
        ))
        .hint(hint)
        .into());
    }
    let mut total = 0u64;
    for (path, bytes) in files {
        if bytes.len() as u64 > limits.entry_bytes {
            return Err(Diagnostic::error(format!(
                "cannot bundle {path}: it is larger than the {} a file of a bundle may be",
                size(limits.entry_bytes)
            ))
            .hint(hint)
            .into());
        }
        total += bytes.len() as u64;
    }
    if total > limits.total_bytes {
        return Err(Diagnostic::error(format!(
            "cannot bundle {}: a bundle holds at most {}",
            size(total),
            size(limits.total_bytes)
        ))
        .hint(hint)
        .into());
    }
    Ok(())
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

/// How much `verify` reads before it refuses a zip, and what `bundle`
/// may write.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most entries. The largest site measured (1,000 documents,
    /// BENCHMARKS.md) bundles 96,024 files; five times that still
    /// verifies.
    pub entries: usize,
    /// Largest entry, uncompressed. A bundle's largest files are a long
    /// document's `full.html` and the search index's parts (split for big
    /// sites), a few MB at most; 64 MiB leaves room for a document many
    /// times the size of any published plan, while a deflate bomb (a few
    /// KB that inflate to gigabytes) stops after 64 MiB of it.
    pub entry_bytes: u64,
    /// Most bytes of all entries together. Entries of a hostile zip may
    /// share one compressed stream, so the entry limit alone would let
    /// 500,000 entries of 64 MiB each through; 8 GiB is about seven times
    /// the 1,000-document site (1.19 GB).
    pub total_bytes: u64,
}

impl Limits {
    pub const BUNDLE: Limits = Limits {
        entries: 500_000,
        entry_bytes: 64 << 20,
        total_bytes: 8 << 30,
    };
}

/// Why a name (of a zip entry or a manifest line) could write outside the
/// folder it is unzipped into, or name two files as one; None if it is a
/// plain relative path of `/`-separated names.
fn unsafe_name(name: &[u8]) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if let Some(&c) = name.iter().find(|&&c| c < 0x20 || c == 0x7f) {
        return Some(if c == 0 {
            "it contains a NUL character"
        } else {
            "it contains a control character"
        });
    }
    if name.contains(&b'\\') {
        return Some("it contains a backslash, which some unzip tools take as a folder separator");
    }
    if name[0] == b'/' {
        return Some("it is an absolute path");
    }
    if name.len() >= 2 && name[1] == b':' && name[0].is_ascii_alphabetic() {
        return Some("it starts with a drive letter (an absolute path on Windows)");
    }
    let Ok(text) = std::str::from_utf8(name) else {
        return Some("it is not UTF-8");
    };
    // A folder entry ends in `/`; any other empty segment or `.` names
    // the same file as a shorter path would.
    let segments = text.strip_suffix('/').unwrap_or(text);
    for segment in segments.split('/') {
        match segment {
            ".." => {
                return Some("it has a `..` segment, which leaves the folder it is unzipped into")
            }
            "." | "" => return Some("it has an empty or `.` segment"),
            _ => {}
        }
    }
    None
}

/// A byte count as a message shows it: whole GiB, MiB or KiB, else bytes.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b => format!("{b} bytes"),
    }
}

/// A name as a message shows it: control characters as their pictures.
fn shown(name: &[u8]) -> String {
    String::from_utf8_lossy(name)
        .chars()
        .map(|c| match c {
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
            '\u{7f}' => '␡',
            c => c,
        })
        .collect()
}

/// The names in the zip's central directory, in order, duplicates kept
/// (the zip crate keeps one entry per name, so two entries of one name
/// would pass unseen; unzip tools write both).
fn central_names(
    file: &mut std::fs::File,
    start: u64,
    most: usize,
) -> std::io::Result<Vec<Vec<u8>>> {
    use std::io::{Seek, SeekFrom};
    let mut reader = std::io::BufReader::new(file);
    reader.seek(SeekFrom::Start(start))?;
    let mut names = Vec::new();
    // One more than the limit, so that a zip over it is seen to be.
    while names.len() <= most {
        let mut fixed = [0u8; 46];
        if reader.read_exact(&mut fixed).is_err() || fixed[..4] != [0x50, 0x4b, 0x01, 0x02] {
            break;
        }
        let field = |at: usize| u64::from(u16::from_le_bytes([fixed[at], fixed[at + 1]]));
        let mut name = vec![0; field(28) as usize];
        reader.read_exact(&mut name)?;
        reader.seek_relative((field(30) + field(32)) as i64)?;
        names.push(name);
    }
    Ok(names)
}

/// The name in an entry's local header (what a streaming unzip uses).
fn local_name(file: &mut std::fs::File, header_start: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(header_start))?;
    let mut fixed = [0u8; 30];
    file.read_exact(&mut fixed)?;
    if fixed[..4] != [0x50, 0x4b, 0x03, 0x04] {
        return Err(std::io::Error::other("no local header"));
    }
    let mut name = vec![0; usize::from(u16::from_le_bytes([fixed[26], fixed[27]]))];
    file.read_exact(&mut name)?;
    Ok(name)
}

/// Reads `reader` through SHA-256 without holding it, refusing more than
/// `limit` bytes. Returns the digest and the bytes read, or None when over.
fn stream_digest(reader: &mut impl Read, limit: u64) -> std::io::Result<Option<(String, u64)>> {
    let mut hasher = Sha256::new();
    let mut limited = reader.take(limit + 1);
    let mut buf = vec![0u8; 64 << 10];
    let mut read = 0u64;
    loop {
        let n = limited.read(&mut buf)?;
        if n == 0 {
            break;
        }
        read += n as u64;
        if read > limit {
            return Ok(None);
        }
        hasher.update(&buf[..n]);
    }
    Ok(Some((hex(&hasher.finalize()), read)))
}

/// Checks a bundle against its manifest: every listed file present with
/// its checksum, nothing unlisted. Returns the number of files checked.
///
/// A bundle is something a reader unzips, so before any checksum every
/// name is checked to stay inside the folder it is unzipped into (no
/// absolute path, `..`, backslash, control character, symlink, name used
/// twice, or local header naming another file), and entries are read as
/// streams under the `Limits`.
pub fn verify(zip_path: &Path) -> Result<usize> {
    verify_within(zip_path, &Limits::BUNDLE)
}

/// `verify` under other limits (tests use small ones).
pub fn verify_within(zip_path: &Path, limits: &Limits) -> Result<usize> {
    let shown_zip = zip_path.display();
    let refuse = |message: String, hint: &str| -> crate::diagnostic::Error {
        Diagnostic::error(format!("{shown_zip}: {message}"))
            .in_file(zip_path)
            .hint(hint)
            .into()
    };
    const REMAKE: &str = "do not unzip it; make the bundle again with `gongkai bundle`, or get it again from where it was published";
    let open = || {
        std::fs::File::open(zip_path).map_err(|e| {
            Diagnostic::error(format!("cannot open {shown_zip}: {e}")).in_file(zip_path)
        })
    };
    let mut raw = open()?;
    let mut zip = zip::ZipArchive::new(open()?).map_err(|e| {
        Diagnostic::error(format!("{shown_zip} is not a valid zip: {e}")).in_file(zip_path)
    })?;
    let names = central_names(&mut raw, zip.central_directory_start(), limits.entries)
        .map_err(|e| refuse(format!("cannot read its central directory: {e}"), REMAKE))?;
    if names.len() > limits.entries || zip.len() > limits.entries {
        return Err(refuse(
            format!("it has more than {} entries", limits.entries),
            "a bundle of the largest site gongkai has built holds about 100,000; this zip was not made by `gongkai bundle`",
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for name in &names {
        if let Some(why) = unsafe_name(name) {
            return Err(refuse(
                format!("entry `{}` is refused: {why}", shown(name)),
                REMAKE,
            ));
        }
        if !seen.insert(name.as_slice()) {
            return Err(refuse(
                format!(
                    "entry `{}` is in the zip twice: unzipping would keep only one of them",
                    shown(name)
                ),
                REMAKE,
            ));
        }
    }
    if names.len() != zip.len() {
        return Err(refuse(
            format!(
                "its central directory lists {} entries, the zip reader {}",
                names.len(),
                zip.len()
            ),
            REMAKE,
        ));
    }

    let manifest_name = format!("{TOP}/MANIFEST.sha256");
    let mut digests = std::collections::BTreeMap::new();
    let mut manifest = None;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| refuse(format!("cannot read entry {i}: {e}"), REMAKE))?;
        let name = entry.name().to_string();
        match local_name(&mut raw, entry.header_start()) {
            Ok(local) if local == entry.name_raw() => {}
            Ok(local) => {
                return Err(refuse(
                    format!(
                        "entry `{}` is named `{}` in its local header: an unzip tool that reads the zip as a stream would write that instead",
                        shown(name.as_bytes()),
                        shown(&local)
                    ),
                    REMAKE,
                ))
            }
            Err(e) => {
                return Err(refuse(
                    format!("cannot read the local header of entry `{}`: {e}", shown(name.as_bytes())),
                    REMAKE,
                ))
            }
        }
        if entry.is_symlink() {
            return Err(refuse(
                format!(
                    "entry `{}` is a symbolic link: unzipped, it could point anywhere",
                    shown(name.as_bytes())
                ),
                REMAKE,
            ));
        }
        if entry.is_dir() {
            continue;
        }
        let too_big = || {
            refuse(
                format!("entry `{name}` is larger than {}", size(limits.entry_bytes)),
                "no page or file of a gongkai site is that large; this zip was not made by `gongkai bundle`",
            )
        };
        // The size the zip claims is checked first, and the bytes read are
        // counted too, since the claim may be false.
        if entry.size() > limits.entry_bytes {
            return Err(too_big());
        }
        let limit = limits.entry_bytes.min(limits.total_bytes - total);
        if name == manifest_name {
            let mut bytes = Vec::new();
            (&mut entry)
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| refuse(format!("cannot read {name}: {e}"), REMAKE))?;
            if bytes.len() as u64 > limit {
                return Err(too_big());
            }
            total += bytes.len() as u64;
            manifest = Some(bytes);
            continue;
        }
        match stream_digest(&mut entry, limit) {
            Ok(Some((digest, read))) => {
                total += read;
                digests.insert(name, digest);
            }
            Ok(None) if limit < limits.entry_bytes => {
                return Err(refuse(
                    format!(
                        "its entries hold more than {} together (reading stopped at `{name}`)",
                        size(limits.total_bytes)
                    ),
                    "the largest site gongkai has built bundles 1.2 GB; this zip was not made by `gongkai bundle`",
                ))
            }
            Ok(None) => return Err(too_big()),
            Err(e) => return Err(refuse(format!("cannot read {name}: {e}"), REMAKE)),
        }
    }
    let manifest = manifest.ok_or_else(|| {
        Diagnostic::error(format!("{shown_zip} has no {manifest_name}"))
            .in_file(zip_path)
            .hint("make the bundle with `gongkai bundle`")
    })?;
    let manifest = String::from_utf8_lossy(&manifest).into_owned();
    let mut errors = Vec::new();
    let mut listed = std::collections::BTreeSet::new();
    for (n, line) in manifest.lines().enumerate() {
        let Some((sum, path)) = line.split_once("  ") else {
            errors.push(
                Diagnostic::error(format!("{manifest_name} line {} is malformed", n + 1))
                    .snippet(line)
                    .hint("each line is a SHA-256 in hex, two spaces and a path, as `sha256sum` writes it"),
            );
            continue;
        };
        if let Some(why) = unsafe_name(path.as_bytes()) {
            return Err(refuse(
                format!(
                    "{manifest_name} line {} lists `{}`, which is refused: {why}",
                    n + 1,
                    shown(path.as_bytes())
                ),
                REMAKE,
            ));
        }
        let key = format!("{TOP}/{path}");
        if !listed.insert(key.clone()) {
            return Err(refuse(
                format!(
                    "{manifest_name} line {} lists `{path}` a second time",
                    n + 1
                ),
                REMAKE,
            ));
        }
        match digests.get(&key) {
            None => errors.push(Diagnostic::error(format!(
                "{path} is listed in the manifest but missing"
            ))),
            Some(digest) if *digest != sum => errors.push(Diagnostic::error(format!(
                "{path} does not match its checksum: it was altered"
            ))),
            Some(_) => {}
        }
    }
    for name in digests.keys() {
        if !listed.contains(name) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A zip of `count` entries of `size` zeros each, with a manifest.
    fn zip_file(count: usize, size: usize) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut zip = zip::ZipWriter::new(file.reopen().unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let bytes = vec![0u8; size];
        let mut manifest = String::new();
        for i in 0..count {
            zip.start_file(format!("{TOP}/{i}.html"), options).unwrap();
            zip.write_all(&bytes).unwrap();
            manifest.push_str(&format!("{}  {i}.html\n", hex(&Sha256::digest(&bytes))));
        }
        zip.start_file(format!("{TOP}/MANIFEST.sha256"), options)
            .unwrap();
        zip.write_all(manifest.as_bytes()).unwrap();
        zip.finish().unwrap();
        file
    }

    fn refusal(result: Result<usize>) -> String {
        result.unwrap_err().diagnostics()[0].message.clone()
    }

    const ROOMY: Limits = Limits {
        entries: 100,
        entry_bytes: 1 << 20,
        total_bytes: 1 << 30,
    };

    #[test]
    fn a_bundle_within_the_limits_verifies() {
        let zip = zip_file(3, 1000);
        assert_eq!(verify_within(zip.path(), &ROOMY).unwrap(), 3);
    }

    #[test]
    fn more_entries_than_the_limit_are_refused() {
        let zip = zip_file(10, 10);
        let limits = Limits {
            entries: 5,
            ..ROOMY
        };
        let message = refusal(verify_within(zip.path(), &limits));
        assert!(message.ends_with("it has more than 5 entries"), "{message}");
    }

    #[test]
    fn entries_over_the_total_limit_are_refused() {
        let zip = zip_file(10, 1000);
        let limits = Limits {
            total_bytes: 5000,
            ..ROOMY
        };
        let message = refusal(verify_within(zip.path(), &limits));
        assert!(
            message.contains("its entries hold more than 5000 bytes together"),
            "{message}"
        );
    }

    #[test]
    fn an_entry_over_the_limit_is_refused() {
        let zip = zip_file(1, 5000);
        let limits = Limits {
            entry_bytes: 4096,
            ..ROOMY
        };
        let message = refusal(verify_within(zip.path(), &limits));
        assert!(
            message.contains("entry `portal/0.html` is larger than 4 KiB"),
            "{message}"
        );
    }

    #[test]
    fn a_stream_is_read_no_further_than_its_limit() {
        // An endless stream, as an entry whose size field lies would be.
        let mut endless = std::io::repeat(7);
        assert_eq!(stream_digest(&mut endless, 1 << 20).unwrap(), None);
        let (digest, read) = stream_digest(&mut &b"abc"[..], 3).unwrap().unwrap();
        assert_eq!(read, 3);
        assert_eq!(digest, hex(&Sha256::digest(b"abc")));
    }

    #[test]
    fn names_that_stay_in_their_folder() {
        for good in [
            "portal/index.html",
            "portal/en/",
            "portal/集/a.html",
            "a..b",
        ] {
            assert_eq!(unsafe_name(good.as_bytes()), None, "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "portal/../x",
            "..",
            "portal/..",
            "portal\\x",
            "C:x",
            "portal/a\0",
            "portal/a\x1b",
            "portal//x",
            "portal/./x",
        ] {
            assert!(unsafe_name(bad.as_bytes()).is_some(), "{bad:?}");
        }
        assert!(unsafe_name(b"portal/\xff").is_some());
    }
}
