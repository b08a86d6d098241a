"""The curated overlay (data/places.yml: familiar names, aliases, areas, centres) applied to the
entries, then every usable name indexed: the compiled gazetteer's names, candidates and gated names."""
from __future__ import annotations

from collections import defaultdict

from .common import GATED_MIN_POP, KINDS, curated_overlay, fold, load_stopwords, normalise, usable_name


def _finish(places, aliases, country_idx) -> dict:
    """Apply the curated overlay, then index every usable name."""
    overlay = curated_overlay()
    forced: dict[int, set[str]] = defaultdict(set)  # curated aliases bypass the usable_name filter
    cc_by_name = {places[i][0].casefold(): cc for cc, i in country_idx.items()}
    for cc, i in country_idx.items():
        for a in aliases[i]:
            cc_by_name.setdefault(a.casefold(), cc)

    def names_of(i):
        return {places[i][0].casefold(), *(a.casefold() for a in aliases[i])}

    by_name: dict[str, list[int]] = defaultdict(list)
    for i in range(len(places)):
        for n in names_of(i):
            by_name[n].append(i)

    curated: set[int] = set()  # entries named in places.yml: the familiar sense wins close calls
    bodies: set[str] = set()  # areas that are also bodies named by a tag ("European Union")
    labels: dict[int, str] = {}  # country label for entries outside any country ("International waters")
    section_kinds = {"countries": ("country",), "regions": ("region", "district"), "places": ("city", "district"),
                     "areas": ("area", "sea")}
    for section, kinds in section_kinds.items():
        for e in overlay.get(section) or []:
            name = e["name"]
            cc = cc_by_name.get(str(e.get("country", name)).casefold(), "")
            cands = []
            if e.get("geonameid"):
                cands = [i for i in range(len(places)) if places[i][5] == e["geonameid"]]
            if not cands:
                for n in (name, *(e.get("aliases") or ())):
                    cands += [i for i in by_name.get(n.casefold(), ())
                              if places[i][1] in kinds and (section == "countries" or places[i][2] == cc)]
                cands.sort(key=lambda i: -places[i][6])
            if cands:
                i = cands[0]
                if places[i][0] and places[i][0] != name:
                    aliases[i].add(places[i][0])  # GeoNames' name stays an alias of the familiar one
                places[i][0] = name
                if e.get("lat") is not None and e.get("lon") is not None and (
                        places[i][1] in ("country", "area") or e.get("centre")):
                    # countryinfo's centres differ from GeoNames' for a few large countries, and a big
                    # region's towns cluster at one edge (Ontario's in the south): editors win
                    places[i][3], places[i][4] = float(e["lat"]), float(e["lon"])
            else:
                kind = e.get("kind") or {"countries": "country", "regions": "region", "places": "city",
                                         "areas": "area"}[section]
                if kind not in KINDS:
                    kind = "area"
                i = len(places)
                if not cc and e.get("country"):
                    labels[i] = str(e["country"])
                admin1 = -1
                if e.get("region"):
                    r = [j for j in by_name.get(str(e["region"]).casefold(), ()) if places[j][1] == "region"
                         and places[j][2] == cc]
                    admin1 = r[0] if r else -1
                places.append([name, kind, cc, e.get("lat"), e.get("lon"), e.get("geonameid"),
                               int(e.get("population") or 0), False, admin1, None])
                if kind == "area" and not cc:
                    places[i][2] = ""
                for n in names_of(i):
                    by_name[n].append(i)
            if section != "regions":  # the familiar sense of a bare name; regions listed for aliases only
                curated.add(i)
            forced[i].add(name)
            forced[i].update(str(a) for a in e.get("aliases") or ())
            if e.get("priority"):
                places[i][6] = max(places[i][6], 10 ** 9)
            if e.get("body"):
                bodies.add(name)

    stop = load_stopwords()
    names: list[str] = []  # display-cased first spelling of each folded name
    cand: list[tuple[int, ...]] = []
    name_id: dict[str, int] = {}
    for i, p in enumerate(places):
        pool = {p[0], *aliases[i]} if p[0] else set(aliases[i])
        keep = {a.strip() for a in pool if usable_name(a)}
        keep |= {a.strip() for a in forced.get(i, ())}
        for a in sorted(keep):  # a fixed order: the same build whatever the hash seed
            a = " ".join(a.split())
            if fold(a) in stop and a not in forced.get(i, ()):
                continue
            f = normalise(a)  # "Deir ez-Zor" and "Deir ez Zor" are one key, with both entries' candidates
            j = name_id.get(f)
            if j is None:
                j = name_id[f] = len(names)
                names.append(a)
                cand.append((i,))
            elif i not in cand[j]:
                cand[j] = cand[j] + (i,)
    # A town whose own name is a common word or surname ("Decatur", "Greer", "Middletown") is a place
    # only where the article says so (see GeoNamesGazetteer.gated_ok): its own key, marked gated, and
    # only when no ungated name has that key.
    gated: set[int] = set()
    # keys only curated towns made ("Medina" for the Saudi city): the gated towns of that name join them
    # as namesakes (not a curated sea's or area's: "Atlantic" is no town in Iowa)
    curated_only = {j for j, c in enumerate(cand) if all(k in curated and places[k][1] == "city" for k in c)}
    for i, p in enumerate(places):
        if p[1] != "city" or p[6] < GATED_MIN_POP or not p[0] or fold(p[0]) not in stop or not usable_name(p[0]):
            continue
        a = " ".join(p[0].split())
        f = normalise(a)
        j = name_id.get(f)
        if j is None:
            j = name_id[f] = len(names)
            names.append(a)
            cand.append((i,))
            gated.add(j)
        elif (j in gated or j in curated_only) and i not in cand[j]:
            cand[j] = cand[j] + (i,)  # "Medina": the curated Saudi city, and Medina, Ohio where the text says so
    # Smaller towns of a gated name join it as namesakes, never as a name of their own: "Shelby" in a
    # story about Montana is the town of 3,000 there, once the article vouches for the name
    for i, p in enumerate(places):
        if p[1] != "city" or p[6] >= GATED_MIN_POP or not p[0] or fold(p[0]) not in stop:
            continue
        j = name_id.get(normalise(" ".join(p[0].split())))
        if j is not None and j in gated and i not in cand[j]:
            cand[j] = cand[j] + (i,)
    # compact arrays for the places
    table = {
        "name": [p[0] for p in places], "kind": [KINDS.index(p[1]) for p in places], "cc": [p[2] for p in places],
        "lat": [p[3] for p in places], "lon": [p[4] for p in places], "gid": [p[5] for p in places],
        "pop": [p[6] for p in places], "capital": [p[7] for p in places], "admin1": [p[8] for p in places],
        "admin2": [-1 if p[9] is None else p[9] for p in places],
        "country_idx": dict(country_idx), "labels": labels, "curated": curated,
        "bodies": sorted(bodies),
    }
    return {"places": table, "names": names, "cand": cand, "forced": {n for s in forced.values() for n in s},
            "gated": gated}
