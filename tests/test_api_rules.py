"""The API's pure rules: bearer headers, scopes, and the field a roster row's problem names."""

from somet.api.rules import SCOPES, bearer_token, grants, known_scopes, row_problem_field


def test_a_bearer_header_gives_its_token_and_anything_else_gives_none():
    assert bearer_token("Bearer somet_abc") == "somet_abc"
    assert bearer_token("bearer  somet_abc ") == "somet_abc"
    for header in (None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "somet_abc", "Bearer a b"):
        assert bearer_token(header) is None


def test_scopes_are_kept_once_in_their_documented_order_and_unknown_ones_dropped():
    assert known_scopes(["write:attendance", "read:cohorts", "read:cohorts", "admin"]) == [
        "read:cohorts",
        "write:attendance",
    ]
    assert known_scopes(reversed(SCOPES)) == list(SCOPES)


def test_a_token_may_call_an_operation_only_with_its_scope():
    assert grants(["read:cohorts"], "read:cohorts")
    assert not grants(["read:cohorts"], "write:rosters")
    assert grants([], None)  # the public description needs none


def test_a_row_problem_names_its_field_from_its_parameters_or_its_code():
    assert row_problem_field("roster.not_a_date", {"field": "arrival_date"}) == "arrival_date"
    assert row_problem_field("roster.bad_email", {"value": "x"}) == "email"
    assert row_problem_field("roster.missing_last_name", {}) == "last_name"
    assert row_problem_field("roster.something_else", {}) is None
