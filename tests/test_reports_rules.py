"""The report's pure parts: rates, the period check and the SVG bar charts (no app)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from somet.reports import rules
from somet.reports.charts import LABEL_WIDTH, VALUE_WIDTH, WIDTH, Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_completion_rate_counts_only_judged_enrollments():
    counts = {"completed": 6, "incomplete": 1, "withdrawn": 1, "confirmed": 12, "invited": 3}
    assert rules.completion_rate(counts) == 75.0
    assert rules.completion_rate({"confirmed": 4}) is None  # nobody judged yet: no rate
    assert rules.share(1, 3) == 33.3 and rules.share(0, 0) is None


def test_averages_round_and_need_answers():
    assert rules.average(13, 3) == 4.33
    assert rules.average(None, 0) is None and rules.average(5, 0) is None


def test_a_period_ending_before_it_starts_is_refused():
    assert rules.period_problem(date(2024, 1, 2), date(2024, 1, 1)) == "end_before_start"
    assert rules.period_problem(date(2024, 1, 1), date(2024, 1, 1)) is None
    assert rules.period_problem(None, date(2024, 1, 1)) is None


def test_bar_chart_is_valid_svg_named_for_screen_readers_with_bars_to_scale():
    svg = bar_chart("Doctors trained", [Bar("Cardiology", 10), Bar("Neonatology", 5)], chart_id="c")
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title"
    assert root.find(f"{SVG}title").text == "Doctors trained"
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1] > 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Cardiology", "10", "Neonatology", "5"]


def test_bar_chart_escapes_text_and_scales_to_a_given_maximum():
    svg = bar_chart('<script>alert("x")</script>', [Bar("A & <b>", 2.5, "2.5/5")], maximum=5)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; &lt;b&gt;" in svg
    root = ET.fromstring(svg)  # noqa: S314 - still well-formed
    (rect,) = root.iter(f"{SVG}rect")
    assert root.get("viewBox").startswith(f"0 0 {WIDTH} ")
    assert float(rect.get("width")) == round((WIDTH - LABEL_WIDTH - VALUE_WIDTH) / 2, 1)


def test_an_empty_chart_still_has_its_title():
    root = ET.fromstring(bar_chart("Nothing yet", []))  # noqa: S314 - our own output
    assert root.find(f"{SVG}title").text == "Nothing yet" and not list(root.iter(f"{SVG}rect"))
