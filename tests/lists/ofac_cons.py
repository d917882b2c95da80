"""A small OFAC consolidated (non-SDN) CSV set, written where a test needs it: our own
fictional rows (EXAMPLE MICROELECTRONICS, EXAMPLE BANK) in the official layout, with its
CRLF line ends and the trailing Ctrl-Z line; the official files' names are what the reader
finds the set by, so the files are made under those names rather than kept in the repository."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

# each file's rows, written with CRLF line ends and the Ctrl-Z line the official files end with
ROWS = {
    "cons_prim.csv": (
        '201,"EXAMPLE MICROELECTRONICS CO., LTD.",-0- ,"CMIC-EO13959",-0- ,-0- ,-0- ,-0- ,-0- ,'
        '-0- ,-0- ,"Equity Ticker 600000  CN; Issuer Name Example Microelectronics Co., Ltd; '
        "ISIN CNE10000ABC2; alt. ISIN US0000EXAMP0; Target Type Public Company; Unified Social "
        'Credit Code (USCC) 91110000100000000R (China)."',
        '202,"EXAMPLE BANK JSC",-0- ,"UKRAINE-EO13662] [RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,'
        '-0- ,-0- ,-0- ,"SWIFT/BIC EXBKRUMM; Tax ID No. 7700000000 (Russia); Registration Numbe"',
    ),
    "cons_add.csv": (
        '201,4001,"9 Sample Street","Wuxi, Jiangsu","China",-0- ',
        '202,4002,-0- ,"Moscow","Russia",-0- ',
    ),
    "cons_alt.csv": ('201,3001,"aka","EXAMPLE MICRO",-0- ',),
    "cons_comments.csv": ("202,\"r 1027700000000 (Russia); a.k.a. 'EXBANK'.\"",),
}


@cache
def ofac_cons_dir() -> Path:
    """A directory holding the set, made once per test run and removed at exit."""
    path = Path(tempfile.mkdtemp(prefix="cloudkyc-ofac-cons-"))
    atexit.register(shutil.rmtree, path, True)
    for name, rows in ROWS.items():
        (path / name).write_bytes("".join(row + "\r\n" for row in rows).encode() + b"\x1a")
    return path
