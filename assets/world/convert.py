#!/usr/bin/env python3
"""Convert world-atlas's countries-110m.json (TopoJSON) into casefile's country file.

Usage:
    python3 assets/world/convert.py countries-110m.json > assets/world/countries-110m.txt

The input is the `countries-110m.json` of the npm package world-atlas 2.0.2 (Natural
Earth 1:110m admin-0 countries, public domain). The output keeps the TopoJSON topology
(each shared border is stored once, as an arc) with coordinates requantized to
hundredths of a degree and delta-encoded, plus, for each country, its ISO 3166-1 codes,
a display name as conflict datasets (ACLED, UCDP) write it, aliases, and a label
point. src/render/map/world.rs reads it; the format is described in README.md.

Standard library only. The output is deterministic: the same input gives the same bytes.
"""

import heapq
import json
import math
import sys
import unicodedata

SCALE = 100  # units per degree in the output: 0.01 deg, about 1.1 km at the equator

# world-atlas name -> (ISO 3166-1 numeric, alpha-2, alpha-3, display name, aliases).
# The numeric code is checked against the file's ids (world-atlas ids are ISO 3166-1
# numeric); "" where the entity has no ISO code. The display name follows ACLED's
# spelling; aliases cover UCDP GED's names (e.g. "DR Congo (Zaire)"), full official
# names and common English names. The world-atlas name is always an alias too.
COUNTRIES = {
    "Afghanistan": ("004", "AF", "AFG", "Afghanistan", ["Islamic Republic of Afghanistan", "Islamic Emirate of Afghanistan"]),
    "Albania": ("008", "AL", "ALB", "Albania", ["Republic of Albania"]),
    "Algeria": ("012", "DZ", "DZA", "Algeria", ["People's Democratic Republic of Algeria"]),
    "Angola": ("024", "AO", "AGO", "Angola", ["Republic of Angola"]),
    "Antarctica": ("010", "AQ", "ATA", "Antarctica", []),
    "Argentina": ("032", "AR", "ARG", "Argentina", ["Argentine Republic"]),
    "Armenia": ("051", "AM", "ARM", "Armenia", ["Republic of Armenia"]),
    "Australia": ("036", "AU", "AUS", "Australia", ["Commonwealth of Australia"]),
    "Austria": ("040", "AT", "AUT", "Austria", ["Republic of Austria"]),
    "Azerbaijan": ("031", "AZ", "AZE", "Azerbaijan", ["Republic of Azerbaijan"]),
    "Bahamas": ("044", "BS", "BHS", "Bahamas", ["The Bahamas", "Commonwealth of The Bahamas"]),
    "Bangladesh": ("050", "BD", "BGD", "Bangladesh", ["People's Republic of Bangladesh"]),
    "Belarus": ("112", "BY", "BLR", "Belarus", ["Republic of Belarus", "Byelorussia"]),
    "Belgium": ("056", "BE", "BEL", "Belgium", ["Kingdom of Belgium"]),
    "Belize": ("084", "BZ", "BLZ", "Belize", []),
    "Benin": ("204", "BJ", "BEN", "Benin", ["Republic of Benin", "Dahomey"]),
    "Bhutan": ("064", "BT", "BTN", "Bhutan", ["Kingdom of Bhutan"]),
    "Bolivia": ("068", "BO", "BOL", "Bolivia", ["Plurinational State of Bolivia"]),
    "Bosnia and Herz.": ("070", "BA", "BIH", "Bosnia and Herzegovina", ["Bosnia-Herzegovina", "Bosnia & Herzegovina", "Bosnia"]),
    "Botswana": ("072", "BW", "BWA", "Botswana", ["Republic of Botswana"]),
    "Brazil": ("076", "BR", "BRA", "Brazil", ["Federative Republic of Brazil"]),
    "Brunei": ("096", "BN", "BRN", "Brunei", ["Brunei Darussalam"]),
    "Bulgaria": ("100", "BG", "BGR", "Bulgaria", ["Republic of Bulgaria"]),
    "Burkina Faso": ("854", "BF", "BFA", "Burkina Faso", ["Burkina", "Upper Volta"]),
    "Burundi": ("108", "BI", "BDI", "Burundi", ["Republic of Burundi"]),
    "Cambodia": ("116", "KH", "KHM", "Cambodia", ["Kingdom of Cambodia", "Cambodia (Kampuchea)", "Kampuchea"]),
    "Cameroon": ("120", "CM", "CMR", "Cameroon", ["Republic of Cameroon"]),
    "Canada": ("124", "CA", "CAN", "Canada", []),
    "Central African Rep.": ("140", "CF", "CAF", "Central African Republic", ["CAR", "Centrafrique"]),
    "Chad": ("148", "TD", "TCD", "Chad", ["Republic of Chad", "Tchad"]),
    "Chile": ("152", "CL", "CHL", "Chile", ["Republic of Chile"]),
    "China": ("156", "CN", "CHN", "China", ["People's Republic of China", "PRC"]),
    "Colombia": ("170", "CO", "COL", "Colombia", ["Republic of Colombia"]),
    "Congo": ("178", "CG", "COG", "Republic of Congo", ["Congo", "Republic of the Congo", "Congo-Brazzaville", "Congo (Brazzaville)", "Congo, Republic of the"]),
    "Costa Rica": ("188", "CR", "CRI", "Costa Rica", ["Republic of Costa Rica"]),
    "Côte d'Ivoire": ("384", "CI", "CIV", "Côte d'Ivoire", ["Ivory Coast", "Republic of Côte d'Ivoire"]),
    "Croatia": ("191", "HR", "HRV", "Croatia", ["Republic of Croatia"]),
    "Cuba": ("192", "CU", "CUB", "Cuba", ["Republic of Cuba"]),
    "Cyprus": ("196", "CY", "CYP", "Cyprus", ["Republic of Cyprus"]),
    "Czechia": ("203", "CZ", "CZE", "Czech Republic", ["Czechia"]),
    "Dem. Rep. Congo": ("180", "CD", "COD", "Democratic Republic of Congo", ["Democratic Republic of the Congo", "DR Congo", "DRC", "DR Congo (Zaire)", "Congo-Kinshasa", "Congo (Kinshasa)", "Congo, Democratic Republic of the", "Zaire"]),
    "Denmark": ("208", "DK", "DNK", "Denmark", ["Kingdom of Denmark"]),
    "Djibouti": ("262", "DJ", "DJI", "Djibouti", ["Republic of Djibouti"]),
    "Dominican Rep.": ("214", "DO", "DOM", "Dominican Republic", []),
    "Ecuador": ("218", "EC", "ECU", "Ecuador", ["Republic of Ecuador"]),
    "Egypt": ("818", "EG", "EGY", "Egypt", ["Arab Republic of Egypt"]),
    "El Salvador": ("222", "SV", "SLV", "El Salvador", ["Republic of El Salvador"]),
    "Eq. Guinea": ("226", "GQ", "GNQ", "Equatorial Guinea", ["Republic of Equatorial Guinea"]),
    "Eritrea": ("232", "ER", "ERI", "Eritrea", ["State of Eritrea"]),
    "Estonia": ("233", "EE", "EST", "Estonia", ["Republic of Estonia"]),
    "eSwatini": ("748", "SZ", "SWZ", "eSwatini", ["Eswatini", "Swaziland", "Kingdom of eSwatini", "Kingdom of eSwatini (Swaziland)"]),
    "Ethiopia": ("231", "ET", "ETH", "Ethiopia", ["Federal Democratic Republic of Ethiopia"]),
    "Falkland Is.": ("238", "FK", "FLK", "Falkland Islands", ["Falkland Islands (Malvinas)", "Malvinas", "Islas Malvinas"]),
    "Fiji": ("242", "FJ", "FJI", "Fiji", ["Republic of Fiji"]),
    "Finland": ("246", "FI", "FIN", "Finland", ["Republic of Finland"]),
    "Fr. S. Antarctic Lands": ("260", "TF", "ATF", "French Southern and Antarctic Lands", ["French Southern Territories"]),
    "France": ("250", "FR", "FRA", "France", ["French Republic"]),
    "Gabon": ("266", "GA", "GAB", "Gabon", ["Gabonese Republic"]),
    "Gambia": ("270", "GM", "GMB", "Gambia", ["The Gambia", "Republic of The Gambia"]),
    "Georgia": ("268", "GE", "GEO", "Georgia", []),
    "Germany": ("276", "DE", "DEU", "Germany", ["Federal Republic of Germany"]),
    "Ghana": ("288", "GH", "GHA", "Ghana", ["Republic of Ghana"]),
    "Greece": ("300", "GR", "GRC", "Greece", ["Hellenic Republic"]),
    "Greenland": ("304", "GL", "GRL", "Greenland", ["Kalaallit Nunaat"]),
    "Guatemala": ("320", "GT", "GTM", "Guatemala", ["Republic of Guatemala"]),
    "Guinea": ("324", "GN", "GIN", "Guinea", ["Republic of Guinea", "Guinea-Conakry"]),
    "Guinea-Bissau": ("624", "GW", "GNB", "Guinea-Bissau", ["Republic of Guinea-Bissau"]),
    "Guyana": ("328", "GY", "GUY", "Guyana", ["Co-operative Republic of Guyana"]),
    "Haiti": ("332", "HT", "HTI", "Haiti", ["Republic of Haiti"]),
    "Honduras": ("340", "HN", "HND", "Honduras", ["Republic of Honduras"]),
    "Hungary": ("348", "HU", "HUN", "Hungary", []),
    "Iceland": ("352", "IS", "ISL", "Iceland", []),
    "India": ("356", "IN", "IND", "India", ["Republic of India"]),
    "Indonesia": ("360", "ID", "IDN", "Indonesia", ["Republic of Indonesia"]),
    "Iran": ("364", "IR", "IRN", "Iran", ["Islamic Republic of Iran", "Persia"]),
    "Iraq": ("368", "IQ", "IRQ", "Iraq", ["Republic of Iraq"]),
    "Ireland": ("372", "IE", "IRL", "Ireland", ["Republic of Ireland", "Eire"]),
    "Israel": ("376", "IL", "ISR", "Israel", ["State of Israel"]),
    "Italy": ("380", "IT", "ITA", "Italy", ["Italian Republic"]),
    "Jamaica": ("388", "JM", "JAM", "Jamaica", []),
    "Japan": ("392", "JP", "JPN", "Japan", []),
    "Jordan": ("400", "JO", "JOR", "Jordan", ["Hashemite Kingdom of Jordan"]),
    "Kazakhstan": ("398", "KZ", "KAZ", "Kazakhstan", ["Republic of Kazakhstan"]),
    "Kenya": ("404", "KE", "KEN", "Kenya", ["Republic of Kenya"]),
    "Kosovo": ("", "XK", "XKX", "Kosovo", ["Republic of Kosovo"]),
    "Kuwait": ("414", "KW", "KWT", "Kuwait", ["State of Kuwait"]),
    "Kyrgyzstan": ("417", "KG", "KGZ", "Kyrgyzstan", ["Kyrgyz Republic", "Kirghizia"]),
    "Laos": ("418", "LA", "LAO", "Laos", ["Lao PDR", "Lao People's Democratic Republic"]),
    "Latvia": ("428", "LV", "LVA", "Latvia", ["Republic of Latvia"]),
    "Lebanon": ("422", "LB", "LBN", "Lebanon", ["Lebanese Republic"]),
    "Lesotho": ("426", "LS", "LSO", "Lesotho", ["Kingdom of Lesotho"]),
    "Liberia": ("430", "LR", "LBR", "Liberia", ["Republic of Liberia"]),
    "Libya": ("434", "LY", "LBY", "Libya", ["State of Libya", "Libyan Arab Jamahiriya"]),
    "Lithuania": ("440", "LT", "LTU", "Lithuania", ["Republic of Lithuania"]),
    "Luxembourg": ("442", "LU", "LUX", "Luxembourg", ["Grand Duchy of Luxembourg"]),
    "Macedonia": ("807", "MK", "MKD", "North Macedonia", ["Macedonia", "Republic of North Macedonia", "Macedonia, FYR", "FYR Macedonia", "FYROM", "Former Yugoslav Republic of Macedonia"]),
    "Madagascar": ("450", "MG", "MDG", "Madagascar", ["Republic of Madagascar", "Madagascar (Malagasy)", "Malagasy Republic"]),
    "Malawi": ("454", "MW", "MWI", "Malawi", ["Republic of Malawi"]),
    "Malaysia": ("458", "MY", "MYS", "Malaysia", []),
    "Mali": ("466", "ML", "MLI", "Mali", ["Republic of Mali"]),
    "Mauritania": ("478", "MR", "MRT", "Mauritania", ["Islamic Republic of Mauritania"]),
    "Mexico": ("484", "MX", "MEX", "Mexico", ["United Mexican States"]),
    "Moldova": ("498", "MD", "MDA", "Moldova", ["Republic of Moldova"]),
    "Mongolia": ("496", "MN", "MNG", "Mongolia", []),
    "Montenegro": ("499", "ME", "MNE", "Montenegro", []),
    "Morocco": ("504", "MA", "MAR", "Morocco", ["Kingdom of Morocco"]),
    "Mozambique": ("508", "MZ", "MOZ", "Mozambique", ["Republic of Mozambique"]),
    "Myanmar": ("104", "MM", "MMR", "Myanmar", ["Burma", "Myanmar (Burma)", "Republic of the Union of Myanmar"]),
    "N. Cyprus": ("", "", "", "Northern Cyprus", ["Turkish Republic of Northern Cyprus", "TRNC"]),
    "Namibia": ("516", "NA", "NAM", "Namibia", ["Republic of Namibia"]),
    "Nepal": ("524", "NP", "NPL", "Nepal", []),
    "Netherlands": ("528", "NL", "NLD", "Netherlands", ["The Netherlands", "Kingdom of the Netherlands", "Holland"]),
    "New Caledonia": ("540", "NC", "NCL", "New Caledonia", []),
    "New Zealand": ("554", "NZ", "NZL", "New Zealand", ["Aotearoa"]),
    "Nicaragua": ("558", "NI", "NIC", "Nicaragua", ["Republic of Nicaragua"]),
    "Niger": ("562", "NE", "NER", "Niger", ["Republic of Niger", "Republic of the Niger"]),
    "Nigeria": ("566", "NG", "NGA", "Nigeria", ["Federal Republic of Nigeria"]),
    "North Korea": ("408", "KP", "PRK", "North Korea", ["Democratic People's Republic of Korea", "DPRK", "Korea, North", "Korea, Democratic People's Republic of"]),
    "Norway": ("578", "NO", "NOR", "Norway", ["Kingdom of Norway"]),
    "Oman": ("512", "OM", "OMN", "Oman", ["Sultanate of Oman"]),
    "Pakistan": ("586", "PK", "PAK", "Pakistan", ["Islamic Republic of Pakistan"]),
    "Palestine": ("275", "PS", "PSE", "Palestine", ["State of Palestine", "Palestinian Territories", "Palestinian Territory", "Occupied Palestinian Territory", "Occupied Palestinian Territories"]),
    "Panama": ("591", "PA", "PAN", "Panama", ["Republic of Panama"]),
    "Papua New Guinea": ("598", "PG", "PNG", "Papua New Guinea", []),
    "Paraguay": ("600", "PY", "PRY", "Paraguay", ["Republic of Paraguay"]),
    "Peru": ("604", "PE", "PER", "Peru", ["Republic of Peru"]),
    "Philippines": ("608", "PH", "PHL", "Philippines", ["Republic of the Philippines", "The Philippines"]),
    "Poland": ("616", "PL", "POL", "Poland", ["Republic of Poland"]),
    "Portugal": ("620", "PT", "PRT", "Portugal", ["Portuguese Republic"]),
    "Puerto Rico": ("630", "PR", "PRI", "Puerto Rico", []),
    "Qatar": ("634", "QA", "QAT", "Qatar", ["State of Qatar"]),
    "Romania": ("642", "RO", "ROU", "Romania", []),
    "Russia": ("643", "RU", "RUS", "Russia", ["Russian Federation", "Russia (Soviet Union)"]),
    "Rwanda": ("646", "RW", "RWA", "Rwanda", ["Republic of Rwanda"]),
    "S. Sudan": ("728", "SS", "SSD", "South Sudan", ["Republic of South Sudan"]),
    "Saudi Arabia": ("682", "SA", "SAU", "Saudi Arabia", ["Kingdom of Saudi Arabia", "KSA"]),
    "Senegal": ("686", "SN", "SEN", "Senegal", ["Republic of Senegal"]),
    "Serbia": ("688", "RS", "SRB", "Serbia", ["Republic of Serbia", "Serbia (Yugoslavia)"]),
    "Sierra Leone": ("694", "SL", "SLE", "Sierra Leone", ["Republic of Sierra Leone"]),
    "Slovakia": ("703", "SK", "SVK", "Slovakia", ["Slovak Republic"]),
    "Slovenia": ("705", "SI", "SVN", "Slovenia", ["Republic of Slovenia"]),
    "Solomon Is.": ("090", "SB", "SLB", "Solomon Islands", []),
    "Somalia": ("706", "SO", "SOM", "Somalia", ["Federal Republic of Somalia"]),
    "Somaliland": ("", "", "", "Somaliland", ["Republic of Somaliland"]),
    "South Africa": ("710", "ZA", "ZAF", "South Africa", ["Republic of South Africa"]),
    "South Korea": ("410", "KR", "KOR", "South Korea", ["Republic of Korea", "Korea, South", "Korea, Republic of"]),
    "Spain": ("724", "ES", "ESP", "Spain", ["Kingdom of Spain"]),
    "Sri Lanka": ("144", "LK", "LKA", "Sri Lanka", ["Ceylon"]),
    "Sudan": ("729", "SD", "SDN", "Sudan", ["Republic of the Sudan", "Republic of Sudan"]),
    "Suriname": ("740", "SR", "SUR", "Suriname", ["Surinam", "Republic of Suriname"]),
    "Sweden": ("752", "SE", "SWE", "Sweden", ["Kingdom of Sweden"]),
    "Switzerland": ("756", "CH", "CHE", "Switzerland", ["Swiss Confederation"]),
    "Syria": ("760", "SY", "SYR", "Syria", ["Syrian Arab Republic"]),
    "Taiwan": ("158", "TW", "TWN", "Taiwan", ["Republic of China"]),
    "Tajikistan": ("762", "TJ", "TJK", "Tajikistan", ["Republic of Tajikistan"]),
    "Tanzania": ("834", "TZ", "TZA", "Tanzania", ["United Republic of Tanzania"]),
    "Thailand": ("764", "TH", "THA", "Thailand", ["Kingdom of Thailand", "Siam"]),
    "Timor-Leste": ("626", "TL", "TLS", "Timor-Leste", ["East Timor"]),
    "Togo": ("768", "TG", "TGO", "Togo", ["Togolese Republic"]),
    "Trinidad and Tobago": ("780", "TT", "TTO", "Trinidad and Tobago", ["Trinidad & Tobago"]),
    "Tunisia": ("788", "TN", "TUN", "Tunisia", ["Republic of Tunisia"]),
    "Turkey": ("792", "TR", "TUR", "Turkey", ["Türkiye", "Republic of Türkiye", "Republic of Turkey"]),
    "Turkmenistan": ("795", "TM", "TKM", "Turkmenistan", []),
    "Uganda": ("800", "UG", "UGA", "Uganda", ["Republic of Uganda"]),
    "Ukraine": ("804", "UA", "UKR", "Ukraine", []),
    "United Arab Emirates": ("784", "AE", "ARE", "United Arab Emirates", ["UAE", "Emirates"]),
    "United Kingdom": ("826", "GB", "GBR", "United Kingdom", ["UK", "Great Britain", "Britain", "United Kingdom of Great Britain and Northern Ireland"]),
    "United States of America": ("840", "US", "USA", "United States", ["United States of America", "U.S.", "U.S.A."]),
    "Uruguay": ("858", "UY", "URY", "Uruguay", ["Oriental Republic of Uruguay"]),
    "Uzbekistan": ("860", "UZ", "UZB", "Uzbekistan", ["Republic of Uzbekistan"]),
    "Vanuatu": ("548", "VU", "VUT", "Vanuatu", ["Republic of Vanuatu"]),
    "Venezuela": ("862", "VE", "VEN", "Venezuela", ["Bolivarian Republic of Venezuela"]),
    "Vietnam": ("704", "VN", "VNM", "Vietnam", ["Viet Nam", "Vietnam (North Vietnam)", "Socialist Republic of Vietnam"]),
    "W. Sahara": ("732", "EH", "ESH", "Western Sahara", []),
    "Yemen": ("887", "YE", "YEM", "Yemen", ["Republic of Yemen", "Yemen (North Yemen)"]),
    "Zambia": ("894", "ZM", "ZMB", "Zambia", ["Republic of Zambia"]),
    "Zimbabwe": ("716", "ZW", "ZWE", "Zimbabwe", ["Republic of Zimbabwe", "Zimbabwe (Rhodesia)", "Rhodesia"]),
}


def normalise(s):
    """The matching key world.rs uses: src/model/names.rs's rule (case folded,
    diacritics and apostrophes removed, hyphens and spaces one space), plus: periods
    removed, `&` read as "and", any other punctuation a space."""
    s = unicodedata.normalize("NFKD", s)
    out = []
    for c in s:
        if unicodedata.combining(c) or c in "'’‘ʼ`ʻ.":
            continue
        if c == "&":
            out.append(" and ")
        elif c.isalnum():
            out.append(c.lower())
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def decode_arcs(topo):
    """TopoJSON arcs -> lists of (lon, lat) in output units (integers)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            p = (round((x * sx + tx) * SCALE), round((y * sy + ty) * SCALE))
            if not pts or pts[-1] != p:
                pts.append(p)
        if len(pts) == 1:
            pts.append(pts[0])
        arcs.append(pts)
    return arcs


def ring_points(arcs, refs):
    pts = []
    for r in refs:
        a = arcs[r] if r >= 0 else arcs[~r][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


def area(ring):
    """Signed shoelace area, in (unit)^2; cos-scaling is left out (only used to rank
    polygons of one country, which lie at similar latitudes)."""
    s = 0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        s += x0 * y1 - x1 * y0
    return s / 2


def point_segment_dist2(px, py, a, b):
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    if dx or dy:
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        ax, ay = ax + t * dx, ay + t * dy
    return (px - ax) ** 2 + (py - ay) ** 2


def signed_dist(px, py, rings):
    """Distance from (px, py) to the polygon's boundary; negative outside."""
    inside = False
    best = math.inf
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1]):
            if (a[1] > py) != (b[1] > py) and px < (b[0] - a[0]) * (py - a[1]) / (b[1] - a[1]) + a[0]:
                inside = not inside
            best = min(best, point_segment_dist2(px, py, a, b))
    d = math.sqrt(best)
    return d if inside else -d


def polylabel(rings, precision=5.0):
    """The pole of inaccessibility of a polygon (Mapbox's polylabel algorithm): the
    interior point farthest from the boundary, where a label fits best. `rings` are in
    x-scaled units (see label_point)."""
    xs = [p[0] for p in rings[0]]
    ys = [p[1] for p in rings[0]]
    minx, miny, maxx, maxy = min(xs), min(ys), max(xs), max(ys)
    size = min(maxx - minx, maxy - miny)
    if size == 0:
        return (minx, miny)
    h = size / 2
    queue = []
    counter = 0

    def push(x, y, h):
        nonlocal counter
        d = signed_dist(x, y, rings)
        heapq.heappush(queue, (-(d + h * math.sqrt(2)), counter, x, y, h, d))
        counter += 1

    x = minx
    while x < maxx:
        y = miny
        while y < maxy:
            push(x + h, y + h, h)
            y += size
        x += size
    # The area centroid is a good first guess.
    cx = sum(xs) / len(xs)
    cy = sum(ys) / len(ys)
    best = (signed_dist(cx, cy, rings), cx, cy)
    while queue:
        _, _, x, y, h, d = heapq.heappop(queue)
        if d > best[0]:
            best = (d, x, y)
        if d + h * math.sqrt(2) - best[0] <= precision:
            continue
        h /= 2
        for ox in (-h, h):
            for oy in (-h, h):
                push(x + ox, y + oy, h)
    return best[1], best[2]


def label_point(polygons):
    """Where a country's name goes: the pole of inaccessibility of its largest polygon,
    computed with longitudes scaled by cos(latitude) so it is central on a map."""
    largest = max(polygons, key=lambda rings: abs(area(rings[0])))
    lat0 = sum(p[1] for p in largest[0]) / len(largest[0]) / SCALE
    k = math.cos(math.radians(lat0))
    scaled = [[(x * k, y) for x, y in ring] for ring in largest]
    x, y = polylabel(scaled)
    return round(x / k), round(y)


def crimea_to_ukraine(geometries):
    """Natural Earth draws de facto control and puts Crimea in Russia. ACLED and UCDP
    code events in Crimea as Ukraine, and so do the UN (General Assembly resolution
    68/262) and most publications; a map that labels a Crimean incident "Russia" would
    contradict the incident's own country field. So Crimea's polygon moves from Russia
    to Ukraine, dissolved into Ukraine's outline: in world-atlas 2.0.2 Crimea is Russia's
    polygon [[a, b]] where arc a is the border with Ukraine (Ukraine walks it reversed,
    as ~a) and arc b the coast, so Ukraine's ring takes b in place of ~a."""
    by_name = {g["properties"]["name"]: g for g in geometries}
    russia, ukraine = by_name["Russia"], by_name["Ukraine"]
    if ukraine["type"] != "Polygon" or len(ukraine["arcs"]) != 1:
        sys.exit("Crimea edit: Ukraine is not one ring any more; revisit crimea_to_ukraine")
    ring = ukraine["arcs"][0]
    crimea = [p for p in russia["arcs"] if len(p) == 1 and len(p[0]) == 2 and ~p[0][0] in ring]
    if len(crimea) != 1:
        sys.exit("Crimea edit: Russia's Crimea polygon not found; revisit crimea_to_ukraine")
    (border, coast), = crimea[0]
    ring[ring.index(~border)] = coast
    russia["arcs"].remove(crimea[0])


def cut_antimeridian(arcs, geometries):
    """Cut the rings that cross the antimeridian, for flat maps. world-atlas is made for
    d3's spherical geometry, so a ring may step from 179.9° to -180° (Fiji, Chukotka,
    Wrangel Island, Antarctica); drawn flat, that step is a line across the whole map.
    Each such step is in an arc that only one ring uses, walked forwards. The arc is cut
    at its steps, with the crossing point (interpolated on the meridian) added on both
    sides, and the ring becomes one ring per side, each closed along the meridian; a
    ring that crosses once goes round a pole (Antarctica) and is closed through it.
    Arc numbers of the other arcs do not change, so shared borders stay shared."""
    half = 180 * SCALE

    def steps(a):
        # A segment along a pole (the closing edge added for Antarctica) is no step.
        return [
            k for k in range(len(a) - 1)
            if abs(a[k + 1][0] - a[k][0]) > half and not abs(a[k][1]) == abs(a[k + 1][1]) == 90 * SCALE
        ]

    jumping = {i for i, a in enumerate(arcs) if steps(a)}
    users = {}
    for g in geometries:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for poly in polys:
            for ring in poly:
                crossing = [r for r in ring if (r if r >= 0 else ~r) in jumping]
                if len(crossing) > 1 or any(r < 0 or r in users for r in crossing):
                    sys.exit(f"antimeridian: arcs {crossing} shared, reversed or together; revisit cut_antimeridian")
                for r in crossing:
                    users[r] = (poly, ring)
    for n in sorted(jumping):
        a = arcs[n]
        pieces, cur = [], [a[0]]
        for p, q in zip(a, a[1:]):
            if abs(q[0] - p[0]) > half:
                side = half if p[0] > 0 else -half
                qx = q[0] + (2 * half if side > 0 else -2 * half)
                t = (side - p[0]) / (qx - p[0]) if qx != p[0] else 0.0
                lat = round(p[1] + t * (q[1] - p[1]))
                if cur[-1] != (side, lat):
                    cur.append((side, lat))
                pieces.append(cur)
                cur = [(-side, lat)]
            if cur[-1] != q:
                cur.append(q)
        pieces.append(cur)
        poly, ring = users[n]
        at = ring.index(n)
        before, after = ring[:at], ring[at + 1:]
        # Runs: the pieces between two steps stand alone; the last piece, the ring's
        # other arcs and the first piece make one run.
        runs = [[p] for p in pieces[1:-1]] + [[pieces[-1], *after, *before, pieces[0]]]
        if len(pieces) == 2:  # one step: round a pole
            pole = -90 * SCALE if pieces[0][0][1] < 0 else 90 * SCALE
            end, start = pieces[0][-1], pieces[-1][0]
            runs = [[pieces[-1], *after, *before, pieces[0], [end, (end[0], pole), (start[0], pole), start]]]
        new_rings = []
        for run in runs:
            refs = []
            for part in run:
                if isinstance(part, int):
                    refs.append(part)
                elif len(part) >= 2:
                    if part is pieces[0]:
                        arcs[n] = part
                        refs.append(n)
                    else:
                        arcs.append(part)
                        refs.append(len(arcs) - 1)
            new_rings.append(refs)
        i = poly.index(ring)
        poly[i:i + 1] = new_rings[:1]
        poly_rings_extra = new_rings[1:]
        # A ring's other side is a polygon of its own (the outer ring of it).
        for g in geometries:
            polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
            if any(p is poly for p in polys):
                if g["type"] == "Polygon":
                    g["type"], g["arcs"] = "MultiPolygon", [g["arcs"]]
                g["arcs"].extend([[r] for r in poly_rings_extra])
                break
    bad = [i for i, a in enumerate(arcs) if steps(a)]
    if bad:
        sys.exit(f"antimeridian: arcs {bad} still step across; revisit cut_antimeridian")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: convert.py countries-110m.json > countries-110m.txt")
    with open(sys.argv[1], encoding="utf-8") as f:
        topo = json.load(f)
    arcs = decode_arcs(topo)
    geometries = topo["objects"]["countries"]["geometries"]
    crimea_to_ukraine(geometries)
    cut_antimeridian(arcs, geometries)

    seen_keys = {}
    countries = []
    for g in geometries:
        atlas_name = g["properties"]["name"]
        if atlas_name not in COUNTRIES:
            sys.exit(f"no alias entry for {atlas_name!r}")
        n3, a2, a3, display, aliases = COUNTRIES[atlas_name]
        if g.get("id", "") != n3:
            sys.exit(f"{atlas_name}: file id {g.get('id')!r}, table {n3!r}")
        names = list(dict.fromkeys([display, atlas_name] + aliases))
        for key in {normalise(n) for n in names + [a2, a3] if n}:
            if key in seen_keys and seen_keys[key] != display:
                sys.exit(f"{key!r} names both {seen_keys[key]} and {display}")
            seen_keys[key] = display
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        polygons = [[ring_points(arcs, ring) for ring in poly] for poly in polys]
        countries.append((display, n3, a2, a3, names, polys, label_point(polygons)))
    if len(countries) != len(COUNTRIES):
        sys.exit("the alias table names countries the file does not have")

    out = sys.stdout
    out.write("casefile-world 1\n")
    out.write("# Natural Earth 1:110m admin-0 countries (public domain), from countries-110m.json\n")
    out.write("# of the npm package world-atlas 2.0.2. Written by convert.py; see README.md.\n")
    out.write(f"s {SCALE}\n")
    for pts in arcs:
        (x0, y0), rest = pts[0], []
        px, py = x0, y0
        for x, y in pts[1:]:
            rest += [x - px, y - py]
            px, py = x, y
        out.write("a " + " ".join(str(v) for v in [x0, y0] + rest) + "\n")
    for display, n3, a2, a3, names, polys, (lx, ly) in sorted(countries, key=lambda c: c[0]):
        out.write(f"c {n3 or '-'} {a2 or '-'} {a3 or '-'} {lx} {ly} {'|'.join(names)}\n")
        for poly in polys:
            out.write("p\n")
            for ring in poly:
                out.write("r " + " ".join(str(r) for r in ring) + "\n")


if __name__ == "__main__":
    main()
