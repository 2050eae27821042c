package dev.unplug.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the servers write their logs, as {@code scripts/servers.sh paths} prints them (one source of truth for the
 * base directory, {@code $UNPLUG_SERVERS_DIR} or {@code ${TMPDIR:-/tmp}/unplug-servers}).
 */
final class ServerPaths {

    private static Map<String, String> paths;

    private ServerPaths() {
    }

    /** The repository's root: the {@code unplug.repo.dir} system property the interop pom sets, else {@code ..}. */
    static Path repo() {
        return Path.of(System.getProperty("unplug.repo.dir", "..")).toAbsolutePath().normalize();
    }

    static Path dovecotLog() {
        return get("DOVECOT_LOG");
    }

    static Path smtpdLog() {
        return get("SMTPD_LOG");
    }

    /** INN's news.* syslog lines at every level, with nnrpd's command trace. */
    static Path innDebugLog() {
        return get("INN_DEBUG_LOG");
    }

    static synchronized Path get(String key) {
        if (paths == null) {
            paths = load();
        }
        String p = paths.get(key);
        if (p == null) {
            throw new IllegalStateException("scripts/servers.sh paths printed no " + key + ": " + paths);
        }
        return Path.of(p);
    }

    private static Map<String, String> load() {
        Path script = repo().resolve("scripts/servers.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("no " + script + " (set -Dunplug.repo.dir to the repository)");
        }
        try {
            Process p = new ProcessBuilder("bash", script.toString(), "paths").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " paths failed: " + out);
            }
            Map<String, String> m = new LinkedHashMap<>();
            out.lines().filter(l -> l.contains("=")).forEach(l -> m.put(l.substring(0, l.indexOf('=')),
                    l.substring(l.indexOf('=') + 1)));
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + script, e);
        }
    }
}
