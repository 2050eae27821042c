package dev.unplug.spi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny loopback line server for the state machine's tests (the api cannot use the testkit's peers): greets
 * {@code +HI}, answers {@code SLOW <ms> <text>} with {@code <text>} after a pause, {@code ECHO <text>} with the
 * text, and {@code QUIT} with {@code +BYE} (or never, or {@code -ERR}), and records every line it receives.
 * One thread per connection; {@link #close()} closes and joins everything.
 */
final class LineServer implements AutoCloseable {

    enum Goodbye { ANSWER, REFUSE, IGNORE }

    final List<String> received = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Goodbye goodbye;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    LineServer(Goodbye goodbye) throws IOException {
        this.goodbye = goodbye;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        start(this::acceptLoop, "line-server-accept");
    }

    int port() {
        return server.getLocalPort();
    }

    long quits() {
        return received.stream().filter(l -> l.equals("QUIT")).count();
    }

    /**
     * Waits until every connection accepted so far has been read to its end (the client closed it), so that
     * {@link #received} holds everything those clients sent.
     *
     * @return whether they all ended in time: false means a client socket is still open at the kernel
     */
    boolean awaitSessionsEnded(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        boolean ended = true;
        for (Thread t : threads) {
            if (t.getName().equals("line-server-conn")) {
                t.join(Math.max(1, until - System.currentTimeMillis()));
                ended &= !t.isAlive();
            }
        }
        return ended;
    }

    private void start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                start(() -> serve(s), "line-server-conn");
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            send(out, "+HI");
            String line;
            while ((line = in.readLine()) != null) {
                received.add(line);
                String[] w = line.split(" ", 3);
                if (w[0].equals("QUIT")) {
                    if (goodbye == Goodbye.ANSWER) {
                        send(out, "+BYE");
                        return;
                    }
                    if (goodbye == Goodbye.REFUSE) {
                        send(out, "-ERR not now");
                        return;
                    }
                } else if (w[0].equals("SLOW") && w.length == 3) {
                    Thread.sleep(Long.parseLong(w[1]));
                    send(out, w[2]);
                } else if (w[0].equals("ECHO")) {
                    send(out, w.length > 1 ? line.substring(5) : "");
                } else if (!w[0].equals("MUTE")) {
                    send(out, "-ERR unknown");
                }
            }
        } catch (IOException | RuntimeException e) {
            // client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            t.interrupt();
            t.join(2_000);
        }
    }
}
