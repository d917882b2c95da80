"""lists/ of the sample: clearly fictional listed parties the planted cases use (fictional.csv),
and the rows of the bundled sample list (src/cloudkyc/lists/sample/watchlist.csv) as sample.csv,
in the internal watchlist format (id,name,aliases,type,country,address,identifiers,program,list)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from cloudkyc.lists.watchlist import COLUMNS

LIST_NAME = "sample-fictional"
PROGRAM = "FICTIONAL — sample data only"


@dataclass(frozen=True)
class Listed:
    id: str
    name: str
    aliases: tuple[str, ...]
    type: str  # organization or person
    country: str
    address: str

    @property
    def party_id(self) -> str:
        return f"{LIST_NAME}:{self.id}"

    def row(self) -> list[str]:
        return [
            self.id,
            self.name,
            ";".join(self.aliases),
            self.type,
            self.country,
            self.address,
            "",
            PROGRAM,
            LIST_NAME,
        ]


def _l(id: str, name: str, aliases: str, kind: str, country: str, address: str) -> Listed:
    return Listed(id, name, tuple(a for a in aliases.split(";") if a), kind, country, address)


# beneficial owners of planted customers
OWNERS = (
    _l(
        "orion",
        "Orion Dual Use Trading Ltd",
        "Orion Dual-Use Trading Limited;猎户座两用贸易有限公司;Orion DUT",
        "organization",
        "HK",
        "(fictional) Room 1802, 18/F, 7 Kwai Foo Road, Kwai Chung, Hong Kong",
    ),
    _l(
        "kaskad",
        "Kaskad Precision Instruments JSC",
        "AO Kaskad Precision Instruments;Каскад Прецизионные Приборы",
        "organization",
        "RU",
        "(fictional) 14 Promyshlennaya Street, Yekaterinburg",
    ),
    _l(
        "varganov",
        "Ilya Sergeyevich Varganov",
        "Ilya Varganov;Ilia Varganov;Илья Варганов",
        "person",
        "RU",
        "(fictional) Moscow",
    ),
    _l(
        "sable",
        "Sable Meridian Holdings Ltd",
        "Sable Meridian Holdings Limited;SMH Ltd",
        "organization",
        "VG",
        "(fictional) Road Town, Tortola",
    ),
    _l("qiu", "Qiu Zhenhai", "邱振海;Chiu Chun-hoi", "person", "CN", "(fictional) Shenzhen"),
    _l(
        "tarsus",
        "Tarsus Advanced Materials FZE",
        "Tarsus Advanced Materials",
        "organization",
        "AE",
        "(fictional) Hamriyah Free Zone, Sharjah",
    ),
    _l(
        "hollis",
        "Marek Hollis-Draganov",
        "Marek Hollis Draganov;Marek Draganov",
        "person",
        "CY",
        "(fictional) Limassol",
    ),
    _l(
        "pamir",
        "Pamir Vector Logistics LLC",
        "Pamir Vector Logistics;Памир Вектор Логистикс",
        "organization",
        "KG",
        "(fictional) Bishkek",
    ),
)

# listed Chinese names a planted customer carries as its name_local
LOCAL_NAMES = (
    _l(
        "beifang",
        "北方星辰智能科技有限公司",
        "Beifang Xingchen Zhineng Keji Youxian Gongsi;Northern Star Intelligent Technology Co., "
        "Ltd.;Beifang Xingchen Intelligent Technology Co., Ltd.",
        "organization",
        "CN",
        "(fictional) Haidian District, Beijing",
    ),
    _l(
        "tianshu",
        "天枢远航电子研究所",
        "Tianshu Yuanhang Electronics Research Institute;Tianshu Yuanhang Dianzi Yanjiusuo",
        "organization",
        "CN",
        "(fictional) Xi'an, Shaanxi",
    ),
    _l(
        "xuanniao",
        "玄鸟量子计算有限公司",
        "Xuanniao Quantum Computing Co., Ltd.;Xuanniao Liangzi Jisuan",
        "organization",
        "CN",
        "(fictional) Hefei, Anhui",
    ),
    _l(
        "chixiao",
        "赤霄微系统科技有限公司",
        "Chixiao Microsystems Technology Co., Ltd.;Chixiao Weixitong Keji",
        "organization",
        "CN",
        "(fictional) Chengdu, Sichuan",
    ),
    _l(
        "qingming",
        "青冥算力科技有限公司",
        "Qingming Computing Power Technology Co., Ltd.;Qingming Suanli Keji",
        "organization",
        "CN",
        "(fictional) Guiyang, Guizhou",
    ),
    _l(
        "yexiao",
        "夜枭数据服务有限公司",
        "Yexiao Data Services Co., Ltd.;Yexiao Shuju Fuwu",
        "organization",
        "CN",
        "(fictional) Tianjin",
    ),
)

# declared end users of planted resellers (none in D:5 or Macau)
END_USERS = (
    _l(
        "falcon",
        "Falcon Crest Avionics FZE",
        "Falcon Crest Avionics",
        "organization",
        "AE",
        "(fictional) Dubai Airport Free Zone",
    ),
    _l(
        "zenith",
        "Zenith Array Engineering Pte. Ltd.",
        "Zenith Array Engineering",
        "organization",
        "SG",
        "(fictional) Tuas, Singapore",
    ),
    _l(
        "ostrava",
        "Ostrava Kinetic Systems s.r.o.",
        "Ostrava Kinetic Systems",
        "organization",
        "CZ",
        "(fictional) Ostrava",
    ),
    _l(
        "halcyon",
        "Halcyon Drift Aerospace Sdn. Bhd.",
        "Halcyon Drift Aerospace",
        "organization",
        "MY",
        "(fictional) Subang, Selangor",
    ),
    _l(
        "vasquez",
        "Teodor Vasquez-Lind",
        "Teodor Vasquez Lind;Theodore Vasquez-Lind",
        "person",
        "PA",
        "(fictional) Panama City",
    ),
    _l(
        "marlin",
        "Blue Marlin Defense Electronics Ltd",
        "Blue Marlin Defence Electronics",
        "organization",
        "TR",
        "(fictional) Ankara",
    ),
)

FICTIONAL = OWNERS + LOCAL_NAMES + END_USERS


@cache
def bundled_rows() -> tuple[dict[str, str], ...]:
    """The rows of the bundled sample list, read from the installed package once."""
    text = resources.files("cloudkyc.lists").joinpath("sample/watchlist.csv").read_text("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def all_names() -> list[str]:
    """Every name and alias on the sample's watchlist: no ordinary party may use their words."""
    out = [n for p in FICTIONAL for n in (p.name, *p.aliases)]
    for row in bundled_rows():
        out.append(row["name"])
        out += [a for a in row["aliases"].split(";") if a.strip()]
    return out


def write(folder: Path) -> int:
    """Write the planted parties to fictional.csv and the bundled sample list, as it is, to
    sample.csv (one list per file, so each loads as its own source beside a store that holds
    the bundled list already); returns the number of parties."""
    folder.mkdir(parents=True, exist_ok=True)
    bundled = bundled_rows()
    with (folder / "fictional.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(COLUMNS)
        for party in FICTIONAL:
            out.writerow(party.row())
    with (folder / "sample.csv").open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(COLUMNS)
        for row in bundled:
            out.writerow([row.get(c, "") for c in COLUMNS])
    return len(FICTIONAL) + len(bundled)
