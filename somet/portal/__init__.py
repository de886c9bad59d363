"""The visiting doctor's portal: programme, calendar feed, profile; a host's visitors."""
