//! `client.rs`: what of the client depends on the spec besides operations — the `Server` enum,
//! `Client::builder()` and one builder method per security scheme.

use super::doc::{DocBuilder, code};
use super::{Context, ident};
use crate::ir::SecurityKind;
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn client_rs(cx: &Context<'_>) -> TokenStream {
    let api = cx.api;
    let module_doc = DocBuilder::new()
        .line("Servers, client construction and credentials.")
        .inner();
    let user_agent = format!(
        "{}/{} apigen/{}",
        cx.config.crate_name,
        cx.crate_version,
        env!("CARGO_PKG_VERSION")
    );
    let request_id_header = &api.request_id_header;

    let (server_enum, default_base, builder_doc) = match api.servers.first() {
        Some(first) => {
            let default = ident(&first.name);
            (
                Some(server_enum(cx)),
                quote!(Some(Server::#default.url())),
                format!(
                    "Starts building a client; it talks to [`Server::{}`] unless told otherwise.",
                    first.name
                ),
            )
        }
        None => (
            None,
            quote!(None),
            "Starts building a client. The spec lists no server, so set one with \
             [`ClientBuilder::base_url`]."
                .to_owned(),
        ),
    };
    let builder_doc = DocBuilder::new().line(builder_doc).outer();
    let server_method = (!api.servers.is_empty()).then(|| {
        quote! {
            /// Talks to one of the spec's servers (replaces any earlier base URL).
            pub fn server(self, server: Server) -> Self {
                self.base_url(server.url())
            }
        }
    });
    let credential_methods = api.security_schemes.iter().map(|scheme| {
        let method = ident(&scheme.method_name);
        let key = &scheme.key;
        let (how, signature, credential) = match &scheme.kind {
            SecurityKind::Bearer => (
                "as `Authorization: Bearer <token>`".to_owned(),
                quote!(token: impl Into<String>),
                quote!(Credential::Bearer(Secret::new(token))),
            ),
            SecurityKind::Basic => (
                "as HTTP Basic authentication".to_owned(),
                quote!(username: impl Into<String>, password: impl Into<String>),
                quote!(Credential::Basic {
                    username: username.into(),
                    password: Secret::new(password)
                }),
            ),
            SecurityKind::ApiKeyHeader(name) => (
                format!("in the {} header", code(name)),
                quote!(key: impl Into<String>),
                quote!(Credential::Header { name: #name, value: Secret::new(key) }),
            ),
            SecurityKind::ApiKeyQuery(name) => (
                format!("as the {} query parameter", code(name)),
                quote!(key: impl Into<String>),
                quote!(Credential::Query { name: #name, value: Secret::new(key) }),
            ),
            SecurityKind::ApiKeyCookie(name) => (
                format!("as the {} cookie", code(name)),
                quote!(key: impl Into<String>),
                quote!(Credential::Cookie { name: #name, value: Secret::new(key) }),
            ),
        };
        let doc = DocBuilder::new()
            .line(format!(
                "Sets the credential of the {} security scheme, sent {how} to operations \
                 that require it. It never appears in `Debug` output or errors.",
                code(key)
            ))
            .markdown(scheme.doc.as_deref())
            .outer();
        quote! {
            #doc
            pub fn #method(self, #signature) -> Self {
                self.credential(#key, #credential)
            }
        }
    });
    let credential_import = (!api.security_schemes.is_empty()).then(|| quote!(Credential, Secret,));
    let server_urls = api.servers.iter().map(|server| &server.url);

    quote! {
        #module_doc
        use crate::runtime::{ApiDefaults, Client, ClientBuilder, #credential_import};

        #server_enum

        /// The default `User-Agent`: this crate and the generator, with their versions.
        const USER_AGENT: &str = #user_agent;

        impl Client {
            #builder_doc
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(ApiDefaults {
                    base_url: #default_base,
                    user_agent: USER_AGENT,
                    request_id_header: #request_id_header,
                    servers: &[#(#server_urls),*],
                })
            }
        }

        impl ClientBuilder {
            #server_method
            #(#credential_methods)*
        }
    }
}

fn server_enum(cx: &Context<'_>) -> TokenStream {
    let servers = &cx.api.servers;
    let variants = servers.iter().enumerate().map(|(i, server)| {
        let name = ident(&server.name);
        let doc = DocBuilder::new()
            .markdown(server.description.as_deref())
            .line(format!("<{}>", server.url))
            .outer();
        let default = (i == 0).then(|| quote!(#[default]));
        quote!(#doc #default #name,)
    });
    let urls = servers.iter().map(|server| {
        let name = ident(&server.name);
        let url = &server.url;
        quote!(Server::#name => #url,)
    });
    quote! {
        /// The servers the spec lists; the first is the default. For any other address use
        /// [`ClientBuilder::base_url`].
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum Server {
            #(#variants)*
        }

        impl Server {
            /// The base URL of the server.
            pub const fn url(self) -> &'static str {
                match self {
                    #(#urls)*
                }
            }
        }
    }
}
