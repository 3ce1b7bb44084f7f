"""Whether the turns found look right: what the import should warn about.

Turns are found from labels; when a layout is missed, the import still succeeds, and nothing
would tell the researcher that half the interview sits in no turn, or in one giant turn. These
checks say so, with the way out (``--speaker-pattern``, ``--interviewer``).
"""

from __future__ import annotations

from collections.abc import Sequence

from thematica.domain.study import Turn, Turns

__all__ = ["MAX_OUTSIDE_SHARE", "role_notice", "turn_notices"]

#: More than this share of the text (not counting white space) in no turn is worth a warning.
MAX_OUTSIDE_SHARE = 0.10
#: One turn this many times longer than the others' average, and holding at least
#: :data:`_LONG_SHARE` of the text, is likely several turns whose labels were missed.
_LONG_FACTOR = 10
_LONG_SHARE = 0.25
_HINT = "give the layout with --speaker-pattern REGEX (the speaker in a group named 'speaker')"


def turn_notices(text: str, turns: Sequence[Turn]) -> tuple[str, ...]:
    """The warnings ``turns`` deserve over ``text`` (none when they look right)."""
    spans = (
        turns.spans() if isinstance(turns, Turns) else [(t.span.start, t.span.end) for t in turns]
    )
    count = len(turns)
    body = len(text) - _space(text, 0, len(text))
    if body == 0:
        return ()
    if not count:
        return (
            "no speaker turns were found (right for one voice: a diary, an answer); if "
            f"speakers are marked, {_HINT}",
        )
    notices: list[str] = []
    outside = 0
    previous = 0
    lengths_sum = 0
    longest = (0, 0, 0)
    for start, end in spans:
        outside += (start - previous) - _space(text, previous, start)
        previous = end
        lengths_sum += end - start
        if end - start > longest[0]:
            longest = (end - start, start, end)
    outside += (len(text) - previous) - _space(text, previous, len(text))
    if outside > MAX_OUTSIDE_SHARE * body:
        notices.append(
            f"{outside / body:.0%} of the text lies in no speaker turn; check the speaker "
            f"labels, or {_HINT}"
        )
    size, start, _ = longest
    others = (lengths_sum - size) / (count - 1) if count > 1 else 0
    if count > 1 and size > _LONG_FACTOR * others and size > _LONG_SHARE * len(text):
        line = text.count("\n", 0, start) + 1
        notices.append(
            f"one turn (line {line}) holds {size / len(text):.0%} of the text, "
            f"{size / max(others, 1):.0f} times the others' average: speaker labels may have "
            f"been missed; {_HINT}"
        )
    return tuple(notices)


def role_notice(speakers: Sequence[str], roles: Sequence[str | None]) -> str | None:
    """A notice when turns exist but no speaker got a role."""
    if not speakers or any(roles):
        return None
    shown = ", ".join(speakers[:6]) + (" ..." if len(speakers) > 6 else "")
    return (
        f"no speaker roles were assigned (speakers: {shown}); name the interviewer(s) with "
        "--interviewer NAME and the other speakers become participants"
    )


def _space(text: str, start: int, end: int) -> int:
    """White-space characters in ``text[start:end]``, counted a slice at a time so that a long
    text never becomes a list of its words."""
    if end - start <= 64:
        return sum(1 for c in text[start:end] if c.isspace())
    found = 0
    for at in range(start, end, 65536):
        chunk = text[at : min(at + 65536, end)]
        found += len(chunk) - len("".join(chunk.split()))
    return found
