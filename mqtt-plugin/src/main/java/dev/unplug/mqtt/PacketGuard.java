package dev.unplug.mqtt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Watches the broker's byte stream on its way to Paho, packet by packet (a type byte, a remaining length of 1-4
 * bytes of 7 bits, the body), without changing it: the first packet must be CONNACK, a remaining length must be
 * well formed, and no packet may be larger than the connection's {@code maxReplySize}. Paho checks none of these
 * (MQTT 3.1.1's client reads garbage as packets of other types and waits, and allocates whatever length a broker
 * announces). A violation is a {@link Malformed} read error, which ends the session. One reader at a time.
 */
final class PacketGuard extends FilterInputStream {

    /** A broker's stream that is not MQTT, or a packet beyond the cap. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private final long maxPacket;
    private boolean first = true;
    /** 0: at a type byte; 1: in the remaining length; 2: in a body. */
    private int phase;
    private int length;
    private int shift;
    private long bodyLeft;

    PacketGuard(InputStream in, long maxPacket) {
        super(in);
        this.maxPacket = maxPacket;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            see(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        int n = in.read(buffer, off, len);
        for (int i = 0; i < n; i++) {
            if (phase == 2 && bodyLeft > 0) {
                long skip = Math.min(bodyLeft, n - i);
                bodyLeft -= skip;
                i += (int) skip - 1;
                if (bodyLeft == 0) {
                    phase = 0;
                }
                continue;
            }
            see(buffer[off + i] & 0xff);
        }
        return n;
    }

    private void see(int b) throws IOException {
        switch (phase) {
            case 0 -> {
                if (first && b >>> 4 != 2) {
                    throw new Malformed("the broker's first packet is not CONNACK (first byte 0x"
                            + Integer.toHexString(b) + "): not an MQTT broker");
                }
                if (b >>> 4 == 0) {
                    throw new Malformed("the broker sent a packet of reserved type 0");
                }
                first = false;
                phase = 1;
                length = 0;
                shift = 0;
            }
            case 1 -> {
                length |= (b & 0x7f) << shift;
                shift += 7;
                if ((b & 0x80) != 0) {
                    if (shift >= 28) {
                        throw new Malformed("the broker sent a remaining length longer than 4 bytes");
                    }
                    return;
                }
                if (length > maxPacket) {
                    throw new Malformed("the broker announced a packet of " + length + " bytes, beyond maxReplySize ("
                            + maxPacket + " bytes)");
                }
                bodyLeft = length;
                phase = bodyLeft == 0 ? 0 : 2;
            }
            default -> {
                bodyLeft--;
                if (bodyLeft == 0) {
                    phase = 0;
                }
            }
        }
    }
}
