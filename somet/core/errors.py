"""Domain errors. Views show them as a form error or flash; the CLI as an exit code."""


class DomainError(Exception):
    """A business rule refused the operation; ``str(error)`` is the reason in words."""

    status_code = 400


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class InvalidTransition(DomainError):
    status_code = 409


class CapacityExceeded(DomainError):
    status_code = 409


class ValidationFailed(DomainError):
    """Input that breaks a rule a form could not check on its own."""

    status_code = 400
