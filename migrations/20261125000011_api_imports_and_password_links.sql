-- Issue 7: survey bases imported through the REST API. The import still runs under the
-- permission of the supervisor or admin who answers for the key (imported_by), and the key
-- that made the call is kept beside it.
ALTER TABLE detractor_imports ADD COLUMN imported_by_api_key_id TEXT REFERENCES api_keys (id);
