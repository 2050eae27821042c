package dev.unplug.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The session's plain socket, beneath any TLS pgjdbc layers over it. While a graceful disconnect runs, pgjdbc's
 * {@code close()} (after it has written Terminate) only half-closes it, so that the plugin can wait for the
 * server's end of the stream; {@link #abort(boolean)} ends it at once, from any thread. Thread-safe for those two;
 * reads and writes are pgjdbc's, one thread at a time.
 */
final class SessionSocket extends Socket {

    private volatile boolean holdClose;
    private volatile boolean closeAsked;

    SessionSocket() {
        super();
    }

    /** From now on pgjdbc's close only shuts the output down (after its Terminate); the plugin closes later. */
    void holdCloseForGoodbye() {
        holdClose = true;
    }

    /** Whether pgjdbc asked to close while the close was held (it did so after writing Terminate). */
    boolean closeAsked() {
        return closeAsked;
    }

    @Override
    public synchronized void close() throws IOException {
        if (holdClose && !isClosed()) {
            closeAsked = true;
            if (!isOutputShutdown() && isConnected()) {
                try {
                    shutdownOutput();
                } catch (IOException ignored) {
                    // the server went first: the wait below sees the end at once
                }
            }
            return;
        }
        super.close();
    }

    /**
     * Reads and discards until the server ends the stream, within the time left.
     *
     * @return the bytes the server sent before its end (none is expected after Terminate)
     * @throws SocketTimeoutException when the server has not ended the stream in time
     */
    long awaitEnd(long millis) throws IOException {
        setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
        InputStream in = super.getInputStream();
        byte[] buffer = new byte[512];
        long extra = 0;
        long until = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
                return extra;
            }
            extra += n;
            long left = (until - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("the server sent " + extra + " bytes and did not end the session");
            }
            setSoTimeout((int) Math.max(1, left));
        }
    }

    /** Ends the socket now: input shut down first (wakes a reader at once), reset when asked, closed. */
    void abort(boolean reset) {
        holdClose = false;
        if (!isClosed() && isConnected() && !isInputShutdown()) {
            try {
                shutdownInput();
            } catch (IOException | RuntimeException ignored) {
                // closed meanwhile: the close below is all there is
            }
        }
        if (reset) {
            try {
                setSoLinger(true, 0);
            } catch (IOException | RuntimeException ignored) {
                // already closed
            }
        }
        try {
            super.close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }
}
