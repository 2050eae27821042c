package dev.unplug.wds;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The wire format of the wds transport (version 1), shared by server and client.
 *
 * <p><b>Control</b>, one TCP connection per client to the server's port: frames of {@code type (1 byte)},
 * {@code length (4 bytes, big-endian)}, {@code payload}; at most {@link #MAX_FRAME} bytes of payload. Client to
 * server: {@link #JOIN} (name, namespace, content), {@link #NAK} and {@link #FETCH} (block ranges), {@link #STATUS}
 * (bytes held, receive rate), {@link #LEAVE} (a {@link dev.unplug.api.session.LeaveReason}). Server to client:
 * {@link #WELCOME}, {@link #REFUSED}, {@link #KICK} (a disconnect type and a reason), {@link #BYE} (a leave
 * acknowledged), {@link #BLOCK} and {@link #FETCH_DONE} (unicast blocks answering a fetch).
 *
 * <p><b>Data</b>, UDP datagrams to the session's group and port: {@code magic "UW" (2)}, {@code kind (1)},
 * {@code session id (8)}, {@code block number (4)}, {@code CRC-32 of the payload (4)}, {@code payload length (2)},
 * {@code payload}. Kind {@link #DATA} carries one block; kind {@link #PASS_END} (no payload, the block number is
 * the pass number) tells clients a pass is over so that they report what they miss.
 */
final class Wire {

    static final byte JOIN = 1;
    static final byte NAK = 2;
    static final byte STATUS = 3;
    static final byte LEAVE = 4;
    static final byte FETCH = 5;
    static final byte WELCOME = 20;
    static final byte REFUSED = 21;
    static final byte KICK = 22;
    static final byte BYE = 23;
    static final byte BLOCK = 24;
    static final byte FETCH_DONE = 25;

    static final int MAX_FRAME = 1 << 20;
    static final int MAX_RANGES = 65_536;

    static final short MAGIC = 0x5557; // "UW"
    static final byte DATA = 1;
    static final byte PASS_END = 2;
    /** A parity block: number = group * 256 + its index in the group's parity ({@link Parity}). */
    static final byte PARITY = 3;
    static final int HEADER = 2 + 1 + 8 + 4 + 4 + 2;
    static final int MAX_BLOCK = 65_000;

    private Wire() {
    }

    /** A control frame: its type and payload. */
    record Frame(byte type, byte[] payload) {
        DataInputStream in() {
            return new DataInputStream(new java.io.ByteArrayInputStream(payload));
        }
    }

    /** Raised for a frame or datagram that breaks the format. */
    static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** Builds one frame's payload. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    static byte[] frame(byte type, Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(type);
            out.writeInt(0);
            body.write(out);
            out.flush();
            byte[] frame = bytes.toByteArray();
            ByteBuffer.wrap(frame).putInt(1, frame.length - 5);
            return frame;
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
    }

    static void send(OutputStream out, byte[] frame) throws IOException {
        synchronized (out) {
            out.write(frame);
            out.flush();
        }
    }

    /**
     * Sends a frame, or closes the socket when the frame is not written within the limit (a peer that stopped
     * reading fills its buffers, and a write to it, or a wait for another write to it, would block for ever);
     * closing makes a blocked write fail at once, so this returns within about the limit either way.
     *
     * @throws IOException when the frame could not be written, the socket closed for being too slow included
     */
    static void sendWithin(Socket socket, OutputStream out, byte[] frame, Duration limit) throws IOException {
        ScheduledFuture<?> guard = Watchdog.TIMER.schedule(() -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
        try {
            send(out, frame);
        } finally {
            guard.cancel(false);
        }
    }

    /** One daemon thread, started on first use, that closes sockets whose writes overran their limit. */
    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "unplug-wds-send-watchdog");
            t.setDaemon(true);
            return t;
        });

        static {
            TIMER.setRemoveOnCancelPolicy(true);
        }
    }

    /** Reads one frame; {@link EOFException} at a clean end of stream before a frame. */
    static Frame read(InputStream in) throws IOException {
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        int type = data.read();
        if (type < 0) {
            throw new EOFException("end of stream");
        }
        int length = data.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new Malformed("frame of type " + type + " claims " + length + " bytes (at most " + MAX_FRAME + ")");
        }
        byte[] payload = new byte[length];
        data.readFully(payload);
        return new Frame((byte) type, payload);
    }

    static void writeRanges(DataOutputStream out, List<int[]> ranges) throws IOException {
        out.writeInt(ranges.size());
        for (int[] r : ranges) {
            out.writeInt(r[0]);
            out.writeInt(r[1]);
        }
    }

    /** Reads ranges {@code [from, to)} into a set of block numbers, each checked against {@code blocks}. */
    static BitSet readRanges(DataInputStream in, int blocks) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_RANGES) {
            throw new Malformed(count + " ranges (at most " + MAX_RANGES + ")");
        }
        BitSet set = new BitSet(blocks);
        for (int i = 0; i < count; i++) {
            int from = in.readInt();
            int to = in.readInt();
            if (from < 0 || to > blocks || from >= to) {
                throw new Malformed("block range [" + from + ", " + to + ") outside [0, " + blocks + ")");
            }
            set.set(from, to);
        }
        return set;
    }

    /** The set bits of {@code set} as ranges {@code [from, to)}, at most {@link #MAX_RANGES} of them. */
    static List<int[]> ranges(BitSet set) {
        List<int[]> ranges = new ArrayList<>();
        for (int from = set.nextSetBit(0); from >= 0 && ranges.size() < MAX_RANGES; ) {
            int to = set.nextClearBit(from);
            ranges.add(new int[] {from, to});
            from = set.nextSetBit(to);
        }
        return ranges;
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** Encodes a datagram into {@code buffer}, returning its length. */
    static int datagram(byte[] buffer, byte kind, long session, int number, byte[] payload, int length) {
        ByteBuffer b = ByteBuffer.wrap(buffer);
        b.putShort(MAGIC).put(kind).putLong(session).putInt(number).putInt(crc(payload, 0, length))
                .putShort((short) length).put(payload, 0, length);
        return HEADER + length;
    }

    /** A datagram decoded and checked; the payload stays in the receive buffer at {@link #HEADER}. */
    record Datagram(byte kind, long session, int number, int length) {
    }

    /**
     * Decodes and checks one received datagram: magic, kind, length and CRC.
     *
     * @return the datagram, or null when it is malformed (wrong magic, kind, length or checksum)
     */
    static Datagram decode(byte[] buffer, int received) {
        if (received < HEADER) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, received);
        if (b.getShort() != MAGIC) {
            return null;
        }
        byte kind = b.get();
        long session = b.getLong();
        int number = b.getInt();
        int crc = b.getInt();
        int length = Short.toUnsignedInt(b.getShort());
        if ((kind != DATA && kind != PASS_END && kind != PARITY) || HEADER + length != received || number < 0) {
            return null;
        }
        if (crc(buffer, HEADER, length) != crc) {
            return null;
        }
        return new Datagram(kind, session, number, length);
    }
}
