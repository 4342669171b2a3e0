#!/usr/bin/env python3
"""Write a synthetic casefile site for benchmarks: the project's own corpus generator.

    python3 benches/gen_corpus.py --size medium --out target/bench/medium
    python3 benches/gen_corpus.py --incidents 10000 --groups 300 --weapons 600 --out DIR

What it makes: a complete site (site.yaml and content/) in the content format of
docs/content-format.md, with N incidents under content/incidents/<year>/, G armed
groups under content/groups/ and W weapon types under content/weapons/. The four
sizes the performance figures use are

    small   1,000 incidents,    50 groups,   100 weapon types
    medium  10,000 incidents,  300 groups,   600 weapon types
    large   50,000 incidents, 1,000 groups, 2,000 weapon types
    huge   400,000 incidents, 3,000 groups, 5,000 weapon types (the size of UCDP's
           event data set; about 3.2 GB of content, made in a few minutes)

Why: docs/performance.md reports build times on these corpora, and anyone with a
clone of the repository must be able to make exactly the same files again. So the
generator uses only the Python 3 standard library and one `random.Random` seeded from
`--seed` (default 7); it never reads the clock or the environment, and never iterates
over a set. The same arguments give byte-identical files. The corpus is about as large
as the one the earlier figures were measured on (about 7.9 KB of content per incident,
and the same number of pages), so that old and new figures can be compared.

What the content exercises, so that a build does the work a real site asks for:

- incidents of 330 to 1,640 words of Markdown (about 7.8 KB per file with the front
  matter): a lead paragraph, sections with headings, a list of the weapons seen,
  sometimes a table, a quotation or a footnote; links to the groups involved as
  `@/groups/<id>.md` (sometimes with a `#fragment`), to weapon types, to earlier
  incidents and to the sources;
- references to groups and weapon types written in every accepted form: the id, the
  name, the short name, an alias or a former name, in mixed case, so that names are
  really resolved; popular groups and weapons appear far more often than others, and
  every group and weapon type appears at least once;
- the whole vocabulary of the format: day, days, week, month and year dates; the four
  confidence levels; ACLED event types; every role and attribution; single and
  multiple weapon statuses with quantities, holders (`from`, `to`), an item's own
  country of origin, identification, evidence and notes; fatalities as a number or a
  range; sources with kinds and reliability; tags;
- groups with aliases, former names, actor types, parents (never a cycle), founding
  dates and countries; weapon types in twelve categories from seventeen countries of
  origin, with variants (`parent`) and the ammunition they fire.

The prose is made of domain words put together by a small grammar: the Markdown
structure is realistic, the sentences only look like reporting. Any corpus of at least
59 incidents and 17 weapon types uses every term (22 countries, 59 tags, 12 categories,
17 origins), so all four sizes have the same taxonomy pages.

The front matter keeps `title`, `date` and `location` on one line each, so that
benches/inject_errors.py and benches/serve_latency.py can edit them line by line.
"""

import argparse
import bisect
import datetime as dt
import json
import os
import re
import shutil
import sys
import unicodedata
from random import Random

SIZES = {
    "small": (1000, 50, 100),
    "medium": (10000, 300, 600),
    "large": (50000, 1000, 2000),
    "huge": (400000, 3000, 5000),
}
DEFAULT_SEED = 7

FIRST_DAY = dt.date(2012, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)

# ------------------------------------------------------------------- word material

# Countries where incidents happen: name, (south, north), (west, east), how often.
THEATRES = [
    ("Mali", (11.0, 24.0), (-11.5, 3.8), 10),
    ("Burkina Faso", (9.6, 14.9), (-5.3, 2.2), 10),
    ("Niger", (12.0, 22.5), (0.5, 15.5), 7),
    ("Nigeria", (4.5, 13.6), (3.0, 14.4), 8),
    ("Chad", (8.0, 23.0), (14.0, 23.5), 3),
    ("Cameroon", (2.2, 12.8), (9.0, 16.0), 3),
    ("Côte d'Ivoire", (4.5, 10.6), (-8.4, -2.6), 2),
    ("Sudan", (9.0, 21.8), (22.0, 38.0), 7),
    ("South Sudan", (3.6, 12.0), (24.2, 35.8), 4),
    ("Somalia", (-1.5, 11.8), (41.2, 51.2), 6),
    ("Ethiopia", (3.5, 14.7), (33.2, 47.8), 4),
    ("Democratic Republic of the Congo", (-13.3, 5.2), (12.4, 31.2), 7),
    ("Central African Republic", (2.3, 10.9), (14.5, 27.3), 3),
    ("Mozambique", (-26.7, -10.6), (30.3, 40.7), 3),
    ("Libya", (19.6, 33.0), (9.5, 25.0), 4),
    ("Syria", (32.4, 37.2), (35.8, 42.2), 7),
    ("Iraq", (29.2, 37.2), (38.9, 48.4), 5),
    ("Yemen", (12.2, 18.8), (42.6, 53.0), 5),
    ("Afghanistan", (29.5, 38.3), (60.6, 74.7), 3),
    ("Myanmar", (10.0, 28.4), (92.3, 101.0), 4),
    ("Colombia", (-4.1, 12.3), (-78.9, -67.0), 3),
    ("Haiti", (18.1, 19.8), (-74.3, -71.8), 2),
]

# Syllables for invented place and group names; a few carry accents, so that names
# are folded to ASCII when compared and slugified.
SYLLABLES = (
    "ba be bi bo bu da de di do du fa fo ga go gu ha ka ke ki ko ku la le li lo ma me "
    "mi mo na ne ni no nu ra re ri ro sa se si so ta te ti to wa ya yo za zo "
    "kan kar mal sar tin dor bar gan mou dia sou tou kou nia tam wal jir ash "
    "dé ké mè bé sé nù gò"
).split()

# Kinds of place a location name may take after its proper name.
PLACE_KINDS = ["", "", "", "", "", " village", " market", " crossroads", " wells", " camp"]

# Group name patterns: {P} is a people or place name, {Q} a second one.
GROUP_PATTERNS = [
    ("Armed Forces of {P}", "state_forces"),
    ("{P} National Guard", "state_forces"),
    ("{P} Gendarmerie", "state_forces"),
    ("Movement for the Liberation of {P}", "rebel_group"),
    ("{P} Patriotic Front", "rebel_group"),
    ("Islamic State {P} Province", "rebel_group"),
    ("Jama'at Ansar {P}", "rebel_group"),
    ("Union of {P} Forces", "rebel_group"),
    ("{P} Salvation Council", "political_militia"),
    ("{P} Popular Defence Committees", "political_militia"),
    ("{Q} Hunters' Brotherhood", "identity_militia"),
    ("{Q} Community Guards", "identity_militia"),
    ("{P} Self-Protection Groups", "identity_militia"),
    ("{Q} Private Security Company", "external"),
    ("{P} Stabilisation Mission", "external"),
    ("{P} Smuggling Network", "other"),
]

ALIAS_WORDS = ["Katiba", "Harakat", "Liwa", "Front", "Column", "Network", "Brigade"]
GROUP_BODY_HEADINGS = ["Origins", "Leadership and structure", "Areas of operation",
                       "Armament", "Relations with other groups"]

# Weapon categories: name, how often, calibres, families, designation prefixes.
CATEGORIES = [
    ("assault rifle", 14, ["7.62x39mm", "5.45x39mm", "5.56x45mm"],
     ["Kalashnikov pattern", "AR-15 pattern", "Galil pattern"], ["AK-", "AKM", "Type ", "M", "CQ-", "Vz. "]),
    ("rifle", 4, ["7.62x51mm", "7.62x54mmR", "12.7x108mm"],
     ["G3 pattern", "Dragunov pattern", "Mosin pattern"], ["SVD-", "G", "FAL-", "M"]),
    ("pistol", 3, ["9x19mm", "9x18mm", "7.62x25mm"],
     ["Makarov pattern", "Tokarev pattern", "Browning pattern"], ["PM-", "TT-", "P", "Model "]),
    ("general purpose machine gun", 7, ["7.62x54mmR", "7.62x51mm"],
     ["PK pattern", "MG3 pattern", "MAG pattern"], ["PK", "PKM-", "Type ", "MG-"]),
    ("heavy machine gun", 5, ["12.7x108mm", "14.5x114mm", "12.7x99mm"],
     ["DShK pattern", "KPV pattern", "M2 pattern"], ["DShK-", "KPV-", "W", "NSV-"]),
    ("rpg launcher", 6, ["40mm"], ["RPG-7 pattern"], ["RPG-", "Type ", "ATGL-"]),
    ("recoilless rifle", 2, ["73mm", "82mm", "106mm"],
     ["SPG-9 pattern", "B-10 pattern", "M40 pattern"], ["SPG-", "B-", "M"]),
    ("mortar", 4, ["60mm", "81mm", "82mm", "120mm"],
     ["Brandt pattern", "Soviet pattern"], ["M", "Type ", "2B"]),
    ("atgm launcher", 2, ["120mm", "125mm", "152mm"],
     ["Konkurs pattern", "Kornet pattern", "TOW pattern"], ["9M", "HJ-", "Toophan-"]),
    ("rocket", 6, ["40mm", "107mm", "122mm"],
     ["PG-7 pattern", "Type 63 pattern", "Grad pattern"], ["PG-", "OG-", "9M", "Type "]),
    ("small arms ammunition", 5, ["7.62x39mm", "7.62x54mmR", "12.7x108mm", "14.5x114mm"],
     ["cartridge"], ["Lot ", "Headstamp "]),
    ("hand grenade", 3, ["n/a"], ["F1 pattern", "RGD pattern", "M67 pattern"], ["F-", "RGD-", "M", "Type "]),
]
CATEGORY_WEIGHTS = [c[1] for c in CATEGORIES]
LAUNCHERS = {"rpg launcher", "recoilless rifle"}
GUNS = {"assault rifle", "rifle", "general purpose machine gun", "heavy machine gun"}

# Makers and their countries. Seventeen countries of origin in all; an item's own
# origin on an observation is always one of them, so the origin pages stay the same.
MAKERS = [
    ("Izhevsk Works", "Soviet Union"), ("Tula Arms Plant", "Soviet Union"),
    ("Kalashnikov Concern", "Russia"), ("Degtyarev Plant", "Russia"),
    ("Norinco", "China"), ("Jianshe", "China"),
    ("Zastava", "Serbia"), ("Arsenal", "Bulgaria"), ("VMZ Sopot", "Bulgaria"),
    ("Cugir", "Romania"), ("FN Herstal", "Belgium"), ("Heckler & Koch", "Germany"),
    ("MKE", "Turkey"), ("Sarsilmaz", "Turkey"), ("DIO", "Iran"),
    ("Česká zbrojovka", "Czechia"), ("Fabryka Broni", "Poland"),
    ("Springfield Armory", "United States"), ("POF", "Pakistan"),
    ("Military Industry Corporation", "Sudan"), ("Korea Mining Development", "North Korea"),
    ("Israel Weapon Industries", "Israel"),
]
ORIGINS = sorted({country for _, country in MAKERS})

STATUSES = ["used", "captured", "seized", "recovered", "surrendered", "displayed",
            "destroyed", "damaged", "abandoned", "documented"]
STATUS_WEIGHTS = [18, 17, 12, 10, 4, 10, 6, 3, 4, 16]
CHANGES_HANDS = {"captured", "seized", "surrendered", "recovered"}

EVENT_TYPES = ["battle", "explosion", "violence_against_civilians",
               "strategic_development", "protest", "riot"]
EVENT_WEIGHTS = [40, 22, 18, 16, 2, 2]

CONFIDENCE = ["reported", "confirmed", "claimed", "disputed"]
CONFIDENCE_WEIGHTS = [50, 25, 16, 9]

PUBLISHER_KINDS = [
    ("Sahel Daily", "news"), ("West Africa Wire", "news"), ("Radio Horizon", "news"),
    ("The Frontline Observer", "news"), ("ConflictFeed", "aggregator"),
    ("Armed Violence Watch", "ngo"), ("Protection Cluster", "ngo"),
    ("Arms Tracing Initiative", "ngo"), ("Ministry of Defence", "official"),
    ("UN Panel of Experts", "official"), ("Group media office", "party_claim"),
    ("Army press service", "party_claim"), ("Open-source researcher", "social_media"),
    ("Field team", "field"),
]
RELIABILITY = ["high", "medium", "low", "unknown"]
DOMAINS = ["example.org", "example.com", "example.net", "news.example", "reports.example"]

TAGS = [
    "arms cache", "arms diversion", "battlefield capture", "stockpile looting",
    "ammunition", "heavy weapons", "small arms", "light weapons", "improvised devices",
    "vehicle-borne IED", "drone strike", "airstrike", "artillery", "mortar fire",
    "ambush", "raid", "convoy attack", "checkpoint", "base overrun", "siege",
    "urban fighting", "night attack", "inter-group clash", "communal violence",
    "cattle raiding", "kidnapping", "prison break", "market attack", "mining site",
    "border area", "river crossing", "displacement", "peacekeepers", "mercenaries",
    "state forces abuses", "propaganda video", "weapons display", "parade",
    "serial numbers", "factory markings", "end-user certificate", "re-transfer",
    "embargo violation", "trafficking", "smuggling route", "demobilisation",
    "weapons handover", "surrender", "defection", "recruitment", "training camp",
    "resupply", "air drop", "election period", "ceasefire violation",
    "single source", "contradictory reports", "casualty dispute", "follow-up needed",
]

# Prose: a tiny grammar over domain words.
OPENERS = [
    "According to local sources,", "Later that day,", "Two days afterwards,", "At dawn,",
    "In a statement,", "By the evening,", "Residents said that", "Officials said that",
    "Footage shared online suggests that", "It is not clear whether", "Reportedly,",
    "In the following week,", "Before the attack,", "Meanwhile,", "As a result,",
]
SUBJECTS = [
    "the patrol", "a column of pickups", "the fighters", "security forces", "local residents",
    "the garrison", "a convoy", "armed men on motorcycles", "the gendarmes", "witnesses",
    "a spokesman", "the militia", "the attackers", "soldiers", "the survivors",
    "analysts", "the monitors", "a field researcher", "the unit", "the authorities",
]
VERBS = [
    "attacked", "surrounded", "searched", "abandoned", "recovered", "photographed",
    "described", "burned", "looted", "reinforced", "withdrew from", "returned to",
    "fired on", "cleared", "occupied", "blocked", "inspected", "displayed", "reported",
    "counted", "filmed", "seized", "moved", "crossed", "defended", "shelled",
]
OBJECTS = [
    "the checkpoint", "the market", "a weapons cache", "the ammunition depot",
    "the army post", "the main road", "several vehicles", "the bridge", "the camp",
    "the wells", "a store of rockets", "the mayor's office", "two trucks", "the school",
    "the health centre", "a drone", "the barracks", "crates of cartridges",
    "the river crossing", "the village", "the mine", "the border post",
]
ADVERBIALS = [
    "near the river", "on the road north of the town", "after nightfall", "before noon",
    "for several hours", "without warning", "under heavy fire", "at first light",
    "in the dry season", "during the market day", "close to the border", "in the hills",
    "with light weapons", "with mortars and rockets", "according to one witness",
    "in two separate waves", "around the old airstrip", "inside the compound",
]
LINKERS = ["and", "but", "while", "before", "after", "although", "because", "so"]
ASIDES = [
    "which could not be verified independently", "as several accounts agree",
    "a claim the other side denies", "the third such incident that month",
    "as in previous attacks in the area", "though the figures vary",
]
SECTION_SETS = [
    ["What happened", "Weapons observed", "Sources and caveats"],
    ["Background", "The attack", "Materiel", "Assessment"],
    ["Context", "Sequence of events", "Weapons and ammunition", "Casualties", "Analysis"],
    ["Events", "Equipment seen", "Attribution", "Open questions"],
]

# ------------------------------------------------------------------------ helpers


def fold(text):
    """A name as casefile compares names: accents and apostrophes dropped, case folded,
    hyphens and runs of white space made one space (src/model/names.rs)."""
    out = []
    for c in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(c) or c in "'\u2019\u2018\u02bc`\u02bb":
            continue
        out.append(" " if c.isspace() or c in "-\u2010\u2013" else c.lower())
    return " ".join("".join(out).split())


def slug(text):
    """Lowercase ASCII letters, digits and single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")


SAFE_PLAIN = re.compile(r"[A-Za-z\u00c0-\u017f][A-Za-z0-9\u00c0-\u017f _.'&/()-]*")
DATE = re.compile(r"\d{4}(-\d\d){0,2}")
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}


def scalar(value):
    """A YAML scalar, usable in flow and block context: plain when that is certainly
    read back as the same text, otherwise double-quoted."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if DATE.fullmatch(text):
        return text
    if (SAFE_PLAIN.fullmatch(text) and text == text.strip()
            and text.lower() not in YAML_WORDS and " #" not in text):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(pairs):
    """A one-line YAML map from (key, value) pairs; a list value becomes a flow list."""
    items = []
    for key, value in pairs:
        if isinstance(value, list):
            items.append(f"{key}: [{', '.join(scalar(v) for v in value)}]")
        else:
            items.append(f"{key}: {scalar(value)}")
    return "{" + ", ".join(items) + "}"


def cap(text):
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------------- the corpus


class Corpus:
    def __init__(self, incidents, groups, weapons, seed):
        self.rng = Random(seed)
        self.taken = {}  # folded name -> the entity that uses it, across groups and weapons
        self.ids = set()
        self.civilians = min(5, groups - 1)  # the "Civilians" actor, fairly popular
        self.places = self.make_geography()
        self.groups, self.weapons = [], []
        for i in range(groups):
            self.groups.append(self.make_group(i))
        for i in range(weapons):
            self.weapons.append(self.make_weapon(i))
        self.link_ammunition()
        self.group_pick = self.popularity(groups, 1.1)
        self.weapon_pick = self.popularity(weapons, 1.0)
        self.tag_pick = self.popularity(len(TAGS), 0.8)
        self.theatre_weights = [t[3] for t in THEATRES]
        self.paths = []  # content paths of the incidents written so far, for @/ links

    # ---- names

    def word(self, lo, hi):
        r = self.rng
        return cap("".join(r.choice(SYLLABLES) for _ in range(r.randint(lo, hi))))

    def claim(self, name, owner):
        """Reserve a name for one entity; None when it is taken (by any entity)."""
        key = fold(name)
        if not key or key in self.taken:
            return None
        self.taken[key] = owner
        return name

    def claim_id(self, base, owner):
        """A file stem no other entity uses, and that no other entity's name folds to
        (the entity's own name may: `zastava-m70` for Zastava M70)."""
        ident, k = base, 2
        while ident in self.ids or self.taken.get(fold(ident), owner) != owner:
            ident = f"{base}-{k}"
            k += 1
        self.ids.add(ident)
        self.taken[fold(ident)] = owner
        return ident

    def popularity(self, n, skew):
        """Cumulative weights that make low indices (popular entities) far likelier."""
        total, cum = 0.0, []
        for k in range(n):
            total += 1.0 / (k + 1) ** skew
            cum.append(total)
        return cum

    def pick(self, cum, k, first=None):
        """k distinct indices drawn by popularity; `first`, if given, comes first."""
        r, n = self.rng, len(cum)
        out = [] if first is None else [first]
        k = min(k, n)
        while len(out) < k:
            x = bisect.bisect_left(cum, r.random() * cum[-1])
            x = min(x, n - 1)
            if x not in out:
                out.append(x)
        return out

    # ---- geography

    def make_geography(self):
        r, world = self.rng, {}
        for country, _lat, _lon, _w in THEATRES:
            regions = []
            for _ in range(r.randint(3, 7)):
                districts = []
                for _ in range(r.randint(2, 5)):
                    towns = [self.word(2, 3) + r.choice(PLACE_KINDS) for _ in range(r.randint(4, 9))]
                    districts.append((self.word(2, 3), towns))
                regions.append((self.word(2, 3), districts))
            world[country] = regions
        return world

    # ---- groups

    def make_group(self, i):
        r = self.rng
        me = ("group", i)
        if i == self.civilians:
            return self.finish_group(i, self.claim("Civilians", me), None, "civilians", [], [])
        while True:
            pattern, actor = r.choice(GROUP_PATTERNS)
            people = self.word(2, 3)
            name = pattern.format(P=people, Q=self.word(2, 3))
            if self.claim(name, me):
                break
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z\u00c0-\u017f']+", name) if w[0].isupper())
        short = None
        for candidate in [initials, f"{initials} {people}", f"{people} {initials}"]:
            if len(candidate) >= 2 and self.claim(candidate, me):
                short = candidate
                break
        aliases = []
        for _ in range(r.choices([0, 1, 2, 3], [25, 40, 25, 10])[0]):
            form = r.randrange(4)
            if form == 0 and short and " " not in short:
                alias = ".".join(short.replace(" ", "")) + "."
            elif form == 1:
                alias = f"{r.choice(ALIAS_WORDS)} {people}"
            elif form == 2:
                alias = f"{self.word(2, 3)} {r.choice(ALIAS_WORDS)}"
            else:
                alias = f"{people} fighters"
            if self.claim(alias, me):
                aliases.append(alias)
        former = []
        if r.random() < 0.15:
            old = f"{r.choice(['Free', 'Revolutionary', 'Provisional'])} {self.word(2, 3)} Movement"
            if self.claim(old, me):
                former.append(old)
        return self.finish_group(i, name, short, actor, aliases, former)

    def finish_group(self, i, name, short, actor, aliases, former):
        r = self.rng
        ident = self.claim_id(slug(short or name), ("group", i))
        founded = r.randint(1975, 2021)
        former_names = []
        if former:
            start = founded - r.randint(2, 12)
            former_names.append({"name": former[0], "from": start, "to": founded})
        parent = None
        if actor not in ("state_forces", "civilians") and i > 1 and r.random() < 0.2:
            # an earlier group, so that the parent chain cannot loop
            parent = r.choice([j for j in range(i) if j != self.civilians])
        countries = sorted(r.sample([t[0] for t in THEATRES], r.randint(1, 3)))
        headings = r.sample(GROUP_BODY_HEADINGS, r.randint(1, 3))
        return {
            "id": ident, "name": name, "short": short, "actor": actor, "aliases": aliases,
            "former": former_names, "parent": parent, "founded": founded,
            "founded_month": r.random() < 0.3, "countries": countries, "headings": headings,
        }

    # ---- weapon types

    def make_weapon(self, i):
        r = self.rng
        # The first twelve cover every category, the first seventeen every origin.
        cat = CATEGORIES[i] if i < len(CATEGORIES) else r.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        if i < len(ORIGINS):
            maker = r.choice([m for m in MAKERS if m[1] == ORIGINS[i]])
        else:
            maker = r.choice(MAKERS)
        me = ("weapon", i)
        name, k = None, 0
        while name is None:
            designation = f"{r.choice(cat[4])}{r.randint(1, 99 + k)}{r.choice(['', '', '', 'A', 'M', 'S', 'N', '-1', 'B2'])}"
            name = self.claim(f"{maker[0]} {designation}", me)
            k += 50
        aliases = []
        if r.random() < 0.45:
            plain = self.claim(designation, me)
            if plain:
                aliases.append(plain)
        if r.random() < 0.25:
            squeezed = self.claim(designation.replace("-", "").replace(" ", "").replace(".", ""), me)
            if squeezed:
                aliases.append(squeezed)
        if r.random() < 0.15:
            local = self.claim(f"{designation} ({maker[1]})", me)
            if local:
                aliases.append(local)
        parent = None
        if r.random() < 0.15:
            same = [j for j in range(max(0, i - 40), i) if self.weapons[j]["category"] == cat[0]]
            if same:
                parent = r.choice(same)  # an earlier type: no cycle
        return {
            "id": self.claim_id(slug(name), me), "name": name, "category": cat[0],
            "maker": maker[0], "origin": maker[1], "calibre": r.choice(cat[2]),
            "family": r.choice(cat[3]), "aliases": aliases, "parent": parent,
            "ammunition": [], "designation": designation,
            "write_category": r.choice([cat[0], cat[0], cat[0].replace(" ", "_"), cat[0].title()]),
        }

    def link_ammunition(self):
        r = self.rng
        rockets = [j for j, w in enumerate(self.weapons) if w["category"] == "rocket"]
        rounds = [j for j, w in enumerate(self.weapons) if w["category"] == "small arms ammunition"]
        for w in self.weapons:
            pool = rockets if w["category"] in LAUNCHERS else rounds if w["category"] in GUNS else []
            if pool and r.random() < 0.35:
                w["ammunition"] = sorted(r.sample(pool, min(len(pool), r.randint(1, 2))))

    # ---- references, written as an analyst might

    def group_ref(self, g):
        forms = [g["id"], g["name"]] + ([g["short"]] * 2 if g["short"] else [])
        forms += g["aliases"] + [f["name"] for f in g["former"]]
        return self.vary_case(self.rng.choice(forms))

    def weapon_ref(self, w):
        return self.vary_case(self.rng.choice([w["id"], w["name"], w["name"]] + w["aliases"]))

    def vary_case(self, text):
        x = self.rng.random()
        if x < 0.12:
            return text.lower()
        if x < 0.18:
            return text.upper()
        if x < 0.22:
            return text.title()
        return text

    # ---- prose

    def sentence(self):
        r = self.rng
        parts = []
        if r.random() < 0.3:
            parts.append(r.choice(OPENERS))
        parts += [r.choice(SUBJECTS), r.choice(VERBS), r.choice(OBJECTS)]
        if r.random() < 0.7:
            parts.append(r.choice(ADVERBIALS))
        if r.random() < 0.45:
            parts += [r.choice(LINKERS), r.choice(SUBJECTS), r.choice(VERBS), r.choice(OBJECTS)]
        if r.random() < 0.12:
            parts.append(f"({r.randint(2, 300)} according to one count)")
        if r.random() < 0.1:
            parts[-1] += ", " + r.choice(ASIDES)
        text = " ".join(parts)
        if r.random() < 0.08:
            w = r.choice(OBJECTS)
            text = text.replace(w, f"*{w}*", 1)
        return cap(text) + "."

    def paragraph(self, words):
        """Sentences until about `words` words; returns (text, words written)."""
        out, n = [], 0
        while n < words:
            s = self.sentence()
            out.append(s)
            n += s.count(" ") + 1
        return " ".join(out), n

    # ---- incidents

    def incident(self, i):
        r = self.rng
        day = FIRST_DAY + dt.timedelta(days=r.randrange((LAST_DAY - FIRST_DAY).days + 1))
        # The first incidents cover every country, as the first groups, weapon types
        # and tags below cover every group, weapon type and tag.
        if i < len(THEATRES):
            country_index = i
        else:
            country_index = r.choices(range(len(THEATRES)), self.theatre_weights)[0]
        country, (s, n), (w, e), _ = THEATRES[country_index]
        region, districts = r.choice(self.places[country])
        district, towns = r.choice(districts)
        town = r.choice(towns)

        groups = self.incident_groups(i)
        weapons = self.incident_weapons(i, groups)
        attacker = self.groups[groups[0]["g"]]
        lead_weapon = self.weapons[weapons[0]["w"]]
        actor = attacker["short"] or attacker["name"]
        what = lead_weapon["category"]
        title = r.choice([
            f"{actor} attack on {town}",
            f"{cap(what)} captured near {town}",
            f"Clashes at {town} in {district}",
            f"{actor} shows {what} taken in {region}",
            f"Weapons cache found at {town}",
            f"Ambush on the road to {town}",
            f"{actor} convoy hit near {town}, {country}",
            f"Fighting for {town} between {actor} and rivals",
        ])
        stem = f"{slug(town)}-{day:%Y%m%d}-{i}"

        fm = [f"title: {scalar(title)}"]
        fm += self.incident_date(day)
        confidence = r.choices(CONFIDENCE, CONFIDENCE_WEIGHTS)[0]
        if confidence != "reported" or r.random() < 0.3:
            fm.append(f"confidence: {confidence}")
        if r.random() < 0.9:
            fm.append(f"event_type: {r.choices(EVENT_TYPES, EVENT_WEIGHTS)[0]}")
        if r.random() < 0.6:
            fm.append(f"summary: {scalar(self.sentence())}")
        loc = [("name", town)]
        if r.random() < 0.2:
            loc.append(("admin3", self.word(2, 3)))
        loc += [("admin2", district), ("admin1", region), ("country", country)]
        if r.random() < 0.75:
            loc += [("lat", f"{r.uniform(s, n):.4f}"), ("lon", f"{r.uniform(w, e):.4f}")]
        loc.append(("precision", r.choices(["exact", "near", "admin2", "admin1", "region", "country"],
                                          [40, 30, 15, 8, 5, 2])[0]))
        fm.append("location: {" + ", ".join(f"{k}: {v if k in ('lat', 'lon') else scalar(v)}" for k, v in loc) + "}")

        fm.append("groups:")
        for item in groups:
            ref = self.group_ref(self.groups[item["g"]])
            pairs = [("group", ref)]
            if item["role"] != "participant" or r.random() < 0.5:
                pairs.append(("role", item["role"]))
            if item["attribution"]:
                pairs.append(("attribution", item["attribution"]))
            fm.append(f"  - {scalar(ref)}" if len(pairs) == 1 and r.random() < 0.6 else f"  - {flow(pairs)}")

        fm.append("weapons:")
        for obs in weapons:
            fm.append(self.observation(obs))

        if r.random() < 0.68:
            if r.random() < 0.8:
                fm.append(f"fatalities: {r.choice([0, 1, 2, 3, 4, 6, 9, 13, 20, 31, 48, 75])}")
            else:
                low = r.randint(1, 30)
                best = low + r.randint(0, 20)
                rng_pairs = [("best", best), ("low", low), ("high", best + r.randint(0, 60))]
                if r.random() < 0.3:
                    rng_pairs = [("low", low)]
                fm.append(f"fatalities: {flow(rng_pairs)}")

        sources = self.sources(day)
        fm.append("sources:")
        for src in sources:
            fm.extend(src["yaml"])
        tags = [TAGS[t] for t in self.pick(self.tag_pick, r.choices([1, 2, 3, 4, 5], [15, 30, 30, 15, 10])[0],
                                           first=i if i < len(TAGS) else None)]
        fm.append(f"tags: [{', '.join(scalar(t) for t in tags)}]")
        if r.random() < 0.05:
            fm.append(f"updated: {min(LAST_DAY, day + dt.timedelta(days=r.randint(20, 400))).isoformat()}")

        body = self.incident_body(i, groups, weapons, sources)
        path = f"incidents/{day.year}/{stem}.md"
        self.paths.append(path)
        return path, "---\n" + "\n".join(fm) + "\n---\n" + body + "\n"

    def incident_date(self, day):
        r = self.rng
        kind = r.choices(["day", "days", "week", "month", "year"], [68, 9, 7, 13, 3])[0]
        if kind == "day":
            return [f"date: {day.isoformat()}"]
        if kind == "days":
            end = day + dt.timedelta(days=r.randint(1, 4))
            lines = [f"date: {day.isoformat()}", f"date_end: {end.isoformat()}"]
            return lines + (["date_precision: days"] if r.random() < 0.5 else [])
        if kind == "week":
            return [f"date: {day.isoformat()}", "date_precision: week"]
        if kind == "month":
            return [f"date: {day:%Y-%m}"] if r.random() < 0.7 else [f"date: {day.isoformat()}", "date_precision: month"]
        return [f"date: {day.year}"]

    def incident_groups(self, i):
        r = self.rng
        n = len(self.groups)
        first = i if i < n else None
        picked = self.pick(self.group_pick, r.choices([1, 2, 3, 4], [30, 40, 20, 10])[0], first=first)
        out = []
        for k, g in enumerate(picked):
            if self.groups[g]["actor"] == "civilians":
                role = "victim"
            elif k == 0:
                role = r.choices(["attacker", "participant"], [80, 20])[0]
            else:
                role = r.choices(["target", "participant", "attacker", "claimant"], [55, 30, 8, 7])[0]
            attribution = None
            if role in ("attacker", "claimant") and r.random() < 0.35:
                attribution = r.choice(["confirmed", "claimed", "suspected"])
            out.append({"g": g, "role": role, "attribution": attribution})
        return out

    def incident_weapons(self, i, groups):
        r = self.rng
        n = len(self.weapons)
        picked = self.pick(self.weapon_pick, r.choices([1, 2, 3, 4, 5, 6], [20, 25, 20, 15, 12, 8])[0],
                           first=i if i < n else None)
        attackers = [g["g"] for g in groups if g["role"] == "attacker"]
        targets = [g["g"] for g in groups if g["role"] in ("target", "participant")]
        out = []
        for w in picked:
            statuses = [r.choices(STATUSES, STATUS_WEIGHTS)[0]]
            if r.random() < 0.12:
                extra = r.choice(["displayed", "documented", "destroyed"])
                if extra not in statuses:
                    statuses.append(extra)
                    statuses.sort(key=STATUSES.index)
            obs = {"w": w, "statuses": statuses, "quantity": None, "from": None, "to": None,
                   "origin": None, "identification": None, "evidence": [], "note": None}
            if r.random() < 0.6:
                obs["quantity"] = r.choice([1, 1, 1, 2, 2, 3, 4, 5, 8, 12, 20, 40, 100, 300])
            if statuses[0] in CHANGES_HANDS and attackers and targets and r.random() < 0.8:
                obs["from"], obs["to"] = r.choice(targets), r.choice(attackers)
            elif statuses[0] == "used" and attackers and r.random() < 0.2:
                obs["from"] = r.choice(attackers)
            if r.random() < 0.08:
                obs["origin"] = r.choice(ORIGINS)
            if r.random() < 0.5:
                obs["identification"] = r.choices(["reported", "visual", "examined"], [55, 35, 10])[0]
            if r.random() < 0.1:
                obs["evidence"] = [f"https://{r.choice(DOMAINS)}/media/{r.randrange(10**6):06d}.jpg"
                                   for _ in range(r.randint(1, 2))]
            if r.random() < 0.1:
                obs["note"] = self.sentence()
            out.append(obs)
        return out

    def observation(self, obs):
        r = self.rng
        ref = self.weapon_ref(self.weapons[obs["w"]])
        bare = (obs["statuses"] == ["documented"] and obs["quantity"] is None and not obs["from"]
                and not obs["origin"] and not obs["identification"] and not obs["evidence"] and not obs["note"])
        if bare and r.random() < 0.7:
            return f"  - {scalar(ref)}"
        pairs = [("weapon", ref)]
        if obs["statuses"] != ["documented"] or r.random() < 0.3:
            pairs.append(("status", obs["statuses"] if len(obs["statuses"]) > 1 else obs["statuses"][0]))
        if obs["quantity"] is not None:
            pairs.append(("quantity", obs["quantity"]))
        for key in ("from", "to"):
            if obs[key] is not None:
                pairs.append((key, self.group_ref(self.groups[obs[key]])))
        for key in ("origin", "identification"):
            if obs[key]:
                pairs.append((key, obs[key]))
        if obs["evidence"]:
            pairs.append(("evidence", obs["evidence"]))
        if obs["note"]:
            pairs.append(("note", obs["note"]))
        if len(pairs) >= 5 and r.random() < 0.25:  # the same map, written over several lines
            return "\n".join(("  - " if k == 0 else "    ") + flow([p])[1:-1] for k, p in enumerate(pairs))
        return f"  - {flow(pairs)}"

    def sources(self, day):
        r = self.rng
        out = []
        for _ in range(r.choices([1, 2, 3, 4], [35, 35, 20, 10])[0]):
            publisher, kind = r.choice(PUBLISHER_KINDS)
            published = min(LAST_DAY, day + dt.timedelta(days=r.randint(0, 30)))
            url = f"https://{r.choice(DOMAINS)}/{slug(publisher)}/{published:%Y/%m}/{r.randrange(10**5):05d}"
            title = cap(f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(ADVERBIALS)}")
            if r.random() < 0.15:
                yaml = [f"  - {url}"]
            else:
                pairs = [("title", title), ("url", url), ("publisher", publisher),
                         ("date", published.isoformat()), ("kind", kind)]
                if r.random() < 0.7:
                    pairs.append(("reliability", r.choices(RELIABILITY, [25, 45, 20, 10])[0]))
                if r.random() < 0.5:
                    yaml = [f"  - {flow(pairs)}"]
                else:
                    yaml = [("  - " if k == 0 else "    ") + f"{key}: {scalar(v)}" for k, (key, v) in enumerate(pairs)]
            out.append({"url": url, "publisher": publisher, "yaml": yaml})
        return out

    def incident_body(self, i, groups, weapons, sources):
        r = self.rng
        target = r.randint(330, 1640)
        sections = r.choice(SECTION_SETS)
        lead, written = self.paragraph(min(110, target // 5))
        parts = [lead]
        footnote = r.random() < 0.1
        for k, heading in enumerate(sections):
            parts.append(f"## {heading}")
            if k == 1:
                items = []
                for obs in weapons:
                    w = self.weapons[obs["w"]]
                    qty = f" ({obs['quantity']})" if obs["quantity"] is not None else ""
                    link = f"[{w['name']}](@/weapons/{w['id']}.md)" if r.random() < 0.3 else f"**{w['name']}**"
                    items.append(f"- {link}{qty}: {', '.join(obs['statuses'])}. {self.sentence()}")
                parts.append("\n".join(items))
                written += sum(x.count(" ") + 1 for x in items)
                if r.random() < 0.3:
                    table = ["| Weapon type | Category | Status | Quantity |", "|---|---|---|---|"]
                    for obs in weapons:
                        w = self.weapons[obs["w"]]
                        qty = obs["quantity"] if obs["quantity"] is not None else "–"
                        table.append(f"| {w['name']} | {w['category']} | {' and '.join(obs['statuses'])} | {qty} |")
                    parts.append("\n".join(table))
                    written += 5 * len(weapons)
            budget = (target - written) // (len(sections) - k)
            while budget > 0:
                text, n = self.paragraph(min(budget, r.randint(45, 140)))
                x = r.random()
                if x < 0.3:
                    g = self.groups[r.choice(groups)["g"]]
                    fragment = r.choice(["", "", "", "#incidents", "#weapons", "#" + slug(g["headings"][0])])
                    text += f" See also [{g['short'] or g['name']}](@/groups/{g['id']}.md{fragment})."
                elif x < 0.4:
                    src = r.choice(sources)
                    text += f" The [{src['publisher']} report]({src['url']}) gives more detail."
                elif x < 0.45 and self.paths:
                    earlier = self.paths[r.randrange(len(self.paths))]
                    text += f" A [similar incident](@/{earlier}{r.choice(['', '', '#sources', '#weapons'])}) was recorded earlier."
                elif x < 0.5:
                    text = "> " + text
                if footnote and x > 0.9:
                    text += "[^1]"
                parts.append(text)
                written += n
                budget -= n
        if footnote and any(p.endswith("[^1]") for p in parts):
            parts.append(f"[^1]: {self.sentence()}")
        return "\n\n".join(parts)

    # ---- groups and weapons as files

    def group_file(self, g):
        r = self.rng
        fm = [f"name: {scalar(g['name'])}"]
        if g["short"]:
            fm.append(f"short_name: {scalar(g['short'])}")
        if g["aliases"]:
            fm.append(f"aliases: [{', '.join(scalar(a) for a in g['aliases'])}]")
        if g["former"]:
            fm.append("former_names:")
            for f in g["former"]:
                fm.append(f"  - {flow([('name', f['name']), ('from', f['from']), ('to', f['to'])])}")
        fm.append(f"actor_type: {g['actor']}")
        if g["parent"] is not None:
            fm.append(f"parent: {scalar(self.group_ref(self.groups[g['parent']]))}")
        month = r.randint(1, 12)
        if g["actor"] != "civilians":
            fm.append(f"founded: {g['founded']}-{month:02d}" if g["founded_month"] else f"founded: {g['founded']}")
            fm.append(f"countries: [{', '.join(scalar(c) for c in g['countries'])}]")
        parts = [self.paragraph(r.randint(25, 50))[0]]
        for heading in g["headings"]:
            parts += [f"## {heading}", self.paragraph(r.randint(35, 90))[0]]
        return f"groups/{g['id']}.md", "---\n" + "\n".join(fm) + "\n---\n" + "\n\n".join(parts) + "\n"

    def weapon_file(self, w):
        r = self.rng
        fm = [f"name: {scalar(w['name'])}", f"category: {w['write_category']}",
              f"manufacturer: {scalar(w['maker'])}", f"origin: {scalar(w['origin'])}",
              f"calibre: {scalar(w['calibre'])}", f"family: {scalar(w['family'])}"]
        if w["parent"] is not None:
            fm.append(f"parent: {scalar(self.weapon_ref(self.weapons[w['parent']]))}")
        if w["ammunition"]:
            fm.append(f"ammunition: [{', '.join(scalar(self.weapon_ref(self.weapons[j])) for j in w['ammunition'])}]")
        if w["aliases"]:
            fm.append(f"aliases: [{', '.join(scalar(a) for a in w['aliases'])}]")
        parts = ["## Identification", self.paragraph(r.randint(40, 110))[0]]
        if r.random() < 0.3:
            parts += ["## Markings", self.paragraph(r.randint(20, 50))[0]]
        return f"weapons/{w['id']}.md", "---\n" + "\n".join(fm) + "\n---\n" + "\n\n".join(parts) + "\n"


# ------------------------------------------------------------------------------ main


def write(root, rel, text):
    path = os.path.join(root, "content", *rel.split("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return len(text.encode("utf-8"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=sorted(SIZES), help="small, medium, large or huge (the counts above)")
    ap.add_argument("--incidents", type=int, help="number of incidents (overrides --size)")
    ap.add_argument("--groups", type=int, help="number of groups (overrides --size)")
    ap.add_argument("--weapons", type=int, help="number of weapon types (overrides --size)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    ap.add_argument("--out", required=True, help="the site folder to create")
    ap.add_argument("--force", action="store_true", help="replace --out if it is not empty")
    a = ap.parse_args()

    preset = SIZES.get(a.size, (None, None, None))
    counts = [v if v is not None else p for v, p in zip((a.incidents, a.groups, a.weapons), preset)]
    if None in counts:
        ap.error("give --size, or all of --incidents, --groups and --weapons")
    n, g, w = counts
    if n < 1 or g < 2 or w < 1:
        ap.error("need at least 1 incident, 2 groups and 1 weapon type")
    if os.path.exists(a.out) and os.listdir(a.out):
        if not a.force:
            sys.exit(f"{a.out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(a.out)
    os.makedirs(a.out, exist_ok=True)

    corpus = Corpus(n, g, w, a.seed)
    with open(os.path.join(a.out, "site.yaml"), "w", encoding="utf-8", newline="\n") as f:
        f.write("title: Casefile benchmark corpus\n"
                "base_url: \"https://bench.example.org/\"\n"
                f"description: \"Synthetic corpus from benches/gen_corpus.py: {n} incidents, {g} groups, "
                f"{w} weapon types, seed {a.seed}.\"\n"
                "language: en\nincidents_per_page: 50\nfeed_limit: 50\n")
    total = 0
    for group in corpus.groups:
        total += write(a.out, *corpus.group_file(group))
    for weapon in corpus.weapons:
        total += write(a.out, *corpus.weapon_file(weapon))
    for i in range(n):
        total += write(a.out, *corpus.incident(i))
    print(f"{a.out}: {n} incidents, {g} groups, {w} weapon types, seed {a.seed}; "
          f"{total} bytes of content ({total // n} per incident)", file=sys.stderr)


if __name__ == "__main__":
    main()
