"""Small OFAC CSV sets, written where a test needs them: our own fictional rows in the official
layouts, with CRLF line ends and (but for one file, which tests the reader without it) the
trailing Ctrl-Z line. The official files' names are what the reader finds a set by, so the
files are made under those names in a temporary directory rather than kept in the repository.

  sdn   the SDN trio and its comments file: a company, a person, a reseller with many
        identifiers, a vessel, a short row and a row without a name
  aux   aliases, addresses and comments without the primary file
  cons  the consolidated (non-SDN) set: EXAMPLE MICROELECTRONICS and EXAMPLE BANK
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

# set -> file -> (rows, ends with the Ctrl-Z line)
SETS: dict[str, dict[str, tuple[tuple[str, ...], bool]]] = {
    "sdn": {
        "sdn.csv": (
            (
                (
                    '101,"SHENZHEN EXAMPLE COMPUTE TECHNOLOGY CO., LTD.",-0- ,"NPWMD] [IFSR",-0- '
                    ',-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Website www.example-compute.test; Unified '
                    "Social Credit Code (USCC) 91440300MA5EXAMP0C (China); a.k.a. 'SZ EXAMPLE'.\""
                ),
                (
                    '102,"ZHANG, Example","individual","NPWMD",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
                    ',"DOB 01 Jan 1970; nationality China; Passport E12345678 (China); Gender '
                    "Male; Identification Number 110101197001010011 (China); Linked To: SHENZHEN "
                    'EXAMPLE COMPUTE TECHNOLOGY CO., LTD."'
                ),
                (
                    '103,"EXAMPLE CLOUD RESELLER LIMITED",-0- ,"NPWMD",-0- ,-0- ,-0- ,-0- ,-0- '
                    ',-0- ,-0- ,"C.R. No. 1234567 (Hong Kong); Registration Number 7654321 '
                    "(Singapore); alt. Issuer Name Example Cloud Reseller Ltd; SWIFT/BIC "
                    "EXMPHKHH; Legal Entity Number 549300EXAMPLE0000073; Executive Order 13846 "
                    "information: LOANS FROM UNITED STATES FINANCIAL INSTITUTIONS. Sec. 5(a)(i); "
                    'Tax ID No. 12-3456"'
                ),
                (
                    '104,"EXAMPLE STAR",vessel,"IRAN",-0- ,"9ABC1","Crude Oil Tanker",-0- ,-0- '
                    ',"Iran",-0- ,"Vessel Registration Identification IMO 9123456; MMSI '
                    '422000001."'
                ),
                '105,"SHORT ROW",-0- ,"SDGT"',
                '106,-0- ,-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
            ),
            True,
        ),
        "alt.csv": (
            (
                '101,1001,"aka","SHENZHEN EXAMPLE COMPUTE",-0- ',
                '101,1002,"fka","EXAMPLE COMPUTE (SHENZHEN) CO LTD",-0- ',
                '102,1003,"aka","ZHANG, Ex",-0- ',
                '103,1004,"aka",-0- ,-0- ',
                '999,1005,"aka","NOBODY",-0- ',
            ),
            True,
        ),
        "add.csv": (
            (
                (
                    '101,2001,"1 Example Road, Nanshan District","Shenzhen, Guangdong '
                    '518000","China",-0- '
                ),
                '102,2002,-0- ,-0- ,"China",-0- ',
                '103,2003,"Unit 1, 2/F, Example Tower","Kowloon","Hong Kong",-0- ',
                '103,2004,-0- ,"Macau","Macau",-0- ',
                "104,2005,-0- ,-0- ,-0- ,-0- ",
            ),
            True,
        ),
        "sdn_comments.csv": (
            ('103,"8 (Hong Kong)."',),
            False,
        ),
    },
    "aux": {
        "alt.csv": (
            (
                '301,5001,"aka","FIRST ALIAS TRADING LLC",-0- ',
                '301,5002,"aka","SECOND ALIAS TRADING",-0- ',
                '302,5003,"fka","OLD NAME GROUP",-0- ',
            ),
            True,
        ),
        "add.csv": (
            (
                '301,6001,"1 Harbour Road","Wan Chai","Hong Kong",-0- ',
                '303,6002,-0- ,"Dubai","United Arab Emirates",-0- ',
            ),
            True,
        ),
        "sdn_comments.csv": (
            ('301,"ration Number 7654321 (Hong Kong)."',),
            True,
        ),
    },
    "cons": {
        "cons_prim.csv": (
            (
                (
                    '201,"EXAMPLE MICROELECTRONICS CO., LTD.",-0- ,"CMIC-EO13959",-0- ,-0- ,-0- '
                    ',-0- ,-0- ,-0- ,-0- ,"Equity Ticker 600000  CN; Issuer Name Example '
                    "Microelectronics Co., Ltd; ISIN CNE10000ABC2; alt. ISIN US0000EXAMP0; "
                    "Target Type Public Company; Unified Social Credit Code (USCC) "
                    '91110000100000000R (China)."'
                ),
                (
                    '202,"EXAMPLE BANK JSC",-0- ,"UKRAINE-EO13662] [RUSSIA-EO14024",-0- ,-0- '
                    ',-0- ,-0- ,-0- ,-0- ,-0- ,"SWIFT/BIC EXBKRUMM; Tax ID No. 7700000000 '
                    '(Russia); Registration Numbe"'
                ),
            ),
            True,
        ),
        "cons_add.csv": (
            (
                '201,4001,"9 Sample Street","Wuxi, Jiangsu","China",-0- ',
                '202,4002,-0- ,"Moscow","Russia",-0- ',
            ),
            True,
        ),
        "cons_alt.csv": (
            ('201,3001,"aka","EXAMPLE MICRO",-0- ',),
            True,
        ),
        "cons_comments.csv": (
            ("202,\"r 1027700000000 (Russia); a.k.a. 'EXBANK'.\"",),
            True,
        ),
    },
}


@cache
def ofac_set(name: str) -> Path:
    """A directory holding the set, made once per test run and removed at exit."""
    path = Path(tempfile.mkdtemp(prefix=f"cloudkyc-ofac-{name}-"))
    atexit.register(shutil.rmtree, path, True)
    for file, (rows, ctrl_z) in SETS[name].items():
        text = "".join(row + "\r\n" for row in rows).encode()
        (path / file).write_bytes(text + (b"\x1a" if ctrl_z else b""))
    return path
