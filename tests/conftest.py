"""Session-wide fixtures: the spaCy pipeline is loaded once, stores are per test."""
