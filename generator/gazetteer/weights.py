"""The gazetteer's numeric weights and thresholds, in one place: ranking (prior points) and the sizes
(people) from which a name keeps its place in the precision rules."""

MAX_CANDIDATES = 30  # a name's entries looked at, best prior first (not the 200th "Springfield")
ALIAS_PENALTY = 1.5  # prior points off a town matched by an old or foreign name
FAMOUS_GAP = 2.0  # prior points (~100 times the people) below the best namesake: country context alone no longer lifts it
NAMED_COUNTRY_GAP = 1.0  # ... and below this, a country the article names only by its name ("the U.S.") does not
PREFIX_CITY = 30_000  # people: a town this big keeps its name before another capitalised word
MAJOR_CITY = 100_000  # people: a town this big is known on its own (and kept in text of another language)
MAIN_REGION = 1_000_000  # people: a region this big stays a place where a person of its name is named
LONE_TOWN_POP = 20_000  # people: a town smaller than this, alone in its country, yields to the article's context
LONE_TOWN_CONTEXT = 3  # distinct names in another country that make that country the article's context

# prior points by kind of entry (a bare name prefers a country, then an area or sea, to a town)
KIND_PRIOR = {"country": 2.5, "region": 0.5, "district": -2.5, "city": 0.0, "area": 3.0, "place": 0.0, "sea": 3.0}

CAPITAL_PRIOR = 1.0  # prior points for a national capital
CURATED_PRIOR = 1.5  # prior points for an entry of the curated overlay (places.yml)
COUNTRY_BASE = 1.5  # prior points for a candidate in a country the article's other names are in ...
COUNTRY_SHARE = 3.0  # ... plus this times that country's share of them
REGION_BASE = 1.0  # the same for a first-level region the article's other names are in ...
REGION_SHARE = 3.0  # ... and its share
QUALIFIER = 6.0  # prior points for a candidate in the region or country named right after it ("Paris, Texas")
COUNTY_PAIR = 3.0  # prior points for a town and a county of the article that hold each other
REGION_SUPPORT = 2.0  # prior points for a region all the article's other names may lie in (scaled by their share)
NEAR_KM = 150.0  # km: a namesake this close to the article's other places, when the chosen town is not, replaces it
NAMESAKE_GAP = 1.0  # prior points (~10 times the people) below the chosen town within which a namesake may replace it
CAPITAL_SHARE = 5  # a town with a fifth of the people of the region of its name is what the bare name means
CLUSTER_GAP = 3.0  # prior points below the chosen town within which a namesake near the article's other places replaces it
CLUSTER_NEED = 2  # ... near (NEAR_KM) at least this many of them, the chosen town near none
FEATURE_KM = 500.0  # km: a feature named after a town ("Lake Cumberland") this far from the article's own place is placed at that place
FAR_TOWN_KM = 500.0  # km: a small town this far from all the article's other places (which cluster) is placed at them
