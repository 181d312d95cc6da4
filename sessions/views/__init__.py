"""The treatment note's pages, one module a page: the form (edit), the note and its sign
and amend buttons (notes), the point picker's search (points), the CSV export (export)."""
