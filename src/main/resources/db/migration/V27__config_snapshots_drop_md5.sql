-- config_snapshots.digest held md5 of the stored document's text since V1 and nothing ever read it:
-- pushes compare section fingerprints (section_digests, V20) and read documents by version. Each
-- push still paid for it, and it kept the documents on their way to PostgreSQL as text: the batch
-- insert now hands them over inside one JSON array, which PostgreSQL parses once into jsonb, with
-- nothing to escape on either side (vigil bench changes, issue 20). Dropping a column only marks it
-- dropped; the space comes back as rows are rewritten, and pruning rewrites every target's
-- versions within 32 pushes.
alter table config_snapshots drop column digest;
