"""The reports layer (see README.md for what it may import)."""
