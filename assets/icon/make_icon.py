"""Draws the app icon (a red seal-like square with 民 in white) and writes every size Tauri
needs into src-tauri/icons/. Run from the repository root: python3 assets/icon/make_icon.py
Needs Pillow and the Noto Sans CJK font (Debian: fonts-noto-cjk)."""
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
RED = (196, 30, 36, 255)
GOLD = (255, 214, 102, 255)


def draw(size: int) -> Image.Image:
    scale = 4
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = s // 16
    d.rounded_rectangle([pad, pad, s - pad, s - pad], radius=s // 5, fill=RED)
    inner = s // 8
    d.rounded_rectangle([inner, inner, s - inner, s - inner], radius=s // 8, outline=GOLD, width=max(2, s // 48))
    font = ImageFont.truetype(FONT, int(s * 0.56), index=2)  # index 2: Simplified Chinese
    box = d.textbbox((0, 0), "民", font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    d.text(((s - w) / 2 - box[0], (s - h) / 2 - box[1]), "民", font=font, fill=(255, 255, 255, 255))
    return img.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    out = "src-tauri/icons/"
    draw(1024).save("assets/icon/icon-1024.png")
    for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
        draw(size).save(out + name)
    draw(256).save(out + "icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
