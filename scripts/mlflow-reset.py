"""Empties a test MLflow server's SQLite database back to its first state, while the server runs.

`snapshot DB STATE [TEMPLATE]` records which tables hold rows right after the server created the database
(and copies it to TEMPLATE, for later servers to start from);
`reset DB STATE` deletes every row of the tables that were empty then, every experiment but the default
one, and puts the default experiment back as it was. SQLite serialises the writes with the server's own.
"""
import json
import sqlite3
import sys


def tables(connection):
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows]


def snapshot(db, state, template=None):
    with sqlite3.connect(db, timeout=30) as connection:
        if template:
            with sqlite3.connect(template) as copy:
                connection.backup(copy)
        seeded = [name for name in tables(connection) if connection.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone()]
        default = connection.execute(
            "SELECT name, lifecycle_stage, creation_time, last_update_time FROM experiments WHERE experiment_id = 0"
        ).fetchone()
    with open(state, "w") as out:
        json.dump({"seeded": seeded, "default": default}, out)


def reset(db, state):
    with open(state) as source:
        first = json.load(source)
    connection = sqlite3.connect(db, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("BEGIN IMMEDIATE")
        for name in tables(connection):
            if name == "experiments":
                connection.execute("DELETE FROM experiments WHERE experiment_id <> 0")
                name_, stage, created, updated = first["default"]
                connection.execute(
                    "UPDATE experiments SET name = ?, lifecycle_stage = ?, creation_time = ?, last_update_time = ? WHERE experiment_id = 0",
                    (name_, stage, created, updated),
                )
            elif name not in first["seeded"]:
                connection.execute(f'DELETE FROM "{name}"')
        connection.execute("COMMIT")
    finally:
        connection.close()


if __name__ == "__main__":
    command, db, state, *rest = sys.argv[1:]
    {"snapshot": snapshot, "reset": reset}[command](db, state, *rest)
