"""The web layer (see README.md for what it may import)."""
