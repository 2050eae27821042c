package dev.unplug.wds;

import dev.unplug.api.session.DisconnectType;
import dev.unplug.api.session.TransportSessionClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apiguardian.api.API;

/**
 * One multicast session: one content sent to the clients that joined it. It starts when its first client joins
 * (sending begins after the server's start delay, so that clients joining together all get the first pass), sends
 * every block once, then repairs: after each pass it multicasts a pass end, collects the blocks clients report
 * missing and multicasts, for each group of {@value Parity#GROUP} blocks, as many new parity blocks as the client
 * missing the most of that group needs ({@link Parity}): one parity block heals a different missing block at each
 * client, so a repair costs about the worst client's loss, not the union of all. It ends when no client is left.
 * Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class WdsSession {

    private static final long PASS_END_REPEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final long id;
    final Content content;
    private final WdsServer server;
    private final int blocks;
    private final Set<Member> members = new LinkedHashSet<>();
    private final BitSet naks = new BitSet();
    /** Per group of {@link Parity#GROUP} blocks, the most blocks any one client NAKed since the last repair pass. */
    private final int[] need;
    /** Per group, the parity blocks sent so far (sender thread only): each repair sends new ones. */
    private final int[] paritySent;
    private final AtomicLong bytesMulticast = new AtomicLong();
    private final AtomicLong blocksRepaired = new AtomicLong();
    private final Thread sender;
    private boolean ended;
    private volatile boolean firstPassDone;

    WdsSession(long id, Content content, WdsServer server) {
        this.id = id;
        this.content = content;
        this.server = server;
        this.blocks = content.blocks(server.blockSize);
        int groups = (blocks + Parity.GROUP - 1) / Parity.GROUP;
        this.need = new int[groups];
        this.paritySent = new int[groups];
        this.sender = new Thread(this::send, "unplug-wds-server-session-" + id);
        sender.setDaemon(true);
    }

    /** The session id carried by every datagram. */
    public long id() {
        return id;
    }

    /** The namespace of the content. */
    public String namespace() {
        return content.namespace;
    }

    /** The content's name. */
    public String content() {
        return content.name;
    }

    /** The clients in the session now. */
    public List<TransportSessionClient> clients() {
        synchronized (this) {
            return List.copyOf(members);
        }
    }

    /** Bytes this session has multicast so far (datagram payloads and headers). */
    public long bytesMulticast() {
        return bytesMulticast.get();
    }

    /** Blocks multicast again because some client reported them missing. */
    public long blocksRepaired() {
        return blocksRepaired.get();
    }

    /** Whether the session still runs. */
    public boolean isActive() {
        synchronized (this) {
            return !ended;
        }
    }

    /** Disconnects every client in the session ({@link DisconnectType#ABORT}) and ends it. Idempotent. */
    public void terminate() {
        terminate("the session was terminated by the server");
    }

    void terminate(String reason) {
        for (TransportSessionClient c : clients()) {
            try {
                ((Member) c).kick(DisconnectType.ABORT, reason);
            } catch (RuntimeException alreadyLeft) {
                // it left meanwhile
            }
        }
        end();
    }

    /** Whether every block has been sent once: from then on, what a client misses is its own loss. */
    boolean firstPassDone() {
        return firstPassDone;
    }

    void start() {
        sender.start();
    }

    /** Adds a client; false when the session has ended (the server then opens a new one). */
    synchronized boolean join(Member m) {
        if (ended) {
            return false;
        }
        members.add(m);
        return true;
    }

    void leave(Member m) {
        synchronized (this) {
            members.remove(m);
            notifyAll();
        }
        server.departed(m);
    }

    void nak(BitSet missing) {
        synchronized (this) {
            naks.or(missing);
            int group = -1;
            int count = 0;
            for (int n = missing.nextSetBit(0); n >= 0 && n < blocks; n = missing.nextSetBit(n + 1)) {
                if (n / Parity.GROUP != group) {
                    if (group >= 0) {
                        need[group] = Math.max(need[group], count);
                    }
                    group = n / Parity.GROUP;
                    count = 0;
                }
                count++;
            }
            if (group >= 0) {
                need[group] = Math.max(need[group], count);
            }
            notifyAll();
        }
    }

    private void end() {
        synchronized (this) {
            ended = true;
            notifyAll();
        }
        server.ended(this);
    }

    void awaitEnd(long millis) throws InterruptedException {
        sender.join(millis);
    }

    private void send() {
        byte[] block = new byte[server.blockSize];
        byte[] datagram = new byte[Wire.HEADER + server.blockSize];
        Pacer pacer = new Pacer(server.rate);
        try {
            if (!waitFor(server.startDelay.toNanos(), false)) {
                return;
            }
            BitSet pass = new BitSet(blocks);
            pass.set(0, blocks);
            int[] needed = null;
            byte[][] group = new byte[Parity.GROUP][server.blockSize];
            for (int number = 1; ; number++) {
                boolean going = needed == null ? sendBlocks(pass, block, datagram, pacer, false)
                        : repair(pass, needed, group, block, datagram, pacer);
                if (!going) {
                    return;
                }
                firstPassDone = true;
                pass = null;
                while (pass == null) {
                    sendPassEnd(number, datagram);
                    if (!waitFor(PASS_END_REPEAT_NANOS, true)) {
                        return;
                    }
                    synchronized (this) {
                        if (!naks.isEmpty()) {
                            pass = (BitSet) naks.clone();
                            naks.clear();
                            needed = need.clone();
                            java.util.Arrays.fill(need, 0);
                        }
                    }
                }
            }
        } catch (IOException e) {
            server.failed(this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            end();
        }
    }

    /** Waits up to {@code nanos} (or until NAKs arrive, when {@code forNaks}); false when the session is over. */
    private synchronized boolean waitFor(long nanos, boolean forNaks) throws InterruptedException {
        long until = System.nanoTime() + nanos;
        while (!ended && !members.isEmpty() && !(forNaks && !naks.isEmpty())) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return !ended && !members.isEmpty();
    }

    private boolean sendBlocks(BitSet which, byte[] block, byte[] datagram, Pacer pacer, boolean repair)
            throws IOException {
        for (int n = which.nextSetBit(0); n >= 0; n = which.nextSetBit(n + 1)) {
            synchronized (this) {
                if (ended || members.isEmpty()) {
                    return false;
                }
            }
            int length = content.read(n, server.blockSize, block);
            int size = Wire.datagram(datagram, Wire.DATA, id, n, block, length);
            server.multicast(ByteBuffer.wrap(datagram, 0, size));
            bytesMulticast.addAndGet(size);
            if (repair) {
                blocksRepaired.incrementAndGet();
                server.repaired();
            }
            pacer.sent(size);
        }
        return true;
    }

    /**
     * A repair pass: for each group some client lacks blocks of, as many new parity blocks as the client that lacks
     * the most of that group needs; a group whose parity is used up gets the NAKed blocks themselves again.
     */
    private boolean repair(BitSet naked, int[] needed, byte[][] group, byte[] parity, byte[] datagram, Pacer pacer)
            throws IOException {
        int blockSize = server.blockSize;
        for (int g = 0; g < needed.length; g++) {
            int m = needed[g];
            if (m == 0) {
                continue;
            }
            int first = g * Parity.GROUP;
            int count = Math.min(Parity.GROUP, blocks - first);
            if (paritySent[g] + m > Parity.MAX_PARITY) {
                BitSet again = naked.get(first, first + count);
                BitSet shifted = new BitSet(blocks);
                for (int i = again.nextSetBit(0); i >= 0; i = again.nextSetBit(i + 1)) {
                    shifted.set(first + i);
                }
                if (!sendBlocks(shifted, parity, datagram, pacer, true)) {
                    return false;
                }
                continue;
            }
            for (int i = 0; i < count; i++) {
                java.util.Arrays.fill(group[i], (byte) 0);
                content.read(first + i, blockSize, group[i]);
            }
            for (int k = 0; k < m; k++) {
                synchronized (this) {
                    if (ended || members.isEmpty()) {
                        return false;
                    }
                }
                int j = paritySent[g]++;
                Parity.encode(j, group, count, parity, blockSize);
                int size = Wire.datagram(datagram, Wire.PARITY, id, g * 256 + j, parity, blockSize);
                server.multicast(ByteBuffer.wrap(datagram, 0, size));
                bytesMulticast.addAndGet(size);
                blocksRepaired.incrementAndGet();
                server.repaired();
                pacer.sent(size);
            }
        }
        return true;
    }

    private void sendPassEnd(int pass, byte[] datagram) throws IOException {
        int size = Wire.datagram(datagram, Wire.PASS_END, id, pass, new byte[0], 0);
        server.multicast(ByteBuffer.wrap(datagram, 0, size));
        bytesMulticast.addAndGet(size);
    }

    @Override
    public String toString() {
        return "session " + id + " (" + content.namespace + "/" + content.name + ", " + clients().size() + " clients)";
    }

    /** Keeps the send rate at or under the configured bytes per second. */
    private static final class Pacer {
        private final double nanosPerByte;
        private long due = System.nanoTime();

        Pacer(long bytesPerSecond) {
            this.nanosPerByte = 1e9 / bytesPerSecond;
        }

        void sent(int bytes) {
            due += (long) (bytes * nanosPerByte);
            long ahead = due - System.nanoTime();
            if (ahead > 1_000_000) {
                LockSupport.parkNanos(ahead);
            } else if (ahead < -50_000_000) {
                due = System.nanoTime() - 50_000_000; // after a stall, no burst to catch up
            }
        }
    }
}
