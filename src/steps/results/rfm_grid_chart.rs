use leptos::prelude::*;
use segmenta_core::explain::rfm::{RfmGrid, RfmSegment};

use crate::charts::svg_title;
use crate::format::{count, value};
use crate::ui::ChartFrame;

/// Recency score (rows, 5 = most recent at the top) × frequency score (columns): each
/// cell's shade says how many customers (or how much value) it holds, and its text the
/// number; the classic RFM segment of each cell is named on hover and in the legend.
#[component]
pub fn RfmGridChart(
    grid: RfmGrid,
    /// Whether cells are shaded by total spent (kept by the caller; customers unless given).
    #[prop(optional)]
    by_value: Option<RwSignal<bool>>,
) -> impl IntoView {
    const LEFT: f64 = 70.0;
    const TOP: f64 = 10.0;
    const CELL: f64 = 78.0;
    let by_value = by_value.unwrap_or_else(|| RwSignal::new(false));
    let grid = StoredValue::new(grid);
    let cells = move || {
        grid.with_value(|g| {
            let by_value = by_value.get();
            let amount = |r: usize, f: usize| {
                if by_value {
                    g.value[r][f]
                } else {
                    g.customers[r][f] as f64
                }
            };
            let largest = (0..5)
                .flat_map(|r| (0..5).map(move |f| (r, f)))
                .map(|(r, f)| amount(r, f))
                .fold(0.0f64, f64::max)
                .max(f64::MIN_POSITIVE);
            (0..5)
                .flat_map(|r| (0..5).map(move |f| (r, f)))
                .map(|(r, f)| {
                    // Row 0 at the top is recency score 5.
                    let (x, y) = (LEFT + CELL * f as f64, TOP + CELL * (4 - r) as f64);
                    let a = amount(r, f);
                    let segment = RfmSegment::of(r as u8 + 1, f as u8 + 1);
                    let text = if by_value { value(a) } else { count(g.customers[r][f]) };
                    let title = format!(
                        "Recency {} · frequency {}: {} — {} customers, value {}",
                        r + 1,
                        f + 1,
                        segment.name(),
                        count(g.customers[r][f]),
                        value(g.value[r][f])
                    );
                    let strength = 0.06 + 0.86 * (a / largest).sqrt();
                    // Light text on the darkest cells, so numbers stay readable.
                    let ink = if strength > 0.55 { "chart-value on-dark" } else { "chart-value" };
                    let note = if strength > 0.55 { "tick on-dark" } else { "tick" };
                    let strength = format!("{strength:.2}");
                    view! {
                        <g data-testid="rfm-cell">
                            {svg_title(title)}
                            <rect x=x + 1.0 y=y + 1.0 width=CELL - 2.0 height=CELL - 2.0 rx="4" fill="var(--seg-0)" fill-opacity=strength></rect>
                            <text x=x + CELL / 2.0 y=y + CELL / 2.0 - 7.0 text-anchor="middle" dominant-baseline="middle" class=ink>{text}</text>
                            <text x=x + CELL / 2.0 y=y + CELL / 2.0 + 13.0 text-anchor="middle" dominant-baseline="middle" class=note>{short(segment)}</text>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let axis = (0..5)
        .map(|i| {
            view! {
                <g>
                    <text x=LEFT + CELL * (i as f64 + 0.5) y=TOP + CELL * 5.0 + 18.0 text-anchor="middle" class="chart-label">{(i + 1).to_string()}</text>
                    <text x=LEFT - 10.0 y=TOP + CELL * (4.0 - i as f64 + 0.5) text-anchor="end" dominant-baseline="middle" class="chart-label">{(i + 1).to_string()}</text>
                </g>
            }
        })
        .collect_view();
    let (width, height) = (LEFT + CELL * 5.0 + 10.0, TOP + CELL * 5.0 + 48.0);
    let mid_y = TOP + CELL * 2.5;
    view! {
        <ChartFrame
            name="rfm-grid"
            title="Recency × frequency"
            caption="customers scored 1–5 on how recently (up) and how often (right) they bought, in fifths; hover a cell for its RFM segment."
        >
            <div class="legend chart-toggle" role="group" aria-label="Colour cells by">
                <button class="legend-entry" aria-pressed=move || (!by_value.get()).to_string() on:click=move |_| by_value.set(false)>"Customers"</button>
                <button class="legend-entry" aria-pressed=move || by_value.get().to_string() on:click=move |_| by_value.set(true)>"Total spent"</button>
            </div>
            <svg viewBox=format!("0 0 {width} {height}") class="chart-svg rfm-grid" role="img" aria-label="Grid of customers by recency and frequency score">
                {cells}
                {axis}
                <text x=LEFT + CELL * 2.5 y=height - 6.0 text-anchor="middle" class="tick axis-title">"Frequency score (5 = most orders)"</text>
                <text x="14" y=mid_y transform=format!("rotate(-90 14 {mid_y})") text-anchor="middle" class="tick axis-title">"Recency score (5 = most recent)"</text>
            </svg>
        </ChartFrame>
    }
}

/// A cell-sized name.
fn short(segment: RfmSegment) -> &'static str {
    match segment {
        RfmSegment::Champions => "Champions",
        RfmSegment::Loyal => "Loyal",
        RfmSegment::PotentialLoyalists => "Potential",
        RfmSegment::New => "New",
        RfmSegment::Promising => "Promising",
        RfmSegment::NeedAttention => "Attention",
        RfmSegment::AboutToSleep => "Sleepy",
        RfmSegment::AtRisk => "At risk",
        RfmSegment::CantLoseThem => "Can't lose",
        RfmSegment::Hibernating => "Hibernating",
        RfmSegment::Lost => "Lost",
    }
}
