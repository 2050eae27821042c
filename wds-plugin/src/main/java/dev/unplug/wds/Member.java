package dev.unplug.wds;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import dev.unplug.api.session.DisconnectType;
import dev.unplug.api.session.LeaveReason;
import dev.unplug.api.session.TransportSessionClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One client as the server sees it: its figures, its session, its control connection. Thread-safe. */
final class Member implements TransportSessionClient {

    /** The most a kick waits to be written to a client that stopped reading; then its connection is closed. */
    static final Duration KICK_LIMIT = Duration.ofSeconds(2);

    private final long id;
    private final String name;
    private final InetAddress address;
    private final long joinedAt = System.nanoTime();
    final Socket socket;
    final OutputStream out;
    final WdsSession session;
    private volatile long bytesReceived;
    private volatile long rate;
    private volatile LeaveReason left;

    Member(long id, String name, Socket socket, OutputStream out, WdsSession session) {
        this.id = id;
        this.name = name;
        this.address = socket.getInetAddress();
        this.socket = socket;
        this.out = out;
        this.session = session;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> macAddress() {
        return macOf(address);
    }

    @Override
    public InetAddress address() {
        return address;
    }

    @Override
    public int percentComplete() {
        long size = session.content.size;
        return size == 0 ? (left == LeaveReason.COMPLETE ? 100 : 0) : (int) Math.min(100, bytesReceived * 100 / size);
    }

    @Override
    public long bytesReceived() {
        return bytesReceived;
    }

    @Override
    public long receiveBytesPerSecond() {
        return rate;
    }

    @Override
    public Duration joinedFor() {
        return Duration.ofNanos(System.nanoTime() - joinedAt);
    }

    @Override
    public Optional<LeaveReason> leftBecause() {
        return Optional.ofNullable(left);
    }

    @Override
    public void disconnect(DisconnectType type) {
        UnplugException.requireNonNull(type, "type");
        if (type == DisconnectType.UNKNOWN) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "disconnect type UNKNOWN (0) is not a valid request"
                    + " for client " + id + " (" + name + "): use FALLBACK or ABORT; nothing was changed");
        }
        kick(type, "disconnected by the server's administrator");
    }

    /**
     * Sends a kick and records the client as gone from the session, or raises NOT_CONNECTED when it has left.
     * Returns within about {@link #KICK_LIMIT} even when the client stopped reading (its buffers full, or another
     * write to it blocked): then its control connection is closed instead.
     */
    void kick(DisconnectType type, String reason) {
        if (!depart(type == DisconnectType.FALLBACK ? LeaveReason.FALLBACK : LeaveReason.ABORTED)) {
            throw new UnplugException(ErrorKind.NOT_CONNECTED, "client " + id + " (" + name + ") has already left its"
                    + " session (" + left.name().toLowerCase(Locale.ROOT) + ")");
        }
        try {
            Wire.sendWithin(socket, out, Wire.frame(Wire.KICK, o -> {
                o.writeByte(type.value());
                o.writeUTF(reason);
            }), KICK_LIMIT);
        } catch (IOException e) {
            // the control connection is gone, or was closed for not taking the kick within the limit: the client
            // cannot receive anything more, and has left either way
        }
    }

    /** Records the client as gone from its session with a reason; false when it had already gone. */
    boolean depart(LeaveReason reason) {
        synchronized (this) {
            if (left != null) {
                return false;
            }
            left = reason;
        }
        session.leave(this);
        return true;
    }

    /** A figure the client reported in a status message. */
    void status(long bytes, long bytesPerSecond) {
        bytesReceived = Math.max(0, Math.min(bytes, session.content.size));
        rate = Math.max(0, bytesPerSecond);
    }

    @Override
    public String toString() {
        return "client " + id + " (" + name + ", " + address.getHostAddress() + ", " + percentComplete() + " %"
                + (left == null ? "" : ", left: " + left.name().toLowerCase(Locale.ROOT)) + ")";
    }

    /** The MAC of a neighbour on one of this machine's links, from the kernel's ARP table; empty elsewhere. */
    static Optional<String> macOf(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/arp"));
            String ip = address.getHostAddress();
            return lines.stream().skip(1).map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length >= 4 && f[0].equals(ip) && !f[3].equals("00:00:00:00:00:00"))
                    .map(f -> f[3]).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
