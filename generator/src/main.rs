//! The `apigen` command.
//!
//! - `apigen` regenerates every client `apigen.toml` lists;
//! - `apigen --check` compares them with the files on disk and prints a diff if they differ;
//! - `apigen generate SPEC --out DIR [--name CRATE]` generates a crate for any spec.
//!
//! Exit codes: 0 success, 1 a problem in a spec or drift, 2 a usage problem.
//!
//! Diagnostics go to stderr as rustc shows errors (`--message-format human`, the default), one
//! per line (`short`), or to stdout as JSON lines (`json`); `--deny-warnings` fails on warnings.

use apigen::{
    Config, Diagnostics, GeneratedFiles, MessageFormat, OnDisk, Project, Severity, SpecInput,
};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Generation builds and drops many small strings and trees; mimalloc does that in about a third
// less time than the system allocator (measured with `bench/compare.sh`). Its v2 line is as quick
// here as v3 and keeps a sixth less memory resident on the GitHub spec (158 MB against 182 MB,
// median of 5).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's purge delay, as `mi_option_t` numbers it in its v2 `mimalloc.h` (`libmimalloc-sys`
/// names only some options; a test checks this one by its default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets the allocator up for generating from a spec of `size` bytes: for a big one
/// ([`apigen::BIG_SPEC`]), freed memory goes back to the system at once and memory is not
/// backed by huge pages. Otherwise mimalloc keeps freed memory a while for reuse and the kernel
/// may back it by 2 MB pages, which is quicker (purging at once made Circle's 0.3 MB spec a
/// third slower) and costs a few megabytes; on GitHub's 3.7 MB spec that held 69 MB resident
/// where the heap never passes 28 MB (the README's Performance section has the figures).
#[allow(unsafe_code)]
fn suit_allocator(size: usize) {
    if size >= apigen::BIG_SPEC {
        // Free pages go back to the system at once rather than after 10 ms.
        // SAFETY: `mi_option_set` only stores the value, which mimalloc reads each time it
        // decides whether to purge; any value is valid.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
        // The kernel may back memory by 2 MB pages, which a few live bytes keep resident. If
        // it refuses, generation goes on as it would have.
        #[cfg(target_os = "linux")]
        let _ = nix::sys::prctl::set_thp_disable(true);
    }
}

#[derive(Parser)]
#[command(
    name = "apigen",
    version,
    about = "Generates typed async Rust clients from OpenAPI 3.0 specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Compare the generated crates with the files on disk instead of writing; exit 1 on any
    /// difference.
    #[arg(long, global = true)]
    check: bool,
    /// The project file (default: `apigen.toml` in this directory or the nearest above it).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    message_format: Format,
    /// Treat warnings (documented degradations) as errors: report them and write nothing.
    #[arg(long, global = true)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The spec line with a caret under the place, like rustc (colored on a terminal).
    Human,
    /// One line per diagnostic.
    Short,
    /// One JSON object per line, on stdout.
    Json,
}

/// Prints diagnostics in the chosen format.
struct Reporter {
    format: MessageFormat,
    deny_warnings: bool,
}

impl Reporter {
    fn new(format: Format, deny_warnings: bool) -> Self {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Reporter {
            format: match format {
                Format::Human => MessageFormat::Human { color },
                Format::Short => MessageFormat::Short,
                Format::Json => MessageFormat::Json,
            },
            deny_warnings,
        }
    }

    fn report(&self, diagnostics: &Diagnostics) {
        self.report_on(diagnostics, None);
    }

    /// Reports diagnostics about `spec`, with snippets of its text where they point into it
    /// (borrowed, not copied: a spec may be megabytes).
    fn report_on(&self, diagnostics: &Diagnostics, spec: Option<&SpecInput>) {
        let spec = spec
            .and_then(|spec| Some((spec.name.as_str(), std::str::from_utf8(&spec.bytes).ok()?)));
        for diagnostic in diagnostics {
            let source = spec
                .filter(|(name, _)| diagnostic.file.as_deref() == Some(*name))
                .map(|(_, text)| text);
            let text = apigen::render(diagnostic, source, self.format);
            match self.format {
                MessageFormat::Json => println!("{text}"),
                MessageFormat::Short => eprintln!("{text}"),
                MessageFormat::Human { .. } => eprintln!("{text}\n"),
            }
        }
    }

    /// Warnings, as errors under `--deny-warnings`.
    fn warnings(&self, warnings: &Diagnostics) -> Diagnostics {
        let mut out = warnings.clone();
        if self.deny_warnings {
            for warning in out.iter_mut() {
                warning.severity = Severity::Error;
            }
        }
        out
    }
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate from one spec.
    Generate {
        /// The OpenAPI 3.0 spec (YAML or JSON).
        spec: PathBuf,
        /// The crate directory to write.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The crate name (default: the name of the output directory).
        #[arg(long, value_name = "CRATE")]
        name: Option<String>,
    },
}

/// What a run ends with.
enum Outcome {
    Ok,
    /// A spec problem or drift.
    Failed,
    /// Bad arguments or configuration.
    Usage,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let reporter = Reporter::new(cli.message_format, cli.deny_warnings);
    let outcome = match &cli.command {
        Some(Command::Generate { spec, out, name }) => {
            generate_one(&reporter, spec, out, name.as_deref(), cli.check)
        }
        None => run_project(&reporter, cli.config.as_deref(), cli.check),
    };
    match outcome {
        Outcome::Ok => ExitCode::SUCCESS,
        Outcome::Failed => ExitCode::from(1),
        Outcome::Usage => ExitCode::from(2),
    }
}

fn run_project(reporter: &Reporter, config: Option<&Path>, check: bool) -> Outcome {
    let path = match config {
        Some(path) => path.to_path_buf(),
        None => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            match Project::find(&here) {
                Some(path) => path,
                None => {
                    eprintln!(
                        "error: no {} in this directory or above it; pass --config FILE, or run \
                         `apigen generate SPEC --out DIR`",
                        Project::FILE_NAME
                    );
                    return Outcome::Usage;
                }
            }
        }
    };
    let project = match Project::load(&path) {
        Ok(project) => project,
        Err(diagnostics) => {
            reporter.report(&diagnostics);
            return Outcome::Usage;
        }
    };
    let mut outcome = Outcome::Ok;
    for entry in &project.clients {
        let config = match project.config_for(entry) {
            Ok(config) => config,
            Err(diagnostics) => {
                reporter.report(&diagnostics);
                outcome = Outcome::Failed;
                continue;
            }
        };
        // Names in headers and messages are as written in apigen.toml, so output does not depend
        // on where the command runs.
        let spec_path = project.root.join(&entry.spec);
        let spec = match SpecInput::read(&spec_path) {
            Ok(spec) => SpecInput {
                name: entry.spec.clone(),
                ..spec
            },
            Err(diagnostics) => {
                reporter.report(&diagnostics.in_file(&entry.spec));
                outcome = Outcome::Failed;
                continue;
            }
        };
        let out = project.root.join(&entry.out);
        let regenerate = project.regenerate.as_deref().unwrap_or("apigen");
        if !finish(
            reporter, &config, &spec, &out, &entry.out, check, regenerate,
        ) {
            outcome = Outcome::Failed;
        }
    }
    outcome
}

fn generate_one(
    reporter: &Reporter,
    spec_path: &Path,
    out: &Path,
    name: Option<&str>,
    check: bool,
) -> Outcome {
    let name = match name {
        Some(name) => name.to_owned(),
        None => match out.file_name().and_then(|n| n.to_str()) {
            Some(name) => name.to_owned(),
            None => {
                eprintln!(
                    "error: cannot take a crate name from `{}`; pass --name",
                    out.display()
                );
                return Outcome::Usage;
            }
        },
    };
    let command = format!(
        "apigen generate {} --out {} --name {name}",
        spec_path.display(),
        out.display()
    );
    let config = Config::new(name).regenerate_command(command.clone());
    let spec = match SpecInput::read(spec_path) {
        Ok(spec) => spec,
        Err(diagnostics) => {
            reporter.report(&diagnostics);
            return Outcome::Failed;
        }
    };
    if finish(
        reporter,
        &config,
        &spec,
        out,
        &out.display().to_string(),
        check,
        &command,
    ) {
        Outcome::Ok
    } else {
        Outcome::Failed
    }
}

/// Generates, then writes or checks. Returns whether all went well.
fn finish(
    reporter: &Reporter,
    config: &Config,
    spec: &SpecInput,
    out: &Path,
    out_name: &str,
    check: bool,
    regenerate: &str,
) -> bool {
    let not_generated = || {
        eprintln!(
            "apigen: {} not generated; {} left as it was",
            config.crate_name(),
            out_name
        )
    };
    suit_allocator(spec.bytes.len());
    // The crate directory is read while the spec is lowered (and parsed, unless it is parsed in
    // halves on both cores), when one core has little to do. Not beside a big spec, whose memory
    // counts more than its time.
    let read_ahead = spec.bytes.len() < apigen::BIG_SPEC;
    let (generated, before) =
        apigen::generate_beside(config, spec, || read_ahead.then(|| OnDisk::read(out)));
    let files: GeneratedFiles = match generated {
        Ok(files) => files,
        Err(diagnostics) => {
            reporter.report_on(&diagnostics, Some(spec));
            not_generated();
            return false;
        }
    };
    let warnings = reporter.warnings(files.warnings());
    reporter.report_on(&warnings, Some(spec));
    if warnings.has_errors() {
        eprintln!("apigen: --deny-warnings turns the warnings above into errors");
        not_generated();
        return false;
    }
    if check {
        let drift = match before {
            Some(before) => before.and_then(|before| files.compare_with(&before)),
            None => files.check_against(out),
        };
        match drift {
            Ok(drift) if drift.is_clean() => {
                eprintln!("apigen: {out_name} is up to date with {}", spec.name);
                true
            }
            Ok(drift) => {
                print!("{drift}");
                eprintln!(
                    "apigen: {out_name} differs from what {} generates ({} file(s)); run `{regenerate}`",
                    spec.name,
                    drift.files.len()
                );
                false
            }
            Err(e) => {
                eprintln!("error: cannot read {out_name}: {e}");
                false
            }
        }
    } else {
        let written = match before {
            Some(before) => before.and_then(|before| files.write_over(&before)),
            // Files read one at a time: a big crate's are never all in memory at once.
            None => files.write_to(out),
        };
        match written {
            Ok(written) => {
                eprintln!(
                    "apigen: {out_name}: {} written, {} unchanged, {} removed",
                    written.written.len(),
                    written.unchanged.len(),
                    written.removed.len()
                );
                true
            }
            Err(e) => {
                eprintln!("error: cannot write {out_name}: {e}");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc's: read before anything sets it, it holds mimalloc's
    /// documented default purge delay, 10 ms (the options numbered beside it default to 1 and 0).
    #[test]
    #[allow(unsafe_code)]
    fn the_allocator_option_is_the_one_meant() {
        // SAFETY: `mi_option_get` only reads an option.
        let purge_delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(purge_delay, 10);
    }
}
