package dev.vigil.bench.internal;

import dev.vigil.worker.LatencyHistogram;
import dev.vigil.worker.ScanHandler;
import dev.vigil.worker.ScanTimings;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The counters of a set of scan handlers at one instant; the difference of two is a measurement
 * window.
 */
public record Window(
        long nanos,
        long scans,
        long findings,
        LatencyHistogram.Snapshot endToEnd,
        LatencyHistogram.Snapshot processing,
        ScanTimings.Stages stages,
        ProcessStats process,
        BrokerRequests broker) {

    public static Window of(List<ScanHandler> handlers, @Nullable ProcessHandle postgres) {
        long scans = 0, findings = 0;
        LatencyHistogram.Snapshot e2e = null, proc = null;
        ScanTimings.Stages st = new ScanTimings.Stages(0, 0, 0);
        for (ScanHandler h : handlers) {
            scans += h.scanned();
            findings += h.findings();
            LatencyHistogram.Snapshot a = h.timings().endToEnd().snapshot();
            LatencyHistogram.Snapshot b = h.timings().processing().snapshot();
            e2e = e2e == null ? a : e2e.plus(a);
            proc = proc == null ? b : proc.plus(b);
            ScanTimings.Stages s = h.timings().stages();
            st =
                    new ScanTimings.Stages(
                            st.fetchNanos() + s.fetchNanos(),
                            st.evaluateNanos() + s.evaluateNanos(),
                            st.submitNanos() + s.submitNanos());
        }
        if (e2e == null || proc == null) {
            throw new IllegalArgumentException("a window needs at least one handler");
        }
        return new Window(
                System.nanoTime(),
                scans,
                findings,
                e2e,
                proc,
                st,
                ProcessStats.now(postgres),
                BrokerRequests.now());
    }

    /** What happened between {@code earlier} and this. */
    public Delta since(Window earlier) {
        return new Delta(
                (nanos - earlier.nanos) / 1e9,
                scans - earlier.scans,
                findings - earlier.findings,
                endToEnd.minus(earlier.endToEnd),
                processing.minus(earlier.processing),
                stages.minus(earlier.stages),
                (process.jvmCpu().toNanos() - earlier.process.jvmCpu().toNanos()) / 1e9,
                (process.childrenCpu().toNanos() - earlier.process.childrenCpu().toNanos()) / 1e9,
                new Requests(
                        broker.since(earlier.broker, "Fetch"),
                        broker.since(earlier.broker, "OffsetCommit"),
                        broker.since(earlier.broker, "Produce"),
                        broker.totalSince(earlier.broker)));
    }

    /** Requests the in-process broker answered in a window: fetches, commits, produces, all. */
    public record Requests(long fetch, long offsetCommit, long produce, long all) {}

    /** A measurement window. */
    public record Delta(
            double seconds,
            long scans,
            long findings,
            LatencyHistogram.Snapshot endToEnd,
            LatencyHistogram.Snapshot processing,
            ScanTimings.Stages stages,
            double jvmCpuSeconds,
            double childrenCpuSeconds,
            Requests broker) {

        public double rate() {
            return scans / seconds;
        }

        /** Mean wall milliseconds per scan of a stage total. */
        public double perScanMs(long nanos) {
            return scans == 0 ? 0 : nanos / 1e6 / scans;
        }
    }
}
