-- Section fingerprints of each stored configuration version (issue 20): a push finds the sections
-- it changes by comparing its document's fingerprints with the newest version's, instead of
-- reading that document back and diffing the two trees, which was the largest share of a push's
-- database time (the detoasted document rendered as text, sent, parsed again). A JSON object of
-- section (permission markers as '_errors/<section>') to the first 128 bits of a SHA-256 of the
-- section's canonical form, written by dev.vigil.snapshots.internal.SectionDigests. Versions
-- stored before this keep null and are diffed as before, once: the next push stores fingerprints.
alter table config_snapshots add column section_digests jsonb;
