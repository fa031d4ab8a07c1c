//! The plumbing every generated client shares: [`Client`] and its builder, requests, responses
//! and errors. Operation methods (in the crate's `client` module) describe a request and call
//! one function here; nothing in this module depends on the API it serves.
//!
//! This file is written once in apigen and copied verbatim into each generated crate, so every
//! crate builds on its own.

use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// What the generated code fixes for the whole API: default server, user agent and the
/// response header that carries the request id.
#[derive(Clone, Copy, Debug)]
pub struct ApiDefaults {
    /// The base URL used when the builder is given none.
    pub base_url: Option<&'static str>,
    /// The default `User-Agent`.
    pub user_agent: &'static str,
    /// The response header that carries the server's request id (lowercase).
    pub request_id_header: &'static str,
    /// The URLs of the spec's servers: while the client's base URL is one of them, an
    /// operation the spec sends to a server of its own goes there (see [`Request::server`]).
    pub servers: &'static [&'static str],
}

/// A secret string (token, password, API key). Its `Debug` output is `[redacted]`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The credential for one security scheme of the spec.
#[derive(Clone, Debug)]
pub enum Credential {
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic <base64(username:password)>`.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An API key sent in a header.
    Header {
        /// The header name.
        name: &'static str,
        /// The key.
        value: Secret,
    },
    /// An API key sent as a query parameter.
    Query {
        /// The parameter name.
        name: &'static str,
        /// The key.
        value: Secret,
    },
    /// An API key sent as a cookie.
    Cookie {
        /// The cookie name.
        name: &'static str,
        /// The key.
        value: Secret,
    },
}

/// A credential checked by [`ClientBuilder::build`], ready to be sent.
#[derive(Clone, Debug)]
enum Prepared {
    Header(HeaderName, HeaderValue),
    Query(&'static str, Secret),
    Cookie(&'static str, Secret),
}

/// Called with every request just before it is sent (each attempt), to add headers or look at
/// it. See [`ClientBuilder::on_request`].
pub type RequestHook = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;

/// Called with every response as it arrives (status and headers; each attempt). See
/// [`ClientBuilder::on_response`].
pub type ResponseHook = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

/// What a [`ResponseHook`] sees of a response.
#[derive(Debug)]
pub struct ResponseInfo<'a> {
    /// The `operationId` of the call.
    pub operation: &'static str,
    /// Which attempt this is, from 1.
    pub attempt: u32,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: &'a HeaderMap,
}

/// When and how often failed requests are tried again.
///
/// A request is retried after a connection error, a timeout, or a 408, 429, 500, 502, 503 or
/// 504 answer, when it is safe to send twice: GET, HEAD, PUT, DELETE and OPTIONS always are;
/// POST and PATCH only when the request carries an idempotency key (then the same key is sent on
/// every attempt, so the server does the work once). The wait before attempt `n + 1` is the
/// server's `Retry-After` (seconds or an HTTP date, capped by `max_retry_after`) or else a random
/// duration up to `min(max_backoff, initial_backoff × 2ⁿ⁻¹)` ("full jitter").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// The first backoff ceiling (default 500 ms).
    pub initial_backoff: Duration,
    /// The largest backoff ceiling (default 8 s).
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured (default 60 s).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// Settings for the calls made through one [`Client`] handle, set with
/// [`Client::with_options`]; unset ones keep the builder's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Gives up on each attempt after this long.
    pub timeout: Option<Duration>,
    /// Retries after the first attempt.
    pub max_retries: Option<u32>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets how many times a failed request is retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }
}

/// Builds a [`Client`]. Start with `Client::builder()`.
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    spec_servers: &'static [&'static str],
    credentials: BTreeMap<&'static str, Credential>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    request_id_header: &'static str,
    retry: RetryPolicy,
    default_headers: Vec<(String, String)>,
    on_request: Vec<RequestHook>,
    on_response: Vec<ResponseHook>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(without_userinfo))
            .field("credentials", &self.credentials)
            .field("custom_http_client", &self.http.is_some())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(n, _)| n)
                    .collect::<Vec<_>>(),
            )
            .field("hooks", &(self.on_request.len() + self.on_response.len()))
            .finish()
    }
}

impl ClientBuilder {
    /// A builder with the API's defaults. Generated code calls this from `Client::builder()`.
    pub fn new(defaults: ApiDefaults) -> Self {
        ClientBuilder {
            base_url: defaults.base_url.map(str::to_owned),
            spec_servers: defaults.servers,
            credentials: BTreeMap::new(),
            http: None,
            timeout: None,
            connect_timeout: None,
            user_agent: defaults.user_agent.to_owned(),
            request_id_header: defaults.request_id_header,
            retry: RetryPolicy::default(),
            default_headers: Vec::new(),
            on_request: Vec::new(),
            on_response: Vec::new(),
        }
    }

    /// Retries a failed request at most `retries` times (default 2; 0 turns retries off). See
    /// [`RetryPolicy`] for which requests are retried.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// Sets the whole retry policy (backoff and `Retry-After` cap included).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends this header with every request (checked by [`ClientBuilder::build`]).
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Calls `hook` with every request just before it is sent (each attempt): add headers,
    /// sign, log. It runs after the client has set its own headers.
    pub fn on_request(
        mut self,
        hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        self.on_request.push(Arc::new(hook));
        self
    }

    /// Calls `hook` with the status and headers of every response as it arrives (each attempt).
    pub fn on_response(mut self, hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
        self.on_response.push(Arc::new(hook));
        self
    }

    /// Sends requests to this base URL (e.g. `http://127.0.0.1:4010` for a mock server),
    /// instead of a server of the spec. A query in it (`?api-version=2`) is sent with every
    /// request, before the operation's own parameters. A `user:password@` in it is sent as
    /// HTTP Basic authorization when the operation's own credential sets no `Authorization`
    /// header; it is never shown (not by [`Client::base_url`], `Debug` output or errors).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Uses this `reqwest::Client` (for proxies, custom TLS roots, middleware) instead of one
    /// the builder makes. [`ClientBuilder::connect_timeout`] does not apply to it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Gives up on an attempt that has not completed after this long (a timed-out attempt may
    /// be retried; see [`RetryPolicy`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Gives up on connecting after this long.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sends this `User-Agent` instead of the default.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets the credential of the security scheme `scheme`. The generated methods named after
    /// each scheme (such as `bearer_token`) call this.
    pub fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.insert(scheme, credential);
        self
    }

    /// Checks the settings and makes the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.ok_or_else(|| {
            BuildError::new("no base URL: the spec lists no server, so call `base_url`")
        })?;
        let not_http = || {
            BuildError::new(format!(
                "the base URL `{}` is not an absolute http(s) URL",
                without_userinfo(&base_url)
            ))
        };
        let mut base = match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => url,
            _ => return Err(not_http()),
        };
        if base.fragment().is_some() {
            return Err(BuildError::new(format!(
                "the base URL `{}` has a fragment (`#...`), which is never sent",
                without_userinfo(&base_url)
            )));
        }
        // Taken out of the URL, so that it shows up nowhere (reqwest's errors print the URL).
        let url_basic = take_userinfo(&mut base)
            .map(|(username, password)| basic(&username, &password).ok_or_else(not_http))
            .transpose()?;
        // Each operation's path starts with `/`. A query (`?api-version=...`) stays: it goes
        // with every request, before the operation's own query parameters.
        let path = base.path().trim_end_matches('/').to_owned();
        base.set_path(&path);
        let base_url = match base.query() {
            None => base.as_str().trim_end_matches('/').to_owned(),
            Some(_) => base.as_str().to_owned(),
        };
        let spec_server = self
            .spec_servers
            .iter()
            .any(|server| server.trim_end_matches('/') == base_url);
        let mut credentials = BTreeMap::new();
        for (scheme, credential) in self.credentials {
            credentials.insert(scheme, prepare(scheme, credential)?);
        }
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| BuildError::new("the user agent is not a valid header value"))?;
        let request_id_header = HeaderName::from_bytes(self.request_id_header.as_bytes())
            .map_err(|_| BuildError::new("the request id header is not a valid header name"))?;
        let mut default_headers = Vec::new();
        for (name, value) in &self.default_headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                BuildError::new(format!(
                    "the default header `{name}` is not a valid header name"
                ))
            })?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                BuildError::new(format!(
                    "the value of the default header `{name}` is not a valid header value"
                ))
            })?;
            default_headers.push((name, value));
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder();
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(|e| BuildError {
                    message: "the HTTP client could not be set up".to_owned(),
                    source: Some(e),
                })?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base,
                spec_server,
                url_basic,
                credentials,
                user_agent,
                request_id_header,
                timeout: self.timeout,
                retry: self.retry,
                default_headers,
                on_request: self.on_request,
                on_response: self.on_response,
            }),
            options: CallOptions::default(),
        })
    }
}

/// Checks a credential once, so that sending never fails on it. Messages never hold the secret.
fn prepare(scheme: &'static str, credential: Credential) -> Result<Prepared, BuildError> {
    let invalid = || {
        BuildError::new(format!(
            "the credential for `{scheme}` has characters that cannot be sent in an HTTP header"
        ))
    };
    Ok(match credential {
        Credential::Bearer(token) => {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                .map_err(|_| invalid())?;
            value.set_sensitive(true);
            Prepared::Header(header::AUTHORIZATION, value)
        }
        Credential::Basic { username, password } => Prepared::Header(
            header::AUTHORIZATION,
            basic(username.as_bytes(), password.expose().as_bytes()).ok_or_else(invalid)?,
        ),
        Credential::Header { name, value } => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let mut value = HeaderValue::from_str(value.expose()).map_err(|_| invalid())?;
            value.set_sensitive(true);
            Prepared::Header(name, value)
        }
        Credential::Query { name, value } => Prepared::Query(name, value),
        Credential::Cookie { name, value } => {
            HeaderValue::from_str(value.expose()).map_err(|_| invalid())?;
            Prepared::Cookie(name, value)
        }
    })
}

/// `Authorization: Basic <base64(username:password)>`, marked sensitive.
fn basic(username: &[u8], password: &[u8]) -> Option<HeaderValue> {
    use base64::Engine as _;
    let pair = [username, b":", password].concat();
    let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
    let mut value = HeaderValue::from_str(&format!("Basic {encoded}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Takes the `user:password@` out of `url`, percent-decoded. `None` when it has none; it always
/// can be taken from a URL with a host, the only kind a client is built with.
fn take_userinfo(url: &mut reqwest::Url) -> Option<(Vec<u8>, Vec<u8>)> {
    if url.username().is_empty() && url.password().is_none() {
        return None;
    }
    let decode = |s: &str| percent_encoding::percent_decode_str(s).collect::<Vec<u8>>();
    let taken = (decode(url.username()), decode(url.password().unwrap_or("")));
    (url.set_username("").is_ok() && url.set_password(None).is_ok()).then_some(taken)
}

/// A base URL as messages and `Debug` show it: without the `user:password@` it may hold, even
/// when it does not parse (then everything up to its last `@` goes).
fn without_userinfo(url: &str) -> std::borrow::Cow<'_, str> {
    if let Ok(mut parsed) = reqwest::Url::parse(url) {
        if take_userinfo(&mut parsed).is_some() {
            return parsed.to_string().into();
        }
        if parsed.username().is_empty() && parsed.password().is_none() {
            return url.into();
        }
    }
    match url.rsplit_once('@') {
        Some((_, rest)) => format!("[redacted]@{rest}").into(),
        None => url.into(),
    }
}

/// Why [`ClientBuilder::build`] failed.
#[derive(Debug)]
pub struct BuildError {
    message: String,
    source: Option<reqwest::Error>,
}

impl BuildError {
    fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
            source: None,
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// The API client. Cloning is cheap (one `Arc`), and clones share connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: CallOptions,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// `base_url` parsed, so that each request only parses its own path.
    base: reqwest::Url,
    /// Whether `base_url` is one of the spec's servers, so that operations with servers of
    /// their own go there.
    spec_server: bool,
    /// The `user:password@` of the base URL as the client was given it, as HTTP Basic.
    url_basic: Option<HeaderValue>,
    credentials: BTreeMap<&'static str, Prepared>,
    user_agent: HeaderValue,
    request_id_header: HeaderName,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    default_headers: Vec<(HeaderName, HeaderValue)>,
    on_request: Vec<RequestHook>,
    on_response: Vec<ResponseHook>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&str> = self.inner.credentials.keys().copied().collect();
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials_for", &schemes)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("options", &self.options)
            .finish()
    }
}

impl Client {
    /// The base URL requests go to, without the `user:password@` it may have been given with.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A handle on the same client (same connections and credentials) whose calls use
    /// `options` — a timeout or retry count for one call or a group of calls:
    /// `client.with_options(CallOptions::new().max_retries(0)).get_thing(id)`.
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            options,
        }
    }
}

/// A `multipart/form-data` request body, built part by part; the parts are sent in the order
/// they are added, between boundaries chosen when the request is made. Its `Debug` output shows
/// the parts' names and sizes, not their contents.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<MultipartPart>,
}

#[derive(Clone)]
struct MultipartPart {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

impl Multipart {
    /// A body with no parts yet.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text part.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(MultipartPart {
            name: name.into(),
            filename: None,
            content_type: None,
            data: value.into().into_bytes(),
        });
        self
    }

    /// Adds a file part: the name the server is told the file has, its media type
    /// (`image/png`; `application/octet-stream` for bytes of no known type) and its bytes.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Vec<u8>>,
    ) -> Self {
        self.parts.push(MultipartPart {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// Whether a part named `name` was added.
    pub fn contains(&self, name: &str) -> bool {
        self.parts.iter().any(|part| part.name == name)
    }

    /// The body's bytes between parts delimited by `boundary`, as RFC 7578 lays them out. Quotes
    /// and line breaks in names are percent-encoded, as browsers do.
    fn encode(&self, boundary: &str) -> Vec<u8> {
        let quoted = |text: &str| {
            text.replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        let size: usize = self.parts.iter().map(|part| part.data.len() + 128).sum();
        let mut out = Vec::with_capacity(size + boundary.len() + 8);
        for part in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("form-data; name=\"{}\"", quoted(&part.name));
            if let Some(filename) = &part.filename {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(filename)));
            }
            out.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if let Some(content_type) = &part.content_type {
                out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.data);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for part in &self.parts {
            list.entry(&format_args!("{} ({} bytes)", part.name, part.data.len()));
        }
        list.finish()
    }
}

/// A multipart boundary no part holds: random (from the standard library's hasher keys, which
/// are seeded from the operating system), checked against the parts all the same.
fn boundary_for(body: &Multipart) -> String {
    use std::hash::{BuildHasher, Hasher};
    loop {
        let random = |salt: u64| {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(salt);
            hasher.finish()
        };
        let boundary = format!("apigen-{:016x}{:016x}", random(1), random(2));
        let held = body.parts.iter().any(|part| {
            part.data
                .windows(boundary.len())
                .any(|window| window == boundary.as_bytes())
        });
        if !held {
            return boundary;
        }
    }
}

/// A request as an operation method describes it.
///
/// Its builder methods never fail: the first problem (an argument out of range, a path
/// parameter that cannot be one segment, a body that does not serialize) is kept and returned
/// when the request would be sent, so nothing is sent — as `reqwest`'s request builder does.
#[derive(Debug)]
pub struct Request {
    operation: &'static str,
    method: Method,
    template: &'static str,
    path: String,
    idempotent: bool,
    query: Vec<(Cow<'static, str>, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<(&'static str, String)>,
    body: Option<(Cow<'static, str>, Vec<u8>)>,
    /// The operation's own server in the spec, if it has one.
    server: Option<&'static str>,
    /// The boundary of a multipart body, added to its content type.
    boundary: Option<String>,
    accept: Option<&'static str>,
    security: &'static [&'static [&'static str]],
    error: Option<RequestError>,
}

impl Request {
    /// A request of `operation` (its `operationId`); `template` is the spec's path
    /// (`/v1/things/{id}`), for traces. The path itself is built with [`Request::path`] and
    /// [`Request::path_param`].
    pub fn new(operation: &'static str, method: Method, template: &'static str) -> Self {
        Request {
            operation,
            method,
            template,
            // Room for the literals and a few parameters, so that pushing them rarely grows it.
            path: String::with_capacity(template.len() + 64),
            idempotent: false,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            server: None,
            boundary: None,
            accept: None,
            security: &[],
            error: None,
        }
    }

    /// Keeps the first problem found while the request is described.
    fn fail(&mut self, message: String) {
        let operation = self.operation;
        self.keep(Err(RequestError { operation, message }));
    }

    /// Keeps the problem of `result`, if it is one and the first.
    fn keep(&mut self, result: Result<(), RequestError>) {
        if let Err(error) = result {
            self.error.get_or_insert(error);
        }
    }

    /// The server the spec sends this operation to instead of its usual ones (an upload host,
    /// say): used while the client's base URL is one of the spec's servers; a base URL of the
    /// caller's own (a proxy, a mock) takes every request.
    pub fn server(&mut self, url: &'static str) {
        self.server = Some(url);
    }

    /// Appends a literal piece of the path template, as the spec writes it.
    pub fn path(&mut self, literal: &'static str) {
        self.path.push_str(literal);
    }

    /// Appends a path parameter (see [`push_path_param`]).
    pub fn path_param(&mut self, name: &'static str, value: &str) {
        let result = push_path_param(&mut self.path, self.operation, name, value);
        self.keep(result);
    }

    /// Appends a path parameter given by its JSON form, as `style: simple` writes it: a string,
    /// number or boolean as itself, a list comma-separated, an object as `name,value,...` or,
    /// `explode`d, as `name=value,...`.
    pub fn path_param_json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        explode: bool,
    ) {
        if let Some(form) = self.json_form(value) {
            self.path_param(name, &form.simple(explode));
        }
    }

    /// Appends a path parameter given by its JSON form, as `style: label` (`matrix: false`:
    /// `.5`, `.3,4`, `.3.4` exploded, `.R,1,G,2`, `.R=1.G=2` exploded) or `style: matrix`
    /// (`;id=5`, `;id=3,4`, `;id=3;id=4` exploded, `;c=R,1,G,2`, `;R=1;G=2` exploded) writes it:
    /// names and values percent-encoded, the delimiters as they are.
    pub fn path_param_prefixed<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        matrix: bool,
        explode: bool,
    ) {
        let Some(form) = self.json_form(value) else {
            return;
        };
        let segment = form.prefixed(name, matrix, explode);
        // Nothing, like an empty simple value, would leave the path another resource's; `.` and
        // `..` would be resolved away as directories.
        if segment.is_empty() || segment == "." || segment == ".." {
            let operation = self.operation;
            self.keep(Err(RequestError {
                operation,
                message: format!("path parameter `{name}` cannot be empty"),
            }));
        } else {
            self.path.push_str(&segment);
        }
    }

    /// The problems the checks of the arguments found: any makes the request invalid, and the
    /// error lists them all.
    pub fn check_arguments(&mut self, problems: Vec<String>) {
        if !problems.is_empty() {
            let listed = problems.join("; ");
            self.fail(format!("invalid arguments, nothing was sent: {listed}"));
        }
    }

    /// Validates a request body against the spec's limits.
    pub fn validate_body<T: Validate + ?Sized>(&mut self, body: &T) {
        let mut problems = Vec::new();
        body.validate("body", &mut problems);
        self.check_arguments(problems);
    }

    /// The security requirements: alternatives, each a list of scheme names to apply together.
    pub fn security(&mut self, requirements: &'static [&'static [&'static str]]) {
        self.security = requirements;
    }

    /// Adds a query parameter; it is percent-encoded when sent.
    pub fn query(&mut self, name: &'static str, value: String) {
        self.query.push((Cow::Borrowed(name), value));
    }

    /// Adds a query parameter given by its JSON form, as `style: form` (exploded, the default)
    /// writes it: a string, number or boolean as itself (a `oneOf` of a uuid and a name), a
    /// list as a pair per item, an object as a pair per property named after the property.
    /// Inside an object a list is a pair per item too; what OpenAPI gives no form for (an
    /// object in a list or in an object) goes as JSON text. Nulls are left out.
    pub fn query_json<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        let Some(form) = self.json_form(value) else {
            return;
        };
        match form {
            JsonForm::Object(properties) => {
                for (property, value) in properties {
                    for item in value.items() {
                        self.query.push((Cow::Owned(property.clone()), item));
                    }
                }
            }
            form => {
                for item in form.items() {
                    self.query(name, item);
                }
            }
        }
    }

    /// [`Request::query_json`] for a style that writes one pair (`form` not exploded,
    /// `spaceDelimited`, `pipeDelimited`): a list's items, or an object's property names and
    /// values (`from,a,to,b`), joined by `separator`.
    pub fn query_json_joined<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        separator: &str,
    ) {
        if let Some(form) = self.json_form(value) {
            self.query(name, form.joined(separator));
        }
    }

    /// [`Request::query_json`] for `style: deepObject`: an object as a pair per property named
    /// `name[property]`, an object inside it as `name[property][inner]`, a list as a pair per
    /// item (as the common server frameworks read them; OpenAPI 3.0 defines one level only).
    pub fn query_json_deep<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if let Some(form) = self.json_form(value) {
            let mut pairs = Vec::new();
            form.deep(name.to_owned(), 0, &mut pairs);
            self.query.extend(pairs);
        }
    }

    /// Adds a header parameter. An `Idempotency-Key` header makes a POST or PATCH safe to retry.
    pub fn header(&mut self, name: &'static str, value: String) {
        if name.eq_ignore_ascii_case("idempotency-key") {
            self.idempotent = true;
        }
        self.headers.push((name, value));
    }

    /// Adds a header parameter given by its JSON form, as `style: simple` writes it (see
    /// [`Request::path_param_json`]).
    pub fn header_json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        explode: bool,
    ) {
        if let Some(form) = self.json_form(value) {
            self.header(name, form.simple(explode));
        }
    }

    /// Adds a cookie parameter.
    pub fn cookie(&mut self, name: &'static str, value: String) {
        self.cookies.push((name, value));
    }

    /// Adds a cookie parameter given by its JSON form, written in one cookie as a header's is
    /// (see [`Request::path_param_json`]).
    pub fn cookie_json<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        explode: bool,
    ) {
        if let Some(form) = self.json_form(value) {
            self.cookie(name, form.simple(explode));
        }
    }

    /// A parameter's value as its JSON form; `None` (the problem kept) when it cannot be
    /// serialized.
    fn json_form<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Option<JsonForm> {
        // Through JSON text, so that objects keep their properties in their order.
        let form = serde_json::to_string(value).and_then(|text| serde_json::from_str(&text));
        match form {
            Ok(form) => Some(form),
            Err(e) => {
                self.fail(format!("a parameter cannot be serialized as JSON: {e}"));
                None
            }
        }
    }

    /// Sends `body` as JSON, with this content type.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((Cow::Borrowed(content_type), bytes)),
            Err(e) => self.fail(format!("the body cannot be serialized as JSON: {e}")),
        }
    }

    /// Sends `body` as JSON with an idempotency key: when the body's `property` is unset, it is
    /// set to `fresh_key()`. The bytes are fixed here, so every attempt of this call (retries
    /// included) carries the same key.
    pub fn json_with_idempotency_key<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
        property: &'static str,
        fresh_key: fn() -> String,
    ) {
        let bytes = serde_json::to_value(body).and_then(|mut value| {
            if let serde_json::Value::Object(object) = &mut value {
                let unset = object.get(property).is_none_or(serde_json::Value::is_null);
                if unset {
                    object.insert(property.to_owned(), serde_json::Value::String(fresh_key()));
                }
            }
            serde_json::to_vec(&value)
        });
        match bytes {
            Ok(bytes) => {
                self.body = Some((Cow::Borrowed(content_type), bytes));
                self.idempotent = true;
            }
            Err(e) => self.fail(format!("the body cannot be serialized as JSON: {e}")),
        }
    }

    /// Sends `body` as an `application/x-www-form-urlencoded` form, the way OpenAPI encodes a
    /// form by default (`style: form`, `explode: true`): one `name=value` pair per property, in
    /// the order of the type's fields; a string, number or boolean as itself, a list as one
    /// pair per item, an object as JSON text; unset (null) properties left out.
    pub fn form<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        // Through JSON text, so that the properties keep their order (`serde_json::Map` sorts).
        let properties =
            serde_json::to_string(body).and_then(|text| serde_json::from_str::<JsonForm>(&text));
        let properties = match properties {
            Ok(JsonForm::Object(properties)) => properties,
            Ok(_) => {
                return self.fail("the body cannot be encoded as a form: not an object".into());
            }
            Err(e) => {
                return self.fail(format!("the body cannot be encoded as a form: {e}"));
            }
        };
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (name, value) in properties {
            for item in value.items() {
                form.append_pair(&name, &item);
            }
        }
        self.body = Some((Cow::Borrowed(content_type), form.finish().into_bytes()));
    }

    /// Sends a `multipart/form-data` body; a part `required` names that it lacks makes the
    /// request invalid. A part's media type that is not a valid header value is refused too.
    pub fn multipart(
        &mut self,
        content_type: &'static str,
        body: &Multipart,
        required: &'static [&'static str],
    ) {
        let missing: Vec<String> = required
            .iter()
            .filter(|name| !body.contains(name))
            .map(|name| format!("the body has no part `{name}`"))
            .collect();
        if !missing.is_empty() {
            return self.check_arguments(missing);
        }
        let bad = body.parts.iter().find(|part| {
            part.content_type
                .as_deref()
                .is_some_and(|ct| HeaderValue::from_str(ct).is_err())
        });
        if let Some(part) = bad {
            let name = &part.name;
            return self.fail(format!(
                "the media type of part `{name}` has characters HTTP does not allow"
            ));
        }
        let boundary = boundary_for(body);
        self.body = Some((Cow::Borrowed(content_type), body.encode(&boundary)));
        self.boundary = Some(boundary);
    }

    /// Sends `body` as is, with this content type.
    pub fn raw_body(&mut self, content_type: &'static str, body: Vec<u8>) {
        self.body = Some((Cow::Borrowed(content_type), body));
    }

    /// Sends `body` as is, with the caller's `content_type`, which must be one of the media
    /// types the spec `accepts` for it (`image/*` accepts `image/png`; `*/*` any media type).
    pub fn raw_body_as(
        &mut self,
        accepts: &'static [&'static str],
        content_type: &str,
        body: Vec<u8>,
    ) {
        if !media_type_accepted(accepts, content_type) {
            return self.fail(format!(
                "content type `{}` is not one the spec takes for this body ({})",
                content_type.escape_debug(),
                accepts.join(", ")
            ));
        }
        self.body = Some((Cow::Owned(content_type.to_owned()), body));
    }

    /// Asks for this media type in `Accept`.
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = Some(media_type);
    }
}

/// Whether `content_type` is a valid header value naming one media type (`type/subtype`, with
/// parameters if any) that one of `accepts` (media types and ranges) matches.
fn media_type_accepted(accepts: &[&str], content_type: &str) -> bool {
    let essence = |media_type: &str| {
        let essence = media_type.split(';').next().unwrap_or("").trim();
        let (kind, sub) = essence.split_once('/')?;
        let token = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+*".contains(&b))
        };
        (token(kind) && token(sub)).then(|| (kind.to_ascii_lowercase(), sub.to_ascii_lowercase()))
    };
    let Some((kind, sub)) = essence(content_type) else {
        return false;
    };
    if kind == "*" || sub == "*" || HeaderValue::from_str(content_type).is_err() {
        return false;
    }
    accepts
        .iter()
        .filter_map(|accepted| essence(accepted))
        .any(|accepted| match accepted {
            (any, _) if any == "*" => true,
            (range, any) if any == "*" => range == kind,
            exact => exact == (kind.clone(), sub.clone()),
        })
}

/// A value's JSON form, with objects in the order they were serialized (`serde_json::Map`
/// sorts them): what parameters and form bodies are written from.
#[derive(Debug, PartialEq)]
enum JsonForm {
    Null,
    /// A string.
    Text(String),
    /// A number or a boolean, as JSON writes it.
    Literal(String),
    List(Vec<JsonForm>),
    Object(Vec<(String, JsonForm)>),
}

/// How deep `deepObject` names go (`a[b][c]`); deeper objects go as JSON text.
const DEEP_LEVELS: usize = 8;

impl JsonForm {
    /// A string, number or boolean as itself, `None` for anything else.
    fn scalar(&self) -> Option<&str> {
        match self {
            JsonForm::Text(text) | JsonForm::Literal(text) => Some(text),
            _ => None,
        }
    }

    /// One text per item: a list item by item, nulls left out; a scalar as itself; an object,
    /// or a list in a list, as JSON text.
    fn items(&self) -> Vec<String> {
        let one = |form: &JsonForm| match form {
            JsonForm::Null => None,
            form => Some(
                form.scalar()
                    .map_or_else(|| form.json_text(), str::to_owned),
            ),
        };
        match self {
            JsonForm::List(items) => items.iter().filter_map(one).collect(),
            form => one(form).into_iter().collect(),
        }
    }

    /// An object's set properties, each with its value as one text (a list comma-separated);
    /// nothing for anything else.
    fn properties(&self) -> Vec<(&str, String)> {
        match self {
            JsonForm::Object(properties) => properties
                .iter()
                .filter(|(_, value)| *value != JsonForm::Null)
                .map(|(name, value)| (name.as_str(), value.items().join(",")))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The texts a style that does not explode joins: a list's items, or an object's names and
    /// values in turn (a list inside an object comma-separated).
    fn texts(&self) -> Vec<String> {
        match self {
            JsonForm::Object(_) => self
                .properties()
                .into_iter()
                .flat_map(|(name, value)| [name.to_owned(), value])
                .collect(),
            form => form.items(),
        }
    }

    /// One text: the `texts` joined by `separator`.
    fn joined(&self, separator: &str) -> String {
        self.texts().join(separator)
    }

    /// `style: simple` (paths, headers; cookies too): a list comma-separated, an object as
    /// `name,value,...`, or `name=value,...` when exploded.
    fn simple(&self, explode: bool) -> String {
        match self {
            JsonForm::Object(_) if explode => self
                .properties()
                .into_iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join(","),
            form => form.joined(","),
        }
    }

    /// `style: label` (`matrix: false`) or `style: matrix` (named `name`), as a path segment's
    /// text: names and values percent-encoded, the delimiters as they are. Label: `.5`, `.3,4`
    /// (`.3.4` exploded), `.R,1,G,2` (`.R=1.G=2` exploded); matrix: `;id=5`, `;id=3,4`
    /// (`;id=3;id=4` exploded), `;c=R,1,G,2` (`;R=1;G=2` exploded).
    fn prefixed(&self, name: &str, matrix: bool, explode: bool) -> String {
        let encode =
            |text: &str| percent_encoding::utf8_percent_encode(text, PATH_SEGMENT).to_string();
        let prefix = if matrix { ";" } else { "." };
        // Each piece gets the prefix: a `name=value` pair, or (label) a bare value.
        let pieces: Vec<(Option<String>, String)> = match self {
            JsonForm::Object(_) if explode => self
                .properties()
                .into_iter()
                .map(|(key, value)| (Some(encode(key)), encode(&value)))
                .collect(),
            JsonForm::List(_) if explode => self
                .items()
                .iter()
                .map(|item| (matrix.then(|| encode(name)), encode(item)))
                .collect(),
            // Each text encoded on its own: the `,` between them is a delimiter.
            form => {
                let texts: Vec<String> = form.texts().iter().map(|text| encode(text)).collect();
                vec![(matrix.then(|| encode(name)), texts.join(","))]
            }
        };
        let mut segment = String::new();
        for (key, value) in pieces {
            segment.push_str(prefix);
            match key {
                // An empty matrix value is the name alone (`;id`).
                Some(key) if value.is_empty() => segment.push_str(&key),
                Some(key) => segment.push_str(&format!("{key}={value}")),
                None => segment.push_str(&value),
            }
        }
        segment
    }

    /// `style: deepObject` pairs under `name`.
    fn deep(&self, name: String, depth: usize, pairs: &mut Vec<(Cow<'static, str>, String)>) {
        match self {
            JsonForm::Object(properties) if depth < DEEP_LEVELS => {
                for (property, value) in properties {
                    value.deep(format!("{name}[{property}]"), depth + 1, pairs);
                }
            }
            form => {
                for item in form.items() {
                    pairs.push((Cow::Owned(name.clone()), item));
                }
            }
        }
    }

    /// The JSON text of the value, properties in their order.
    fn json_text(&self) -> String {
        let mut text = String::new();
        self.write_json(&mut text);
        text
    }

    fn write_json(&self, out: &mut String) {
        let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
        match self {
            JsonForm::Null => out.push_str("null"),
            JsonForm::Text(text) => out.push_str(&quoted(text)),
            JsonForm::Literal(text) => out.push_str(text),
            JsonForm::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            JsonForm::Object(properties) => {
                out.push('{');
                for (i, (name, value)) in properties.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&quoted(name));
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for JsonForm {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = JsonForm;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }

            fn visit_unit<E>(self) -> Result<JsonForm, E> {
                Ok(JsonForm::Null)
            }

            fn visit_bool<E>(self, v: bool) -> Result<JsonForm, E> {
                Ok(JsonForm::Literal(v.to_string()))
            }

            fn visit_i64<E>(self, v: i64) -> Result<JsonForm, E> {
                Ok(JsonForm::Literal(v.to_string()))
            }

            fn visit_u64<E>(self, v: u64) -> Result<JsonForm, E> {
                Ok(JsonForm::Literal(v.to_string()))
            }

            fn visit_f64<E>(self, v: f64) -> Result<JsonForm, E> {
                // As serde_json writes it (`1e20`, not twenty digits).
                let number = serde_json::Number::from_f64(v);
                Ok(number.map_or(JsonForm::Null, |n| JsonForm::Literal(n.to_string())))
            }

            fn visit_str<E>(self, v: &str) -> Result<JsonForm, E> {
                Ok(JsonForm::Text(v.to_owned()))
            }

            fn visit_string<E>(self, v: String) -> Result<JsonForm, E> {
                Ok(JsonForm::Text(v))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<JsonForm, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(JsonForm::List(items))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<JsonForm, A::Error> {
                let mut properties = Vec::new();
                while let Some(property) = map.next_entry()? {
                    properties.push(property);
                }
                Ok(JsonForm::Object(properties))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Characters kept as they are in a path segment: RFC 3986's unreserved set.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Appends a path parameter to `path`, percent-encoded so that it stays one segment whatever it
/// holds (`/`, `?`, `#`, spaces...). Empty values and `.`/`..` are refused: URL parsers would
/// drop or resolve them and the request would go to another resource.
pub fn push_path_param(
    path: &mut String,
    operation: &'static str,
    name: &'static str,
    value: &str,
) -> Result<(), RequestError> {
    if value.is_empty() || value == "." || value == ".." {
        return Err(RequestError {
            operation,
            message: format!("path parameter `{name}` cannot be {value:?}"),
        });
    }
    path.extend(percent_encoding::utf8_percent_encode(value, PATH_SEGMENT));
    Ok(())
}

/// The conversions of an open string enum (one with an `Unknown(String)` variant), from its
/// known values: `as_str`, `From<&str>`, `From<String>`, `Display`, and serde as a plain string.
/// The models invoke it as `open_enum!(Name { Variant = "wire", ... })`.
#[allow(unused_macros)]
macro_rules! open_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use open_enum;

/// `serde` for a struct of the models, written from its properties: the struct's JSON object, with
/// each field's property name and kind. Used instead of serde's derive, which also builds a
/// field enum and a sequence visitor per struct that a JSON client never uses; on a big API that
/// was most of the crate's compile time. The models invoke it as
/// `object!(Name { field: "wire" kind, ... })`, with `..field` last for a map of the other
/// properties.
///
/// Kinds: `required` (`T`: must be present), `nullable` (a required `Option<T>`: absent or
/// `null` reads `None`, `None` is sent as `null`), `optional` (`Option<T>`: absent or `null`
/// reads `None`, `None` is left out), `absent_or_null` (`Option<Option<T>>`: `None` absent,
/// `Some(None)` `null`). Encoding and decoding are serde's derive's (tested against it): unknown
/// properties are ignored, a repeated property is an error, and so is a missing required one.
/// Unlike the derive, a JSON array is not read as a struct; no JSON API sends one for an object.
#[allow(unused_macros)]
macro_rules! object {
    ($name:ident { $($field:ident: $wire:literal $kind:ident),* $(,)? }) => {
        $crate::runtime::object!(@impl $name [$($field $wire $kind)*] []);
    };
    ($name:ident { $($field:ident: $wire:literal $kind:ident,)* ..$extra:ident $(,)? }) => {
        $crate::runtime::object!(@impl $name [$($field $wire $kind)*] [$extra]);
    };
    (@impl $name:ident [$($field:ident $wire:literal $kind:ident)*] [$($extra:ident)?]) => {
        #[allow(deprecated)]
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                $crate::runtime::object!(@serialize self serializer $name [$($field $wire $kind)*] [$($extra)?])
            }
        }

        #[allow(deprecated)]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;

                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<$name, __A::Error> {
                        $(let mut $field = None;)*
                        $(let mut $extra = std::collections::BTreeMap::new();)?
                        while let Some(key) = map.next_key::<$crate::runtime::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => $crate::runtime::object!(@read $kind map $field $wire),)*
                                _ => $crate::runtime::object!(@other map key $($extra)?),
                            }?;
                        }
                        Ok($name {
                            $($field: $crate::runtime::object!(@finish $kind $field $wire),)*
                            $($extra,)?
                        })
                    }
                }

                $crate::runtime::object!(@deserialize deserializer __Visitor $name [$($wire)*] [$($extra)?])
            }
        }
    };
    (@read absent_or_null $map:ident $field:ident $wire:literal) => {
        $crate::runtime::read_present(&mut $map, &mut $field, $wire)
    };
    (@read $kind:ident $map:ident $field:ident $wire:literal) => {
        $crate::runtime::read(&mut $map, &mut $field, $wire)
    };
    (@other $map:ident $key:ident) => {
        $map.next_value::<serde::de::IgnoredAny>().map(drop)
    };
    (@other $map:ident $key:ident $extra:ident) => {
        $map.next_value().map(|value| {
            $extra.insert($key.into_string(), value);
        })
    };
    (@finish required $field:ident $wire:literal) => {
        $crate::runtime::required($field, $wire)?
    };
    (@finish $kind:ident $field:ident $wire:literal) => { $field.unwrap_or_default() };
    (@deserialize $deserializer:ident $visitor:ident $name:ident [$($wire:literal)*] []) => {
        $deserializer.deserialize_struct(stringify!($name), &[$($wire),*], $visitor)
    };
    (@deserialize $deserializer:ident $visitor:ident $name:ident [$($wire:literal)*] [$extra:ident]) => {
        $deserializer.deserialize_map($visitor)
    };
    // Without other properties: a struct, as serde's derive writes it.
    (@serialize $this:ident $serializer:ident $name:ident [$($field:ident $wire:literal $kind:ident)*] []) => {{
        use serde::ser::SerializeStruct;
        let len = 0 $(+ $crate::runtime::object!(@count $kind $this.$field))*;
        #[allow(unused_mut)] // A struct without fields writes none.
        let mut state = $serializer.serialize_struct(stringify!($name), len)?;
        $($crate::runtime::object!(@field $kind state $wire $this.$field);)*
        state.end()
    }};
    // With them: a map, as serde's derive writes a struct with a flattened field.
    (@serialize $this:ident $serializer:ident $name:ident [$($field:ident $wire:literal $kind:ident)*] [$extra:ident]) => {{
        use serde::ser::SerializeMap;
        let mut state = $serializer.serialize_map(None)?;
        $($crate::runtime::object!(@entry $kind state $wire $this.$field);)*
        for (key, value) in &$this.$extra {
            state.serialize_entry(key, value)?;
        }
        state.end()
    }};
    (@count required $value:expr) => { 1 };
    (@count nullable $value:expr) => { 1 };
    (@count $kind:ident $value:expr) => { usize::from($value.is_some()) };
    (@field required $state:ident $wire:literal $value:expr) => { $state.serialize_field($wire, &$value)? };
    (@field nullable $state:ident $wire:literal $value:expr) => { $state.serialize_field($wire, &$value)? };
    (@field $kind:ident $state:ident $wire:literal $value:expr) => {
        $crate::runtime::serialize_field_if_some(&mut $state, $wire, &$value)?
    };
    (@entry required $state:ident $wire:literal $value:expr) => { $state.serialize_entry($wire, &$value)? };
    (@entry nullable $state:ident $wire:literal $value:expr) => { $state.serialize_entry($wire, &$value)? };
    (@entry $kind:ident $state:ident $wire:literal $value:expr) => {
        if $value.is_some() {
            $state.serialize_entry($wire, &$value)?;
        }
    };
}
#[allow(unused_imports)]
pub(crate) use object;

/// Reads the value of a property of `object!`'s struct into its slot; a second one is an error.
pub fn read<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    wire: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Like [`read`], for a property that may be absent or `null`: a present `null` is `Some(None)`.
pub fn read_present<'de, A: serde::de::MapAccess<'de>, T: serde::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<Option<T>>,
    wire: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(wire));
    }
    *slot = Some(Some(map.next_value()?));
    Ok(())
}

/// The value of a required property of `object!`'s struct, or the error that it is missing.
pub fn required<T, E: serde::de::Error>(slot: Option<T>, wire: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(wire))
}

/// Writes an optional field of `object!`'s struct, or skips it when it is `None`.
pub fn serialize_field_if_some<S: serde::ser::SerializeStruct, T: serde::Serialize>(
    state: &mut S,
    wire: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    if value.is_some() {
        state.serialize_field(wire, value)
    } else {
        state.skip_field(wire)
    }
}

/// A property name as read by `object!`'s decoding: borrowed from the input when it can be.
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, owned.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(
                self,
                value: &'de str,
            ) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(value)))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(value.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(value)))
            }
        }

        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// One alternative of a `oneOf`/`anyOf` enum.
pub struct Alternative<T> {
    /// Values of the tag property that select it.
    pub tags: &'static [&'static str],
    /// For an object alternative that accepts no other properties: the ones it knows; for a
    /// string enum alternative: its values (any other it takes as `Unknown`).
    pub keys: Option<&'static [&'static str]>,
    /// Decodes a value as this alternative.
    pub decode: fn(serde_json::Value) -> Result<T, serde_json::Error>,
}

/// Decodes a `oneOf`/`anyOf` value.
///
/// The tag property, when its value names alternatives, narrows the choice to them; a tag value
/// no alternative knows is `unknown` (a kind of value newer than the spec). Among the remaining
/// alternatives the one chosen decodes and leaves the fewest properties of the object (or, for
/// a string, none of its value) unknown to it (the first of equals) — never merely the first
/// that parses.
pub fn decode_one_of<T>(
    value: serde_json::Value,
    tag: Option<&str>,
    alternatives: &[Alternative<T>],
    unknown: Option<fn(serde_json::Value) -> T>,
) -> Result<T, String> {
    let tag_value = tag
        .and_then(|tag| value.get(tag))
        .and_then(serde_json::Value::as_str);
    let tagged: Vec<&Alternative<T>> = match tag_value {
        Some(tag_value) => alternatives
            .iter()
            .filter(|a| a.tags.contains(&tag_value))
            .collect(),
        None => Vec::new(),
    };
    let tags_known = alternatives.iter().any(|a| !a.tags.is_empty());
    let candidates: Vec<&Alternative<T>> = if !tagged.is_empty() {
        tagged
    } else if let (Some(unknown), Some(_), true) = (unknown, tag_value, tags_known) {
        return Ok(unknown(value));
    } else {
        alternatives.iter().collect()
    };
    let unknown_keys = |keys: Option<&[&str]>| match (&value, keys) {
        (serde_json::Value::Object(object), Some(keys)) => object
            .keys()
            .filter(|k| !keys.contains(&k.as_str()))
            .count(),
        (serde_json::Value::String(text), Some(values)) => {
            usize::from(!values.contains(&text.as_str()))
        }
        _ => 0,
    };
    let mut best: Option<(usize, T)> = None;
    let mut errors = Vec::new();
    for alternative in candidates {
        match (alternative.decode)(value.clone()) {
            Ok(decoded) => {
                let misfit = unknown_keys(alternative.keys);
                if misfit == 0 {
                    return Ok(decoded);
                }
                if best.as_ref().is_none_or(|(least, _)| misfit < *least) {
                    best = Some((misfit, decoded));
                }
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    match best {
        Some((_, decoded)) => Ok(decoded),
        None => Err(format!(
            "the value matches none of the alternatives ({})",
            errors.join("; ")
        )),
    }
}

/// Checks values against the spec's limits before they are sent.
pub trait Validate {
    /// Adds a line to `problems` for each limit broken; `at` names the value (`body.amount`).
    fn validate(&self, at: &str, problems: &mut Vec<String>);
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &str, problems: &mut Vec<String>) {
        if let Some(value) = self {
            value.validate(at, problems);
        }
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, at: &str, problems: &mut Vec<String>) {
        (**self).validate(at, problems);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &str, problems: &mut Vec<String>) {
        for (i, item) in self.iter().enumerate() {
            item.validate(&format!("{at}[{i}]"), problems);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, at: &str, problems: &mut Vec<String>) {
        for (key, value) in self {
            value.validate(&format!("{at}.{key}"), problems);
        }
    }
}

/// `at.name`, or `name` at the top level: where a value sits, for messages.
fn place(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_owned()
    } else {
        format!("{at}.{name}")
    }
}

/// Checks a number against `minimum`/`maximum` (each with whether it is exclusive).
pub fn check_number(
    at: &str,
    name: &str,
    value: f64,
    minimum: Option<(f64, bool)>,
    maximum: Option<(f64, bool)>,
    problems: &mut Vec<String>,
) {
    if let Some((limit, exclusive)) = minimum {
        if value < limit || (exclusive && value == limit) {
            let relation = if exclusive {
                "greater than"
            } else {
                "at least"
            };
            problems.push(format!(
                "{} must be {relation} {limit}, not {value}",
                place(at, name)
            ));
        }
    }
    if let Some((limit, exclusive)) = maximum {
        if value > limit || (exclusive && value == limit) {
            let relation = if exclusive { "less than" } else { "at most" };
            problems.push(format!(
                "{} must be {relation} {limit}, not {value}",
                place(at, name)
            ));
        }
    }
}

/// Checks the length of a string in characters against `minLength`/`maxLength`.
pub fn check_length(
    at: &str,
    name: &str,
    value: &str,
    min: Option<usize>,
    max: Option<usize>,
    problems: &mut Vec<String>,
) {
    let length = value.chars().count();
    if let Some(limits) = outside(length, min, max) {
        problems.push(format!(
            "{} must be {limits} characters long, not {length}",
            place(at, name)
        ));
    }
}

/// Checks the number of items of a list against `minItems`/`maxItems`.
pub fn check_items(
    at: &str,
    name: &str,
    count: usize,
    min: Option<usize>,
    max: Option<usize>,
    problems: &mut Vec<String>,
) {
    if let Some(limits) = outside(count, min, max) {
        problems.push(format!(
            "{} must have {limits} items, not {count}",
            place(at, name)
        ));
    }
}

/// Checks which properties are set against an `anyOf` (or, `exactly_one`, a `oneOf`) of
/// alternatives that only require properties: `sets` holds, per alternative, whether each of its
/// properties is set; `wanted` says in words what the rule asks for.
pub fn check_presence(
    at: &str,
    sets: &[&[bool]],
    exactly_one: bool,
    wanted: &str,
    problems: &mut Vec<String>,
) {
    let met = sets.iter().filter(|set| set.iter().all(|&set| set)).count();
    if met == 0 || (exactly_one && met > 1) {
        let place = if at.is_empty() { "the value" } else { at };
        problems.push(format!("{place} must set {wanted}, not {met} of them"));
    }
}

/// The broken limits in words (`at most 10`), if `count` is outside them.
fn outside(count: usize, min: Option<usize>, max: Option<usize>) -> Option<String> {
    let low = min.filter(|&min| count < min);
    let high = max.filter(|&max| count > max);
    if low.is_none() && high.is_none() {
        return None;
    }
    Some(match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (_, Some(max)) => format!("at most {max}"),
        (None, None) => String::new(),
    })
}

/// Records a string that does not match its `pattern` (`matched` is `None` when the pattern
/// could not be compiled, which is not the value's fault).
pub fn check_pattern(
    at: &str,
    name: &str,
    matched: Option<bool>,
    pattern: &str,
    problems: &mut Vec<String>,
) {
    if matched == Some(false) {
        problems.push(format!(
            "{} must match the pattern `{pattern}`",
            place(at, name)
        ));
    }
}

/// A response as received, before decoding.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    body: bytes::Bytes,
}

/// A request that could not be sent or answered.
enum Failure {
    Request(RequestError),
    Timeout(TransportError),
    Transport(TransportError),
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Request(e) => Error::InvalidRequest(e),
            Failure::Timeout(e) => Error::Timeout(e),
            Failure::Transport(e) => Error::Transport(e),
        }
    }
}

/// A request ready to send, again on each attempt.
struct Ready {
    method: Method,
    url: reqwest::Url,
    headers: HeaderMap,
    body: Option<bytes::Bytes>,
    secret_in_url: bool,
}

impl Client {
    /// Sends a request (with retries) and reads the whole response. Not generic, so compiled
    /// once; one `tracing` span per call, with the operation, method, path template, attempt,
    /// status and request id — never credentials or bodies.
    async fn exchange(&self, mut request: Request) -> Result<RawResponse, Failure> {
        // A request found invalid while it was described is not sent.
        if let Some(error) = request.error.take() {
            return Err(Failure::Request(error));
        }
        let span = tracing::info_span!(
            "request",
            operation = request.operation,
            method = %request.method,
            path = request.template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        self.exchange_in(request, span.clone())
            .instrument(span)
            .await
    }

    async fn exchange_in(
        &self,
        request: Request,
        span: tracing::Span,
    ) -> Result<RawResponse, Failure> {
        let inner = &*self.inner;
        let operation = request.operation;
        let safe = request.idempotent
            || matches!(
                request.method,
                Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
            );
        let max_retries = if safe {
            self.options.max_retries.unwrap_or(inner.retry.max_retries)
        } else {
            0
        };
        let timeout = self.options.timeout.or(inner.timeout);
        let prepared = self.prepare(request)?;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let retries_left = attempt <= max_retries;
            let outcome = self.attempt(&prepared, operation, attempt, timeout).await;
            let wait = match &outcome {
                Ok(raw) => {
                    span.record("status", raw.status.as_u16());
                    if let Some(id) = &raw.request_id {
                        span.record("request_id", id.as_str());
                    }
                    let retryable =
                        matches!(raw.status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504);
                    (retryable && retries_left).then(|| {
                        retry_after(&raw.headers)
                            .map(|wait| wait.min(inner.retry.max_retry_after))
                            .unwrap_or_else(|| backoff(&inner.retry, attempt))
                    })
                }
                Err(Failure::Timeout(_) | Failure::Transport(_)) if retries_left => {
                    Some(backoff(&inner.retry, attempt))
                }
                Err(_) => None,
            };
            match wait {
                Some(wait) => {
                    tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                }
                None => return outcome,
            }
        }
    }

    /// Resolves the URL, credentials and headers once for all attempts.
    fn prepare(&self, request: Request) -> Result<Ready, Failure> {
        let inner = &*self.inner;
        let operation = request.operation;
        let invalid = |message: String| Failure::Request(RequestError { operation, message });

        // The base URL's path, then the operation's: only the path is parsed again (the
        // scheme and host were checked once, when the client was built).
        let mut url = match request.server.filter(|_| inner.spec_server) {
            Some(own) => reqwest::Url::parse(own)
                .map_err(|_| invalid(format!("the spec's server for it, `{own}`, is not a URL")))?,
            None => inner.base.clone(),
        };
        let path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&path);
        let mut cookies = request.cookies;
        let mut headers = HeaderMap::new();
        let mut secret_in_url = false;
        headers.insert(header::USER_AGENT, inner.user_agent.clone());
        for (name, value) in &inner.default_headers {
            headers.insert(name.clone(), value.clone());
        }
        let chosen = request.security.iter().find(|schemes| {
            !schemes.is_empty() && schemes.iter().all(|s| inner.credentials.contains_key(s))
        });
        let mut query = request.query;
        for scheme in chosen.copied().unwrap_or_default() {
            match inner.credentials.get(scheme) {
                Some(Prepared::Header(name, value)) => {
                    headers.insert(name.clone(), value.clone());
                }
                Some(Prepared::Query(name, value)) => {
                    query.push((Cow::Borrowed(name), value.expose().to_owned()));
                    secret_in_url = true;
                }
                Some(Prepared::Cookie(name, value)) => {
                    cookies.push((name, value.expose().to_owned()));
                }
                None => {}
            }
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        if let Some(accept) = request.accept {
            headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
        }
        for (name, value) in request.headers {
            let value = HeaderValue::from_str(&value).map_err(|_| {
                invalid(format!(
                    "header parameter `{name}` has characters HTTP does not allow"
                ))
            })?;
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                invalid(format!(
                    "header parameter `{name}` is not a valid header name"
                ))
            })?;
            headers.append(name, value);
        }
        if let Some(basic) = &inner.url_basic {
            // The lowest priority: any credential or header of the call's own comes first.
            if !headers.contains_key(header::AUTHORIZATION) {
                headers.insert(header::AUTHORIZATION, basic.clone());
            }
        }
        if !cookies.is_empty() {
            let joined = cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            let mut value = HeaderValue::from_str(&joined)
                .map_err(|_| invalid("a cookie has characters HTTP does not allow".to_owned()))?;
            value.set_sensitive(true);
            headers.insert(header::COOKIE, value);
        }
        let body = request.body.map(|(content_type, body)| {
            let value = match &request.boundary {
                // The boundary is made of letters, digits and `-`: always a valid value.
                Some(boundary) => {
                    HeaderValue::from_str(&format!("{content_type}; boundary={boundary}"))
                        .unwrap_or(HeaderValue::from_static("multipart/form-data"))
                }
                None => match content_type {
                    Cow::Borrowed(content_type) => HeaderValue::from_static(content_type),
                    // The caller's, checked by `raw_body_as`.
                    Cow::Owned(content_type) => HeaderValue::from_str(&content_type)
                        .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                },
            };
            headers.insert(header::CONTENT_TYPE, value);
            bytes::Bytes::from(body)
        });
        Ok(Ready {
            method: request.method,
            url,
            headers,
            body,
            secret_in_url,
        })
    }

    /// One attempt: send, run the hooks, read the whole body.
    async fn attempt(
        &self,
        prepared: &Ready,
        operation: &'static str,
        attempt: u32,
        timeout: Option<Duration>,
    ) -> Result<RawResponse, Failure> {
        let inner = &*self.inner;
        // Built directly rather than through `RequestBuilder`, which would merge the prepared
        // headers into an empty map one by one.
        let mut request = reqwest::Request::new(prepared.method.clone(), prepared.url.clone());
        *request.headers_mut() = prepared.headers.clone();
        *request.body_mut() = prepared.body.clone().map(reqwest::Body::from);
        *request.timeout_mut() = timeout;
        let secret_in_url = prepared.secret_in_url;
        let transport = |e: reqwest::Error| {
            // A URL holding an API key must not reach error messages.
            let source = if secret_in_url { e.without_url() } else { e };
            let error = TransportError { operation, source };
            if error.source.is_timeout() {
                Failure::Timeout(error)
            } else {
                Failure::Transport(error)
            }
        };
        for hook in &inner.on_request {
            hook(&mut request);
        }
        let mut response = inner.http.execute(request).await.map_err(transport)?;
        let status = response.status();
        // Taken, not copied: reading the body does not look at them.
        let headers = std::mem::take(response.headers_mut());
        for hook in &inner.on_response {
            hook(&ResponseInfo {
                operation,
                attempt,
                status,
                headers: &headers,
            });
        }
        let request_id = headers
            .get(&inner.request_id_header)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.map_err(transport)?;
        Ok(RawResponse {
            status,
            headers,
            request_id,
            body,
        })
    }
}

/// The server's `Retry-After`: delay-seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Full jitter: a random wait up to `min(max_backoff, initial_backoff × 2^(attempt - 1))`.
fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let ceiling = policy
        .initial_backoff
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
        .min(policy.max_backoff);
    // Randomness for spreading retries out, not for secrets: the standard library's per-process
    // random hash keys, mixed with the time.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(attempt);
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    let fraction = (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64;
    ceiling.mul_f64(fraction)
}

/// The items of a cursor-paginated list, page after page, fetched lazily.
///
/// `fetch` gets one page for the parameters; `items` takes the items out of it; `advance` moves
/// the parameters past the last item (`false` when it cannot: the item has no id); `page_size`
/// says how many items a full page has. The stream ends after a page that is empty or shorter
/// than the page size, and after an error.
pub fn paginate<'a, P, Page, T, E, F, Fut>(
    params: P,
    fetch: F,
    items: fn(Page) -> Vec<T>,
    advance: fn(&mut P, &T) -> bool,
    page_size: fn(&P) -> Option<i64>,
) -> impl futures_util::Stream<Item = Result<T, Error<E>>> + 'a
where
    P: Clone + 'a,
    Page: 'a,
    T: 'a,
    E: 'a,
    F: Fn(P) -> Fut + Clone + 'a,
    Fut: std::future::Future<Output = Result<Page, Error<E>>> + 'a,
{
    struct Pager<P, T> {
        next: Option<P>,
        buffer: std::collections::VecDeque<T>,
    }
    let start = Pager {
        next: Some(params),
        buffer: std::collections::VecDeque::new(),
    };
    futures_util::stream::unfold(start, move |mut pager| {
        let fetch = fetch.clone();
        async move {
            loop {
                if let Some(item) = pager.buffer.pop_front() {
                    return Some((Ok(item), pager));
                }
                let params = pager.next.take()?;
                let page = match fetch(params.clone()).await {
                    Ok(page) => items(page),
                    Err(e) => return Some((Err(e), pager)),
                };
                let full = match page_size(&params) {
                    Some(size) => page.len() as i64 >= size,
                    None => true,
                };
                if full {
                    if let Some(last) = page.last() {
                        let mut next = params;
                        if advance(&mut next, last) {
                            pager.next = Some(next);
                        }
                    }
                }
                pager.buffer.extend(page);
            }
        }
    })
}

/// What an operation's plain method returns: the decoded body of `call`'s response alone.
pub async fn into_inner<T, E>(
    call: impl std::future::Future<Output = Result<ResponseValue<T>, Error<E>>>,
) -> Result<T, Error<E>> {
    call.await.map(ResponseValue::into_inner)
}

// The operation methods' futures are `Send`, so they can be spawned on a multi-threaded
// runtime. Checked here once for any body type and error set rather than in each method's
// signature, where proving it again per operation cost an eighth more instructions in
// `cargo check` of Circle's whole client.
#[allow(dead_code)]
fn calls_are_send<T, S, E>(client: &Client)
where
    T: DeserializeOwned + Send,
    S: SuccessBody + Send,
    E: ErrorBody + Send,
{
    fn send<F: std::future::Future + Send>(_: F) {}
    let request = || Request::new("", Method::GET, "");
    send(into_inner(send_json::<T, E>(client, request())));
    send(into_inner(send_empty::<E>(client, request())));
    send(into_inner(send_text::<E>(client, request())));
    send(into_inner(send_bytes::<E>(client, request())));
    send(into_inner(send_by_status::<S, E>(client, request())));
}

/// Sends a request whose success body is JSON of type `T`.
pub async fn send_json<T: DeserializeOwned, E: ErrorBody>(
    client: &Client,
    mut request: Request,
) -> Result<ResponseValue<T>, Error<E>> {
    request.accept("application/json");
    let operation = request.operation;
    let raw = client.exchange(request).await?;
    finish(operation, raw, |body| Some(serde_json::from_slice(body)))
}

/// Sends a request whose success response has no body (any body is ignored).
pub async fn send_empty<E: ErrorBody>(
    client: &Client,
    request: Request,
) -> Result<ResponseValue<()>, Error<E>> {
    let operation = request.operation;
    let raw = client.exchange(request).await?;
    finish(operation, raw, |_| Some(Ok(())))
}

/// Sends a request whose success body is text.
pub async fn send_text<E: ErrorBody>(
    client: &Client,
    request: Request,
) -> Result<ResponseValue<String>, Error<E>> {
    let operation = request.operation;
    let raw = client.exchange(request).await?;
    finish(operation, raw, |body| {
        Some(Ok(String::from_utf8_lossy(body).into_owned()))
    })
}

/// Sends a request whose success body is kept as bytes.
pub async fn send_bytes<E: ErrorBody>(
    client: &Client,
    request: Request,
) -> Result<ResponseValue<Vec<u8>>, Error<E>> {
    let operation = request.operation;
    let raw = client.exchange(request).await?;
    finish(operation, raw, |body| Some(Ok(body.to_vec())))
}

/// Sends a request whose success statuses have different bodies, which `T` tells apart by
/// status. A success status `T` does not document is [`Error::UnexpectedStatus`].
pub async fn send_by_status<T: SuccessBody, E: ErrorBody>(
    client: &Client,
    request: Request,
) -> Result<ResponseValue<T>, Error<E>> {
    let operation = request.operation;
    let raw = client.exchange(request).await?;
    let status = raw.status.as_u16();
    finish(operation, raw, |body| T::from_response(status, body))
}

/// Decodes a response: success bodies with `decode` (`None`: a success status the operation
/// does not expect), others by status into `E`.
fn finish<T, E: ErrorBody>(
    operation: &'static str,
    raw: RawResponse,
    decode: impl FnOnce(&[u8]) -> Option<Result<T, serde_json::Error>>,
) -> Result<ResponseValue<T>, Error<E>> {
    if raw.status.is_success() {
        return match decode(&raw.body) {
            Some(Ok(value)) => Ok(ResponseValue {
                value,
                status: raw.status,
                headers: raw.headers,
                request_id: raw.request_id,
            }),
            Some(Err(source)) => Err(Error::InvalidBody(Box::new(InvalidBody {
                response: UnexpectedResponse::new(operation, raw),
                source,
            }))),
            None => Err(Error::UnexpectedStatus(Box::new(UnexpectedResponse::new(
                operation, raw,
            )))),
        };
    }
    match E::from_response(raw.status.as_u16(), &raw.body) {
        Some(Ok(body)) => Err(Error::Api(Box::new(ApiError {
            operation,
            status: raw.status,
            request_id: raw.request_id,
            headers: raw.headers,
            body,
        }))),
        Some(Err(source)) => Err(Error::InvalidBody(Box::new(InvalidBody {
            response: UnexpectedResponse::new(operation, raw),
            source,
        }))),
        None => Err(Error::UnexpectedStatus(Box::new(UnexpectedResponse::new(
            operation, raw,
        )))),
    }
}

/// The error bodies an operation documents, decoded by status code (never by shape).
pub trait ErrorBody: Sized {
    /// The body for `status`: `None` when the operation documents no response for it.
    fn from_response(status: u16, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

/// The success bodies of an operation whose success statuses have different ones (a list for
/// 200 and nothing for 202, say), decoded by status code.
pub trait SuccessBody: Sized {
    /// The body for `status`: `None` when the operation documents no response for it.
    fn from_response(status: u16, body: &[u8]) -> Option<Result<Self, serde_json::Error>>;
}

/// A successful response: the decoded body with the status and headers it came with. It
/// dereferences to the body.
pub struct ResponseValue<T> {
    value: T,
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
}

impl<T> ResponseValue<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The server's id for the request, from its request-id header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for ResponseValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseValue")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("value", &self.value)
            .finish()
    }
}

/// Why a call failed. `E` is the operation's own enum of documented error bodies.
///
/// Every variant knows the operation; those with a response also keep its status, headers and
/// request id (see [`Error::status`] and [`Error::request_id`]).
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the spec documents for this operation; the
    /// body was decoded into the variant of `E` for that status.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the spec does not document for this operation.
    UnexpectedStatus(Box<UnexpectedResponse>),
    /// The body could not be decoded into the type the spec gives for its status.
    InvalidBody(Box<InvalidBody>),
    /// The request could not be built from the arguments; nothing was sent.
    InvalidRequest(RequestError),
    /// The request did not complete within the timeout.
    Timeout(TransportError),
    /// Connecting, sending or receiving failed.
    Transport(TransportError),
}

impl<E> Error<E> {
    /// The `operationId` of the failed call.
    pub fn operation(&self) -> &'static str {
        match self {
            Error::Api(e) => e.operation,
            Error::UnexpectedStatus(e) => e.operation,
            Error::InvalidBody(e) => e.response.operation,
            Error::InvalidRequest(e) => e.operation,
            Error::Timeout(e) | Error::Transport(e) => e.operation,
        }
    }

    /// The HTTP status, if a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        self.response_parts().map(|(status, _, _)| status)
    }

    /// The server's request id, if a response arrived and carried one.
    pub fn request_id(&self) -> Option<&str> {
        self.response_parts().and_then(|(_, id, _)| id)
    }

    /// The response headers, if a response arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.response_parts().map(|(_, _, headers)| headers)
    }

    /// The documented error body, for [`Error::Api`].
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }

    fn response_parts(&self) -> Option<(StatusCode, Option<&str>, &HeaderMap)> {
        let response = match self {
            Error::Api(e) => return Some((e.status, e.request_id.as_deref(), &e.headers)),
            Error::UnexpectedStatus(e) => e,
            Error::InvalidBody(e) => &e.response,
            _ => return None,
        };
        Some((
            response.status,
            response.request_id.as_deref(),
            &response.headers,
        ))
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::UnexpectedStatus(e) => f.debug_tuple("UnexpectedStatus").field(e).finish(),
            Error::InvalidBody(e) => f.debug_tuple("InvalidBody").field(e).finish(),
            Error::InvalidRequest(e) => f.debug_tuple("InvalidRequest").field(e).finish(),
            Error::Timeout(e) => f.debug_tuple("Timeout").field(e).finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
        }
    }
}

/// ` (request id X)`, or nothing.
fn request_id_suffix(request_id: Option<&str>) -> String {
    request_id
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(
                f,
                "{}: the server answered {}{}: {:?}",
                e.operation,
                e.status,
                request_id_suffix(e.request_id.as_deref()),
                e.body
            ),
            Error::UnexpectedStatus(e) => write!(
                f,
                "{}: the server answered {}, which the spec does not document{}: {}",
                e.operation,
                e.status,
                request_id_suffix(e.request_id.as_deref()),
                e.body_excerpt()
            ),
            Error::InvalidBody(e) => write!(
                f,
                "{}: the body of the {} response does not match the spec{}: {}; the body was: {}",
                e.response.operation,
                e.response.status,
                request_id_suffix(e.response.request_id.as_deref()),
                e.source,
                e.response.body_excerpt()
            ),
            Error::InvalidRequest(e) => write!(f, "{}: {}", e.operation, e.message),
            Error::Timeout(e) => write!(f, "{}: the request timed out: {}", e.operation, e.source),
            Error::Transport(e) => write!(f, "{}: the request failed: {}", e.operation, e.source),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidBody(e) => Some(&e.source),
            Error::Timeout(e) | Error::Transport(e) => Some(&e.source),
            _ => None,
        }
    }
}

impl<E> From<RequestError> for Error<E> {
    fn from(error: RequestError) -> Self {
        Error::InvalidRequest(error)
    }
}

/// A documented error response.
pub struct ApiError<E> {
    /// The `operationId` of the call.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The server's request id.
    pub request_id: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, decoded by status.
    pub body: E,
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body", &self.body)
            .finish_non_exhaustive()
    }
}

/// A response the client could not make sense of, with its raw body.
pub struct UnexpectedResponse {
    /// The `operationId` of the call.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The server's request id.
    pub request_id: Option<String>,
    /// The response headers.
    pub headers: HeaderMap,
    /// The start of the body (up to 16 KiB) as text, invalid UTF-8 replaced.
    pub body: String,
    /// The length of the whole body in bytes.
    pub body_len: usize,
}

/// How much of an unexpected body is kept: enough to see what it is (an HTML error page from a
/// proxy, a JSON error), not a whole download.
const KEPT_BODY: usize = 16 * 1024;

impl UnexpectedResponse {
    fn new(operation: &'static str, raw: RawResponse) -> Self {
        let kept = &raw.body[..raw.body.len().min(KEPT_BODY)];
        UnexpectedResponse {
            operation,
            status: raw.status,
            request_id: raw.request_id,
            headers: raw.headers,
            body: String::from_utf8_lossy(kept).into_owned(),
            body_len: raw.body.len(),
        }
    }

    /// The start of the body, short enough for a log line.
    pub fn body_excerpt(&self) -> String {
        const MAX: usize = 200;
        if self.body.chars().count() <= MAX && self.body.len() == self.body_len {
            return self.body.clone();
        }
        let cut: String = self.body.chars().take(MAX).collect();
        format!("{cut}… ({} bytes in all)", self.body_len)
    }
}

impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body", &self.body_excerpt())
            .finish_non_exhaustive()
    }
}

/// A body that does not match the type the spec gives it.
#[derive(Debug)]
pub struct InvalidBody {
    /// The response.
    pub response: UnexpectedResponse,
    /// What the decoder said.
    pub source: serde_json::Error,
}

/// A request that could not be built from the arguments.
#[derive(Debug)]
pub struct RequestError {
    /// The `operationId` of the call.
    pub operation: &'static str,
    /// What is wrong.
    pub message: String,
}

/// A failure to connect, send or receive.
#[derive(Debug)]
pub struct TransportError {
    /// The `operationId` of the call.
    pub operation: &'static str,
    /// What `reqwest` said.
    pub source: reqwest::Error,
}
