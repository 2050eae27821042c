package dev.unplug.websocket;

import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.SocketPeer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A WebSocket server as small as the JDK's client accepts (RFC 6455: the HTTP upgrade, then frames of a header, a
 * 7, 16 or 64-bit length and, from the client, a mask): it echoes text and binary messages, answers pings, and
 * treats the client's close frame as the goodbye: it answers with its own close (1000, or the status it was given)
 * and closes, or misbehaves as the {@link PeerBehaviour} says. It records each frame by its kind, for the TCK.
 * Hostile modes ({@link Trouble}): a refused handshake, no subprotocol, garbage frames, an oversized message, a
 * close sent first. Thread-safe; {@link #close()} ends every connection.
 */
final class FakeWsServer extends SocketPeer {

    /** What the server does beyond a behaviour. */
    enum Trouble { NONE, REFUSE_403, NO_SUBPROTOCOL, GARBAGE_FRAME, OVERSIZED_MESSAGE, CLOSES_FIRST }

    private final PeerBehaviour behaviour;
    private final Trouble trouble;
    private final int answer;

    FakeWsServer(PeerBehaviour behaviour) {
        this(behaviour, Trouble.NONE, 1000);
    }

    /** @param answer the status the server's close frame carries */
    FakeWsServer(PeerBehaviour behaviour, Trouble trouble, int answer) {
        super("ws");
        this.behaviour = behaviour;
        this.trouble = trouble;
        this.answer = answer;
    }

    @Override
    protected void serve(Socket s, List<String> log) throws IOException, InterruptedException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        if (behaviour == PeerBehaviour.SILENT) {
            in.transferTo(OutputStream.nullOutputStream());
            return;
        }
        if (!handshake(in, out, log)) {
            return;
        }
        if (trouble == Trouble.GARBAGE_FRAME) {
            out.write(new byte[] {(byte) 0x83, 2, 'x', 'y'}); // reserved opcode 3
            out.flush();
        } else if (trouble == Trouble.OVERSIZED_MESSAGE) {
            byte[] chunk = new byte[64 * 1024];
            out.write(new byte[] {(byte) 0x82, 127, 0, 0, 0, 0, 0, (byte) 0x40, 0, 0}); // 4 MiB
            for (int i = 0; i < 64; i++) {
                out.write(chunk);
            }
            out.flush();
        } else if (trouble == Trouble.CLOSES_FIRST) {
            out.write(closeFrame(1001, "going away"));
            out.flush();
        }
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return;
            }
            int opcode = b0 & 0x0f;
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = new byte[4];
            if ((b1 & 0x80) != 0) {
                in.readFully(mask);
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            switch (opcode) {
                case 1, 2 -> {
                    log.add(opcode == 1 ? "TEXT" : "BINARY");
                    if (muted()) {
                        continue;
                    }
                    pause();
                    out.write(frame(opcode, payload));
                    out.flush();
                }
                case 9 -> {
                    out.write(frame(10, payload));
                    out.flush();
                }
                case 8 -> {
                    log.add("CLOSE");
                    sawGoodbye();
                    if (trouble == Trouble.CLOSES_FIRST) {
                        return; // its close went first: the handshake is complete
                    }
                    if (behaviour == PeerBehaviour.NEVER_ANSWERS_GOODBYE) {
                        in.transferTo(OutputStream.nullOutputStream()); // until the client really goes
                        return;
                    }
                    if (behaviour == PeerBehaviour.RESETS_ON_GOODBYE) {
                        s.setSoLinger(true, 0);
                        return;
                    }
                    if (behaviour == PeerBehaviour.SLOW_GOODBYE) {
                        Thread.sleep(500);
                    }
                    out.write(closeFrame(answer, answer == 1000 ? "" : "server says no"));
                    out.flush();
                    return;
                }
                default -> {
                    // pongs and the rest need no answer
                }
            }
        }
    }

    private boolean handshake(DataInputStream in, OutputStream out, List<String> log) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.write(b);
        }
        log.add("HANDSHAKE");
        String key = null;
        String protocol = null;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).strip();
            } else if (lower.startsWith("sec-websocket-protocol:")) {
                protocol = line.substring(line.indexOf(':') + 1).split(",")[0].strip();
            }
        }
        if (trouble == Trouble.REFUSE_403) {
            out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return false;
        }
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n"
                + (protocol != null && trouble != Trouble.NO_SUBPROTOCOL ? "Sec-WebSocket-Protocol: " + protocol
                        + "\r\n" : "") + "\r\n";
        out.write(reply.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return true;
    }

    private static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(payload.length);
        } else {
            f.write(126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        }
        f.writeBytes(payload);
        return f.toByteArray();
    }

    private static byte[] closeFrame(int status, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (status >>> 8);
        p[1] = (byte) status;
        System.arraycopy(r, 0, p, 2, r.length);
        return frame(8, p);
    }

    // ------------------------------------------------------------------ TckPeer

    @Override
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + "/echo");
    }

    @Override
    public boolean isGoodbye(String message) {
        return message.equals("CLOSE");
    }
}
