//! What the user chose to see in the results. A rename draws the whole section again with
//! the new name everywhere; these choices live outside the views, so the section comes
//! back as the user left it (the same panels open, the same toggles pressed).

use leptos::prelude::*;

use super::MapChoices;

/// The results' view choices, made once for the results section and reset for each new
/// segmentation.
#[derive(Clone, Copy)]
pub struct ViewChoices {
    /// What the customer map shows.
    pub map: MapChoices,
    /// The segment table shows medians instead of averages.
    pub medians: RwSignal<bool>,
    /// The RFM grid is shaded by total spent instead of customers.
    pub rfm_by_value: RwSignal<bool>,
    /// The sensitive column chosen in the make-up check.
    pub fairness_column: RwSignal<Option<usize>>,
    /// The fitted lifetime model's parameters are shown.
    pub model_params_open: RwSignal<bool>,
    /// Every move between segments is shown as a table.
    pub moves_open: RwSignal<bool>,
}

impl ViewChoices {
    /// Nothing chosen yet.
    pub fn new() -> Self {
        ViewChoices {
            map: MapChoices::new(),
            medians: RwSignal::new(false),
            rfm_by_value: RwSignal::new(false),
            fairness_column: RwSignal::new(None),
            model_params_open: RwSignal::new(false),
            moves_open: RwSignal::new(false),
        }
    }

    /// Back to nothing chosen (for a new segmentation). Only what changes is set, so that
    /// views still on screen are not drawn again for nothing.
    pub fn reset(&self) {
        self.map.reset();
        for flag in [
            self.medians,
            self.rfm_by_value,
            self.model_params_open,
            self.moves_open,
        ] {
            if flag.get_untracked() {
                flag.set(false);
            }
        }
        if self.fairness_column.with_untracked(Option::is_some) {
            self.fairness_column.set(None);
        }
    }
}

impl Default for ViewChoices {
    fn default() -> Self {
        Self::new()
    }
}
