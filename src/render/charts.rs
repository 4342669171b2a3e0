//! Charts as inline SVG, drawn by hand: a column chart for counts over time and a
//! horizontal bar chart for counts by category. Hand-made because the two shapes are
//! a few dozen lines each, the output must be small, deterministic, styled by the
//! theme's CSS (dark mode included) and accessible, and the chart crates we looked at
//! (plotters, charming) either draw whole documents with fixed colours or need a
//! JavaScript runtime. Every chart has a `<title>` and a `<desc>`, each bar a
//! `<title>` with its exact number, and the page shows the same numbers as a table
//! (`ChartView::rows`, rendered by the `chart` component).

use super::feeds::escape_xml as esc;
use serde::Serialize;
use std::fmt::Write;

/// One bar: its label, its number and where it leads (if anywhere).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: u32,
    pub url: Option<String>,
}

/// A chart and its numbers, for templates (`{{ <chart c={...}/> }}`).
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    /// Unique on its page: the SVG's title and description ids derive from it.
    pub id: String,
    pub title: String,
    /// What the numbers count, as a column heading ("Incidents").
    pub unit: String,
    /// The SVG element, ready to insert.
    pub svg: String,
    /// The same numbers as the bars, in order, for the table under the chart.
    pub rows: Vec<Bar>,
    /// A sentence under the chart (what was left out, and why), if any.
    pub note: Option<String>,
}

const WIDTH: f64 = 720.0;

/// The largest value's axis: a "nice" maximum (1, 2 or 5 times a power of ten, times
/// the tick count) and the step between ticks.
fn axis(max: u32) -> (u32, u32) {
    let max = max.max(1);
    let mut step = 1u32;
    loop {
        for m in [1u32, 2, 5] {
            let s = step.saturating_mul(m);
            if s.saturating_mul(4) >= max {
                return (s.saturating_mul(max.div_ceil(s)), s);
            }
        }
        step = step.saturating_mul(10);
    }
}

fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The opening tag, title and description. A chart whose bars are links is a `group`
/// (an `img` would hide the links from assistive technology), else an `img`.
fn open_svg(out: &mut String, id: &str, title: &str, desc: &str, height: f64, linked: bool) {
    let role = if linked { "group" } else { "img" };
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"{role}\" \
         aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{t}</title>\
         <desc id=\"{id}-desc\">{d}</desc>",
        w = num(WIDTH),
        h = num(height),
        id = esc(id),
        t = esc(title),
        d = esc(desc),
    );
}

/// Columns over time: one per bar, left to right, with a label under the columns
/// `label_at` names (years, say), spaced so labels never overlap.
pub fn columns(
    id: &str,
    title: &str,
    desc: &str,
    bars: &[Bar],
    label_at: impl Fn(usize) -> Option<String>,
) -> String {
    const HEIGHT: f64 = 200.0;
    let (left, right, top, bottom) = (40.0, 8.0, 10.0, 26.0);
    let plot_w = WIDTH - left - right;
    let plot_h = HEIGHT - top - bottom;
    let mut out = String::new();
    open_svg(
        &mut out,
        id,
        title,
        desc,
        HEIGHT,
        bars.iter().any(|b| b.url.is_some()),
    );
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let (top_value, step) = axis(max);
    let y = |v: u32| top + plot_h - plot_h * f64::from(v) / f64::from(top_value);
    out.push_str("<g class=\"axis\">");
    let mut v = 0;
    while v <= top_value {
        let _ = write!(
            out,
            "<line x1=\"{l}\" x2=\"{r}\" y1=\"{y}\" y2=\"{y}\"/><text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{v}</text>",
            l = num(left),
            r = num(WIDTH - right),
            y = num(y(v)),
            tx = num(left - 6.0),
            ty = num(y(v) + 4.0),
        );
        v += step;
    }
    // Columns at most 48 units wide, so that a chart of one or two months does not
    // draw a block across the page.
    let slot = (plot_w / bars.len().max(1) as f64).min(48.0);
    // At least 44 px between labels: a four-digit year at this size.
    let every = (44.0 / slot).ceil().max(1.0) as usize;
    let mut last_label: Option<usize> = None;
    for i in 0..bars.len() {
        if let Some(text) = label_at(i)
            && last_label.is_none_or(|l| i - l >= every)
        {
            last_label = Some(i);
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{y}\">{t}</text>",
                x = num(left + slot * i as f64),
                y = num(HEIGHT - 8.0),
                t = esc(&text),
            );
        }
    }
    out.push_str("</g><g class=\"bars\">");
    let gap = if slot >= 4.0 {
        (slot * 0.15).min(4.0)
    } else {
        0.0
    };
    for (i, b) in bars.iter().enumerate() {
        if b.value == 0 {
            continue;
        }
        let (x, top_y) = (left + slot * i as f64 + gap / 2.0, y(b.value));
        let rect = format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\"><title>{t}: {v}</title></rect>",
            x = num(x),
            y = num(top_y),
            w = num((slot - gap).max(0.5)),
            h = num(top + plot_h - top_y),
            t = esc(&b.label),
            v = b.value,
        );
        push_linked(&mut out, b.url.as_deref(), &rect);
    }
    out.push_str("</g></svg>");
    out
}

/// Horizontal bars, one row each, label on the left and number on the right.
pub fn bars(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    const ROW: f64 = 26.0;
    let (label_w, value_w, top) = (230.0, 56.0, 4.0);
    let height = top * 2.0 + ROW * bars.len().max(1) as f64;
    let plot_w = WIDTH - label_w - value_w;
    let mut out = String::new();
    open_svg(
        &mut out,
        id,
        title,
        desc,
        height,
        bars.iter().any(|b| b.url.is_some()),
    );
    let max = f64::from(bars.iter().map(|b| b.value).max().unwrap_or(0).max(1));
    out.push_str("<g class=\"bars\">");
    for (i, b) in bars.iter().enumerate() {
        let y = top + ROW * i as f64;
        let w = (plot_w * f64::from(b.value) / max).max(if b.value > 0 { 1.0 } else { 0.0 });
        let label = shorten(&b.label, 30);
        let row = format!(
            "<text class=\"label\" x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{l}</text>\
             <rect x=\"{bx}\" y=\"{by}\" width=\"{w}\" height=\"{h}\"><title>{t}: {v}</title></rect>\
             <text class=\"value\" x=\"{vx}\" y=\"{ty}\">{v}</text>",
            lx = num(label_w - 8.0),
            ty = num(y + ROW / 2.0 + 5.0),
            l = esc(&label),
            bx = num(label_w),
            by = num(y + 4.0),
            w = num(w),
            h = num(ROW - 8.0),
            t = esc(&b.label),
            v = b.value,
            vx = num(label_w + w + 6.0),
        );
        push_linked(&mut out, b.url.as_deref(), &row);
    }
    out.push_str("</g></svg>");
    out
}

fn push_linked(out: &mut String, url: Option<&str>, inner: &str) {
    match url {
        Some(u) => {
            let _ = write!(out, "<a href=\"{}\">{inner}</a>", esc(u));
        }
        None => out.push_str(inner),
    }
}

/// At most `max` characters, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}

/// The first `keep` bars, and the rest summed into one "N others" bar, so a chart of
/// a long tail stays readable; the table shows the same bars.
pub fn top_and_rest(mut bars: Vec<Bar>, keep: usize, others: &str) -> Vec<Bar> {
    if bars.len() <= keep + 1 {
        return bars;
    }
    let rest = bars.split_off(keep);
    bars.push(Bar {
        label: format!("{} other {others}", rest.len()),
        value: rest.iter().map(|b| b.value).sum(),
        url: None,
    });
    bars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: u32) -> Bar {
        Bar {
            label: label.into(),
            value,
            url: None,
        }
    }

    #[test]
    fn axes_are_round_and_hold_the_maximum() {
        for (max, want) in [
            (0, (1, 1)),
            (1, (1, 1)),
            (4, (4, 1)),
            (5, (6, 2)),
            (9, (10, 5)),
            (37, (40, 10)),
            (1234, (1500, 500)),
        ] {
            let (top, step) = axis(max);
            assert_eq!((top, step), want, "max {max}");
            assert!(top >= max && top / step <= 5);
        }
        assert!(axis(u32::MAX).0 >= u32::MAX / 2);
    }

    #[test]
    fn text_is_escaped_and_the_labels_shortened() {
        let svg = bars(
            "c<1",
            "A & B",
            "<desc>",
            &[bar(
                "<script>x</script> and a very long label indeed, longer",
                3,
            )],
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("A &amp; B"));
        assert!(svg.contains("…"));
        assert!(svg.contains("id=\"c&lt;1-title\""));
    }

    #[test]
    fn zero_bars_are_not_drawn_and_every_other_is() {
        let svg = columns(
            "m",
            "t",
            "d",
            &[bar("a", 0), bar("b", 2), bar("c", 1)],
            |_| None,
        );
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("<title>b: 2</title>"));
    }

    #[test]
    fn the_rest_is_summed_into_one_bar() {
        let v: Vec<Bar> = (0..20).map(|i| bar(&i.to_string(), 20 - i)).collect();
        let t = top_and_rest(v, 5, "countries");
        assert_eq!(t.len(), 6);
        assert_eq!(t[5].label, "15 other countries");
        assert_eq!(t[5].value, (1..=15).sum::<u32>());
        assert_eq!(
            top_and_rest(vec![bar("a", 1), bar("b", 1)], 1, "x").len(),
            2
        );
    }
}
