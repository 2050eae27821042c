package dev.unplug.netcon;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.link.LinkControl;
import dev.unplug.api.link.LinkListener;
import dev.unplug.api.link.LinkStatus;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One Linux network link as a connection ({@code INetConnection}): connect brings it administratively up and waits,
 * within the connect timeout, until the kernel reports it operational; a graceful disconnect brings it down and
 * waits, within the deadline, until the kernel reports it down (the "goodbye" is a state change in the kernel);
 * drop sets it down and returns at once. Its {@link LinkStatus} follows the kernel's link notifications
 * ({@link LinkMonitor}), never a polling loop; only while connect or a disconnect waits for a status does it read
 * the link once more every 0.5 s, for a change that came before the monitor had subscribed. Thread-safe.
 *
 * <p>Errors: no such link or namespace, a bad name: {@link ErrorKind#INVALID_ARGUMENT}; no permission:
 * {@link ErrorKind#ACCESS_DENIED} with what the kernel said; the link deleted while connecting or disconnecting:
 * {@link ErrorKind#ABORTED}; an operation the link type cannot do: {@link ErrorKind#NOT_SUPPORTED}; the link never
 * operational within the connect timeout: {@link ErrorKind#TIMEOUT} naming its status.
 */
final class NetconConnection extends AbstractConnection implements LinkControl {

    private static final Duration IP_TIMEOUT = Duration.ofSeconds(5);
    private static final long RECHECK_MILLIS = 500;

    private enum Phase { IDLE, CONNECTING, CONNECTED, DISCONNECTING, ENDED }

    private final String link;
    private final String netns;
    private final Ip ip;
    private final List<LinkListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile LinkMonitor.Subscription monitor;
    private Phase phase = Phase.IDLE;          // guarded by lock
    private Ip.Link kernel = Ip.Link.absent("not read yet"); // guarded by lock
    private LinkStatus status = LinkStatus.DISCONNECTED;      // guarded by lock
    private volatile boolean setUp;
    private volatile boolean setDown;

    NetconConnection(URI uri, Options options, List<String> ipCommand) {
        super("netcon", uri, options);
        String host = uri.getHost() != null ? uri.getHost() : uri.getRawAuthority();
        if (host == null || uri.getPort() != -1 || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                || !Ip.LINK.matcher(host).matches()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "netcon URIs are netcon://LINK[?netns=NAMESPACE]"
                    + " with a link name of 1 to 15 letters, digits, '.', '_' or '-', not " + uri());
        }
        this.link = host;
        this.netns = options().get("netns").orElse(null);
        if (netns != null && (!Ip.NETNS.matcher(netns).matches() || netns.equals("..") || netns.equals("."))) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "option netns must be a namespace name of letters,"
                    + " digits, '.', '_' or '-' (at most 64), not \"" + netns + "\"");
        }
        this.ip = new Ip(ipCommand, netns);
    }

    // ------------------------------------------------------------------ LinkControl

    @Override
    public LinkStatus status() {
        synchronized (lock) {
            return status;
        }
    }

    @Override
    public void addLinkListener(LinkListener listener) {
        listeners.add(UnplugException.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeLinkListener(LinkListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void setCarrier(boolean on) {
        ConnectionState s = state();
        if (s != ConnectionState.CONNECTED && s != ConnectionState.AUTHENTICATED) {
            throw new UnplugException(ErrorKind.NOT_CONNECTED, uri() + " is " + s + ": no link to change");
        }
        ip.set("setting the carrier of " + link, IP_TIMEOUT, link, "carrier", on ? "on" : "off");
    }

    // ------------------------------------------------------------------ the connection's hooks

    @Override
    protected void openTransport(Duration connectTimeout) throws Exception {
        long until = System.nanoTime() + connectTimeout.toNanos();
        LinkMonitor.Subscription watching = LinkMonitor.subscribe(ip, link, this::kernelSays);
        monitor = watching;
        synchronized (lock) {
            if (phase == Phase.ENDED) { // aborted before the subscription was recorded: the abort could not end it
                watching.close();
                throw new UnplugException(ErrorKind.ABORTED, "link " + link + " was dropped while connecting");
            }
        }
        Ip.Link now = ip.show(link, remaining(until));
        if (!now.present()) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "no link " + link
                    + (netns == null ? "" : " in network namespace " + netns));
        }
        update(now, Phase.CONNECTING);
        setUp = true;
        ip.set("bringing " + link + " up", remaining(until), link, "up");
        kernelSays(ip.show(link, remaining(until))); // whatever the monitor may have missed while it started
        LinkStatus reached = await(st -> st == LinkStatus.CONNECTED || st == LinkStatus.HARDWARE_NOT_PRESENT,
                until);
        if (reached == LinkStatus.HARDWARE_NOT_PRESENT) {
            throw new UnplugException(ErrorKind.ABORTED, "link " + link + " was deleted while connecting");
        }
        if (reached != LinkStatus.CONNECTED) {
            throw new UnplugException(ErrorKind.TIMEOUT, "link " + link + " is up but not operational after "
                    + connectTimeout.toMillis() + " ms: " + reached + " (" + kernelText() + ")");
        }
        update(null, Phase.CONNECTED);
        advance(ConnectionState.CONNECTED);
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) throws Exception {
        long until = System.nanoTime() + remaining.toNanos();
        update(null, Phase.DISCONNECTING);
        setDown = true;
        try {
            ip.set("bringing " + link + " down", remaining(until), link, "down");
        } catch (UnplugException e) {
            if (e.kind() == ErrorKind.INVALID_ARGUMENT && e.getMessage().contains("no link")) {
                throw new UnplugException(ErrorKind.ABORTED, "link " + link + " was deleted while disconnecting", e);
            }
            throw e;
        }
        LinkStatus reached = await(st -> st == LinkStatus.DISCONNECTED || st == LinkStatus.HARDWARE_NOT_PRESENT,
                until);
        if (reached == LinkStatus.HARDWARE_NOT_PRESENT) {
            throw new UnplugException(ErrorKind.ABORTED, "link " + link + " was deleted while disconnecting");
        }
        if (reached != LinkStatus.DISCONNECTED) {
            throw new UnplugException(ErrorKind.TIMEOUT, "link " + link + " was set down but the kernel still"
                    + " reports " + kernelText() + "; it is left down");
        }
        return GoodbyeReply.accepted("link " + link + " down: " + kernelText());
    }

    @Override
    protected void abortTransport(boolean reset) {
        if (setUp && !setDown) {
            setDown = true;
            // forking ip takes milliseconds: never on the caller's thread, which may be the deadline thread
            ip.queueDown(link);
            cleanUpLater("setting link " + link + " down", ip::setQueuedDown);
        }
        synchronized (lock) {
            phase = Phase.ENDED; // before the subscription is read: openTransport records it, then looks at this
            lock.notifyAll();
        }
        LinkMonitor.Subscription m = monitor;
        if (m != null) {
            m.close();
        }
    }

    @Override
    protected void releaseTransport() {
        LinkMonitor.Subscription m = monitor;
        if (m != null) {
            m.close();
        }
        synchronized (lock) {
            phase = Phase.ENDED;
        }
    }

    @Override
    protected Object view(Class<?> type) {
        return type == LinkControl.class ? this : null;
    }

    // ------------------------------------------------------------------ status

    private void kernelSays(Ip.Link now) {
        update(now, null);
    }

    /** Records what the kernel said and/or what this connection now does, and tells listeners of a new status. */
    private void update(Ip.Link now, Phase next) {
        LinkStatus from;
        LinkStatus to;
        synchronized (lock) {
            if (now != null) {
                kernel = now;
            }
            if (next != null && phase != Phase.ENDED) {
                phase = next;
            }
            from = status;
            recompute();
            to = status;
            lock.notifyAll();
        }
        if (from != to) {
            for (LinkListener l : listeners) {
                try {
                    l.statusChanged(from, to, now != null ? now.text() : kernelText());
                } catch (RuntimeException ignored) {
                    // a listener's failure is its own
                }
            }
        }
    }

    /** The status from the kernel's last word and what this connection is doing (under lock). */
    private void recompute() {
        Ip.Link k = kernel;
        LinkStatus s;
        if (!k.present() || k.operstate().equals("NOTPRESENT")) {
            s = LinkStatus.HARDWARE_NOT_PRESENT;
        } else if (!k.up()) {
            s = switch (phase) {
                case CONNECTED -> LinkStatus.HARDWARE_DISABLED;    // someone else set it down
                case CONNECTING -> LinkStatus.CONNECTING;
                default -> LinkStatus.DISCONNECTED;
            };
        } else if (phase == Phase.DISCONNECTING) {
            s = LinkStatus.DISCONNECTING;
        } else if (k.operational()) {
            s = LinkStatus.CONNECTED;
        } else if (k.operstate().equals("DORMANT")) {
            s = LinkStatus.AUTHENTICATING;
        } else if (k.flags().contains("NO-CARRIER") || k.operstate().equals("DOWN")
                || k.operstate().equals("LOWERLAYERDOWN")) {
            s = LinkStatus.MEDIA_DISCONNECTED;
        } else {
            s = LinkStatus.CONNECTING;
        }
        status = s;
    }

    /**
     * Waits for the kernel's notifications to reach a status; every {@value #RECHECK_MILLIS} ms without one, reads the
     * link once more, since a change that came before the monitor had subscribed (it starts as a process of its own)
     * is never notified.
     */
    private LinkStatus await(Predicate<LinkStatus> reached, long until) throws InterruptedException {
        while (true) {
            synchronized (lock) {
                long sliceEnd = Math.min(until, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS));
                while (!reached.test(status) && phase != Phase.ENDED) {
                    long left = sliceEnd - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                if (reached.test(status) || phase == Phase.ENDED || until - System.nanoTime() <= 0) {
                    return status;
                }
            }
            try {
                kernelSays(ip.show(link, Duration.ofMillis(RECHECK_MILLIS)));
            } catch (UnplugException e) {
                // the next slice, or the deadline, decides
            }
        }
    }

    private String kernelText() {
        synchronized (lock) {
            return kernel.text();
        }
    }

    private static Duration remaining(long until) {
        return Duration.ofNanos(Math.max(1_000_000, until - System.nanoTime()));
    }
}
