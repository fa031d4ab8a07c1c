//! The typed intermediate representation between the OpenAPI document and the emitted Rust.
//!
//! Lowering (`lower`) builds it, naming (`names`) gives every item its final Rust identifier,
//! and the emitters only read it. Types live in an arena keyed by [`TypeId`] in a `BTreeMap`, so
//! every walk over them has one deterministic order.

use crate::diagnostics::Pointer;
use std::collections::BTreeMap;

/// The whole API, ready to emit.
#[derive(Clone, Debug, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `servers`, in spec order; the first is the default.
    pub servers: Vec<Server>,
    /// `components.securitySchemes` the client can apply.
    pub security_schemes: Vec<SecurityScheme>,
    /// Every named type.
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Every operation, sorted by method name.
    pub operations: Vec<Operation>,
    /// The top-level `tags`, in spec order (operations may use others too).
    pub tags: Vec<Tag>,
    /// The response header that carries the request id (lowercase).
    pub request_id_header: String,
    /// The type of every schema position lowered, by the pointer of the position (where the
    /// schema or its `$ref` sits) — used to place examples. Empty when lowered for generation
    /// only (see `lower::Options::schema_sites`).
    pub schema_sites: BTreeMap<Pointer, SchemaSite>,
}

/// A tag from the top-level `tags` list.
#[derive(Clone, Debug)]
pub struct Tag {
    /// Its name, as operations list it.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
}

/// The type found at one schema position.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaSite {
    /// The type.
    pub ty: TypeRef,
    /// `nullable: true` at this position (the value may be `null`).
    pub nullable: bool,
}

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

/// A type as used by a field, parameter or body.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A built-in type.
    Primitive(Primitive),
    /// One of the named types in [`Api::types`].
    Named(TypeId),
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>` (ordered so that output is deterministic).
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// How many `Vec`s and maps this type nests: `Vec<BTreeMap<String, T>>` is 2.
    pub fn nesting(&self) -> usize {
        let mut depth = 0;
        let mut ty = self;
        while let TypeRef::Array(inner) | TypeRef::Map(inner) = ty {
            depth += 1;
            ty = inner;
        }
        depth
    }
}

/// Built-in types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `uuid::Uuid`.
    Uuid,
    /// `chrono::DateTime<chrono::Utc>`, RFC 3339 on the wire.
    DateTime,
    /// `chrono::NaiveDate`, `YYYY-MM-DD` on the wire.
    Date,
    /// `serde_json::Value`: any JSON.
    Json,
}

impl Primitive {
    /// The Rust type as written in the generated crate.
    pub fn rust_path(self) -> &'static str {
        match self {
            Primitive::String => "String",
            Primitive::Bool => "bool",
            Primitive::I32 => "i32",
            Primitive::I64 => "i64",
            Primitive::F64 => "f64",
            Primitive::Uuid => "uuid::Uuid",
            Primitive::DateTime => "chrono::DateTime<chrono::Utc>",
            Primitive::Date => "chrono::NaiveDate",
            Primitive::Json => "serde_json::Value",
        }
    }

    /// Whether the Rust type is `Copy`.
    pub fn is_copy(self) -> bool {
        !matches!(self, Primitive::String | Primitive::Json)
    }
}

/// A named type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// The Rust name, final after `names`.
    pub name: String,
    /// Where in the spec it comes from.
    pub origin: Pointer,
    /// Its description.
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// `deprecated: true` on the schema.
    pub deprecated: bool,
    /// The schema's `example`, or one put together from its properties' examples (for docs).
    pub example: Option<serde_json::Value>,
}

/// The kinds of named types.
#[derive(Clone, Debug)]
pub enum TypeKind {
    /// A struct with named fields (an object schema).
    Struct(Struct),
    /// A string enum, open: unknown values deserialize into `Unknown(String)`.
    Enum(StringEnum),
    /// The query and header parameters of one operation.
    Params(Params),
    /// The documented error responses of one operation, by status.
    Errors(StatusSet),
    /// The documented success responses of one operation, by status, when their bodies differ.
    Successes(StatusSet),
    /// `oneOf`/`anyOf`: one of several types.
    OneOf(OneOf),
    /// An integer enum, open: unknown values deserialize into `Unknown(i64)`.
    IntEnum(IntEnum),
}

/// `oneOf`/`anyOf` as an enum with one variant per alternative.
///
/// Decoding picks the variant by the tag property when there is one (from `discriminator`, or a
/// property every alternative declares with disjoint enum values), else by fit: the first
/// alternative that decodes and knows every key of the object.
#[derive(Clone, Debug, Default)]
pub struct OneOf {
    /// The alternatives, in spec order.
    pub variants: Vec<OneOfVariant>,
    /// `discriminator.propertyName`, if given.
    pub discriminator: Option<String>,
    /// `discriminator.mapping`: tag value → pointer of the schema it selects.
    pub mapping: Vec<(String, Pointer)>,
    /// The property that selects the variant (explicit or found), set after lowering.
    pub tag: Option<String>,
}

/// One alternative of a [`OneOf`].
#[derive(Clone, Debug)]
pub struct OneOfVariant {
    /// Rust variant name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Where its schema sits (for matching `discriminator.mapping`).
    pub origin: Pointer,
    /// Values of the tag property that select it.
    pub tags: Vec<String>,
    /// The property names of an object alternative that accepts no others, or the values of a
    /// string enum alternative (for fit).
    pub keys: Option<Vec<String>>,
}

/// An open integer enum.
#[derive(Clone, Debug, Default)]
pub struct IntEnum {
    /// The known values, in spec order.
    pub variants: Vec<IntVariant>,
}

/// One known value of an [`IntEnum`].
#[derive(Clone, Debug)]
pub struct IntVariant {
    /// Rust variant name.
    pub name: String,
    /// The value.
    pub value: i64,
}

/// Limits a value must respect, checked before a request is sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `minimum` and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum` and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern` (checked to compile; JavaScript `/.../` delimiters removed).
    pub pattern: Option<String>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// Adds `other`'s limits: where both set one, the narrower is kept, so that a value meets
    /// the result only if it meets both (of two patterns, which cannot be joined, `self`'s is
    /// kept).
    pub fn narrow(&mut self, other: Constraints) {
        // Of two lower bounds the higher one; at the same value, an exclusive one.
        let higher = |a: (f64, bool), b: (f64, bool)| if (b.0, b.1) > (a.0, a.1) { b } else { a };
        let lower = |a: (f64, bool), b: (f64, bool)| {
            if b.0 < a.0 || (b.0 == a.0 && b.1) {
                b
            } else {
                a
            }
        };
        self.minimum = pick(self.minimum, other.minimum, higher);
        self.maximum = pick(self.maximum, other.maximum, lower);
        self.min_length = pick(self.min_length, other.min_length, usize::max);
        self.max_length = pick(self.max_length, other.max_length, usize::min);
        self.min_items = pick(self.min_items, other.min_items, usize::max);
        self.max_items = pick(self.max_items, other.max_items, usize::min);
        if self.pattern.is_none() {
            self.pattern = other.pattern;
        }
    }
}

/// One of two optional limits: `both` chooses when each is set.
fn pick<T>(a: Option<T>, b: Option<T>, both: impl FnOnce(T, T) -> T) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(both(a, b)),
        (a, b) => a.or(b),
    }
}

/// An object schema.
#[derive(Clone, Debug, Default)]
pub struct Struct {
    /// The fields, in spec order.
    pub fields: Vec<Field>,
    /// The type of `additionalProperties` values, collected into a flattened map.
    pub additional: Option<TypeRef>,
    /// Rules on which properties are set together, checked before the struct is sent.
    pub rules: Vec<PresenceRule>,
}

/// An `anyOf` or `oneOf` whose alternatives only require properties (GitHub's gist update: a
/// description, or files, or both): a rule on which of a struct's properties are set.
#[derive(Clone, Debug, PartialEq)]
pub struct PresenceRule {
    /// `oneOf`: exactly one alternative may hold; `anyOf`: at least one must.
    pub exactly_one: bool,
    /// The properties (wire names) each alternative requires.
    pub sets: Vec<Vec<String>>,
}

impl PresenceRule {
    /// The keyword it was written with.
    pub fn keyword(&self) -> &'static str {
        if self.exactly_one { "oneOf" } else { "anyOf" }
    }

    /// What it asks for, in words: ``at least one of these to be set: `a`; `b` and `c` ``.
    pub fn wanted(&self) -> String {
        self.describe("these to be set", |wire| format!("`{wire}`"))
    }

    /// What it asks for, each property named by `name`: ``{how} {these}: {a}; {b} and {c}``.
    pub fn describe(&self, these: &str, name: impl Fn(&str) -> String) -> String {
        let sets: Vec<String> = self
            .sets
            .iter()
            .map(|set| {
                let names: Vec<String> = set.iter().map(|wire| name(wire)).collect();
                names.join(" and ")
            })
            .collect();
        let how = if self.exactly_one {
            "exactly one of"
        } else {
            "at least one of"
        };
        format!("{how} {these}: {}", sets.join("; "))
    }
}

/// A field of a struct.
#[derive(Clone, Debug)]
pub struct Field {
    /// Rust identifier (may be a raw identifier such as `r#type`).
    pub name: String,
    /// Property name on the wire.
    pub wire: String,
    /// The type, without the `Option` that `required`/`nullable` add.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// `readOnly: true`: sent by the server only.
    pub read_only: bool,
    /// Description of the property (or of the schema it refers to).
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Held in a `Box` because the type contains itself.
    pub boxed: bool,
    /// `writeOnly: true`: sent by the client only.
    pub write_only: bool,
    /// Limits checked before a request is sent.
    pub constraints: Constraints,
    /// `default`, for docs.
    pub default: Option<serde_json::Value>,
    /// The request's idempotency key: optional in Rust, filled with a fresh UUID v4 when unset.
    pub idempotency_key: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable || self.idempotency_key
    }

    /// Whether the field may be absent *and* may be `null`, which are told apart
    /// (`Option<Option<T>>`: `None` absent, `Some(None)` null).
    pub fn tri_state(&self) -> bool {
        !self.required && self.nullable
    }
}

/// An open string enum.
#[derive(Clone, Debug, Default)]
pub struct StringEnum {
    /// The known values, in spec order.
    pub variants: Vec<EnumVariant>,
}

/// One known value of a [`StringEnum`].
#[derive(Clone, Debug)]
pub struct EnumVariant {
    /// Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub wire: String,
    /// What the value means, when the spec says: the description of the `oneOf` alternative
    /// that holds it.
    pub doc: Option<String>,
}

/// The non-path parameters of an operation, as one struct.
#[derive(Clone, Debug, Default)]
pub struct Params {
    /// The operation's Rust method name, for docs.
    pub method_name: String,
    /// Query, header and cookie parameters, in spec order.
    pub params: Vec<Param>,
}

impl Params {
    /// Whether `Default` can be derived: every parameter is optional.
    pub fn all_optional(&self) -> bool {
        self.params.iter().all(|p| !p.required)
    }
}

/// Documented responses of an operation told apart by status: its errors, or its successes
/// when they do not all have the same body.
#[derive(Clone, Debug, Default)]
pub struct StatusSet {
    /// The operation's Rust method name, for docs.
    pub method_name: String,
    /// One variant per documented status (or class of statuses).
    pub variants: Vec<StatusVariant>,
}

/// One documented response.
#[derive(Clone, Debug)]
pub struct StatusVariant {
    /// Rust variant name.
    pub name: String,
    /// Which statuses it covers.
    pub status: StatusMatch,
    /// The body.
    pub body: Body,
    /// The response's description.
    pub doc: Option<String>,
}

/// Statuses a response applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A class such as `4XX` (the digit).
    Range(u16),
    /// `default`: every status not listed otherwise.
    Default,
}

/// The body of a request or response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// JSON of this type.
    Json(TypeRef),
    /// An `application/x-www-form-urlencoded` form of this object type (request bodies only:
    /// a form response is [`Body::Binary`]).
    Form(TypeRef),
    /// Text, kept as a `String`.
    Text,
    /// A `multipart/form-data` body the caller builds part by part (request bodies only: a
    /// multipart response is [`Body::Binary`]), with the parts the spec describes.
    Multipart(Vec<MultipartPart>),
    /// Bytes of any other media type.
    Binary,
    /// One of several bodies, chosen by status: a [`TypeKind::Successes`] (successes only).
    ByStatus(TypeId),
}

impl Body {
    /// The type of a typed body (JSON or a form).
    pub fn typed(&self) -> Option<&TypeRef> {
        match self {
            Body::Json(ty) | Body::Form(ty) => Some(ty),
            Body::Empty | Body::Text | Body::Multipart(_) | Body::Binary | Body::ByStatus(_) => {
                None
            }
        }
    }
}

/// A part of a `multipart/form-data` body, as the spec describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultipartPart {
    /// The part's name (the property's).
    pub name: String,
    /// Whether the spec requires it.
    pub required: bool,
    /// A file (`type: string` with `format: binary` or `byte`) rather than text.
    pub file: bool,
    /// The property's description.
    pub doc: Option<String>,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the URL path.
    Path,
    /// In the query string.
    Query,
    /// An HTTP header.
    Header,
    /// A cookie.
    Cookie,
}

/// A parameter of an operation.
#[derive(Clone, Debug)]
pub struct Param {
    /// Rust identifier.
    pub name: String,
    /// The name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type; arrays are sent exploded (`a=1&a=2`) in the query.
    pub ty: TypeRef,
    /// `required: true`.
    pub required: bool,
    /// Its description.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Limits checked before the request is sent.
    pub constraints: Constraints,
    /// `default`, for docs.
    pub default: Option<serde_json::Value>,
    /// `example` (the parameter's, else its schema's), for the docs' example calls.
    pub example: Option<serde_json::Value>,
    /// How a list or an object is written: the spec's `style` and `explode`.
    pub style: ParamStyle,
}

impl Param {
    /// How a list is sent in the query: `None`, one pair per item; else one pair, the items
    /// joined by this. Lists elsewhere are always comma-separated.
    pub fn list_separator(&self) -> Option<char> {
        match (self.location, self.style) {
            (_, ParamStyle::Joined(separator)) => Some(separator),
            (ParamLocation::Query, _) => None,
            _ => Some(','),
        }
    }
}

/// How a parameter's list or object is written, from its `style` and `explode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    /// Exploded. In the query (`form`, the default there): a pair per list item (`id=1&id=2`),
    /// a pair per object property (`from=a&to=b`). In the path, headers and cookies: a list
    /// comma-separated, an object as `from=a,to=b`.
    Exploded,
    /// One value: a list's items, or an object's names and values, joined by this
    /// (`id=1,2`, `window=from,a,to,b`): `form` and `simple` not exploded (`,`, the default
    /// outside the query), `spaceDelimited` (` `), `pipeDelimited` (`|`).
    Joined(char),
    /// `deepObject` (query): an object as `window[from]=a&window[to]=b`.
    Deep,
    /// `label` (path): `.` before the value (`.5`); a list `.3,4`, an object `.R,1,G,2`, or,
    /// exploded, `.3.4` and `.R=1.G=2`.
    Label {
        /// `explode: true`.
        explode: bool,
    },
    /// `matrix` (path): `;name=value` (`;id=5`); a list `;id=3,4`, an object `;c=R,1,G,2`, or,
    /// exploded, `;id=3;id=4` and `;R=1;G=2`.
    Matrix {
        /// `explode: true`.
        explode: bool,
    },
}

/// HTTP methods OpenAPI knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl Method {
    /// Upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

/// A path template, parsed once: `/v1/things/{id}/parts` → literal, parameter, literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as written in the spec.
    pub raw: String,
    /// Its pieces in order.
    pub segments: Vec<PathSegment>,
}

/// A piece of a [`PathTemplate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as is.
    Literal(String),
    /// A parameter (its wire name), percent-encoded when sent.
    Param(String),
}

/// A request body.
#[derive(Clone, Debug)]
pub struct RequestBody {
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// What is sent.
    pub body: Body,
    /// `required: true`; otherwise the method takes an `Option`.
    pub required: bool,
    /// Its description.
    pub doc: Option<String>,
    /// The body property filled with a fresh UUID v4 when the caller leaves it unset.
    pub idempotency_key: Option<String>,
    /// The media types and ranges a byte or text body may be sent as, when the caller picks
    /// one (a `content_type` argument): the spec gives a range (`*/*`, `image/*`) or several
    /// types. Empty when [`RequestBody::media_type`] is the one sent.
    pub media_choices: Vec<String>,
}

/// One operation: one method on the client.
#[derive(Clone, Debug)]
pub struct Operation {
    /// `operationId` (or one made up from method and path).
    pub operation_id: String,
    /// Rust method name.
    pub method_name: String,
    /// HTTP method.
    pub method: Method,
    /// The path.
    pub path: PathTemplate,
    /// Where it is in the spec.
    pub origin: Pointer,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `tags`.
    pub tags: Vec<String>,
    /// Path parameters, in template order: positional arguments of the method.
    pub path_params: Vec<Param>,
    /// The struct of the other parameters, if there are any.
    pub params: Option<TypeId>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// What a successful response holds.
    pub success: Body,
    /// The documented errors (always a [`TypeKind::Errors`]).
    pub errors: TypeId,
    /// Alternatives of security requirements: each inner list is a set of scheme names that
    /// must all be applied. Empty: no authentication.
    pub security: Vec<Vec<String>>,
    /// How to walk its pages, for a cursor-paginated list.
    pub pagination: Option<Pagination>,
    /// The server the spec sends it to instead of the spec's servers (its own `servers`, or
    /// its path item's), absolute.
    pub server: Option<String>,
}

/// A list operation paginated by cursor (Circle's `pageBefore`/`pageAfter`/`pageSize`): the next
/// page is asked for with the cursor set to the id of the last item. Names are Rust field names.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The name of the method that streams the items (`list_payments_stream`; numbered when an
    /// operation has that name already).
    pub stream: String,
    /// The parameter that takes the cursor (`page_after`).
    pub after: String,
    /// Its type (a string, or whatever the item id is).
    pub after_ty: TypeRef,
    /// The parameter for the other direction, cleared when following pages (`page_before`).
    pub before: Option<String>,
    /// The page size parameter (`page_size`), to tell a short (last) page.
    pub size: Option<String>,
    /// Whether the page size is an `i32` (else `i64`).
    pub size_i32: bool,
    /// The field of the response that holds the items (`data`), and whether it is an `Option`.
    pub items: String,
    /// Whether that field is an `Option`.
    pub items_optional: bool,
    /// The item type.
    pub item: TypeRef,
    /// The item's id field (`id`), its type and whether it is an `Option`.
    pub id: String,
    /// The id's type.
    pub id_ty: TypeRef,
    /// Whether the id field is an `Option`.
    pub id_optional: bool,
    /// The items are `oneOf` alternatives: the id is read from the item's JSON (`id` is then
    /// the wire name).
    pub id_from_json: bool,
}

/// A server from `servers`.
#[derive(Clone, Debug)]
pub struct Server {
    /// Rust variant name.
    pub name: String,
    /// URL, with variables replaced by their defaults.
    pub url: String,
    /// Its description.
    pub description: Option<String>,
}

/// A security scheme the client can apply.
#[derive(Clone, Debug)]
pub struct SecurityScheme {
    /// The key under `components.securitySchemes`.
    pub key: String,
    /// The builder method that sets its credential.
    pub method_name: String,
    /// How it is sent.
    pub kind: SecurityKind,
    /// Its description.
    pub doc: Option<String>,
}

/// How a credential is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecurityKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth 2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic ...`.
    Basic,
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in the query string.
    ApiKeyQuery(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
}

mod outline;
