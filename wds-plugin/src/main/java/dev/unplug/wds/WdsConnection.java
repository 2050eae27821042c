package dev.unplug.wds;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.session.DisconnectType;
import dev.unplug.api.session.LeaveReason;
import dev.unplug.api.session.TransferClient;
import dev.unplug.api.session.TransferProgress;
import dev.unplug.api.session.TransferResult;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A client of a wds transport server, receiving one content ({@code wds://HOST:PORT/NAMESPACE/CONTENT}).
 * {@link #connect()} joins the content's multicast session; the content then arrives in the background into a
 * temporary file in the {@code out} directory ({@code .CONTENT.*.part}), is checked against the server's SHA-256
 * and only then moved to {@code out/CONTENT}. Follow it with {@link #progress()}, {@link #onProgress(Consumer)} and
 * {@link #awaitResult(Duration)}: an application reaches them with {@code connection.unwrap(TransferClient.class)}.
 *
 * <p>Disconnecting: graceful {@code disconnect} leaves the session (reason cancelled, unless the content is
 * already complete) and waits, under the deadline, for the server's acknowledgement; {@code drop} just stops.
 * Neither leaves a file that claims to be complete: the temporary file is deleted. When the server disconnects
 * this client with fallback, the client leaves the multicast session and fetches only the blocks it lacks over its
 * control connection, ending with the same bytes; with abort, it deletes what it has and never rejoins.
 *
 * <p>Options: {@code out} (directory for the file; default the system's temporary directory), {@code name} (the
 * client's name shown by the server; default {@code client-PID}), {@code interface} (where multicast is received;
 * default {@code lo}), and the standard {@code connectTimeout} and {@code disconnectDeadline}.
 *
 * <p>Threads: two while receiving (multicast, control), both ended by a disconnect (joined) or a drop (they end on
 * their own as their sockets close); they are threads kept between clients ({@link ClientThreads}), so that a drop
 * ends two loops, not two threads. Thread-safe. Progress listeners run on those threads: keep them short.
 *
 * @since 0.1
 */
final class WdsConnection extends AbstractConnection implements TransferClient {

    static final String OUT = "out";
    static final String NAME = "name";
    static final String INTERFACE = "interface";
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final long STATUS_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long IDLE_NAK_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final int RECEIVE_BUFFER = 8 << 20;

    private final String namespace;
    private final String content;
    private final Path outDir;
    private final String clientName;
    private final String iface;

    private final Object store = new Object();
    private final CompletableFuture<TransferResult> result = new CompletableFuture<>();
    /** Counted down by the server's BYE, or when the control connection ends without one ({@link #byeMissing}). */
    private final CountDownLatch bye = new CountDownLatch(1);
    private volatile String byeMissing;
    private final List<Consumer<TransferProgress>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private volatile Socket control;
    private volatile OutputStream out;
    /** The session's datagrams: a non-blocking channel drained in batches after each wake-up of {@link #ready}. */
    private volatile DatagramChannel data;
    private volatile Selector ready;
    private volatile ClientThreads.Job receiver;
    private volatile ClientThreads.Job controller;
    private volatile boolean receiving;
    private volatile boolean fellBack;
    private volatile long clientId = -1;

    // the content, known after the welcome; guarded by store
    private long sessionId;
    private long size;
    private int blockSize;
    private int blocks;
    private String sha256 = "";
    private BitSet have = new BitSet();
    /** have's cardinality, kept as blocks arrive (guarded by store): no count of the whole set per datagram. */
    private int blocksHeld;
    private FileChannel part;
    /** The part file mapped into memory (contents up to 2 GiB): a block is stored with a copy, not a write call. */
    private MappedByteBuffer mapped;
    private Path partFile;
    private long bytesHeld;
    /**
     * Parity blocks held for groups that still lack blocks, by group: never more per group than it lacks, so at
     * most as many bytes as are missing. Guarded by store.
     */
    private final Map<Integer, List<byte[]>> parityHeld = new HashMap<>();
    private final Map<Integer, List<Integer>> parityIndex = new HashMap<>();
    private long bytesMulticast;
    private long bytesUnicast;
    private int blocksUnicast;
    private int missingAtFallback = -1;
    private int lastPercent = -1;
    private int dataPort;            // the session's UDP port, from the welcome (connecting thread only)

    // the status reports (receiving thread only)
    private long statusBytes;
    private long statusAt = System.nanoTime();

    // a test's induced loss on receive
    private volatile double lossShare;
    private SplittableRandom lossRandom = new SplittableRandom(1);

    WdsConnection(URI uri, Options options) {
        super("wds", uri, options);
        List<String> path = List.of(Optional.ofNullable(uri.getPath()).orElse("").replaceFirst("^/", "").split("/"));
        if (uri.getPort() < 1 || path.size() != 2 || !PART.matcher(path.get(0)).matches()
                || !PART.matcher(path.get(1)).matches()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "wds URIs are wds://HOST:PORT/NAMESPACE/CONTENT"
                    + " (names of letters, digits, '.', '_' and '-'), not " + uri());
        }
        this.namespace = path.get(0);
        this.content = path.get(1);
        String dir = options().get(OUT).orElse(System.getProperty("java.io.tmpdir"));
        try {
            this.outDir = Path.of(dir);
        } catch (InvalidPathException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option out is not a path: " + dir, e);
        }
        this.clientName = options().get(NAME).orElse("client-" + ProcessHandle.current().pid());
        if (clientName.length() > 128) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option name must be at most 128 characters");
        }
        this.iface = options().get(INTERFACE).orElse("lo");
    }

    // ------------------------------------------------------------------ what a user calls

    /** The id the server assigned at the join, or -1 before it. */
    @Override
    public long clientId() {
        return clientId;
    }

    /** The transfer's progress now. */
    @Override
    public TransferProgress progress() {
        synchronized (store) {
            return progressLocked();
        }
    }

    /**
     * Calls {@code listener} each time the percentage complete changes (on a receiving thread: keep it short).
     *
     * @throws UnplugException {@link ErrorKind#NULL_ARGUMENT} for null
     */
    @Override
    public void onProgress(Consumer<TransferProgress> listener) {
        listeners.add(UnplugException.requireNonNull(listener, "listener"));
    }

    /** How the transfer ended, or empty while it runs. */
    @Override
    public Optional<TransferResult> result() {
        return Optional.ofNullable(result.getNow(null));
    }

    /**
     * Waits for the transfer to end.
     *
     * @param timeout how long to wait, at most {@link Options#MAX_DURATION}
     * @return how it ended
     * @throws UnplugException {@link ErrorKind#TIMEOUT} when it has not ended in time,
     *         {@link ErrorKind#NOT_CONNECTED} before {@code connect}, {@link ErrorKind#ABORTED} when interrupted
     */
    @Override
    public TransferResult awaitResult(Duration timeout) {
        Options.requireDuration("timeout", timeout);
        if (state() == ConnectionState.NOT_INITIALISED) {
            throw new UnplugException(ErrorKind.NOT_CONNECTED, uri() + " is not connected: nothing is being received");
        }
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new UnplugException(ErrorKind.TIMEOUT, "the transfer of " + uri() + " has not ended within "
                    + timeout + " (" + progress().percent() + " %)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnplugException(ErrorKind.ABORTED, "interrupted while waiting for " + uri(), e);
        } catch (ExecutionException e) {
            throw new UnplugException(ErrorKind.UNEXPECTED, "the transfer of " + uri() + " failed", e.getCause());
        }
    }

    /** For tests: drops this share (0 to 1) of received datagrams, as a lossy network would. */
    void dropOnReceive(double share, long seed) {
        this.lossRandom = new SplittableRandom(seed);
        this.lossShare = share;
    }

    // ------------------------------------------------------------------ the connection's hooks

    @Override
    protected void openTransport(Duration connectTimeout) throws Exception {
        try {
            joinSession(connectTimeout);
        } catch (Exception e) {
            // the transfer never started: it ends now, so that awaitResult answers at once
            boolean dropped = state() == ConnectionState.DISCONNECTED || state() == ConnectionState.DISCONNECTING;
            end(dropped ? TransferResult.Status.CANCELLED : TransferResult.Status.FAILED, dropped ? null
                    : e instanceof UnplugException u ? u : new UnplugException(ErrorKind.FAILED, "the join of "
                    + namespace + "/" + content + " failed: " + e.getMessage(), e));
            throw e;
        }
    }

    private void joinSession(Duration connectTimeout) throws Exception {
        if (!Files.isDirectory(outDir) || !Files.isWritable(outDir)) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option out: " + outDir
                    + " is not a writable directory");
        }
        NetworkInterface nif = NetworkInterface.getByName(iface);
        if (nif == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option interface: no network interface " + iface);
        }
        Socket s = new Socket();
        s.getSoTimeout(); // the descriptor exists before a drop can reach it
        control = s;
        s.connect(new InetSocketAddress(target().getHost(), target().getPort()),
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis())));
        s.setTcpNoDelay(true);
        s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis())));
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        out = new BufferedOutputStream(s.getOutputStream());
        Wire.send(out, Wire.frame(Wire.JOIN, o -> {
            o.writeUTF(clientName);
            o.writeUTF(namespace);
            o.writeUTF(content);
        }));
        Wire.Frame f = Wire.read(in);
        InetAddress group;
        try {
            group = joined(f);
        } catch (EOFException | UTFDataFormatException e) {
            throw new Wire.Malformed("a truncated answer to the join (frame type " + f.type() + ")");
        }
        synchronized (store) {
            partFile = Files.createTempFile(outDir, "." + content + ".", ".part");
            part = FileChannel.open(partFile, StandardOpenOption.WRITE, StandardOpenOption.READ);
            if (size > 0 && size <= Integer.MAX_VALUE) {
                mapped = part.map(FileChannel.MapMode.READ_WRITE, 0, size);
            }
        }
        try {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
            data = ch;
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            ch.bind(new InetSocketAddress(group, dataPort));
            ch.join(group, nif);
            ch.configureBlocking(false);
            Selector sel = Selector.open();
            ready = sel;
            ch.register(sel, SelectionKey.OP_READ);
            s.setSoTimeout(0); // the control thread waits for the server's frames; a drop closes the socket
            receiving = true;
            advance(ConnectionState.CONNECTED);
            receiver = ClientThreads.start(this::receive, "unplug-wds-client-receive-" + clientId);
            controller = ClientThreads.start(() -> control(in), "unplug-wds-client-control-" + clientId);
            if (blocks == 0) {
                finish();
            }
        } catch (Exception e) {
            receiving = false;
            throw e;
        }
    }

    /** The join's answer: the multicast group of the session, or a typed refusal. */
    private InetAddress joined(Wire.Frame f) throws IOException {
        if (f.type() == Wire.REFUSED) {
            DataInputStream p = f.in();
            String kind = p.readUTF();
            String why = p.readUTF();
            throw new UnplugException(kindOr(kind, ErrorKind.INVALID_ARGUMENT), "the wds server refused the join of "
                    + namespace + "/" + content + ": " + why);
        }
        if (f.type() != Wire.WELCOME) {
            throw new UnplugException(ErrorKind.MALFORMED_REPLY, "the wds server answered a join with frame type "
                    + f.type());
        }
        return welcome(f.in());
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        TransferResult done = result.getNow(null);
        if (done == null) {
            stopReceiving();
            Wire.send(out, Wire.frame(Wire.LEAVE, o -> o.writeByte(LeaveReason.CANCELLED.ordinal())));
        } else if (done.status() != TransferResult.Status.COMPLETE) {
            return GoodbyeReply.accepted("the transfer had already ended (" + done.status() + "): nothing to leave");
        }
        if (!bye.await(Math.max(1, remaining.toNanos()), TimeUnit.NANOSECONDS)) {
            throw new SocketTimeoutException("the wds server did not acknowledge the leave");
        }
        String missing = byeMissing;
        if (missing != null) {
            throw new java.net.SocketException(missing);
        }
        end(TransferResult.Status.CANCELLED, null);
        return GoodbyeReply.accepted("leave acknowledged");
    }

    @Override
    protected UnplugException translate(Exception failure, String during) {
        if (failure instanceof Wire.Malformed) {
            return new UnplugException(ErrorKind.MALFORMED_REPLY, "the wds server at " + uri() + " broke the protocol"
                    + " during " + during + ": " + failure.getMessage(), failure);
        }
        return super.translate(failure, during);
    }

    @Override
    protected void abortTransport(boolean reset) {
        receiving = false;
        Socket s = control;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing at once is all a drop asks
            }
        }
        closeData();
    }

    /**
     * Closes the session's datagram channel and wakes the receiving thread, which closes its selector on its way out;
     * closes the selector here only when no receiving thread runs. Never waits: a selector's {@code close()} waits for
     * the thread inside its {@code select} to be scheduled and leave, which on the deadline thread delayed every other
     * connection's deadline (20 wds aborts beside 50 sockets: the sockets' p99 212-216 ms for a 200 ms deadline).
     * Idempotent.
     */
    private void closeData() {
        DatagramChannel ch = data;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing at once is all that is asked
            }
        }
        Selector sel = ready;
        if (sel != null) {
            ClientThreads.Job r = receiver;
            if (r != null && r.isAlive() && !r.isCurrent()) {
                sel.wakeup(); // the receiver sees receiving == false or its closed channel and closes sel
            } else {
                closeQuietly(sel);
            }
        }
    }

    private static void closeQuietly(Selector sel) {
        try {
            sel.close();
        } catch (IOException ignored) {
            // closing is all that is asked
        }
    }

    @Override
    protected void releaseTransport() throws Exception {
        abortTransport(false);
        join(receiver);
        join(controller);
        end(TransferResult.Status.CANCELLED, null);
    }

    // ------------------------------------------------------------------ receiving

    private InetAddress welcome(DataInputStream p) throws IOException {
        long id = p.readLong();
        long session = p.readLong();
        InetAddress group = InetAddress.getByName(p.readUTF());
        int port = p.readInt();
        long contentSize = p.readLong();
        int block = p.readInt();
        String sha = p.readUTF();
        if (!(group instanceof Inet4Address) || !group.isMulticastAddress() || port < 1 || port > 65535
                || contentSize < 0 || block < 1 || block > Wire.MAX_BLOCK || !sha.matches("[0-9a-f]{64}")
                || (contentSize + block - 1) / block > Integer.MAX_VALUE) {
            throw new UnplugException(ErrorKind.MALFORMED_REPLY, "the wds server's welcome is malformed (group "
                    + group.getHostAddress() + ", port " + port + ", size " + contentSize + ", block " + block + ")");
        }
        clientId = id;
        dataPort = port;
        synchronized (store) {
            sessionId = session;
            size = contentSize;
            blockSize = block;
            blocks = (int) ((contentSize + block - 1) / block);
            sha256 = sha;
            have = new BitSet(blocks);
            blocksHeld = 0;
        }
        return group;
    }

    private void receive() {
        try {
            receiveUntilEnd();
        } finally {
            closeQuietly(ready); // a drop only woke this thread (see closeData)
        }
    }

    private void receiveUntilEnd() {
        ByteBuffer packet = ByteBuffer.allocate(Wire.HEADER + blockSize);
        byte[] buffer = packet.array();
        DatagramChannel ch = data;
        Selector sel = ready;
        long lastStatus = 0;
        long lastHeard = System.nanoTime();
        long lastNak = 0;
        while (receiving) {
            boolean nak = false;
            try {
                if (sel.select(100) == 0) {
                    nak = System.nanoTime() - Math.max(lastHeard, lastNak) > IDLE_NAK_NANOS;
                }
                sel.selectedKeys().clear();
                // drain what has queued up: one wake-up for a burst, one receive call per datagram
                while (receiving) {
                    packet.clear();
                    if (ch.receive(packet) == null) {
                        break;
                    }
                    Wire.Datagram d = Wire.decode(buffer, packet.position());
                    if (lossShare > 0 && lossRandom.nextDouble() < lossShare) {
                        continue; // lost on the way, as the test asked: neither used nor counted
                    } else if (d == null) {
                        malformed.incrementAndGet();
                    } else if (d.session() != sessionId || (d.kind() == Wire.DATA && !fits(d))
                            || (d.kind() == Wire.PARITY && !fitsParity(d))) {
                        foreign.incrementAndGet();
                    } else if (d.kind() == Wire.PASS_END) {
                        nak = true;
                    } else if (d.kind() == Wire.PARITY) {
                        lastHeard = System.nanoTime();
                        if (parity(d.number() >>> 8, d.number() & 0xff, buffer)) {
                            finish();
                            return;
                        }
                    } else {
                        lastHeard = System.nanoTime();
                        if (store(d.number(), buffer, Wire.HEADER, d.length(), false)
                                || rebuild(d.number() / Parity.GROUP)) {
                            finish();
                            return;
                        }
                    }
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                return; // closed: a drop, a fallback, or the end
            }
            long now = System.nanoTime();
            try {
                if (nak && receiving) {
                    sendNak();
                    lastNak = now;
                }
                if (now - lastStatus > STATUS_NANOS) {
                    sendStatus();
                    lastStatus = now;
                }
            } catch (IOException e) {
                return; // the control connection is gone: the control thread ends the transfer
            }
        }
    }

    private boolean fitsParity(Wire.Datagram d) {
        synchronized (store) {
            return (d.number() >>> 8) * (long) Parity.GROUP < blocks && (d.number() & 0xff) < Parity.MAX_PARITY
                    && d.length() == blockSize;
        }
    }

    /**
     * A parity block of a group: kept while the group lacks more blocks than it holds parity for; once it holds as
     * many, the missing blocks are rebuilt and stored. True when the content is now complete.
     */
    private boolean parity(int group, int index, byte[] datagram) throws IOException {
        synchronized (store) {
            if (part == null) {
                return false;
            }
            int first = group * Parity.GROUP;
            int count = Math.min(Parity.GROUP, blocks - first);
            int lacking = count - have.get(first, first + count).cardinality();
            List<Integer> indices = parityIndex.get(group);
            if (lacking == 0 || (indices != null && (indices.contains(index) || indices.size() >= lacking))) {
                return false;
            }
            parityIndex.computeIfAbsent(group, g -> new ArrayList<>()).add(index);
            parityHeld.computeIfAbsent(group, g -> new ArrayList<>()).add(
                    Arrays.copyOfRange(datagram, Wire.HEADER, Wire.HEADER + blockSize));
        }
        return rebuild(group);
    }

    /**
     * Rebuilds a group's missing blocks when it holds enough parity, and stores them (outside the lock, as every
     * block is stored, so that progress listeners never run under it); true when the content is now complete.
     */
    private boolean rebuild(int group) throws IOException {
        int first = group * Parity.GROUP;
        int[] missing;
        byte[][] syndromes;
        synchronized (store) {
            List<byte[]> held = parityHeld.get(group);
            if (held == null || part == null) {
                return false;
            }
            int count = Math.min(Parity.GROUP, blocks - first);
            missing = new int[count];
            int m = 0;
            for (int i = 0; i < count; i++) {
                if (!have.get(first + i)) {
                    missing[m++] = i;
                }
            }
            if (m > 0 && held.size() < m) {
                return false;
            }
            parityHeld.remove(group);
            List<Integer> indices = parityIndex.remove(group);
            if (m == 0) {
                return false;
            }
            missing = Arrays.copyOf(missing, m);
            int[] index = new int[m];
            syndromes = new byte[m][];
            for (int r = 0; r < m; r++) {
                index[r] = indices.get(r);
                syndromes[r] = held.get(r);
            }
            byte[] block = new byte[blockSize];
            for (int i = 0; i < count; i++) {
                if (have.get(first + i)) {
                    Arrays.fill(block, (byte) 0);
                    readHeld(first + i, block);
                    for (int r = 0; r < m; r++) {
                        Parity.mulAdd(Parity.coefficient(index[r], i), block, syndromes[r], blockSize);
                    }
                }
            }
            Parity.solve(missing, index, syndromes, blockSize);
        }
        boolean complete = false;
        for (int r = 0; r < missing.length; r++) {
            int number = first + missing[r];
            complete |= store(number, syndromes[r], 0, expectedLength(number), false);
        }
        return complete;
    }

    /** A block already stored, read back (guarded by store). */
    private void readHeld(int number, byte[] into) throws IOException {
        long position = (long) number * blockSize;
        int length = expectedLength(number);
        if (mapped != null) {
            mapped.get((int) position, into, 0, length);
        } else {
            ByteBuffer b = ByteBuffer.wrap(into, 0, length);
            while (b.hasRemaining()) {
                if (part.read(b, position + b.position()) < 0) {
                    throw new IOException("the part file is shorter than the blocks it holds");
                }
            }
        }
    }

    private boolean fits(Wire.Datagram d) {
        synchronized (store) {
            return d.number() < blocks && d.length() == expectedLength(d.number());
        }
    }

    private int expectedLength(int number) {
        return (int) Math.min(blockSize, size - (long) number * blockSize);
    }

    /** Writes one block unless already held; true when the content is now complete. */
    private boolean store(int number, byte[] bytes, int offset, int length, boolean unicast) throws IOException {
        TransferProgress changed = null;
        boolean complete;
        synchronized (store) {
            if (part == null || have.get(number)) {
                return false;
            }
            long position = (long) number * blockSize;
            if (mapped != null) {
                mapped.put((int) position, bytes, offset, length);
            } else {
                ByteBuffer b = ByteBuffer.wrap(bytes, offset, length);
                while (b.hasRemaining()) {
                    part.write(b, position + b.position() - offset);
                }
            }
            have.set(number);
            blocksHeld++;
            bytesHeld += length;
            if (unicast) {
                bytesUnicast += length;
                blocksUnicast++;
            } else {
                bytesMulticast += length;
            }
            TransferProgress p = progressLocked();
            if (p.percent() != lastPercent) {
                lastPercent = p.percent();
                changed = p;
            }
            complete = blocksHeld == blocks;
        }
        if (changed != null) {
            for (Consumer<TransferProgress> l : listeners) {
                try {
                    l.accept(changed);
                } catch (RuntimeException ignored) {
                    // a listener's failure is its own
                }
            }
        }
        return complete;
    }

    private TransferProgress progressLocked() {
        int percent = size == 0 ? (result.isDone() ? 100 : 0) : (int) (bytesHeld * 100 / size);
        return new TransferProgress(bytesHeld, size, percent, fellBack);
    }

    private void sendNak() throws IOException {
        BitSet missing;
        synchronized (store) {
            missing = new BitSet(blocks);
            missing.set(0, blocks);
            missing.andNot(have);
            // a group that holds parity needs that many fewer: the server counts what each group still needs
            for (Map.Entry<Integer, List<byte[]>> e : parityHeld.entrySet()) {
                int first = e.getKey() * Parity.GROUP;
                int n = missing.nextSetBit(first);
                for (int k = 0; k < e.getValue().size() && n >= 0 && n < first + Parity.GROUP; k++) {
                    missing.clear(n);
                    n = missing.nextSetBit(n + 1);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<int[]> ranges = Wire.ranges(missing);
            Wire.send(out, Wire.frame(Wire.NAK, o -> Wire.writeRanges(o, ranges)));
        }
    }

    private void sendStatus() throws IOException {
        long held;
        synchronized (store) {
            held = bytesHeld;
        }
        long now = System.nanoTime();
        long rate = (held - statusBytes) * 1_000_000_000L / Math.max(1, now - statusAt);
        statusBytes = held;
        statusAt = now;
        Wire.send(out, Wire.frame(Wire.STATUS, o -> {
            o.writeLong(held);
            o.writeLong(rate);
        }));
    }

    /** The control connection: kicks, unicast blocks after a fallback, the leave's acknowledgement. */
    private void control(DataInputStream in) {
        try {
            while (true) {
                Wire.Frame f = Wire.read(in);
                DataInputStream p = f.in();
                switch (f.type()) {
                    case Wire.KICK -> {
                        DisconnectType type = DisconnectType.fromValue(p.readByte());
                        String reason = p.readUTF();
                        if (type == DisconnectType.FALLBACK) {
                            fallBack();
                        } else {
                            end(TransferResult.Status.ABORTED, new UnplugException(ErrorKind.ABORTED,
                                    "the wds server aborted this client: " + reason));
                            control.close(); // and never rejoins: this connection has no way back to the server
                            return;
                        }
                    }
                    case Wire.BLOCK -> {
                        int number = p.readInt();
                        int length = f.payload().length - 4;
                        if (!fellBack || number < 0 || number >= blocks || length != expectedLength(number)) {
                            throw new Wire.Malformed("unicast block " + number + " of " + length + " bytes");
                        }
                        if (store(number, f.payload(), 4, length, true)) {
                            finish();
                        }
                    }
                    case Wire.FETCH_DONE -> {
                        if (result.getNow(null) == null && !complete()) {
                            end(TransferResult.Status.FAILED, new UnplugException(ErrorKind.MALFORMED_REPLY,
                                    "the wds server ended the unicast fetch with blocks still missing"));
                        }
                    }
                    case Wire.BYE -> bye.countDown();
                    default -> throw new Wire.Malformed("unexpected frame type " + f.type());
                }
            }
        } catch (Wire.Malformed | UnplugException e) {
            end(TransferResult.Status.FAILED, new UnplugException(ErrorKind.MALFORMED_REPLY, "the wds server broke the"
                    + " protocol: " + e.getMessage(), e));
        } catch (IOException e) {
            boolean ours = state() == ConnectionState.DISCONNECTED || state() == ConnectionState.DISCONNECTING;
            end(ours ? TransferResult.Status.CANCELLED : TransferResult.Status.FAILED, ours ? null
                    : new UnplugException(ErrorKind.CONNECTION_DROPPED, "the wds server closed the control connection"
                    + " before the transfer ended", e));
        } finally {
            stopReceiving();
            if (bye.getCount() > 0) {
                byeMissing = "the wds server closed the control connection without acknowledging the leave";
                bye.countDown(); // a leave waiting for the acknowledgement learns at once that none will come
            }
        }
    }

    private boolean complete() {
        synchronized (store) {
            return blocksHeld == blocks;
        }
    }

    /** Leaves the multicast session and asks for exactly the blocks still missing, by unicast. */
    private void fallBack() throws IOException {
        fellBack = true;
        stopReceiving();
        try {
            join(receiver);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while leaving the multicast session");
        }
        BitSet missing;
        synchronized (store) {
            missing = new BitSet(blocks);
            missing.set(0, blocks);
            missing.andNot(have);
            missingAtFallback = missing.cardinality();
        }
        if (missing.isEmpty()) {
            finish();
            return;
        }
        List<int[]> ranges = Wire.ranges(missing);
        Wire.send(out, Wire.frame(Wire.FETCH, o -> Wire.writeRanges(o, ranges)));
    }

    private void stopReceiving() {
        receiving = false;
        closeData();
    }

    /** All blocks are here: check the SHA-256, move the file into place, leave as complete. */
    private void finish() {
        TransferResult.Status status;
        UnplugException error = null;
        synchronized (store) {
            if (part == null) {
                return;
            }
            try {
                part.force(false); // also writes back what the mapping holds
                part.close();
                part = null;
                mapped = null;
                String actual = Content.sha256(partFile);
                if (actual.equals(sha256)) {
                    Files.move(partFile, outDir.resolve(content), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                    partFile = null;
                    status = TransferResult.Status.COMPLETE;
                } else {
                    status = TransferResult.Status.FAILED;
                    error = new UnplugException(ErrorKind.MALFORMED_REPLY, "the received " + content + " has SHA-256 "
                            + actual + ", the server announced " + sha256);
                }
            } catch (IOException e) {
                status = TransferResult.Status.FAILED;
                error = new UnplugException(ErrorKind.FAILED, "cannot complete " + outDir.resolve(content) + ": "
                        + e.getMessage(), e);
            }
        }
        end(status, error);
        if (status == TransferResult.Status.COMPLETE) {
            try {
                Wire.send(out, Wire.frame(Wire.LEAVE, o -> o.writeByte(LeaveReason.COMPLETE.ordinal())));
            } catch (IOException e) {
                // the file is complete and verified; the server will see the connection end
            }
        }
    }

    /** Records how the transfer ended (once) and deletes any temporary file. */
    private void end(TransferResult.Status status, UnplugException error) {
        TransferResult r;
        synchronized (store) {
            if (result.isDone()) {
                return;
            }
            if (part != null) {
                try {
                    part.close();
                } catch (IOException ignored) {
                    // deleted next
                }
                part = null;
            }
            mapped = null;
            parityHeld.clear();
            parityIndex.clear();
            if (partFile != null) {
                try {
                    Files.deleteIfExists(partFile);
                } catch (IOException ignored) {
                    // a leftover .part never claims to be complete
                }
                partFile = null;
            }
            r = new TransferResult(status, status == TransferResult.Status.COMPLETE ? Optional.of(outDir.resolve(content))
                    : Optional.empty(), sha256, bytesMulticast, bytesUnicast, blocksUnicast, missingAtFallback,
                    malformed.get(), foreign.get(), Optional.ofNullable(error));
            result.complete(r);
        }
        if (status != TransferResult.Status.COMPLETE) {
            stopReceiving();
        }
    }

    private static ErrorKind kindOr(String name, ErrorKind fallback) {
        try {
            return ErrorKind.valueOf(name);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static void join(ClientThreads.Job t) throws InterruptedException {
        if (t != null) {
            t.join(2_000);
        }
    }
}
