package dev.vigil.results.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pipe from a writer thread to a reader thread, in 64 KiB chunks (at most four in
 * flight). Unlike {@link java.io.PipedInputStream} it does not tie itself to the identity of the
 * threads on either side (the HTTP client reads from pooled threads that come and go), and the
 * writer gives up after {@code stall} instead of blocking forever when the reader has gone.
 */
public final class ChunkPipe {

    private static final int CHUNK = 64 * 1024;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
    private final long stallNanos;

    public ChunkPipe(java.time.Duration stall) {
        this.stallNanos = stall.toNanos();
    }

    /** The writing side; closing it marks the end of the data. */
    public OutputStream sink() {
        return new OutputStream() {
            private byte[] buf = new byte[CHUNK];
            private int used;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                if (used == buf.length) {
                    flushChunk();
                }
                buf[used++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    if (used == buf.length) {
                        flushChunk();
                    }
                    int n = Math.min(len, buf.length - used);
                    System.arraycopy(b, off, buf, used, n);
                    used += n;
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                flushChunk();
                put(END);
            }

            private void flushChunk() throws IOException {
                if (used > 0) {
                    put(Arrays.copyOf(buf, used));
                    used = 0;
                }
            }
        };
    }

    private void put(byte[] chunk) throws IOException {
        try {
            if (!chunks.offer(chunk, stallNanos, TimeUnit.NANOSECONDS)) {
                throw new IOException(
                        "reader of the pipe took nothing for "
                                + TimeUnit.NANOSECONDS.toMillis(stallNanos)
                                + "ms; giving up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing to the pipe");
        }
    }

    /** The reading side; returns -1 once the writer has closed the sink. */
    public InputStream source() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos == current.length) {
                    if (ended) {
                        return -1;
                    }
                    try {
                        current = chunks.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading the pipe");
                    }
                    pos = 0;
                    // END is the only empty chunk: flushChunk never puts an empty one
                    ended = current.length == 0;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
