""" "Did you mean ...?": the hint an unknown name gets, so that a typo is an error that helps,
never a new coder, participant or code made in silence."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["close_names", "did_you_mean"]

_LISTED = 8


def close_names(name: str, known: Iterable[str]) -> list[str]:
    """Up to three known names close to ``name`` (case-insensitively), closest first; ``name``
    itself is never among them (a name differing only in case is)."""
    import difflib

    folded = {n.casefold(): n for n in known if n != name}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=3, cutoff=0.6)
    return [folded[c] for c in close]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A hint to append to a not-found message: the closest known names, case-insensitively;
    failing that, the names known (up to eight); ``""`` when nothing is known."""
    import difflib  # only when a name is unknown: a command's start-up need not pay for it

    names = sorted(set(known), key=str.casefold)
    if not names:
        return ""
    folded = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=3, cutoff=0.6)
    if close:
        return f" (did you mean {' or '.join(repr(folded[c]) for c in close)}?)"
    listed = ", ".join(repr(n) for n in names[:_LISTED])
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return f" (known: {listed}{more})"
