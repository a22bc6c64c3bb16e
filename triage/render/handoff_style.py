"""The style sheet of the clinician's handoff: one A4 page a result, calm and dense.

Inline in the page (no file or network to fetch).  A level is always a word
as well as a colour, and the page prints in black and white without losing
meaning.
"""

from __future__ import annotations

STYLE = """
@page { size: A4; margin: 8mm 11mm 7mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: #1d2329; background: #e9ecef;
  font: 7.7pt/1.22 "Liberation Sans", Arial, "Helvetica Neue", Helvetica, sans-serif;
}
.page {
  width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 8mm 11mm 7mm;
  background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, .25);
}
@media print {
  body { background: none; }
  .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  .page + .page { break-before: page; }
}
h1, h2, h3, p, ul, ol, table { margin: 0; }
h1 { font-size: 11.5pt; font-weight: 700; letter-spacing: .01em; }
h2 {
  font-size: 8.6pt; font-weight: 700; text-transform: uppercase; letter-spacing: .06em;
  color: #3d4852; border-bottom: .6pt solid #b8c0c8; padding-bottom: .6mm; margin-bottom: 1.2mm;
}
h3 { font-size: 8.4pt; font-weight: 700; margin: 1.2mm 0 .4mm; }
section { margin-top: 2mm; }
ul { padding-left: 3.6mm; }
li { break-inside: avoid; }
.top { display: flex; justify-content: space-between; align-items: baseline; gap: 4mm;
  border-bottom: 1.4pt solid #1d2329; padding-bottom: 1.2mm; }
.who { font-size: 8.4pt; color: #3d4852; text-align: right; overflow-wrap: anywhere; }
.level { margin-top: 2mm; padding: 1.4mm 3mm; border-left: 2.4mm solid; background: #f4f5f7;
  display: flex; gap: 4mm; align-items: baseline; }
.level .word { font-size: 12pt; font-weight: 800; letter-spacing: .04em; white-space: nowrap; }
.level .advice { font-size: 9.2pt; font-weight: 600; }
.lv-emergency { border-color: #b3261e; } .lv-emergency .word, td.lv-emergency { color: #b3261e; }
.lv-urgent { border-color: #c4520f; } .lv-urgent .word, td.lv-urgent { color: #b34a0c; }
.lv-soon { border-color: #a97c00; } .lv-soon .word, td.lv-soon { color: #7a5a00; }
.lv-routine { border-color: #2e7d4f; } .lv-routine .word, td.lv-routine { color: #2e7d4f; }
.lv-unknown { border-color: #5c6670; }
.note { margin-top: 2mm; padding: 1.2mm 2.4mm; border: .8pt solid #8a6d00;
  background: #fff8e1; font-weight: 600; }
.missing { color: #5c6670; font-style: italic; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-weight: 700; color: #3d4852; font-size: 7.6pt;
  border-bottom: .6pt solid #b8c0c8; padding: .4mm 1.4mm .4mm 0; }
td { vertical-align: top; padding: .55mm 1.4mm .55mm 0; border-bottom: .4pt solid #e1e5e9; }
tr { break-inside: avoid; }
.flags td.lv { font-weight: 700; white-space: nowrap; width: 15mm; }
.flags td.sign { width: 66mm; font-weight: 600; }
.src { color: #5c6670; font-size: 7pt; }
.flags.dense { font-size: 7.3pt; }
.flags.dense td { padding-top: .3mm; padding-bottom: .3mm; }
.tag { font-size: 6.9pt; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
  border: .5pt solid currentColor; border-radius: .6mm; padding: 0 .6mm; margin-left: 1mm;
  white-space: nowrap; color: #5c6670; }
.checks { columns: 3; column-gap: 4mm; list-style: none; padding: 0; font-size: 7.3pt; }
.checks li { padding-left: 8.5mm; text-indent: -8.5mm; }
.ans { display: inline-block; width: 7.5mm; text-indent: 0; font-size: 7pt; font-weight: 700;
  text-transform: uppercase; letter-spacing: .03em; color: #5c6670; }
.ans.yes { color: #b3261e; } .ans.unsure { color: #8a5a00; }
.why { color: #5c6670; font-size: 7.4pt; }
.band { columns: 2; column-gap: 6mm; margin-top: 2mm; }
.band section { break-inside: avoid; margin: 0 0 2mm; }
.pattern { margin-top: 1mm; break-inside: avoid; }
.pattern .name { font-weight: 700; }
.crit { margin-top: .2mm; color: #2c343b; font-size: 7.4pt; }
.unasked { margin-top: .8mm; font-size: 7.3pt; color: #3d4852; }
.facts { margin-bottom: 1.6mm; break-inside: avoid; }
.groups { columns: 2; column-gap: 6mm; }
.facts th { color: #1d2329; font-size: 8pt; }
.facts td:first-child { width: 42%; color: #3d4852; }
.facts td:not(:first-child) { font-weight: 600; }
.run { margin-bottom: 1.2mm; break-inside: avoid; font-size: 7.4pt; }
.yn { font-weight: 700; color: #3d4852; }
.c2 td:first-child { width: 34%; }
.plain { list-style: none; padding: 0; }
.plain li { margin-bottom: .5mm; }
.notice { margin-top: 2.6mm; padding: 1.4mm 2.4mm; border: 1pt solid #1d2329; font-weight: 700;
  font-size: 8.8pt; break-inside: avoid; }
.made { margin-top: 1.4mm; color: #5c6670; font-size: 6.6pt; overflow-wrap: anywhere; }
.made code { font-family: "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 6.2pt; }
"""
