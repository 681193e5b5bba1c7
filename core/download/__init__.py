"""Segmented, resumable HTTP downloads."""

from core.download.range_downloader import RangeDownloader, discard_partial, part_path, saved_bytes, sidecar_path

__all__ = ["RangeDownloader", "discard_partial", "part_path", "saved_bytes", "sidecar_path"]
