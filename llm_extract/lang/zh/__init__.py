"""Chinese (Simplified and Traditional): character classes, numerals and TOML word lists."""
