package dev.unplug.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines a server appended to its log file since a mark: a test marks the log, talks to the server, then waits
 * (bounded) for the line that tells how the server saw the session.
 */
final class ServerLog {

    private static final Duration POLL = Duration.ofMillis(50);

    private final Path file;
    private final long mark;

    private ServerLog(Path file, long mark) {
        this.file = file;
        this.mark = mark;
    }

    /** Marks the current end of a log file (0 when it does not exist yet). */
    static ServerLog mark(Path file) {
        try {
            return new ServerLog(file, Files.exists(file) ? Files.size(file) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The complete lines written since the mark. */
    List<String> lines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            if (size <= mark) {
                return List.of();
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - mark, 16 << 20));
            ch.position(mark);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read all
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            List<String> out = new ArrayList<>();
            if (end >= 0) {
                for (String l : text.substring(0, end).split("\n", -1)) {
                    out.add(l);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Waits until a line since the mark matches, and returns the match.
     *
     * @param what what the line would show, for the failure message
     * @param regex the pattern, found anywhere in a line
     * @param within how long to wait at most
     */
    Matcher await(String what, String regex, Duration within) {
        Pattern p = Pattern.compile(regex);
        return awaitAll(what, lines -> lines.stream().map(p::matcher).filter(Matcher::find).findFirst(), within);
    }

    /** Waits until {@code find} finds something in the lines since the mark, and returns it. */
    <T> T awaitAll(String what, Function<List<String>, Optional<T>> find, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            List<String> lines = lines();
            Optional<T> found = find.apply(lines);
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > end) {
                int from = Math.max(0, lines.size() - 30);
                return fail("no line in %s within %s showing %s; its last new lines:%n  %s", file, within, what,
                        String.join("\n  ", lines.subList(from, lines.size())));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted while waiting for %s", what);
            }
        }
    }

    @Override
    public String toString() {
        return file + " from byte " + mark;
    }
}
