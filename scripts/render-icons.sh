#!/usr/bin/env bash
# Regenerates every raster icon in build/ from the SVG sources:
#   build/icon.svg -> build/icon.png (1024), build/icons/<N>x<N>.png (Linux, 16..1024),
#                     build/icon.ico (Windows: 16, 24, 32, 48, 64, 128, 256),
#                     build/icon.icns (macOS: 16..1024, drawn on Apple's 824/1024 icon grid)
#   build/tray.svg -> build/tray.png (22 px) and build/tray@2x.png (44 px)
#
# Needs, on Debian/Ubuntu:  apt-get install librsvg2-bin imagemagick icnsutils
#   (rsvg-convert renders the SVGs, ImageMagick's convert packs the .ico, png2icns packs the .icns).
# Every size is rendered from the vector source rather than scaled down from a big PNG, so small
# sizes stay sharp. Commit the outputs: packaging reads them and does not run this script.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build"
svg="$build/icon.svg"
tray_svg="$build/tray.svg"

missing=()
for tool in rsvg-convert convert png2icns; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "render-icons: missing ${missing[*]}; on Debian/Ubuntu: apt-get install librsvg2-bin imagemagick icnsutils" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# render <svg> <size> <out.png>: the whole SVG at size x size.
render() {
  rsvg-convert --width "$2" --height "$2" --keep-aspect-ratio "$1" --output "$3"
}

# render_mac <size> <out.png>: macOS icons keep the artwork inside an 824/1024 square, centred,
# with transparent margin (Apple's icon grid), so the app does not look oversized in the Dock.
render_mac() {
  local size="$1" inner offset
  inner="$(awk -v s="$size" 'BEGIN { printf "%.4f", s * 824 / 1024 }')"
  offset="$(awk -v s="$size" 'BEGIN { printf "%.4f", s * 100 / 1024 }')"
  rsvg-convert --width "$inner" --height "$inner" --keep-aspect-ratio \
    --page-width "$size" --page-height "$size" --left "$offset" --top "$offset" "$svg" --output "$2"
}

mkdir -p "$build/icons"

# Linux icon set (electron-builder reads the size from each file name) and the 1024 master.
for size in 16 32 48 64 128 256 512 1024; do
  render "$svg" "$size" "$build/icons/${size}x${size}.png"
done
cp "$build/icons/1024x1024.png" "$build/icon.png"

# Windows: one .ico holding every size the shell asks for.
ico_inputs=()
for size in 16 24 32 48 64 128 256; do
  render "$svg" "$size" "$tmp/ico-$size.png"
  ico_inputs+=("$tmp/ico-$size.png")
done
convert "${ico_inputs[@]}" "$build/icon.ico"

# macOS: .icns from the padded renders.
icns_inputs=()
for size in 16 32 48 128 256 512 1024; do
  render_mac "$size" "$tmp/mac-$size.png"
  icns_inputs+=("$tmp/mac-$size.png")
done
png2icns "$build/icon.icns" "${icns_inputs[@]}" >/dev/null

# Tray: 22 px for 1x displays, tray@2x.png is picked up by Electron's nativeImage on 2x displays.
render "$tray_svg" 22 "$build/tray.png"
render "$tray_svg" 44 "$build/tray@2x.png"

echo "render-icons: wrote build/icon.png, build/icons/*.png, build/icon.ico, build/icon.icns, build/tray.png, build/tray@2x.png"
