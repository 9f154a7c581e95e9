"""How figures are written and coloured, once for every surface (terminal, web page, plots).

A verdict has a *tone*: ``ok`` (within, not an outlier), ``caution`` (within, but extreme among
the precedents) or ``outside`` (below or above). Each tone has one colour, used by the CLI, the
web page and the figures alike, so words and colours never disagree.
"""

from __future__ import annotations

from urllib.parse import urlsplit

TONES = ("ok", "caution", "outside")
TONE_HEX = {"ok": "#1a7f37", "caution": "#9a6700", "outside": "#cf222e"}
"""The colour of each tone (green, amber, red), as hex for the web page and figures."""
TONE_TERMINAL = {"ok": "green", "caution": "yellow", "outside": "red"}
"""The same tones as the terminal's colour names."""
TONE_WORDS = {"ok": "in line", "caution": "in line, but unusual", "outside": "out of line"}

RANGE_HEX = "#9ecae1"
MEDIAN_HEX = "#08519c"
POINT_HEX = "#333333"


def money(value: float | None) -> str:
    """'£1,234' (whole pounds) or a dash for unknown (``None`` or NaN).

    >>> money(1234.4), money(None), money(float("nan")), money(0)
    ('£1,234', '-', '-', '£0')
    """
    if value is None or value != value:
        return "-"
    return f"£{value:,.0f}"


def pct(value: float | None) -> str:
    """A share as a whole percentage, or a dash.

    >>> pct(0.8), pct(None)
    ('80%', '-')
    """
    return "-" if value is None else f"{value:.0%}"


def factor(value: float) -> str:
    """A multiplicative effect, e.g. 'x1.6' or 'x0.75'.

    >>> factor(1.6), factor(1.0), factor(0.7512), factor(12.3)
    ('x1.6', 'x1.0', 'x0.75', 'x12')
    """
    if value >= 10:
        return f"x{value:.0f}"
    return f"x{value:.1f}" if value >= 1 else f"x{value:.2f}"


def points(value: float) -> str:
    """A change of probability in percentage points, signed.

    >>> points(0.123), points(-0.04), points(0.001)
    ('+12 pts', '-4 pts', '+0 pts')
    """
    return f"{value * 100:+.0f} pts"


CODE_WORDS = {
    # fault types
    "assessment_delay": "assessment delayed",
    "assessment_flawed": "assessment flawed",
    "care_quality": "quality of care",
    "carer_assessment": "carer's assessment",
    "transition": "transition to adult services",
    "mental_capacity_dols": "mental capacity / DoLS",
    "sen_ehcp": "SEN / EHC plan",
    "placement_residential": "residential placement",
    "continuing_healthcare": "NHS continuing healthcare",
    # vulnerable groups
    "end_of_life": "end of life",
    # body types
    "county": "county council",
    "unitary": "unitary council",
    "metropolitan": "metropolitan council",
    "london_borough": "London borough",
    "district": "district council",
    "nhs_joint": "council with the NHS",
    # decisions
    "report_upheld": "upheld in a public report",
}
"""Codebook codes whose plain reading needs more than spaces for underscores."""


def words(code: str) -> str:
    """A codebook code (fault type, vulnerable group, body type, decision) as words.

    >>> words("respite_not_provided"), words("sen_ehcp"), words("london_borough")
    ('respite not provided', 'SEN / EHC plan', 'London borough')
    """
    return CODE_WORDS.get(code, code.replace("_", " "))


def safe_url(url: str | None) -> str | None:
    """The URL if it is a web address (http or https), else ``None``.

    Escaping keeps markup out of a link but not a ``javascript:`` address; this does.

    >>> safe_url("https://www.lgo.org.uk/decisions/x"), safe_url("javascript:alert(1)")
    ('https://www.lgo.org.uk/decisions/x', None)
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def html_templates(package: str, **names):
    """The Jinja templates in ``package``'s ``templates`` folder, set up as every page of the
    project is: everything escaped, an undefined name an error, and :func:`money`,
    :func:`pct` and the ``safe_url`` filter available, plus ``names``.

    Jinja is imported here, so the terminal's answers do not load it.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.globals.update(money=money, pct=pct, **names)
    return env
