"""Every kind of mistake in a catalogue file, reported with file, line, column and key."""

from __future__ import annotations

import pytest

from tests.authoring.helpers import FILES, check, errors, text

EXPECTED = {
    "syntax.yaml": [
        "syntax.yaml:5:14: YAML syntax error: mapping values are not allowed in this context",
    ],
    "duplicate-key.yaml": [
        "duplicate-key.yaml:12:13: organisations[0].domains[0].services[0].name: duplicate key"
        " 'name' (first at line 10, column 13)",
    ],
    "schema.yaml": [
        "schema.yaml:1:11: watwerkt: unsupported value 2; expected 1",
        "schema.yaml:6:9: organisations[0].channels[0]: missing key 'kind'",
        "schema.yaml:7:14: organisations[0].channels[1].id: expected a string, got false"
        " (quote it if you meant the word)",
        "schema.yaml:9:13: organisations[0].domains[0].id: 'Loketten' is not a valid identifier:"
        " use lowercase letters, digits and hyphens, e.g. 'e-loket'",
        "schema.yaml:11:9: organisations[0].domains[0].servcies: unknown key 'servcies'"
        " (did you mean 'services'?); expected one of: id, name, services",
        "schema.yaml:17:23: organisations[0].domains[1].services[0].keywords: expected a list,"
        " got 'sporthal'",
        "schema.yaml:18:46: organisations[0].domains[1].services[0].status.pinned: expected"
        " true or false, got 'yes please'",
        "schema.yaml:19:24: organisations[0].domains[1].services[0].functions: must list at"
        " least 1 (or leave the key out)",
    ],
    "duplicate-id.yaml": [
        "duplicate-id.yaml:9:14: organisations[0].systems[1].id: duplicate system id 'register'"
        " (first at line 8, column 14)",
        "duplicate-id.yaml:17:68: organisations[0].domains[0].services[0].functions[0]"
        ".channels[1]: duplicate channel 'loket' (first at line 17, column 61)",
        "duplicate-id.yaml:18:22: organisations[0].domains[0].services[0].functions[1].id:"
        " duplicate function id 'aanvragen' (first at line 17, column 22)",
        "duplicate-id.yaml:22:18: organisations[0].domains[1].services[0].id: duplicate service"
        " id 'reispas' (first at line 14, column 17)",
        "duplicate-id.yaml:23:9: organisations[1].id: duplicate organisation id 'stad'"
        " (first at line 3, column 9)",
    ],
    "unknown-reference.yaml": [
        "unknown-reference.yaml:14:19: organisations[1].systems[0].depends[0]: unknown system"
        " 'dsm' of organisation 'provider' (did you mean 'dms'?)",
        "unknown-reference.yaml:14:33: organisations[1].systems[0].depends[1]: unknown"
        " organisation 'nergens' in 'nergens/dms'",
        "unknown-reference.yaml:14:55: organisations[1].systems[0].depends[2].system: unknown"
        " system 'datacentre'",
        "unknown-reference.yaml:21:23: organisations[1].domains[0].services[0].depends[0]:"
        " unknown system 'reservatei' (did you mean 'reservatie'?)",
        "unknown-reference.yaml:22:31: organisations[1].domains[0].services[0].channels[1]:"
        " unknown channel 'telefoon'; this organisation's channels: loket",
        "unknown-reference.yaml:24:42: organisations[1].domains[0].services[0].alternatives[0]"
        ".channel: unknown channel 'e-mail'; this organisation's channels: loket",
    ],
    "cycle.yaml": [
        "cycle.yaml:10:31: organisations[0].systems[1].depends[1]: dependency cycle:"
        " boekhouding -> facturatie -> boekhouding",
        "cycle.yaml:16:28: organisations[0].systems[3].depends[0].system: dependency cycle:"
        " a -> b -> c -> a",
        "cycle.yaml:25:19: organisations[0].systems[6].depends[0]: dependency cycle: zelf -> zelf",
    ],
    "status-words.yaml": [
        "status-words.yaml:6:27: organisations[0].channels[0].kind: unknown channel kind 'balie';"
        " expected one of: online, app, phone, email, post, counter, kiosk, appointment,"
        " walk_in, card, cash, transfer, other",
        "status-words.yaml:10:25: organisations[0].systems[0].status.state: unknown system state"
        " 'plat'; expected one of: up, degraded, maintenance, down",
        "status-words.yaml:13:44: organisations[0].systems[1].depends[0].kind: unknown dependency"
        " kind 'strong'; expected one of: hard, soft",
        "status-words.yaml:20:29: organisations[0].domains[0].services[0].status.level: unknown"
        " status level 'werkt'; expected one of: available, limited, unknown, maintenance,"
        " unavailable",
        "status-words.yaml:20:49: organisations[0].domains[0].services[0].status.qualifiers[0]:"
        " unknown qualifier 'delay' (did you mean 'delays'?); expected one of: delays, backlog,"
        " manual, temporary_form, reduced_capacity, reduced_hours, fewer_locations,"
        " appointment_only, without_appointment, read_only, started_before, audience_only,"
        " location_only, except, no_notifications, not_affected",
        "status-words.yaml:23:29: organisations[0].domains[0].services[1].status.level: unknown"
        " status level 'Unavailable' (did you mean 'unavailable'?); expected one of: available,"
        " limited, unknown, maintenance, unavailable",
    ],
    "dates.yaml": [
        "dates.yaml:8:38: organisations[0].systems[0].status.since: impossible date"
        " '2023-02-30': day is out of range for month",
        "dates.yaml:9:28: organisations[0].systems[0].recovery.target: impossible date"
        " '2023-04-31': day is out of range for month",
        "dates.yaml:12:38: organisations[0].systems[1].status.since: '2022-12-06T25:10' is not a"
        " date and time (expected e.g. 2022-12-06T09:10)",
        "dates.yaml:12:66: organisations[0].systems[1].status.expected: impossible month"
        " '2023-13': month must be 1..12",
        "dates.yaml:19:71: organisations[0].domains[0].services[0].status.expected: expected"
        " return 2022-12-01 lies before since (2022-12-06)",
        "dates.yaml:22:77: organisations[0].domains[0].services[1].status.expected: expected"
        " return 2022-11 lies before since (2022-12-06)",
        "dates.yaml:25:45: organisations[0].domains[0].services[2].status.since: since"
        " 2099-01-01 lies in the future",
        "dates.yaml:25:67: organisations[0].domains[0].services[2].status.expected: expected"
        " return 'soon' not understood; use a date (2023-03-15), a month (2023-03), days,"
        " weeks, months, or none",
        "dates.yaml:28:45: organisations[0].domains[0].services[3].status.since: 'gisteren' is"
        " not a date and time (expected e.g. 2022-12-06T09:10)",
        "dates.yaml:28:97: organisations[0].domains[0].services[3].status.qualifiers[0].date:"
        " impossible date '2022-13-01': month must be in 1..12",
    ],
    "qualifiers.yaml": [
        "qualifiers.yaml:14:19: organisations[0].domains[0].services[0].status.qualifiers[0]:"
        " qualifier 'started_before' needs a date",
        "qualifiers.yaml:15:19: organisations[0].domains[0].services[0].status.qualifiers[1]:"
        " qualifier 'except' needs a text saying who, where or what",
        "qualifiers.yaml:16:19: organisations[0].domains[0].services[0].status.qualifiers[2]:"
        " qualifier 'audience_only' needs a text saying who, where or what",
    ],
    "language.yaml": [
        "language.yaml:4:11: organisations[0].name: no text in the organisation's default"
        " language 'nl' (it has: fr, en)",
        "language.yaml:6:42: organisations[0].channels[0].name: no text in the organisation's"
        " default language 'nl' (it has: en)",
        "language.yaml:15:21: organisations[0].domains[0].services[0].status.note: no text in the"
        " organisation's default language 'nl' (it has: en)",
        "language.yaml:16:49: organisations[0].domains[0].services[0].status.qualifiers[0].text:"
        " no text in the organisation's default language 'nl' (it has: de)",
        "language.yaml:22:15: organisations[1].domains[0].name: no text in the organisation's"
        " default language 'fr' (it has: nl)",
        "language.yaml:23:127: organisations[1].domains[0].services[0].alternatives[0].hours: no"
        " text in the organisation's default language 'fr' (it has: en)",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_reports_each_kind_of_error_with_line_column_and_key(name: str) -> None:
    assert errors((FILES / name).read_bytes(), name) == EXPECTED[name]


def test_every_broken_file_is_covered() -> None:
    broken = {p.name for p in FILES.glob("*.yaml")} - {
        "valid.yaml",
        "valid-export.yaml",
        "many-errors.yaml",
    }
    assert broken == set(EXPECTED)


def test_it_reports_all_errors_of_a_file_at_once() -> None:
    assert errors(text("many-errors.yaml"), "many-errors.yaml") == [
        "many-errors.yaml:5:16: organisations[0].time_zone: unknown time zone 'Europe/Antwerpen'"
        " (did you mean 'Europe/Athens'?)",
        "many-errors.yaml:8:14: organisations[0].channels[1].id: duplicate channel id 'loket'"
        " (first at line 7, column 14)",
        "many-errors.yaml:12:19: organisations[0].systems[0].depends[0]: dependency cycle:"
        " boekhouding -> facturatie -> boekhouding",
        "many-errors.yaml:16:38: organisations[0].systems[1].status.since: impossible date"
        " '2023-02-30': day is out of range for month",
        "many-errors.yaml:19:15: organisations[0].domains[0].name: no text in the organisation's"
        " default language 'nl' (it has: en)",
        "many-errors.yaml:23:29: organisations[0].domains[0].services[0].status.level: unknown"
        " status level 'werkt'; expected one of: available, limited, unknown, maintenance,"
        " unavailable",
        "many-errors.yaml:23:65: organisations[0].domains[0].services[0].status.expected:"
        " expected return 2022-12-01 lies before since (2022-12-06)",
        "many-errors.yaml:27:35: organisations[0].domains[0].services[0].functions[0]"
        ".channels[1]: unknown channel 'kiosk'; this organisation's channels: loket",
        "many-errors.yaml:28:55: organisations[0].domains[0].services[0].functions[0].status"
        ".qualifiers[0]: qualifier 'except' needs a text saying who, where or what",
        "many-errors.yaml:29:17: organisations[0].domains[0].services[1].id: duplicate service"
        " id 'reispas' (first at line 21, column 17)",
        "many-errors.yaml:31:13: organisations[0].domains[0].services[1].colour: unknown key"
        " 'colour'; expected one of: alternatives, audience, channels, depends, description,"
        " functions, id, instructions, keywords, measures, name, status, url",
        "many-errors.yaml:32:23: organisations[0].domains[0].services[1].depends[0]: unknown"
        " system 'register'",
    ]


def test_the_valid_catalogue_passes() -> None:
    spec = check(text("valid.yaml"))
    assert spec.count() == {
        "organisations": 2,
        "systems": 4,
        "domains": 2,
        "services": 3,
        "function x channels": 6,
    }


def test_it_checks_a_generated_mapping_and_names_key_paths_without_lines() -> None:
    data = {
        "watwerkt": 1,
        "organisations": [
            {
                "id": "stad",
                "name": "Stad",
                "domains": [
                    {
                        "id": "d",
                        "name": "D",
                        "services": [
                            {
                                "id": "s",
                                "name": "S",
                                "status": {"level": "werkt"},
                                "depends": ["weg"],
                            },
                        ],
                    },
                ],
            }
        ],
    }
    assert errors(data, "generated") == [
        "generated: organisations[0].domains[0].services[0].depends[0]: unknown system 'weg'",
        "generated: organisations[0].domains[0].services[0].status.level: unknown status level"
        " 'werkt'; expected one of: available, limited, unknown, maintenance, unavailable",
    ]


def test_a_generated_mapping_may_hold_real_dates() -> None:
    from datetime import date, datetime

    data = {
        "watwerkt": 1,
        "organisations": [
            {
                "id": "stad",
                "name": "Stad",
                "systems": [
                    {
                        "id": "x",
                        "name": "X",
                        "status": {
                            "state": "down",
                            "since": datetime(2022, 12, 6, 9, 10),
                            "expected": date(2023, 3, 1),
                        },
                    }
                ],
            }
        ],
    }
    system = check(data).organisations[0].systems[0]
    assert system.status is not None
    assert system.status.since is not None
    assert system.status.since.isoformat() == "2022-12-06T09:10:00+01:00"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", "test.yaml:1:1: the file is empty; a catalogue starts with 'watwerkt: 1'"),
        (
            "# only a comment\n",
            "test.yaml:1:1: the file is empty; a catalogue starts with 'watwerkt: 1'",
        ),
        ("- a\n- b\n", "test.yaml:1:1: expected a mapping, got a list"),
        ("just words", "test.yaml:1:1: expected a mapping, got 'just words'"),
        (
            "watwerkt: 1\norganisations:\n",
            "test.yaml:2:15: organisations: expected a list, got nothing",
        ),
        (
            "watwerkt: 1\norganisations: [1, [2]]\n",
            "test.yaml:2:17: organisations[0]: expected a mapping, got the number 1",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "test.yaml:2:1: YAML syntax error: expected a single document in"
            " the stream but found another document",
        ),
        (
            b"watwerkt: 1\nname: caf\xe9\n",
            "test.yaml:2:10: not UTF-8 text (byte 0xe9); save it as UTF-8",
        ),
        (
            "watwerkt: !!binary aGk=\norganisations: []\n",
            "test.yaml:1:11: watwerkt: unsupported YAML tag 'tag:yaml.org,2002:binary'",
        ),
        (
            "<<: {watwerkt: 1}\norganisations: []\n",
            "test.yaml:1:1: keys must be plain words (no <<, lists or maps)",
        ),
    ],
)
def test_it_turns_any_bad_input_into_an_error_not_an_exception(
    source: str | bytes, expected: str
) -> None:
    assert expected in errors(source)


def test_a_byte_order_mark_is_fine() -> None:
    assert check(b"\xef\xbb\xbfwatwerkt: 1\norganisations: []\n").organisations == []
