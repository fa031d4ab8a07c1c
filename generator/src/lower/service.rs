//! What is true of the whole service: its servers, its security schemes, its request-id header.

use super::Lowerer;
use crate::diagnostics::Pointer;
use crate::ir::{SecurityKind, SecurityScheme, Server};
use crate::load::Document;
use crate::names::{self, Namespace};
use openapiv3::{APIKeyLocation, ReferenceOr};

/// `servers`, with variables replaced by their defaults. Relative URLs cannot be a client's
/// default, so they are left out with a warning.
pub(super) fn servers(l: &mut Lowerer<'_>) -> Vec<Server> {
    let doc = l.doc;
    let mut namespace = Namespace::default();
    let mut out = Vec::new();
    for (i, server) in doc.api.servers.iter().enumerate() {
        let at = Pointer::root().join("servers").join(i.to_string());
        let Some(url) = server_url(l, server, &at) else {
            continue;
        };
        let description = server.description.clone().filter(|d| !d.trim().is_empty());
        let name = match &description {
            // A short description ("Sandbox", "Production server") makes a good name.
            Some(d) if d.split_whitespace().count() <= 3 => names::type_name(d),
            _ => names::type_name(host_of(&url)),
        };
        out.push(Server {
            name: namespace.claim(&name),
            url,
            description,
        });
    }
    out
}

/// A server's URL with its variables' defaults, absolute and without a trailing `/`; `None`,
/// with a warning, for one a client cannot send to.
fn server_url(l: &mut Lowerer<'_>, server: &openapiv3::Server, at: &Pointer) -> Option<String> {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    let absolute = url.starts_with("http://") || url.starts_with("https://");
    let host = url.split('/').next().unwrap_or_default();
    if !absolute && !url.starts_with('/') && host.contains('.') && !host.contains(' ') {
        l.warn(
            "server-without-scheme",
            format!("server URL `{url}` has no scheme; `https://{url}` is assumed"),
            &at.join("url"),
        );
        url = format!("https://{url}");
    } else if !absolute {
        l.warn(
            "relative-server",
            format!("server URL `{url}` is not absolute; set one with `ClientBuilder::base_url`"),
            &at.join("url"),
        );
        return None;
    }
    // A default that is itself a placeholder (DigitalOcean's `{your-agent-url}`), or no host
    // at all (its presigned uploads' `https://`).
    let host = url.split_once("://").map_or("", |(_, rest)| rest);
    let host = host.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || url.contains(['{', '}', ' ', '\\', '"', '<', '>']) {
        l.warn(
            "server-not-a-url",
            format!(
                "server URL `{url}` is no URL a request can go to (no host, or placeholders left \
                 after its variables take their defaults); it is left out"
            ),
            &at.join("url"),
        );
        return None;
    }
    Some(url.trim_end_matches('/').to_owned())
}

/// The server an operation names for itself (its own `servers`, else its path item's), which
/// it is sent to while the client's base URL is one of the spec's servers.
pub(super) fn operation_server(
    l: &mut Lowerer<'_>,
    (own, op_at): (&[openapiv3::Server], &Pointer),
    (path_level, path_at): (&[openapiv3::Server], &Pointer),
) -> Option<String> {
    let (servers, at) = if own.is_empty() {
        (path_level, path_at.join("servers"))
    } else {
        (own, op_at.join("servers"))
    };
    let first = servers.first()?;
    server_url(l, first, &at.join("0"))
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', ':']).next().unwrap_or(rest)
}

/// Builder methods of the runtime's `ClientBuilder` that a scheme's method must not shadow.
const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "build",
    "connect_timeout",
    "credential",
    "http_client",
    "server",
    "timeout",
    "user_agent",
];

/// `components.securitySchemes` the client can apply, each with its builder method.
pub(super) fn security_schemes(l: &mut Lowerer<'_>) -> Vec<SecurityScheme> {
    let doc = l.doc;
    let Some(components) = &doc.api.components else {
        return Vec::new();
    };
    let mut schemes = Vec::new();
    for (key, scheme) in &components.security_schemes {
        let at = Pointer::root()
            .join("components")
            .join("securitySchemes")
            .join(key);
        let scheme = match scheme {
            ReferenceOr::Item(scheme) => scheme,
            ReferenceOr::Reference { reference } => {
                l.warn(
                    "security-scheme-ref",
                    format!("security schemes given by `$ref` ({reference}) are ignored"),
                    &at,
                );
                continue;
            }
        };
        use openapiv3::SecurityScheme as S;
        let (kind, description) = match scheme {
            S::HTTP {
                scheme,
                description,
                ..
            } => {
                match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => (SecurityKind::Bearer, description),
                    "basic" => (SecurityKind::Basic, description),
                    other => {
                        l.warn(
"unsupported-auth",
                        format!("HTTP authentication scheme `{other}` is not supported; it is ignored"),
                        &at,
                    );
                        continue;
                    }
                }
            }
            S::APIKey {
                location,
                name,
                description,
                ..
            } => (
                match location {
                    APIKeyLocation::Header => SecurityKind::ApiKeyHeader(name.clone()),
                    APIKeyLocation::Query => SecurityKind::ApiKeyQuery(name.clone()),
                    APIKeyLocation::Cookie => SecurityKind::ApiKeyCookie(name.clone()),
                },
                description,
            ),
            // The client does not run OAuth flows; it sends the access token it is given.
            S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                (SecurityKind::Bearer, description)
            }
        };
        schemes.push(SecurityScheme {
            key: key.clone(),
            method_name: String::new(),
            kind,
            doc: description.clone().filter(|d| !d.trim().is_empty()),
        });
    }
    // `bearer_token`, `basic_auth`, `api_key` when one scheme is of its kind; named after the
    // scheme key otherwise.
    let default_name = |kind: &SecurityKind| match kind {
        SecurityKind::Bearer => "bearer_token",
        SecurityKind::Basic => "basic_auth",
        _ => "api_key",
    };
    let mut namespace = Namespace::with_reserved(BUILDER_METHODS);
    for i in 0..schemes.len() {
        let name = default_name(&schemes[i].kind);
        let shared = schemes
            .iter()
            .filter(|s| default_name(&s.kind) == name)
            .count()
            > 1;
        let wanted = if shared {
            format!(
                "{}_{}",
                names::unraw(&names::snake_name(&schemes[i].key)),
                name
            )
        } else {
            name.to_owned()
        };
        schemes[i].method_name = namespace.claim(&wanted);
    }
    schemes
}

/// The response header that carries the request id: the first response header declared whose
/// name says so, else `x-request-id`.
pub(super) fn request_id_header(doc: &Document) -> String {
    let is_request_id = |name: &str| {
        let lower = name.to_ascii_lowercase();
        ["request-id", "requestid", "request_id"]
            .iter()
            .any(|pattern| lower.contains(pattern))
    };
    let shared = doc.api.components.iter().flat_map(|c| c.responses.values());
    let inline = doc
        .api
        .operations()
        .flat_map(|(_, _, op)| op.responses.responses.values());
    inline
        .chain(shared)
        .filter_map(|r| r.as_item())
        .flat_map(|r| r.headers.keys())
        .find(|name| is_request_id(name))
        .map(|name| name.to_ascii_lowercase())
        .unwrap_or_else(|| "x-request-id".to_owned())
}
