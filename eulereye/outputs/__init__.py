"""The output contract: names, the files of a page, and where they are stored."""
