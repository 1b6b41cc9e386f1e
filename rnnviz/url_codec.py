"""The page's URL as values: what each parameter means (check_query, with plain words for
whatever had to change), and the query that says how a run was made (settings_query)."""

from typing import NamedTuple
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from rnnviz.probe_points import PROBES, PROBES_KEY, check_probes
from rnnviz.racer_grammar import RACERS_KEY, check_racers
from rnnviz.specs import SPECS, check_value, shown


class LinkValue(NamedTuple):
    """What the page makes of one URL parameter.

    value: what the control uses; text: what the URL must hold for it, exactly as the bound
    widget writes it (None: no parameter, the control is at its default); notice: plain
    words for what was changed, '' when the link already held exactly this; problem: the
    first thing wrong with the link's text, without what was done about it (a script, which
    gets what it asked for or nothing, reports it).
    """

    value: object
    text: str | list | None
    notice: str
    problem: str = ""


def url_text(key, value):
    """The URL text a control bound to key writes for value; None for the default."""
    if key == PROBES_KEY:
        return None if list(value) == list(PROBES) else list(value)
    spec = SPECS[key]
    if value == spec.default:
        return None
    if spec.kind == "bool":
        return "true" if value else "false"
    if spec.kind == "choice":
        return str(value)
    if spec.kind == "log":
        return f"{value:g}"  # the select slider's label, which is what its URL holds
    if float(value) == int(value):
        return str(int(value))  # Streamlit writes 5.0 as 5
    return repr(float(value))


def file_text(key, value):
    """The URL text for a control's value read from a file (anything JSON holds): url_text's
    for a value of the control's own kind, else the value as text, which check_query then
    explains like a link's ("eta_p='abc' is not a number")."""
    kind = SPECS[key].kind
    if kind == "bool":
        fits = isinstance(value, bool)
    elif kind == "choice":
        fits = isinstance(value, str)
    else:  # a number, and a bool is not one here
        fits = isinstance(value, int | float) and not isinstance(value, bool)
    try:
        return url_text(key, value) if fits else str(value)
    except (ValueError, OverflowError):  # nan, inf: int() of them
        return str(value)


def check_query(query):
    """{key: LinkValue} for every control a URL sets; other parameters are left alone.

    query maps a key to a string or a list of strings (for one key the last one wins, as a
    browser does; the probe points are a list). Impossible values are moved to the nearest
    valid one, malformed ones fall back to the default, each with a notice.
    """
    checked = {}
    for key, raw in query.items():
        texts = raw if isinstance(raw, list) else [str(raw)]
        if key == PROBES_KEY:
            known, problems = check_probes(texts)
            checked[key] = _listed(key, known, url_text(key, known), problems)
        elif key == RACERS_KEY:
            known, problems = check_racers(texts)
            checked[key] = _listed(key, known, known or None, problems[:3])
        elif key in SPECS and texts:
            one = check_value(key, SPECS[key], texts[-1])
            if len(texts) > 1 and not one.problem:
                one = one._replace(
                    problem=f"{key} is given {len(texts)} times",
                    remedy=f"using the last, {shown(one.value)}",
                )
            checked[key] = LinkValue(one.value, url_text(key, one.value), one.notice, one.problem)
    return checked


def _listed(key, known, text, problems):
    """A list parameter's LinkValue: its notice names each problem, after the key."""
    notice = f"{key}: {'; '.join(problems)}." if problems else ""
    return LinkValue(known, text, notice, problems[0] if problems else "")


def settings_query(values, racers=()):
    """The page's URL query for values (every control off its default) and racers: what a
    file keeps inside to say how it was made, and how to make it again."""
    pairs = [(k, url_text(k, v)) for k, v in values.items() if k in SPECS or k == PROBES_KEY]
    pairs = [(k, text) for k, text in pairs if text is not None]
    pairs = [(k, v) for k, text in pairs for v in (text if isinstance(text, list) else [text])]
    pairs += [(RACERS_KEY, racer) for racer in racers]
    return "?" + urlencode(pairs, quote_via=url_quote, safe=",()=")
