package dev.unplug.transport;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The plain socket of a transport connection, with two guards on its byte streams (beneath any TLS layer, which
 * reads and writes through them):
 *
 * <ul>
 *   <li>a reply budget: at most {@code maxReply} bytes may arrive between two writes of the client, so that a
 *       hostile server streaming an endless line or an endless multi-line reply fails the read with
 *       {@link ReplyTooLarge} instead of growing memory without bound;</li>
 *   <li>a goodbye gate for hosts that end many connections at once: after {@link #probe()}, a read that would
 *       block before any byte of the answer arrived fails at once with {@link AnswerPending} (consuming nothing),
 *       so the goodbye is sent without holding a thread; after {@link #replay()} writes are swallowed, so the
 *       same goodbye can be run again later just to read its answer.</li>
 * </ul>
 *
 * Read and written by one thread at a time (the command lock); the mode changes under that lock too.
 */
final class GuardedSocket extends Socket {

    /** More bytes arrived in answer to one command than the budget allows. */
    static final class ReplyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        final long limit;

        ReplyTooLarge(long limit) {
            super("the server sent more than " + limit + " bytes in answer to one command");
            this.limit = limit;
        }
    }

    /** The answer has not arrived yet; nothing was consumed. Thrown only in probe mode; no stack trace. */
    static final class AnswerPending extends SocketTimeoutException {
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
    enum Mode {
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

    GuardedSocket(long maxReply) {
        this.maxReply = maxReply;
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

    /** Reads that would wait before the first byte of an answer fail with {@link AnswerPending}. */
    void probe() {
        consumedSinceProbe = false;
        mode = Mode.PROBE;
    }

    /** Writes are swallowed (they were sent already); reads wait normally. */
    void replay() {
        mode = Mode.REPLAY;
    }

    /** Back to normal reads and writes. */
    void normal() {
        mode = Mode.NORMAL;
    }

    /** The gate's mode. */
    Mode mode() {
        return mode;
    }

    /**
     * Whether a read would not block: bytes wait in the kernel, or the socket is closed (the read fails at once).
     * Never blocks.
     */
    boolean readable() {
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
