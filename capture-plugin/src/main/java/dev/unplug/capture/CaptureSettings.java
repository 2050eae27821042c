package dev.unplug.capture;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.capture.CaptureMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A capture device's settings, read and range-checked from the URI and options before anything opens. Every
 * bad value is an {@link ErrorKind#INVALID_ARGUMENT} that names it. Immutable.
 */
final class CaptureSettings {

    static final String INTERFACE = "interface";
    static final String FILE = "file";
    static final String FILTER = "filter";
    static final String SNAPLEN = "snaplen";
    static final String PROMISCUOUS = "promiscuous";
    static final String BUFFER_SIZE = "bufferSize";
    static final String DIR = "dir";
    static final String MODE = "mode";
    static final String QUEUE = "queue";
    static final String STOP_AFTER_FRAMES = "stopAfterFrames";
    static final String STOP_AFTER_BYTES = "stopAfterBytes";
    static final String STOP_AFTER = "stopAfter";
    static final String PAUSE_ON_PATTERN = "pauseOnPattern";
    static final String RATE = "rate";

    /** The authority that names an offline source instead of an interface. */
    static final String OFFLINE = "offline";
    static final int MAX_SNAPLEN = 262_144;
    static final int MAX_BUFFER = 1 << 30;
    /**
     * The kernel ring when option bufferSize is absent: 32 MiB. Immediate delivery makes libpcap use one ring slot
     * per frame sized by the snap length, so libpcap's own 2 MiB default holds only 8 frames of 262144 bytes and
     * loses frames in any burst.
     */
    static final int DEFAULT_BUFFER = 32 << 20;
    static final Duration DEFAULT_POLL = Duration.ofMillis(100);
    static final Duration MAX_POLL = Duration.ofSeconds(1);
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,14}");

    final String iface;          // null for an offline source
    final Path file;             // null for a live interface
    final String filter;         // null for none
    final int snaplen;
    final boolean promiscuous;
    final int bufferSize;
    final Duration poll;         // libpcap's read timeout (to_ms)
    final Path dir;
    final CaptureMode mode;
    final int queue;
    final long stopAfterFrames;  // 0: none
    final long stopAfterBytes;   // 0: none
    final Duration stopAfter;    // null: none
    final byte[] pauseOnPattern; // null: none
    final int rate;              // offline frames per second; 0: as fast as read

    CaptureSettings(URI uri, Options o) {
        String f = o.get(FILE).orElse(null);
        if (uri.isOpaque()) {
            // capture:file:///path/in.pcap
            String ssp = uri.getSchemeSpecificPart();
            if (!ssp.startsWith("file:")) {
                throw bad("capture URIs are capture://INTERFACE?options or capture:file:///path.pcap, not " + uri);
            }
            f = f != null ? f : URI.create(ssp).getPath();
        }
        String host = uri.isOpaque() ? null : uri.getHost() != null ? uri.getHost() : uri.getRawAuthority();
        String named = o.get(INTERFACE).orElse(host);
        if (f != null) {
            if (named != null && !named.isEmpty() && !named.equals(OFFLINE)) {
                throw bad("give an interface (" + named + ") or option " + FILE + ", not both");
            }
            try {
                file = Path.of(f).toAbsolutePath();
            } catch (InvalidPathException e) {
                throw bad("option " + FILE + " is not a path: '" + f + "'");
            }
            iface = null;
        } else {
            if (named == null || named.isEmpty() || named.equals(OFFLINE)) {
                throw bad("a capture URI names an interface, such as capture://lo, or an offline source, such as"
                        + " capture://offline?file=/path/in.pcap");
            }
            if (!IFACE.matcher(named).matches()) {
                throw bad("'" + named + "' is not a network interface name (1 to 15 letters, digits, . _ @ : -)");
            }
            iface = named;
            file = null;
        }
        filter = o.get(FILTER).filter(s -> !s.isBlank()).orElse(null);
        snaplen = (int) number(o, SNAPLEN, MAX_SNAPLEN, 1, MAX_SNAPLEN);
        promiscuous = o.flag(PROMISCUOUS, false);
        bufferSize = (int) number(o, BUFFER_SIZE, DEFAULT_BUFFER, 65_536, MAX_BUFFER);
        poll = o.get(Options.READ_TIMEOUT).isPresent() ? o.readTimeout() : DEFAULT_POLL;
        if (poll.compareTo(MAX_POLL) > 0) {
            throw bad("option " + Options.READ_TIMEOUT + " of a capture device is libpcap's read timeout and must be"
                    + " at most " + MAX_POLL.toMillis() + " ms, not " + poll.toMillis() + " ms");
        }
        String d = o.get(DIR).orElse(null);
        try {
            dir = d != null ? Path.of(d).toAbsolutePath()
                    : Path.of(System.getProperty("java.io.tmpdir"), "unplug-captures").toAbsolutePath();
        } catch (InvalidPathException e) {
            throw bad("option " + DIR + " is not a path: '" + d + "'");
        }
        mode = mode(o.get(MODE).orElse("delayed"));
        queue = (int) number(o, QUEUE, 4096, 1, 1_000_000);
        stopAfterFrames = number(o, STOP_AFTER_FRAMES, 0, 1, Long.MAX_VALUE);
        stopAfterBytes = number(o, STOP_AFTER_BYTES, 0, 1, Long.MAX_VALUE);
        stopAfter = o.get(STOP_AFTER).isPresent() ? o.duration(STOP_AFTER, null) : null;
        pauseOnPattern = o.get(PAUSE_ON_PATTERN).map(p -> {
            if (p.isEmpty()) {
                throw bad("option " + PAUSE_ON_PATTERN + " must not be empty");
            }
            return p.getBytes(StandardCharsets.UTF_8);
        }).orElse(null);
        rate = (int) number(o, RATE, 0, 1, 10_000_000);
        if (rate > 0 && file == null) {
            throw bad("option " + RATE + " paces an offline source; a live interface runs at the wire's pace");
        }
    }

    boolean offline() {
        return file != null;
    }

    /** What the device reads: the interface name or the offline file. */
    String source() {
        return offline() ? file.toString() : iface;
    }

    Optional<byte[]> pattern() {
        return Optional.ofNullable(pauseOnPattern);
    }

    static CaptureMode mode(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        return switch (t) {
            case "delayed", "file" -> CaptureMode.DELAYED;
            case "realtime" -> CaptureMode.REAL_TIME;
            case "statistics", "stats" -> CaptureMode.STATISTICS;
            case "conversations", "conversationstatistics" -> CaptureMode.CONVERSATION_STATISTICS;
            default -> throw bad("option " + MODE + " must be delayed, realtime, statistics or conversations, not '"
                    + text + "'");
        };
    }

    private static long number(Options o, String name, long absent, long min, long max) {
        Optional<String> v = o.get(name);
        if (v.isEmpty()) {
            return absent;
        }
        String t = v.get().trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1024;
        } else if (t.endsWith("m")) {
            unit = 1024 * 1024;
        }
        try {
            long n = Math.multiplyExact(Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)), unit);
            if (n < min || n > max) {
                throw bad("option " + name + " must be " + min + " to " + max + ", not " + v.get());
            }
            return n;
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad("option " + name + " must be a whole number from " + min + " to " + max + ", not '" + v.get()
                    + "'");
        }
    }

    private static UnplugException bad(String message) {
        return new UnplugException(ErrorKind.INVALID_ARGUMENT, message);
    }
}
