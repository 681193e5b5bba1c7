from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import core.store.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def run() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        # Batch migrations rebuild tables that others point at; SQLite can only switch the
        # foreign-key checks off outside a transaction. They are checked again at the end.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
        connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run()
