"""How the apps talk: the desk imports nothing from mail (it announces what happened with
signals, heard.desk.signals), and no other app writes the desk's rows itself (it calls
heard.desk.actions). Both are checked on the source, so a new shortcut fails here."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.test import SimpleTestCase

HEARD = Path(__file__).resolve().parents[2]
DESK = HEARD / "desk"
WRITES = {
    "create",
    "bulk_create",
    "update",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "delete",
}


def _sources(root: Path) -> list[Path]:
    """Every module under root except tests and migrations (those build and change rows
    directly by design)."""
    return [
        path
        for path in sorted(root.rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(HEARD).parts)
    ]


def mail_imports(source: str) -> list[str]:
    """Each `heard.mail…` a module imports, or names as a string (import_module)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[:2] == ["heard", "mail"]]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[:2] == ["heard", "mail"]:
                found.append(node.module)
            elif node.module == "heard" and any(a.name == "mail" for a in node.names):
                found.append("heard.mail")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.split(".")[:2] == ["heard", "mail"]
        ):
            found.append(node.value)
    return found


def desk_writes(source: str, models: set[str]) -> list[str]:
    """Each place a module writes a desk model's rows itself: `<Model>.objects….<write>(…)`
    (also through `heard.desk.models` imported as a module) or builds one (`Model(…)`, as for
    `bulk_create` or `.save()`). Names are resolved through the module's imports, so a mail
    class that happens to share a desk model's name is not one."""
    tree = ast.parse(source)
    aliases: set[str] = set()  # names bound to desk models in this module
    modules: set[str] = set()  # names bound to heard.desk.models
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "heard.desk.models":
            aliases |= {a.asname or a.name for a in node.names if a.name in models}
        elif isinstance(node, ast.ImportFrom) and node.module == "heard.desk":
            modules |= {a.asname or a.name for a in node.names if a.name == "models"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == "heard.desk.models" and a.asname}

    def model(node: ast.expr) -> str | None:
        if isinstance(node, ast.Name) and node.id in aliases:
            return node.id
        if (
            isinstance(node, ast.Attribute)
            and node.attr in models
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
        ):
            return node.attr
        return None

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if (name := model(node.func)) is not None:
            found.append(f"line {node.lineno}: {name}(…)")
            continue
        if not (isinstance(node.func, ast.Attribute) and node.func.attr in WRITES):
            continue
        chain: ast.expr = node.func.value
        while isinstance(chain, ast.Call | ast.Attribute):
            if isinstance(chain, ast.Attribute) and chain.attr == "objects":
                if (name := model(chain.value)) is not None:
                    found.append(f"line {node.lineno}: {name}.objects….{node.func.attr}()")
                break
            chain = chain.func if isinstance(chain, ast.Call) else chain.value
    return found


class BoundariesTestCase(SimpleTestCase):
    def desk_models(self) -> set[str]:
        return {m.__name__ for m in apps.get_app_config("desk").get_models()}

    def test_it_imports_nothing_from_mail_in_the_desk(self) -> None:
        sources = _sources(DESK)
        self.assertIn(DESK / "actions" / "tickets.py", sources)
        found = {
            str(path.relative_to(HEARD)): names
            for path in sources
            if (names := mail_imports(path.read_text(encoding="utf-8")))
        }
        self.assertEqual(found, {}, "the desk announces (heard.desk.signals); mail listens")

    def test_it_writes_desk_rows_only_through_desk_actions(self) -> None:
        models = self.desk_models()
        self.assertTrue({"Customer", "CustomerEmail", "Notification", "Message"} <= models)
        outside = [
            path
            for path in _sources(HEARD)
            if path.parts[len(HEARD.parts)] not in {"desk", "engine"} and path.name != "test.py"
        ]
        self.assertIn(HEARD / "mail" / "filing" / "processing.py", outside)
        found = {
            str(path.relative_to(HEARD)): writes
            for path in outside
            if (writes := desk_writes(path.read_text(encoding="utf-8"), models))
        }
        self.assertEqual(found, {}, "call heard.desk.actions instead")

    def test_the_checks_see_what_they_look_for(self) -> None:
        """The checks above pass only because the code is clean, not because they are blind."""
        models = self.desk_models()
        writes = desk_writes(
            "from heard.desk.models import Customer, Notification as N\n"
            "from heard.desk import models\n"
            "from heard.mail.parsing.parts import Attachment\n"
            "Customer.objects.create(name='x')\n"
            "Customer.objects.filter(pk=1).update(name='y')\n"
            "models.CustomerEmail.objects.get_or_create(address='a@b.c')\n"
            "N.objects.bulk_create([N(text='t')])\n"
            "Attachment(filename=None)\n"  # mail's own Attachment: no desk row
            "Customer.objects.filter(pk=1).exists()\n",  # reading is fine
            models,
        )
        self.assertEqual(
            writes,
            [
                "line 4: Customer.objects….create()",
                "line 5: Customer.objects….update()",
                "line 6: CustomerEmail.objects….get_or_create()",
                "line 7: N.objects….bulk_create()",
                "line 7: N(…)",
            ],
        )
        imports = mail_imports(
            "import heard.mail.sending.outbound\nfrom heard.mail import tasks\n"
            "from heard import mail\nfrom heard.mailbox import x\n"
            "import_module('heard.mail.transports.smtp')\n"
        )
        self.assertEqual(
            imports,
            [
                "heard.mail.sending.outbound",
                "heard.mail",
                "heard.mail",
                "heard.mail.transports.smtp",
            ],
        )
