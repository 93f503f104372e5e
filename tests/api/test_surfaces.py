"""The three surfaces of every report (the command line, the JSON API with its OpenAPI schema,
and the web form) take the same parameters: the same names, defaults and choices."""

from __future__ import annotations

from typing import Any

import click
import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser

from linkscope.cli import app
from linkscope.queries import REPORTS, Param, params_of

TARGET = "pixelbyte.test"
CLI_ONLY = {"format", "columns"}
API_ONLY = {"format"}
Surface = dict[str, tuple[Any, tuple[str, ...]]]  # public name -> (default, choices)


def declared(name: str) -> Surface:
    return {p.public: (_plain(p.default, p), p.choices) for p in params_of(REPORTS[name].query)}


def _plain(value: Any, p: Param) -> Any:
    if p.required:
        return "required"
    return tuple(value or ()) if p.many else value


def cli_surface(name: str) -> Surface:
    command = app.commands[name]
    found: Surface = {}
    for param in command.params:
        if param.param_type_name == "argument":
            public = param.name
        else:
            public = param.opts[0].removeprefix("--").replace("-", "_")
        if public in CLI_ONLY or public == "help":
            continue
        choices = tuple(param.type.choices) if isinstance(param.type, click.Choice) else ()
        default = "required" if param.required else param.default
        if getattr(param, "multiple", False) or param.nargs == -1:
            default = "required" if param.required else tuple(default or ())
        found[public] = (default, choices)
    return found


def _enum(schema: dict[str, Any]) -> tuple[str, ...]:
    if "enum" in schema:
        return tuple(schema["enum"])
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, ()):
            if _enum(option):
                return _enum(option)
    return _enum(schema["items"]) if "items" in schema else ()


def api_surface(name: str, openapi: dict[str, Any]) -> Surface:
    found: Surface = {}
    for param in openapi["paths"][f"/api/v1/{name}"]["get"]["parameters"]:
        if param["name"] in API_ONLY:
            continue
        schema = param["schema"]
        default = "required" if param.get("required") else schema.get("default")
        if schema.get("type") == "array" and default != "required":
            default = tuple(default or ())
        found[param["name"]] = (default, _enum(schema))
    return found


def web_surface(name: str, client: TestClient) -> Surface:
    """The report's form, as the page renders it: its fields, their choices and the values
    they start with; hidden fields are read from a page that sets them."""
    spec = REPORTS[name]
    params = params_of(spec.query)
    base = {"competitors": [TARGET]} if name == "intersect" else {"target": TARGET}
    base = {"search": {"query": "x"}, "mentions": {"term": "x"}}.get(name, base)
    plain_page = client.get(f"/{name}", params=base)
    assert plain_page.status_code == 200, plain_page.text
    hidden_values = {p.public: (p.choices[-1] if p.choices else "1") for p in params
                     if p.group == "hidden" and p.public not in base}
    hidden_page = client.get(f"/{name}", params={**base, **hidden_values})
    assert hidden_page.status_code == 200, hidden_page.text
    found: Surface = {}
    form = LexborHTMLParser(plain_page.text).css_first("form.filters")
    for node in form.css("input[name], select[name]"):
        public = node.attributes["name"]
        if node.tag == "select":
            options = tuple(o.attributes["value"] for o in node.css("option"))
            chosen = next((o.attributes["value"] for o in node.css("option")
                           if "selected" in o.attributes), None)
            found[public] = (chosen, options)
        elif node.attributes.get("type") == "checkbox":
            default, choices = found.get(public, ((), ()))
            if node.attributes.get("value") == "1":  # a yes/no box
                found[public] = ("checked" in node.attributes, ())
            else:  # one box a choice of a repeatable parameter
                found[public] = (default, (*choices, node.attributes["value"]))
        elif node.attributes.get("type") != "hidden":
            value = node.attributes.get("value") or None
            found.setdefault(public, (value, ()))
    hidden = LexborHTMLParser(hidden_page.text).css_first("form.filters")
    for node in hidden.css("input[type=hidden]"):
        found.setdefault(node.attributes["name"], ("hidden", ()))
    return found


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_cli_and_api_take_the_declared_parameters(client: TestClient, name: str) -> None:
    expected = declared(name)
    assert cli_surface(name) == expected
    api = api_surface(name, client.get("/api/v1/openapi.json").json())
    assert api == expected


@pytest.mark.parametrize("name", sorted(set(REPORTS) - {"overview"}))
def test_the_web_form_shows_the_declared_parameters(client: TestClient, name: str) -> None:
    """Every parameter is in the form (offset is the pager's), with its choices, and a field
    that starts empty stands for its default."""
    expected = declared(name)
    shown = web_surface(name, client)
    assert set(shown) | {"offset"} == set(expected), set(shown) ^ set(expected)
    for public, (value, choices) in shown.items():
        default, declared_choices = expected[public]
        if value == "hidden":  # set by the search box, the headers or the tabs, and kept
            continue
        if public != "limit":  # the page offers a few page sizes; any 1-1000 is taken
            assert choices == declared_choices, public
        if public in ("target", "competitors", "competitor", "query", "term"):  # given by the base
            continue
        if public == "limit":
            assert value == str(default)
        elif isinstance(default, tuple):
            assert value == default, public  # no box of a repeatable parameter is ticked
        elif isinstance(default, bool):
            assert value is default, public
        else:
            assert value == (None if default is None else str(default)), public


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_each_surface_refuses_a_bad_choice_naming_it(client: TestClient, name: str,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    from linkscope.cli import main

    base = {"competitors": [TARGET]} if name == "intersect" else {"target": TARGET}
    base = {"search": {"query": "x"}, "mentions": {"term": "x"}}.get(name, base)
    for p in params_of(REPORTS[name].query):
        if not p.choices:
            continue
        api = client.get(f"/api/v1/{name}", params={**base, p.public: "nonsense"})
        assert api.status_code == 400 and api.json()["error"]["parameter"] == p.public
        page = client.get(f"/{name}", params={**base, p.public: "nonsense"},
                          headers={"Accept": "text/html"})
        assert page.status_code == 400 and p.public in page.text
        code = main([name, TARGET, p.flag, "nonsense"])
        err = capsys.readouterr().err
        assert code == 2 and p.flag in err, err
    unknown = client.get(f"/api/v1/{name}", params={**base, "colour": "red"})
    assert unknown.status_code == 400 and unknown.json()["error"]["parameter"] == "colour"
