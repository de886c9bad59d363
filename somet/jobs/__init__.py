"""Background jobs: the scheduled jobs, the single runner that runs them, and their pages.

``schedule`` says what runs when; ``registry`` records each scheduled run once; ``runner``
is the APScheduler process guarded by the lease in ``lease``; ``cli`` is ``flask jobs``;
``routes`` is the admin page and the progress endpoint for one-off runs.
"""
