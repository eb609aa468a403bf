package dev.vigil.simulate;

import dev.vigil.inventory.Target;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole synthetic fleet held in memory (for small fleets; use {@link FleetGenerator#document} to
 * produce documents one at a time for large ones).
 *
 * @param documentsByTargetId each target's configuration document as JSON
 * @param planted every insight the fleet's documents must produce, no more, no fewer
 */
public record Fleet(
        List<Target> targets,
        Map<String, byte[]> documentsByTargetId,
        Set<PlantedInsight> planted) {

    public Fleet {
        targets = List.copyOf(targets);
        documentsByTargetId = Map.copyOf(documentsByTargetId);
        planted = Set.copyOf(planted);
    }
}
