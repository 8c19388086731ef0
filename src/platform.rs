//! Small, panic-free wrappers over the browser: base path, localStorage, media queries, URL writes,
//! online state, live diagram values.
//!
//! Every function degrades to a harmless default when the browser refuses (private mode storage,
//! missing window in tests) instead of panicking.

/// The path prefix the app is served under, without a trailing slash (`""` at the root,
/// `"/scalelab"` for `trunk build --public-url /scalelab/`). Read from the document's `<base href>`.
pub fn base_path() -> String {
    let uri = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    base_path_from_uri(&uri)
}

/// An app path (`"/labs/cache"`) as a link under the base path the app is hosted at, for
/// `<A href>` (which leaves paths that start with `/` as they are).
pub fn href(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// Extracts the path of a base URI without its trailing slash: `http://h:1/a/b/` gives `/a/b`.
pub fn base_path_from_uri(uri: &str) -> String {
    let after_scheme = uri.split_once("://").map(|(_, rest)| rest).unwrap_or(uri);
    let path = after_scheme.find('/').map(|i| &after_scheme[i..]).unwrap_or("");
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').to_string()
}

/// Reads a value from localStorage; `None` when absent or when storage is unavailable.
pub fn storage_get(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Writes a value to localStorage; silently does nothing when storage is unavailable or full.
pub fn storage_set(key: &str, value: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

/// Whether the user asked the system for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    media_matches("(prefers-reduced-motion: reduce)")
}

/// Whether the CSS media query `query` matches now; false where the browser cannot tell.
pub fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Replaces the current URL's query string without navigating or adding a history entry.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Milliseconds from the page's time origin (`performance.now()`), for frame pacing only: the
/// simulation itself never sees the wall clock.
pub fn now_ms() -> f64 {
    // Natively (the lesson tests drive pages' controllers) there is no browser clock: pacing
    // then sees every frame as instant.
    if cfg!(not(target_arch = "wasm32")) {
        return 0.0;
    }
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Whether the browser believes it is online (`navigator.onLine`); true where it cannot tell.
/// `false` is reliable (no network at all), `true` is not (a network that reaches nothing).
pub fn is_online() -> bool {
    if cfg!(not(target_arch = "wasm32")) {
        return true;
    }
    let Some(window) = web_sys::window() else {
        return true;
    };
    js_sys::Reflect::get(&window, &"navigator".into())
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &"onLine".into()))
        .ok()
        .and_then(|on_line| on_line.as_bool())
        .unwrap_or(true)
}

/// Removes the element with id `id`, if there is one.
pub fn remove_element(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.remove();
    }
}

/// Scrolls the row of lab links sideways so the current lab's link is in view (a phone shows
/// the links on one row that scrolls); does nothing where the row does not scroll.
pub fn scroll_current_nav_link_into_view() {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(Some(nav)), Ok(Some(link))) = (
        doc.query_selector(".site-header nav"),
        doc.query_selector(".nav-links a[aria-current=\"page\"]"),
    ) else {
        return;
    };
    if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
        let left = f64::from(link.offset_left()) - f64::from(nav.client_width()) / 3.0;
        nav.set_scroll_left(left.max(0.0) as i32);
    }
}

/// Sets the document title (each page names itself, for tabs and screen readers).
pub fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

/// The elements under `root` (and `root` itself if `with_root`) that take live values (see
/// `components::live`): one entry per name in their `data-live` attribute, in document order.
/// Empty when the browser refuses the query.
pub fn live_targets(root: &web_sys::Element, with_root: bool) -> Vec<(web_sys::Element, String)> {
    use wasm_bindgen::JsCast;
    let mut out = Vec::new();
    let mut add = |el: &web_sys::Element| {
        let names = el.get_attribute("data-live").unwrap_or_default();
        for name in names.split_whitespace() {
            out.push((el.clone(), name.to_string()));
        }
    };
    if with_root {
        add(root);
    }
    if let Ok(list) = root.query_selector_all("[data-live]") {
        for i in 0..list.length() {
            if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                add(&el);
            }
        }
    }
    out
}

/// Sets attribute `name` of `el` to `value`, or its text when `name` is `text`. Text goes into
/// the element's lone text node when it has one: changing a text node's data costs the browser
/// far less layout than replacing the node, which `textContent` does.
pub fn set_live(el: &web_sys::Element, name: &str, value: &str) {
    if name == "text" {
        match el.first_child() {
            Some(text) if text.node_type() == web_sys::Node::TEXT_NODE && text.next_sibling().is_none() => {
                text.set_node_value(Some(value));
            }
            _ => el.set_text_content(Some(value)),
        }
    } else {
        let _ = el.set_attribute(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::base_path_from_uri;

    #[test]
    fn base_path_is_the_uri_path_without_trailing_slash() {
        for (uri, want) in [
            ("http://127.0.0.1:8080/", ""),
            ("http://127.0.0.1:8080/scalelab/", "/scalelab"),
            ("https://x.org/a/b/?q=1#f", "/a/b"),
            ("http://h", ""),
            ("", ""),
        ] {
            assert_eq!(base_path_from_uri(uri), want, "{uri}");
        }
    }
}
