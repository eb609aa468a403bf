package dev.vigil.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class ReplayMarksTest {

    @Test
    void replayedEntriesBehindASkippedOneAreMarkedAndTheSkippedOneStaysPending() {
        ReplayMarks m = ReplayMarks.from(null, 10);
        m.markDone(10);
        // 11 skipped
        m.markDone(12);
        m.markDone(13);
        m.markDone(15);

        OffsetAndMetadata commit = m.commit();
        assertThat(commit.offset()).as("the first pending entry").isEqualTo(11);
        assertThat(commit.metadata()).isEqualTo("12-13,15");

        ReplayMarks next = ReplayMarks.from(commit, 0);
        assertThat(next.next()).isEqualTo(11);
        assertThat(next.isDone(10)).isTrue();
        assertThat(next.isDone(11)).isFalse();
        assertThat(next.isDone(12)).isTrue();
        assertThat(next.isDone(13)).isTrue();
        assertThat(next.isDone(14)).isFalse();
        assertThat(next.isDone(15)).isTrue();
    }

    @Test
    void replayingTheSkippedEntryAdvancesPastTheMarkedRun() {
        ReplayMarks m = ReplayMarks.from(new OffsetAndMetadata(11, "12-13,15"), 0);
        m.markDone(11);
        assertThat(m.commit()).isEqualTo(new OffsetAndMetadata(14, "15"));
        m.markDone(14);
        assertThat(m.commit()).isEqualTo(new OffsetAndMetadata(16, ""));
    }

    @Test
    void anOffsetCommittedBeforeTheMarksExistedReadsAsEverythingBeforeItDone() {
        ReplayMarks m = ReplayMarks.from(new OffsetAndMetadata(7), 0);
        assertThat(m.isDone(6)).isTrue();
        assertThat(m.isDone(7)).isFalse();
        assertThat(m.commit()).isEqualTo(new OffsetAndMetadata(7, ""));
    }

    @Test
    void marksThatWouldPassTheMetadataLimitDoNotFit() {
        ReplayMarks m = ReplayMarks.from(null, 0);
        long offset = 1; // 0 stays pending; every other entry after it is replayed
        while (m.fits(offset)) {
            m.markDone(offset);
            offset += 2;
        }
        assertThat(m.commit().metadata().length()).isLessThanOrEqualTo(ReplayMarks.MAX_METADATA);
        assertThat(m.fits(0)).as("the first pending entry always fits").isTrue();
    }

    @Test
    void metadataOfAnotherToolIsRefusedWithTheFix() {
        assertThatThrownBy(() -> ReplayMarks.from(new OffsetAndMetadata(3, "replayed by hand"), 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'replayed by hand'")
                .hasMessageContaining("reset the group's offsets");
    }
}
