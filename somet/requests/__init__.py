"""The host's side: a coordinator's requests and the supervisor's one-tap link."""
