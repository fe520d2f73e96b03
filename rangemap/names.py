"""Name matching shared by the gazetteer and the catalog: normalise, match, explain misses."""

from __future__ import annotations

import difflib
import re
import unicodedata

from rangemap.errors import LookupFailedError

# Words that name the kind of unit rather than the unit: "Kursk Oblast" is "Kursk".
_UNIT_WORDS = r"oblast|oblast'|region|province|governorate|krai|kray|okrug|autonomous republic of|republic of|state of"


def normalise(name: str) -> str:
    """Case-, accent- and punctuation-free form of a name, for matching.

    Parameters
    ----------
    name : str

    Returns
    -------
    str

    Examples
    --------
    >>> normalise("Kursk Oblast")
    'kursk'
    >>> normalise("Zaporizhzhya ")
    'zaporizhzhya'
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"['’`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    stripped = re.sub(rf"\b({_UNIT_WORDS})\b", " ", text)
    stripped = re.sub(r"\s+", " ", stripped).strip()
    return stripped or text


def not_found(kind: str, query: str, known: list[str], hint: str = "") -> LookupFailedError:
    """An error for an unknown name that lists the closest known names.

    Parameters
    ----------
    kind : str
        What was looked up ("region", "place", "weapon", ...).
    query : str
    known : list of str
        Display names to suggest from.
    hint : str, optional
        A sentence appended to the message.

    Returns
    -------
    LookupFailedError
    """
    by_norm = {}
    for k in known:
        by_norm.setdefault(normalise(k), k)
    close = difflib.get_close_matches(normalise(query), list(by_norm), n=5, cutoff=0.6)
    suggestions = [by_norm[c] for c in close]
    message = f"unknown {kind} {query!r}"
    if suggestions:
        message += "; did you mean: " + ", ".join(suggestions) + "?"
    if hint:
        message += " " + hint
    return LookupFailedError(message, suggestions)


def ambiguous(kind: str, query: str, candidates: list[str], hint: str) -> LookupFailedError:
    """An error for a name that matches several entries, listing them.

    Parameters
    ----------
    kind, query : str
    candidates : list of str
    hint : str
        How to pick one.

    Returns
    -------
    LookupFailedError
    """
    return LookupFailedError(
        f"{kind} {query!r} is ambiguous: {len(candidates)} matches: {'; '.join(candidates)}. {hint}", candidates
    )
