package dev.unplug.testkit.nntp;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads CRLF- or LF-terminated UTF-8 lines of bounded length from a socket. Not thread-safe. */
final class LineReader {

    static final int MAX_LINE = 16 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[MAX_LINE];

    LineReader(InputStream in) {
        this.in = new BufferedInputStream(in);
    }

    /**
     * The next line without its terminator, or null at the end of the stream (a final unterminated fragment is
     * dropped: a client that closes mid-line sent no command).
     *
     * @throws IOException on a read failure or a line longer than {@link #MAX_LINE} bytes
     */
    String readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                int end = n > 0 && buffer[n - 1] == '\r' ? n - 1 : n;
                return new String(buffer, 0, end, StandardCharsets.UTF_8);
            }
            if (n == MAX_LINE) {
                throw new IOException("line longer than " + MAX_LINE + " bytes");
            }
            buffer[n++] = (byte) b;
        }
    }
}
