package dev.vigil.sources;

import dev.vigil.inventory.Target;

/**
 * Where a worker gets a target's configuration document: the port between the checker and the
 * systems that own configuration (an HTTP config service, a cloud API, pushed snapshots, a
 * synthetic fleet).
 *
 * <p>Implementations are thread-safe: {@link #fetch} is called concurrently from many virtual
 * threads, and blocks the calling thread until the document arrives or the fetch fails. A failure
 * is a {@link ConfigSourceException} whose type alone decides what the caller does: {@link
 * RetriableSourceException} (try again later) or {@link PermanentSourceException} (retrying will
 * not help; record the failure). {@link #close()} releases connections; fetches after it fail.
 */
public interface ConfigSource extends AutoCloseable {

    /**
     * Fetches the current configuration of the target.
     *
     * @throws RetriableSourceException on timeouts, overload and connection failures
     * @throws PermanentSourceException when the target is unknown or its document is unusable
     */
    ConfigDocument fetch(Target target);

    /**
     * Fetches the target's document unless it is over {@code budget}. This default cannot stop a
     * fetch early: it fetches the whole document and returns it, since a caller holding the
     * document evaluates it rather than fetching it a second time elsewhere. Sources whose fetches
     * can be cut short (an HTTP exchange, a document already in memory) override it.
     *
     * @throws RetriableSourceException as {@link #fetch(Target)}
     * @throws PermanentSourceException as {@link #fetch(Target)}
     */
    default Fetched fetch(Target target, FetchBudget budget) {
        return new Fetched.Document(fetch(target));
    }

    /** Releases the source's resources. Narrowed to throw nothing checked. */
    @Override
    void close();
}
