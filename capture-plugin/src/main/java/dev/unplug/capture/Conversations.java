package dev.unplug.capture;

import dev.unplug.api.capture.Conversation;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts traffic per IP host pair and per TCP/UDP endpoint pair, from the link-layer types a Linux capture
 * gives (Ethernet, including {@code lo}; Linux cooked; raw IP; BSD loopback). Frames it cannot parse (ARP,
 * truncated headers) count in no conversation. Written by the capture thread, read by any: synchronized.
 */
final class Conversations {

    private static final int DLT_NULL = 0;
    private static final int DLT_RAW = 12;
    private static final int DLT_RAW_LINUX = 101;
    private static final int DLT_LINUX_SLL = 113;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private final Map<Key, long[]> counts = new HashMap<>();

    private record Key(Conversation.Kind kind, String a, String b) {
    }

    /** Counts one frame of the given link type; {@code wireLength} is its length on the wire. */
    synchronized void count(int linkType, byte[] f, int wireLength) {
        int ip = ipOffset(linkType, f);
        if (ip < 0 || ip >= f.length) {
            return;
        }
        int version = (f[ip] & 0xff) >>> 4;
        String src;
        String dst;
        int proto;
        int l4;
        if (version == 4 && f.length >= ip + 20) {
            int ihl = (f[ip] & 0x0f) * 4;
            boolean laterFragment = ((f[ip + 6] & 0x1f) << 8 | (f[ip + 7] & 0xff)) != 0;
            src = address(f, ip + 12, 4);
            dst = address(f, ip + 16, 4);
            proto = laterFragment ? -1 : f[ip + 9] & 0xff;
            l4 = ip + ihl;
        } else if (version == 6 && f.length >= ip + 40) {
            src = address(f, ip + 8, 16);
            dst = address(f, ip + 24, 16);
            proto = f[ip + 6] & 0xff;
            l4 = ip + 40;
        } else {
            return;
        }
        add(Conversation.Kind.HOST_PAIR, src, dst, wireLength);
        if ((proto == TCP || proto == UDP) && f.length >= l4 + 4) {
            int sport = (f[l4] & 0xff) << 8 | (f[l4 + 1] & 0xff);
            int dport = (f[l4 + 2] & 0xff) << 8 | (f[l4 + 3] & 0xff);
            add(proto == TCP ? Conversation.Kind.TCP : Conversation.Kind.UDP, endpoint(src, sport),
                    endpoint(dst, dport), wireLength);
        }
    }

    /** Every conversation, host pairs first, then by bytes (most first). */
    synchronized List<Conversation> snapshot() {
        List<Conversation> out = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> out.add(new Conversation(k.kind, k.a, k.b, v[0], v[1], v[2], v[3])));
        out.sort(Comparator.comparing(Conversation::kind).thenComparing(Comparator.comparingLong(
                Conversation::bytes).reversed()).thenComparing(Conversation::a).thenComparing(Conversation::b));
        return out;
    }

    private void add(Conversation.Kind kind, String from, String to, int bytes) {
        boolean forward = from.compareTo(to) <= 0;
        long[] c = counts.computeIfAbsent(new Key(kind, forward ? from : to, forward ? to : from), k -> new long[4]);
        int at = forward ? 0 : 2;
        c[at]++;
        c[at + 1] += bytes;
    }

    private static int ipOffset(int linkType, byte[] f) {
        switch (linkType) {
            case Pcap.DLT_EN10MB: {
                int at = 12;
                int type = f.length >= 14 ? (f[12] & 0xff) << 8 | (f[13] & 0xff) : -1;
                while ((type == 0x8100 || type == 0x88a8) && f.length >= at + 6) {
                    at += 4;
                    type = (f[at] & 0xff) << 8 | (f[at + 1] & 0xff);
                }
                return type == 0x0800 || type == 0x86dd ? at + 2 : -1;
            }
            case DLT_LINUX_SLL: {
                int type = f.length >= 16 ? (f[14] & 0xff) << 8 | (f[15] & 0xff) : -1;
                return type == 0x0800 || type == 0x86dd ? 16 : -1;
            }
            case DLT_RAW:
            case DLT_RAW_LINUX:
                return 0;
            case DLT_NULL:
                return 4;
            default:
                return -1;
        }
    }

    private static String address(byte[] f, int at, int length) {
        byte[] a = new byte[length];
        System.arraycopy(f, at, a, 0, length);
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }

    private static String endpoint(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
