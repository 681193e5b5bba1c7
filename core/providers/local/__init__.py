"""Local files and folders (the library, or anywhere on disk) as things to play."""
