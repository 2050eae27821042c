package dev.unplug.spi.internal;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.apiguardian.api.API;

/**
 * The plain socket of a socket-based connection, with two guards on its byte streams (beneath any TLS layer, which
 * reads and writes through them): the raw socket of {@link dev.unplug.spi.SocketConnection}, the one socket base
 * (Unplug's Commons Net plugins included). Internal: not part of the SPI (the module exports this package only to
 * Unplug's own modules); plugins get its guarantees from {@link dev.unplug.spi.SocketConnection}, and it may change
 * with any release.
 *
 * <ul>
 *   <li>A reply budget: at most {@code maxReply} bytes may arrive between two writes of the client, so that a
 *       hostile server streaming an endless line or an endless multi-line reply fails the read with
 *       {@link ReplyTooLarge} (which {@link dev.unplug.spi.AbstractConnection}'s error mapping turns into
 *       {@link dev.unplug.api.ErrorKind#MALFORMED_REPLY}) instead of growing memory without bound.</li>
 *   <li>A goodbye gate, for {@link dev.unplug.spi.AbstractConnection#sendGoodbye(java.time.Duration)}:
 *       {@link #untilAnswerPending(Work)} runs the protocol's goodbye so that a read that would wait before the
 *       first byte of the answer fails at once, consuming nothing; {@link #replaying(Work)} later runs the same
 *       goodbye with its writes swallowed, which reads the answer exactly as the first run would have.</li>
 * </ul>
 *
 * Read and written by one thread at a time (the connection's command lock). Create its descriptor (for example
 * with {@code getSoTimeout()}) before a drop can close it: {@code Socket.close()} before the descriptor exists only
 * marks a socket closed, and a racing {@code connect} would then open one that nothing can close.
 *
 * @since 0.1
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class GuardedSocket extends Socket {

    /** Protocol work run with the gate set: the goodbye, sent and judged. */
    @FunctionalInterface
    @API(status = API.Status.INTERNAL, since = "0.1")
    public interface Work<T> {
        /**
         * Runs the work.
         *
         * @return its result
         * @throws Exception any failure
         */
        T run() throws Exception;
    }

    /** More bytes arrived in answer to one command than the budget allows. */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public static final class ReplyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        private final long limit;
        private final long claimed;

        ReplyTooLarge(long limit) {
            super("the server sent more than " + limit + " bytes in answer to one command");
            this.limit = limit;
            this.claimed = -1;
        }

        /**
         * A length the server claimed (or a count a plugin asked to read) over the budget, refused unread.
         *
         * @param limit the budget in bytes
         * @param claimed the length claimed
         */
        public ReplyTooLarge(long limit, long claimed) {
            super("the server claimed " + claimed + " bytes, more than the reply budget of " + limit + " bytes");
            this.limit = limit;
            this.claimed = claimed;
        }

        /** The length claimed and refused before it was read, or -1 when the bytes arrived. */
        public long claimed() {
            return claimed;
        }

        /** The budget that was exceeded, in bytes. */
        public long limit() {
            return limit;
        }
    }

    /** The answer has not arrived yet; nothing was consumed. Thrown only in probe mode; no stack trace. */
    private static final class AnswerPending extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        AnswerPending() {
            super("the answer has not arrived yet");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** What the gate does. */
    private enum Mode {
        /** Reads and writes pass. */
        NORMAL,
        /** A read that would wait before the first byte of the answer fails with {@link AnswerPending}. */
        PROBE,
        /** Writes are swallowed; reads pass. */
        REPLAY
    }

    private final long maxReply;
    private volatile long received;
    private volatile Mode mode = Mode.NORMAL;
    private volatile boolean consumedSinceProbe;
    private InputStream guardedIn;
    private OutputStream guardedOut;

    /**
     * Creates an unconnected socket with the given reply budget.
     *
     * @param maxReply the most bytes that may arrive between two writes
     */
    public GuardedSocket(long maxReply) {
        this.maxReply = maxReply;
    }

    /**
     * Ends the socket now, for a drop or a deadline: shuts its input down first, which wakes a thread blocked
     * reading it at once through the socket's own wait queue (the read sees the end of the stream), rather than
     * through the signal {@code close()} sends that thread; then closes it, resetting the connection (SO_LINGER 0)
     * when asked. Never throws; idempotent; callable from any thread.
     *
     * @param reset whether to reset the connection rather than close it plainly
     */
    public void abort(boolean reset) {
        if (!isClosed() && isConnected() && !isInputShutdown()) {
            try {
                shutdownInput();
            } catch (IOException | RuntimeException ignored) {
                // closed by a racing close, or the peer reset it: the close below is all there is
            }
        }
        if (reset) {
            try {
                setSoLinger(true, 0);
            } catch (IOException | RuntimeException ignored) {
                // already closed or never connected: a plain close below is all there is
            }
        }
        try {
            close();
        } catch (IOException ignored) {
            // closing is all that was asked
        }
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (guardedIn == null) {
            guardedIn = new GuardedInput(super.getInputStream());
        }
        return guardedIn;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (guardedOut == null) {
            guardedOut = new GuardedOutput(super.getOutputStream());
        }
        return guardedOut;
    }

    /**
     * Runs the goodbye so that it never waits for an answer that has not started to arrive: returns what the work
     * returns when the answer was there, or null when it was not (nothing of it consumed); then the gate is left
     * for {@link #replaying(Work)}. A work that wraps the gate's signal in its own exception is understood too.
     *
     * @param goodbye sends the goodbye and reads its answer
     * @return the work's result, or null when the answer is pending
     * @throws Exception what the work throws otherwise
     */
    public <T> T untilAnswerPending(Work<T> goodbye) throws Exception {
        consumedSinceProbe = false;
        mode = Mode.PROBE;
        try {
            T result = goodbye.run();
            mode = Mode.NORMAL;
            return result;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof AnswerPending) {
                    mode = Mode.REPLAY;
                    return null;
                }
            }
            mode = Mode.NORMAL;
            throw e;
        }
    }

    /**
     * Runs the goodbye again with its writes swallowed (they were sent by {@link #untilAnswerPending(Work)}), so
     * that it reads the answer; reads wait as usual.
     *
     * @param goodbye the same work as before
     * @return what it returns
     * @throws Exception what it throws
     */
    public <T> T replaying(Work<T> goodbye) throws Exception {
        mode = Mode.REPLAY;
        try {
            return goodbye.run();
        } finally {
            mode = Mode.NORMAL;
        }
    }

    /**
     * Whether a read would not block: bytes wait in the kernel, or the socket is closed (the read fails at once).
     * Never blocks.
     */
    public boolean readable() {
        if (isClosed() || isInputShutdown()) {
            return true;
        }
        try {
            return super.getInputStream().available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    private void count(int n) throws ReplyTooLarge {
        if (n > 0) {
            consumedSinceProbe = true;
            long total = received + n;
            received = total;
            if (total > maxReply) {
                throw new ReplyTooLarge(maxReply);
            }
        }
    }

    private void checkProbe(InputStream raw) throws IOException {
        if (mode == Mode.PROBE && !consumedSinceProbe && raw.available() == 0) {
            throw new AnswerPending();
        }
    }

    private final class GuardedInput extends FilterInputStream {
        GuardedInput(InputStream raw) {
            super(raw);
        }

        @Override
        public int read() throws IOException {
            checkProbe(in);
            int b = in.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkProbe(in);
            int n = in.read(b, off, len);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[(int) Math.min(n, 8192)];
            int read = read(sink, 0, sink.length);
            return Math.max(read, 0);
        }
    }

    private final class GuardedOutput extends FilterOutputStream {
        GuardedOutput(OutputStream raw) {
            super(raw);
        }

        @Override
        public void write(int b) throws IOException {
            if (mode != Mode.REPLAY) {
                received = 0;
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (mode != Mode.REPLAY) {
                received = 0;
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            if (mode != Mode.REPLAY) {
                out.flush();
            }
        }
    }
}
