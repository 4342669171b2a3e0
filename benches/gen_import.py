#!/usr/bin/env python3
"""Make a synthetic ACLED-format CSV for timing `casefile import` (benches/import.sh).

usage: benches/gen_import.py OUT.csv [ROWS] [--seed N] [--revise PERCENT]

ROWS defaults to 50,000. The rows use ACLED's export columns (event_id_cnty,
event_date, time_precision, disorder_type, event_type, sub_event_type, actor1,
assoc_actor_1, inter1, actor2, assoc_actor_2, inter2, interaction,
civilian_targeting, iso, region, country, admin1-3, location, latitude, longitude,
geo_precision, source, source_scale, notes, fatalities, tags, timestamp) with made-up
values: 240 actors over 12 countries, every time_precision and geo_precision code,
every event type, dates in both forms ACLED publishes (2024-03-22 and 22 March
2024), blank and 0 fatalities, `;`-separated associated actors and sources, and notes
of 40 to 120 words. Nothing in it is real data. The same seed gives the same file.

--revise PERCENT changes the fatalities and notes of that share of the rows (as
ACLED does when it revises events), to time a re-import that updates files.
"""
import csv
import random
import sys

COLUMNS = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
    "source,source_scale,notes,fatalities,tags,timestamp"
).split(",")

COUNTRIES = [
    ("BFA", 854, "Burkina Faso", 12.3, -1.5), ("MLI", 466, "Mali", 16.0, -2.0),
    ("NER", 562, "Niger", 15.0, 8.0), ("NGA", 566, "Nigeria", 10.0, 8.0),
    ("TCD", 148, "Chad", 13.0, 18.0), ("CMR", 120, "Cameroon", 6.0, 12.0),
    ("SDN", 729, "Sudan", 14.0, 30.0), ("SOM", 706, "Somalia", 5.0, 46.0),
    ("ETH", 231, "Ethiopia", 9.0, 39.0), ("COD", 180, "Democratic Republic of Congo", -2.0, 25.0),
    ("MOZ", 508, "Mozambique", -13.0, 39.0), ("LBY", 434, "Libya", 27.0, 17.0),
]
EVENTS = [
    ("Battles", "Political violence", ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"]),
    ("Explosions/Remote violence", "Political violence", ["Remote explosive/landmine/IED", "Air/drone strike", "Shelling/artillery/missile attack"]),
    ("Violence against civilians", "Political violence", ["Attack", "Abduction/forced disappearance"]),
    ("Strategic developments", "Strategic developments", ["Looting/property destruction", "Change to group/activity", "Disrupted weapons use"]),
    ("Protests", "Demonstrations", ["Peaceful protest"]),
    ("Riots", "Demonstrations", ["Violent demonstration", "Mob violence"]),
]
INTER = ["State forces", "Rebel group", "Political militia", "Identity militia", "Rioters", "Protesters", "Civilians", "External/Other forces"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
WORDS = ("armed men attacked village market road convoy patrol position fighters reportedly "
         "seized weapons vehicles clashed near town district local sources said several were "
         "killed wounded displaced residents fled security forces responded area later "
         "claimed responsibility statement unverified report according witnesses").split()


def main():
    args = sys.argv[1:]
    seed, revise = 7, 0.0
    if "--seed" in args:
        i = args.index("--seed"); seed = int(args[i + 1]); del args[i:i + 2]
    if "--revise" in args:
        i = args.index("--revise"); revise = float(args[i + 1]) / 100; del args[i:i + 2]
    if not args:
        sys.exit(__doc__)
    out = args[0]
    rows = int(args[1]) if len(args) > 1 else 50_000
    rng = random.Random(seed)
    revised = random.Random(seed + 1)
    actors = []
    for iso, _, country, _, _ in COUNTRIES:
        for k in range(20):
            kind = INTER[k % len(INTER)]
            actors.append((f"{kind} {k} of {country}", kind))
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for n in range(rows):
            iso, code, country, lat0, lon0 = COUNTRIES[n % len(COUNTRIES)]
            etype, disorder, subs = rng.choice(EVENTS)
            year = 2015 + rng.randrange(10)
            month = rng.randrange(12)
            day = 1 + rng.randrange(28)
            date = (f"{year}-{month + 1:02}-{day:02}" if n % 2 == 0
                    else f"{day} {MONTHS[month]} {year}")
            a1, t1 = rng.choice(actors)
            a2, t2 = rng.choice(actors) if rng.random() < 0.8 else ("", "")
            assoc1 = "; ".join(rng.choice(actors)[0] for _ in range(rng.randrange(3)))
            assoc2 = "; ".join(rng.choice(actors)[0] for _ in range(rng.randrange(2)))
            admin1 = f"Region {rng.randrange(8)}"
            place = f"Place {rng.randrange(400)}"
            fatalities = rng.choice(["", "0", str(rng.randrange(60))])
            notes = " ".join(rng.choice(WORDS) for _ in range(40 + rng.randrange(80)))
            notes = f"On {day} {MONTHS[month]} {year}, {notes}."
            if revise and revised.random() < revise:
                fatalities = str(revised.randrange(60) + 60)
                notes += " Revised: a later report changed the toll."
            w.writerow([
                f"{iso}{n + 1}", date, year, 1 + rng.randrange(3), disorder, etype,
                rng.choice(subs), a1, assoc1, t1, a2, assoc2, t2, f"{t1}-{t2}",
                "Civilian targeting" if etype == "Violence against civilians" else "",
                code, "Africa", country, admin1, f"District {rng.randrange(30)}", "",
                place, round(lat0 + rng.uniform(-3, 3), 4), round(lon0 + rng.uniform(-3, 3), 4),
                1 + rng.randrange(3), "; ".join(rng.sample(["Local radio", "Wire service", "Partner network", "Social media", "Newspaper"], 1 + rng.randrange(2))),
                "National", notes, fatalities, "crowd size=no report" if etype == "Protests" else "",
                1_700_000_000 + n,
            ])


if __name__ == "__main__":
    main()
