"""The report's charts and tables in the reader's language, shared by the page, the PDF and
the workbook: each section is a title, column heads, rows, and (for most) a bar chart of one
column, so the three formats always show the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup

from somet.core.specialties import specialty_name
from somet.reports.charts import Bar, bar_chart
from somet.reports.queries import FunderReport
from somet.reports.trends import Trends


@dataclass
class Section:
    key: str  # a stable name: the chart's id and the workbook's sheet
    title: str
    heads: list[str]
    rows: list[list]
    charts: list[Markup] = field(default_factory=list)


def _chart(key: str, title: str, rows: list[list], column: int = 1, maximum=None) -> Markup:
    bars = [
        Bar(str(row[0]), float(row[column] or 0), _figure(row[column]))
        for row in rows
        if row[column] is not None
    ]
    return Markup(bar_chart(title, bars, maximum, chart_id=key))  # noqa: S704 - escaped


def _figure(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def _direction(direction: str) -> str:
    return _("Host rates the doctor") if direction == "of_doctor" else _("Doctor rates the host")


def report_sections(report: FunderReport, language: str) -> list[Section]:
    """Every section of the report, in the order the page prints them."""
    specialty = [
        [specialty_name(code, language) or _("Not given"), n] for code, n in report.by_specialty
    ]
    region = [[name or _("Not given"), n] for name, n in report.by_region]
    hosts = [[name, n] for name, n in report.hosts]
    departments = [[r.hospital, r.department, r.doctors, r.days] for r in report.departments]
    summary = [
        [_("Cohorts"), len(report.cohorts)],
        [_("Doctors trained"), report.trained],
        [_("Completion rate (%)"), report.completion_rate],
        [_("Days attended"), report.days],
        [_("Credit hours"), report.hours],
        [_("Certificates"), report.certificates],
    ]
    sections = [
        Section("summary", _("Summary"), [_("Figure"), _("Value")], summary),
        Section(
            "specialty",
            _("Doctors trained by specialty"),
            [_("Specialty"), _("Doctors")],
            specialty,
        ),
        Section("region", _("Doctors trained by region"), [_("Region"), _("Doctors")], region),
        Section("hosts", _("Doctors per host hospital"), [_("Hospital"), _("Doctors")], hosts),
        Section(
            "departments",
            _("Doctors and days per department"),
            [_("Hospital"), _("Department"), _("Doctors"), _("Days attended")],
            departments,
        ),
        _evaluation_section(report),
        _follow_up_section(report),
    ]
    for section in sections[1:4]:
        section.charts = [_chart(section.key, section.title, section.rows)]
    if report.costs:  # nothing about money until costs are recorded
        for cost in report.costs:
            label = _("Cost per doctor (%(currency)s)", currency=cost.reporting)
            summary.append([label, _rounded(cost.per_doctor)])
        sections.insert(1, _cost_section(report))
    return sections


def _rounded(money):
    """A Money rounded once to its currency's minor units, as a number (None: no rate)."""
    return None if money is None else money.rounded().amount


def _cost_section(report: FunderReport) -> Section:
    rows = []
    for cost in report.costs:
        note = ""
        if cost.missing:
            missing = ", ".join(cost.missing)
            note = _("No exchange rate for %(currencies)s", currencies=missing)
        elif not cost.doctors:
            note = _("No doctor trained yet")
        rows.append(
            [cost.reporting, _rounded(cost.total), cost.doctors, _rounded(cost.per_doctor), note]
        )
    return Section(
        "costs",
        _("Cost per doctor"),
        [
            _("Reporting currency"),
            _("Actual costs"),
            _("Doctors trained"),
            _("Cost per doctor"),
            _("Note"),
        ],
        rows,
    )


def _evaluation_section(report: FunderReport) -> Section:
    rows = []
    for question in report.questions:
        unit = "/5" if question.kind == "scale" else "% " + _("yes")
        shown = None if question.average is None else f"{question.average:g}{unit}"
        rows.append([_direction(question.direction), question.prompt, question.answers, shown])
    section = Section(
        "evaluations",
        _("Evaluations: averages per question"),
        [_("Direction"), _("Question"), _("Answers"), _("Average")],
        rows,
    )
    section.charts = [
        _score_chart(report, direction, _direction(direction))
        for direction in ("of_doctor", "of_department")
    ]
    return section


def _score_chart(report: FunderReport, direction: str, title: str) -> Markup:
    """The average of each 1–5 question of one direction, on a 0–5 scale."""
    bars = [
        Bar(q.prompt, q.average, f"{q.average:g}")
        for q in report.questions
        if q.direction == direction and q.kind == "scale" and q.average is not None
    ]
    return Markup(bar_chart(f"{title} (1–5)", bars, 5.0, chart_id=f"evaluations-{direction}"))  # noqa: S704


def _follow_up_section(report: FunderReport) -> Section:
    rows = [
        [
            _("%(months)d months", months=r.months),
            r.asked,
            r.answered,
            r.response_rate,
            r.patients,
            r.colleagues,
            r.recommend_share,
        ]
        for r in report.follow_ups
    ]
    section = Section(
        "follow_up",
        _("Follow-up outcomes"),
        [
            _("After"),
            _("Asked"),
            _("Answered"),
            _("Response rate (%)"),
            _("Patients treated"),
            _("Colleagues taught"),
            _("Would recommend (%)"),
        ],
        rows,
    )
    section.charts = [_chart("follow_up", _("Follow-up response rate (%)"), rows, 3, 100.0)]
    return section


def dashboard_sections(trends: Trends, language: str) -> list[Section]:
    """The dashboard: the same kinds of charts, one bar a year."""
    years = trends.years
    label = {y.year: str(y.year) for y in years}  # a year is a name, not a number to format
    trained = [[label[y.year], y.trained] for y in years]
    completion = [[label[y.year], y.completion_rate] for y in years]
    scores = [[label[y.year], y.average("of_doctor"), y.average("of_department")] for y in years]
    response = [[label[y.year], y.follow_ups[0], y.follow_ups[1], y.response_rate] for y in years]
    specialty = [
        [specialty_name(code, language) or _("Not given"), n] for code, n in trends.by_specialty
    ]
    sections = [
        Section("trained", _("Doctors trained per year"), [_("Year"), _("Doctors")], trained),
        Section(
            "specialty",
            _("Doctors trained by specialty"),
            [_("Specialty"), _("Doctors")],
            specialty,
        ),
        Section(
            "completion",
            _("Completion rate per year (%)"),
            [_("Year"), _("Completion rate (%)")],
            completion,
        ),
        Section(
            "scores",
            _("Evaluation averages per year (1–5)"),
            [_("Year"), _("Host rates the doctor"), _("Doctor rates the host")],
            scores,
        ),
        Section(
            "response",
            _("Follow-up response rate per year (%)"),
            [_("Year"), _("Asked"), _("Answered"), _("Response rate (%)")],
            response,
        ),
    ]
    sections[0].charts = [_chart("trained", sections[0].title, trained)]
    sections[1].charts = [_chart("specialty", sections[1].title, specialty)]
    sections[2].charts = [_chart("completion", sections[2].title, completion, 1, 100.0)]
    sections[3].charts = [
        _chart("scores-of-doctor", _("Host rates the doctor (1–5)"), scores, 1, 5.0),
        _chart("scores-of-host", _("Doctor rates the host (1–5)"), scores, 2, 5.0),
    ]
    sections[4].charts = [_chart("response", sections[4].title, response, 3, 100.0)]
    return sections
