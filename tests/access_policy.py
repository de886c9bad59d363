"""The declared access policy: for every route and method, what each role gets.

``ALLOW`` means the page or action (any answer below 400 except a redirect to the login
page, or a 400/422 form error), ``LOGIN`` a redirect to the login page, 403 and 404 as
numbers. Routes with an object id are probed with objects that belong to *another*
hospital and *another* doctor (see ``world`` in test_permission_matrix.py), so a coordinator
or a doctor gets 404 there, never the data. A route missing here fails the suite.
"""

ALLOW, LOGIN = "allow", "login"
ROLES = ("anonymous", "doctor", "coordinator", "director", "admin")


def rule(*, anonymous=LOGIN, doctor=403, coordinator=403, director=ALLOW, admin=ALLOW) -> dict:
    return dict(
        anonymous=anonymous, doctor=doctor, coordinator=coordinator, director=director, admin=admin
    )


PUBLIC = dict.fromkeys(ROLES, ALLOW)
STAFF = rule()
ADMIN_ONLY = rule(director=403)
LOGGED_IN = rule(doctor=ALLOW, coordinator=ALLOW)
DOCTOR_ONLY = rule(doctor=ALLOW, director=403, admin=403)
COORDINATOR_ONLY = rule(coordinator=ALLOW, director=403, admin=403)
# Someone else's object: staff reach it, a coordinator or doctor gets 404.
OTHERS_OBJECT = rule(doctor=404, coordinator=404)
STAFF_OR_HOST = rule(coordinator=ALLOW)
# A secret link (invitation, confirmation, calendar, verification) with a token that names
# nothing: the same 404 for everybody, so tokens cannot be told apart by probing.
UNKNOWN_SECRET = dict.fromkeys(ROLES, 404)
# The JSON API takes a bearer token only: a browser session (any role) is no login there.
TOKEN_ONLY = dict.fromkeys(ROLES, 401)

POLICY: dict[str, dict] = {
    # Foundation: log in and out, invitations, passwords, users, audit.
    "auth.login GET": PUBLIC,
    "auth.login POST": PUBLIC,
    "auth.logout POST": dict.fromkeys(ROLES, LOGIN),  # ends the session, back to log in
    "auth.accept_invitation GET": UNKNOWN_SECRET,
    "auth.accept_invitation POST": UNKNOWN_SECRET,
    "auth.change_password GET": LOGGED_IN,
    "auth.change_password POST": LOGGED_IN,
    "home.index GET": LOGGED_IN,
    "admin.list_users GET": ADMIN_ONLY,
    "admin.invite_user GET": STAFF,
    "admin.invite_user POST": STAFF,
    "admin.set_user_active POST": ADMIN_ONLY,
    "audit.list_events GET": ADMIN_ONLY,
    "languages.set_language POST": PUBLIC,
    # The alumni registry (issue 23): staff only.
    "alumni.list_alumni GET": STAFF,
    "alumni.export_alumni GET": STAFF,
    "alumni.show_alumnus GET": STAFF,
    # The director's workspace: hospitals, departments, cohorts, rosters, curriculum.
    **{
        f"cohorts.{name}": STAFF
        for name in (
            "add_curriculum_item POST",
            "add_enrollment GET",
            "add_enrollment POST",
            "change_cohort_status POST",
            "confirm_participation POST",
            "clone_cohort GET",
            "clone_cohort POST",
            "confirm_roster_import POST",
            "create_cohort GET",
            "create_cohort POST",
            "delete_curriculum_item POST",
            "download_roster_template GET",
            "edit_cohort GET",
            "edit_cohort POST",
            "edit_curriculum GET",
            "edit_enrollment GET",
            "edit_enrollment POST",
            "edit_enrollment_options GET",
            "edit_enrollment_options POST",
            "export_roster GET",
            "import_roster GET",
            "import_roster POST",
            "list_cohorts GET",
            "list_doctors GET",
            "preview_roster_import GET",
            "show_cohort GET",
            "show_doctor GET",
            "update_curriculum_item POST",
            "withdraw_enrollment GET",
            "withdraw_enrollment POST",
        )
    },
    # Portal invitations from the roster (issue 19): staff, through the cohort.
    **{
        f"cohorts.{name}": STAFF
        for name in (
            "invite_to_portal POST",
            "resend_portal_invitation POST",
            "revoke_portal_invitation POST",
            "show_roster_import_result GET",
        )
    },
    **{
        f"hospitals.{name}": STAFF
        for name in (
            "add_holiday POST",
            "create_department GET",
            "create_department POST",
            "create_hospital GET",
            "create_hospital POST",
            "delete_holiday POST",
            "edit_department GET",
            "edit_department POST",
            "edit_hospital GET",
            "edit_hospital POST",
            "list_hospitals GET",
            "set_department_active POST",
            "show_hospital GET",
        )
    },
    "hospitals.show_my_hospital GET": COORDINATOR_ONLY,
    # A coordinator manages its own departments' capacity and closed days; not another's.
    **{
        f"hospitals.{name}": rule(coordinator=404)
        for name in (
            "show_department GET",
            "edit_department_capacity POST",
            "add_closure POST",
            "delete_closure POST",
        )
    },
    # Planning a cohort (director) and the hosts' requests (coordinator).
    **{
        f"planning.{name}": STAFF
        for name in (
            "choose_placement GET",
            "edit_placement GET",
            "edit_placement POST",
            "plan_cohort POST",
            "send_requests POST",
            "show_capacity GET",
            "show_plan_progress GET",
            "show_timeline GET",
        )
    },
    "requests.list_requests GET": COORDINATOR_ONLY,
    "requests.decide_requests POST": COORDINATOR_ONLY,
    "requests.confirm_request POST": rule(coordinator=404, director=403, admin=403),
    "requests.decline_request POST": rule(coordinator=404, director=403, admin=403),
    "requests.undo_request_answer POST": rule(coordinator=404, director=403, admin=403),
    "requests.respond_by_link GET": UNKNOWN_SECRET,
    "requests.respond_by_link POST": UNKNOWN_SECRET,
    # Attendance at placements, recorded by the host.
    "attendance.list_weeks GET": COORDINATOR_ONLY,
    "attendance.record_attendance_grid GET": rule(coordinator=404, director=403, admin=403),
    "attendance.record_attendance_grid POST": rule(coordinator=404, director=403, admin=403),
    # The doctor's portal, calendar feed, and the host's list of its visitors.
    "portal.confirm_participation POST": rule(doctor=404, director=403, admin=403),
    "portal.download_calendar GET": DOCTOR_ONLY,
    "portal.edit_profile GET": DOCTOR_ONLY,
    "portal.edit_profile POST": DOCTOR_ONLY,
    "portal.regenerate_calendar_token POST": DOCTOR_ONLY,
    "portal.revoke_calendar_token POST": DOCTOR_ONLY,
    "portal.show_calendar GET": DOCTOR_ONLY,
    "portal.show_placement GET": rule(doctor=404, director=403, admin=403),
    "portal.show_feed GET": UNKNOWN_SECRET,
    "portal.list_visitors GET": COORDINATOR_ONLY,
    # Masterclasses.
    "masterclasses.list_masterclasses GET": LOGGED_IN,
    "masterclasses.show_masterclass GET": rule(doctor=404, coordinator=404),
    "masterclasses.new_masterclass GET": STAFF,
    "masterclasses.new_masterclass POST": STAFF,
    "masterclasses.edit_masterclass GET": STAFF,
    "masterclasses.edit_masterclass POST": STAFF,
    "masterclasses.create_registration POST": rule(doctor=404, director=403, admin=403),
    # Cancels the doctor's own registration, if any: nothing of anybody else's is touched.
    "masterclasses.cancel_registration POST": DOCTOR_ONLY,
    "masterclasses.record_attendance POST": rule(coordinator=404),
    "masterclasses.show_check_in_code GET": rule(coordinator=404),
    # Anonymous visitors are sent on to the guest check-in (below), not to the login page.
    "masterclasses.check_in GET": rule(anonymous=ALLOW, doctor=404, director=403, admin=403),
    "masterclasses.check_in POST": rule(anonymous=ALLOW, doctor=404, director=403, admin=403),
    "masterclasses.record_remote_attendance POST": rule(doctor=404, director=403, admin=403),
    # Guests without a login: public pages of classes open to all; the probe's class is a
    # cohort's, so every role gets 404 there.
    **{
        f"guests.{name}": dict.fromkeys(ROLES, 404)
        for name in (
            "show_public_masterclass GET",
            "request_guest_place POST",
            "check_in_guest GET",
            "check_in_guest POST",
            "record_guest_remote_attendance POST",
        )
    },
    "guests.confirm_guest_request GET": UNKNOWN_SECRET,
    "guests.confirm_guest_request POST": UNKNOWN_SECRET,
    "certificates.issue_masterclass_certificates POST": STAFF,
    # Certificates and their public verification.
    "certificates.download_certificate GET": rule(doctor=404),
    "certificates.list_my_certificates GET": DOCTOR_ONLY,
    "certificates.revoke_certificate GET": STAFF,
    "certificates.revoke_certificate POST": STAFF,
    "certificates.list_cohort_certificates GET": STAFF,
    "certificates.issue_cohort_certificates POST": STAFF,
    "certificates.download_cohort_certificates GET": STAFF,
    "certificates.show_batch_progress GET": STAFF,
    "certificates.reissue_cohort_certificates POST": STAFF,
    "certificates.show_reissue_progress GET": STAFF,
    "verify.lookup_code GET": PUBLIC,
    "verify.show_certificate GET": UNKNOWN_SECRET,
    "verify.show_public_key GET": PUBLIC,
    "verify.show_public_key_json GET": PUBLIC,
    "keys.show_jwks GET": PUBLIC,  # every signing key, public parts only (issue 25)
    "badges.download_badge GET": rule(doctor=404),  # the holder's and staff's, as the PDF
    "badges.show_issuer GET": PUBLIC,
    "badges.show_revocation_list GET": PUBLIC,
    # Travel documents and invitation letters.
    "documents.list_overview GET": STAFF,
    "documents.list_my_documents GET": DOCTOR_ONLY,
    "documents.list_my_documents POST": DOCTOR_ONLY,
    "documents.list_hospital_documents GET": COORDINATOR_ONLY,
    "documents.upload_for_doctor GET": STAFF,  # staff file a document for any doctor
    "documents.upload_for_doctor POST": STAFF,
    "documents.show_document GET": STAFF,  # the review page; holders download below
    "documents.download_document GET": OTHERS_OBJECT,
    "documents.show_document_file GET": OTHERS_OBJECT,  # the same file, shown inline
    "documents.list_review_queue GET": STAFF,
    "documents.accept_document POST": STAFF,
    "documents.reject_document POST": STAFF,
    "documents.edit_requirements GET": STAFF,
    "documents.edit_requirements POST": STAFF,
    "documents.delete_requirement POST": STAFF,
    "documents.show_checklist GET": STAFF,
    "documents.export_checklist GET": STAFF,
    # Letters carry passport details: directors only (DESIGN §2), not administrators.
    "documents.download_letter GET": rule(admin=403),
    "documents.download_letters GET": rule(admin=403),
    # Evaluations both ways (issue 23): the one-tap link, answering in the app, results, forms.
    "evaluations.answer_by_link GET": UNKNOWN_SECRET,
    "evaluations.answer_by_link POST": UNKNOWN_SECRET,
    "evaluations.answer_in_app GET": rule(doctor=404, coordinator=404, director=403, admin=403),
    "evaluations.answer_in_app POST": rule(doctor=404, coordinator=404, director=403, admin=403),
    "evaluations.list_my_evaluations GET": DOCTOR_ONLY,
    "evaluations.list_hospital_evaluations GET": COORDINATOR_ONLY,
    "evaluations.list_results GET": STAFF,
    "evaluations.show_hospital_results GET": rule(coordinator=404),
    "evaluations.show_department_results GET": rule(coordinator=404),
    "evaluations.show_doctor_results GET": STAFF,  # directors only: hosts never see it
    **{
        f"evaluations.{name}": STAFF
        for name in (
            "list_forms GET",
            "create_form GET",
            "create_form POST",
            "edit_form GET",
            "edit_form POST",
            "make_form_default POST",
            "retire_form POST",
        )
    },
    # Background jobs and notifications.
    # Webhooks (issue 25): the administrator's.
    **{
        f"webhooks.{name}": ADMIN_ONLY
        for name in (
            "list_subscriptions GET",
            "new_subscription GET",
            "new_subscription POST",
            "show_subscription GET",
            "show_subscription POST",
            "rotate_secret POST",
            "send_ping POST",
            "send_again POST",
            "delete_subscription POST",
        )
    },
    "jobs.list_jobs GET": ADMIN_ONLY,
    "jobs.run_job_now POST": ADMIN_ONLY,
    "jobs.show_run_progress GET": OTHERS_OBJECT,
    "notifications.list_notifications GET": LOGGED_IN,
    "notifications.list_outbox GET": ADMIN_ONLY,
    "notifications.retry_notification POST": ADMIN_ONLY,
    "notifications.mark_all_notifications_read POST": LOGGED_IN,
    # Follow-up surveys (issue 23): the director's lists and reminders; the doctor's one-tap
    # answer is a secret link like a confirmation link.
    "followup.list_surveys GET": STAFF,
    "followup.show_cohort_surveys GET": STAFF,
    "followup.show_doctor_answers GET": STAFF,
    "followup.remind_doctor POST": STAFF,
    "followup.remind_non_responders POST": STAFF,
    "followup.answer_survey GET": UNKNOWN_SECRET,
    "followup.answer_survey POST": UNKNOWN_SECRET,
    # Somebody else's notification: nobody but its addressee reaches it.
    "notifications.mark_notification_read POST": rule(
        doctor=404, coordinator=404, director=404, admin=404
    ),
    # The funder's report and the dashboard: directors and administrators.
    "reports.show_report GET": STAFF,
    "reports.download_report_pdf GET": STAFF,
    "reports.download_report_xlsx GET": STAFF,
    "reports.choose_quotes GET": STAFF,
    "reports.set_quote POST": STAFF,
    "reports.show_dashboard GET": STAFF,
    # Travel readiness (issue 24): directors and administrators; hosts and doctors may not.
    "readiness.show_readiness GET": STAFF,
    "readiness.record_visa POST": STAFF,
    # Travel (issue 24): the director's itinerary of a cohort; the doctor's own travel page
    # (another cohort's is a 404; hosts never see it).
    **{
        f"travel.{name}": STAFF
        for name in (
            "show_itinerary GET",
            "add_leg GET",
            "add_leg POST",
            "edit_leg GET",
            "edit_leg POST",
            "delete_leg POST",
            "add_transfer GET",
            "add_transfer POST",
            "edit_transfer GET",
            "edit_transfer POST",
            "delete_transfer POST",
            "add_stay GET",
            "add_stay POST",
            "edit_stay GET",
            "edit_stay POST",
            "delete_stay POST",
            "edit_rooms GET",
            "edit_rooms POST",
            "set_emergency_contact POST",
            "import_itinerary GET",
            "import_itinerary POST",
            "download_template GET",
        )
    },
    "travel.show_my_travel GET": DOCTOR_ONLY,
    "travel.show_cohort_travel GET": rule(doctor=404, director=403, admin=403),
    # A cohort's money (issue 24): directors and administrators only; coordinators and
    # doctors never see a budget, a cost or an invoice.
    **{
        f"budget.{name}": STAFF
        for name in (
            "show_budget GET",
            "set_reporting_currency POST",
            "set_exchange_rate POST",
            "add_budget_line GET",
            "add_budget_line POST",
            "edit_budget_line GET",
            "edit_budget_line POST",
            "delete_budget_line POST",
            "record_cost GET",
            "record_cost POST",
            "edit_cost GET",
            "edit_cost POST",
            "delete_cost POST",
            "download_invoice GET",
            "export_budget GET",
        )
    },
    # The JSON API (issue 25): its description is public; its data needs a token (below).
    "api.show_openapi GET": PUBLIC,
    "api.show_docs GET": PUBLIC,
    # Integration tokens: administrators only.
    "integrations.list_tokens GET": ADMIN_ONLY,
    "integrations.create_token GET": ADMIN_ONLY,
    "integrations.create_token POST": ADMIN_ONLY,
    "integrations.revoke_token POST": ADMIN_ONLY,
}

# The scope each API operation needs (tests/test_api_permissions.py probes each with no
# token, a token without it, and a hospital-limited token on another hospital's object).
API_SCOPES: dict[str, str] = {
    "api.list_cohorts GET": "read:cohorts",
    "api.get_cohort GET": "read:cohorts",
    "api.list_doctors GET": "read:doctors",
    "api.get_doctor GET": "read:doctors",
    "api.list_placements GET": "read:placements",
    "api.get_placement GET": "read:placements",
    "api.list_masterclasses GET": "read:masterclasses",
    "api.get_masterclass GET": "read:masterclasses",
    "api.list_certificates GET": "read:certificates",
    "api.get_certificate GET": "read:certificates",
    "api.import_roster POST": "write:rosters",
    "api.record_attendance POST": "write:attendance",
}
POLICY.update(dict.fromkeys(API_SCOPES, TOKEN_ONLY))
