//! The `gongkai` command: a thin layer over the library. This is the one
//! place that prints diagnostics and chooses the exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gongkai::diagnostic::Diagnostic;
use gongkai::{check, content, import, render};

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Publish Chinese government-disclosure documents as bilingual static portals"
)]
struct Cli {
    /// The site's folder (holds site.yaml, content/ and themes/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import the raw text of a disclosure page into content/<id>/.
    Import {
        /// The raw text (UTF-8 or GB18030).
        input: PathBuf,
        /// Folder name of the document (lowercase ASCII, digits, `-`).
        #[arg(long)]
        id: Option<String>,
        /// The content folder to write into.
        #[arg(long)]
        content: Option<PathBuf>,
        /// Replace an earlier import of the same id (editorial.yaml and en/ are kept).
        #[arg(long)]
        force: bool,
        /// Read the page and print the report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check the content: source fidelity, metadata, boxes.
    Check {
        #[arg(long)]
        content: Option<PathBuf>,
    },
    /// Build the static site.
    Build {
        /// Output folder.
        #[arg(long, default_value = "public")]
        out: PathBuf,
        #[arg(long)]
        content: Option<PathBuf>,
        /// Keep HTML unminified (for debugging templates).
        #[arg(long)]
        no_minify: bool,
        /// Build everything, without the build cache (which otherwise
        /// renders again only what changed since the last build).
        #[arg(long)]
        full: bool,
    },
    /// Zip the built site for offline reading (with MANIFEST.sha256), or check a zip.
    Bundle {
        /// The zip to write.
        #[arg(long, default_value = "portal.zip")]
        out: PathBuf,
        /// Check FILE.zip against its manifest instead of building one.
        #[arg(long, value_name = "FILE.zip")]
        verify: Option<PathBuf>,
        #[arg(long)]
        content: Option<PathBuf>,
    },
    /// Serve the site on the loopback, rebuilding and reloading on change.
    Serve {
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on (loopback by default).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long)]
        content: Option<PathBuf>,
    },
    /// Send a document to a translator and bring the translation back.
    Translate {
        #[command(subcommand)]
        command: TranslateCommand,
    },
    /// Panics on purpose: tests use it to see what a user would see if
    /// gongkai had a bug.
    #[command(name = "internal-panic", hide = true)]
    InternalPanic,
}

#[derive(Subcommand)]
enum TranslateCommand {
    /// Write a document's units as XLIFF 1.2 or PO, and its glossary terms as TBX.
    Export {
        /// The document's folder name in content/.
        doc: String,
        /// xliff (default) or po.
        #[arg(long)]
        format: Option<String>,
        /// The translation's language code (default: the site's first translation).
        #[arg(long)]
        lang: Option<String>,
        /// The file to write (the glossary goes beside it as .tbx); default
        /// <doc>.<lang>.xlf in the current folder.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        content: Option<PathBuf>,
    },
    /// Write a translated XLIFF or PO file into content/<doc>/<lang>/.
    Import {
        /// The translated file (.xlf, .xliff or .po).
        file: PathBuf,
        /// The translation's language (default: the file's).
        #[arg(long)]
        lang: Option<String>,
        #[arg(long)]
        content: Option<PathBuf>,
    },
    /// How much of each document is translated, per language.
    Status {
        #[arg(long)]
        content: Option<PathBuf>,
    },
}

fn translate(root: &std::path::Path, command: TranslateCommand) -> gongkai::Result<bool> {
    use gongkai::translate;
    let load = |content: Option<PathBuf>| {
        let dir = content.unwrap_or_else(|| root.join("content"));
        content::load_site(root, &dir)
    };
    match command {
        TranslateCommand::Export {
            doc,
            format,
            lang,
            out,
            content,
        } => {
            let format = match format {
                Some(f) => Some(translate::Format::parse(&f).ok_or_else(|| {
                    Diagnostic::error(format!("unknown format `{f}`"))
                        .hint("use --format xliff (XLIFF 1.2) or --format po (gettext)")
                })?),
                None => None,
            };
            let site = load(content)?;
            let opts = translate::ExportOptions {
                doc,
                lang,
                format,
                out,
            };
            let e = translate::export(&site, &opts)?;
            eprintln!(
                "wrote {} ({} segments into {}: {} translated, {} to review, {} new; {} prefilled from the translation memory) and {} ({} glossary terms)",
                e.path.display(),
                e.segments,
                e.lang,
                e.translated,
                e.review,
                e.new,
                e.matched,
                e.glossary.display(),
                e.terms
            );
            Ok(true)
        }
        TranslateCommand::Import {
            file,
            lang,
            content,
        } => {
            let site = load(content)?;
            let i = translate::import(&site, &translate::ImportOptions { file, lang })?;
            if i.written.is_empty() {
                eprintln!(
                    "{} ({}): {} segments, nothing changed: no file written",
                    i.doc, i.lang, i.segments
                );
            } else {
                eprintln!(
                    "{} ({}): {} segments, {} units changed; wrote {}",
                    i.doc,
                    i.lang,
                    i.segments,
                    i.changed,
                    i.written.join(", ")
                );
            }
            if i.unconfirmed > 0 {
                eprintln!(
                    "{} segments were imported unconfirmed (fuzzy or needing review): the next export marks them for review",
                    i.unconfirmed
                );
            }
            Ok(true)
        }
        TranslateCommand::Status { content } => {
            let site = load(content)?;
            let rows = translate::status(&site)?;
            print!("{}", translate::status::table(&rows));
            Ok(true)
        }
    }
}

fn print_all(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{d}");
    }
}

/// A bug in gongkai must not look like a crash dump: the reader gets one
/// message that says what happened, that their files are safe, and what to
/// send. No backtrace, whatever RUST_BACKTRACE says.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "error: gongkai stopped on an internal error: {what}{place}\n  \
             = note: this is a bug in gongkai, not a problem with your files; \
             the previous output folder was left as it was\n  \
             = hint: please report it with the command you ran, gongkai {} and, \
             if you can, the input that caused it",
            env!("CARGO_PKG_VERSION")
        );
    }));
}

fn main() -> ExitCode {
    install_panic_hook();
    let cli = Cli::parse();
    let root = cli.root;
    let result = match cli.command {
        Command::InternalPanic => panic!("internal-panic was asked for"),
        Command::Translate { command } => translate(&root, command),
        Command::Import {
            input,
            id,
            content,
            force,
            dry_run,
        } => {
            let opts = import::ImportOptions {
                input,
                content_dir: content.unwrap_or_else(|| root.join("content")),
                id,
                force,
                dry_run,
            };
            import::import(&opts).map(|imp| {
                print_all(&imp.warnings);
                eprint!("{}", import::report_text(&imp, &opts.input));
                if imp.drafts > 0 {
                    eprintln!(
                        "references: {} draft entries added to {} for the document's citations: review them",
                        imp.drafts,
                        opts.content_dir.join("references.yaml").display()
                    );
                }
                if opts.dry_run {
                    eprintln!("dry run: nothing written ({} files would be)", imp.files.len());
                } else {
                    eprintln!(
                        "imported {} ({}) into {}: {} files",
                        opts.input.display(),
                        imp.encoding.name(),
                        opts.content_dir.join(&imp.id).display(),
                        imp.files.len()
                    );
                }
                true
            })
        }
        Command::Check { content } => {
            let content_dir = content.unwrap_or_else(|| root.join("content"));
            content::load_site(&root, &content_dir).map(|site| {
                let report = check::check_site(&site);
                print_all(&report.warnings);
                print_all(&report.errors);
                for line in &report.summary {
                    eprintln!("ok: {line}");
                }
                if report.ok() {
                    eprintln!("check passed ({} warnings)", report.warnings.len());
                } else {
                    eprintln!(
                        "check failed: {} errors, {} warnings",
                        report.errors.len(),
                        report.warnings.len()
                    );
                }
                report.ok()
            })
        }
        Command::Bundle {
            out,
            verify,
            content,
        } => match verify {
            Some(zip) => gongkai::bundle::verify(&zip).map(|n| {
                eprintln!("{}: all {n} files match MANIFEST.sha256", zip.display());
                true
            }),
            None => {
                let opts = gongkai::bundle::BundleOptions {
                    content_dir: content.unwrap_or_else(|| root.join("content")),
                    out: if out.is_absolute() {
                        out
                    } else {
                        root.join(out)
                    },
                    root: root.clone(),
                };
                gongkai::bundle::bundle(&opts).map(|r| {
                    eprintln!(
                        "wrote {} ({} files, {} KB)",
                        opts.out.display(),
                        r.files,
                        r.bytes / 1024
                    );
                    true
                })
            }
        },
        Command::Serve {
            port,
            bind,
            content,
        } => {
            let opts = gongkai::serve::ServeOptions {
                content_dir: content.unwrap_or_else(|| root.join("content")),
                root: root.clone(),
                bind,
                port,
            };
            gongkai::serve::serve(&opts).map(|()| true)
        }
        Command::Build {
            out,
            content,
            no_minify,
            full,
        } => {
            let mut opts = render::BuildOptions::new(&root);
            if let Some(c) = content {
                opts.content_dir = c;
            }
            opts.out = if out.is_absolute() {
                out
            } else {
                root.join(out)
            };
            opts.minify = !no_minify;
            let started = std::time::Instant::now();
            opts.incremental = !full;
            render::build(&opts).map(|r| {
                print_all(&r.warnings);
                let how = match r.written {
                    None => String::new(),
                    Some(0) => ", up to date".to_string(),
                    Some(n) => format!(", {n} written again"),
                };
                eprintln!(
                    "built {} pages ({} files, {} KB{how}) into {} in {} ms",
                    r.pages,
                    r.files,
                    r.bytes / 1024,
                    opts.out.display(),
                    started.elapsed().as_millis()
                );
                true
            })
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            print_all(&e.diagnostics());
            ExitCode::FAILURE
        }
    }
}

// Rendering allocates many short strings on every core; mimalloc's
// per-thread heaps do that faster than the system allocator (BENCHMARKS.md).
// Built without transparent huge pages (`no_thp`): a cached build touches
// little of each 2 MiB page, which the kernel would zero whole.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
