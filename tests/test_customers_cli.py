"""``caja customers`` and ``caja quickkeys``, in-process on the test's data and config folders."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import main
from app.config import load_settings

CATALOG = Path(__file__).resolve().parents[1] / "resources" / "sample_catalog.csv"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_customers_edit_list_show_hide_delete(capsys):
    code, out, _ = run(capsys, "customers", "edit", "--name", "José Pérez", "--dui", "000162975", "--json")
    assert code == 0
    jose = json.loads(out)
    assert jose["dui"] == "00016297-5" and jose["id"] == 1
    code, _, err = run(capsys, "customers", "edit", "--name", "Ana", "--nit", "123")
    assert code == 2 and "NIT" in err
    run(capsys, "customers", "edit", "1", "--contributor-type", "3", "--activity-code", "47190")
    code, out, _ = run(capsys, "customers", "list", "--search", "JOSE 00016297-5", "--json")
    (found,) = json.loads(out)
    assert (found["name"], found["contributor_type"], found["activity_code"]) == ("José Pérez", 3, "47190")
    code, out, _ = run(capsys, "customers", "show", "1")
    assert code == 0 and "José Pérez" in out
    run(capsys, "customers", "hide", "1")
    assert json.loads(run(capsys, "customers", "list", "--json")[1]) == []
    assert len(json.loads(run(capsys, "customers", "list", "--hidden", "--json")[1])) == 1
    assert run(capsys, "customers", "delete", "1")[0] == 0
    assert run(capsys, "customers", "show", "1")[0] == 1


def test_quickkeys_set_show_clear(capsys):
    assert run(capsys, "catalog", "import", str(CATALOG))[0] == 0
    code, _, err = run(capsys, "quickkeys", "set", "LAC001", "NOPE")
    assert code == 2 and "NOPE" in err and load_settings().quick_keys == []
    assert run(capsys, "quickkeys", "set", "LAC001", "BEB001", "LAC001")[0] == 0
    assert load_settings().quick_keys == ["LAC001", "BEB001"]
    code, out, _ = run(capsys, "quickkeys", "show", "--json")
    assert [(k["key"], k["code"]) for k in json.loads(out)] == [(1, "LAC001"), (2, "BEB001")]
    assert run(capsys, "quickkeys", "set", "NOPE", "--force")[0] == 0
    assert load_settings().quick_keys == ["NOPE"]
    assert run(capsys, "quickkeys", "clear")[0] == 0
    assert load_settings().quick_keys == []
