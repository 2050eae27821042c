package dev.unplug.wds;

import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import dev.unplug.api.session.DisconnectType;
import dev.unplug.api.session.LeaveReason;
import dev.unplug.api.session.TransportServer;
import dev.unplug.api.session.TransportSessionClient;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A multicast transport server ({@code IWdsTransportServer}): namespaces hold contents (files); a client joins a
 * content with {@code wds://HOST:PORT/NAMESPACE/CONTENT} and receives it in a {@link WdsSession} multicast to
 * every client of that content at once, repaired by multicast from what clients report missing (see {@link Wire}
 * for the protocol). The server sees each client as a {@link TransportSessionClient} and can disconnect one with
 * a {@link DisconnectType}: fallback (the client leaves the session and fetches only the blocks it lacks by unicast,
 * over its control connection) or abort.
 *
 * <p>Safety: by default it multicasts only on {@code lo}, with TTL 0, to group {@value #DEFAULT_GROUP}, and listens on
 * 127.0.0.1; nothing leaves the machine unless the builder says so ({@link Builder#networkInterface},
 * {@link Builder#ttl}, {@link Builder#bindAddress}).
 *
 * <p>Threads: one accepting, one per connected client, one per running session; all end by {@link #close()},
 * which waits for them. Thread-safe.
 *
 * <p>An application gets one through its plugin host as a {@link TransportServer}
 * ({@code host.extension("wds", TransportServer.Factory.class).start(options)}), which works with the plugin loaded
 * from a plugins folder too; this class and its builder are for code that has the plugin on its class path.
 *
 * <pre>{@code
 * try (WdsServer server = WdsServer.builder().start()) {
 *     server.register("images");
 *     server.addContent("images", "disk.img", Path.of("disk.img"));
 *     URI uri = server.uri("images", "disk.img");          // wds://127.0.0.1:PORT/images/disk.img
 *     ...
 *     server.disconnect(clientId, DisconnectType.FALLBACK);
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class WdsServer implements TransportServer {

    /** The default multicast group, in the administratively scoped 239.255.0.0/16. */
    public static final String DEFAULT_GROUP = "239.255.77.77";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    final int blockSize;
    final long rate;
    final Duration startDelay;
    private final Duration inactivity;
    private final InetAddress group;
    private final int dataPort;
    private final ServerSocket listener;
    private final DatagramChannel multicast;
    private final Thread acceptor;
    private final Map<String, Map<String, Content>> namespaces = new LinkedHashMap<>();
    private final Map<Content, WdsSession> running = new LinkedHashMap<>();
    private final Map<Long, Member> members = new ConcurrentHashMap<>();
    /** Clients that have left, oldest departure first, with when: the history {@link #client(long)} reads. */
    private final ConcurrentLinkedQueue<Departure> departed =
            new ConcurrentLinkedQueue<>();
    private final AtomicInteger departedCount = new AtomicInteger();
    private final int historySize;
    private final long historyAgeNanos;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Content> allContents = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong bytesUnicast = new AtomicLong();
    private final AtomicLong blocksUnicast = new AtomicLong();
    private final AtomicLong framesMalformed = new AtomicLong();
    private final AtomicLong multicastBytes = new AtomicLong();
    private final AtomicLong blocksRepaired = new AtomicLong();
    private final AtomicLong slowClientsFallenBack = new AtomicLong();
    private final double maxRepairShare;
    private volatile boolean closed;

    /** How the server answers a leave: a test's way to make it misbehave (the TCK's peer control). */
    enum LeaveAnswer { ACKNOWLEDGE, IGNORE, RESET, LATE }

    /** What a test sees of the control connections: accepts, frames read, ends, by accept order. */
    interface Tap {
        void accepted(int connection);

        void frame(int connection, byte type);

        void ended(int connection);
    }

    private final AtomicInteger accepted = new AtomicInteger();
    private volatile LeaveAnswer leaveAnswer = LeaveAnswer.ACKNOWLEDGE;
    private volatile Tap tap;

    private WdsServer(Builder b) throws IOException {
        this.blockSize = b.blockSize;
        this.rate = b.rate;
        this.startDelay = b.startDelay;
        this.inactivity = b.inactivity;
        this.maxRepairShare = b.maxRepairShare;
        this.historySize = b.historySize;
        this.historyAgeNanos = b.historyAge.toNanos();
        this.group = b.group;
        NetworkInterface nif = NetworkInterface.getByName(b.networkInterface);
        if (nif == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "no network interface " + b.networkInterface);
        }
        this.listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(b.bindAddress, b.port), 128);
            this.dataPort = b.dataPort != 0 ? b.dataPort : listener.getLocalPort();
            this.multicast = DatagramChannel.open(StandardProtocolFamily.INET);
            multicast.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
            multicast.setOption(StandardSocketOptions.IP_MULTICAST_TTL, b.ttl);
            multicast.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            multicast.bind(new InetSocketAddress(b.bindAddress instanceof Inet4Address ? b.bindAddress
                    : InetAddress.getByName("127.0.0.1"), 0));
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        this.acceptor = new Thread(this::accept, "unplug-wds-server-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A builder with the safe defaults: 127.0.0.1, an ephemeral port, {@code lo}, TTL 0, {@value #DEFAULT_GROUP}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The TCP port clients connect to (the data port is the same number, in UDP, unless set). */
    @Override
    public int port() {
        return listener.getLocalPort();
    }

    /** The multicast group and UDP port the sessions send to. */
    public InetSocketAddress dataAddress() {
        return new InetSocketAddress(group, dataPort);
    }

    /** The URI a client opens to receive a content: {@code wds://HOST:PORT/NAMESPACE/CONTENT}. */
    @Override
    public URI uri(String namespace, String content) {
        return URI.create("wds://" + listener.getInetAddress().getHostAddress() + ":" + port() + "/"
                + name(namespace, "namespace") + "/" + name(content, "content"));
    }

    /**
     * Registers a namespace.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for a bad name or one already registered
     */
    @Override
    public void register(String namespace) {
        name(namespace, "namespace");
        synchronized (this) {
            checkOpen();
            if (namespaces.putIfAbsent(namespace, new LinkedHashMap<>()) != null) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "namespace " + namespace + " is already registered");
            }
        }
    }

    /**
     * Adds a file as a content of a namespace; its size and SHA-256 are taken now.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for a bad name, an unknown namespace, a content
     *         already there or a file that cannot be read
     */
    @Override
    public void addContent(String namespace, String content, Path file) {
        name(namespace, "namespace");
        name(content, "content");
        UnplugException.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "content " + content + ": " + file
                    + " is not a readable file");
        }
        Content c = new Content(namespace, content, file);
        synchronized (this) {
            try {
                checkOpen();
                Map<String, Content> ns = namespace(namespace);
                if (ns.containsKey(content)) {
                    throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "content " + namespace + "/" + content
                            + " is already registered");
                }
                ns.put(content, c);
                allContents.add(c);
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
        }
    }

    /**
     * Deregisters a namespace: no client can join its contents any more. With {@code terminateSessions} its
     * running sessions end now (every client is disconnected with abort); without, they run until their clients
     * finish.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for an unknown namespace
     */
    @Override
    public void deregister(String namespace, boolean terminateSessions) {
        List<WdsSession> sessions;
        synchronized (this) {
            Map<String, Content> ns = namespace(namespace);
            namespaces.remove(namespace);
            sessions = sessionsOf(c -> ns.containsValue(c));
        }
        if (terminateSessions) {
            sessions.forEach(s -> s.terminate("namespace " + namespace + " was deregistered"));
        }
    }

    /**
     * Ends every session of a content (every client is disconnected with abort); the content stays registered,
     * so a client joining later starts a new session.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for an unknown namespace or content
     */
    @Override
    public void terminateContent(String namespace, String content) {
        List<WdsSession> sessions;
        synchronized (this) {
            Content c = namespace(namespace).get(content);
            if (c == null) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "no content " + content + " in namespace "
                        + namespace);
            }
            sessions = sessionsOf(c::equals);
        }
        sessions.forEach(s -> s.terminate("content " + namespace + "/" + content + " was terminated"));
    }

    /** The running sessions. */
    public synchronized List<WdsSession> sessions() {
        return List.copyOf(running.values());
    }

    /** A client that left, and when. */
    private record Departure(Member member, long atNanos) {
    }

    /** A client left its session: it joins the history, and what is too old or too many is forgotten. */
    void departed(Member m) {
        long now = System.nanoTime();
        departed.add(new Departure(m, now));
        departedCount.incrementAndGet();
        forget(now);
    }

    /** Forgets the departures beyond the history's size or age, oldest first. */
    private void forget(long now) {
        Departure d;
        while ((d = departed.peek()) != null
                && (departedCount.get() > historySize || now - d.atNanos() > historyAgeNanos)) {
            if (departed.remove(d)) {
                departedCount.decrementAndGet();
                members.remove(d.member().id(), d.member());
            }
        }
    }

    /** How many clients the server remembers, in sessions or gone: bounded by the history. */
    int remembered() {
        forget(System.nanoTime());
        return members.size();
    }

    /** The clients in a session now (not those that left, fell back or were aborted). */
    @Override
    public List<TransportSessionClient> clients() {
        return members.values().stream().filter(m -> m.leftBecause().isEmpty())
                .sorted((a, b) -> Long.compare(a.id(), b.id())).map(m -> (TransportSessionClient) m).toList();
    }

    /**
     * Any client in a session now, or one that has left recently: the server remembers at most
     * {@link Builder#clientHistory(int, Duration)} clients that have left (default the last 1,024, for 10 minutes),
     * so that a server that runs for months keeps its memory flat.
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for an id the server never assigned or has forgotten
     */
    @Override
    public TransportSessionClient client(long id) {
        Member m = members.get(id);
        if (m == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "no client " + id + " on this server (a client"
                    + " that left is remembered for at most " + historySize + " departures and "
                    + Duration.ofNanos(historyAgeNanos).toSeconds() + " s)");
        }
        return m;
    }

    /**
     * Disconnects one client with a type ({@link TransportSessionClient#disconnect(DisconnectType)}). Returns within
     * about 2 s even when the client stopped reading: a kick not written by then closes its control connection (the
     * same bound holds for {@link #kick}, {@link #terminateContent} and {@link WdsSession#terminate()}).
     *
     * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for an unknown id or {@link DisconnectType#UNKNOWN}
     *         (nothing changes), {@link ErrorKind#NULL_ARGUMENT} for a null type, {@link ErrorKind#NOT_CONNECTED}
     *         for a client that has left
     */
    @Override
    public void disconnect(long clientId, DisconnectType type) {
        UnplugException.requireNonNull(type, "type");
        client(clientId).disconnect(type);
    }

    /**
     * Kicks several clients at once with one type and a reason each of them receives (the original's kick naming
     * client ids). Every id is checked before any client is kicked, so a bad request changes nothing.
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for nulls, {@link ErrorKind#INVALID_ARGUMENT} for
     *         {@link DisconnectType#UNKNOWN}, no ids or an id never assigned, {@link ErrorKind#NOT_CONNECTED} when
     *         one of them has left
     */
    @Override
    public void kick(java.util.Collection<Long> clientIds, DisconnectType type, String reason) {
        UnplugException.requireNonNull(clientIds, "clientIds");
        UnplugException.requireNonNull(type, "type");
        UnplugException.requireNonNull(reason, "reason");
        if (type == DisconnectType.UNKNOWN || clientIds.isEmpty()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, type == DisconnectType.UNKNOWN
                    ? "disconnect type UNKNOWN (0) is not a valid request: use FALLBACK or ABORT; nothing was changed"
                    : "no client ids to kick");
        }
        List<Member> targets = new ArrayList<>();
        for (Long id : clientIds) {
            Member m = (Member) client(UnplugException.requireNonNull(id, "clientIds element"));
            if (m.leftBecause().isPresent()) {
                throw new UnplugException(ErrorKind.NOT_CONNECTED, "client " + id + " (" + m.name() + ") has already"
                        + " left its session; nothing was changed");
            }
            targets.add(m);
        }
        for (Member m : targets) {
            try {
                m.kick(type, reason);
            } catch (UnplugException leftMeanwhile) {
                // it left between the check and the kick: it is gone either way
            }
        }
    }

    /** Bytes multicast by all sessions so far. */
    @Override
    public long bytesMulticast() {
        return multicastBytes.get();
    }

    /** Clients the server fell back to unicast itself, because they missed too much to repair by multicast. */
    @Override
    public long slowClientsFallenBack() {
        return slowClientsFallenBack.get();
    }

    /** Blocks multicast again, by all sessions so far, because clients reported them missing. */
    @Override
    public long blocksRepaired() {
        return blocksRepaired.get();
    }

    /** Bytes of blocks sent by unicast to clients that fell back. */
    @Override
    public long bytesUnicast() {
        return bytesUnicast.get();
    }

    /** Blocks sent by unicast to clients that fell back. */
    @Override
    public long blocksUnicast() {
        return blocksUnicast.get();
    }

    /** Control frames that broke the protocol (each closed its connection). */
    public long framesMalformed() {
        return framesMalformed.get();
    }

    /**
     * Stops the server: every session ends (its clients are disconnected with abort), every connection closes,
     * and every thread of the server has ended when this returns (bounded: 5 s). Idempotent.
     */
    @Override
    public void close() {
        List<WdsSession> sessions;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            sessions = List.copyOf(running.values());
        }
        // the kicks go out on their own thread: a client that stopped reading could block one on a full socket,
        // and closing the sockets below (after at most 1 s) unblocks it
        Thread kicks = new Thread(() -> sessions.forEach(s -> s.terminate("the server is shutting down")),
                "unplug-wds-server-close");
        kicks.setDaemon(true);
        kicks.start();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try {
            kicks.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(listener);
            sockets.forEach(WdsServer::closeQuietly);
        }
        try {
            kicks.join(1_000);
            acceptor.join(5_000);
            for (Thread t : List.copyOf(threads)) {
                t.join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            }
            for (WdsSession s : sessions) {
                s.awaitEnd(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            multicast.close();
        } catch (IOException ignored) {
            // nothing to flush
        }
        synchronized (this) {
            allContents.forEach(Content::close);
        }
    }

    @Override
    public String toString() {
        return "wds server on " + listener.getInetAddress().getHostAddress() + ":" + port() + " (multicast "
                + group.getHostAddress() + ":" + dataPort + ")";
    }

    // ------------------------------------------------------------------ inside

    void multicast(ByteBuffer datagram) throws IOException {
        int size = datagram.remaining();
        multicast.send(datagram, new InetSocketAddress(group, dataPort));
        multicastBytes.addAndGet(size);
    }

    void repaired() {
        blocksRepaired.incrementAndGet();
    }

    synchronized void ended(WdsSession session) {
        running.remove(session.content, session);
    }

    void failed(WdsSession session, IOException e) {
        session.terminate("the server failed to send: " + e.getMessage());
    }

    private List<WdsSession> sessionsOf(java.util.function.Predicate<Content> which) {
        return running.entrySet().stream().filter(e -> which.test(e.getKey())).map(Map.Entry::getValue).toList();
    }

    private Map<String, Content> namespace(String namespace) {
        Map<String, Content> ns = namespaces.get(name(namespace, "namespace"));
        if (ns == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "no namespace " + namespace + " on this server");
        }
        return ns;
    }

    private void checkOpen() {
        if (closed) {
            throw new UnplugException(ErrorKind.INVALID_STATE, "the wds server is closed");
        }
    }

    static String name(String name, String what) {
        UnplugException.requireNonNull(name, what);
        if (!NAME.matcher(name).matches()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, what + " name must be 1 to 128 letters, digits, '.',"
                    + " '_' or '-' (not starting with a punctuation mark), not \"" + name + "\"");
        }
        return name;
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            sockets.add(s);
            int index = accepted.getAndIncrement();
            Tap observer = tap;
            if (observer != null) {
                observer.accepted(index);
            }
            Thread t = new Thread(() -> serve(s, index), "unplug-wds-server-control-" + s.getPort());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** One client's control connection, from its join to its end. */
    private void serve(Socket socket, int index) {
        Member member = null;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) JOIN_TIMEOUT.toMillis());
            InputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            member = join(socket, in, out, index);
            if (member == null) {
                return;
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, inactivity.toMillis()));
            while (true) {
                Wire.Frame f = Wire.read(in);
                Tap observer = tap;
                if (observer != null) {
                    observer.frame(index, f.type());
                }
                if (!handle(member, f, socket)) {
                    return;
                }
            }
        } catch (Wire.Malformed e) {
            framesMalformed.incrementAndGet();
        } catch (SocketTimeoutException e) {
            // silent for longer than the inactivity timeout
        } catch (EOFException | SocketException e) {
            // the client closed or was closed
        } catch (IOException e) {
            framesMalformed.incrementAndGet();
        } finally {
            // closed only now, after the count: a peer that sees the close sees the count too
            closeQuietly(socket);
            if (member != null) {
                member.depart(LeaveReason.INACTIVE);
            }
            sockets.remove(socket);
            threads.remove(Thread.currentThread());
            Tap observer = tap;
            if (observer != null) {
                observer.ended(index);
            }
        }
    }

    private Member join(Socket socket, InputStream in, OutputStream out, int index) throws IOException {
        Wire.Frame f = Wire.read(in);
        Tap observer = tap;
        if (observer != null) {
            observer.frame(index, f.type());
        }
        if (f.type() != Wire.JOIN) {
            throw new Wire.Malformed("expected a join, got frame type " + f.type());
        }
        DataInputStream p = f.in();
        // a name is shown in lists and logs: no control characters (no forged lines), at most 128 characters
        String name = p.readUTF().replaceAll("\\p{Cntrl}", "?");
        name = name.length() > 128 ? name.substring(0, 128) : name;
        String namespace = p.readUTF();
        String content = p.readUTF();
        WdsSession session;
        Member member;
        synchronized (this) {
            Map<String, Content> ns = closed ? null : namespaces.get(namespace);
            Content c = ns == null ? null : ns.get(content);
            if (c == null) {
                String why = closed ? "the server is closing" : ns == null ? "no namespace " + namespace
                        : "no content " + content + " in namespace " + namespace;
                Wire.send(out, Wire.frame(Wire.REFUSED, o -> {
                    o.writeUTF(ErrorKind.INVALID_ARGUMENT.name());
                    o.writeUTF(why);
                }));
                return null;
            }
            long id = ids.incrementAndGet();
            session = running.get(c);
            boolean fresh = session == null;
            if (fresh) {
                session = new WdsSession(id, c, this);
                running.put(c, session);
            }
            member = new Member(id, name.isBlank() ? "client-" + id : name, socket, out, session);
            if (!session.join(member)) { // it ended between the lookup and the join: a new session
                session = new WdsSession(id, c, this);
                running.put(c, session);
                fresh = true;
                member = new Member(id, member.name(), socket, out, session);
                session.join(member);
            }
            if (fresh) {
                session.start(); // only once it has its first client: a session without clients ends at once
            }
            members.put(id, member);
        }
        long clientId = member.id();
        long sessionId = session.id();
        Content c = session.content;
        Wire.send(out, Wire.frame(Wire.WELCOME, o -> {
            o.writeLong(clientId);
            o.writeLong(sessionId);
            o.writeUTF(group.getHostAddress());
            o.writeInt(dataPort);
            o.writeLong(c.size);
            o.writeInt(blockSize);
            o.writeUTF(c.sha256);
        }));
        return member;
    }

    /** Handles one frame from a member; false when its connection should end. */
    private boolean handle(Member m, Wire.Frame f, Socket socket) throws IOException {
        DataInputStream p = f.in();
        int blocks = m.session.content.blocks(blockSize);
        switch (f.type()) {
            case Wire.STATUS -> m.status(p.readLong(), p.readLong());
            case Wire.NAK -> {
                BitSet missing = Wire.readRanges(p, blocks);
                if (m.leftBecause().isPresent()) {
                    break;
                }
                if (m.session.firstPassDone() && missing.cardinality() > blocks * maxRepairShare) {
                    // slow-client handling: repairing it by multicast would resend most of the content to everyone
                    try {
                        m.kick(DisconnectType.FALLBACK, "too slow or lossy for multicast: " + missing.cardinality()
                                + " of " + blocks + " blocks missing after a whole pass; fetch them by unicast");
                        slowClientsFallenBack.incrementAndGet();
                    } catch (UnplugException leftMeanwhile) {
                        // it left: nothing to repair
                    }
                } else {
                    m.session.nak(missing);
                }
            }
            case Wire.FETCH -> {
                BitSet wanted = Wire.readRanges(p, blocks);
                if (m.leftBecause().orElse(null) != LeaveReason.FALLBACK) {
                    throw new Wire.Malformed("client " + m.id() + " fetched blocks without falling back");
                }
                unicast(m, wanted);
            }
            case Wire.LEAVE -> {
                int reason = p.readByte();
                m.depart(reason == LeaveReason.COMPLETE.ordinal() ? LeaveReason.COMPLETE : LeaveReason.CANCELLED);
                switch (leaveAnswer) {
                    case IGNORE -> {
                        return true;
                    }
                    case RESET -> {
                        socket.setSoLinger(true, 0);
                        return false;
                    }
                    case LATE -> sleepQuietly(500);
                    default -> { }
                }
                Wire.send(m.out, Wire.frame(Wire.BYE, o -> { }));
                return true; // the client closes after the acknowledgement
            }
            default -> throw new Wire.Malformed("unexpected frame type " + f.type() + " from client " + m.id());
        }
        return true;
    }

    private void unicast(Member m, BitSet wanted) throws IOException {
        byte[] block = new byte[blockSize];
        for (int n = wanted.nextSetBit(0); n >= 0; n = wanted.nextSetBit(n + 1)) {
            int number = n;
            int length = m.session.content.read(n, blockSize, block);
            Wire.send(m.out, Wire.frame(Wire.BLOCK, o -> {
                o.writeInt(number);
                o.write(block, 0, length);
            }));
            bytesUnicast.addAndGet(length);
            blocksUnicast.incrementAndGet();
        }
        Wire.send(m.out, Wire.frame(Wire.FETCH_DONE, o -> { }));
    }

    /** For tests: how leaves are answered from now on. */
    void answerLeaves(LeaveAnswer answer) {
        this.leaveAnswer = answer;
    }

    /** For tests: watch the control connections (null to stop). */
    void tap(Tap observer) {
        this.tap = observer;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing what is being abandoned
        }
    }

    /** Settings of a {@link WdsServer}, with safe defaults. Not thread-safe. */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private int dataPort;
        private InetAddress group;
        private String networkInterface = "lo";
        private int ttl;
        private int blockSize = 1400;
        private long rate = 64L << 20;
        private Duration inactivity = Duration.ofSeconds(10);
        private Duration startDelay = Duration.ofMillis(200);
        private int historySize = 1024;
        private Duration historyAge = Duration.ofMinutes(10);
        private double maxRepairShare = 0.5;

        private Builder() {
            try {
                group = InetAddress.getByName(DEFAULT_GROUP);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The address the control port listens on; default 127.0.0.1. */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = UnplugException.requireNonNull(address, "bindAddress");
            return this;
        }

        /** The TCP control port; default 0 (any free port). */
        public Builder port(int port) {
            this.port = range("port", port, 0, 65_535);
            return this;
        }

        /** The UDP data port; default 0 (the control port's number). */
        public Builder dataPort(int port) {
            this.dataPort = range("dataPort", port, 0, 65_535);
            return this;
        }

        /** The IPv4 multicast group; default {@value WdsServer#DEFAULT_GROUP}. */
        public Builder group(InetAddress group) {
            UnplugException.requireNonNull(group, "group");
            if (!(group instanceof Inet4Address) || !group.isMulticastAddress()) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "group must be an IPv4 multicast address"
                        + " (224.0.0.0/4; 239.255.0.0/16 for a site), not " + group.getHostAddress());
            }
            this.group = group;
            return this;
        }

        /** The interface multicast leaves by; default {@code lo}. */
        public Builder networkInterface(String name) {
            this.networkInterface = UnplugException.requireNonNull(name, "networkInterface");
            return this;
        }

        /** The multicast TTL; default 0 (never beyond this machine). */
        public Builder ttl(int ttl) {
            this.ttl = range("ttl", ttl, 0, 255);
            return this;
        }

        /** Bytes per block (one datagram's payload); default 1400, to fit a 1500-byte link; 512 to 65000. */
        public Builder blockSize(int bytes) {
            this.blockSize = range("blockSize", bytes, 512, Wire.MAX_BLOCK);
            return this;
        }

        /** The multicast send rate of each session, in bytes per second; default 64 MiB/s. */
        public Builder rate(long bytesPerSecond) {
            if (bytesPerSecond < 1024) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "rate must be at least 1024 bytes/s, not "
                        + bytesPerSecond);
            }
            this.rate = bytesPerSecond;
            return this;
        }

        /** How long a client may stay silent before it is dropped as inactive; default 10 s. */
        public Builder inactivityTimeout(Duration timeout) {
            this.inactivity = positive("inactivityTimeout", timeout);
            return this;
        }

        /**
         * Slow-client handling: a client that, after the session's first pass, reports more than this share of the
         * content missing is fallen back to unicast by the server (as {@link DisconnectType#FALLBACK}) instead of
         * being repaired by multicast, so a slow or lossy client never makes the server resend most of the content
         * to everyone. Default 0.5; 1 turns it off.
         */
        public Builder maxRepairShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "maxRepairShare must be above 0 and at most 1,"
                        + " not " + share);
            }
            this.maxRepairShare = share;
            return this;
        }

        /**
         * How many clients that have left the server remembers for {@link WdsServer#client(long)}, and for how long;
         * default the last 1,024 for 10 minutes. Whatever is older or beyond the count is forgotten, so memory stays
         * flat however many clients come and go.
         *
         * @param count 0 to 1,000,000 departures
         * @param age above 0, at most 1 day
         */
        public Builder clientHistory(int count, Duration age) {
            this.historySize = range("clientHistory count", count, 0, 1_000_000);
            this.historyAge = positive("clientHistory age", age);
            return this;
        }

        /** How long a new session waits for more clients before its first pass; default 200 ms. */
        public Builder startDelay(Duration delay) {
            UnplugException.requireNonNull(delay, "startDelay");
            if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "startDelay must be 0 to 10 min, not " + delay);
            }
            this.startDelay = delay;
            return this;
        }

        /**
         * Starts the server.
         *
         * @throws UnplugException {@link ErrorKind#INVALID_ARGUMENT} for an unknown interface,
         *         {@link ErrorKind#SOCKET_ERROR} when the port cannot be bound
         */
        public WdsServer start() {
            try {
                return new WdsServer(this);
            } catch (IOException e) {
                throw new UnplugException(ErrorKind.SOCKET_ERROR, "cannot start the wds server on "
                        + bindAddress.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
            }
        }

        private static int range(String what, int value, int min, int max) {
            if (value < min || value > max) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, what + " must be " + min + " to " + max
                        + ", not " + value);
            }
            return value;
        }

        private static Duration positive(String what, Duration d) {
            UnplugException.requireNonNull(d, what);
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(1)) > 0) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, what + " must be above 0 and at most 1 day, not "
                        + d);
            }
            return d;
        }
    }
}
