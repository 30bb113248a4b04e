"""Full-text search of the policy library: one interface (`selectors.search_documents`,
`selectors.search_suggest`, `services.search_index_document`) over two backends fed by the shared
analyzer `gongkai.text`: SQLite FTS5 (embedded default) and PostgreSQL full text with a GIN index."""
