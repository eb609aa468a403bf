-- A scan result that reaches the API after a newer scan of the same target was applied (the lanes
-- reorder one target's scans under load) is not applied, and until now left no row: the fault
-- suite's audit, which looks for every published scan in `scans`, called it lost. It is now
-- recorded with write_path 'superseded' and zero findings, opened and resolved (results.internal.
-- SupersededScans), so every scan that ran has an outcome. Reads that mean "applied scans" (the
-- rollout's cohort counts and rollback targets, a finding's context) leave those rows out.
comment on column scans.write_path is
    'unnest, copy or naive: how an applied result''s findings were written; superseded: the result '
    'came after a newer scan of the target and was not applied';
