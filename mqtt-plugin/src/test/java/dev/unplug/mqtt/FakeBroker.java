package dev.unplug.mqtt;

import dev.unplug.testkit.tck.PeerBehaviour;
import dev.unplug.testkit.tck.SocketPeer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An MQTT broker as small as Paho accepts, for MQTT 3.1.1 and 5 (binary packets: a type byte, a variable-length
 * remaining length, the body): it accepts any CONNECT (or refuses it with a return or reason code), acknowledges
 * PUBLISH (PUBACK, or PUBREC/PUBCOMP), SUBSCRIBE (granting the QoS asked, or refusing) and PINGREQ, and treats
 * DISCONNECT as the goodbye: it closes, or misbehaves as the {@link PeerBehaviour} says. It records each packet by
 * its type name, for the TCK. Hostile modes ({@link Trouble}): no CONNACK, garbage in place of it, refusals.
 * Thread-safe; {@link #close()} ends every connection ({@link SocketPeer}).
 */
final class FakeBroker extends SocketPeer {

    /** What the broker does beyond a behaviour. */
    enum Trouble { NONE, NO_CONNACK, GARBAGE_CONNACK, REFUSE_CONNECT, REFUSE_SUBSCRIBE, OVERSIZED_PACKET }

    private static final String[] NAMES = {"RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
        "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"};

    private final PeerBehaviour behaviour;
    private final Trouble trouble;
    private final int refusal;
    private final String version;

    FakeBroker(PeerBehaviour behaviour, String version) {
        this(behaviour, version, Trouble.NONE, 0);
    }

    /**
     * @param version the {@code protocolVersion} the URI asks for
     * @param refusal the code of a refusal (CONNACK's, SUBACK's)
     */
    FakeBroker(PeerBehaviour behaviour, String version, Trouble trouble, int refusal) {
        super("mqtt");
        this.behaviour = behaviour;
        this.version = version;
        this.trouble = trouble;
        this.refusal = refusal;
    }

    @Override
    protected void serve(Socket s, List<String> log) throws IOException, InterruptedException {
        int level = 4;
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        if (behaviour == PeerBehaviour.SILENT || trouble == Trouble.NO_CONNACK) {
            in.transferTo(OutputStream.nullOutputStream());
            return;
        }
        while (true) {
            int first = in.read();
            if (first < 0) {
                return;
            }
            int type = first >>> 4;
            byte[] body = new byte[remainingLength(in)];
            in.readFully(body);
            log.add(NAMES[type]);
            switch (type) {
                case 1 -> {
                    int nameLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
                    level = body[2 + nameLength];
                    if (trouble == Trouble.GARBAGE_CONNACK) {
                        out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        continue;
                    }
                    if (trouble == Trouble.OVERSIZED_PACKET) {
                        out.write(new byte[] {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}); // 256 MiB
                        out.flush();
                        continue;
                    }
                    int code = trouble == Trouble.REFUSE_CONNECT ? refusal : 0;
                    out.write(level == 5 ? new byte[] {0x20, 3, 0, (byte) code, 0} : new byte[] {0x20, 2, 0,
                        (byte) code});
                    out.flush();
                    if (code != 0) {
                        return;
                    }
                }
                case 3 -> {
                    int qos = (first >>> 1) & 3;
                    if (qos == 0 || muted()) {
                        continue;
                    }
                    pause();
                    int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
                    byte hi = body[2 + topicLength];
                    byte lo = body[3 + topicLength];
                    out.write(new byte[] {(byte) (qos == 1 ? 0x40 : 0x50), 2, hi, lo});
                    out.flush();
                }
                case 6 -> {
                    out.write(new byte[] {0x70, 2, body[0], body[1]});
                    out.flush();
                }
                case 8 -> {
                    if (muted()) {
                        continue;
                    }
                    pause();
                    int granted = trouble == Trouble.REFUSE_SUBSCRIBE ? refusal : body[body.length - 1] & 3;
                    ByteArrayOutputStream ack = new ByteArrayOutputStream();
                    ack.write(0x90);
                    ack.write(level == 5 ? 4 : 3);
                    ack.write(body[0]);
                    ack.write(body[1]);
                    if (level == 5) {
                        ack.write(0); // no properties
                    }
                    ack.write(granted);
                    out.write(ack.toByteArray());
                    out.flush();
                }
                case 12 -> {
                    out.write(new byte[] {(byte) 0xd0, 0});
                    out.flush();
                }
                case 14 -> {
                    sawGoodbye();
                    if (behaviour == PeerBehaviour.NEVER_ANSWERS_GOODBYE) {
                        // never closes: not at DISCONNECT, not at the client's half-close; it keeps sending
                        // small QoS 0 PUBLISHes (harmless to any client) until a write fails, which is when the
                        // client has really gone
                        byte[] publish = level == 5 ? new byte[] {0x30, 4, 0, 1, 't', 0}
                            : new byte[] {0x30, 3, 0, 1, 't'};
                        while (!closing()) {
                            out.write(publish);
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
                    return; // the broker closes the network connection: its only answer to DISCONNECT
                }
                default -> {
                    // PUBACK and the rest need no answer here
                }
            }
        }
    }

    private static int remainingLength(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed remaining length");
    }

    // ------------------------------------------------------------------ TckPeer

    @Override
    public URI uri() {
        return URI.create("mqtt://tck:tckpass@127.0.0.1:" + port() + "?protocolVersion=" + version);
    }

    @Override
    public boolean isGoodbye(String message) {
        return message.equals("DISCONNECT");
    }
}
