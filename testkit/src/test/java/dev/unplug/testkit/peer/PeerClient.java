package dev.unplug.testkit.peer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A bare line client for the peers' own tests. */
final class PeerClient implements AutoCloseable {

    final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    PeerClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(2_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
    }

    static PeerClient to(LoopbackPeer peer) throws IOException {
        return new PeerClient(new Socket("127.0.0.1", peer.port()));
    }

    void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    String read() throws IOException {
        return in.readLine();
    }

    String send(String line) throws IOException {
        write(line);
        return read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
