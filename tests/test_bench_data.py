"""The benchmarks build their data with the app's own rules: a change to those rules' shapes
must not break ``bench/pages.py`` silently (it runs outside the suite, for minutes)."""

from bench import pages_data


def test_the_bench_certificates_carry_a_complete_verdict_of_the_current_rules():
    verdict = pages_data._verdict()
    assert verdict.complete and not verdict.reasons
    assert verdict.credit_hours == 4 * 3 * 6.0  # four rotations of three days, six hours a day
