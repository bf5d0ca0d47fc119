//! Charts drawn as SVG by our own code (survey requirement: no JavaScript chart library): they render on
//! the server like the rest of the page, so they show before the WebAssembly loads and read
//! the same to a screen reader (each chart has a label, each mark a title).

use leptos::prelude::*;
use ventanilla::survey::NpsSummary;

/// Width of the NPS split bar in viewBox units.
const SPLIT_WIDTH: f64 = 300.0;

/// The widths of the promoters, passives and detractors parts of a bar `width` long.
pub fn split_widths(nps: &NpsSummary, width: f64) -> [f64; 3] {
    let total = nps.total() as f64;
    if total == 0.0 {
        return [0.0; 3];
    }
    [nps.promoters, nps.passives, nps.detractors].map(|n| n as f64 * width / total)
}

fn percent(part: u64, total: u64) -> String {
    if total == 0 {
        "0 %".to_string()
    } else {
        format!("{:.0} %", part as f64 * 100.0 / total as f64)
    }
}

/// One horizontal bar split into promoters, passives and detractors.
#[component]
pub fn NpsSplitBar(nps: NpsSummary) -> impl IntoView {
    let total = nps.total();
    let [promoters, passives, detractors] = split_widths(&nps, SPLIT_WIDTH);
    let label = format!(
        "Promotores {}, neutros {}, detractores {}",
        percent(nps.promoters, total),
        percent(nps.passives, total),
        percent(nps.detractors, total)
    );
    let parts = [
        ("promotores", 0.0, promoters, "Promotores", nps.promoters),
        ("neutros", promoters, passives, "Neutros", nps.passives),
        (
            "detractores",
            promoters + passives,
            detractors,
            "Detractores",
            nps.detractors,
        ),
    ];
    let aria = label.clone();
    view! {
        <svg class="chart nps-split" viewBox=format!("0 0 {SPLIT_WIDTH} 24") role="img" aria-label=aria
            preserveAspectRatio="none">
            <title>{label}</title>
            {parts
                .into_iter()
                .filter(|(_, _, width, _, _)| *width > 0.0)
                .map(|(class, x, width, name, count)| view! {
                    <rect class=format!("part {class}") x=format!("{x:.2}") y="0" width=format!("{width:.2}") height="24">
                        <title>{format!("{name}: {count} ({})", percent(count, total))}</title>
                    </rect>
                })
                .collect_view()}
        </svg>
    }
}

/// Height of the bar chart's plotting area, in viewBox units.
const PLOT_HEIGHT: f64 = 120.0;
const BAR_STEP: f64 = 48.0;
const BAR_WIDTH: f64 = 32.0;
const LABEL_ROOM: f64 = 18.0;

/// Where a bar for `value` on a `min`–`max` scale sits: (top, height) within a plot `height`
/// tall, measured from zero so negative NPS values hang below the baseline.
pub fn bar_geometry(value: f64, min: f64, max: f64, height: f64) -> (f64, f64) {
    let span = (max - min).max(f64::EPSILON);
    let y = |v: f64| height - (v.clamp(min, max) - min) * height / span;
    let zero = y(0.0_f64.clamp(min, max));
    let top = y(value);
    (top.min(zero), (top - zero).abs())
}

/// Vertical bars, one per labelled value (e.g. NPS per month), on a fixed `min`–`max` scale.
#[component]
pub fn Bars(
    /// What the chart shows, for screen readers.
    title: String,
    values: Vec<(String, f64)>,
    min: f64,
    max: f64,
    /// How a value reads in a bar's title ("+30", "85 %").
    format: fn(f64) -> String,
) -> impl IntoView {
    let width = (values.len() as f64 * BAR_STEP).max(BAR_STEP);
    let (zero, _) = bar_geometry(0.0, min, max, PLOT_HEIGHT);
    let aria = title.clone();
    view! {
        <svg class="chart bars" viewBox=format!("0 0 {width} {}", PLOT_HEIGHT + LABEL_ROOM) role="img" aria-label=aria>
            <title>{title}</title>
            <line class="baseline" x1="0" x2=format!("{width}") y1=format!("{zero:.2}") y2=format!("{zero:.2}") />
            {values
                .into_iter()
                .enumerate()
                .map(|(index, (label, value))| {
                    let (top, height) = bar_geometry(value, min, max, PLOT_HEIGHT);
                    let x = index as f64 * BAR_STEP + (BAR_STEP - BAR_WIDTH) / 2.0;
                    let class = if value < 0.0 { "bar negative" } else { "bar" };
                    view! {
                        <g>
                            <rect class=class x=format!("{x:.2}") y=format!("{top:.2}") width=format!("{BAR_WIDTH}")
                                height=format!("{height:.2}")>
                                <title>{format!("{label}: {}", format(value))}</title>
                            </rect>
                            <text x=format!("{:.2}", x + BAR_WIDTH / 2.0) y=format!("{}", PLOT_HEIGHT + LABEL_ROOM - 4.0)
                                text-anchor="middle">{label}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn summary(promoters: u64, passives: u64, detractors: u64) -> NpsSummary {
        let scores: Vec<u8> = std::iter::repeat_n(10, promoters as usize)
            .chain(std::iter::repeat_n(7, passives as usize))
            .chain(std::iter::repeat_n(3, detractors as usize))
            .collect();
        ventanilla::survey::nps(&scores).unwrap()
    }

    #[test]
    fn the_split_is_proportional_and_fills_the_bar() {
        let [p, n, d] = split_widths(&summary(50, 30, 20), 300.0);
        assert_eq!((p, n, d), (150.0, 90.0, 60.0));
        assert_eq!(split_widths(&summary(1, 0, 0), 300.0), [300.0, 0.0, 0.0]);
    }

    #[test]
    fn the_split_bar_renders_one_titled_rect_per_group_present() {
        let html = view! { <NpsSplitBar nps=summary(50, 30, 20) /> }.to_html();
        assert!(html.starts_with("<svg"), "{html}");
        assert_eq!(html.matches("<rect").count(), 3, "{html}");
        assert!(html.contains(r#"aria-label="Promotores 50 %, neutros 30 %, detractores 20 %""#));
        assert!(
            html.contains(
                r#"<rect x="150.00" y="0" width="90.00" height="24" class="part neutros">"#
            ),
            "{html}"
        );
        assert!(
            html.contains("<title>Detractores: 20 (20 %)</title>"),
            "{html}"
        );
        // A group with no answers draws nothing rather than a zero-width mark.
        let html = view! { <NpsSplitBar nps=summary(2, 0, 2) /> }.to_html();
        assert_eq!(html.matches("<rect").count(), 2, "{html}");
    }

    #[test]
    fn bars_hang_from_zero() {
        // NPS scale −100…+100 on a 120-unit plot: zero at 60.
        assert_eq!(bar_geometry(50.0, -100.0, 100.0, 120.0), (30.0, 30.0));
        assert_eq!(bar_geometry(-100.0, -100.0, 100.0, 120.0), (60.0, 60.0));
        // A 0–100 % scale has its zero at the bottom.
        assert_eq!(bar_geometry(100.0, 0.0, 100.0, 120.0), (0.0, 120.0));
        assert_eq!(bar_geometry(250.0, 0.0, 100.0, 120.0), (0.0, 120.0));
    }

    #[test]
    fn bars_render_one_labelled_bar_per_value() {
        let values = vec![
            ("2026-10".to_string(), 30.0),
            ("2026-11".to_string(), -20.0),
        ];
        let html = view! {
            <Bars title="NPS por mes".to_string() values min=-100.0 max=100.0 format=|v: f64| format!("{v:+.0}") />
        }
        .to_html();
        assert!(html.contains(r#"aria-label="NPS por mes""#), "{html}");
        assert_eq!(html.matches("<rect").count(), 2, "{html}");
        assert!(html.contains("<title>2026-10: +30</title>"), "{html}");
        assert!(html.contains("<title>2026-11: -20</title>"), "{html}");
        assert!(html.contains(r#"class="bar negative""#), "{html}");
        assert!(html.contains(">2026-11</text>"), "{html}");
    }
}
