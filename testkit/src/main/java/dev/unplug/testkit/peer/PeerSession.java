package dev.unplug.testkit.peer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLSocket;

/** One accepted connection of a {@link LoopbackPeer}: reads lines, records them, answers per the behaviour. */
final class PeerSession {

    /** Binary noise and non-protocol text, the garbage a broken or foreign server sends. */
    private static final byte[] NOISE = {0x00, (byte) 0xFF, (byte) 0xFE, 0x1B, 0x07, (byte) 0x80, 0x7F, '\r', '\n'};
    private static final String FOREIGN = "HTTP/1.1 400 Bad Request";
    private static final int MAX_LINE = 64 * 1024;
    /** Where an endless reply stops when the client never closes: a bound, not a figure. */
    private static final long ENDLESS_LIMIT = 1L << 30;

    private final LoopbackPeer peer;
    private final PeerConnection record;
    private volatile Socket socket;
    private volatile Thread thread;

    PeerSession(LoopbackPeer peer, Socket socket, PeerConnection record) {
        this.peer = peer;
        this.socket = socket;
        this.record = record;
    }

    void start(String name) {
        Thread t = new Thread(null, this::run, name, 256 * 1024);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    Thread thread() {
        return thread;
    }

    /** Closes the socket at once (the session's read then fails and its thread ends). */
    void abort() {
        LoopbackPeer.closeQuietly(socket);
        record.markClosed();
    }

    private void run() {
        try {
            converse();
        } catch (IOException | RuntimeException e) {
            // the client went away, reset, or the peer was closed: the session ends either way
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            abort();
        }
    }

    private void converse() throws IOException, InterruptedException {
        Socket s = socket;
        InputStream in = new BufferedInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        if (!peer.silent) {
            pause(peer.delay());
            if (peer.endlessGreeting) {
                sendEndlessly(out);
                return;
            }
            if (peer.garbageGreeting) {
                out.write(NOISE);
                out.flush();
            } else {
                send(out, peer.script.greeting());
            }
        }
        String line;
        while ((line = readLine(in)) != null) {
            LineScript script = peer.script;
            boolean goodbye = script.isGoodbye(line);
            record.record(line, goodbye);
            if (peer.silent || peer.isMuted()) {
                continue;
            }
            if (goodbye && peer.resetOnGoodbye) {
                s.setSoLinger(true, 0);
                s.close();
                return;
            }
            if (goodbye && peer.neverAnswerGoodbye) {
                continue;
            }
            pause(peer.delay());
            if (goodbye) {
                pause(peer.goodbyeDelay);
            }
            if (peer.endlessRequest != null && peer.endlessRequest.test(line)) {
                sendEndlessly(out);
                return;
            }
            if (peer.garbage) {
                out.write(NOISE);
                out.write((FOREIGN + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                continue;
            }
            send(out, script.replyTo(line));
            if (goodbye) {
                afterGoodbye(s, in);
                return;
            }
            if (script.isStartTls(line)) {
                SSLSocket tls = (SSLSocket) PeerTls.serverContext().getSocketFactory()
                        .createSocket(s, "127.0.0.1", s.getPort(), true);
                tls.setUseClientMode(false);
                tls.startHandshake();
                socket = tls;
                s = tls;
                in = new BufferedInputStream(tls.getInputStream());
                out = tls.getOutputStream();
            }
        }
    }

    /**
     * A server closes after answering the goodbye. The peer half-closes, so the client sees the end at once, and
     * records (bounded in time) whatever the client still sends: a second goodbye must show in the record.
     */
    private void afterGoodbye(Socket s, InputStream in) throws IOException {
        try {
            s.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
            return; // cannot half-close (some TLS sockets): close at once
        }
        s.setSoTimeout(2_000);
        String line;
        while ((line = readLine(in)) != null) {
            record.record(line, peer.script.isGoodbye(line));
        }
    }

    /** The first line, then the repeated text until the client closes (the write fails) or 1 GiB is sent. */
    private void sendEndlessly(OutputStream out) throws IOException {
        if (!peer.endlessFirst.isEmpty()) {
            out.write((peer.endlessFirst + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] unit = peer.endlessRepeat.getBytes(StandardCharsets.UTF_8);
        byte[] chunk = new byte[Math.max(unit.length, 16 * 1024 / unit.length * unit.length)];
        for (int i = 0; i + unit.length <= chunk.length; i += unit.length) {
            System.arraycopy(unit, 0, chunk, i, unit.length);
        }
        for (long sent = 0; sent < ENDLESS_LIMIT; sent += chunk.length) {
            out.write(chunk);
        }
        out.flush();
    }

    private static void pause(java.time.Duration delay) throws InterruptedException {
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        }
    }

    private static void send(OutputStream out, List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder();
        for (String l : lines) {
            s.append(l).append("\r\n");
        }
        out.write(s.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A line ended by LF (a CR before it dropped), or null at the end of the stream. Byte-exact (ISO-8859-1). */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (line.size() < MAX_LINE) {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }
}
