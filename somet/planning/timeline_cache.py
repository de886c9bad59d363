"""The cohort timeline's grid, rendered once per cohort, language and data generation.

Directors and their colleagues reload a cohort's timeline while they plan; building it reads
every enrollment and placement and draws one cell per doctor and day. The drawn grid depends
only on the cohort's data (the tables ``services.timeline`` reads: see ``TIMELINE_TABLES``),
the page language and the site's URL prefix, never on who looks, so it is kept per process
and drawn again when the "timeline" data generation changes (``somet/data_generations.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import render_template, request, url_for
from markupsafe import Markup

from somet import data_generations
from somet.models import Cohort, PlacementStatus
from somet.models.generations import TIMELINE
from somet.planning import queries as timeline
from somet.planning.grid import grid_rows
from somet.web.extensions import db
from somet.web.templating import page_language


@dataclass(frozen=True)
class TimelineSection:
    counts: dict[PlacementStatus, int]  # the cohort's placements by status
    html: Markup  # the legend, the grid and the declined requests


def timeline_section(cohort: Cohort) -> TimelineSection:
    """The drawn grid of a cohort the caller has already checked the user may see."""
    # The token first, then the data: data read after a concurrent commit is newer than
    # its key, never older.
    token = data_generations.current_token(db.session, TIMELINE)
    if token is None:  # no generation row (a database not built by the migrations)
        return _draw(cohort)
    return _cached_section(cohort.id, page_language(), request.script_root, token)


@lru_cache(maxsize=128)
def _cached_section(cohort_id: int, language: str, script_root: str, token: str):
    # ``language`` and ``script_root`` are the request's own: they are in the key because
    # the drawing uses them.
    return _draw(db.session.get(Cohort, cohort_id))


def _draw(cohort: Cohort) -> TimelineSection:
    view = timeline.cohort_timeline(cohort)
    # One url_for for every edit link: the id is put into a built URL (ids are digits only).
    edit_link = url_for("planning.edit_placement", cohort_id=cohort.id, placement_id=987654321)
    grid = grid_rows(view, page_language(), lambda pid: edit_link.replace("987654321", str(pid)))
    html = render_template(
        "planning/_timeline_grid.html", view=view, grid=grid, colour=timeline.department_colour
    )
    return TimelineSection(dict(view.counts), Markup(html))  # noqa: S704  (a rendered template)
