"""Context of a number in clean article text: metric, period, region, agency and evidence.

`ContextReader(text)` indexes the text once (sentence, clause and paragraph bounds; period,
region and agency mentions); `describe(start, end)` then answers for one number with a few
bisects and regex matches on short strings. Simplified and Traditional Chinese alike.
The word lists are data of the language pack (`llm_extract/lang/zh/*.toml`); the modules here
are the machinery: `index` (bounds, `Position`, `Spans`), `period_mentions` (where a text
states a period), `period` (what a paragraph carries, a number's period), `region`, `agency`,
`phrase` (metric word patterns and phrase tidying), `surroundings` (a number's clause start,
stripped phrases, the numbers before and words after it), `metric`, `table` (the figures of
tables, with their row label and column header), and `reader` (`ContextReader`).

Rules (deterministic, best effort; tuned on the development articles):

- evidence: from after the previous 。！？；!?;\\n to and including the next one (a newline is
  not included), with surrounding spaces trimmed.
- period: the nearest period phrase before the number in its paragraph. Comparison bases
  (`比去年同期`), datelines (`12月30日电`), dates in brackets and event dates followed by a
  comma (`今年1月19日，随着…`) are not periods. A paragraph without one inherits the period in
  force after the last paragraph with a figure or a period (quarters do not carry over) when
  it starts with 其中/同时/此外/另外/具体来看… or names no acting agency of its own (a new actor
  usually opens a new topic). Under a year range (`2019年至2021年…分别3.9万人、5万人、4万人`)
  the k-th figure of the list gets the k-th year.
- region: the nearest place or scope word (`全国`, `本港`, `我省`, `广东深圳`) before the number
  in its paragraph, else the first one in the lede (first three substantial lines), else
  None. Datelines, media names (`甘肃日报`), enumerations of places (`北京、天津等`) and ranks
  (`全国第一`) are not regions.
- agency: the nearest acting agency before the number in its sentence, else the first in its
  paragraph, else the first named one of the lede (five substantial lines), else one named
  later in the paragraph, else the nearest named one earlier in the text. Partners
  (`会同工信部`, `联合公安机关`) are skipped; generic bodies (`公安机关`, `警方`, `全国法院`)
  defer to a named body of their family in the paragraph or lede (`公安部`, `最高人民法院`);
  local police keep their place (`广东深圳警方`).
- metric: the words from the clause start (or the end of a period or agency phrase) up to the
  number, with function words, periods, regions and agencies stripped at both ends. A change
  (`同比上升5.7%`) takes the measure before its verb, else the previous clause's metric; `分别`
  maps listed figures onto the metrics listed before, in order; an item after 、 reuses the
  previous item's metric or verb (`拦截短信`); a share (`占…`) is prefixed with the previous
  metric; a lone verb or an empty phrase takes the words after the number (`避免受骗群众`).
  At most 26 characters.
"""

from .phrase import weak_metric
from .reader import Context, ContextReader
from .table import with_cells

__all__ = ["Context", "ContextReader", "weak_metric", "with_cells"]
