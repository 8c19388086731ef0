//! A lab's entry point: its page in a wasm piece of its own, fetched the first time a learner
//! opens the lab (see ARCHITECTURE.md, "Loading a lab").
//!
//! `lab_entry!(lab_cache, CachePage)` in a lab's `mod.rs` declares `load()`, the registry's way
//! in. Everything only that page reaches (its views, its controller, its core model, its lesson)
//! moves into the piece `split_lab_cache.wasm` when the release build splits the wasm
//! (`scripts/build-wasm.mjs`); code several labs share moves into shared chunks. Natively (tests)
//! `load()` just calls the page.

use leptos::prelude::AnyView;
use std::future::Future;
use std::pin::Pin;

/// A lab's piece could not be fetched or instantiated (offline, or a deploy replaced the files).
/// Not cached: calling `load()` again tries afresh.
pub type LoadError = wasm_split_helpers::SplitLoaderError;

/// The registry's handle on a lab's page: starts loading its piece, resolves to the page.
pub type LabLoader = fn() -> Pin<Box<dyn Future<Output = Result<AnyView, LoadError>>>>;

/// Declares `pub async fn load() -> Result<AnyView, LoadError>` for a lab: the split point named
/// `$split` (the piece's file is `split_$split.wasm`), whose code renders the page component
/// `$page`.
#[macro_export]
macro_rules! lab_entry {
    ($split:ident, $page:ident) => {
        /// This lab's page, from its own wasm piece (fetched once, on first use; an error if the
        /// piece cannot be loaded, and a later call retries).
        #[::wasm_split_helpers::wasm_split($split, fallible)]
        pub fn load() -> ::core::result::Result<::leptos::prelude::AnyView, $crate::kit::LoadError> {
            use ::leptos::prelude::IntoAny;
            ::core::result::Result::Ok(::leptos::view! { <$page/> }.into_any())
        }
    };
}
