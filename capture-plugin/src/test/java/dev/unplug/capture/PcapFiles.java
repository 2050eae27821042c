package dev.unplug.capture;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test frames and pcap files, written and read here in plain Java (independently of libpcap, which the plugin
 * uses): Ethernet frames carrying IPv4 or IPv6 with TCP or UDP, as Linux {@code lo} shows them.
 */
final class PcapFiles {

    private PcapFiles() {
    }

    /** Skips the test when libpcap is missing, and fails it instead under {@code CI=true}. */
    static void requireLibpcap() {
        if (!Pcap.available() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("libpcap is not installed (apt-get install libpcap0.8), and CI must run these");
        }
        assumeTrue(Pcap.available(), "libpcap is not installed (apt-get install libpcap0.8)");
    }

    /** An Ethernet/IPv4/UDP frame. */
    static byte[] udp4(String src, int sport, String dst, int dport, String payload) {
        return ip4(src, dst, 17, l4(sport, dport, 8, payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** An Ethernet/IPv4/TCP frame (a 20-byte TCP header, PSH|ACK). */
    static byte[] tcp4(String src, int sport, String dst, int dport, String payload) {
        return ip4(src, dst, 6, l4(sport, dport, 20, payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** An Ethernet/IPv6/TCP frame. */
    static byte[] tcp6(String src, int sport, String dst, int dport, String payload) {
        byte[] seg = l4(sport, dport, 20, payload.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ethernet(0x86dd, 40 + seg.length);
        b.putInt(0x60000000).putShort((short) seg.length).put((byte) 6).put((byte) 64);
        b.put(address(src)).put(address(dst)).put(seg);
        return b.array();
    }

    /** A pcap file (microsecond timestamps, Ethernet) holding the frames, one millisecond apart. */
    static Path write(Path file, List<byte[]> frames) {
        ByteBuffer b = ByteBuffer.allocate(24 + frames.stream().mapToInt(f -> 16 + f.length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144).putInt(1);
        long t = 1_700_000_000_000_000L;
        for (byte[] f : frames) {
            b.putInt((int) (t / 1_000_000)).putInt((int) (t % 1_000_000)).putInt(f.length).putInt(f.length).put(f);
            t += 1_000;
        }
        try {
            return Files.write(file, b.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code n} UDP frames 127.0.0.1:40000 → 127.0.0.1:9 with payload "frame i". */
    static Path numbered(Path file, int n) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(udp4("127.0.0.1", 40_000, "127.0.0.1", 9, "frame " + i));
        }
        return write(file, frames);
    }

    /** The frames of a pcap file (either byte order, microsecond or nanosecond magic); fails on a bad file. */
    static List<byte[]> read(Path file) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
            if (b.remaining() < 24) {
                throw new AssertionError(file + " is too short for a pcap header: " + b.remaining() + " bytes");
            }
            int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                b.order(ByteOrder.BIG_ENDIAN);
                magic = b.getInt(0);
                if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                    throw new AssertionError(file + " is not a pcap file (magic " + Integer.toHexString(magic) + ")");
                }
            }
            b.position(24);
            List<byte[]> frames = new ArrayList<>();
            while (b.remaining() > 0) {
                if (b.remaining() < 16) {
                    throw new AssertionError(file + " ends inside a record header");
                }
                b.position(b.position() + 8);
                int caplen = b.getInt();
                b.getInt();
                if (caplen < 0 || caplen > b.remaining()) {
                    throw new AssertionError(file + " ends inside a frame of " + caplen + " bytes");
                }
                byte[] f = new byte[caplen];
                b.get(f);
                frames.add(f);
            }
            return frames;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ip4(String src, String dst, int proto, byte[] seg) {
        ByteBuffer b = ethernet(0x0800, 20 + seg.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + seg.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) proto).putShort((short) 0).put(address(src)).put(address(dst)).put(seg);
        return b.array();
    }

    private static ByteBuffer ethernet(int type, int payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload);
        b.put(new byte[12]).putShort((short) type);
        return b;
    }

    private static byte[] l4(int sport, int dport, int headerLength, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(headerLength);
        h.putShort((short) sport).putShort((short) dport);
        if (headerLength == 8) {
            h.putShort((short) (8 + payload.length));
        } else {
            h.putInt(1).putInt(1).put((byte) 0x50).put((byte) 0x18).putShort((short) 512);
        }
        out.writeBytes(h.array());
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] address(String a) {
        try {
            return java.net.InetAddress.getByName(a).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }
}
