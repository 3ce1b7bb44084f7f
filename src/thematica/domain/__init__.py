"""The study model: pure entities and the rules that keep them consistent (stdlib only)."""
