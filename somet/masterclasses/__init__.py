"""Masterclasses: scheduling, registration with a waitlist, attendance and check-in."""
