//! A plain-text outline of the IR: every type and operation on a line or two, with the Rust
//! names chosen. Snapshot tests pin lowering with it, separately from emission.

use super::{Api, Body, ParamLocation, StatusMatch, TypeKind, TypeRef};
use std::fmt::Write;

impl Api {
    /// The outline.
    pub fn outline(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "api: {} {}", self.title, self.version);
        for server in &self.servers {
            let _ = writeln!(out, "server {}: {}", server.name, server.url);
        }
        for scheme in &self.security_schemes {
            let _ = writeln!(
                out,
                "security {}: {:?} via ClientBuilder::{}",
                scheme.key, scheme.kind, scheme.method_name
            );
        }
        let _ = writeln!(out, "request id header: {}", self.request_id_header);
        let mut types: Vec<_> = self.types.values().collect();
        types.sort_by(|a, b| a.name.cmp(&b.name));
        for def in types {
            let _ = write!(out, "type {} ({}): ", def.name, def.origin);
            match &def.kind {
                TypeKind::Struct(s) => {
                    let _ = writeln!(out, "struct");
                    for f in &s.fields {
                        let mut ty = self.type_text(&f.ty);
                        if f.boxed {
                            ty = format!("Box<{ty}>");
                        }
                        if f.optional() {
                            ty = format!("Option<{ty}>");
                        }
                        let flags = [
                            (f.required, "required"),
                            (f.nullable, "nullable"),
                            (f.read_only, "read-only"),
                            (f.write_only, "write-only"),
                            (f.idempotency_key, "idempotency key"),
                        ]
                        .iter()
                        .filter(|(on, _)| *on)
                        .map(|(_, name)| *name)
                        .collect::<Vec<_>>()
                        .join(", ");
                        let constraints = if f.constraints.is_empty() {
                            String::new()
                        } else {
                            format!(" {:?}", f.constraints)
                        };
                        let _ = writeln!(
                            out,
                            "    {} ({:?}): {ty} [{flags}]{constraints}",
                            f.name, f.wire
                        );
                    }
                    if let Some(additional) = &s.additional {
                        let _ = writeln!(out, "    ..: {}", self.type_text(additional));
                    }
                }
                TypeKind::Enum(e) => {
                    let variants: Vec<String> = e
                        .variants
                        .iter()
                        .map(|v| format!("{}={:?}", v.name, v.wire))
                        .collect();
                    let _ = writeln!(out, "open enum {}", variants.join(" "));
                }
                TypeKind::IntEnum(e) => {
                    let variants: Vec<String> = e
                        .variants
                        .iter()
                        .map(|v| format!("{}={}", v.name, v.value))
                        .collect();
                    let _ = writeln!(out, "open integer enum {}", variants.join(" "));
                }
                TypeKind::OneOf(o) => {
                    let _ = writeln!(out, "one of, tag {:?}", o.tag);
                    for v in &o.variants {
                        let _ = writeln!(
                            out,
                            "    {}({}) tags {:?} keys {:?}",
                            v.name,
                            self.type_text(&v.ty),
                            v.tags,
                            v.keys
                        );
                    }
                }
                TypeKind::Params(p) => {
                    let _ = writeln!(out, "params of {}", p.method_name);
                    for param in &p.params {
                        let location = match param.location {
                            ParamLocation::Path => "path",
                            ParamLocation::Query => "query",
                            ParamLocation::Header => "header",
                            ParamLocation::Cookie => "cookie",
                        };
                        let required = if param.required {
                            "required"
                        } else {
                            "optional"
                        };
                        let _ = writeln!(
                            out,
                            "    {} ({location} {:?}, {required}): {}",
                            param.name,
                            param.wire,
                            self.type_text(&param.ty)
                        );
                    }
                }
                TypeKind::Errors(e) | TypeKind::Successes(e) => {
                    let what = match def.kind {
                        TypeKind::Errors(_) => "errors",
                        _ => "successes",
                    };
                    let _ = writeln!(out, "{what} of {}", e.method_name);
                    for v in &e.variants {
                        let status = match v.status {
                            StatusMatch::Code(code) => code.to_string(),
                            StatusMatch::Range(class) => format!("{class}XX"),
                            StatusMatch::Default => "default".to_owned(),
                        };
                        let _ = writeln!(
                            out,
                            "    {status} => {}({})",
                            v.name,
                            self.body_text(&v.body)
                        );
                    }
                }
            }
        }
        for op in &self.operations {
            let _ = writeln!(
                out,
                "operation {} ({}): {} {}",
                op.method_name,
                op.operation_id,
                op.method.as_str(),
                op.path.raw
            );
            for param in &op.path_params {
                let _ = writeln!(
                    out,
                    "    path {} ({:?}): {}",
                    param.name,
                    param.wire,
                    self.type_text(&param.ty)
                );
            }
            if let Some(params) = op.params.and_then(|id| self.types.get(&id)) {
                let _ = writeln!(out, "    params: {}", params.name);
            }
            if let Some(body) = &op.body {
                let required = if body.required {
                    "required"
                } else {
                    "optional"
                };
                let _ = writeln!(
                    out,
                    "    body ({required}, {}): {}",
                    body.media_type,
                    self.body_text(&body.body)
                );
            }
            let _ = writeln!(out, "    success: {}", self.body_text(&op.success));
            if let Some(errors) = self.types.get(&op.errors) {
                let _ = writeln!(out, "    errors: {}", errors.name);
            }
            let _ = writeln!(out, "    security: {:?}", op.security);
        }
        out
    }

    fn type_text(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Primitive(p) => format!("{p:?}"),
            TypeRef::Named(id) => self
                .types
                .get(id)
                .map_or_else(|| format!("#{}", id.0), |d| d.name.clone()),
            TypeRef::Array(item) => format!("Vec<{}>", self.type_text(item)),
            TypeRef::Map(value) => format!("Map<{}>", self.type_text(value)),
        }
    }

    fn body_text(&self, body: &Body) -> String {
        match body {
            Body::Empty => "empty".to_owned(),
            Body::Json(ty) => format!("json {}", self.type_text(ty)),
            Body::Form(ty) => format!("form {}", self.type_text(ty)),
            Body::Text => "text".to_owned(),
            Body::Multipart(parts) => {
                let parts: Vec<String> = parts
                    .iter()
                    .map(|p| {
                        let file = if p.file { " file" } else { "" };
                        let required = if p.required { "" } else { "?" };
                        format!("{}{required}{file}", p.name)
                    })
                    .collect();
                format!("multipart [{}]", parts.join(", "))
            }
            Body::Binary => "bytes".to_owned(),
            Body::ByStatus(id) => format!("by status {}", self.type_text(&TypeRef::Named(*id))),
        }
    }
}
