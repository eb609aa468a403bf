package dev.vigil.results.internal;

import dev.vigil.inventory.SqlArrays;
import dev.vigil.results.ScanHeader;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;

/**
 * The {@code scans} columns a result's header gives, one array per column and one element per scan,
 * bound under the names the unnest statements use ({@code :scans}, {@code :targets}, {@code
 * :accounts}, {@code :zones}, {@code :ats}, {@code :versions}, {@code :evaluated}, {@code
 * :errored}): shared by the applied scans' row ({@link AppliedScan#finish}) and the superseded
 * ones' ({@link SupersededScans}).
 */
final class HeaderColumns {
    private final String[] scans, targets, accounts, ats, versions;
    private final @Nullable String[] zones;
    private final Integer[] evaluated, errored;

    /**
     * @param ats each scan's time as PostgreSQL stores it (microseconds), in the order of {@code
     *     headers}
     */
    HeaderColumns(List<ScanHeader> headers, List<Instant> ats) {
        int n = headers.size();
        scans = new String[n];
        targets = new String[n];
        accounts = new String[n];
        zones = new String[n];
        this.ats = new String[n];
        versions = new String[n];
        evaluated = new Integer[n];
        errored = new Integer[n];
        for (int i = 0; i < n; i++) {
            ScanHeader hd = headers.get(i);
            scans[i] = hd.scanId().toString();
            targets[i] = hd.targetId();
            accounts[i] = hd.accountId();
            zones[i] = hd.zoneId();
            this.ats[i] = ats.get(i).toString();
            versions[i] = hd.ruleSetVersion();
            evaluated[i] = hd.evaluatedChecks().size();
            errored[i] = hd.erroredChecks().size();
        }
    }

    /** Binds the columns to {@code statement}. */
    <S extends SqlStatement<S>> S bind(S statement) {
        return statement
                .bind("scans", SqlArrays.binary(scans))
                .bind("targets", SqlArrays.binary(targets))
                .bind("accounts", SqlArrays.binary(accounts))
                .bind("zones", SqlArrays.binary(zones))
                .bind("ats", SqlArrays.binary(ats))
                .bind("versions", SqlArrays.binary(versions))
                .bind("evaluated", SqlArrays.binary(evaluated))
                .bind("errored", SqlArrays.binary(errored));
    }
}
