-- An insight's large context: every offending value the check saw (a JSON array of strings, at most
-- 100,000 values of at most 1,024 characters each), replaced by each scan that sees the insight and
-- null when the check names none. Served only by GET .../insights/{insight_id}/context, page by
-- page, never by the lists; PostgreSQL keeps a large value out of line (TOAST), so list queries,
-- which never select the column, do not read it.
alter table insights add column context jsonb;

-- The COPY path stages the context with the rest of the finding (\N when none).
alter table insight_staging add column context jsonb;
