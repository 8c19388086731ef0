//! Diagrams that are drawn once and then updated in place.
//!
//! A lab's diagram changes a little on every snapshot (a rate, a count, a dot's position) and its
//! shape rarely (the strategy, the number of replicas). Rebuilding the whole markup for every
//! snapshot costs the browser HTML parsing, style, layout and paint of every element; instead a
//! [`Drawing`] separates the two: its `markup` (redrawn only when the shape changes) marks the
//! elements whose attributes or text change, and its `values` fill them. [`draw`] keeps an
//! element's children equal to a drawing (or to a list of keyed drawings, for a window over
//! recent events), writing only the values that changed and the items that came or went.
//!
//! This costs far less code than Leptos views (each reactive attribute and each keyed `<For>`
//! instantiates its own view code: several KB of wasm per diagram), and the markup stays a plain
//! string that unit tests can read.

use crate::platform;
use leptos::prelude::*;
use std::fmt;
use std::rc::Rc;

/// Markup with changing values: see the module documentation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drawing {
    /// The markup. An element whose attributes or text change carries `data-live="a b …"`: the
    /// names of those attributes (`text` for its text), filled by the next entries of `values`.
    pub markup: String,
    /// The changing values, in the order of the `data-live` names in the markup.
    pub values: Vec<String>,
}

impl Drawing {
    /// Marks the element being written (its start tag is open) as taking `names`, and queues their
    /// values. Write it where an attribute can go: `<path class="x"` + `live("d", [d])` + `/>`.
    pub fn live<const N: usize>(&mut self, names: &str, values: [String; N]) {
        self.markup.push_str(" data-live=\"");
        self.markup.push_str(names);
        self.markup.push('"');
        self.values.extend(values);
    }

    /// The markup with its values filled in, for a drawing shown once (e.g. in a comparison).
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.markup.len());
        let mut values = self.values.iter();
        let mut rest = self.markup.as_str();
        while let Some(at) = rest.find(" data-live=\"") {
            out.push_str(&rest[..at]);
            rest = &rest[at + " data-live=\"".len()..];
            let (names, after) = rest.split_once('"').unwrap_or((rest, ""));
            rest = after;
            let mut text = None;
            for name in names.split_whitespace() {
                let value = values.next().map_or("", String::as_str);
                if name == "text" {
                    text = Some(value);
                } else {
                    out.push_str(&format!(" {name}=\"{}\"", escape(value)));
                }
            }
            if let Some(text) = text {
                // The start tag ends at the next `>`; the text goes right after it.
                let end = rest.find('>').map_or(rest.len(), |i| i + 1);
                out.push_str(&rest[..end]);
                out.push_str(&escape(text));
                rest = &rest[end..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// `s` with the characters that would end an attribute or start a tag escaped, for text written
/// into markup.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

impl fmt::Write for Drawing {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.markup.push_str(s);
        Ok(())
    }
}

/// What [`draw`] shows: drawings with their keys. A whole diagram is one part ([`whole`]);
/// a list has a part per item, each exactly one element, in order.
pub type Parts = Vec<(String, Drawing)>;

/// A whole diagram as [`Parts`].
pub fn whole(drawing: Drawing) -> Parts {
    vec![(String::new(), drawing)]
}

/// A list's items as `<li>` elements (text escaped), to show with [`draw`] in a `<ul>` or
/// `<ol>`: redrawn only when an item changes.
pub fn list_items(items: impl IntoIterator<Item = String>) -> Parts {
    let mut markup = String::new();
    for item in items {
        markup.push_str("<li>");
        markup.push_str(&escape(&item));
        markup.push_str("</li>");
    }
    whole(Drawing {
        markup,
        values: Vec::new(),
    })
}

/// What [`draw`] shows: a function of reactive state giving the [`Parts`] (see [`source`]).
#[derive(Clone)]
pub struct Source(Rc<dyn Fn() -> Parts>);

/// The [`Source`] `parts` (one type for every diagram, so that they share the directive's code).
pub fn source(parts: impl Fn() -> Parts + 'static) -> Source {
    Source(Rc::new(parts))
}

/// An `<svg role="img">` whose children are `parts` (kept up to date by [`draw`]) and whose
/// accessible name is `label`: the element a live diagram is drawn into (one function, so every
/// diagram shares its view code).
pub fn drawn_svg(class: &'static str, view_box: String, label: Signal<String>, parts: Source) -> impl IntoView {
    view! { <svg class=class viewBox=view_box role="img" aria-label=label use:draw=parts></svg> }
}

/// A directive, `<g use:draw=source(parts)>`: keeps the element's children equal to `parts()`
/// (re-run when what it reads changes), with as few DOM writes as it can: values are written
/// only when they change; a list that slides (items leave at the front and come at the end, as a
/// window over recent events does) loses and gains only those items; any other change of keys or
/// markup redraws everything. The element must have no other children.
pub fn draw(root: web_sys::Element, parts: Source) {
    Effect::new(move |shown: Option<Vec<Shown>>| update(&root, shown.unwrap_or_default(), &(parts.0)()));
}

/// Whether the list `shown` (keys and markup) becomes `parts` by sliding: the first new part is
/// an old one, the old ones from there on start the new list (same keys and markup) and the rest
/// are new. Returns how many old parts leave at the front; `None` when the list does not slide
/// (or nothing stays: then it is drawn anew, which also clears what the element held before).
fn slides<'a>(
    shown: impl ExactSizeIterator<Item = (&'a str, &'a str)> + Clone,
    parts: &[(String, Drawing)],
) -> Option<usize> {
    let first = parts
        .first()
        .and_then(|(key, _)| shown.clone().position(|(k, _)| k == key))?;
    let kept = shown.len() - first;
    let same = shown
        .skip(first)
        .zip(parts)
        .all(|((k, markup), (key, d))| k == key && markup == d.markup);
    (kept <= parts.len() && same).then_some(first)
}

/// A part as last written: its key, markup, live targets and values.
struct Shown {
    key: String,
    markup: String,
    targets: Vec<(web_sys::Element, String)>,
    values: Vec<String>,
}

/// Brings `root`'s children from `shown` to `parts` and returns what is shown now.
fn update(root: &web_sys::Element, mut shown: Vec<Shown>, parts: &[(String, Drawing)]) -> Vec<Shown> {
    let slide = slides(shown.iter().map(|s| (s.key.as_str(), s.markup.as_str())), parts);
    if let Some(first) = slide {
        let kept = shown.len() - first;
        for _ in 0..first {
            if let Some(child) = root.first_element_child() {
                child.remove();
            }
        }
        shown.drain(..first);
        let added = &parts[kept..];
        if !added.is_empty() {
            let markup: String = added.iter().map(|(_, d)| d.markup.as_str()).collect();
            let _ = root.insert_adjacent_html("beforeend", &markup);
            let mut children = Vec::with_capacity(added.len());
            let mut child = root.last_element_child();
            while children.len() < added.len() {
                let Some(el) = child else { break };
                child = el.previous_element_sibling();
                children.push(el);
            }
            children.reverse();
            for (i, (key, d)) in added.iter().enumerate() {
                shown.push(Shown {
                    key: key.clone(),
                    markup: d.markup.clone(),
                    targets: children
                        .get(i)
                        .map(|c| platform::live_targets(c, true))
                        .unwrap_or_default(),
                    values: Vec::new(),
                });
            }
        }
    } else {
        let markup: String = parts.iter().map(|(_, d)| d.markup.as_str()).collect();
        root.set_inner_html(&markup);
        // One part: every target is its own. Several: one element each.
        let mut targets = Vec::new();
        if parts.len() == 1 {
            targets.push(platform::live_targets(root, false));
        } else {
            let mut child = root.first_element_child();
            while let Some(el) = child {
                targets.push(platform::live_targets(&el, true));
                child = el.next_element_sibling();
            }
        }
        let mut targets = targets.into_iter();
        shown = parts
            .iter()
            .map(|(key, d)| Shown {
                key: key.clone(),
                markup: d.markup.clone(),
                targets: targets.next().unwrap_or_default(),
                values: Vec::new(),
            })
            .collect();
    }
    for (s, (_, d)) in shown.iter_mut().zip(parts) {
        for (i, value) in d.values.iter().enumerate() {
            if s.values.get(i) != Some(value) {
                if let Some((el, name)) = s.targets.get(i) {
                    platform::set_live(el, name, value);
                }
            }
        }
        s.values.clone_from(&d.values);
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    #[test]
    fn values_follow_their_marks_in_order() {
        let mut d = Drawing::default();
        let _ = write!(d, "<g");
        d.live("class data-n", ["a".into(), "1".into()]);
        let _ = write!(d, "><text x=\"{}\"", 3);
        d.live("text", ["hello".into()]);
        d.markup.push_str("></text></g>");
        assert_eq!(
            d.markup,
            r#"<g data-live="class data-n"><text x="3" data-live="text"></text></g>"#
        );
        assert_eq!(d.values, ["a", "1", "hello"]);
        assert_eq!(d.render(), r#"<g class="a" data-n="1"><text x="3">hello</text></g>"#);
        // Values are escaped; a missing one renders empty.
        let mut d = Drawing::default();
        d.markup.push_str("<p");
        d.live("title text", ["\"a\" & b".into(), "<b>".into()]);
        d.markup.push_str(r#"></p><i data-live="text"></i>"#);
        assert_eq!(d.render(), r#"<p title="&quot;a&quot; &amp; b">&lt;b></p><i></i>"#);
    }

    #[test]
    fn a_window_slides_and_anything_else_is_drawn_anew() {
        let part = |k: &str| {
            (
                k.to_string(),
                Drawing {
                    markup: format!("<li>{k}</li>"),
                    values: Vec::new(),
                },
            )
        };
        let shown = [("a", "<li>a</li>"), ("b", "<li>b</li>"), ("c", "<li>c</li>")];
        let slide = |parts: &[(String, Drawing)]| slides(shown.iter().copied(), parts);
        // Two leave at the front, two come at the end.
        assert_eq!(slide(&[part("c"), part("d"), part("e")]), Some(2));
        // Nothing changes; only new ones come.
        assert_eq!(slide(&[part("a"), part("b"), part("c")]), Some(0));
        assert_eq!(slide(&[part("a"), part("b"), part("c"), part("d")]), Some(0));
        // Nothing stays, a gap, a new markup, fewer at the end: drawn anew.
        assert_eq!(slide(&[part("x")]), None);
        assert_eq!(slide(&[part("a"), part("c")]), None);
        assert_eq!(slide(&[part("b")]), None);
        assert_eq!(slide(&[]), None);
        let mut changed = part("c");
        changed.1.markup.push('!');
        assert_eq!(slide(&[part("b"), changed]), None);
        assert_eq!(slides([].into_iter(), &[part("a")]), None);
    }
}
