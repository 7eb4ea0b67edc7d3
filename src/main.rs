//! The page's entry point: mount the app.

fn main() {
    console_error_panic_hook::set_once();
    segmenta::format::use_browser_number_style();
    leptos::mount::mount_to_body(segmenta::app::App);
}
