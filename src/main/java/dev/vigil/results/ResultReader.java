package dev.vigil.results;

import java.util.Iterator;

/**
 * A scan result being read from a stream: the header has been read and validated, the findings are
 * read one by one as {@link #next()} is called and are never all held in memory.
 *
 * <p>Not thread-safe; one reader belongs to one request. {@link #hasNext()} and {@link #next()}
 * throw {@link MalformedResultException} for a malformed finding. Closing does not close the
 * underlying stream's owner (the HTTP request), only the parser.
 */
public interface ResultReader extends Iterator<ResultFinding>, AutoCloseable {

    /** The header fields, all read before the findings array. */
    ScanHeader header();

    /** The number of findings returned so far by {@link #next()}. */
    long findingsRead();

    @Override
    void close();
}
