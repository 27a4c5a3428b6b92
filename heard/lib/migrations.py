"""Index operations that do not stop the desk while a large table is indexed.

On PostgreSQL a plain CREATE INDEX blocks every write to the table until it is built (minutes on
a desk with millions of messages), which breaks the README's upgrade without downtime. These
build and drop indexes CONCURRENTLY there (the migration must say `atomic = False`), and are
the plain operations on SQLite, whose one writer waits for the migration anyway. Django's own
`AddIndexConcurrently` refuses other databases and needs psycopg to import.
"""

from __future__ import annotations

from typing import Any

from django.db import NotSupportedError
from django.db.migrations import AddIndex, RemoveIndex


def _concurrently(schema_editor: Any, operation: object) -> bool:
    if schema_editor.connection.vendor != "postgresql":
        return False
    if schema_editor.connection.in_atomic_block:
        raise NotSupportedError(
            f"{type(operation).__name__} builds indexes concurrently: "
            "set atomic = False on the migration."
        )
    return True


class AddIndexOnline(AddIndex):
    """AddIndex, built CONCURRENTLY on PostgreSQL."""

    atomic = False

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            if _concurrently(schema_editor, self):
                schema_editor.add_index(model, self.index, concurrently=True)
            else:
                schema_editor.add_index(model, self.index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            if _concurrently(schema_editor, self):
                schema_editor.remove_index(model, self.index, concurrently=True)
            else:
                schema_editor.remove_index(model, self.index)


class RemoveIndexOnline(RemoveIndex):
    """RemoveIndex, dropped CONCURRENTLY on PostgreSQL."""

    atomic = False

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = from_state.models[app_label, self.model_name_lower].get_index_by_name(
                self.name
            )
            if _concurrently(schema_editor, self):
                schema_editor.remove_index(model, index, concurrently=True)
            else:
                schema_editor.remove_index(model, index)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            index = to_state.models[app_label, self.model_name_lower].get_index_by_name(self.name)
            if _concurrently(schema_editor, self):
                schema_editor.add_index(model, index, concurrently=True)
            else:
                schema_editor.add_index(model, index)
