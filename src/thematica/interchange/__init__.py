"""File formats in and out. See README.md for the import rule."""
