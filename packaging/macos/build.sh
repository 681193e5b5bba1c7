#!/usr/bin/env bash
# Build SyncDeck for macOS: dist/SyncDeck.app and dist/SyncDeck-<version>-macos-<arch>.dmg.
# Runs on macOS only (PyInstaller does not cross-compile). Needs Python 3.11 as python3.
#
#   packaging/macos/build.sh
#
# The .app is signed ad hoc (enough to run on the machine that downloads it after the user
# allows it in System Settings → Privacy & Security); set CODESIGN_IDENTITY to sign with a
# Developer ID, and notarize the .dmg separately (xcrun notarytool) for a double-click install.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname -s)" = "Darwin" ] || { echo "build the macOS app on macOS" >&2; exit 2; }

PYINSTALLER_VERSION=6.22.3
started=$SECONDS

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[desktop]" "pyinstaller==$PYINSTALLER_VERSION"
version=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(uname -m)

.venv/bin/python packaging/render_icons.py build/icons
.venv/bin/python -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/syncdeck.spec
app=dist/SyncDeck.app
plutil -lint "$app/Contents/Info.plist"

codesign --force --deep --sign "${CODESIGN_IDENTITY:--}" "$app"
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/syncdeck" --selftest

# The disk image: the app and a link to /Applications to drag it onto.
staging=build/dmg
rm -rf "$staging"
mkdir -p "$staging"
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
dmg="dist/SyncDeck-$version-macos-$arch.dmg"
rm -f "$dmg"
hdiutil create -volname "SyncDeck $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

echo "built in $((SECONDS - started)) s:"
ls -lh "$dmg"
