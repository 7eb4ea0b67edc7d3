//! Chart geometry: pure functions from data to pixels, unit-tested natively. Components in
//! `steps/` only hand the results to the browser.

pub mod axis;
pub mod dendrogram;
pub mod flow;
/// The customer map's pixels (a crate of its own, always optimized for speed).
pub use segmenta_draw as scatter;

/// An SVG `<title>` (the hover text of its parent). Built directly: inside `view!` the
/// macro sometimes makes `<title>` the HTML element, which browsers do not show on hover.
pub fn svg_title(text: String) -> impl leptos::prelude::IntoView {
    use leptos::prelude::ElementChild;
    leptos::tachys::svg::title().child(text)
}
