//! The printable report: one self-contained HTML file (no scripts, no outside assets) with
//! the segments, how they were found, their quality, and a model card — data flow, inputs
//! used and left out, limitations and a human-oversight note — as transparency duties
//! for marketing profiling expect (GDPR Articles 13–15 and 22; the EU AI Act's emphasis on
//! documentation and human oversight). Print it to PDF from the browser.

use std::fmt::Write;

use crate::pipeline::{Report, Segmentation};
use crate::recipe::Recipe;
use crate::table::Table;

/// What the report is about, besides the segmentation.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext<'a> {
    /// The file the customers come from.
    pub source: &'a str,
    /// The customer table (for the columns left out).
    pub table: &'a Table,
    /// The choices that produced the segmentation.
    pub recipe: &'a Recipe,
    /// Where the work ran, e.g. "in this browser" or "on this computer (segmenta CLI)".
    pub place: &'a str,
    /// Notes on reading and preparing the data.
    pub notes: &'a [String],
}

/// Escapes text for HTML, so that cells such as `<img src=x onerror=alert(1)>` show as
/// text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1c2430;max-width:52rem;margin:2rem auto;padding:0 1.25rem}\
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #d5dbe3;padding-bottom:.25rem}\
h3{font-size:1.02rem;margin:0 0 .25rem}.muted{color:#5b6676}.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.75rem}\
.card{border:1px solid #d5dbe3;border-radius:8px;padding:.6rem .8rem;break-inside:avoid}.card ul{margin:.3rem 0 0;padding-left:1.1rem;font-size:.92rem}\
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e7ed}\
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.bar{display:inline-block;height:.6rem;background:#2f6fde;border-radius:2px;vertical-align:middle}\
.swatch{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.4rem;vertical-align:-.05rem}\
.wide{overflow-x:auto}.heat{font-size:.85rem}.heat td{white-space:nowrap}.heat td:first-child{white-space:normal}.heat th{vertical-align:bottom}.heat .all{font-weight:600;border-left:2px solid #d5dbe3}\
.map{width:100%;height:auto;border:1px solid #d5dbe3;border-radius:8px}.legend span{margin-right:1rem;white-space:nowrap;font-size:.92rem}\
.note{background:#f3f6fa;border-left:4px solid #2f6fde;padding:.6rem .8rem;margin:.75rem 0}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}.card{break-inside:avoid}}";

/// The report as one HTML document.
pub fn report_html(result: &Segmentation, ctx: &ReportContext<'_>) -> String {
    let report: Report = result.report();
    let e = escape;
    let mut h = String::new();
    let everyone = report.segments.iter().map(|s| s.size).sum::<usize>().max(1);
    // Writing to a String cannot fail; results are ignored rather than unwrapped.
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>Segmentation report — {source}</title><style>{STYLE}</style></head><body>\
         <h1>Segmentation report</h1>\
         <p class=\"muted\">{source} · {k} segments among {n} customers · {algorithm}</p>",
        source = e(ctx.source),
        k = report.k,
        n = crate::numbers::count(report.segmented),
        algorithm = e(result.algorithm.label()),
    );

    // Segments.
    h.push_str("<h2>The segments</h2><div class=\"cards\">");
    for s in &report.segments {
        let share = s.size as f64 / everyone as f64;
        let _ = write!(
            h,
            "<section class=\"card\"><h3>{}</h3><p class=\"muted\">{} customers · {}</p><ul>",
            e(&s.name),
            crate::numbers::count(s.size),
            crate::numbers::percent(share, 0)
        );
        for sentence in result
            .segments
            .iter()
            .find(|p| p.name == s.name)
            .map(|p| p.description.as_slice())
            .unwrap_or_default()
        {
            let _ = write!(h, "<li>{}</li>", e(sentence));
        }
        h.push_str("</ul></section>");
    }
    h.push_str("</div>");

    h.push_str("<h2>Sizes</h2><table><thead><tr><th>Segment</th><th class=\"num\">Customers</th><th class=\"num\">Share</th><th style=\"width:40%\"></th></tr></thead><tbody>");
    for s in &result.segments {
        let share = s.size as f64 / everyone as f64;
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td><span class=\"bar\" style=\"width:{:.1}%;background:{}\"></span></td></tr>",
            swatch_name(s),
            crate::numbers::count(s.size),
            crate::numbers::percent(share, 1),
            share * 100.0,
            segment_color(s)
        );
    }
    h.push_str("</tbody></table>");
    profiles(&mut h, result);
    map(&mut h, result);

    // Method and parameters.
    let _ = write!(
        h,
        "<h2>How the segments were found</h2><p>{} — {}</p>",
        e(result.algorithm.label()),
        e(result.algorithm.help())
    );
    if let Some(r) = &report.recommendation {
        let _ = write!(h, "<p>Number of segments: {}</p>", e(r));
    }
    h.push_str("<table><thead><tr><th>Feature</th><th>Missing values</th><th>Shape</th><th>Scaling</th><th class=\"num\">Weight</th></tr></thead><tbody>");
    for f in &ctx.recipe.features {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            e(&crate::explain::describe::label(&f.name)),
            e(&f.missing.words()),
            match (f.log, f.winsorize) {
                (true, Some((lo, hi))) => format!("log, capped at {lo}–{hi}th percentile"),
                (false, Some((lo, hi))) => format!("capped at {lo}–{hi}th percentile"),
                (true, None) => "log".to_owned(),
                (false, None) => "none".to_owned(),
            },
            f.scale.words(),
            f.weight
        );
    }
    h.push_str("</tbody></table>");
    if !ctx.recipe.categorical.is_empty() {
        let _ = write!(
            h,
            "<p>Category columns: {}.</p>",
            e(&ctx.recipe.categorical.join(", "))
        );
    }
    let settings = report
        .settings
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let _ = write!(
        h,
        "<p class=\"muted\">Settings: {}; seed {}.</p>",
        e(&settings),
        ctx.recipe.clustering.seed
    );

    // Quality.
    let m = &report.metrics;
    let _ = write!(
        h,
        "<h2>Quality</h2><table><tbody>\
         <tr><td>Silhouette</td><td class=\"num\">{}</td><td>From −1 to 1: how much closer customers are to their own segment than to the next one; higher is better.{}</td></tr>\
         <tr><td>Calinski-Harabasz</td><td class=\"num\">{}</td><td>Separation against spread; higher is better, for comparing runs on the same data.</td></tr>\
         <tr><td>Davies-Bouldin</td><td class=\"num\">{}</td><td>Overlap with the most similar segment; lower is better, 0 is none.</td></tr>\
         </tbody></table>",
        crate::numbers::fixed(m.silhouette, 3),
        m.silhouette_sample
            .map(|n| format!(
                " Computed on a sample of {} customers.",
                crate::numbers::count(n)
            ))
            .unwrap_or_default(),
        crate::numbers::fixed(m.calinski_harabasz, 1),
        crate::numbers::fixed(m.davies_bouldin, 3)
    );

    // Model card.
    let used: Vec<String> = report
        .features
        .iter()
        .chain(&report.categories)
        .map(|f| crate::explain::describe::label(f))
        .collect();
    let personal: Vec<String> = ctx
        .table
        .columns()
        .iter()
        .filter_map(|c| c.pii.map(|p| format!("{} ({})", c.name, p.label())))
        .collect();
    let _ = write!(
        h,
        "<h2>Model card</h2>\
         <p class=\"note\"><strong>Data flow.</strong> All processing happened {place}: the files were read, the features built and the segments found locally. No customer data was uploaded or sent anywhere.</p>\
         <p><strong>Inputs used:</strong> {used}.</p>\
         <p><strong>Left out:</strong> {personal} Personal data is never used to form segments; it is only re-attached, at the user's request, in contact exports.</p>",
        place = e(ctx.place),
        used = e(&used.join(", ")),
        personal = if personal.is_empty() {
            "no column was recognised as personal data.".to_owned()
        } else {
            format!("{} (recognised as personal data).", e(&personal.join(", ")))
        },
    );
    if !ctx.notes.is_empty() || !result.notes.is_empty() {
        h.push_str("<p><strong>Data preparation:</strong></p><ul>");
        for n in ctx.notes.iter().chain(&result.notes) {
            let _ = write!(h, "<li>{}</li>", e(n));
        }
        h.push_str("</ul>");
    }
    h.push_str(
        "<p><strong>Limitations.</strong> Segments describe patterns in the data given, at the analysis date; they change as customers do, and a different number of segments or other features would group customers differently. Averages hide spread: a segment's description fits its typical customer, not every member. Names are suggestions drawn from the numbers shown, not facts about people.</p>\
         <p><strong>Human oversight.</strong> This segmentation supports marketing decisions made by people. Review each segment's description and intended action before use, check the fairness view for groups over- or under-represented in a segment, and do not use segments alone for decisions with legal or similarly significant effects on a person. Customers may ask what data was used about them and object to profiling for direct marketing.</p>",
    );
    let _ = write!(
        h,
        "<p class=\"muted\">Made with Segmenta. The recipe (every choice above, no customer data) reproduces these segments from the same files.</p></body></html>"
    );
    h
}

/// The page's segment palette (Okabe-Ito, safe for colour-blind readers), so a segment
/// has the same colour in the report as on the page.
const PALETTE: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#6b6b6b",
];
/// Outliers, in grey.
const OUTLIER_COLOR: &str = "#9aa3ad";
/// At most this many customers are drawn on the map.
const MAP_POINTS: usize = 3_000;

fn segment_color(profile: &crate::explain::SegmentProfile) -> &'static str {
    if profile.outliers {
        OUTLIER_COLOR
    } else {
        PALETTE
            .get(profile.id % PALETTE.len())
            .copied()
            .unwrap_or(OUTLIER_COLOR)
    }
}

/// A segment name with its colour swatch.
fn swatch_name(profile: &crate::explain::SegmentProfile) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:{}\"></span>{}",
        segment_color(profile),
        escape(&profile.name)
    )
}

/// Each segment's average of every feature, shaded by how far it is from everyone's
/// (orange above, blue below): the page's profile heatmap, as a table that prints.
fn profiles(h: &mut String, result: &Segmentation) {
    if result.features.is_empty() {
        return;
    }
    // One row per feature and one column per segment, so that it fits a printed page.
    h.push_str(
        "<h2>Profiles</h2><p class=\"muted\">Each segment's average; orange cells are above the average of all customers, blue cells below, and the stronger the colour, the further from it.</p><div class=\"wide\"><table class=\"heat\"><thead><tr><th>Feature</th>",
    );
    for s in &result.segments {
        let _ = write!(h, "<th class=\"num\">{}</th>", swatch_name(s));
    }
    h.push_str("<th class=\"num all\">All customers</th></tr></thead><tbody>");
    for (j, feature) in result.features.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td>{}</td>",
            escape(&crate::explain::describe::label(feature))
        );
        for s in &result.segments {
            let (Some(&mean), Some(&z)) = (s.means.get(j), s.z.get(j)) else {
                h.push_str("<td></td>");
                continue;
            };
            // Full colour at two standard deviations from everyone's average.
            let strength = (z.abs() / 2.0).min(1.0) * 0.6;
            let (r, g, b) = if z >= 0.0 {
                (230, 159, 0)
            } else {
                (0, 114, 178)
            };
            let _ = write!(
                h,
                "<td class=\"num\" style=\"background:rgba({r},{g},{b},{strength:.2})\">{}</td>",
                crate::explain::describe::figure(mean)
            );
        }
        let _ = write!(
            h,
            "<td class=\"num all\">{}</td></tr>",
            result
                .overall
                .means
                .get(j)
                .map_or_else(String::new, |m| crate::explain::describe::figure(*m))
        );
    }
    h.push_str("</tbody></table></div>");
}

/// The customer map: every customer (or an even sample of them) as a dot, placed by the
/// first two principal components and coloured by segment.
fn map(h: &mut String, result: &Segmentation) {
    let Some(m) = &result.map else { return };
    let n = m.coords.nrows();
    if n == 0 || m.coords.ncols() < 2 {
        return;
    }
    let (w, ht, pad) = (640.0, 400.0, 12.0);
    let bounds = |j: usize| {
        let column = m.coords.column(j);
        let lo = column.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo, (hi - lo).max(f64::EPSILON))
    };
    let ((x0, xs), (y0, ys)) = (bounds(0), bounds(1));
    let step = n.div_ceil(MAP_POINTS).max(1);
    let shown = n.div_ceil(step);
    let share = |i: usize| {
        m.pca
            .explained_variance_ratio
            .get(i)
            .map_or_else(|| "0%".to_owned(), |v| crate::numbers::percent(*v, 0))
    };
    let _ = write!(
        h,
        "<h2>Customer map</h2><svg class=\"map\" viewBox=\"0 0 {w} {ht}\" role=\"img\" aria-label=\"Customers as dots, coloured by segment\"><rect width=\"{w}\" height=\"{ht}\" fill=\"#f7f8fa\"/>"
    );
    for i in (0..n).step_by(step) {
        let Some(profile) = m
            .rows
            .get(i)
            .and_then(|&row| result.labels.get(row).copied().flatten())
            .and_then(|l| result.segments.get(l))
        else {
            continue;
        };
        let (Some(&cx), Some(&cy)) = (m.coords.get([i, 0]), m.coords.get([i, 1])) else {
            continue;
        };
        let x = pad + (cx - x0) / xs * (w - 2.0 * pad);
        let y = ht - pad - (cy - y0) / ys * (ht - 2.0 * pad);
        let _ = write!(
            h,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.2\" fill=\"{}\" fill-opacity=\"0.7\"/>",
            segment_color(profile)
        );
    }
    h.push_str("</svg><p class=\"legend\">");
    for s in &result.segments {
        let _ = write!(h, "<span>{}</span>", swatch_name(s));
    }
    let _ = write!(
        h,
        "</p><p class=\"muted\">Each dot is a customer{}, placed by the two directions in which customers differ most (principal components of the prepared features: across {} of the spread, up {}). Customers close together are alike; the map flattens many features into two, so some overlap is expected.</p>",
        if step > 1 {
            format!(
                " (an even sample of {} of {})",
                crate::numbers::count(shown),
                crate::numbers::count(n)
            )
        } else {
            String::new()
        },
        share(0),
        share(1)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{ReadOptions, read_bytes};
    use crate::pipeline::segment;
    use crate::progress::NoProgress;

    #[test]
    fn the_report_escapes_everything_and_has_a_model_card() {
        let mut csv = String::from("id,email,<img src=x onerror=alert(1)>,visits\n");
        for i in 0..30 {
            let spend = if i % 2 == 0 { 10 + i } else { 500 + i };
            csv.push_str(&format!("C{i},c{i}@example.com,{spend},{}\n", i % 7));
        }
        let t = read_bytes(csv.as_bytes(), &ReadOptions::default())
            .unwrap()
            .table;
        let recipe =
            Recipe::new(vec!["<img src=x onerror=alert(1)>".into(), "visits".into()]).with_k(2);
        let s = segment(&t, &recipe, &mut NoProgress).unwrap();
        let html = report_html(
            &s,
            &ReportContext {
                source: "shop <b>.csv",
                table: &t,
                recipe: &recipe,
                place: "in this browser",
                notes: &[],
            },
        );
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("<img") && !html.contains("<script") && !html.contains("<b>"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("shop &lt;b&gt;.csv"));
        for heading in [
            "The segments",
            "Profiles",
            "Customer map",
            "How the segments were found",
            "Quality",
            "Model card",
        ] {
            assert!(html.contains(&format!("<h2>{heading}</h2>")), "{heading}");
        }
        assert!(html.contains("All processing happened in this browser"));
        assert!(
            html.contains("email (email address) (recognised as personal data)"),
            "{html}"
        );
        assert!(html.contains("Human oversight"));
        for p in &s.segments {
            assert!(html.contains(&escape(&p.name)));
        }
        // Every customer is a dot; a profile row per segment and one for everyone.
        assert_eq!(html.matches("<circle ").count(), 30);
        assert_eq!(
            html.matches("<tr><td><span class=\"swatch\"").count(),
            s.segments.len()
        );
        assert_eq!(
            html.matches("<th class=\"num\"><span class=\"swatch\"")
                .count(),
            s.segments.len()
        );
        assert!(html.contains("<th class=\"num all\">All customers</th>"));
    }
}
