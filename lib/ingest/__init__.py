"""Import, template and export of the city's workbooks (shared/spec/import-format.md).

Modules, in the order an import runs through them:
- `read`: a .xlsx (python-calamine), a folder or .zip of .csv files → raw cells with their
  Excel row numbers (header = row 1).
- `schema`: the contract as data (sheets, columns, Korean/English names, kinds, rules).
- `cells`, `rules`, `validate`: every value and row rule, unique ids, references.
- `write`: staging tables, preview counts, upsert (INSERT … ON CONFLICT DO UPDATE WHERE
  changed), replace-mode deletes.
- `importer`: one import end to end, in one transaction, with the import log.
- `report`, `messages`: problems in Korean and English, the terminal list, the report file.
- `template`, `export`: the blank workbook and the whole database in the contract's format.
- `command`: the CLI's `import`.

Decisions the contract leaves open:
- A code or id typed into a number cell (e.g. 42) is read as its digits ("42"): a whole
  number has one sensible text. Leading zeros Excel already dropped cannot come back, so
  each such column gets one warning (how many rows, the first row) saying so. The template
  and the export format code columns as text, so this does not happen with them.
- An optional column absent from a sheet is empty for every row of that sheet (the row in
  the file is the row), with a warning naming the column.
- Dates: besides the contract's forms, a date-time cell (its day is taken) and the way
  Korean Excel shows dates typed as text ("2024. 1. 5.") are accepted; so is a whole number
  YYYYMMDD in a number cell. A serial number in a plain number cell is not a date.
- A completely empty sheet (no header) is ignored with a warning; a sheet with headers and
  no rows is present (in replace mode it empties its table).
- Referral reasons are required for 불수락 and 연계실패 and allowed for other statuses.
- Replace mode requires the neighbourhoods sheet (the database will equal the workbook).
- Dry runs (`--dry-run`, the app's preview) are not written to the import log; real
  imports are, whether they end ok, rejected or failed.
- Imports are serialised on PostgreSQL (an advisory lock), so two uploads at once cannot
  each validate against a database the other is changing.
"""
