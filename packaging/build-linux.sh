#!/usr/bin/env bash
# Build SyncDeck for Linux into dist/: the one-folder bundle dist/syncdeck/, a .tar.gz of it and
# a .deb (payload in /opt/syncdeck, /usr/bin/syncdeck, menu entry and icons).
#
#   packaging/build-linux.sh            bundle + self-test + .tar.gz + .deb
#   packaging/build-linux.sh --bundle   the bundle and its self-test only
#
# Uses the project's .venv (created by scripts/install when missing) and installs PyInstaller
# into it. DEB_COMPRESSION=xz (default, smallest) or zstd (much faster, bigger).
set -euo pipefail
cd "$(dirname "$0")/.."

PYINSTALLER_VERSION=6.22.3
only_bundle=false
[ "${1:-}" = "--bundle" ] && only_bundle=true

now() { echo "${EPOCHREALTIME/,/.}"; }  # some locales write a decimal comma
seconds_since() { awk -v now="$(now)" -v then="$1" 'BEGIN { printf "%.1f", now - then }'; }
step_started=$(now)
step() { step_started=$(now); printf '==> %s\n' "$*"; }
done_step() { printf '    %s s\n' "$(seconds_since "$step_started")"; }
total_started=$(now)

step "Python environment"
scripts/install desktop
.venv/bin/python -m PyInstaller --version 2>/dev/null | grep -qx "$PYINSTALLER_VERSION" \
  || .venv/bin/python -m pip install -q "pyinstaller==$PYINSTALLER_VERSION"
version=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
done_step

step "Icons"
.venv/bin/python packaging/render_icons.py build/icons
done_step

step "PyInstaller bundle (dist/syncdeck)"
.venv/bin/python -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/syncdeck.spec
echo "    $(du -sh dist/syncdeck | cut -f1) in dist/syncdeck"
done_step

step "Self-test of the bundle"
QT_QPA_PLATFORM=offscreen dist/syncdeck/syncdeck --selftest
done_step

$only_bundle && exit 0

step "dist/syncdeck-$version-linux-$arch.tar.gz"
tarball="dist/syncdeck-$version-linux-$arch.tar.gz"
tar -C dist --owner=0 --group=0 -czf "$tarball" syncdeck
echo "    $(du -h "$tarball" | cut -f1)"
done_step

step "dist/syncdeck_${version}_$arch.deb"
command -v dpkg-deb >/dev/null || { echo "dpkg-deb is needed for the .deb (apt-get install dpkg)" >&2; exit 1; }
root=build/deb/root
rm -rf build/deb
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/syncdeck"
cp -a dist/syncdeck "$root/opt/syncdeck"
ln -s /opt/syncdeck/syncdeck "$root/usr/bin/syncdeck"
install -m 644 packaging/linux/syncdeck.desktop "$root/usr/share/applications/syncdeck.desktop"
install -m 644 resources/icons/syncdeck.svg "$root/usr/share/icons/hicolor/scalable/apps/syncdeck.svg"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$root/usr/share/icons/hicolor/${size}x$size/apps"
  install -m 644 "build/icons/png/$size.png" "$root/usr/share/icons/hicolor/${size}x$size/apps/syncdeck.png"
done
install -m 644 LICENSE "$root/usr/share/doc/syncdeck/copyright"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$root/usr/share/applications/syncdeck.desktop"
fi
depends=$(.venv/bin/python packaging/linux/deb_depends.py dist/syncdeck)
installed_kib=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: syncdeck
Version: $version
Architecture: $arch
Maintainer: SyncDeck developers <syncdeck@users.noreply.github.com>
Installed-Size: $installed_kib
Depends: $depends
Recommends: fonts-noto-cjk, libmpv2 | libmpv1
Suggests: gnome-keyring | kwalletmanager
Section: video
Priority: optional
Homepage: https://github.com/syncdeck/syncdeck
Description: keep local copies of the videos you follow
 SyncDeck keeps the Bilibili favourites, collections, uploads and watch-later
 lists you follow in sync on your own disk, as an Emby/Jellyfin/Kodi library
 with posters, NFO files, danmaku and subtitles. It runs in the system tray and
 syncs in the background. "syncdeck" without arguments opens the window; with a
 command ("syncdeck sync", "syncdeck daemon", ...) it is a command-line tool.
EOF
deb="dist/syncdeck_${version}_$arch.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$root" "$deb" >/dev/null
echo "    $(du -h "$deb" | cut -f1), Depends: $depends"
done_step

printf '==> built in %s s:\n' "$(seconds_since "$total_started")"
ls -lh dist/*.tar.gz dist/*.deb | awk '{print "    " $5 "  " $9}'
