package dev.unplug.testkit.nntp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A plain-socket NNTP client for the server's tests: one line out, lines in. */
final class NntpTestClient implements AutoCloseable {

    final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    final String greeting;

    NntpTestClient(EmbeddedNntpServer server) throws IOException {
        socket = new Socket(EmbeddedNntpServer.HOST, server.port());
        socket.setSoTimeout(5_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        greeting = in.readLine();
    }

    /** Sends a command and returns the status line. */
    String send(String line) throws IOException {
        write(line);
        return in.readLine();
    }

    void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String readLine() throws IOException {
        return in.readLine();
    }

    /** Reads the lines of a multi-line answer up to the terminating dot, dot-unstuffed. */
    List<String> readBlock() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
            lines.add(l.startsWith("..") ? l.substring(1) : l);
        }
        return lines;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
