//! The floor of laying out Rust the way apigen does: parse files that are already generated with
//! `syn` and print them again with `prettyplease`, on one thread, nothing else. Doc comments are
//! left out first: apigen sets an item's doc lines aside and puts them back as text once it is
//! laid out (`emit/doc.rs`), so they never pass through `syn` (as `#[doc]` attributes, one per
//! line, they were over a third of this floor). Lexing the text stands in for building the
//! tokens with `quote`, which costs apigen more. `bench/compare.sh` times it beside
//! `apigen generate` and the parse-only floor.
//!
//! ```sh
//! cargo run --release -p apigen --example format_only -- crate/src/models.rs crate/src/operations.rs
//! ```

use std::process::ExitCode;

// The allocator of the `apigen` binary, so the layout costs here what it costs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: format_only FILE.rs...");
        return ExitCode::from(2);
    }
    let mut bytes = 0;
    for path in &paths {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        match syn::parse_file(&apigen::stages::without_doc_comments(&text)) {
            Ok(file) => bytes += prettyplease::unparse(&file).len(),
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{bytes} bytes laid out");
    ExitCode::SUCCESS
}
