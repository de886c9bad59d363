"""The pure certificate core: completion rules, snapshot, serials, codes, signatures, dates."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from somet.certificates.core import payload, signing, wording
from somet.certificates.core.completion import (
    CompletionInput,
    PlacementRecord,
    RotationRequirement,
    credit_hours,
    days_needed,
    judge_enrollment,
)

ROOT = Path(__file__).resolve().parent.parent
CORE = RotationRequirement(1, "Core rotation", 10, True)
ICU = RotationRequirement(2, "Intensive care", 3, True)
RADIOLOGY = RotationRequirement(3, "Radiology", 2, False)


def _placement(item, present, absent=0, excused=0, status="completed", start=date(2027, 3, 7)):
    recorded = present + absent + excused
    return PlacementRecord(item.item_id, status, "Dept", "Rambam", start, start, present, recorded)


def _judge(placements, threshold=0.8, rotations=(CORE, ICU), status="completed", hours=()):
    return judge_enrollment(
        CompletionInput(status, threshold, 6.0, tuple(rotations), tuple(placements), hours)
    )


def test_complete_at_exactly_the_threshold_and_incomplete_one_day_below():
    at = _judge([_placement(CORE, 8, 2), _placement(ICU, 3)])
    assert at.complete and at.reasons == ()
    below = _judge([_placement(CORE, 7, 3), _placement(ICU, 3)])
    assert not below.complete
    assert [r.text for r in below.reasons] == ["Core rotation: present 7 of the 8 days needed."]


def test_threshold_arithmetic_has_no_float_drift():
    # 0.7 × 10 is 7.000000000000001 in floats; seven days must be enough
    assert days_needed(10, 0.7) == 7
    assert days_needed(3, 0.8) == 3  # 2.4 rounds up: two of three days is not 80 %
    assert days_needed(5, 1.0) == 5
    assert _judge([_placement(CORE, 7, 3), _placement(ICU, 3)], threshold=0.7).complete


def test_missing_attendance_and_missing_placements_are_reasons():
    verdict = _judge([_placement(CORE, 0)])
    assert [r.code for r in verdict.reasons] == ["no_attendance", "not_completed"]
    assert verdict.reasons[1].text == "Intensive care: no completed placement."


def test_excused_days_and_unrecorded_days_are_not_attended():
    verdict = _judge([_placement(CORE, 7, excused=3), _placement(ICU, 3)])
    assert not verdict.complete
    assert verdict.credit_hours == (7 + 3) * 6.0


def test_cancelled_or_confirmed_placements_do_not_count():
    verdict = _judge([_placement(CORE, 10, status="confirmed"), _placement(ICU, 3)])
    assert [r.code for r in verdict.reasons] == ["not_completed"]


def test_optional_rotations_add_hours_but_are_never_required():
    without = _judge([_placement(CORE, 10), _placement(ICU, 3)], rotations=(CORE, ICU, RADIOLOGY))
    assert without.complete and without.credit_hours == 78.0
    extra = _judge(
        [_placement(CORE, 10), _placement(ICU, 3), _placement(RADIOLOGY, 2)],
        rotations=(CORE, ICU, RADIOLOGY),
        hours=(8.0, 1.5),
    )
    assert extra.credit_hours == 15 * 6.0 + 9.5


def test_credit_hours_alone_are_the_verdicts_hours():
    # The alumni's registry reads only the hours: completed placements of the curriculum's
    # rotations count their present days; a confirmed one, or one outside the curriculum,
    # does not, and the masterclasses add theirs.
    placements = [
        _placement(CORE, 8, absent=2),
        _placement(ICU, 3, status="confirmed"),
        _placement(RADIOLOGY, 2),
        _placement(ICU, 2),
    ]
    verdict = _judge(placements, rotations=(CORE, ICU), hours=(1.25, 2.0))
    alone = credit_hours(6.0, {CORE.item_id, ICU.item_id}, placements, (1.25, 2.0))
    assert alone == verdict.credit_hours == (8 + 2) * 6.0 + 3.25
    assert credit_hours(6.0, set(), placements) == 0.0


def test_a_withdrawn_doctor_is_incomplete_whatever_the_attendance():
    verdict = _judge([_placement(CORE, 10), _placement(ICU, 3)], status="withdrawn")
    assert not verdict.complete and verdict.reasons[0].code == "withdrawn"


def test_serials_are_formatted_and_parsed_strictly():
    assert payload.format_serial(2027, 42) == "SOMET-2027-000042"
    assert payload.parse_serial("SOMET-2027-000042") == (2027, 42)
    for bad in ((2027, 0), (2027, 1_000_000), (99, 1)):
        with pytest.raises(payload.PayloadError):
            payload.format_serial(*bad)
    with pytest.raises(payload.PayloadError):
        payload.parse_serial("SOMET-2027-42")


def test_verification_codes_are_long_random_and_url_safe():
    codes = {payload.new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) >= 43 and set(code) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )


def sample_snapshot(name="Aigerim Nurlanovna", native="Әйгерім Нұрланқызы") -> dict:
    verdict = _judge([_placement(CORE, 9, 1), _placement(ICU, 3, start=date(2027, 3, 17))])
    stamp = payload.Stamp(
        "SOMET-2027-000001", payload.new_verification_code(), "0123456789abcdef", date(2027, 3, 20)
    )
    holder = payload.Holder(name, native, "Anaesthesiology", "Анестезиология", "Semey MU")
    programme = payload.Programme(
        "Abay region 2027",
        "Health Department",
        (payload.Host("Rambam Health Care Campus", "Haifa", "Israel"),),
        date(2027, 3, 7),
        date(2027, 3, 18),
        6.0,
        "Gulmira Abenova",
    )
    return payload.internship_snapshot(stamp, holder, programme, verdict)


def test_snapshot_says_what_the_certificate_says_and_nothing_private():
    snapshot = sample_snapshot()
    assert snapshot["hours"] == 72.0
    assert [r["days"] for r in snapshot["rotations"]] == [9, 3]
    assert snapshot["holder"]["native_name"] == "Әйгерім Нұрланқызы"
    text = json.dumps(snapshot)
    assert "@" not in text and "passport" not in text


def test_canonical_json_is_sorted_compact_utf8():
    assert payload.canonical_json({"b": 1, "a": "Ә"}) == '{"a":"Ә","b":1}'.encode()


def test_snapshot_bounds_refuse_oversized_text():
    with pytest.raises(payload.PayloadError):
        sample_snapshot(name="A" * 301)


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaf_paths(item, (*path, index))
    else:
        yield path


def _tampered(snapshot, path):
    copy_ = copy.deepcopy(snapshot)
    target = copy_
    for key in path[:-1]:
        target = target[key]
    old = target[path[-1]]
    target[path[-1]] = old + 1 if isinstance(old, int | float) else f"{old}x"
    return copy_


def test_signature_verifies_and_fails_after_tampering_with_any_field():
    key = signing.load_private_key(signing.generate_private_key_pem())
    public = signing.load_public_key(signing.public_key_pem(key))
    snapshot = sample_snapshot()
    signature = signing.sign_snapshot(key, snapshot)
    assert signing.verify_snapshot(public, snapshot, signature)
    paths = list(_leaf_paths(snapshot))
    assert len(paths) > 25
    for path in paths:
        assert not signing.verify_snapshot(public, _tampered(snapshot, path), signature), path
    other = signing.load_private_key(signing.generate_private_key_pem()).public_key()
    assert not signing.verify_snapshot(other, snapshot, signature)
    assert not signing.verify_snapshot(public, snapshot, "not base64!")
    assert len(signing.key_id(public)) == 16


def test_dates_in_english_and_russian_genitive():
    assert wording.english_date(date(2027, 3, 12)) == "12 March 2027"
    assert wording.russian_date(date(2027, 3, 12)) == "12 марта 2027"
    assert wording.russian_date(date(2027, 5, 1)) == "1 мая 2027"
    assert wording.russian_range(date(2027, 2, 28), date(2027, 3, 3)) == (
        "28 февраля 2027 – 3 марта 2027"
    )
    assert wording.english_range(date(2027, 3, 7), date(2027, 3, 18)) == "7–18 March 2027"
