//! The Markdown reference in `docs/`: every relative link leads to a page that exists and to a
//! heading on it, every table row has as many cells as its header, and descriptions leave no
//! raw HTML behind. Checked on the committed client, the kitchen sink, every fixture, the
//! latest Circle spec and the public specs.

use apigen_tests::corpus::{all_shared_specs, circle_config, shared_spec};
use apigen_tests::{fixture_names, generate_fixture, workspace_root};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};

/// Pages by path relative to `docs/`.
type Pages = BTreeMap<String, String>;

fn docs_of(files: &apigen::GeneratedFiles) -> Pages {
    files
        .files()
        .iter()
        .filter_map(|(path, text)| Some((path.strip_prefix("docs/")?.to_owned(), text.clone())))
        .collect()
}

fn docs_on_disk(crate_dir: &str) -> Pages {
    let dir = workspace_root().join(crate_dir).join("docs");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// GitHub's anchor for a heading, written independently of the generator's: lower case,
/// spaces to `-`, other punctuation but `-` and `_` dropped, repeats suffixed `-1`, `-2`...
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let h = heading.take().unwrap_or_default();
                let slug: String = h
                    .to_lowercase()
                    .chars()
                    .filter_map(|c| match c {
                        ' ' => Some('-'),
                        c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                        _ => None,
                    })
                    .collect();
                let n = seen.entry(slug.clone()).or_default();
                out.insert(if *n == 0 {
                    slug.clone()
                } else {
                    format!("{slug}-{n}")
                });
                *n += 1;
            }
            _ => {}
        }
    }
    out
}

/// Unescaped `|` in a table line (GitHub splits cells on them, inside code spans too).
fn pipes(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    count
}

#[derive(Default)]
struct Checked {
    links: usize,
    anchors: usize,
    rows: usize,
}

/// Every problem in a set of pages, as text; counts what was checked.
fn check(label: &str, pages: &Pages, checked: &mut Checked) -> Vec<String> {
    let mut problems = Vec::new();
    let page_anchors: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(name, text)| (name.as_str(), anchors(text)))
        .collect();
    assert!(
        pages.contains_key("README.md"),
        "{label}: no docs/README.md"
    );
    for (name, text) in pages {
        let mut first_h1 = 0;
        for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let dest = dest_url.to_string();
                    if dest.starts_with("https://")
                        || dest.starts_with("http://")
                        || dest.starts_with("mailto:")
                    {
                        continue;
                    }
                    checked.links += 1;
                    let (file, anchor) = match dest.split_once('#') {
                        Some((file, anchor)) => (file, Some(anchor)),
                        None => (dest.as_str(), None),
                    };
                    let file = if file.is_empty() { name.as_str() } else { file };
                    match page_anchors.get(file) {
                        None => problems.push(format!("{label}/{name}: link to missing {dest}")),
                        Some(targets) => {
                            if let Some(anchor) = anchor {
                                checked.anchors += 1;
                                if !targets.contains(anchor) {
                                    problems.push(format!(
                                        "{label}/{name}: no heading for #{anchor} in {file}"
                                    ));
                                }
                            }
                        }
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    let html = html.trim();
                    let ok = html == "<br>"
                        || (html.starts_with("<!-- @generated by apigen") && html.ends_with("-->"));
                    if !ok {
                        problems.push(format!("{label}/{name}: raw HTML {html:?}"));
                    }
                }
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => first_h1 += 1,
                _ => {}
            }
        }
        if first_h1 != 1 {
            problems.push(format!("{label}/{name}: {first_h1} top-level headings"));
        }
        // Tables: consecutive lines starting with `|`, outside code blocks.
        let mut in_code = false;
        let mut header_pipes: Option<usize> = None;
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            }
            if in_code || !line.starts_with('|') {
                header_pipes = None;
                continue;
            }
            checked.rows += 1;
            let n = pipes(line);
            match header_pipes {
                None => header_pipes = Some(n),
                Some(h) if h != n => problems.push(format!(
                    "{label}/{name}: a row with {n} cell borders under a header with {h}: {line}"
                )),
                Some(_) => {}
            }
        }
    }
    problems
}

#[test]
fn committed_docs_links_resolve() {
    let mut checked = Checked::default();
    let mut problems = check(
        "generated-client",
        &docs_on_disk("generated-client"),
        &mut checked,
    );
    problems.extend(check(
        "kitchen-sink",
        &docs_on_disk("tests/kitchen-sink"),
        &mut checked,
    ));
    for name in fixture_names() {
        problems.extend(check(
            &name,
            &docs_of(&generate_fixture(&name)),
            &mut checked,
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The committed client alone links every operation and model from its index.
    assert!(
        checked.links > 100 && checked.anchors > 20,
        "{}",
        checked.links
    );
}

#[test]
fn docs_of_real_specs_links_resolve() {
    let mut checked = Checked::default();
    let mut problems = Vec::new();
    let mut generated = 0;
    let specs = all_shared_specs();
    let latest_circle = specs
        .iter()
        .filter(|(name, _)| name.ends_with("/circle-apis.yaml"))
        .max_by_key(|(name, _)| apigen_tests::corpus::version_key(name.split('/').nth(2).unwrap()))
        .cloned()
        .expect("a Circle bundle");
    let public = specs
        .iter()
        .filter(|(name, _)| name.starts_with("specs/public/"));
    for (name, path) in std::iter::once(&latest_circle).chain(public) {
        let spec = shared_spec(name, path);
        // Specs apigen refuses (OpenAPI 3.1, Swagger 2.0) have their own tests.
        let Ok(files) = apigen::generate(&circle_config("docs-check"), &spec) else {
            continue;
        };
        generated += 1;
        problems.extend(check(name, &docs_of(&files), &mut checked));
    }
    assert!(generated >= 15, "only {generated} specs generated");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked.links > 10_000, "{} links", checked.links);
}

#[test]
fn the_checker_finds_broken_links_tables_and_html() {
    let mut pages = Pages::new();
    pages.insert(
        "README.md".into(),
        "# Index\n\n[a](A.md) [b](B.md) [c](A.md#nope) [d](#index)\n\n| x | y |\n|---|---|\n| 1 | 2 | 3 |\n\n<div>x</div>\n"
            .into(),
    );
    pages.insert("A.md".into(), "# A\n\n## Real\n".into());
    let problems = check("bad", &pages, &mut Checked::default());
    let text = problems.join("\n");
    assert!(text.contains("link to missing B.md"), "{text}");
    assert!(text.contains("no heading for #nope"), "{text}");
    assert!(text.contains("a row with 4 cell borders"), "{text}");
    assert!(text.contains("raw HTML"), "{text}");
    assert_eq!(problems.len(), 4, "{text}");
}

#[test]
fn markup_in_descriptions_is_escaped_in_pages() {
    let docs = docs_of(&generate_fixture("markup"));
    let api = &docs["OddThingsApi.md"];
    // The pipe in the summary does not split the operations table.
    assert!(api.contains("| Read a thing \\| with a pipe |"), "{api}");
    // HTML is shown, not rendered; a relative link keeps only its text.
    assert!(api.contains("&lt;script>alert(1)&lt;/script>"), "{api}");
    assert!(api.contains("See the ids page."), "{api}");
    // A code block in a description is text, and a heading does not outrank the page's.
    assert!(api.contains("```text\nfn not_rust() { | }\n```"), "{api}");
    assert!(!api.contains("## Returns"), "{api}");
    let view = &docs["View.md"];
    assert!(view.contains("| `AB` | `a\\|b` |"), "{view}");
    assert!(view.contains("| `Tick` | `` `tick` `` |"), "{view}");
    // A name that reorders what a reader sees (U+202E in `right\u{202E}left`) loses the
    // control, on every page, as in the Rust docs.
    for (page, text) in &docs {
        assert!(
            !text.contains(['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}']),
            "{page}: {text}"
        );
    }
    assert!(docs.values().any(|text| text.contains("`rightleft`")));
    insta::assert_snapshot!("markup__docs_api", api);
    insta::assert_snapshot!("markup__docs_model", &docs["Thing.md"]);
    insta::assert_snapshot!("markup__docs_index", &docs["README.md"]);
}
