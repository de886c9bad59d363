"""What the webhook pages show: subscriptions with their delivery counts, one's deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from somet.models import WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription
from somet.web.extensions import db

DELIVERIES_PER_PAGE = 50


@dataclass(frozen=True)
class SubscriptionRow:
    subscription: WebhookSubscription
    pending: int
    failed: int
    last_delivered_at: datetime | None


@dataclass(frozen=True)
class DeliveryPage:
    items: list[WebhookDelivery]
    older_than: int | None  # the last row's id when older deliveries exist


def subscription_rows() -> list[SubscriptionRow]:
    """Every subscription with how many deliveries wait or failed (one statement)."""
    counts = (
        select(
            WebhookDelivery.subscription_id,
            func.count(case((WebhookDelivery.status == WebhookDeliveryStatus.PENDING, 1))).label(
                "pending"
            ),
            func.count(case((WebhookDelivery.status == WebhookDeliveryStatus.FAILED, 1))).label(
                "failed"
            ),
            func.max(WebhookDelivery.delivered_at).label("last_delivered_at"),
        )
        .group_by(WebhookDelivery.subscription_id)
        .subquery()
    )
    rows = db.session.execute(
        select(WebhookSubscription, counts.c.pending, counts.c.failed, counts.c.last_delivered_at)
        .outerjoin(counts, counts.c.subscription_id == WebhookSubscription.id)
        .order_by(WebhookSubscription.name, WebhookSubscription.id)
    ).all()
    return [SubscriptionRow(row[0], row[1] or 0, row[2] or 0, row[3]) for row in rows]


def subscription(subscription_id: int) -> WebhookSubscription | None:
    return db.session.get(WebhookSubscription, subscription_id)


def deliveries(subscription_id: int, older_than: int | None = None) -> DeliveryPage:
    """A page of one subscription's deliveries, newest first (keyset on the id)."""
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if older_than is not None:
        query = query.where(WebhookDelivery.id < older_than)
    rows = db.session.scalars(
        query.order_by(WebhookDelivery.id.desc()).limit(DELIVERIES_PER_PAGE + 1)
    ).all()
    items = rows[:DELIVERIES_PER_PAGE]
    more = len(rows) > DELIVERIES_PER_PAGE
    return DeliveryPage(items, items[-1].id if more else None)


@dataclass(frozen=True)
class FailedDeliveries:
    subscription_id: int
    name: str
    failed: int


def failed_deliveries() -> list[FailedDeliveries]:
    """Subscriptions with deliveries that gave up, for the administrator's home (one
    statement; the index on (status, next attempt) finds them)."""
    rows = db.session.execute(
        select(WebhookSubscription.id, WebhookSubscription.name, func.count(WebhookDelivery.id))
        .join(WebhookDelivery, WebhookDelivery.subscription_id == WebhookSubscription.id)
        .where(WebhookDelivery.status == WebhookDeliveryStatus.FAILED)
        .group_by(WebhookSubscription.id, WebhookSubscription.name)
        .order_by(WebhookSubscription.name)
    )
    return [FailedDeliveries(*row) for row in rows]
