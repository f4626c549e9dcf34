"""Import and export of households with their members (spreadsheets in, spreadsheets out).

resources.py defines the export columns (a django-import-export resource), exporting.py streams them as
CSV or XLSX, importing.py is the upload pipeline: parse → validate → preview → import.
"""
