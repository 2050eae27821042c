package dev.unplug.postgres;

import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.SocketPeer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL server as small as pgjdbc accepts, on the v3 wire protocol (length-prefixed binary messages): it
 * answers SSLRequest and GSSENCRequest with {@code N}, asks for a cleartext password and accepts any (or refuses
 * with SQLSTATE 28P01 when told to), announces the parameters pgjdbc checks, and answers every extended-protocol
 * query with one row holding 1. Terminate ({@code X}) is the goodbye: the server closes, or misbehaves as the
 * {@link PeerBehaviour} says. It records each client message by its type letter, for the TCK. Hostile modes:
 * garbage in place of the startup reply. Thread-safe; {@link #close()} ends every connection.
 */
final class FakePostgres extends SocketPeer {

    /** What the server does beyond a behaviour: refuse the password, or answer the startup with garbage. */
    enum Trouble { NONE, WRONG_PASSWORD, GARBAGE_STARTUP }

    private final PeerBehaviour behaviour;
    private final Trouble trouble;
    private final java.util.concurrent.atomic.AtomicInteger cancels = new java.util.concurrent.atomic.AtomicInteger();

    FakePostgres(PeerBehaviour behaviour) {
        this(behaviour, Trouble.NONE);
    }

    FakePostgres(PeerBehaviour behaviour, Trouble trouble) {
        super("postgres");
        this.behaviour = behaviour;
        this.trouble = trouble;
    }

    @Override
    protected void serve(Socket s, List<String> log) throws IOException, InterruptedException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        if (behaviour == PeerBehaviour.SILENT) {
            in.transferTo(OutputStream.nullOutputStream());
            return;
        }
        if (!startup(in, out, log)) {
            return;
        }
        List<byte[]> pending = new ArrayList<>();
        while (true) {
            int type = in.read();
            if (type < 0) {
                return;
            }
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            log.add(String.valueOf((char) type));
            switch (type) {
                case 'X' -> {
                    sawGoodbye();
                    if (behaviour == PeerBehaviour.NEVER_ANSWERS_GOODBYE) {
                        // never ends the session: not at Terminate, not at the client's half-close; it keeps
                        // sending notices until a write fails, which is when the client has really gone
                        while (!closing()) {
                            out.write(notice("still here"));
                            out.flush();
                            Thread.sleep(50);
                        }
                        return;
                    }
                    if (behaviour == PeerBehaviour.RESETS_ON_GOODBYE) {
                        s.setSoLinger(true, 0);
                        return;
                    }
                    if (behaviour == PeerBehaviour.SLOW_GOODBYE) {
                        Thread.sleep(500);
                    }
                    return; // the server ends the session: its only answer to Terminate
                }
                case 'P' -> pending.add(message('1', new byte[0]));
                case 'B' -> pending.add(message('2', new byte[0]));
                case 'D' -> {
                    if (body.length > 0 && body[0] == 'S') {
                        pending.add(message('t', new byte[] {0, 0}));
                    }
                    pending.add(rowDescription());
                }
                case 'E' -> {
                    pending.add(dataRow("1"));
                    pending.add(message('C', cstring("SELECT 1")));
                }
                case 'Q' -> { // a simple query: pgjdbc's setup ("SET ...") or a SELECT
                    String sql = new String(body, 0, Math.max(0, body.length - 1), StandardCharsets.UTF_8).strip();
                    if (muted()) {
                        continue;
                    }
                    pause();
                    if (sql.regionMatches(true, 0, "SELECT", 0, 6)) {
                        out.write(rowDescription());
                        out.write(dataRow("1"));
                        out.write(message('C', cstring("SELECT 1")));
                    } else {
                        String word = sql.split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
                        out.write(message('C', cstring(word)));
                    }
                    out.write(message('Z', new byte[] {'I'}));
                    out.flush();
                }
                case 'S', 'H' -> {
                    if (muted()) {
                        pending.clear();
                        continue;
                    }
                    pause();
                    for (byte[] m : pending) {
                        out.write(m);
                    }
                    pending.clear();
                    if (type == 'S') {
                        out.write(message('Z', new byte[] {'I'}));
                    }
                    out.flush();
                }
                default -> {
                    // Close, Flush and the rest need no answer here
                }
            }
        }
    }

    /** SSL/GSS requests refused, the startup message read, a password asked for, the session announced. */
    private boolean startup(DataInputStream in, DataOutputStream out, List<String> log) throws IOException {
        while (true) {
            int length = in.readInt();
            int code = in.readInt();
            byte[] rest = new byte[length - 8];
            in.readFully(rest);
            if (code == 80877102) { // CancelRequest: a connection of its own, closed by the client after it
                log.add("cancel");
                cancels.incrementAndGet();
                return false;
            }
            if (code == 80877103 || code == 80877104) { // SSLRequest, GSSENCRequest
                out.write('N');
                out.flush();
                continue;
            }
            log.add("startup");
            break;
        }
        if (trouble == Trouble.GARBAGE_STARTUP) {
            out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return false;
        }
        out.write(message('R', int32(3))); // AuthenticationCleartextPassword
        out.flush();
        int type = in.read();
        byte[] password = new byte[in.readInt() - 4];
        in.readFully(password);
        log.add(String.valueOf((char) type));
        if (trouble == Trouble.WRONG_PASSWORD) {
            out.write(error("FATAL", "28P01", "password authentication failed for user \"tck\""));
            out.flush();
            return false;
        }
        out.write(message('R', int32(0))); // AuthenticationOk
        for (String[] p : new String[][] {{"server_version", "15.18"}, {"server_encoding", "UTF8"},
            {"client_encoding", "UTF8"}, {"DateStyle", "ISO, MDY"}, {"integer_datetimes", "on"},
            {"standard_conforming_strings", "on"}, {"TimeZone", "UTC"}, {"is_superuser", "off"}}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(cstring(p[0]));
            b.writeBytes(cstring(p[1]));
            out.write(message('S', b.toByteArray()));
        }
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        key.writeBytes(int32(4242));
        key.writeBytes(int32(123456));
        out.write(message('K', key.toByteArray()));
        out.write(message('Z', new byte[] {'I'}));
        out.flush();
        return true;
    }

    private static byte[] rowDescription() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        b.write(1); // one field
        b.writeBytes(cstring("?column?"));
        b.writeBytes(int32(0));          // table oid
        b.write(0);
        b.write(0);                      // column number
        b.writeBytes(int32(23));         // int4
        b.write(0);
        b.write(4);                      // type size
        b.writeBytes(int32(-1));         // type modifier
        b.write(0);
        b.write(0);                      // text format
        return message('T', b.toByteArray());
    }

    private static byte[] dataRow(String value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        b.write(1);
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        b.writeBytes(int32(v.length));
        b.writeBytes(v);
        return message('D', b.toByteArray());
    }

    private static byte[] notice(String text) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write('S');
        b.writeBytes(cstring("NOTICE"));
        b.write('M');
        b.writeBytes(cstring(text));
        b.write(0);
        return message('N', b.toByteArray());
    }

    private static byte[] error(String severity, String state, String text) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write('S');
        b.writeBytes(cstring(severity));
        b.write('V');
        b.writeBytes(cstring(severity));
        b.write('C');
        b.writeBytes(cstring(state));
        b.write('M');
        b.writeBytes(cstring(text));
        b.write(0);
        return message('E', b.toByteArray());
    }

    private static byte[] message(char type, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(type);
        b.writeBytes(int32(body.length + 4));
        b.writeBytes(body);
        return b.toByteArray();
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] cstring(String s) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        byte[] r = new byte[t.length + 1];
        System.arraycopy(t, 0, r, 0, t.length);
        return r;
    }

    /** How many CancelRequests arrived (each on a connection of its own). */
    int cancels() {
        return cancels.get();
    }

    // ------------------------------------------------------------------ TckPeer

    @Override
    public URI uri() {
        return URI.create("postgresql://tck:tckpass@127.0.0.1:" + port() + "/tck?sslmode=disable");
    }

    @Override
    public boolean isGoodbye(String message) {
        return message.equals("X");
    }
}
