"""Pure certificate core: completion, payload, signing, wording."""
