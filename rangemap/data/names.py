"""Name matching shared by the gazetteer and the catalog: normalise, match, explain misses.

Names in every script are kept: ``normalise("Москва")`` is ``"москва"``, not
the empty string, so a name in Cyrillic, Greek, Arabic or Chinese matches
only names written the same way. A name with no letter or digit at all
normalises to ``""`` and is refused by :func:`check_name`.
"""

from __future__ import annotations

import re
import unicodedata

from rangemap.errors import LookupFailedError

# Words that name the kind of unit rather than the unit: "Kursk Oblast" is "Kursk",
# "Московская область" is "московская", "北京市" is "北京".
_UNIT_WORDS = ("oblast|oblasti|region|province|governorate|krai|kray|okrug|autonomous okrug|autonomous oblast|"
               "autonomous republic of|autonomous republic|republic of|republic|state of|city of|city|"
               "oblys|область|обл|край|округ|автономный округ|автономная область|республика|республіка|"
               "автономна республіка|місто|город")
_UNIT_WORDS_RE = re.compile(rf"(?<!\w)(?:{_UNIT_WORDS})(?!\w)")
_CJK_SUFFIX_RE = re.compile(r"(?<=\w)(?:特别行政区|自治区|省|市|县|都|道|府|県)$")
_APOSTROPHES_RE = re.compile(r"['’ʼ`´ʹ]")
_SEPARATORS_RE = re.compile(r"[\W_]+")
# Fuzzy suggestions: at most this many, scoring at least this (rapidfuzz ratio, 0-100).
_SUGGESTIONS = 5
_SUGGESTION_CUTOFF = 75.0


def full_key(name: str) -> str:
    """Case-, accent- and punctuation-free form of a name, keeping every word.

    Letters of every script are kept (only combining marks go: ``"ї"`` is
    ``"і"``, ``"à"`` is ``"a"``); apostrophes vanish and other punctuation
    separates words.

    Parameters
    ----------
    name : str

    Returns
    -------
    str
        ``""`` when the name has no letter or digit.

    Examples
    --------
    >>> full_key("Moscow Oblast")
    'moscow oblast'
    >>> full_key("Ryl’sk")
    'rylsk'
    >>> full_key("  Москва ")
    'москва'
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES_RE.sub("", text)
    return _SEPARATORS_RE.sub(" ", text).strip()


def normalise(name: str) -> str:
    """:func:`full_key` without the words that name the kind of unit.

    Parameters
    ----------
    name : str

    Returns
    -------
    str
        The stripped form, or the full key when nothing but unit words is left.

    Examples
    --------
    >>> normalise("Kursk Oblast")
    'kursk'
    >>> normalise("Zaporizhzhya ")
    'zaporizhzhya'
    >>> normalise("Московская область")
    'московская'
    >>> normalise("北京市")
    '北京'
    """
    text = full_key(name)
    stripped = _CJK_SUFFIX_RE.sub("", _UNIT_WORDS_RE.sub(" ", text))
    stripped = re.sub(r"\s+", " ", stripped).strip()
    return stripped or text


def check_name(kind: str, name) -> str:
    """The name as a stripped string, or an error if it names nothing.

    Parameters
    ----------
    kind : str
        What is looked up ("region", "place", ...), for the message.
    name : str

    Returns
    -------
    str

    Raises
    ------
    LookupFailedError
        If ``name`` is not a string, or has no letter or digit (``""``, ``"  "``, ``"--"``).
    """
    if not isinstance(name, str):
        raise LookupFailedError(f"a {kind} name must be text, not {type(name).__name__} {name!r}")
    if not full_key(name):
        raise LookupFailedError(f"no {kind} named {name!r}: a {kind} name needs at least one letter or digit")
    return name.strip()


def suggestions(query: str, keys, limit: int = _SUGGESTIONS) -> list[int]:
    """Positions of the keys closest to a query (rapidfuzz), best first.

    Parameters
    ----------
    query : str
        Already normalised.
    keys : sequence of str
        Normalised names to search.
    limit : int, optional

    Returns
    -------
    list of int
        Indices into ``keys`` scoring at least the cutoff, best first.
    """
    from rapidfuzz import fuzz, process

    hits = process.extract(query, keys, scorer=fuzz.ratio, limit=max(limit, 20), score_cutoff=_SUGGESTION_CUTOFF)
    return [int(index) for _, _, index in rank_suggestions(query, hits)[:limit]]


def rank_suggestions(query: str, hits: list) -> list:
    """rapidfuzz ``extract`` hits, best first: by ratio, then by Damerau-Levenshtein distance (a
    swapped pair of letters, "Kurks" for "Kursk", is one edit), in their given order otherwise.

    Parameters
    ----------
    query : str
    hits : list of (str, float, int)

    Returns
    -------
    list of (str, float, int)
    """
    from rapidfuzz.distance import DamerauLevenshtein

    return sorted(hits, key=lambda hit: (-round(hit[1]), DamerauLevenshtein.distance(query, hit[0])))


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
    by_norm: dict[str, str] = {}
    for k in known:
        by_norm.setdefault(normalise(k), k)
    keys = list(by_norm)
    return unknown(kind, query, [by_norm[keys[i]] for i in suggestions(normalise(query), keys)], hint)


def unknown(kind: str, query: str, close: list[str], hint: str = "") -> LookupFailedError:
    """An error for an unknown name, with suggestions already found.

    Parameters
    ----------
    kind, query : str
    close : list of str
        Suggestions, best first (may be empty).
    hint : str, optional

    Returns
    -------
    LookupFailedError
    """
    message = f"unknown {kind} {query!r}" + ("; did you mean: " + ", ".join(close) + "?" if close else ".")
    if hint:
        message += " " + hint
    return LookupFailedError(message, close)


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
