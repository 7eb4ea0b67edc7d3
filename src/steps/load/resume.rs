use leptos::prelude::*;

use crate::engine::Engine;
use crate::format::{list, plural};
use crate::state::Resumable;

/// Offers the work the user asked to keep on this device at their last visit.
#[component]
pub fn ResumeBox(
    #[prop(into)] resumable: Signal<Option<Resumable>>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let engine = expect_context::<Engine>();
    move || {
        resumable.get().map(|kept| {
            let what = match (kept.files.is_empty(), kept.choices) {
                (false, true) => format!(
                    "your choices and {} ({})",
                    plural(kept.files.len(), "file"),
                    list(&kept.files)
                ),
                (false, false) => format!("{} ({})", plural(kept.files.len(), "file"), list(&kept.files)),
                (true, _) => "your choices (columns, features, settings and segment names; no customer data)".to_owned(),
            };
            let when = crate::format::local_date_time(kept.saved_at);
            let then = match kept.files.len() {
                0 => "Load your files, and the choices fill in as you left them.",
                1 => "Continue, and Segmenta reads the file and finds the segments as you left them.",
                _ => "Continue, and Segmenta reads the files and finds the segments as you left them.",
            };
            view! {
                <div class="resume" data-testid="resume" role="region" aria-label="Work kept on this device">
                    <h3>"Continue where you left off?"</h3>
                    <p data-testid="resume-what">{format!("Segmenta kept {what} on this device, as they were on {when}. {then}")}</p>
                    <div class="resume-actions">
                        <button type="button" class="button primary" data-testid="resume-continue" on:click=move |_| engine.resume() disabled=move || busy.get()>
                            "Continue"
                        </button>
                        <button type="button" class="button" data-testid="resume-dismiss" on:click=move |_| engine.dismiss_kept()>
                            "Start afresh"
                        </button>
                    </div>
                    <p class="hint">"Starting afresh leaves the kept work where it is until new work replaces it; the Privacy panel at the top can forget it now."</p>
                </div>
            }
        })
    }
}
