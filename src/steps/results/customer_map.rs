use leptos::html::Canvas;
use leptos::prelude::*;
use segmenta_core::explain::{SegmentProfile, humanize};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use crate::charts::scatter::{Frame, HitGrid, Raster, parse_hex, to_svg};
use crate::download::{blank_canvas, css_var};
use crate::format::{count, percent, value};
use crate::protocol::{HOVER_FEATURES, MapView, NeighbourMapView};
use crate::ui::profile_color;

/// Dot radius in canvas pixels at a device pixel ratio of 1.
const RADIUS: f64 = 1.5;

/// What the user chose to see on the customer map: they outlive the map, so that a map
/// drawn again for the same customers (after a segment is renamed) shows the same view.
#[derive(Clone, Copy)]
pub struct MapChoices {
    /// The segment shown alone, if any.
    isolate: RwSignal<Option<usize>>,
    /// The zoomed or panned view (None: every customer in sight).
    window: RwSignal<Option<Frame>>,
    /// Whether the neighbour map is chosen.
    neighbours: RwSignal<bool>,
}

impl MapChoices {
    /// Every customer in sight on the flat map.
    pub fn new() -> Self {
        MapChoices {
            isolate: RwSignal::new(None),
            window: RwSignal::new(None),
            neighbours: RwSignal::new(false),
        }
    }

    /// Back to every customer in sight on the flat map (for other customers or segments).
    /// Only what changes is set, so that a map still on screen is not drawn again for
    /// nothing.
    pub fn reset(&self) {
        if self.isolate.with_untracked(Option::is_some) {
            self.isolate.set(None);
        }
        if self.window.with_untracked(Option::is_some) {
            self.window.set(None);
        }
        if self.neighbours.get_untracked() {
            self.neighbours.set(false);
        }
    }
}

impl Default for MapChoices {
    fn default() -> Self {
        Self::new()
    }
}

/// The customers on a map, coloured by segment: hover for a customer, click a legend
/// entry to show that segment alone, download as PNG.
#[component]
pub fn CustomerMap(
    map: MapView,
    segments: Vec<SegmentProfile>,
    /// The view to show and keep the user's choices in (a fresh one unless given).
    #[prop(optional)]
    choices: Option<MapChoices>,
    /// Called with a customer's id when they are clicked (not dragged).
    #[prop(optional)]
    on_pick: Option<Callback<String>>,
    /// The same customers on a neighbour map (UMAP), once drawn.
    #[prop(into, optional)]
    neighbours: Signal<Option<NeighbourMapView>>,
    /// Asks for the neighbour map (the first time the user chooses it).
    #[prop(optional)]
    on_neighbours: Option<Callback<()>>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let MapChoices {
        isolate,
        window,
        neighbours: use_neighbours,
    } = choices.unwrap_or_default();
    let tooltip = RwSignal::new(None::<(f64, f64, String)>);
    let grid = StoredValue::new(None::<Drawn>);
    // A drag in progress.
    let drag = StoredValue::new(None::<(f64, f64, Frame)>);
    let shown = map.segments.len();
    // The flat map (principal components) and its axis titles, to come back to.
    let flat = StoredValue::new((map.points.clone(), map.x_title.clone(), map.y_title.clone()));
    let titles = RwSignal::new((map.x_title.clone(), map.y_title.clone()));
    // A change of points redraws.
    let points_changed = RwSignal::new(0u32);
    let map = StoredValue::new(map);
    Effect::new(move |_| {
        let chosen = use_neighbours.get();
        let laid_out = neighbours.with(|n| n.as_ref().map(|n| n.points.clone()));
        let (points, x, y) = match (chosen, laid_out) {
            (true, Some(points)) if points.len() == flat.with_value(|f| f.0.len()) => (
                points,
                "neighbour map, axis 1 (no units)".to_owned(),
                "axis 2 (no units)".to_owned(),
            ),
            _ => flat.get_value(),
        };
        titles.set((x.clone(), y.clone()));
        map.update_value(|m| {
            m.points = points;
            m.x_title = x;
            m.y_title = y;
        });
        points_changed.update(|n| *n += 1);
    });
    let choose = move |neighbour_map: bool| {
        if neighbour_map == use_neighbours.get_untracked() {
            return;
        }
        window.set(None);
        use_neighbours.set(neighbour_map);
        if neighbour_map
            && neighbours.with_untracked(Option::is_none)
            && let Some(ask) = on_neighbours
        {
            ask.run(());
        }
    };
    let map_note = move || {
        if !use_neighbours.get() {
            return "The flat map: the two directions in which customers differ most (principal components). Groups that differ in other ways can overlap.".to_owned();
        }
        match neighbours.get() {
            None => "Drawing the neighbour map…".to_owned(),
            Some(n) => {
                let state = if n.done {
                    "The neighbour map (UMAP): each customer sits next to the customers most like them in every feature. Near means alike; the distances between groups and the axes mean little."
                } else {
                    "The neighbour map is taking shape…"
                };
                match n.note {
                    Some(note) => format!("{state} {note}"),
                    None => state.to_owned(),
                }
            }
        }
    };
    let profiles = StoredValue::new(segments.clone());

    // Draw on mount and whenever the isolated segment or the view changes. The first
    // drawing starts in a task of its own, after the browser has laid out the new page,
    // and goes on in parts of [`PART`] customers, each in a task of its own, so that
    // showing a large result never keeps the page busy for long at a time. Later drawings
    // answer a click or a drag, and are drawn at once.
    let generation = StoredValue::new(0u32);
    Effect::new(move |drawn_before: Option<()>| {
        points_changed.track();
        let only = isolate.get();
        let view = window.get();
        let Some(el) = canvas.get() else { return };
        generation.update_value(|g| *g = g.wrapping_add(1));
        let started = generation.get_value();
        let measure =
            move |el: &HtmlCanvasElement| profiles.try_with_value(|p| (size(el), colors(el, p)));
        let begin = move |el: &HtmlCanvasElement, (ratio, palette): (f64, Vec<[u8; 3]>)| {
            map.try_with_value(|m| begin(el, ratio, &palette, m, only, view))
                .flatten()
        };
        match drawn_before {
            Some(()) => {
                if let Some(mut drawing) = measure(&el).and_then(|look| begin(&el, look)) {
                    map.with_value(|m| drawing.raster.draw(&m.points, &m.segments, usize::MAX));
                    if let Some(drawn) = drawing.finish(&el) {
                        grid.set_value(Some(drawn));
                    }
                }
            }
            // The canvas is sized, and its colours read, just before the browser lays the
            // page out for the next frame (when it would bring style and layout up to date
            // anyway), and drawn after.
            None => {
                request_animation_frame(move || {
                    let Some(look) = measure(&el) else { return };
                    set_timeout(
                        move || {
                            if let Some(drawing) = begin(&el, look) {
                                draw_in_parts(el, drawing, map, grid, generation, started);
                            }
                        },
                        std::time::Duration::ZERO,
                    );
                });
            }
        }
    });

    // Pointer position in canvas pixels.
    let at = move |ev: &web_sys::MouseEvent| {
        let el = canvas.get_untracked()?;
        let rect = el.get_bounding_client_rect();
        let ratio = grid.with_value(|g| g.as_ref().map_or(1.0, |d| d.ratio));
        let (x, y) = (
            f64::from(ev.client_x()) - rect.left(),
            f64::from(ev.client_y()) - rect.top(),
        );
        Some((x, y, x * ratio, y * ratio))
    };
    let on_move = move |ev: web_sys::MouseEvent| {
        let Some((x, y, px, py)) = at(&ev) else {
            return;
        };
        if ev.buttons() & 1 == 1
            && let Some((x0, y0, start)) = drag.get_value()
        {
            tooltip.set(None);
            window.set(Some(start.panned((px - x0) as f32, (py - y0) as f32)));
            return;
        }
        let hit = grid.with_value(|g| {
            let d = g.as_ref()?;
            map.with_value(|m| d.nearest(m, px as f32, py as f32))
        });
        let text = hit.and_then(|i| {
            map.with_value(|m| {
                let segment = *m.segments.get(i)? as usize;
                let name = profiles.with_value(|p| p.get(segment).map(|s| s.name.clone()))?;
                let facts: Vec<String> = m
                    .hover_features
                    .get(segment)
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .filter_map(|(h, f)| {
                        let v = (*m.hover_values.get(i * HOVER_FEATURES + h)?)?;
                        Some(format!("{} {}", humanize(f), value(f64::from(v))))
                    })
                    .collect();
                let facts = if facts.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", facts.join(", "))
                };
                Some(format!("{} · {name}{facts}", m.ids.get(i)?))
            })
        });
        tooltip.set(text.map(|t| (x, y, t)));
    };
    let on_down = move |ev: web_sys::MouseEvent| {
        if let (Some((_, _, px, py)), Some(frame)) =
            (at(&ev), grid.with_value(|g| g.as_ref().map(|d| d.frame)))
        {
            drag.set_value(Some((px, py, frame)));
        }
    };
    // A press and release in (nearly) the same place is a click: explain that customer.
    let on_up = move |ev: web_sys::MouseEvent| {
        let start = drag.get_value();
        drag.set_value(None);
        let (Some(on_pick), Some((x0, y0, _)), Some((_, _, px, py))) = (on_pick, start, at(&ev))
        else {
            return;
        };
        let ratio = grid.with_value(|g| g.as_ref().map_or(1.0, |d| d.ratio));
        if (px - x0).hypot(py - y0) > 4.0 * ratio {
            return;
        }
        let hit = grid.with_value(|g| {
            let d = g.as_ref()?;
            map.with_value(|m| d.nearest(m, px as f32, py as f32))
        });
        if let Some(id) = hit.and_then(|i| map.with_value(|m| m.ids.get(i).map(str::to_owned))) {
            on_pick.run(id);
        }
    };
    let zoom_at = move |px: f32, py: f32, factor: f32| {
        if let Some(frame) = grid.with_value(|g| g.as_ref().map(|d| d.frame)) {
            window.set(Some(frame.zoomed(px, py, factor)));
        }
    };
    let zoom_centre = move |factor: f32| {
        if let Some((w, h)) =
            grid.with_value(|g| g.as_ref().map(|d| (d.frame.width, d.frame.height)))
        {
            zoom_at(w as f32 / 2.0, h as f32 / 2.0, factor);
        }
    };
    // Ctrl (or ⌘) + wheel zooms; a plain wheel keeps scrolling the page. The listener is
    // added by hand because only a non-passive one may cancel the browser's own zoom.
    canvas.on_load(move |el| {
        let on_wheel =
            Closure::<dyn Fn(web_sys::WheelEvent)>::new(move |ev: web_sys::WheelEvent| {
                if !(ev.ctrl_key() || ev.meta_key()) {
                    return;
                }
                ev.prevent_default();
                if let Some((_, _, px, py)) = at(&ev) {
                    zoom_at(
                        px as f32,
                        py as f32,
                        if ev.delta_y() < 0.0 { 0.8 } else { 1.25 },
                    );
                }
            });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = el.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            on_wheel.as_ref().unchecked_ref(),
            &options,
        );
        // The canvas lives as long as the page shows this result; so does the listener.
        on_wheel.forget();
    });

    let download = move |_| {
        if let Some(el) = canvas.get_untracked() {
            let titles = map.with_value(|m| (m.x_title.clone(), m.y_title.clone()));
            if let Err(e) = profiles.with_value(|p| save_png(&el, p, &titles)) {
                leptos::logging::warn!("PNG export failed: {e}");
            }
        }
    };

    let download_svg = move |_| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let Some(frame) = grid.with_value(|g| g.as_ref().map(|d| d.frame)) else {
            return;
        };
        let only = isolate.get_untracked();
        let svg = map.with_value(|m| {
            profiles.with_value(|p| {
                let colors: Vec<String> = colors(&el, p)
                    .iter()
                    .map(|c| format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]))
                    .collect();
                let names: Vec<String> = p.iter().map(|s| s.name.clone()).collect();
                let visible: Vec<bool> =
                    (0..p.len()).map(|i| only.is_none_or(|o| o == i)).collect();
                to_svg(
                    &m.points,
                    &m.segments,
                    &colors,
                    &names,
                    &visible,
                    &frame,
                    (&m.x_title, &m.y_title),
                    (
                        &css_var(&el, "--surface").unwrap_or_else(|| "#ffffff".into()),
                        &css_var(&el, "--text").unwrap_or_else(|| "#1c2430".into()),
                    ),
                )
            })
        });
        if let Err(e) =
            crate::download::download("customer_map.svg", svg.as_bytes(), "image/svg+xml")
        {
            leptos::logging::warn!("SVG export failed: {e}");
        }
    };

    let total = map.with_value(|m| m.total);
    let x_title = move || titles.with(|t| t.0.clone());
    let y_title = move || titles.with(|t| t.1.clone());
    let sample_note = (shown < total).then(|| {
        format!(
            "Showing an even sample of {} of the {} customers.",
            count(shown),
            count(total)
        )
    });
    let everyone: usize = segments.iter().map(|s| s.size).sum::<usize>().max(1);
    let legend = segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let color = profile_color(s);
            let label = format!("{} · {}", s.name, percent(s.size as f64 / everyone as f64));
            let pressed = move || (isolate.get() == Some(i)).to_string();
            let dimmed = move || isolate.get().is_some_and(|o| o != i);
            view! {
                <li>
                    <button
                        type="button"
                        class="legend-entry"
                        class:dimmed=dimmed
                        aria-pressed=pressed
                        title="Show this segment alone (click again to show all)"
                        on:click=move |_| isolate.update(|o| *o = if *o == Some(i) { None } else { Some(i) })
                    >
                        <span class="swatch" style=format!("background:{color}")></span>
                        {label}
                    </button>
                </li>
            }
        })
        .collect_view();

    view! {
        <figure class="chart customer-map">
            <figcaption>
                <strong>"Your customers on a map"</strong>
                " — each dot is a customer; customers who behave alike sit close together. Hover a dot to see who it is"
                {on_pick.map(|_| "; click it to see why they are in their segment")}
                "."
            </figcaption>
            {on_neighbours.map(|_| view! {
                <div class="map-kind" role="group" aria-label="Kind of map">
                    <button type="button" class="button small" data-testid="map-flat" aria-pressed=move || (!use_neighbours.get()).to_string() on:click=move |_| choose(false)>
                        "Flat map"
                    </button>
                    <button type="button" class="button small" data-testid="map-neighbours" aria-pressed=move || use_neighbours.get().to_string() on:click=move |_| choose(true)>
                        "Neighbour map"
                    </button>
                    <span class="small muted" data-testid="map-note">{map_note}</span>
                </div>
            })}
            <div class="map-body">
                <div class="y-title">"↑ "{y_title}</div>
                <div class="plot">
                    <canvas
                        node_ref=canvas
                        data-testid="scatter"
                        role="img"
                        aria-label="Scatter plot of customers coloured by segment"
                        on:mousemove=on_move
                        on:mousedown=on_down
                        on:mouseup=on_up
                        on:mouseleave=move |_| {
                            tooltip.set(None);
                            drag.set_value(None);
                        }
                    ></canvas>
                    {move || tooltip.get().map(|(x, y, t)| view! {
                        <div class="map-tip" style=format!("left:{}px;top:{}px", x + 12.0, y + 12.0)>{t}</div>
                    })}
                    <div class="x-title">{x_title}" →"</div>
                </div>
            </div>
            <ul class="legend" aria-label="Segments">{legend}</ul>
            <div class="chart-actions">
                {sample_note.map(|n| view! { <span class="small muted">{n}</span> })}
                <span class="small muted">"Drag to move; Ctrl + scroll or the buttons to zoom."</span>
                <span class="zoom-buttons" role="group" aria-label="Zoom">
                    <button type="button" class="button small" title="Zoom in" aria-label="Zoom in" data-testid="map-zoom-in" on:click=move |_| zoom_centre(0.67)>"+"</button>
                    <button type="button" class="button small" title="Zoom out" aria-label="Zoom out" on:click=move |_| zoom_centre(1.5)>"−"</button>
                    <button type="button" class="button small" data-testid="map-reset" disabled=move || window.get().is_none() on:click=move |_| window.set(None)>"Show all"</button>
                </span>
                <button type="button" class="button small" on:click=download_svg data-testid="map-svg">"Download SVG"</button>
                <button type="button" class="button small" on:click=download data-testid="map-png">"Download PNG"</button>
            </div>
        </figure>
    }
}

/// The palette as the page's CSS defines it (light or dark theme), in RGB.
fn colors(el: &HtmlCanvasElement, profiles: &[SegmentProfile]) -> Vec<[u8; 3]> {
    profiles
        .iter()
        .map(|p| {
            let var = profile_color(p);
            let name = var.trim_start_matches("var(").trim_end_matches(')');
            css_var(el, name)
                .and_then(|v| parse_hex(&v))
                .unwrap_or([128, 128, 128])
        })
        .collect()
}

/// What was drawn: the frame (for zooming and panning from it), the pointer lookup and
/// the device pixel ratio.
struct Drawn {
    frame: Frame,
    /// Which segments are drawn.
    visible: Vec<bool>,
    /// Customers by pixel cell, made when the pointer first needs it (for 200,000
    /// customers it takes about as long as a third of the drawing).
    hits: std::sync::OnceLock<HitGrid>,
    ratio: f64,
}

impl Drawn {
    /// The customer drawn nearest to canvas pixel `(x, y)`, if one is within reach.
    fn nearest(&self, map: &MapView, x: f32, y: f32) -> Option<usize> {
        self.hits
            .get_or_init(|| HitGrid::new(&map.points, &map.segments, &self.visible, &self.frame))
            .nearest(x, y, (8.0 * self.ratio) as f32)
    }
}

/// Customers drawn in one task when a map is first shown. In the page's release build,
/// drawing 200,000 customers in one task took 87 ms; in parts of 40,000 the later parts
/// took 7–9 ms each (long-animation-frame entries in Chromium), likely because the browser
/// compiles hot code for speed between calls, not during one.
const PART: usize = 40_000;

/// A picture being drawn, on a canvas already sized for it.
struct Drawing {
    raster: Raster,
    visible: Vec<bool>,
    ratio: f64,
    /// When the drawing began (`performance.now()`).
    start: Option<f64>,
}

/// Sizes the canvas to its box at the device's pixel ratio, and returns the ratio.
/// Reading the box makes the browser lay out the page if it has changed since it last did.
fn size(el: &HtmlCanvasElement) -> f64 {
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(1.0);
    let css_width = f64::from(el.client_width()).max(200.0);
    let css_height = f64::from(el.client_height()).max(150.0);
    let (w, h) = ((css_width * ratio) as u32, (css_height * ratio) as u32);
    if (el.width(), el.height()) != (w, h) {
        el.set_width(w);
        el.set_height(h);
    }
    ratio
}

/// Starts a picture of the customers on the canvas, sized by [`size`] at pixel ratio
/// `ratio`, in the segments' colours `palette`: the whole map, or `view` (zoomed or
/// panned), of segment `only` or all.
fn begin(
    el: &HtmlCanvasElement,
    ratio: f64,
    palette: &[[u8; 3]],
    map: &MapView,
    only: Option<usize>,
    view: Option<Frame>,
) -> Option<Drawing> {
    let start = web_sys::window()?.performance().map(|p| p.now());
    let (w, h) = (el.width(), el.height());
    let visible: Vec<bool> = (0..palette.len())
        .map(|i| only.is_none_or(|o| o == i))
        .collect();
    let fit = Frame::fit(&map.points, w, h, (8.0 * ratio) as f32);
    // A zoomed view keeps its data bounds; the canvas size is always the current one.
    let frame = view.map_or(fit, |v| Frame {
        x: v.x,
        y: v.y,
        clip: true,
        ..fit
    });
    let raster = Raster::new(
        &map.segments,
        palette,
        &visible,
        &frame,
        (RADIUS * ratio).round() as u32,
    );
    Some(Drawing {
        raster,
        visible,
        ratio,
        start,
    })
}

impl Drawing {
    /// Puts the finished picture on the canvas.
    fn finish(self, el: &HtmlCanvasElement) -> Option<Drawn> {
        let frame = *self.raster.frame();
        let context: CanvasRenderingContext2d = el.get_context("2d").ok()??.dyn_into().ok()?;
        let image = ImageData::new_with_u8_clamped_array_and_sh(
            Clamped(self.raster.pixels()),
            frame.width,
            frame.height,
        )
        .ok()?;
        context.put_image_data(&image, 0.0, 0.0).ok()?;
        if let (Some(start), Some(p)) =
            (self.start, web_sys::window().and_then(|w| w.performance()))
        {
            // For the end-to-end tests and the curious: how long the picture took.
            let _ = el.set_attribute("data-draw-ms", &format!("{:.1}", p.now() - start));
        }
        Some(Drawn {
            frame,
            visible: self.visible,
            hits: std::sync::OnceLock::new(),
            ratio: self.ratio,
        })
    }
}

/// Draws [`PART`] customers of `drawing`, and the rest in later tasks, unless another
/// drawing (`generation` past `started`) or the end of the map stops it.
fn draw_in_parts(
    el: HtmlCanvasElement,
    mut drawing: Drawing,
    map: StoredValue<MapView>,
    grid: StoredValue<Option<Drawn>>,
    generation: StoredValue<u32>,
    started: u32,
) {
    if generation.try_get_value() != Some(started) {
        return;
    }
    let Some(done) = map.try_with_value(|m| drawing.raster.draw(&m.points, &m.segments, PART))
    else {
        return;
    };
    if !done {
        set_timeout(
            move || draw_in_parts(el, drawing, map, grid, generation, started),
            std::time::Duration::ZERO,
        );
    } else if let Some(drawn) = drawing.finish(&el) {
        grid.try_set_value(Some(drawn));
    }
}

/// Saves the map with a background, its axis titles and the legend as a PNG file.
fn save_png(
    el: &HtmlCanvasElement,
    profiles: &[SegmentProfile],
    (x_title, y_title): &(String, String),
) -> Result<(), String> {
    let err = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let (w, h) = (el.width(), el.height());
    let legend_rows = profiles.len().div_ceil(3) as u32;
    let (left, bottom) = (40u32, 40 + 24 * legend_rows);
    let css = |name: &str, fallback: &str| css_var(el, name).unwrap_or_else(|| fallback.to_owned());
    let (out, cx) = blank_canvas(w + left, h + bottom, &css("--surface", "#ffffff"))?;
    cx.draw_image_with_html_canvas_element(el, f64::from(left), 0.0)
        .map_err(err)?;
    cx.set_fill_style_str(&css("--text", "#1c2430"));
    cx.set_font("14px system-ui, sans-serif");
    cx.fill_text(x_title, f64::from(left) + 8.0, f64::from(h) + 24.0)
        .map_err(err)?;
    cx.save();
    cx.translate(24.0, f64::from(h) / 2.0).map_err(err)?;
    cx.rotate(-std::f64::consts::FRAC_PI_2).map_err(err)?;
    cx.set_text_align("center");
    cx.set_font("12px system-ui, sans-serif");
    cx.fill_text(y_title, 0.0, 0.0).map_err(err)?;
    cx.restore();
    let palette = colors(el, profiles);
    let column = f64::from(w + left) / 3.0;
    for (i, (p, c)) in profiles.iter().zip(&palette).enumerate() {
        let x = f64::from(left) + column * (i % 3) as f64;
        let y = f64::from(h) + 44.0 + 24.0 * (i / 3) as f64;
        cx.set_fill_style_str(&format!("rgb({},{},{})", c[0], c[1], c[2]));
        cx.fill_rect(x, y - 11.0, 12.0, 12.0);
        cx.set_fill_style_str(&css("--text", "#1c2430"));
        cx.fill_text(&p.name, x + 18.0, y).map_err(err)?;
    }
    let url = out.to_data_url_with_type("image/png").map_err(err)?;
    crate::download::download_url("customer_map.png", &url)
}
