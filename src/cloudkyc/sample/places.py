# ruff: noqa: E501  (the table of cities is data, one city a line)
"""Where sample customers are: per country, its share of customers, cities (with the telephone
area prefix and postcodes of each), street names, legal-form suffixes, email domains, and the
public IPv4 networks the bundled GeoLite2 data places in the country.

The networks are /16s that geoip2fast's GeoLite2-Country data (2024-06-18) maps as a whole to
the country (found by looking up every /16 and keeping those inside a network of /16 or
shorter); `AddressBook` looks each one up again before use and drops any a newer database
places elsewhere, so an address it hands out always geolocates to its country.
"""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass
from functools import cache

from cloudkyc.customers.geo import GeoLocator
from cloudkyc.policy import select


@dataclass(frozen=True)
class City:
    name: str
    area: str  # telephone area prefix of the national number ("" = none)
    postcodes: tuple[str, ...]
    region: str  # state, province or district written after the city
    streets: tuple[str, ...]


@dataclass(frozen=True)
class Country:
    code: str
    weight: float  # share of ordinary customers
    cities: tuple[City, ...]
    suffixes: tuple[str, ...]  # legal forms of a company name
    tlds: tuple[str, ...]
    style: str  # address layout: see address()
    people: str  # which name pool its people come from (names.py)
    networks: tuple[str, ...]  # "a.b" of /16 networks located in the country


def _cities(text: str) -> tuple[City, ...]:
    """Cities written one a line as name | area | postcodes | region | streets (lists ;)."""
    out = []
    for line in text.strip().splitlines():
        name, area, posts, region, streets = (x.strip() for x in line.split("|"))
        out.append(
            City(
                name,
                area,
                tuple(x.strip() for x in posts.split(";") if x.strip()),
                region,
                tuple(x.strip() for x in streets.split(";") if x.strip()),
            )
        )
    return tuple(out)


# code, weight, suffixes, email TLDs, address style, name pool, /16 networks, cities
_TABLE = [
    (
        "US",
        30,
        "Inc.;LLC;Corp.;Inc.",
        "com;io;ai;com",
        "us",
        "en",
        "5.78 9.165 17.151 22.69 28.80 30.239 48.27 56.2 66.86 70.23 73.82 76.140 98.100 107.206 "
        "131.64 137.9 144.88 152.220 160.143 165.253 170.166 184.3 205.36 209.134",
        """
San Francisco | 415 | 94105;94107;94103;94111 | CA | Market Street;Mission Street;Howard Street;Townsend Street;Brannan Street
Palo Alto | 650 | 94301;94303;94304 | CA | University Avenue;Hamilton Avenue;Page Mill Road;El Camino Real
Seattle | 206 | 98101;98104;98109 | WA | Pine Street;Westlake Avenue North;2nd Avenue;Dexter Avenue North
New York | 212 | 10001;10013;10016;10018 | NY | Broadway;5th Avenue;Madison Avenue;West 26th Street;Hudson Street
Austin | 512 | 78701;78702;78704 | TX | Congress Avenue;East 6th Street;West 5th Street;South Lamar Boulevard
Boston | 617 | 02110;02116;02139 | MA | Summer Street;Boylston Street;Atlantic Avenue;Massachusetts Avenue
Chicago | 312 | 60601;60606;60607 | IL | Wacker Drive;West Madison Street;North Clark Street;West Fulton Market
Denver | 303 | 80202;80205 | CO | Larimer Street;Blake Street;17th Street;Wazee Street""",
    ),
    (
        "SG",
        6,
        "Pte. Ltd.",
        "com.sg;sg;com",
        "sg",
        "sg",
        "14.100 43.4 43.12 43.20 43.28 43.36 43.44 43.52 43.60 43.68 43.76 43.84 43.97 43.105 "
        "43.114 43.122 43.164 43.172 115.66 118.200 135.149 153.20 164.78 172.188",
        """
Singapore | 6 | 018989;038988;068914;079903;117438;138522;189702;239924 | | Marina Boulevard;Raffles Place;Robinson Road;Cecil Street;Anson Road;Science Park Road;Fusionopolis Way;Ayer Rajah Crescent;Tras Street;Beach Road;One-North Crescent""",
    ),
    (
        "JP",
        7,
        "K.K.;Co., Ltd.;Inc.",
        "co.jp;jp",
        "jp",
        "jp",
        "1.5 43.233 60.39 60.153 106.162 113.147 118.3 121.114 124.154 126.42 126.147 128.22 "
        "133.91 133.196 153.138 153.244 163.132 180.34 202.227 210.231 218.220 219.122 220.43 "
        "221.61",
        """
Tokyo | 3 | 100-0005;105-0001;106-0032;150-0002;141-0021 | Tokyo | Marunouchi, Chiyoda-ku;Roppongi, Minato-ku;Shibuya, Shibuya-ku;Toranomon, Minato-ku;Osaki, Shinagawa-ku;Otemachi, Chiyoda-ku
Osaka | 6 | 530-0001;541-0041;530-0011 | Osaka | Umeda, Kita-ku;Kitahama, Chuo-ku;Ofukacho, Kita-ku
Fukuoka | 92 | 810-0001;812-0011 | Fukuoka | Tenjin, Chuo-ku;Hakata-ekimae, Hakata-ku""",
    ),
    (
        "DE",
        6,
        "GmbH;AG;GmbH",
        "de",
        "de",
        "de",
        "2.160 31.230 46.89 53.48 53.109 53.171 53.232 77.14 79.218 80.171 84.168 87.149 88.152 "
        "91.30 92.208 93.229 109.91 134.171 141.16 141.78 149.243 164.32 188.105 217.2",
        """
Berlin | 30 | 10115;10178;10243;10969 | | Friedrichstraße;Torstraße;Rosenthaler Straße;Schlesische Straße
München | 89 | 80331;80335;80802;81671 | | Leopoldstraße;Prinzregentenstraße;Arnulfstraße;Balanstraße
Hamburg | 40 | 20095;20354;22765 | | Jungfernstieg;Große Elbstraße;Neuer Wall
Frankfurt am Main | 69 | 60311;60313;60486 | | Mainzer Landstraße;Taunusanlage;Hanauer Landstraße""",
    ),
    (
        "GB",
        6,
        "Ltd;Limited;Ltd",
        "co.uk;com;io",
        "gb",
        "en",
        "2.24 25.4 25.60 25.116 25.170 25.224 31.79 46.208 74.151 80.194 81.179 82.219 86.54 "
        "86.181 90.209 92.25 109.144 134.225 146.77 151.229 161.23 172.150 192.21 195.217",
        """
London | 20 | EC2A 1AG;EC1V 9BD;WC2H 9JQ;N1 7GU;SE1 9SG;E14 5AB | | Finsbury Square;Old Street;City Road;Tottenham Court Road;Shoreditch High Street;Canada Square
Cambridge | 1223 | CB2 1RX;CB4 0WS;CB1 2JD | | Hills Road;Station Road;Cambridge Science Park
Manchester | 161 | M1 3HU;M2 4WU;M15 4FN | | Deansgate;Portland Street;Oxford Road
Edinburgh | 131 | EH1 1YZ;EH2 2PF;EH3 9DR | | Princes Street;George Street;Lauriston Place""",
    ),
    (
        "KR",
        5,
        "Co., Ltd.;Inc.;Corp.",
        "co.kr;kr;com",
        "kr",
        "kr",
        "1.11 1.250 14.88 39.27 49.9 58.142 61.38 106.252 112.184 115.92 118.50 119.220 121.180 "
        "124.2 125.181 169.216 175.235 182.213 203.237 210.217 211.181 211.247 220.75 221.168",
        """
Seoul | 2 | 06164;06236;04524;07326 | Gangnam-gu | Teheran-ro;Gangnam-daero;Yeoksam-ro;Seolleung-ro
Seongnam | 31 | 13487;13494;13529 | Gyeonggi-do | Pangyoyeok-ro;Daewangpangyo-ro;Bundang-ro
Busan | 51 | 48058;48059 | Haeundae-gu | Centum jungang-ro;Centum 2-ro""",
    ),
    (
        "IN",
        6,
        "Private Limited;Pvt. Ltd.;Limited",
        "in;co.in;com",
        "in",
        "in",
        "1.6 27.6 42.107 49.43 59.89 59.177 74.224 106.66 106.206 110.226 115.118 116.72 117.203 "
        "117.225 117.245 120.59 122.168 123.63 125.99 165.42 171.77 182.72 218.248 223.185",
        """
Bengaluru | 80 | 560001;560008;560037;560103 | Karnataka | MG Road;Outer Ring Road;Whitefield Main Road;Residency Road
Hyderabad | 40 | 500032;500081;500084 | Telangana | HITEC City Road;Gachibowli Road;Raidurg Main Road
Pune | 20 | 411001;411014;411057 | Maharashtra | Baner Road;Nagar Road;Hinjewadi Phase 1 Road
Gurugram | 124 | 122002;122018 | Haryana | Golf Course Road;Cyber City;Sohna Road""",
    ),
    (
        "AE",
        2,
        "FZ-LLC;LLC;FZE",
        "ae;com",
        "ae",
        "ae",
        "2.48 2.50 5.30 5.107 5.193 5.195 31.57 31.59 31.218 37.245 80.227 83.111 86.97 86.99 "
        "91.72 91.74 92.96 92.98 94.56 94.58 94.200 94.202 94.204 94.206",
        """
Dubai | 4 | | | Dubai Internet City;Dubai Silicon Oasis;DIFC Gate Avenue;Business Bay;Sheikh Zayed Road
Abu Dhabi | 2 | | | Al Maryah Island;Hub71, Al Khatem Tower;Corniche Road""",
    ),
    (
        "HK",
        3,
        "Limited",
        "com.hk;hk;com",
        "hk",
        "zh",
        "1.36 14.199 42.200 45.193 58.153 59.188 61.92 61.244 113.28 113.255 118.140 119.237 "
        "121.203 125.59 152.103 158.182 180.219 183.179 203.186 210.6 218.191 218.254 219.78 "
        "221.124",
        """
Hong Kong | 2 | | Sha Tin | Science Park West Avenue;Science Park East Avenue
Hong Kong | 2 | | Central | Queen's Road Central;Des Voeux Road Central;Connaught Road Central
Hong Kong | 2 | | Kowloon | Nathan Road;Canton Road;Hoi Bun Road""",
    ),
    (
        "CN",
        5,
        "Co., Ltd.",
        "com.cn;cn",
        "cn",
        "zh",
        "1.3 27.157 36.208 42.178 58.46 59.249 101.26 106.110 111.18 112.54 113.142 115.172 "
        "116.239 118.145 120.44 122.65 123.178 125.218 175.25 182.88 183.184 211.160 220.182 "
        "222.139",
        """
Shenzhen | 755 | 518057;518052;518000 | Guangdong | Keyuan Road, Nanshan District;Binhai Avenue, Nanshan District;Shennan Boulevard, Futian District
Beijing | 10 | 100080;100190;100085 | Beijing | Zhongguancun Street, Haidian District;Shangdi 10th Street, Haidian District;Jiuxianqiao Road, Chaoyang District
Shanghai | 21 | 200120;201203;200030 | Shanghai | Zhangjiang Road, Pudong New Area;Century Avenue, Pudong New Area;Caoxi North Road, Xuhui District
Hangzhou | 571 | 310052;310012 | Zhejiang | Wenyi West Road, Yuhang District;Wangshang Road, Binjiang District
Chengdu | 28 | 610041;610095 | Sichuan | Tianfu Avenue, Gaoxin District;Jiaozi Avenue, Gaoxin District""",
    ),
    (
        "FR",
        4,
        "SAS;SA;SARL",
        "fr;com;io",
        "fr",
        "fr",
        "2.3 37.173 77.159 78.199 78.254 81.67 82.242 83.214 86.196 86.235 88.141 89.82 90.20 "
        "90.63 90.114 92.93 92.169 93.29 109.190 137.129 156.28 163.88 176.134 176.173",
        """
Paris | 1 | 75002;75008;75009;75011;75013 | | rue du Faubourg Saint-Antoine;boulevard Haussmann;avenue de France;rue de Rivoli;rue du Sentier
Lyon | 4 | 69002;69003;69007 | | rue de la République;quai Perrache;cours Lafayette
Grenoble | 4 | 38000;38100 | | cours Berriat;avenue Alsace-Lorraine""",
    ),
    (
        "CA",
        4,
        "Inc.;Ltd.;Corp.",
        "ca;com",
        "ca",
        "en",
        "24.36 24.200 66.131 70.51 72.138 76.69 99.214 99.242 129.128 137.94 142.1 142.31 142.64 "
        "142.102 142.138 142.170 142.204 142.236 159.18 167.32 167.147 174.90 184.149 204.101",
        """
Toronto | 416 | M5V 2T6;M5J 2N8;M4W 1A5 | ON | King Street West;Spadina Avenue;Front Street West;Bloor Street East
Montréal | 514 | H2X 1Y4;H3B 4W8 | QC | rue Saint-Urbain;boulevard René-Lévesque Ouest;rue de la Gauchetière
Vancouver | 604 | V6B 1A1;V6C 3E8 | BC | West Hastings Street;Granville Street;West Georgia Street""",
    ),
    (
        "AU",
        3,
        "Pty Ltd",
        "com.au;au",
        "au",
        "en",
        "1.40 1.136 1.157 49.183 58.106 58.175 101.103 101.173 106.69 110.175 118.211 120.157 "
        "122.104 124.170 129.78 136.154 139.130 144.133 149.167 158.45 163.232 167.123 203.42 "
        "203.206",
        """
Sydney | 2 | 2000;2009;2060 | NSW | George Street;Pitt Street;Harris Street;Miller Street
Melbourne | 3 | 3000;3006;3121 | VIC | Collins Street;Bourke Street;Southbank Boulevard
Brisbane | 7 | 4000;4006 | QLD | Queen Street;Eagle Street;Ann Street""",
    ),
    (
        "NL",
        2,
        "B.V.",
        "nl;com",
        "eu",
        "nl",
        "24.132 62.163 77.166 80.112 82.170 84.25 85.147 87.210 92.110 109.33",
        """
Amsterdam | 20 | 1012 AB;1017 CE;1082 MD | | Herengracht;Keizersgracht;Strawinskylaan
Eindhoven | 40 | 5611 AZ;5656 AE | | High Tech Campus;Kennedyplein""",
    ),
    (
        "SE",
        1,
        "AB",
        "se",
        "eu",
        "se",
        "2.0 2.248 5.242 62.20 78.68 79.64 81.227 81.237 83.248 84.218",
        """
Stockholm | 8 | 111 20;114 46;113 59 | | Sveavägen;Kungsgatan;Birger Jarlsgatan""",
    ),
    (
        "CH",
        1,
        "AG;GmbH;SA",
        "ch",
        "eu",
        "de",
        "31.164 62.167 80.218 83.77 84.227 86.116 92.107 129.194 137.138 138.190",
        """
Zürich | 44 | 8001;8005;8045 | | Bahnhofstrasse;Hardturmstrasse;Pfingstweidstrasse
Lausanne | 21 | 1003;1015 | | Avenue de la Gare;Route Cantonale""",
    ),
    (
        "IT",
        1,
        "S.r.l.;S.p.A.",
        "it",
        "eu",
        "it",
        "2.32 2.193 5.90 37.100 62.86 79.4 79.33 79.63 81.115 82.84",
        """
Milano | 02 | 20121;20124;20154 | | Via Monte Napoleone;Corso Como;Via Tortona""",
    ),
    (
        "ES",
        1,
        "S.L.;S.A.",
        "es",
        "eu",
        "es",
        "2.136 31.4 46.136 77.208 79.144 80.25 80.102 81.45 83.37 83.54",
        """
Madrid | 91 | 28001;28046 | | Paseo de la Castellana;Calle de Alcalá
Barcelona | 93 | 08005;08018 | | Carrer de Pujades;Carrer de Llull""",
    ),
    (
        "TW",
        2,
        "Co., Ltd.;Corp.",
        "com.tw;tw",
        "tw",
        "zh",
        "1.35 27.240 36.237 42.72 59.105 60.249 61.217 101.12 110.29 111.249",
        """
Taipei | 2 | 110;114;105 | | Xinyi Road Section 5, Xinyi District;Ruiguang Road, Neihu District;Dunhua South Road Section 2, Da'an District
Hsinchu | 3 | 300 | | Science Park Road, East District;Gongye East Road, East District""",
    ),
    (
        "MY",
        1,
        "Sdn. Bhd.",
        "com.my;my",
        "intl",
        "my",
        "1.9 42.153 42.188 42.191 49.124 58.139 60.50 60.53 113.210 115.132",
        """
Kuala Lumpur | 3 | 50450;50250;59200 | | Jalan Ampang;Jalan Sultan Ismail;Jalan Bangsar
Cyberjaya | 3 | 63000 | | Persiaran APEC;Jalan Teknokrat 5""",
    ),
    (
        "TH",
        1,
        "Co., Ltd.",
        "co.th;com",
        "intl",
        "th",
        "1.20 27.130 49.49 49.231 58.11 61.90 101.109 110.169 112.142 114.128",
        """
Bangkok | 2 | 10110;10330;10500 | | Sukhumvit Road;Rama IV Road;Sathorn Road""",
    ),
    (
        "ID",
        1,
        "PT",
        "co.id;id",
        "intl",
        "id",
        "36.64 36.74 36.83 36.92 39.197 39.206 39.215 39.224 39.233 39.242",
        """
Jakarta | 21 | 10220;12190;12950 | | Jalan Jenderal Sudirman;Jalan M.H. Thamrin;Jalan H.R. Rasuna Said""",
    ),
    (
        "VN",
        1,
        "JSC;Co., Ltd.",
        "vn;com.vn",
        "intl",
        "vn",
        "1.52 14.165 14.174 14.183 14.225 14.234 14.243 14.252 27.67 27.77",
        """
Ho Chi Minh City | 28 | 700000 | | Nguyen Hue Boulevard;Le Duan Street
Hanoi | 24 | 100000 | | Duy Tan Street;Tran Duy Hung Street""",
    ),
    (
        "BR",
        1,
        "Ltda.;S.A.",
        "com.br",
        "eu",
        "br",
        "177.9 177.64 177.120 177.171 177.218 179.96 179.143 179.188 179.235 186.207",
        """
São Paulo | 11 | 01310-100;04538-133;05425-070 | | Avenida Paulista;Avenida Brigadeiro Faria Lima;Rua Funchal""",
    ),
    (
        "IL",
        1,
        "Ltd.",
        "co.il;com",
        "eu",
        "il",
        "2.52 2.55 31.168 46.117 46.210 62.219 77.126 77.139 79.178 79.182",
        """
Tel Aviv | 3 | 6789141;6701101 | | Rothschild Boulevard;Menachem Begin Road
Haifa | 4 | 3190500 | | Matam Park;HaAtzmaut Road""",
    ),
    (
        "IE",
        1,
        "Limited;DAC",
        "ie;com",
        "intl",
        "en",
        "62.9 62.223 63.34 78.17 79.97 83.71 86.41 86.45 87.32 87.35",
        """
Dublin | 1 | D02 X285;D04 T6F4;D02 F205 | | Grand Canal Square;Sir John Rogerson's Quay;Barrow Street""",
    ),
    (
        "MO",
        0,
        "Limitada",
        "com.mo",
        "eu",
        "zh",
        "60.246 161.64",
        """
Macau | 28 | | | Avenida da Praia Grande;Rua de Pequim""",
    ),
]

COUNTRIES: dict[str, Country] = {
    code: Country(
        code,
        float(weight),
        _cities(cities),
        tuple(suffixes.split(";")),
        tuple(tlds.split(";")),
        style,
        people,
        tuple(nets.split()),
    )
    for code, weight, suffixes, tlds, style, people, nets, cities in _TABLE
}


@cache
def d5_or_macau() -> frozenset[str]:
    """Countries in Country Group D:5 or Macau under the country-groups pack, with those the
    EAR treats as one of them (Hong Kong as China)."""
    data = select("country-groups").data
    members = set(data["groups"]["D:5"]["members"]) | set(data["groups"]["Macau"]["members"])
    members |= {c for c, rule in data.get("treated_as", {}).items() if rule["as"] in members}
    return frozenset(members)


def address(rng: random.Random, country: str, city: City | None = None) -> tuple[City, str]:
    """(the city, a street address in the country's usual layout)."""
    c = COUNTRIES[country]
    city = city or rng.choice(c.cities)
    street = rng.choice(city.streets)
    n = rng.randint(1, 480)
    post = rng.choice(city.postcodes) if city.postcodes else ""
    floor, unit = rng.randint(2, 38), rng.randint(1, 40)
    s = c.style
    if s == "us":
        return city, f"{n} {street}, Suite {floor}{unit:02d}, {city.name}, {city.region} {post}"
    if s == "sg":
        return city, f"{n} {street}, #{floor:02d}-{unit:02d}, Singapore {post}"
    if s == "jp":
        block = f"{rng.randint(1, 6)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}"
        return city, f"{block} {street}, {city.name} {post}"
    if s == "de":
        return city, f"{street} {n}, {post} {city.name}"
    if s in ("gb", "au", "ca"):
        lead = f"Level {floor}, " if s == "au" else ""
        region = f" {city.region}" if city.region and s != "gb" else ""
        return city, f"{lead}{n} {street}, {city.name}{region} {post}"
    if s == "kr":
        return city, f"{floor}F, {n} {street}, {city.region}, {city.name} {post}"
    if s == "in":
        return city, f"{n}, {street}, {city.name}, {city.region} {post}"
    if s == "ae":
        building = rng.randint(1, 20)
        return city, f"Office {floor}{unit:02d}, Building {building}, {street}, {city.name}"
    if s == "hk":
        return city, f"Unit {unit:02d}, {floor}/F, {n} {street}, {city.region}, Hong Kong"
    if s == "tw":
        return city, f"{floor}F, No. {n}, {street}, {city.name} {post}"
    if s == "cn":
        region = "" if city.region == city.name else f", {city.region}"
        return city, f"Room {floor}{unit:02d}, No. {n} {street}, {city.name}{region} {post}"
    if s == "fr":
        return city, f"{n} {street}, {post} {city.name}"
    if s == "intl":
        return city, f"{n} {street}, {city.name} {post}".strip()
    return city, f"{street} {n}, {post} {city.name}".replace("  ", " ")


class AddressBook:
    """Public IPv4 addresses by country, each /24 handed out once, so accounts share an
    address only when a caller shares it on purpose."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._free: dict[str, list[int]] = {}

    def _pool(self, country: str) -> list[int]:
        if country not in self._free:
            nets = located_networks(country)
            blocks = [(n << 8) + i for n in nets for i in range(256)]  # /24 numbers
            self._rng.shuffle(blocks)
            self._free[country] = blocks
        return self._free[country]

    def subnet(self, country: str) -> int:
        """A fresh /24 of the country, as the integer of its first address >> 8."""
        pool = self._pool(country)
        if not pool:
            raise ValueError(f"no more /24 networks for {country}")
        return pool.pop()

    def host(self, subnet: int) -> str:
        return str(ipaddress.IPv4Address((subnet << 8) + self._rng.randint(2, 250)))


@cache
def located_networks(country: str) -> tuple[int, ...]:
    """The country's /16s (as integers of their first address >> 16) that the bundled
    database still places in the country as a whole."""
    locator = GeoLocator()
    out = []
    for net in COUNTRIES[country].networks:
        a, b = (int(x) for x in net.split("."))
        answer = locator.lookup(f"{a}.{b}.0.1")
        prefix = int((answer.network or "/99").rsplit("/", 1)[-1])
        if answer.country == country and prefix <= 16:
            out.append((a << 8) + b)
    if not out:
        raise ValueError(f"the geolocation database places none of the {country} networks there")
    return tuple(out)
