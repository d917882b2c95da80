"""Names of sample companies and people: Latin brand names built from syllables, Chinese
company names in their own script with their pinyin English names, and people's names from
per-language pools. `Names` hands each name out once, so two ordinary customers never share
a name (or a beneficial owner) by accident, and no ordinary name uses a word of a listed one.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache

from pypinyin import lazy_pinyin

# brand syllables: a start, an optional middle and an ending; "Velora", "Quantivex"
_START = [
    "Vel",
    "Lum",
    "Ard",
    "Nov",
    "Cal",
    "Zen",
    "Quant",
    "Tri",
    "Sol",
    "Mer",
    "Kal",
    "Lyr",
    "Bren",
    "Cor",
    "Dav",
    "Ell",
    "Fen",
    "Gal",
    "Hal",
    "Ist",
    "Jov",
    "Kest",
    "Lan",
    "Mav",
    "Nim",
    "Ost",
    "Pel",
    "Ren",
    "Sil",
    "Tam",
    "Ul",
    "Var",
    "Wyn",
    "Xan",
    "Yar",
    "Zor",
    "Bel",
    "Cin",
    "Dex",
    "Ebb",
    "Fal",
    "Gor",
    "Hex",
]
_MIDDLE = ["a", "i", "o", "e", "u", "an", "el", "ir", "on", "ar"]
_END = [
    "ora",
    "ix",
    "ent",
    "ica",
    "ium",
    "os",
    "ara",
    "eon",
    "iq",
    "ity",
    "ana",
    "ova",
    "eo",
    "ys",
    "ida",
    "exa",
    "ion",
    "um",
    "iva",
    "ant",
    "ero",
    "yx",
    "era",
    "ine",
    "une",
    "ace",
    "ode",
    "ide",
    "ure",
]
_WORDS = [
    "Blue",
    "Harbor",
    "Granite",
    "Peak",
    "Silver",
    "Birch",
    "Copper",
    "Leaf",
    "Maple",
    "Ridge",
    "Iron",
    "Bridge",
    "Clear",
    "Water",
    "Stone",
    "Field",
    "Red",
    "Cedar",
    "Bright",
    "Path",
    "Tall",
    "Pine",
    "River",
    "Bend",
    "Quiet",
    "Lake",
    "Open",
    "Sky",
    "Green",
    "Valley",
    "Cobalt",
    "Bay",
    "Amber",
    "Hill",
    "Swift",
    "Current",
    "White",
    "Oak",
    "Deep",
    "Root",
    "Tide",
    "Line",
    "High",
    "Meadow",
    "Long",
    "Shore",
]

INDUSTRIES = {
    "Analytics": ("customer analytics", "demand forecasting"),
    "AI": ("LLM inference API", "LLM fine-tuning", "model training"),
    "Robotics": ("robot policy training", "simulation"),
    "Data": ("data pipelines", "embedding generation"),
    "Labs": ("research notebooks", "model training"),
    "Systems": ("inference serving", "batch rendering"),
    "Software": ("code assistant inference", "CI builds with GPU tests"),
    "Technologies": ("computer vision inference", "model training"),
    "Bio": ("protein structure inference", "genomics pipelines"),
    "Vision": ("video analytics inference", "image model training"),
    "Media": ("video transcoding", "image generation inference"),
    "Games": ("game asset generation", "rendering"),
    "Health": ("medical imaging inference", "clinical NLP"),
    "Logistics": ("route optimisation", "demand forecasting"),
    "Trading": ("market data analytics", "risk models"),
    "Fintech": ("fraud detection models", "document OCR inference"),
    "Energy": ("grid forecasting", "seismic imaging"),
    "Research": ("research notebooks", "model training"),
    "Intelligence": ("LLM inference API", "speech recognition"),
    "Digital": ("recommendation models", "search ranking"),
    "Mobility": ("autonomous driving perception training", "simulation"),
    "Security": ("threat detection models", "log analytics"),
}

# Chinese trade names: two characters from this pool (none that a listed name uses)
_ZIHAO = "恒腾达信联安博瑞鑫泰宏盛嘉和汇卓越思源凯拓明睿康润丰佳图灵峰朗景昊诚启坤翔"
_ZH_INDUSTRY = {
    "科技": "Technology",
    "智能科技": "Intelligent Technology",
    "数据科技": "Data Technology",
    "信息技术": "Information Technology",
    "网络科技": "Network Technology",
    "软件": "Software",
    "人工智能科技": "Artificial Intelligence Technology",
    "云计算科技": "Cloud Computing Technology",
}
ZH_CITIES = {
    "Shenzhen": "深圳市",
    "Beijing": "北京",
    "Shanghai": "上海",
    "Hangzhou": "杭州",
    "Chengdu": "成都",
}

_PEOPLE: dict[str, tuple[str, str, bool]] = {  # given names, family names, family first
    "en": (
        "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Susan "
        "Richard Jessica Joseph Sarah Thomas Karen Daniel Nancy Matthew Lisa Anthony Betty "
        "Mark Sandra Andrew Ashley Joshua Emily Kevin Michelle Brian Amanda Ryan Melissa "
        "Jacob Rebecca Nicholas Laura Eric Hannah Jonathan Rachel Samuel Olivia Benjamin Grace",
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
        "Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
        "Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips "
        "Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper "
        "Peterson Bailey Reed Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray",
        False,
    ),
    "sg": (
        "Wei Ling Jun Hui Mei Kai Xin Zhi Jia Hao Siew Boon Chee Kok Li Ying",
        "Tan Lim Lee Ng Ong Wong Goh Chua Chan Koh Teo Ang Yeo Tay Ho Low Toh Sim Chong Chia",
        True,
    ),
    "jp": (
        "Hiroshi Takashi Kenji Yuki Haruto Sota Yui Aoi Akira Naoki Satoshi Kaori Emi Ryo "
        "Daisuke Shota Yuka Mai Kazuki Tomoko",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida "
        "Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Mori",
        False,
    ),
    "de": (
        "Lukas Anna Jonas Lena Felix Marie Paul Laura Maximilian Julia Leon Sophie Tobias "
        "Katharina Florian Johanna Stefan Sabine Matthias Claudia",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter "
        "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hartmann Lange Werner",
        False,
    ),
    "kr": (
        "Min-jun Seo-yeon Ji-hoon Ji-woo Hyun-woo Soo-ah Dong-hyun Ye-jin Jae-won Eun-ji "
        "Sung-min Hye-jin Tae-yang Da-eun",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang",
        True,
    ),
    "in": (
        "Aarav Vivaan Aditya Priya Ananya Rohan Arjun Kavya Ishaan Neha Rahul Pooja Vikram "
        "Sneha Karthik Divya Sanjay Meera Rajesh Lakshmi",
        "Sharma Verma Gupta Iyer Nair Reddy Rao Patel Mehta Joshi Kulkarni Menon Agarwal Bose "
        "Chatterjee Desai Pillai Krishnan Malhotra Banerjee",
        False,
    ),
    "ae": (
        "Ahmed Mohammed Fatima Omar Aisha Khalid Mariam Hamad Noura Saeed Layla Rashid",
        "Al Mansoori;Al Nuaimi;Al Shamsi;Al Ketbi;Al Hashimi;Al Suwaidi;Al Mazrouei;Al Falasi",
        False,
    ),
    "zh": (
        "Wei Fang Jing Lei Min Jun Yan Hao Xin Tao Ying Qiang Li Ning Bo Yu Jie Chen Yun Kai",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo",
        True,
    ),
    "fr": (
        "Camille Louis Léa Hugo Chloé Lucas Manon Jules Inès Arthur Sarah Nathan Claire Antoine",
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
        "Lefebvre Michel Garcia Fournier",
        False,
    ),
    "nl": (
        "Daan Sem Lotte Emma Bram Sanne Thijs Anouk Ruben Fleur",
        "de Jong;Jansen;de Vries;van den Berg;van Dijk;Bakker;Visser;Smit;Meijer;de Boer",
        False,
    ),
    "se": (
        "Erik Anna Lars Karin Johan Elin Oskar Sara Nils Maja",
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Lindqvist",
        False,
    ),
    "it": (
        "Marco Giulia Luca Francesca Matteo Chiara Alessandro Sara Lorenzo Elena",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco",
        False,
    ),
    "es": (
        "Pablo Lucía Javier María Alejandro Paula Daniel Carmen Sergio Laura",
        "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Ruiz",
        False,
    ),
    "my": (
        "Ahmad Nurul Siti Hafiz Aiman Farah Kumar Mei Ling Arif",
        "bin Ismail;binti Hassan;bin Abdullah;Rahman;Tan;Lim;Subramaniam;Wong;Yusof;Ibrahim",
        False,
    ),
    "th": (
        "Somchai Suda Anan Kanya Niran Ploy Arthit Malee Krit Nicha",
        "Saetang Srisuk Wongsakul Chaiyaporn Boonmee Rattanakorn Thongchai Kittisak",
        False,
    ),
    "id": (
        "Budi Siti Agus Dewi Rizky Putri Andi Ayu Fajar Intan",
        "Santoso Wijaya Saputra Pratama Hidayat Kusuma Nugroho Halim Setiawan Gunawan",
        False,
    ),
    "vn": (
        "Anh Minh Linh Huy Trang Duc Thao Nam Hoa Tuan",
        "Nguyen Tran Le Pham Hoang Huynh Vo Dang Bui Do",
        True,
    ),
    "br": (
        "João Maria Pedro Ana Lucas Juliana Gabriel Fernanda Rafael Camila",
        "Silva Santos Oliveira Souza Lima Pereira Costa Rodrigues Almeida Carvalho",
        False,
    ),
    "il": (
        "Noam Yael Itai Tamar Omer Noa Eitan Maya Yonatan Shira",
        "Cohen Levi Mizrahi Peretz Biton Friedman Avraham Katz Shapiro Ben-David",
        False,
    ),
}
_ZH_PERSON_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_ZH_PERSON_GIVEN = "伟芳静磊敏军艳浩欣涛颖强丽宁波宇杰晨云凯"


@cache
def _pool(text: str) -> list[str]:
    return [x.strip() for x in (text.split(";") if ";" in text else text.split()) if x.strip()]


@dataclass(frozen=True)
class OrgName:
    name: str  # as registered, Latin script
    name_local: str | None  # in its own script (Chinese), when it has one
    brand: str  # the distinctive part, also the email domain's stem
    industry: str  # a key of INDUSTRIES


def _tokens(text: str) -> set[str]:
    """Words of a name, and each pair of neighbours run together ("Guo Fang" -> guofang, as
    a listed alias may spell it)."""
    words = [w for w in re.split(r"[^a-z]+", text.lower()) if w]
    pairs = {a + b for a, b in zip(words, words[1:], strict=False)}
    return {w for w in words if len(w) > 2} | pairs


class Names:
    """Hands out unique names. `avoid`: names whose distinctive words must never appear in
    an ordinary name (the listed parties), and whose characters no Chinese name may share."""

    def __init__(self, rng: random.Random, avoid: list[str]) -> None:
        self._rng = rng
        self._brands: set[str] = set()
        self._zihao: set[str] = set()
        self._people: set[tuple[str, str]] = set()
        self._avoid_words = set().union(*(_tokens(a) for a in avoid)) if avoid else set()
        generic = set("有限公司科技技术智能信息数据网络软件计算研究所电子服务份")
        chars = {c for a in avoid for c in a if "\u4e00" <= c <= "\u9fff"} - generic
        self._zh_pool = [c for c in _ZIHAO if c not in chars]

    def brand(self) -> str:
        rng = self._rng
        for attempt in range(1000):
            roll = rng.random()
            if attempt > 100:  # the short forms are taken: a two-word brand
                brand = rng.choice(_START) + rng.choice(_MIDDLE) + rng.choice(_END)
                brand += " " + rng.choice(_WORDS)
            elif roll < 0.45:
                brand = rng.choice(_START) + rng.choice(_END)
            elif roll < 0.85:
                brand = rng.choice(_START) + rng.choice(_MIDDLE) + rng.choice(_END)
            else:
                first, second = rng.sample(_WORDS, 2)
                brand = f"{first} {second}"
            key = brand.lower()
            if key not in self._brands and not _tokens(brand) & self._avoid_words:
                self._brands.add(key)
                return brand
        raise ValueError("ran out of brand names")  # pragma: no cover

    def organization(self, country: str, suffixes: tuple[str, ...], city: str) -> OrgName:
        rng = self._rng
        industry = rng.choice(list(INDUSTRIES))
        if country in ("CN", "HK", "TW", "MO"):
            return self._chinese(country, suffixes, city)
        brand = self.brand()
        suffix = rng.choice(suffixes)
        if suffix == "PT":
            return OrgName(f"PT {brand} {industry} Indonesia", None, brand, industry)
        sep = ", " if suffix in ("Inc.", "LLC") and rng.random() < 0.5 else " "
        words = f"{brand} {industry}" if rng.random() < 0.8 else brand
        return OrgName(f"{words}{sep}{suffix}", None, brand, industry)

    def _chinese(self, country: str, suffixes: tuple[str, ...], city: str) -> OrgName:
        rng = self._rng
        for _ in range(1000):
            size = 2 if len(self._zihao) < 900 else 3
            zihao = "".join(rng.sample(self._zh_pool, size))
            if zihao not in self._zihao:
                self._zihao.add(zihao)
                break
        else:  # pragma: no cover
            raise ValueError("ran out of Chinese trade names")
        zh_industry = rng.choice(list(_ZH_INDUSTRY))
        en_industry = _ZH_INDUSTRY[zh_industry]
        pinyin = "".join(lazy_pinyin(zihao)).capitalize()
        industry = "AI" if "智能" in zh_industry else "Technologies"
        self._brands.add(pinyin.lower())
        if country == "CN":
            prefix = ZH_CITIES.get(city, "")
            city_en = city + " " if prefix else ""
            local = f"{prefix}{zihao}{zh_industry}有限公司"
            return OrgName(f"{city_en}{pinyin} {en_industry} Co., Ltd.", local, pinyin, industry)
        local = traditional(f"{zihao}{zh_industry}{'股份' if country == 'TW' else ''}有限公司")
        suffix = rng.choice(suffixes)
        return OrgName(f"{pinyin} {en_industry} {suffix}", local, pinyin, industry)

    def person(self, pool: str, country: str, *, local_script: bool = False) -> str:
        """A person's name unique among the (name, country) pairs handed out so far."""
        rng = self._rng
        given, family, family_first = _PEOPLE[pool]
        givens, families = _pool(given), _pool(family)
        for attempt in range(200):
            if local_script and pool == "zh":
                name = rng.choice(_ZH_PERSON_FAMILY) + "".join(
                    rng.sample(_ZH_PERSON_GIVEN, 1 + (attempt > 20 or rng.random() < 0.6))
                )
            else:
                g, f = rng.choice(givens), rng.choice(families)
                if attempt > 20:  # a middle initial, or a second given name
                    g = f"{g} {rng.choice('ABCDEFGHJKLMNPRSTW')}." if not family_first else g
                    g = f"{g} {rng.choice(givens)}" if family_first else g
                name = f"{f} {g}" if family_first else f"{g} {f}"
            if local_script and country in ("HK", "TW", "MO"):
                name = traditional(name)
            key = (name, country)
            if key not in self._people and not _tokens(name) & self._avoid_words:
                self._people.add(key)
                return name
        raise ValueError(f"ran out of {pool} names")  # pragma: no cover

    def claim(self, name: str, country: str) -> None:
        """Reserve a name a planted case uses, so no ordinary party gets it."""
        self._people.add((name, country))
        self._brands.add(name.lower())


@cache
def _converter() -> object:
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """Simplified to traditional characters (for Hong Kong, Taiwan and Macau names)."""
    return str(_converter().convert(text))  # type: ignore[attr-defined]
