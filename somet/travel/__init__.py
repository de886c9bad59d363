"""Travel and stay of a cohort's doctors: whether each is ready to travel (documents, flights,
a bed, the visa, the passport), and the director's visa decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The travel readiness page (directors and administrators)."""
    from somet.travel import readiness_views

    app.register_blueprint(readiness_views.blueprint)
