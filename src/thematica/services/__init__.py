"""Use cases shared by every adapter. See README.md for the import rule."""
