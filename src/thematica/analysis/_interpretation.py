"""Conventional verbal bands for agreement values (Landis & Koch; Krippendorff)."""

from __future__ import annotations

import math
from collections.abc import Callable

from thematica.errors import InvalidInputError

__all__ = ["interpret"]

#: Upper bounds of Landis & Koch's bands above zero (their "0.21-0.40" is (0.20, 0.40] here).
_LANDIS_KOCH = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (math.inf, "almost perfect"),
)
_FAMILIES = {
    "percent": "percent",
    "percent_agreement": "percent",
    "cohen": "kappa",
    "cohen_kappa": "kappa",
    "scott": "kappa",
    "scott_pi": "kappa",
    "fleiss": "kappa",
    "fleiss_kappa": "kappa",
    "ac1": "kappa",
    "gwet_ac1": "kappa",
    "alpha": "alpha",
    "krippendorff_alpha": "alpha",
}


def interpret(statistic: str | Callable[..., float], value: float) -> str | None:
    """A conventional verbal band for an agreement value.

    Kappa-family statistics (Cohen, Scott, Fleiss, Gwet's AC1) use Landis & Koch's bands: below 0
    "poor", up to 0.20 "slight", 0.21-0.40 "fair", 0.41-0.60 "moderate", 0.61-0.80
    "substantial", above "almost perfect". Krippendorff's alpha uses his own: below 0.667
    "unacceptable", 0.667 up to 0.8 "tentative" (tentative conclusions only), 0.8 and above
    "acceptable". Percent agreement has no accepted bands: ``None``. NaN gives ``"undefined"``.
    The bands are conventions, not tests; report the value and its interval too.

    Parameters
    ----------
    statistic : str or callable
        A statistic of :mod:`thematica.analysis.agreement`, or its name: the function's name or
        the CLI's (``percent``, ``cohen``, ``scott``, ``fleiss``, ``alpha``, ``ac1``).
    value : float
        The statistic's value.

    References
    ----------
    Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for categorical
    data. *Biometrics*, 33(1), 159-174. Krippendorff, K. (2004). *Content Analysis* (2nd ed.),
    p. 241.

    Examples
    --------
    >>> from thematica.analysis.agreement import krippendorff_alpha
    >>> interpret("cohen", 0.43), interpret(krippendorff_alpha, 0.7), interpret("percent", 0.9)
    ('moderate', 'tentative', None)
    """
    name = statistic if isinstance(statistic, str) else getattr(statistic, "__name__", "")
    family = _FAMILIES.get(name)
    if family is None:
        raise InvalidInputError(
            f"no interpretation for {name!r}; known statistics: {', '.join(sorted(_FAMILIES))}"
        )
    if family == "percent":
        return None
    if math.isnan(value):
        return "undefined"
    if value > 1.0 + 1e-9:
        raise InvalidInputError(f"an agreement statistic cannot exceed 1, got {value!r}")
    if family == "alpha":
        return "unacceptable" if value < 0.667 else "tentative" if value < 0.8 else "acceptable"
    if value < 0.0:
        return "poor"
    return next(band for top, band in _LANDIS_KOCH if value <= top)
