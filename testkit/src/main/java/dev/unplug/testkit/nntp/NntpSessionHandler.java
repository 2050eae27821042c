package dev.unplug.testkit.nntp;

import dev.unplug.testkit.nntp.NewsStore.Article;
import dev.unplug.testkit.nntp.NewsStore.PostResult;
import dev.unplug.testkit.nntp.NewsStore.Range;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Serves one client connection of an {@link EmbeddedNntpServer}: reads command lines, records them and answers
 * as RFC 3977 and RFC 4643 say. Runs on one worker thread; not shared.
 */
final class NntpSessionHandler implements Runnable {

    private static final int MAX_ARTICLE_LINES = 20_000;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Socket socket;
    private final NewsStore store;
    private final NntpSessionRecord record;
    private final EmbeddedNntpServer.Settings settings;
    private final BooleanSupplier serverClosing;
    private final LineReader in;
    private final OutputStream out;
    private boolean readerMode;
    private boolean authenticated;
    private String pendingUser;
    private String group;
    private long current = -1;

    NntpSessionHandler(Socket socket, NewsStore store, NntpSessionRecord record, EmbeddedNntpServer.Settings settings,
            BooleanSupplier serverClosing) throws IOException {
        this.serverClosing = serverClosing;
        this.socket = socket;
        this.store = store;
        this.record = record;
        this.settings = settings;
        this.in = new LineReader(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.readerMode = !settings.transitMode();
    }

    @Override
    public void run() {
        try (socket) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()));
            if (settings.transitMode()) {
                reply("200 " + settings.hostName() + " unplug embedded NNTP server ready (transit mode)");
            } else {
                reply((settings.postingAllowed() ? "200 " : "201 ") + settings.hostName()
                        + " unplug embedded NNTP server ready, posting " + (settings.postingAllowed() ? "allowed"
                        : "prohibited"));
            }
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    record.end(NntpSessionRecord.Ending.CLOSED_WITHOUT_QUIT);
                    return;
                }
                record.record(line);
                if (!serve(line)) {
                    record.end(NntpSessionRecord.Ending.QUIT);
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            record.end(NntpSessionRecord.Ending.IDLE_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            record.end(serverClosing.getAsBoolean() ? NntpSessionRecord.Ending.SERVER_CLOSED
                    : NntpSessionRecord.Ending.RESET);
        } finally {
            record.end(NntpSessionRecord.Ending.SERVER_CLOSED);
        }
    }

    /** Answers one command; false after QUIT. */
    private boolean serve(String line) throws IOException {
        String trimmed = line.strip();
        int space = trimmed.indexOf(' ');
        String verb = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : trimmed.substring(space + 1).strip();
        switch (verb) {
            case "QUIT" -> {
                reply("205 closing connection");
                return false;
            }
            case "CAPABILITIES" -> capabilities();
            case "MODE" -> mode(args);
            case "AUTHINFO" -> authinfo(args);
            case "HELP" -> multi("100 help text follows", List.of("  CAPABILITIES MODE READER AUTHINFO GROUP"
                    + " LISTGROUP LIST ARTICLE HEAD BODY STAT NEXT LAST POST DATE HELP QUIT"));
            case "DATE" -> reply("111 " + DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
            case "" -> reply("500 empty command");
            default -> {
                if (readerCommand(verb) && mayRead()) {
                    reader(verb, args);
                } else if (!readerCommand(verb)) {
                    reply("500 unknown command " + verb);
                }
            }
        }
        return true;
    }

    private static boolean readerCommand(String verb) {
        return switch (verb) {
            case "GROUP", "LISTGROUP", "LIST", "ARTICLE", "HEAD", "BODY", "STAT", "NEXT", "LAST", "POST" -> true;
            default -> false;
        };
    }

    /** Whether reader commands may run now; answers the refusal when not. */
    private boolean mayRead() throws IOException {
        if (!readerMode) {
            reply("502 transit mode: send MODE READER first");
            return false;
        }
        if (settings.user() != null && !authenticated) {
            reply("480 authentication required");
            return false;
        }
        return true;
    }

    private void reader(String verb, String args) throws IOException {
        switch (verb) {
            case "GROUP" -> group(args);
            case "LISTGROUP" -> listGroup(args);
            case "LIST" -> list(args);
            case "NEXT" -> step(true);
            case "LAST" -> step(false);
            case "POST" -> post();
            default -> article(verb, args);
        }
    }

    private void capabilities() throws IOException {
        List<String> caps = new ArrayList<>(List.of("VERSION 2", "IMPLEMENTATION unplug embedded NNTP server"));
        if (readerMode) {
            caps.addAll(List.of("READER", "LIST ACTIVE NEWSGROUPS"));
            if (settings.postingAllowed()) {
                caps.add("POST");
            }
        } else {
            caps.add("MODE-READER");
        }
        if (settings.user() != null && !authenticated) {
            caps.add("AUTHINFO USER");
        }
        multi("101 capability list follows", caps);
    }

    private void mode(String args) throws IOException {
        if (!args.equalsIgnoreCase("READER")) {
            reply("501 unknown MODE " + args);
            return;
        }
        readerMode = true;
        reply(settings.postingAllowed() ? "200 posting allowed" : "201 posting prohibited");
    }

    private void authinfo(String args) throws IOException {
        String[] parts = args.split("\\s+", 2);
        String sub = parts[0].toUpperCase(Locale.ROOT);
        String value = parts.length > 1 ? parts[1] : "";
        if (settings.user() == null) {
            reply("503 authentication is not offered by this server");
        } else if (authenticated) {
            reply("502 already authenticated");
        } else if (sub.equals("USER") && !value.isEmpty()) {
            pendingUser = value;
            reply("381 password required");
        } else if (sub.equals("PASS") && !value.isEmpty()) {
            if (pendingUser == null) {
                reply("482 authentication commands issued out of sequence");
            } else if (pendingUser.equals(settings.user()) && value.equals(settings.password())) {
                authenticated = true;
                reply("281 authentication accepted");
            } else {
                pendingUser = null;
                reply("481 authentication failed");
            }
        } else {
            reply("501 syntax: AUTHINFO USER name | AUTHINFO PASS password");
        }
    }

    private void group(String name) throws IOException {
        Optional<Range> r = name.isEmpty() ? Optional.empty() : store.range(name);
        if (r.isEmpty()) {
            reply("411 no such newsgroup " + name);
            return;
        }
        group = name;
        current = r.get().count() == 0 ? -1 : r.get().first();
        reply("211 " + r.get().count() + " " + r.get().first() + " " + r.get().last() + " " + name);
    }

    private void listGroup(String args) throws IOException {
        String name = args.isEmpty() ? group : args.split("\\s+")[0];
        if (name == null) {
            reply("412 no newsgroup selected");
            return;
        }
        Optional<Range> r = store.range(name);
        if (r.isEmpty()) {
            reply("411 no such newsgroup " + name);
            return;
        }
        group = name;
        current = r.get().count() == 0 ? -1 : r.get().first();
        multi("211 " + r.get().count() + " " + r.get().first() + " " + r.get().last() + " " + name + " list follows",
                store.numbers(name).stream().map(String::valueOf).toList());
    }

    private void list(String args) throws IOException {
        String[] parts = args.isEmpty() ? new String[] {"ACTIVE"} : args.split("\\s+");
        String keyword = parts[0].toUpperCase(Locale.ROOT);
        Pattern match = parts.length > 1 ? wildmat(parts[1]) : Pattern.compile(".*");
        List<String> names = store.groupNames().stream().filter(n -> match.matcher(n).matches()).toList();
        if (keyword.equals("ACTIVE")) {
            List<String> lines = new ArrayList<>();
            for (String n : names) {
                Range r = store.range(n).orElseThrow();
                lines.add(n + " " + r.last() + " " + r.first() + (settings.postingAllowed() ? " y" : " n"));
            }
            multi("215 list of newsgroups follows", lines);
        } else if (keyword.equals("NEWSGROUPS")) {
            multi("215 descriptions follow", names.stream().map(n -> n + "\t" + n).toList());
        } else {
            reply("503 LIST " + keyword + " is not supported");
        }
    }

    private void article(String verb, String args) throws IOException {
        Article a;
        long number;
        if (args.startsWith("<")) {
            Optional<Article> found = store.byMessageId(args);
            if (found.isEmpty()) {
                reply("430 no article with that message-id");
                return;
            }
            a = found.get();
            number = 0;
        } else {
            if (group == null) {
                reply("412 no newsgroup selected");
                return;
            }
            if (args.isEmpty()) {
                if (current < 0) {
                    reply("420 current article number is invalid");
                    return;
                }
                number = current;
            } else {
                try {
                    number = Long.parseLong(args);
                } catch (NumberFormatException e) {
                    reply("501 not an article number or message-id: " + args);
                    return;
                }
            }
            Optional<Article> found = store.byNumber(group, number);
            if (found.isEmpty()) {
                reply("423 no article with that number");
                return;
            }
            a = found.get();
            current = number;
        }
        String status = number + " " + a.messageId();
        switch (verb) {
            case "ARTICLE" -> multi("220 " + status + " article follows", a.all());
            case "HEAD" -> multi("221 " + status + " headers follow", a.headers());
            case "BODY" -> multi("222 " + status + " body follows", a.body());
            default -> reply("223 " + status);
        }
    }

    private void step(boolean forward) throws IOException {
        if (group == null) {
            reply("412 no newsgroup selected");
            return;
        }
        if (current < 0) {
            reply("420 current article number is invalid");
            return;
        }
        long n = forward ? store.nextNumber(group, current) : store.previousNumber(group, current);
        if (n < 0) {
            reply(forward ? "421 no next article in this group" : "422 no previous article in this group");
            return;
        }
        current = n;
        reply("223 " + n + " " + store.byNumber(group, n).map(Article::messageId).orElse("<>") + " retrieved");
    }

    private void post() throws IOException {
        if (!settings.postingAllowed()) {
            reply("440 posting not permitted");
            return;
        }
        reply("340 send article to be posted, end with <CR-LF>.<CR-LF>");
        List<String> lines = new ArrayList<>();
        boolean tooLong = false;
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed in the middle of an article");
            }
            if (line.equals(".")) {
                break;
            }
            if (lines.size() >= MAX_ARTICLE_LINES) {
                tooLong = true;
                continue;
            }
            lines.add(line.startsWith("..") ? line.substring(1) : line);
        }
        if (tooLong) {
            reply("441 posting failed: article longer than " + MAX_ARTICLE_LINES + " lines");
            return;
        }
        PostResult result = store.post(lines);
        reply(result.accepted() ? "240 article received " + result.messageId()
                : "441 posting failed: " + result.error());
    }

    private static Pattern wildmat(String wildmat) {
        StringBuilder regex = new StringBuilder();
        for (char c : wildmat.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case ',' -> regex.append('|');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private void multi(String status, List<String> lines) throws IOException {
        StringBuilder b = new StringBuilder(status).append("\r\n");
        for (String l : lines) {
            b.append(l.startsWith(".") ? "." : "").append(l).append("\r\n");
        }
        b.append(".\r\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void reply(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
