import xml.etree.ElementTree as ET

from alisvest.charts import NO_DATA, bar_chart, region_map, sequential_colour

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_values_as_text():
    svg = bar_chart(
        [("Registrert", 50), ("Ikke søkt", 12), ("<script>", 4)], title="Registreringsstatus"
    )
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "50" in texts and "12" in texts
    assert "<script>" in texts  # escaped in the markup, text again once parsed
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == "Registreringsstatus"
    assert len(root.findall(f"{SVG}rect")) == 3


def test_bar_chart_with_only_zeros_draws_empty_bars():
    root = ET.fromstring(bar_chart([("A", 0), ("B", 0)], title="t"))
    assert {r.get("width") for r in root.findall(f"{SVG}rect")} == {"0.0"}


def test_region_map_draws_every_municipality_with_links_and_titles():
    svg = region_map(
        colours={"4601": "#0b4f6c"},
        titles={"4601": "Bergen: registrert"},
        links={"4601": "/kommuner/4601/"},
        legend=[("#0b4f6c", "Registrert")],
        title="Registrering",
    )
    root = ET.fromstring(svg)
    paths = list(root.iter(f"{SVG}path"))
    assert len(paths) == 66
    bergen = [p for p in paths if p.get("fill") == "#0b4f6c"]
    assert len(bergen) == 1 and bergen[0].find(f"{SVG}title").text == "Bergen: registrert"
    assert sum(1 for p in paths if p.get("fill") == NO_DATA) == 65
    assert "© Kartverket" in svg
    assert 'href="/kommuner/4601/"' in svg


def test_sequential_colour_steps():
    assert sequential_colour(None, [1, 2]) == NO_DATA
    assert sequential_colour(0.5, [1, 2]) != sequential_colour(1.5, [1, 2])
    assert sequential_colour(9, [1, 2]) == sequential_colour(10, [1, 2])


def test_a_region_map_with_links_is_a_group_of_named_links():
    linked = ET.fromstring(
        region_map(
            colours={},
            titles={"4601": "Bergen: registrert"},
            links={"4601": "/kommuner/4601/"},
            legend=[],
            title="Registrering",
        )
    )
    assert linked.get("role") == "group"
    [link] = list(linked.iter(f"{SVG}a"))
    assert link.get("aria-label") == "Bergen: registrert"
    plain = ET.fromstring(region_map(colours={}, titles={}, legend=[], title="Registrering"))
    assert plain.get("role") == "img"
