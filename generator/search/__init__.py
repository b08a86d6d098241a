"""The archive's own full-text search with facets, built at build time into small static files.

Why not one index: a reader's first query must stay small at 100,000 articles (Material's lunr
index is downloaded whole; Pagefind loads a file per filter). Here the browser fetches only the
shards holding its query's words and word pairs, one small file per filter used, and the titles of
the results it shows (build.py writes them, theme_overrides/assets/search.js reads them)."""
