-- The lost-scan watchdog (issue 22): the scheduler moves a target's next due time when it
-- publishes, so a scan that is published and never stored (dead-lettered, or lost to a worker bug)
-- would leave the target unscanned and unflagged for its whole interval. These columns record the
-- scan the scheduler published last and let the watchdog check each one once, after a deadline.
--
-- scan_published_id: the scan the scheduler (or the watchdog's re-publish) published last.
-- scan_attempt:      1 for a scheduled scan, 2 for the watchdog's re-publish of a lost one.
-- watch_from:        when that scan was published, while the watchdog has yet to check it; null
--                    once checked. The partial index keeps each round a short range scan of the
--                    scans past their deadline, however large the fleet.
-- scan_lost_at:      when the watchdog first found the target's scan missing; null when it never
--                    did. The target counts as lost while no result newer than this has landed.
-- scan_lost_state:   'republished' (a second attempt is on its way) or 'left_for_operator' (the
--                    second attempt was lost too: nothing more is published until the next
--                    scheduled scan).
-- Every column is nullable or has a constant default, so adding them rewrites no row.
alter table targets
    add column scan_published_id uuid,
    add column scan_attempt      smallint not null default 0,
    add column watch_from        timestamptz,
    add column scan_lost_at      timestamptz,
    add column scan_lost_state   text
        check (scan_lost_state in ('republished', 'left_for_operator'));

create index targets_watch_idx on targets (watch_from) where watch_from is not null;
create index targets_lost_idx on targets (account_id) where scan_lost_at is not null;
