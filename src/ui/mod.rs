//! Pieces shared by every step: header, stepper, status bar, banners, step titles.

pub mod banner;
pub mod chart_frame;
pub mod disclosure;
pub mod header;
pub mod progress_bar;
pub mod sparkline;
pub mod step_title;
pub mod stepper;
pub mod y_grid;

pub use banner::Banner;
pub use chart_frame::ChartFrame;
pub use disclosure::{Disclosure, details_open};
pub use header::Header;
pub use progress_bar::ProgressBar;
pub use sparkline::Sparkline;
pub use step_title::StepTitle;
pub use stepper::Stepper;
pub use y_grid::YGrid;

/// Number of colours in the segment palette (Okabe-Ito, safe for colour-blind readers);
/// segment `i` uses CSS variable `--seg-{i % PALETTE}`.
pub const PALETTE: usize = 8;

/// The CSS colour of segment `i`.
pub fn segment_color(i: usize) -> String {
    format!("var(--seg-{})", i % PALETTE)
}

/// The CSS colour of a segment profile: its palette colour, or neutral grey for outliers.
pub fn profile_color(profile: &segmenta_core::explain::SegmentProfile) -> String {
    if profile.outliers {
        "var(--outlier)".to_owned()
    } else {
        segment_color(profile.id)
    }
}

/// The file picked in a file input's `change` event. The input is cleared, so that the same
/// file can be picked again.
pub fn picked_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0);
    input.set_value("");
    file
}

/// A segment's name with its colour swatch, as every table row shows it; `color` is
/// `None` for the all-customers row.
#[leptos::component]
pub fn SegmentLabel(name: String, color: Option<String>) -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! {
        <div class="seg-name">
            {color.map(|c| view! { <span class="swatch" style:background=c></span> })}
            <span>{name}</span>
        </div>
    }
}

/// Runs `f` in a task of its own once the browser has drawn the next frame, so that what
/// was just added to the page is laid out before `f` runs (reading a size then costs
/// nothing) and neither piece of work keeps the page busy for long.
pub fn after_next_frame(f: impl FnOnce() + 'static) {
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::set_timeout(f, std::time::Duration::ZERO);
    });
}
