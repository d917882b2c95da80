"""One Settings object read from CLOUDKYC_* environment variables, validated at start-up.

Every field here must be documented in README.md (tests/test_settings.py checks it).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from cloudkyc.errors import BadInput

OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLOUDKYC_", extra="ignore")

    data_dir: Path = Field(
        default=Path.home() / ".local" / "share" / "cloudkyc",
        description="Where the embedded database and downloaded lists live.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is a SQLite file in data_dir.",
    )
    screen_threshold: float = Field(
        default=0.80, ge=0.0, le=1.0, description="Score at or above which a name is a hit."
    )
    screen_workers: int = Field(
        default=2, ge=1, le=64, description="Processes used by batch screening."
    )
    csl_url: str = Field(
        default="https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
        description="Official trade.gov Consolidated Screening List CSV.",
    )
    ofac_base_url: str = Field(
        default=OFAC_EXPORTS,
        description="Base URL of OFAC's SDN and consolidated CSV exports.",
    )
    http_timeout: float = Field(default=120.0, gt=0, description="Seconds per download.")
    geoip_mmdb: Path | None = Field(
        default=None,
        description="A MaxMind GeoLite2/GeoIP2 Country or City .mmdb for IP geolocation; "
        "without it, geoip2fast's bundled GeoLite2 Country data (IPv4).",
    )
    retention_days: int = Field(
        default=730,
        ge=1,
        description="Days a customer's records are kept after its accounts close or were "
        "last accessed (the proposed rule: two years).",
    )
    spark_master: str = Field(
        default="local[2]",
        description="Spark master URL for `compute ledger --engine spark` (local mode by default).",
    )
    spark_driver_memory: str = Field(
        default="4g",
        pattern=r"^[0-9]+[kmgt]?$",
        description="Heap of the Spark driver (in local mode, the whole of Spark), e.g. 4g.",
    )
    duckdb_memory_limit: str = Field(
        default="600MB",
        pattern=r"^[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="Memory DuckDB may hold before it spills to disk (the ledger's RSS stays "
        "about 100 MB above it).",
    )
    session_secret: str | None = Field(
        default=None,
        min_length=32,
        description="Key that signs dashboard session cookies; default: a random key kept in "
        "data_dir/session.key (set it when servers on several machines share one database).",
    )
    session_hours: float = Field(
        default=8.0, gt=0, le=24 * 30, description="Hours a dashboard login lasts."
    )
    provider_name: str | None = Field(
        default=None,
        max_length=500,
        description="The IaaS provider's name as it files reports (the large-AI-training "
        "report names who files it).",
    )

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'cloudkyc.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = "CLOUDKYC_" + str(err["loc"][0]).upper() if err.get("loc") else None
        raise BadInput(err["msg"], file="environment", field=field) from exc
