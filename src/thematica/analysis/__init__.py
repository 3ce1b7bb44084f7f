"""Pure computation on study data: agreement between coders, and later matrices, saturation and
frequencies. numpy only; no I/O, no database (see README.md in this folder)."""
