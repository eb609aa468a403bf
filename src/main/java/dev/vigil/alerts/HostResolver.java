package dev.vigil.alerts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to its addresses for {@link OutboundPolicy}. Injectable so that tests never
 * ask the machine's resolver: they use IP literals, or a resolver of their own.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Every address of {@code host} (a name, never an IP literal: the policy parses those itself).
     *
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /**
     * The JVM's resolver, {@link InetAddress#getAllByName}. Its answers are cached for {@code
     * networkaddress.cache.ttl} (30 s by default), and the HTTP client resolves through the same
     * cache, so the connection goes to the addresses the policy checked unless the cache entry
     * expires in between.
     */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
