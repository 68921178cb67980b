"""Writes the small Parquet files the data-loader tests read, and what pyarrow reads back from them.

Run from the project root:  pip install pyarrow && python scripts/reference/make-loader-fixtures.py
Outputs go to src/plugins/data-loaders/fixtures/; the *.expected.json files hold pyarrow's own reading
of each file (to_pylist), so the tests compare hyparquet's rows with the reference reader's.
"""
import json
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq

OUT = pathlib.Path(__file__).resolve().parents[2] / "src" / "plugins" / "data-loaders" / "fixtures"

ROWS = [
    {"id": 1, "prediction": "the cat sat", "reference": "the cat sat", "score": 0.5, "tokens": [1, 2, 3]},
    {"id": 2, "prediction": "Grüße, 世界", "reference": "grüße 世界", "score": -1.25, "tokens": []},
    {"id": 3, "prediction": "", "reference": "empty hypothesis", "score": None, "tokens": None},
    {"id": 4, "prediction": "a \"quoted\", line\nbreak", "reference": "x", "score": 3.0, "tokens": [2**40]},
    {"id": 2**60, "prediction": "big id", "reference": "🙂 emoji", "score": 1e-9, "tokens": [-7]},
]

SCHEMA = pa.schema(
    [
        ("id", pa.int64()),
        ("prediction", pa.string()),
        ("reference", pa.string()),
        ("score", pa.float64()),
        ("tokens", pa.list_(pa.int64())),
    ]
)


def write(name: str, **options) -> None:
    table = pa.Table.from_pylist(ROWS, schema=SCHEMA)
    path = OUT / f"{name}.parquet"
    pq.write_table(table, path, **options)
    back = pq.read_table(path)
    meta = pq.ParquetFile(path).metadata
    expected = {
        "row_groups": meta.num_row_groups,
        "codec": meta.row_group(0).column(0).compression,
        # JSON has no 64-bit integers: big ones are written as strings and the test compares them as BigInt.
        "rows": [
            {key: (str(value) if isinstance(value, int) and abs(value) > 2**53 else value) for key, value in row.items()}
            for row in back.to_pylist()
        ],
    }
    (OUT / f"{name}.expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write("rows-snappy", row_group_size=2, compression="snappy")
    write("rows-zstd", row_group_size=5, compression="zstd")
    write("rows-gzip", row_group_size=3, compression="gzip")
    print(f"wrote Parquet fixtures to {OUT}")


if __name__ == "__main__":
    main()
