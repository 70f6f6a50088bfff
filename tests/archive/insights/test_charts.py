"""``insights.charts``: SVG a screen reader can name, the strict CSP allows, and text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fanfold.archive.insights.charts import bar_chart, circle_points, heat_strip, network

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ET.Element:
    """The chart as XML (it must be well formed), in the SVG namespace as a browser reads it."""
    return ET.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def assert_accessible(svg: str, chart_id: str, title: str) -> ET.Element:
    root = parsed(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.find(f"{SVG}title").text == title  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text  # type: ignore[union-attr]
    assert "style=" not in svg, "the CSP forbids inline styles"
    assert "<script" not in svg
    return root


def test_a_bar_chart_draws_a_bar_per_value_the_longest_for_the_largest() -> None:
    svg = bar_chart(
        chart_id="words", title="Words", description="Bars.", bars=[("A", 10), ("B", 5), ("C", 0)]
    )
    root = assert_accessible(svg, "words", "Words")
    widths = [float(rect.get("width", "0")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == max(widths)
    assert widths[1] == widths[0] / 2
    assert widths[2] == 0


def test_names_are_escaped_in_every_chart() -> None:
    evil = "<script>alert('x')</script> & co"
    charts = [
        bar_chart(chart_id="a", title=evil, description=evil, bars=[(evil, 1)]),
        network(chart_id="b", title="T", description="D", names=[evil, "Bob"], edges=[(0, 1, 2)]),
        heat_strip(
            chart_id="c", title="T", description="D", rows=[evil], columns=[evil], values=[[1]]
        ),
    ]
    for svg in charts:
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg
        parsed(svg)


def test_a_network_places_everyone_on_a_circle_with_thicker_lines_for_more_talk() -> None:
    svg = network(
        chart_id="talk",
        title="Who talks to whom",
        description="D",
        names=["Ann", "Bob", "Cal", "Dee"],
        edges=[(0, 1, 6), (1, 2, 2), (0, 3, 1)],
    )
    root = assert_accessible(svg, "talk", "Who talks to whom")
    assert len(list(root.iter(f"{SVG}circle"))) == 4
    widths = {
        line.find(f"{SVG}title").text: float(line.get("stroke-width", "0"))  # type: ignore[union-attr]
        for line in root.iter(f"{SVG}line")
    }
    assert widths["Ann and Bob: 6 exchanges"] == 10
    assert widths["Ann and Dee: 1 exchange"] < widths["Bob and Cal: 2 exchanges"] < 10


def test_circle_points_are_all_at_the_same_distance_from_the_centre() -> None:
    for x, y in circle_points(7, 100, 300):
        assert round(((x - 300) ** 2 + (y - 300) ** 2) ** 0.5, 6) == 100


def test_a_heat_strip_has_a_cell_per_name_and_chapter_darker_for_more() -> None:
    svg = heat_strip(
        chart_id="presence",
        title="Presence",
        description="D",
        rows=["Ann", "Bob"],
        columns=["1", "2", "3"],
        values=[[4, 0, 2], [0, 1, 0]],
    )
    root = assert_accessible(svg, "presence", "Presence")
    cells = list(root.iter(f"{SVG}rect"))
    assert len(cells) == 6
    shades = [float(cell.get("fill-opacity", "0")) for cell in cells]
    assert shades[0] == 1
    assert shades[2] < shades[0]
    assert [cell.get("class") for cell in cells].count("cell empty") == 3


def test_charts_with_nothing_to_draw_are_still_well_formed() -> None:
    assert_accessible(bar_chart(chart_id="e", title="E", description="D", bars=[]), "e", "E")
    assert_accessible(
        network(chart_id="n", title="N", description="D", names=[], edges=[]), "n", "N"
    )
