"""Safe input and output, below every layer that touches files.

``archive`` (the checked zip reader: names, declared sizes, ratios, counted reads), ``files``
(bounded reads of regular files only; the atomic writer and its file-mode policy), ``controls``
(the control characters every reader replaces), ``csvfiles`` (CSV with formula neutralisation)
and ``xlsxcells`` (the one workbook cell writer). See README.md.
"""
