"""Host hospitals and their departments."""
