package dev.unplug.bench;

import dev.unplug.api.Connection;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.Options;
import dev.unplug.core.PluginHost;
import dev.unplug.core.ShutdownReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocketListener;

/**
 * The WebSocket figure, against the real websocketd that {@code scripts/servers.sh} runs on 127.0.0.1:10080
 * (serving {@code cat}), beside the JDK's client used directly and OkHttp in the same run: a graceful disconnect
 * (close 1000 sent, the server's close awaited) against the JDK's {@code sendClose} plus waiting for
 * {@code onClose}, and against OkHttp's {@code close(1000)} plus waiting for {@code onClosed}; the drop call against
 * the JDK's {@code abort()} and OkHttp's {@code cancel()}; and a host shutdown of N connections (websocketd runs one
 * {@code cat} per connection). Not run when websocketd is not there.
 */
final class WebSocketFigure implements Figure {

    private static final URI ECHO = URI.create("ws://127.0.0.1:10080/echo");

    @Override
    public String name() {
        return "websocket";
    }

    @Override
    public Result run(boolean quick) throws Exception {
        int samples = quick ? 10 : 200;
        int bulk = quick ? 50 : 1_000;
        Result r = new Result(name(), "WebSocket: graceful close handshake, drop, and a bulk shutdown",
                "the JDK's java.net.http.WebSocket used directly (sendClose + onClose; abort) and OkHttp 5.5.1"
                        + " (close + onClosed; cancel) on the same server",
                "graceful median <= 1.05x the JDK's own; drop <= 1.2x abort(); bulk: >= 99 % of the answering ones"
                        + " CLEAN");
        r.settings = Stats.f("websocketd on 127.0.0.1:10080 (scripts/servers.sh) serving cat; %d samples of each,"
                + " interleaved (the three clients take turns at going first), after 10 unjudged; bulk: %,d"
                + " connections, host.shutdown(2 s)", samples, bulk);
        if (!r.serverListening("websocketd", 10080)) {
            return r;
        }
        r.header("measure", "Unplug median", "Unplug p99", "JDK median", "JDK p99", "OkHttp median", "OkHttp p99",
                "Unplug / JDK (median)", "outcomes");
        OkHttpClient okhttp = new OkHttpClient.Builder().build();
        HttpClient jdk = HttpClient.newHttpClient();
        try (PluginHost host = PluginHost.builder().build()) {
            long[] ug = new long[samples];
            long[] jg = new long[samples];
            long[] og = new long[samples];
            long[] ud = new long[samples];
            long[] jd = new long[samples];
            long[] od = new long[samples];
            int clean = 0;
            for (int i = -10; i < samples; i++) {
                // the three clients take turns at going first: the first measure of a round pays for the server
                // still ending the previous round's sessions (websocketd ends a process per session)
                long[] g = new long[3];
                long[] d = new long[3];
                DisconnectOutcome[] outcome = new DisconnectOutcome[1];
                for (int k = 0; k < 3; k++) {
                    int who = Math.floorMod(i + k, 3);
                    g[who] = switch (who) {
                        case 0 -> {
                            Connection c = host.open(ECHO.toString(), Options.empty());
                            c.connect();
                            long t0 = System.nanoTime();
                            outcome[0] = c.disconnect(Duration.ofSeconds(2));
                            yield System.nanoTime() - t0;
                        }
                        case 1 -> jdkGraceful(jdk);
                        default -> okGraceful(okhttp);
                    };
                }
                for (int k = 0; k < 3; k++) {
                    int who = Math.floorMod(i + k, 3);
                    d[who] = switch (who) {
                        case 0 -> {
                            Connection c = host.open(ECHO.toString(), Options.empty());
                            c.connect();
                            long t0 = System.nanoTime();
                            c.drop();
                            yield System.nanoTime() - t0;
                        }
                        case 1 -> jdkAbort(jdk);
                        default -> okCancel(okhttp);
                    };
                }
                if (i >= 0) {
                    ug[i] = g[0];
                    jg[i] = g[1];
                    og[i] = g[2];
                    ud[i] = d[0];
                    jd[i] = d[1];
                    od[i] = d[2];
                    clean += outcome[0].kind() == DisconnectOutcome.Kind.CLEAN ? 1 : 0;
                }
            }
            ug = Stats.sorted(ug);
            jg = Stats.sorted(jg);
            og = Stats.sorted(og);
            ud = Stats.sorted(ud);
            jd = Stats.sorted(jd);
            od = Stats.sorted(od);
            double graceful = (double) Stats.median(ug) / Stats.median(jg);
            double drop = (double) Stats.median(ud) / Stats.median(jd);
            r.row("graceful: close 1000 sent, the server's close awaited", Stats.us(Stats.median(ug)),
                    Stats.us(Stats.p99(ug)), Stats.us(Stats.median(jg)), Stats.us(Stats.p99(jg)),
                    Stats.us(Stats.median(og)), Stats.us(Stats.p99(og)), Stats.x(graceful),
                    clean + " of " + samples + " CLEAN (the server answered 1000)");
            r.row("drop: the end call itself, drop() vs abort() vs cancel()", Stats.us(Stats.median(ud)),
                    Stats.us(Stats.p99(ud)), Stats.us(Stats.median(jd)), Stats.us(Stats.p99(jd)),
                    Stats.us(Stats.median(od)), Stats.us(Stats.p99(od)), Stats.x(drop), "");
            r.series("websocket graceful", "Unplug disconnect(2 s)", ug);
            r.series("websocket graceful", "JDK sendClose + onClose", jg);
            r.series("websocket graceful", "OkHttp close + onClosed", og);
            r.judge(graceful <= 1.05 && clean == samples).note(Stats.f("graceful: %s of the JDK's own (goal <="
                    + " 1.05x)", Stats.x(graceful)));
            r.judge(drop <= 1.2).note(Stats.f("drop: %s of the JDK's abort() (goal <= 1.2x)", Stats.x(drop)));
            bulk(r, host, bulk);
        } finally {
            okhttp.dispatcher().executorService().shutdown();
            okhttp.connectionPool().evictAll();
        }
        return r;
    }

    private static void bulk(Result r, PluginHost host, int n) throws Exception {
        List<Connection> all = new ArrayList<>();
        ExecutorService connecting = Executors.newFixedThreadPool(16);
        try {
            List<Future<Connection>> made = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                made.add(connecting.submit(() -> {
                    Connection c = host.open(ECHO.toString(), Options.empty());
                    c.connect();
                    return c;
                }));
            }
            for (Future<Connection> f : made) {
                all.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            connecting.shutdown();
        }
        long t0 = System.nanoTime();
        ShutdownReport report = host.shutdown(Duration.ofSeconds(2));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        long notEnded = all.stream().filter(c -> c.state() != ConnectionState.DISCONNECTED).count();
        long clean = all.stream().filter(c -> c.outcome().map(o -> o.kind() == DisconnectOutcome.Kind.CLEAN)
                .orElse(false)).count();
        r.row(Stats.f("bulk: host.shutdown(2 s) of %,d", n), Stats.f("%,d ms", took.toMillis()), "-", "-", "-", "-",
                "-", "-", report.counts() + Stats.f("; %d not ended; %.2f %% CLEAN", notEnded, 100.0 * clean / n));
        r.judge(notEnded == 0 && clean >= 0.99 * n && took.compareTo(Duration.ofMillis(2_100)) <= 0);
    }

    private static long jdkGraceful(HttpClient jdk) throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws = jdk.newWebSocketBuilder().buildAsync(ECHO, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                closed.complete(status);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closed.completeExceptionally(error);
            }
        }).get(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
        closed.get(2, TimeUnit.SECONDS);
        long took = System.nanoTime() - t0;
        ws.abort();
        return took;
    }

    private static long jdkAbort(HttpClient jdk) throws Exception {
        WebSocket ws = jdk.newWebSocketBuilder().buildAsync(ECHO, new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        ws.abort();
        return System.nanoTime() - t0;
    }

    private static long okGraceful(OkHttpClient ok) throws Exception {
        CompletableFuture<okhttp3.WebSocket> open = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        ok.newWebSocket(new Request.Builder().url("http://127.0.0.1:10080/echo").build(), new WebSocketListener() {
            @Override
            public void onOpen(okhttp3.WebSocket w, Response response) {
                open.complete(w);
            }

            @Override
            public void onClosed(okhttp3.WebSocket w, int code, String reason) {
                closed.complete(code);
            }

            @Override
            public void onFailure(okhttp3.WebSocket w, Throwable t, Response response) {
                open.completeExceptionally(t);
                closed.completeExceptionally(t);
            }
        });
        okhttp3.WebSocket ws = open.get(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        ws.close(1000, null);
        closed.get(2, TimeUnit.SECONDS);
        return System.nanoTime() - t0;
    }

    private static long okCancel(OkHttpClient ok) throws Exception {
        CompletableFuture<okhttp3.WebSocket> open = new CompletableFuture<>();
        ok.newWebSocket(new Request.Builder().url("http://127.0.0.1:10080/echo").build(), new WebSocketListener() {
            @Override
            public void onOpen(okhttp3.WebSocket w, Response response) {
                open.complete(w);
            }

            @Override
            public void onFailure(okhttp3.WebSocket w, Throwable t, Response response) {
                open.completeExceptionally(t);
            }
        });
        okhttp3.WebSocket ws = open.get(10, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        ws.cancel();
        return System.nanoTime() - t0;
    }
}
