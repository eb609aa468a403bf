-- Stored configuration documents and their section fingerprints become text (issue 20, the batch
-- push route). Nothing ever read them as jsonb: documents are read whole, by version, as text
-- (document::text), and the fingerprints are compared in the JVM (section_digests::text). As jsonb
-- each push paid PostgreSQL to parse both into jsonb, and each read to render them back as text:
-- about 13 % of PostgreSQL's CPU on the batch route was jsonb parsing and 4 % escape_json rendering
-- the fingerprints (perf, docs/perf/2026-12-05-push-intake.md). What is stored is what the API
-- validated and wrote compact (PushedJson: valid JSON, no duplicate keys, nothing jsonb would
-- refuse), so no check is lost. Existing rows are rewritten once, rendered as jsonb renders them.
alter table config_snapshots
    alter column document type text using document::text,
    alter column section_digests type text using section_digests::text;

-- TOAST compresses each document (5 KB is typical) with pglz, 14 % of PostgreSQL's CPU on the same
-- route. lz4 compresses several times faster for a similar ratio; servers built without it (the
-- embedded test binaries) keep pglz, and only values stored from now on are compressed with lz4.
do $$
begin
    alter table config_snapshots alter column document set compression lz4;
exception when feature_not_supported then
    raise notice 'this server has no lz4: config_snapshots.document keeps pglz';
end
$$;
