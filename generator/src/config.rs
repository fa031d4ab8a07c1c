//! What to generate: [`Config`] for one crate (the library API), and [`Project`] for the
//! `apigen.toml` that lists every crate a repository generates.

use crate::diagnostics::{Diagnostic, Diagnostics};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// How to generate one client crate. Build it with [`Config::new`] and the setters.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) crate_name: String,
    pub(crate) crate_version: Option<String>,
    pub(crate) regenerate_command: String,
    pub(crate) examples: Vec<Example>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) pagination: PaginationNames,
}

/// The wire names that mark a cursor-paginated list: an operation with the `after` query
/// parameter whose response has an `items` array of objects with an `id`. The default is
/// Circle's scheme (`pageAfter`, `pageBefore`, `pageSize`, `data`, `id`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaginationNames {
    /// The query parameter that takes the id of the last item seen.
    pub after: String,
    /// The query parameter for the other direction, cleared when following pages.
    pub before: Option<String>,
    /// The query parameter for the page size.
    pub size: Option<String>,
    /// The response property holding the items.
    pub items: String,
    /// The item property holding its id.
    pub id: String,
    /// For lists whose items have no `id`: the item property to page after, by `operationId`.
    pub id_by_operation: std::collections::BTreeMap<String, String>,
}

impl Default for PaginationNames {
    fn default() -> Self {
        PaginationNames {
            after: "pageAfter".to_owned(),
            before: Some("pageBefore".to_owned()),
            size: Some("pageSize".to_owned()),
            items: "data".to_owned(),
            id: "id".to_owned(),
            id_by_operation: std::collections::BTreeMap::new(),
        }
    }
}

/// A hand-written example program copied into the crate's `examples/`.
#[derive(Clone, Debug)]
pub(crate) struct Example {
    pub file_name: String,
    pub origin: String,
    pub source: String,
}

impl Config {
    /// Generate a crate named `crate_name` (e.g. `circle-api`).
    pub fn new(crate_name: impl Into<String>) -> Self {
        Config {
            crate_name: crate_name.into(),
            crate_version: None,
            regenerate_command: "apigen".to_owned(),
            examples: Vec::new(),
            idempotency_key: None,
            pagination: PaginationNames::default(),
        }
    }

    /// How cursor-paginated lists are recognized (default: Circle's names). Each one gets a
    /// `<method>_stream` method that walks every page.
    pub fn pagination(mut self, names: PaginationNames) -> Self {
        self.pagination = names;
        self
    }

    /// The crate's version. Default: the spec's `info.version` if it is semver, else `0.1.0`.
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = Some(version.into());
        self
    }

    /// The request-body property that carries an idempotency key (Circle: `idempotencyKey`).
    /// Where a body requires it, the generated type makes it optional and each call fills it with
    /// a fresh UUID v4 when the caller leaves it unset; retries of that call reuse it.
    pub fn idempotency_key(mut self, property: impl Into<String>) -> Self {
        self.idempotency_key = Some(property.into());
        self
    }

    /// The command the do-not-edit header of each file names for regenerating it.
    pub fn regenerate_command(mut self, command: impl Into<String>) -> Self {
        self.regenerate_command = command.into();
        self
    }

    /// Copies an example program into `examples/<file_name>`; `origin` is where it comes from
    /// (named in its header, so people edit the original).
    pub fn example(
        mut self,
        file_name: impl Into<String>,
        origin: impl Into<String>,
        source: impl Into<String>,
    ) -> Self {
        self.examples.push(Example {
            file_name: file_name.into(),
            origin: origin.into(),
            source: source.into(),
        });
        self
    }

    /// The crate name.
    pub fn crate_name(&self) -> &str {
        &self.crate_name
    }

    /// Checks what the setters cannot: a usable crate name and example file names.
    pub(crate) fn validate(&self) -> Result<(), Diagnostics> {
        let mut diags = Diagnostics::new();
        let name = &self.crate_name;
        let valid = !name.is_empty()
            && name.len() <= 64
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            diags.push(Diagnostic::error(format!(
                "`{name}` is not a valid crate name (ASCII letters, digits, `-` and `_`, starting with a letter)"
            )));
        }
        for example in &self.examples {
            let ok = example.file_name.ends_with(".rs")
                && example
                    .file_name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
                && !example.file_name.starts_with('.');
            if !ok {
                diags.push(Diagnostic::error(format!(
                    "example file name `{}` must be a plain `name.rs`",
                    example.file_name
                )));
            }
        }
        if diags.is_empty() { Ok(()) } else { Err(diags) }
    }
}

/// `apigen.toml`: every client a repository generates.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// The command generated files name for regenerating them. Default: `apigen`.
    #[serde(default)]
    pub regenerate: Option<String>,
    /// The clients.
    #[serde(default, rename = "client")]
    pub clients: Vec<ClientEntry>,
    /// The directory of `apigen.toml`; paths in it are relative to this.
    #[serde(skip)]
    pub root: PathBuf,
}

/// One `[[client]]` of `apigen.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientEntry {
    /// The spec file.
    pub spec: String,
    /// The output directory (the crate root).
    pub out: String,
    /// The crate name.
    pub crate_name: String,
    /// The crate version (default: from the spec).
    #[serde(default)]
    pub version: Option<String>,
    /// Example programs copied into the crate's `examples/`.
    #[serde(default)]
    pub examples: Vec<String>,
    /// The request-body property that carries an idempotency key (see
    /// [`Config::idempotency_key`]).
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// How paginated lists are recognized (see [`Config::pagination`]), e.g.
    /// `pagination = { after = "cursor", items = "items" }`.
    #[serde(default)]
    pub pagination: Option<PaginationNames>,
}

impl Project {
    /// The file name looked for.
    pub const FILE_NAME: &'static str = "apigen.toml";

    /// Finds `apigen.toml` in `start` or the nearest directory above it.
    pub fn find(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(Self::FILE_NAME))
            .find(|candidate| candidate.is_file())
    }

    /// Reads and checks an `apigen.toml`.
    pub fn load(path: &Path) -> Result<Self, Diagnostics> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostics::from(Diagnostic::error(format!("cannot read it: {e}")).in_file(&file))
        })?;
        let mut project: Project = toml::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::error(format!("invalid {}: {}", Self::FILE_NAME, e.message()))
                .in_file(&file);
            if let Some(span) = e.span() {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                d = d.at_line(line, column);
            }
            Diagnostics::from(d)
        })?;
        if project.clients.is_empty() {
            return Err(Diagnostic::error("it lists no `[[client]]`")
                .in_file(&file)
                .into());
        }
        project.root = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(project)
    }

    /// The [`Config`] of one entry, with its examples read from disk.
    pub fn config_for(&self, entry: &ClientEntry) -> Result<Config, Diagnostics> {
        let mut config = Config::new(&entry.crate_name)
            .regenerate_command(self.regenerate.as_deref().unwrap_or("apigen"));
        if let Some(version) = &entry.version {
            config = config.crate_version(version);
        }
        if let Some(key) = &entry.idempotency_key {
            config = config.idempotency_key(key);
        }
        if let Some(names) = &entry.pagination {
            config = config.pagination(names.clone());
        }
        for example in &entry.examples {
            let path = self.root.join(example);
            let source = std::fs::read_to_string(&path).map_err(|e| {
                Diagnostics::from(
                    Diagnostic::error(format!("cannot read the example: {e}")).in_file(example),
                )
            })?;
            let file_name = Path::new(example)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            config = config.example(file_name, example.as_str(), source);
        }
        Ok(config)
    }
}
