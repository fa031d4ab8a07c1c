//! Which list operations are paginated by cursor, and how to follow their pages.

use crate::config::PaginationNames;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Api, Body, Field, Method, Pagination, ParamLocation, TypeKind, TypeRef};

/// Marks every GET whose query has the `after` parameter and whose response holds an `items`
/// array of objects with an `id` (or the property `apigen.toml` names for the operation). A
/// list with the cursor parameter whose items have no such property gets no stream, and a
/// warning saying how to name one.
pub(super) fn detect(api: &mut Api, names: &PaginationNames, diags: &mut Diagnostics) {
    let mut no_cursor: Vec<(usize, String)> = Vec::new();
    let found: Vec<(usize, Pagination)> =
        api.operations
            .iter()
            .enumerate()
            .filter_map(|(i, op)| {
                if op.method != Method::Get {
                    return None;
                }
                let params = match api.types.get(&op.params?).map(|d| &d.kind) {
                    Some(TypeKind::Params(params)) => params,
                    _ => return None,
                };
                let query = |wire: &str| {
                    params.params.iter().find(|p| {
                        p.wire == wire && p.location == ParamLocation::Query && !p.required
                    })
                };
                let after = query(&names.after)?;
                let before = names.before.as_deref().and_then(query);
                let size = names.size.as_deref().and_then(query).filter(|p| {
                    matches!(
                        p.ty,
                        TypeRef::Primitive(crate::ir::Primitive::I32 | crate::ir::Primitive::I64)
                    )
                });
                let Body::Json(TypeRef::Named(page)) = &op.success else {
                    return None;
                };
                let items = struct_field(api, page, &names.items)?;
                let TypeRef::Array(item) = &items.ty else {
                    return None;
                };
                let TypeRef::Named(item_id) = item.as_ref() else {
                    return None;
                };
                let cursor_is_string = after.ty == TypeRef::Primitive(crate::ir::Primitive::String);
                if !plain_option(items) {
                    return None;
                }
                let one_of = matches!(
                    api.types.get(item_id).map(|d| &d.kind),
                    Some(TypeKind::OneOf(_))
                );
                // `oneOf` items: the id is read from their JSON. Else `id`, or `<type>Id`
                // (Circle's `Wallet` has `walletId`).
                let (id, id_ty, id_optional) = if one_of {
                    if !cursor_is_string {
                        return None;
                    }
                    let string = TypeRef::Primitive(crate::ir::Primitive::String);
                    (names.id.clone(), string, true)
                } else {
                    let own_id = api.types.get(item_id).map(|d| {
                        let mut name = d.name.clone();
                        if let Some(first) = name.get_mut(..1) {
                            first.make_ascii_lowercase();
                        }
                        format!("{name}Id")
                    });
                    let id = match names.id_by_operation.get(&op.operation_id) {
                        Some(wire) => struct_field(api, item_id, wire),
                        None => struct_field(api, item_id, &names.id)
                            .or_else(|| own_id.and_then(|own| struct_field(api, item_id, &own))),
                    };
                    let Some(id) = id else {
                        let item = api.types.get(item_id).map_or("", |d| d.name.as_str());
                        no_cursor.push((i, item.to_owned()));
                        return None;
                    };
                    if !(after.ty == id.ty || cursor_is_string) || !plain_option(id) {
                        return None;
                    }
                    (id.name.clone(), id.ty.clone(), is_option(id))
                };
                Some((
                    i,
                    Pagination {
                        stream: String::new(),
                        after: after.name.clone(),
                        after_ty: after.ty.clone(),
                        before: before.map(|p| p.name.clone()),
                        size: size.map(|p| p.name.clone()),
                        size_i32: size
                            .is_some_and(|p| p.ty == TypeRef::Primitive(crate::ir::Primitive::I32)),
                        items: items.name.clone(),
                        items_optional: is_option(items),
                        item: item.as_ref().clone(),
                        id,
                        id_ty,
                        id_optional,
                        id_from_json: one_of,
                    },
                ))
            })
            .collect();
    // `<method>_stream`, unless an operation is named so (with its `_with_response` twin).
    let mut methods = crate::names::Namespace::default();
    for op in &api.operations {
        methods.insert(&op.method_name);
        methods.insert(&crate::names::suffixed(&op.method_name, "with_response"));
    }
    for (i, mut pagination) in found {
        pagination.stream = methods.claim(&crate::names::suffixed(
            &api.operations[i].method_name,
            "stream",
        ));
        api.operations[i].pagination = Some(pagination);
    }
    for (i, item) in no_cursor {
        let op = &api.operations[i];
        let property = names
            .id_by_operation
            .get(&op.operation_id)
            .unwrap_or(&names.id);
        diags.push(
            Diagnostic::warning(format!(
                "`{}` takes the cursor `{}`, but its items (`{item}`) have no `{property}` to \
                 page after, so it gets no `{}`",
                op.operation_id,
                names.after,
                crate::names::suffixed(&op.method_name, "stream")
            ))
            .with_code("pagination-without-cursor")
            .at(&op.origin)
            .in_operation(Some(&op.operation_id))
            .with_hint(format!(
                "name the item property that holds the cursor in apigen.toml: \
                 `pagination = {{ id_by_operation = {{ {} = \"<property>\" }} }}`",
                op.operation_id
            )),
        );
    }
}

fn struct_field<'a>(api: &'a Api, id: &crate::ir::TypeId, wire: &str) -> Option<&'a Field> {
    match api.types.get(id).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().find(|f| f.wire == wire),
        _ => None,
    }
}

/// `Option<T>` in Rust: not required, or nullable.
fn is_option(field: &Field) -> bool {
    !field.required || field.nullable
}

/// Not the `Option<Option<T>>` of an optional nullable field.
fn plain_option(field: &Field) -> bool {
    field.required || !field.nullable
}
