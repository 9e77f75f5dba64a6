"""Server-side SVG: bar charts and the region map, for web pages and PDFs alike.

No JavaScript, readable in print and in grey: every bar carries its value as text, colours
step in lightness (not only in hue), and each chart has a <title> and <desc> for screen
readers. The map is drawn from data/municipalities.geojson (© Kartverket, CC BY 4.0),
projected by scaling longitude with cos(latitude).
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

GEOJSON = Path(settings.BASE_DIR) / "data" / "municipalities.geojson"
FONT = "Inter, 'DejaVu Sans', Arial, sans-serif"
INK = "#1a1a1a"
BAR = "#0b4f6c"
# Light to dark: distinguishable in grey as well as in colour.
SEQUENTIAL = ["#e3eef4", "#a9cbdc", "#6aa3bf", "#2f7a9e", "#0b4f6c", "#062f41"]
NO_DATA = "#f2f2f2"

_chart_ids = iter(range(1, 10**9))


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\u00a0").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u00a0")


def bar_chart(
    rows, *, title: str, unit: str = "", width: int = 640, max_value=None, description: str = ""
) -> SafeString:
    """A horizontal bar chart of `(label, value)` rows, each bar labelled with its value."""
    rows = [(str(label), value or 0) for label, value in rows]
    chart_id = f"chart-{next(_chart_ids)}"
    row_height, top, label_width = (
        22,
        8,
        min(220, 40 + 7 * max((len(r[0]) for r in rows), default=4)),
    )
    height = top * 2 + row_height * max(len(rows), 1)
    plot = width - label_width - 70
    biggest = max_value or max((v for _l, v in rows), default=0) or 1
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            'viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="{i}-t {i}-d" '
            'font-family="{f}" font-size="12">',
            w=width,
            h=height,
            i=chart_id,
            f=FONT,
        ),
        format_html('<title id="{}-t">{}</title>', chart_id, title),
        format_html(
            '<desc id="{}-d">{}</desc>',
            chart_id,
            description
            or "; ".join(
                f"{label}: {_number(value)}{(' ' + unit) if unit else ''}" for label, value in rows
            ),
        ),
    ]
    for index, (label, value) in enumerate(rows):
        y = top + index * row_height
        length = 0 if biggest == 0 else max(0.0, plot * float(value) / float(biggest))
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                label_width - 6,
                y + 15,
                INK,
                label,
            )
        )
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                label_width,
                y + 3,
                f"{length:.1f}",
                row_height - 6,
                BAR,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="{}">{}{}</text>',
                f"{label_width + length + 5:.1f}",
                y + 15,
                INK,
                _number(value),
                f"\u00a0{unit}" if unit else "",
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class MapShape:
    number: str
    name: str
    path: str  # SVG path data in the map's own coordinates


@lru_cache(maxsize=4)
def _shapes(width: int) -> tuple[tuple[MapShape, ...], int]:
    data = json.loads(GEOJSON.read_text())
    rings_by_feature = []
    lats = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        rings = [ring for polygon in polygons for ring in polygon]
        rings_by_feature.append((feature["properties"], rings))
        lats.extend(lat for ring in rings for _lon, lat in ring)
    scale_x = math.cos(math.radians((min(lats) + max(lats)) / 2))
    xs = [lon * scale_x for _p, rings in rings_by_feature for ring in rings for lon, _ in ring]
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(lats), max(lats)
    factor = (width - 4) / (max_x - min_x)
    height = int((max_y - min_y) * factor) + 4

    def point(lon, lat):
        return f"{(lon * scale_x - min_x) * factor + 2:.1f},{(max_y - lat) * factor + 2:.1f}"

    shapes = []
    for properties, rings in rings_by_feature:
        path = " ".join(
            "M" + " L".join(point(lon, lat) for lon, lat in ring) + "Z" for ring in rings
        )
        shapes.append(MapShape(str(properties["number"]), properties["name"], path))
    return tuple(sorted(shapes, key=lambda s: s.number)), height


def region_map(
    *,
    colours: dict[str, str],
    titles: dict[str, str],
    legend: list[tuple[str, str]],
    title: str,
    links: dict[str, str] | None = None,
    width: int = 520,
) -> SafeString:
    """The region's municipalities, each filled with `colours[number]` (NO_DATA when absent),
    with a hover title and an optional link per municipality, and a legend of (colour, label).
    """
    shapes, height = _shapes(width)
    chart_id = f"map-{next(_chart_ids)}"
    legend_height = 20 * len(legend) + 30
    # With links the map is a group of links (an image's content is hidden from screen readers).
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="region-map" role="{r}" '
            'viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="{i}-t" '
            'font-family="{f}" font-size="12">',
            r="group" if links else "img",
            w=width,
            h=height + legend_height,
            i=chart_id,
            f=FONT,
        ),
        format_html('<title id="{}-t">{}</title>', chart_id, title),
    ]
    for shape in shapes:
        body = format_html(
            '<path d="{}" fill="{}" stroke="#ffffff" stroke-width="0.6"><title>{}</title></path>',
            shape.path,
            colours.get(shape.number, NO_DATA),
            titles.get(shape.number, shape.name),
        )
        href = (links or {}).get(shape.number)
        if href:
            label = titles.get(shape.number, shape.name)
            body = format_html('<a href="{}" aria-label="{}">{}</a>', href, label, body)
        parts.append(body)
    y = height + 10
    for colour, label in legend:
        parts.append(
            format_html(
                '<rect x="4" y="{}" width="14" height="14" fill="{}" stroke="#555" '
                'stroke-width="0.5"/><text x="24" y="{}" fill="{}">{}</text>',
                y,
                colour,
                y + 11,
                INK,
                label,
            )
        )
        y += 20
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="end" fill="#555" font-size="10">{}</text>',
            width - 4,
            y + 4,
            "© Kartverket",
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def sequential_colour(value, bounds: list[float]) -> str:
    """The palette colour for `value` given ascending class bounds (len(bounds) ≤ 5)."""
    if value is None:
        return NO_DATA
    for index, bound in enumerate(bounds):
        if value <= bound:
            return SEQUENTIAL[index]
    return SEQUENTIAL[min(len(bounds), len(SEQUENTIAL) - 1)]
