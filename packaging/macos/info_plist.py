"""The macOS app's Info.plist entries, read by packaging/syncdeck.spec (and by the tests).

Besides the name and version: SyncDeck is offered as the handler of `magnet:` and `syncdeck:`
links (CFBundleURLTypes) and of .torrent files (CFBundleDocumentTypes). macOS has no system
type for .torrent, so the app imports the usual one, `org.bittorrent.torrent`, as other
BitTorrent clients do. A clicked link or an opened file reaches the running app as a
QFileOpenEvent (desktop/open_requests.py), not on its command line.
"""

from __future__ import annotations

from typing import Any

TORRENT_UTI = "org.bittorrent.torrent"


def info_plist(version: str) -> dict[str, Any]:
    return {
        "CFBundleName": "SyncDeck",
        "CFBundleDisplayName": "SyncDeck",
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "LSUIElement": False,  # a Dock icon and a menu bar while the window is open
        "NSHighResolutionCapable": True,
        "LSMinimumSystemVersion": "11.0",
        "NSHumanReadableCopyright": "GPL-3.0-or-later",
        "CFBundleURLTypes": [
            {"CFBundleURLName": "Magnet link", "CFBundleURLSchemes": ["magnet"], "CFBundleTypeRole": "Viewer"},
            # a note's timestamp: syncdeck://play?path=…&t=…
            {"CFBundleURLName": "SyncDeck link", "CFBundleURLSchemes": ["syncdeck"], "CFBundleTypeRole": "Viewer"},
        ],
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "BitTorrent file",
                "CFBundleTypeRole": "Viewer",
                "LSHandlerRank": "Default",
                "LSItemContentTypes": [TORRENT_UTI],
                "CFBundleTypeExtensions": ["torrent"],
                "CFBundleTypeMIMETypes": ["application/x-bittorrent"],
            }
        ],
        "UTImportedTypeDeclarations": [
            {
                "UTTypeIdentifier": TORRENT_UTI,
                "UTTypeDescription": "BitTorrent file",
                "UTTypeConformsTo": ["public.data"],
                "UTTypeTagSpecification": {
                    "public.filename-extension": ["torrent"],
                    "public.mime-type": ["application/x-bittorrent"],
                },
            }
        ],
    }
