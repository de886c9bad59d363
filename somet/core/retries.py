"""How long a failed delivery (an e-mail, a webhook) waits before its next attempt.

After the n-th failed attempt the next one waits ``RETRY_AFTER[n - 1]``; after attempt
``MAX_ATTEMPTS`` the delivery is failed and waits for a person. About a day in all: long
enough to outlast a receiver's bad night, short enough that someone notices.
"""

from __future__ import annotations

from datetime import timedelta

RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
