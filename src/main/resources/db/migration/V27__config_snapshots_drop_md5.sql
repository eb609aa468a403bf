-- config_snapshots.digest held md5 of each stored document's text since V1, and nothing ever read
-- it: pushes compare section fingerprints (section_digests, V20) and documents are read by version.
-- Every push still paid for it inside the insert (about a tenth of the statement's time for 200
-- documents of 5 KB, timed against the same insert without it, 2026-12-05). Dropping a column only
-- marks it dropped; its space comes back as rows are rewritten, and the pruning replaces every
-- target's versions within 32 pushes.
alter table config_snapshots drop column digest;
