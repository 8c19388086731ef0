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

/// Removes a value from localStorage; silently does nothing when storage is unavailable.
pub fn storage_remove(key: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(key);
    }
}

/// Whether the user asked the system for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    media_matches("(prefers-reduced-motion: reduce)")
}

/// Whether the CSS media query `query` matches now; false where the browser cannot tell.
pub fn media_matches(query: &str) -> bool {
    if cfg!(not(target_arch = "wasm32")) {
        return false;
    }
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

/// Scrolls to the element with this id, if there is one (a page drawn after load misses the
/// browser's own jump to the URL's `#fragment`).
pub fn scroll_to_id(id: &str) {
    if id.is_empty() {
        return;
    }
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        el.scroll_into_view();
    }
}

/// The page's whole address, if there is a window.
pub fn current_href() -> Option<String> {
    web_sys::window()?.location().href().ok()
}

/// The page's path, if there is a window.
pub fn current_path() -> Option<String> {
    web_sys::window()?.location().pathname().ok()
}

/// Puts `text` on the clipboard, then calls `done(true)`, or `done(false)` where the browser
/// refuses (no clipboard API, no permission, not a secure page).
pub fn copy_text(text: String, done: impl FnOnce(bool) + 'static) {
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
        done(false);
        return;
    };
    let promise = clipboard.write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// Offers `content` as a file download named `name`; false where the browser refuses.
pub fn download(name: &str, mime: &str, content: &str) -> bool {
    let try_download = || -> Option<()> {
        let parts = web_sys::js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        download_url(&url, name)?;
        // Some browsers read the file after the click returns: let it go a little later.
        gloo_timers::callback::Timeout::new(10_000, move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        })
        .forget();
        Some(())
    };
    try_download().is_some()
}

/// Style properties a chart's SVG takes from the page's stylesheet (copied onto an export).
const CHART_STYLE: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "stroke-linejoin",
    "stroke-linecap",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
];

/// A standalone SVG of the chart in `figure` (a `figure.chart`): its caption as a title, the
/// drawing with the page's computed styles copied on (so it looks the same without the site's
/// stylesheet, in the current light or dark theme), its legend, on the page's background. Also
/// returns its width and height in pixels. `None` where the browser refuses a step.
pub fn chart_svg_export(figure: &web_sys::Element) -> Option<(String, u32, u32)> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let svg = figure.query_selector("svg").ok()??;
    let copy = svg
        .clone_node_with_deep(true)
        .ok()?
        .dyn_into::<web_sys::Element>()
        .ok()?;
    let originals = svg.query_selector_all("*").ok()?;
    let copies = copy.query_selector_all("*").ok()?;
    for i in 0..originals.length().min(copies.length()) {
        let (Some(from), Some(to)) = (originals.item(i), copies.item(i)) else {
            continue;
        };
        let (Ok(from), Ok(to)) = (from.dyn_into::<web_sys::Element>(), to.dyn_into::<web_sys::Element>()) else {
            continue;
        };
        let Some(style) = window.get_computed_style(&from).ok().flatten() else {
            continue;
        };
        let inline: String = CHART_STYLE
            .iter()
            .filter_map(|p| {
                style
                    .get_property_value(p)
                    .ok()
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{p}:{v};"))
            })
            .collect();
        let _ = to.set_attribute("style", &inline);
    }
    let view_box = svg.get_attribute("viewBox").unwrap_or_default();
    let mut dims = view_box
        .split_whitespace()
        .filter_map(|v| v.parse::<f64>().ok())
        .skip(2);
    let (w, h) = (dims.next()?.round() as u32, dims.next()?.round() as u32);
    let body: web_sys::Element = window.document()?.body()?.into();
    let body_style = window.get_computed_style(&body).ok().flatten()?;
    let background = body_style.get_property_value("background-color").ok()?;
    let text_colour = body_style.get_property_value("color").ok()?;
    let font = body_style.get_property_value("font-family").ok()?;
    let title = figure
        .query_selector("figcaption > span")
        .ok()?
        .map(|c| c.text_content().unwrap_or_default())
        .unwrap_or_default();
    let legend: Vec<(String, String)> = match figure.query_selector_all(".chart-legend li").ok() {
        Some(items) => (0..items.length())
            .filter_map(|i| items.item(i)?.dyn_into::<web_sys::Element>().ok())
            .map(|li| {
                let colour = li
                    .query_selector(".swatch")
                    .ok()
                    .flatten()
                    .and_then(|s| window.get_computed_style(&s).ok().flatten())
                    .and_then(|s| s.get_property_value("background-color").ok())
                    .unwrap_or_default();
                (li.text_content().unwrap_or_default(), colour)
            })
            .collect(),
        None => Vec::new(),
    };
    let serializer = web_sys::XmlSerializer::new().ok()?;
    let drawing = serializer.serialize_to_string(&copy).ok()?;
    Some(crate::components::chart_export::compose(
        &drawing,
        w,
        h,
        &title,
        &legend,
        &background,
        &text_colour,
        &font,
    ))
}

/// Offers an SVG as a PNG download (drawn at twice its size for sharp text); false where the
/// browser refuses to start (the drawing itself finishes after this returns).
pub fn download_svg_as_png(svg: &str, width: u32, height: u32, name: &str) -> bool {
    use wasm_bindgen::JsCast;
    let start = || -> Option<()> {
        let doc = web_sys::window()?.document()?;
        let image = web_sys::HtmlImageElement::new().ok()?;
        let canvas = doc
            .create_element("canvas")
            .ok()?
            .dyn_into::<web_sys::HtmlCanvasElement>()
            .ok()?;
        let scale = 2;
        canvas.set_width(width * scale);
        canvas.set_height(height * scale);
        let name = name.to_string();
        let drawn = image.clone();
        let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
            let Some(ctx) = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
            else {
                return;
            };
            let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(
                &drawn,
                0.0,
                0.0,
                f64::from(width * scale),
                f64::from(height * scale),
            );
            if let Ok(url) = canvas.to_data_url_with_type("image/png") {
                download_url(&url, &name);
            }
        });
        image.set_onload(Some(onload.unchecked_ref()));
        let encoded = web_sys::js_sys::encode_uri_component(svg);
        image.set_src(&format!("data:image/svg+xml;charset=utf-8,{encoded}"));
        Some(())
    };
    start().is_some()
}

/// Follows `url` as a download named `name` (a data or object URL).
fn download_url(url: &str, name: &str) -> Option<()> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?.document()?;
    let a = doc
        .create_element("a")
        .ok()?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    a.set_href(url);
    a.set_download(name);
    a.click();
    Some(())
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
