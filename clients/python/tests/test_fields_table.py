"""The codec's header tables against proto-spec/fields.json, the spec's one machine-readable
field table (proto-spec/check_fields.py keeps that file equal to 1-HLP.md's tables): every
message the codec knows, its keys in canonical order, and what is required, optional or
defaulted to which value."""

import json
import os
from pathlib import Path

from helpline import _messages
from helpline._fields import OPTIONAL, REQUIRED

SPEC = Path(os.environ.get("HELPLINE_SPEC") or Path(__file__).resolve().parents[3] / "proto-spec")


def _table():
    return json.loads((SPEC / "fields.json").read_text(encoding="utf-8"))


def _presence(field):
    if field.default is REQUIRED:
        return {"presence": "required"}
    if field.default is OPTIONAL:
        return {"presence": "optional"}
    default = list(field.default) if isinstance(field.default, tuple) else field.default
    return {"presence": "default", "default": default}


def _rows(fields):
    return [dict(key=field.key, **_presence(field)) for field in fields]


def _without_types(rows):
    return [{name: value for name, value in row.items() if name != "type"} for row in rows]


def test_every_message_of_the_codec_has_the_spec_table():
    expected = {}
    for message in _table()["messages"]:
        for signature in message["signatures"]:
            expected[(signature, message["command"], message["direction"])] = _without_types(message["fields"])
    actual = {
        (signature.decode(), command.name, direction): _rows(cls.FIELDS)
        for (signature, command, direction), cls in _messages._REGISTRY.items()
    }
    assert actual == expected


def test_report_entries_have_the_spec_tables():
    records = _table()["records"]
    assert _rows(_messages.ReportQueue.FIELDS) == _without_types(records["report-queue"])
    assert _rows(_messages.ReportWorker.FIELDS) == _without_types(records["report-worker"])
