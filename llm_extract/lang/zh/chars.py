"""Character classes of Chinese text: one definition each, as regex class bodies or maps."""

from __future__ import annotations

# Han characters: 〇, CJK Extension A, the basic block, compatibility ideographs, Ext. B–F.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"

# Full-width ASCII (U+FF01–U+FF5E) to ASCII.
FULLWIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
FULLWIDTH_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}

# Wide and odd spaces that stand for a plain space.
WIDE_SPACES = "\u3000\u00a0\t\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"

# Sentence ends (Chinese and ASCII); a line break also ends a sentence where text is read
# line by line.
SENTENCE_ENDS = "。！？；!?;"
# Clause marks inside a sentence. An ASCII comma is one only outside a number (28,000).
CLAUSE_MARKS = "，、,：:"
# What a clause-opening word follows, besides whitespace (`，同期`, `（季内`).
CLAUSE_OPENS = "，,。；;：:、（("
