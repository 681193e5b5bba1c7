"""The library on disk: file layout, name templates, NFO, danmaku and subtitle files, ffmpeg merge."""
