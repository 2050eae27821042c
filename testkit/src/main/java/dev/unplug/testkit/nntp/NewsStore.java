package dev.unplug.testkit.nntp;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The articles of an {@link EmbeddedNntpServer}, in memory, per group. Thread-safe (every method synchronised).
 */
final class NewsStore {

    /** One stored article: its id, its header block and its body, both as lines without CRLF. */
    record Article(String messageId, List<String> headers, List<String> body) {
        List<String> all() {
            List<String> lines = new ArrayList<>(headers);
            lines.add("");
            lines.addAll(body);
            return lines;
        }
    }

    /** A group's article numbers, as GROUP and LIST ACTIVE report them. */
    record Range(int count, long first, long last) {
    }

    /** Why a POST was rejected, or the accepted article's message-id. */
    record PostResult(String messageId, String error) {
        boolean accepted() {
            return error == null;
        }
    }

    private static final class Group {
        final NavigableMap<Long, Article> articles = new TreeMap<>();
        long next = 1;
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Article> byId = new HashMap<>();
    private final String domain;
    private final AtomicLong ids = new AtomicLong();

    NewsStore(String domain) {
        this.domain = domain;
    }

    synchronized void addGroup(String name) {
        groups.putIfAbsent(name, new Group());
    }

    synchronized boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    synchronized Optional<Range> range(String group) {
        Group g = groups.get(group);
        if (g == null) {
            return Optional.empty();
        }
        if (g.articles.isEmpty()) {
            return Optional.of(new Range(0, g.next, g.next - 1));
        }
        return Optional.of(new Range(g.articles.size(), g.articles.firstKey(), g.articles.lastKey()));
    }

    synchronized List<String> groupNames() {
        return List.copyOf(groups.keySet());
    }

    synchronized List<Long> numbers(String group) {
        Group g = groups.get(group);
        return g == null ? List.of() : List.copyOf(g.articles.keySet());
    }

    synchronized Optional<Article> byNumber(String group, long number) {
        Group g = groups.get(group);
        return g == null ? Optional.empty() : Optional.ofNullable(g.articles.get(number));
    }

    synchronized Optional<Article> byMessageId(String messageId) {
        return Optional.ofNullable(byId.get(messageId));
    }

    /** The number of {@code article} in {@code group}, or -1. */
    synchronized long numberOf(String group, Article article) {
        Group g = groups.get(group);
        if (g == null) {
            return -1;
        }
        return g.articles.entrySet().stream().filter(e -> e.getValue() == article).mapToLong(Map.Entry::getKey)
                .findFirst().orElse(-1);
    }

    /** The first article number above {@code after} in {@code group}, or -1. */
    synchronized long nextNumber(String group, long after) {
        Group g = groups.get(group);
        Long n = g == null ? null : g.articles.higherKey(after);
        return n == null ? -1 : n;
    }

    /** The last article number below {@code before} in {@code group}, or -1. */
    synchronized long previousNumber(String group, long before) {
        Group g = groups.get(group);
        Long n = g == null ? null : g.articles.lowerKey(before);
        return n == null ? -1 : n;
    }

    /**
     * Stores a posted article in every existing group its {@code Newsgroups} header names, adding a
     * {@code Message-ID} and a {@code Date} when absent.
     *
     * @param lines the article, dot-unstuffed, without the terminating dot
     */
    synchronized PostResult post(List<String> lines) {
        int blank = lines.indexOf("");
        List<String> headers = new ArrayList<>(blank < 0 ? lines : lines.subList(0, blank));
        List<String> body = blank < 0 ? List.of() : List.copyOf(lines.subList(blank + 1, lines.size()));
        if (headers.isEmpty() || headers.stream().anyMatch(h -> !h.startsWith(" ") && !h.startsWith("\t")
                && h.indexOf(':') <= 0)) {
            return new PostResult(null, "malformed header block");
        }
        String newsgroups = header(headers, "Newsgroups");
        if (newsgroups == null || newsgroups.isBlank()) {
            return new PostResult(null, "no Newsgroups header");
        }
        List<Group> targets = new ArrayList<>();
        for (String name : newsgroups.split(",")) {
            Group g = groups.get(name.trim());
            if (g != null && !targets.contains(g)) {
                targets.add(g);
            }
        }
        if (targets.isEmpty()) {
            return new PostResult(null, "no such newsgroup: " + newsgroups.trim());
        }
        String id = header(headers, "Message-ID");
        if (id == null || id.isBlank()) {
            id = "<" + ids.incrementAndGet() + "." + System.nanoTime() + "@" + domain + ">";
            headers.add("Message-ID: " + id);
        } else {
            id = id.trim();
            if (!id.startsWith("<") || !id.endsWith(">") || id.length() < 3) {
                return new PostResult(null, "malformed Message-ID " + id);
            }
            if (byId.containsKey(id)) {
                return new PostResult(null, "duplicate Message-ID " + id);
            }
        }
        if (header(headers, "Date") == null) {
            headers.add("Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        }
        if (header(headers, "Path") == null) {
            headers.add("Path: " + domain + "!not-for-mail");
        }
        Article article = new Article(id, List.copyOf(headers), body);
        for (Group g : targets) {
            g.articles.put(g.next++, article);
        }
        byId.put(id, article);
        return new PostResult(id, null);
    }

    private static String header(List<String> headers, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String h : headers) {
            if (h.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return h.substring(prefix.length()).trim();
            }
        }
        return null;
    }
}
