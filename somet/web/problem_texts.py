"""Problems (code + parameters) worded in the reader's language: the one catalogue.

Pure rules and the solver report ``Problem``s (``somet.core.problems``); views, e-mails and
the CLI call ``describe`` here (templates use the ``problem_text`` filter). Dates are
formatted by the localisation helpers, statuses by their labels; nested problems and lists
are worded piece by piece, so no sentence is ever assembled in English and then translated.
Texts stored before problems became codes are plain strings: they are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from somet.core import localisation
from somet.core.problems import DATE_PARAMS, Problem
from somet.models import CohortStatus, EnrollmentStatus
from somet.web.i18n import page_language
from somet.web.labels import enum_label

FIELD_LABELS = {
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "native_name": _l("Native name"),
    "specialty": _l("Specialty"),
    "email": _l("E-mail"),
    "phone": _l("Phone"),
    "home_institution": _l("Home institution"),
    "country": _l("Country"),
    "region": _l("Region"),
    "arrival_date": _l("Arrival date"),
    "departure_date": _l("Departure date"),
    "licence_number": _l("Licence number"),
    "passport_number": _l("Passport number"),
}
# A checker fault about one placement is worded as that placement, then what is wrong with it.
PLACEMENT_FAULTS = frozenset({
    "schedule.not_an_option", "schedule.forbidden", "schedule.not_working_day",
    "schedule.past_end", "schedule.unavailable", "schedule.blocked", "schedule.closed",
    "planning.held_full",
})


def describe(found: Problem | Mapping | str | None) -> str:
    """The problem as a sentence in the current page's language."""
    if found is None:
        return ""
    if isinstance(found, str):
        return found  # worded before problems became codes (old audit details)
    if not isinstance(found, Problem):
        found = Problem.from_json(found)
    words = _words(found)
    if found.code in PLACEMENT_FAULTS and "rotation" in found.params:
        return gettext(
            "%(doctor)s, %(rotation)s at %(department)s from %(start)s: %(fault)s",
            **_formatted(found.params), fault=words,
        )
    return words


def describe_all(problems: Iterable[Problem | Mapping | str]) -> str:
    """Several problems as one text (for a flash or a form error)."""
    return " ".join(_sentence(describe(p)) for p in problems)


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _words(found: Problem) -> str:
    entry = TEXTS.get(found.code)
    if entry is None:
        if found.code.startswith("instance."):  # only a bug in the instance builder gets here
            return gettext("%(path)s breaks the schedule format.", path=found.params.get("path"))
        return found.code
    params = _formatted(found.params)
    extra = _EXTRA.get(found.code)
    if extra:
        params.update(extra(found.params))
    # An entry is a lazy text, or picks one from the facts (a plural, a variant).
    template = entry(found.params) if callable(entry) else entry
    return str(template) % params


def _formatted(params: Mapping[str, Any]) -> dict[str, Any]:
    language = page_language()  # asked once per problem, not once per parameter
    return {key: _value(key, value, language) for key, value in params.items()}


def _value(key: str, value: Any, language: str) -> Any:
    if isinstance(value, Problem):
        return describe(value)
    if key in DATE_PARAMS and key != "days_list" and value is not None:
        return localisation.format_day(_as_date(value), language)
    if key == "days_list":
        return ", ".join(localisation.format_day(_as_date(v), language) for v in value)
    if key == "doctor" and isinstance(value, list | tuple) and len(value) == 3:
        return localisation.person_name(*value, language)  # localisation.name_parts_of
    if key == "field":
        return str(FIELD_LABELS.get(value, value))
    if key in ("departments", "columns", "rotations", "sheets") and _plain(value):
        return ", ".join(map(str, value))
    if isinstance(value, int) and not isinstance(value, bool):
        return localisation.format_number(value, language)
    return value


def _plain(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _status(value: str) -> str:
    return enum_label(CohortStatus(value))


def _days(n: int) -> str:
    return ngettext("%(num)d working day", "%(num)d working days", int(n))


def _span(p: Mapping) -> str:
    if p["shortest"] == p["longest"]:
        return _days(p["longest"])
    return gettext("%(shortest)s to %(longest)s working days", shortest=p["shortest"],
                   longest=p["longest"])


def _rotation_item(item: Mapping) -> str:
    if "held_at" in item:
        return gettext("places held by other cohorts at %(department)s", department=item["held_at"])
    if item.get("fixed"):
        return gettext("%(doctor)s — %(rotation)s (fixed)", **item)
    return gettext("%(doctor)s — %(rotation)s", **item)


def _core_rotations(p: Mapping) -> dict:
    names = [_rotation_item(r) for r in p["rotations"]]
    if p["more"]:
        names.append(gettext("and %(count)s more", count=p["more"]))
    return {"rotations": ", ".join(names)}


def _closures(p: Mapping) -> dict:
    return {"closures": "; ".join(
        gettext("%(department)s on %(days_list)s", **_formatted(c)) for c in p["closures"]
    ), "days": _days(p["days"])}


def _parts(p: Mapping) -> dict:
    parts = []
    for part in p["parts"]:
        words = _formatted(part)
        if part["days_list"]:
            parts.append(gettext("%(department)s hosts %(capacity)s a day on %(open_days)s "
                                 "days, closed on %(days_list)s", **words))
        else:
            parts.append(gettext("%(department)s hosts %(capacity)s a day on %(open_days)s days",
                                 **words))
    return {"parts": "; ".join(parts)}


def _allowed(p: Mapping) -> dict:
    allowed = ", ".join(_status(s) for s in p["allowed"]) or gettext("nothing")
    return {"status": _status(p["status"]), "target": _status(p["target"]), "allowed": allowed}


def _reasons(p: Mapping) -> dict:
    return {"reasons": " ".join(_sentence(describe(reason)) for reason in p["reasons"])}


# Parameters that need more than formatting: lists of facts, statuses, day counts.
_EXTRA: dict[str, Callable[[Mapping], dict]] = {
    "cohort.transition_not_allowed": _allowed,
    "cohort.reason_needed": lambda p: {"target": _status(p["target"])},
    "enrollment.not_open": lambda p: {"status": enum_label(EnrollmentStatus(p["status"]))},
    "enrollment.incomplete": _reasons,
    "schedule.core": _core_rotations,
    "schedule.closed_days_in_way": _closures,
    "schedule.core_shared": _parts,
    "schedule.fits_nowhere": lambda p: {"days": _days(p["days"])},
    "schedule.past_end": lambda p: {"days": _days(p["days"])},
    "schedule.no_free_run": lambda p: {"days": _days(p["days"])},
    "schedule.department_overload": lambda p: {"span": _span(p)},
    "schedule.departments_overload": lambda p: {"span": _span(p)},
}


# code -> text (lazy), or a function of the parameters choosing the text (plurals, variants).
TEXTS: dict[str, Any] = {
    # cohort lifecycle refusals
    "cohort.transition_not_allowed": _l(
        "A cohort that is %(status)s cannot become %(target)s (it can become: %(allowed)s)."),
    "cohort.reason_needed": _l("Say why the cohort goes back to %(target)s."),
    "cohort.no_host": _l("Choose at least one host hospital first."),
    "cohort.has_placements": lambda p: ngettext(
        "The cohort already has %(num)d placement; cancel it before going back.",
        "The cohort already has %(num)d placements; cancel them before going back.",
        p["count"]),
    "cohort.nothing_confirmed": _l("No placement is confirmed yet."),
    "cohort.placements_pending": lambda p: ngettext(
        "%(num)d placement still waits for a request or a host's answer.",
        "%(num)d placements still wait for a request or a host's answer.", p["count"]),
    "cohort.not_started": _l("The cohort starts on %(start)s; it cannot be active yet."),
    "cohort.not_ended": _l("The cohort ends on %(end)s; it cannot be completed yet."),
    "cohort.certificates_owed": lambda p: ngettext(
        "%(num)d doctor who completed the programme has no certificate yet; issue it before "
        "archiving the cohort.",
        "%(num)d doctors who completed the programme have no certificate yet; issue them before "
        "archiving the cohort.",
        p["count"]),
    # an enrollment's life, and why one is incomplete (the certificate completion rules)
    "enrollment.already_confirmed": _l("Participation is already confirmed."),
    "enrollment.already_withdrawn": _l("This doctor is already withdrawn."),
    "enrollment.not_open": _l("Participation that is %(status)s cannot change any more."),
    "enrollment.incomplete": _l("%(doctor)s: incomplete. %(reasons)s"),
    "completion.withdrawn": _l("Withdrew from the cohort."),
    "completion.not_completed": _l("%(rotation)s: no completed placement."),
    "completion.no_attendance": _l("%(rotation)s: no attendance recorded."),
    "completion.below_threshold": _l(
        "%(rotation)s: present %(present)s of the %(needed)s days needed."),
    # readiness
    "readiness.no_doctor": _l("No doctor is enrolled."),
    "readiness.no_required_rotation": _l("The curriculum has no required rotation."),
    "readiness.no_specialty": _l("%(doctor)s has no specialty."),
    "readiness.no_dates": _l("%(doctor)s has no arrival or departure date."),
    "readiness.no_department": _l(
        "%(doctor)s: the required rotation “%(rotation)s” has no eligible department."),
    "readiness.stay_too_short": lambda p: _l(
        "%(doctor)s: the required rotations need %(needed)s working days, but the stay has "
        "only %(stay)s besides %(masterclass_days)s at masterclasses."
    ) if p["masterclass_days"] else _l(
        "%(doctor)s: the required rotations need %(needed)s working days, but the stay has "
        "only %(stay)s."),
    "readiness.over_capacity": _l(
        "Required rotations need %(needed)s doctor-days in %(departments)s between %(start)s "
        "and %(end)s, but they can host only %(can_host)s."),
    # travel: itinerary fields and workbooks
    "travel.missing": _l("This is required."),
    "travel.too_long": _l("“%(value)s” is longer than %(limit)s characters."),
    "travel.bad_airport": _l("“%(value)s” is not an airport code (three letters, e.g. ALA)."),
    "travel.bad_zone": _l("“%(value)s” is not a time zone (an IANA name, e.g. Asia/Almaty)."),
    "travel.arrival_not_after_departure": _l("The arrival is not after the departure."),
    "travel.check_out_not_after_check_in": _l("The check-out is not after the check-in."),
    "travel.bad_datetime": _l("“%(value)s” is not a date and time (use YYYY-MM-DD HH:MM)."),
    "travel.bad_date": _l("“%(value)s” is not a date (use YYYY-MM-DD)."),
    "travel.unknown_doctor": _l("No doctor of this cohort has the e-mail “%(value)s”."),
    "travel.unknown_hotel": _l("No hotel “%(value)s” on the Hotels sheet."),
    "travel.in_file": _l("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(fault)s"),
    "travel.missing_column": _l("Sheet “%(sheet)s” lacks the column “%(column)s”."),
    "travel.no_sheets": _l("The workbook has none of the sheets %(sheets)s."),
    "travel.too_many_rows": _l("Sheet “%(sheet)s” has more than %(count)s rows."),
    "travel.file_type": _l("Upload an .xlsx file."),
    # roster files and rows
    "roster.missing_columns": _l("The header row lacks the column(s): %(columns)s."),
    "roster.file_type": _l("Upload a .csv or .xlsx file."),
    "roster.file_too_large": _l("The file is larger than %(megabytes)s MB."),
    "roster.file_content": _l("The file's content is not %(format)s."),
    "roster.file_empty": _l("The file is empty."),
    "roster.too_many_rows": _l("The file has more than %(count)s rows."),
    "roster.not_utf8": _l("The CSV file is not UTF-8 text."),
    "roster.bad_csv_line": _l("Line %(line)s of the CSV file cannot be read."),
    "roster.bad_xlsx": _l("The XLSX file cannot be read."),
    "roster.missing_first_name": _l("The first name is missing."),
    "roster.missing_last_name": _l("The last name is missing."),
    "roster.bad_email": _l("The e-mail “%(value)s” is not valid."),
    "roster.unknown_specialty": _l("Unknown specialty “%(value)s”."),
    "roster.too_long": _l("%(field)s is %(length)s characters long; at most %(limit)s fit."),
    "roster.not_a_date": _l("%(field)s: “%(value)s” is not a date (use YYYY-MM-DD)."),
    "roster.date_outside_cohort": _l(
        "%(field)s: %(day)s is outside the cohort's dates (%(start)s to %(end)s)."),
    "roster.departure_before_arrival": _l("The departure is before the arrival."),
    "roster.duplicate_in_file": _l("Repeated in the file: %(field)s as in row %(row)s."),
    "roster.numbers_disagree": _l(
        "The licence number belongs to %(licence_holder)s but the passport number to "
        "%(passport_holder)s."),
    # the planner's own warnings
    "planning.absent": _l("%(doctor)s is not there during the cohort."),
    "planning.no_department": lambda p: _l(
        "%(doctor)s: the required rotation “%(rotation)s” has no eligible department."
    ) if p["required"] else _l(
        "%(doctor)s: the optional rotation “%(rotation)s” has no eligible department."),
    "planning.held_full": _l(
        "%(department)s has no place left on %(day)s: other cohorts hold all its places"),
    # the solver and the checker (keys already replaced by names, see planning.naming)
    "schedule.fits_nowhere": _l("%(doctor)s — %(rotation)s (%(days)s) fits nowhere: %(why)s"),
    "schedule.fixed_impossible": _l(
        "the fixed placement of %(doctor)s — %(rotation)s at %(department)s from %(start)s "
        "is not possible: %(why)s"),
    "schedule.not_an_option": _l("%(department)s is not one of the rotation's departments"),
    "schedule.fixed_forbidden": _l("it is also forbidden (declined by the host)"),
    "schedule.forbidden": _l("%(department)s declined this rotation"),
    "schedule.not_working_day": _l("%(day)s is not a working day of the period"),
    "schedule.past_end": _l("%(days)s run past the end (%(end)s)"),
    "schedule.unavailable": _l("%(doctor)s is not available on %(day)s"),
    # A doctor's blocked days in our instances are only ever masterclass days: say so.
    "schedule.blocked": _l("%(day)s is a masterclass day for %(doctor)s"),
    "schedule.closed": _l("%(department)s is closed on %(day)s"),
    "schedule.department_no_capacity": _l("%(department)s has no capacity"),
    "schedule.no_capacity": _l("%(departments)s can host nobody (capacity 0)"),
    "schedule.no_departments": _l("it has no department to be done in"),
    "schedule.only_department_forbidden": _l(
        "its only department is forbidden (declined by the host)"),
    "schedule.all_departments_forbidden": _l(
        "all its departments are forbidden (declined by the hosts)"),
    "schedule.no_free_run": lambda p: _l(
        "%(doctor)s has no %(days)s free in a row between %(first)s and %(last)s, "
        "blocked by masterclasses on %(days_list)s"
    ) if p["days_list"] else _l(
        "%(doctor)s has no %(days)s free in a row between %(first)s and %(last)s"),
    "schedule.closed_days_in_way": _l(
        "no %(days)s in a row of %(doctor)s avoid the closed days (%(closures)s)"),
    "schedule.doctor_overload": _l(
        "%(doctor)s's required rotations need %(needed)s working days, but %(doctor)s is free "
        "on only %(free)s between %(first)s and %(last)s"),
    "schedule.department_overload": _l(
        "%(doctors)s doctors need %(departments)s for %(span)s between %(first)s and "
        "%(last)s, but it can host %(capacity)s a day on %(open_days)s working days: "
        "%(supply)s doctor-days for %(needed)s needed"),
    "schedule.departments_overload": _l(
        "%(doctors)s doctors need %(departments)s for %(span)s between %(first)s and "
        "%(last)s, but together they can host %(supply)s doctor-days for %(needed)s needed"),
    "schedule.no_core": _l(
        "No valid schedule exists, but no small set of rotations could be singled out; "
        "check capacities, closed days and the doctors' availability."),
    "schedule.core": _l("These required rotations cannot all be placed: %(rotations)s."),
    "schedule.core_one_doctor": _l(
        "%(doctor)s is free on %(free)s working days, but these rotations need %(needed)s in "
        "consecutive blocks that do not fit between the masterclass, closed and unavailable "
        "days."),
    "schedule.core_shared": _l(
        "Between %(first)s and %(last)s they need %(needed)s doctor-days and %(parts)s "
        "(%(supply)s doctor-days), but their blocks of consecutive days do not fit together "
        "around the closed days, masterclass days and the doctors' availability. Raise a "
        "capacity, shorten a rotation or allow another department."),
    "schedule.time_limit": _l(
        "No valid schedule was found within the time limit; try again with a longer time "
        "limit."),
    "schedule.doctor_busy": _l(
        "%(doctor)s is busy with other rotations on every day it could be done"),
    "schedule.departments_full": _l(
        "%(departments)s: no place left on the days %(doctor)s is free"),
    "schedule.placement_unreadable": _l(
        "placement %(n)s does not name a doctor, one of its rotations, a department and a "
        "start date of this cohort"),
    "schedule.placed_twice": _l("%(doctor)s — %(rotation)s is placed %(count)s times"),
    "schedule.required_missing": _l("%(doctor)s — the required %(rotation)s is not placed"),
    "schedule.doctor_overlap": _l(
        "%(doctor)s is in %(count)s placements on %(day)s (%(rotations)s)"),
    "schedule.over_capacity": _l(
        "%(department)s hosts %(count)s doctors on %(day)s but its capacity is %(capacity)s"),
    "schedule.fixed_not_kept": _l(
        "the fixed placement of %(doctor)s — %(rotation)s at %(department)s from %(start)s is "
        "not kept"),
    # money (somet.budget.rules.money)
    "money.unknown_currency": _l(
        "“%(currency)s” is not a currency code: use the three letters of ISO 4217, such as "
        "USD, EUR, KZT or ILS"),
    "money.not_a_number": _l("“%(value)s” is not a number: write digits with a decimal point"),
    "money.negative": _l("an amount here may not be below zero"),
    "money.too_many_decimals": lambda p: _l(
        "amounts in %(currency)s have at most %(places)s decimals") if p.get("currency") else _l(
        "use at most %(places)s decimals"),
    "money.too_large": _l("the number is too large"),
    "money.rate_not_positive": _l("an exchange rate is more than zero"),
    "money.missing_rate": _l(
        "there is no exchange rate for %(currency)s yet: totals that include it are not "
        "converted"),
    "money.rate_for_reporting_currency": _l(
        "%(currency)s is the reporting currency: it needs no exchange rate"),
}
