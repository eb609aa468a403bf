-- Before the results route refused scan times ahead of its clock (issue 18, defect 3), one result
-- dated in the future ("scanned_at": "+12000-01-01T00:00:00Z") moved its target's watermark
-- (last_result_at) there, and every real scan after it was ignored as stale: the target froze for
-- good. This puts each such watermark back to the target's newest scan that is not from the future,
-- or to none, so the next real scan is applied and resolves what the forged one opened. The forged
-- scan's row stays in scans, as the record of what happened. "From the future" is more than the
-- route's allowed skew (5 minutes) ahead of the clock of the database that runs this.
update targets t
set last_result_at = real.scanned_at,
    last_scan_id   = real.scan_id
from (
    select f.target_id, s.scanned_at, s.scan_id
    from targets f
    left join lateral (
        select scanned_at, scan_id
        from scans
        where scans.target_id = f.target_id
          and scans.scanned_at <= now() + interval '5 minutes'
        order by scanned_at desc
        limit 1
    ) s on true
    where f.last_result_at > now() + interval '5 minutes'
) real
where t.target_id = real.target_id;
