"""Draw the web app's PNG icons (omavalvonta/core/static/img/icon-*.png) after the
favicon (a white tick on the brand blue). Our own drawing; run it again only when
the design changes: `.venv/bin/python tools/make_icons.py`."""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (0x1F, 0x5F, 0x8B, 255)
OUT = Path(__file__).resolve().parent.parent / "omavalvonta" / "core" / "static" / "img"


def icon(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # drawn large and scaled down for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), BLUE if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if not maskable:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 6 // 32, fill=BLUE)
    # The favicon's tick (M8 16.5 l5.5 5.5 L24.5 10 on a 32 grid); a maskable icon
    # keeps it inside the safe zone (the middle 80 %).
    inset = 0.1 if maskable else 0.0
    unit = big * (1 - 2 * inset) / 32

    def point(x, y):
        return (big * inset + x * unit, big * inset + y * unit)

    width = round(3.5 * unit)
    points = [point(8, 16.5), point(13.5, 22), point(24.5, 10)]
    draw.line(points, fill="white", width=width, joint="curve")
    for x, y in points[::2]:
        r = width / 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill="white")
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    print("Wrote", ", ".join(sorted(p.name for p in OUT.glob("icon-*.png"))))
