"""Re-create portal/data/regions/*.csv from the idn-area-data npm tarball.

Usage: npm pack idn-area-data@4.0.1 && python scripts/extract_regions.py idn-area-data-4.0.1.tgz
"""

import csv
import io
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "portal" / "data" / "regions"
REGENCY = "64.02"


def rows(tar: tarfile.TarFile, name: str):
    data = tar.extractfile(f"package/data/{name}").read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(data)))


def main(tarball: str) -> None:
    with tarfile.open(tarball) as tar:
        districts = [r for r in rows(tar, "districts.csv") if r["regency_code"] == REGENCY]
        villages = [r for r in rows(tar, "villages.csv") if r["district_code"].startswith(REGENCY + ".")]
        provinces = rows(tar, "provinces.csv")
    with open(OUT / "kukar.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["code", "name", "level", "parent_code"])
        for r in districts:
            out.writerow([r["code"], r["name"], "kecamatan", REGENCY])
        for r in villages:
            kind = "kelurahan" if r["code"].rsplit(".", 1)[1].startswith("1") else "desa"
            out.writerow([r["code"], r["name"], kind, r["district_code"]])
    with open(OUT / "provinces.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["code", "name"])
        for r in provinces:
            out.writerow([r["code"], r["name"]])
    print(f"{len(districts)} kecamatan, {len(villages)} desa/kelurahan, {len(provinces)} provinces")


if __name__ == "__main__":
    main(sys.argv[1])
