package dev.vigil.scheduling;

import dev.vigil.events.Lane;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Decides a target's lane from cheap metadata kept in the inventory: its asset count and the
 * smoothed duration of its previous scans. Nothing is fetched to decide.
 */
public record LaneClassifier(int slowAssets, Duration slowDuration) {

    public Lane classify(int assetCount, @Nullable Double smoothedDurationMs) {
        if (assetCount >= slowAssets) {
            return Lane.SLOW;
        }
        if (smoothedDurationMs != null && smoothedDurationMs >= slowDuration.toMillis()) {
            return Lane.SLOW;
        }
        return Lane.FAST;
    }
}
