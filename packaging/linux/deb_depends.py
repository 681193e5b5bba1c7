"""The Debian packages a PyInstaller bundle needs from the system, found the way the loader would.

    python packaging/linux/deb_depends.py dist/syncdeck

Runs `ldd` on every ELF file in the bundle (with the bundle's library folder on the search
path, as the bootloader sets it), keeps the libraries that resolve outside the bundle, and
asks dpkg which package owns each one. Prints the package names joined by ", " for the
control file's Depends. Libraries missing on the build machine are reported on stderr and make
the script fail: a bundle whose plugins cannot load there will not load on a user's machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
# Always present where the bundle can run at all; naming them adds nothing but noise.
ESSENTIAL = {"libc6", "libgcc-s1"}
# Optional plugins whose libraries a desktop may lack; Qt skips a plugin it cannot load.
OPTIONAL_PLUGINS = ("wayland-graphics-integration-client", "networkinformation", "tls/libqcertonlybackend")


def elf_files(bundle: Path) -> list[Path]:
    files = []
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    files.append(path)
    return files


def system_libraries(bundle: Path, files: list[Path]) -> tuple[set[str], dict[str, set[str]]]:
    internal = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal if internal.is_dir() else bundle)}
    outside: set[str] = set()
    missing: dict[str, set[str]] = {}
    for file in files:
        result = subprocess.run(["ldd", str(file)], capture_output=True, text=True, env=env)
        if result.returncode != 0:  # a static executable (the bundled ffmpeg) or not loadable here
            continue
        for line in result.stdout.splitlines():
            name, _, target = line.strip().partition(" => ")
            if target.startswith("not found"):
                missing.setdefault(name, set()).add(str(file.relative_to(bundle)))
                continue
            path = target.split(" (")[0].strip()
            if path.startswith("/") and not Path(path).resolve().is_relative_to(bundle.resolve()):
                outside.add(path)
    return outside, missing


def owning_packages(libraries: set[str]) -> set[str]:
    packages = set()
    for library in sorted(libraries):
        candidates = {library, str(Path(library).resolve())}
        # Debian 12 moved /lib into /usr/lib; dpkg still records some files under /lib.
        candidates |= {c.removeprefix("/usr") for c in list(candidates) if c.startswith("/usr/lib")}
        for candidate in sorted(candidates):
            result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if result.returncode == 0:
                package = result.stdout.split(":", 1)[0]
                packages.add(package.split(",")[0].strip())
                break
        else:
            print(f"warning: no package owns {library}", file=sys.stderr)
    return packages


def main(bundle: Path) -> int:
    outside, missing = system_libraries(bundle, elf_files(bundle))
    required_missing = {
        name: users
        for name, users in missing.items()
        if not all(any(optional in user for optional in OPTIONAL_PLUGINS) for user in users)
    }
    for name, users in sorted(required_missing.items()):
        print(f"error: {name} not found on this machine (needed by {', '.join(sorted(users))})", file=sys.stderr)
    print(", ".join(sorted(owning_packages(outside) - ESSENTIAL)))
    return 1 if required_missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
