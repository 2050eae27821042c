package dev.unplug.capture;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.Options;
import dev.unplug.api.UnplugException;
import dev.unplug.api.capture.CaptureControl;
import dev.unplug.api.capture.CaptureListener;
import dev.unplug.api.capture.CaptureMode;
import dev.unplug.api.capture.CaptureState;
import dev.unplug.api.capture.CaptureStatistics;
import dev.unplug.api.capture.FrameHandler;
import dev.unplug.spi.AbstractConnection;
import dev.unplug.spi.GoodbyeReply;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A capture device on libpcap as a connection: connect opens and configures the interface (or the offline
 * file), the {@link CaptureControl} starts, pauses, resumes and stops captures, a graceful disconnect closes the
 * device and is refused with {@link ErrorKind#CAPTURING} while a capture runs, and a drop ends any capture at
 * once (the capture thread is woken with {@code pcap_breakloop}, flushes and closes its file, and the handle is
 * closed) without ever being refused. Thread-safe.
 */
final class CaptureConnection extends AbstractConnection implements CaptureRun.Owner {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
    /** How long a drop waits for the capture thread to flush and let go of the handle. */
    private static final long ABORT_WAIT_MILLIS = 400;

    private final CaptureSettings settings;
    private final Object device = new Object(); // guards the handle's life: breakloop and close never race
    private final AtomicReference<CaptureState> captureState = new AtomicReference<>(CaptureState.IDLE);
    private final AtomicBoolean handleClosed = new AtomicBoolean();
    private final Map<CaptureMode, Control> controls = new EnumMap<>(CaptureMode.class);
    private final Set<CaptureListener> listeners = new CopyOnWriteArraySet<>();
    private final List<Path> files = new CopyOnWriteArrayList<>();
    private volatile Pointer handle;
    private volatile int linkType;
    private volatile CaptureRun run;
    private volatile FrameHandler handler;
    private volatile boolean aborting;
    private int captures;

    CaptureConnection(URI uri, Options options) {
        super("capture", uri, options);
        this.settings = new CaptureSettings(target(), options());
        for (CaptureMode m : CaptureMode.values()) {
            controls.put(m, new Control(m));
        }
    }

    // ------------------------------------------------------------------ the hooks of AbstractConnection

    @Override
    protected void openTransport(Duration connectTimeout) {
        Pcap.require();
        if (settings.offline()) {
            if (!Files.isReadable(settings.file)) {
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "offline capture source " + settings.file
                        + " does not exist or cannot be read");
            }
        } else {
            requireInterface(settings.iface);
            if (settings.filter != null) {
                Pointer dead = Pcap.pcap_open_dead(Pcap.DLT_EN10MB, settings.snaplen);
                try {
                    String error = Pcap.filter(dead, settings.filter, false);
                    if (error != null) {
                        throw badFilter(error);
                    }
                } finally {
                    Pcap.pcap_close(dead);
                }
            }
        }
        if (settings.mode == CaptureMode.DELAYED) {
            requireWritableDir();
        }
        Pointer h = settings.offline() ? openOffline() : openLive();
        synchronized (device) {
            handle = h;
            linkType = Pcap.pcap_datalink(h);
        }
        installFilter(h);
    }

    private void installFilter(Pointer h) {
        if (settings.filter != null) {
            String error = Pcap.filter(h, settings.filter, true);
            if (error != null) {
                throw badFilter(error);
            }
        }
    }

    /** An offline source replays from its beginning at each start: the handle of the last run is at its end. */
    private void rewindOffline() {
        Pointer fresh = openOffline();
        try {
            installFilter(fresh);
        } catch (RuntimeException e) {
            Pcap.pcap_close(fresh);
            throw e;
        }
        synchronized (device) {
            Pcap.pcap_close(handle);
            handle = fresh;
        }
    }

    @Override
    protected void checkDisconnect() {
        CaptureState s = captureState.get();
        if (s != CaptureState.IDLE) {
            throw new UnplugException(ErrorKind.CAPTURING, "capture device " + settings.source() + " is "
                    + s.name().toLowerCase(java.util.Locale.ROOT) + ": stop the capture before disconnecting,"
                    + " so that no captured frame is lost (drop() ends it at once)");
        }
    }

    @Override
    protected GoodbyeReply sayGoodbye(Duration remaining) {
        closeHandle();
        return GoodbyeReply.accepted("capture device " + settings.source() + " closed after " + captures
                + (captures == 1 ? " capture" : " captures"));
    }

    @Override
    protected void abortTransport(boolean reset) {
        aborting = true;
        CaptureRun r = run;
        if (r != null && !r.hasExited()) {
            // no waiting here (this may be the deadline thread): the capture thread flushes and closes the file and
            // turns the device IDLE (exited), then closes the handle (lastly); drop() waits for the first in
            // awaitAbortCleanup, on its caller's thread
            r.requestAbort();
            breakloop();
            if (r.hasExited()) {
                idleAfterAbort(); // it exited between the look above and the request: nothing else will
            }
        } else {
            idleAfterAbort();
        }
        closeHandleIfIdle();
    }

    /**
     * drop() returns once the capture thread has flushed and closed the file and the device is IDLE, within
     * {@value #ABORT_WAIT_MILLIS} ms; the handle's release goes on after it (see {@link #lastly}).
     */
    @Override
    protected void awaitAbortCleanup() {
        CaptureRun r = run;
        if (r != null) {
            r.awaitEnd(ABORT_WAIT_MILLIS);
        }
    }

    /** The device turns IDLE after an abort, once its capture thread (if any) has flushed and closed the file. */
    private void idleAfterAbort() {
        CaptureState was = captureState.getAndSet(CaptureState.IDLE);
        if (was != CaptureState.IDLE) {
            fire(was, CaptureState.IDLE, "dropped: the file was flushed and closed");
        }
    }

    @Override
    protected Object view(Class<?> type) {
        return type == CaptureControl.class ? controls.get(settings.mode) : null;
    }

    // ------------------------------------------------------------------ runs

    @Override
    public void endedByItself(CaptureRun r, String reason) {
        CaptureState from = captureState.get();
        if (run == r && from != CaptureState.IDLE && captureState.compareAndSet(from, CaptureState.IDLE)) {
            fire(from, CaptureState.IDLE, reason);
        }
    }

    @Override
    public void pausedByItself(CaptureRun r, String reason) {
        if (run == r && captureState.compareAndSet(CaptureState.CAPTURING, CaptureState.PAUSED)) {
            fire(CaptureState.CAPTURING, CaptureState.PAUSED, reason);
        }
    }

    @Override
    public void exited(CaptureRun r) {
        if (aborting && run == r) {
            idleAfterAbort();
        }
    }

    /**
     * After a drop, once drop() has been let go: the handle is closed by the one release thread, at the lowest CPU
     * priority and one device after another ({@link Releases}), and this capture thread ends at the lowest priority
     * too (a thread's exit unmaps its stack, which flushes the TLBs of every core).
     */
    @Override
    public void lastly(CaptureRun r) {
        if (aborting && run == r) {
            Niceness.lowerThisThread();
            Releases.later(this::closeHandle);
        }
    }

    private void start(Control via) {
        via.admit("start");
        CaptureState s = captureState.get();
        if (s == CaptureState.PAUSED) {
            throw new UnplugException(ErrorKind.CAPTURE_PAUSED, "the capture on " + settings.source()
                    + " is paused: resume or stop it, not start");
        }
        if (s == CaptureState.CAPTURING) {
            throw new UnplugException(ErrorKind.CAPTURING, "a capture on " + settings.source() + " is running");
        }
        if (settings.mode == CaptureMode.REAL_TIME && handler == null) {
            throw new UnplugException(ErrorKind.INVALID_STATE, "a real-time capture needs a frame handler: call"
                    + " onFrame(handler) before start()");
        }
        CaptureRun previous = run;
        if (previous != null && !previous.awaitExit(ABORT_WAIT_MILLIS + settings.poll.toMillis())) {
            throw new UnplugException(ErrorKind.BUSY, "the previous capture on " + settings.source()
                    + " has not finished writing yet");
        }
        if (settings.offline() && previous != null) {
            rewindOffline();
        } else if (!settings.offline()) {
            Pcap.discardBuffered(handle); // seen while idle: not part of this capture
        }
        Path file = settings.mode == CaptureMode.DELAYED ? newFile() : null;
        CaptureRun r;
        try {
            r = new CaptureRun(this, handle, settings, linkType, file, handler, settings.iface == null ? "offline"
                    : settings.iface);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        if (file != null) {
            files.add(file);
        }
        captures++;
        run = r;
        captureState.set(CaptureState.CAPTURING);
        fire(CaptureState.IDLE, CaptureState.CAPTURING, "start()");
        r.begin();
    }

    private void pause(Control via) {
        via.admit("pause");
        CaptureState s = captureState.get();
        if (s == CaptureState.PAUSED) {
            throw new UnplugException(ErrorKind.CAPTURE_PAUSED, "the capture on " + settings.source()
                    + " is already paused");
        }
        if (s != CaptureState.CAPTURING || !captureState.compareAndSet(s, CaptureState.PAUSED)) {
            throw notCapturing("pause");
        }
        run.paused(true);
        fire(CaptureState.CAPTURING, CaptureState.PAUSED, "pause()");
    }

    private void resume(Control via) {
        via.admit("resume");
        if (!captureState.compareAndSet(CaptureState.PAUSED, CaptureState.CAPTURING)) {
            throw new UnplugException(ErrorKind.CAPTURE_NOT_PAUSED, "the capture on " + settings.source()
                    + " is not paused (" + captureState.get().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        run.paused(false);
        fire(CaptureState.PAUSED, CaptureState.CAPTURING, "resume()");
    }

    private void stop(Control via) {
        via.admit("stop");
        CaptureState s = captureState.get();
        if (s == CaptureState.IDLE) {
            throw notCapturing("stop");
        }
        CaptureRun r = run;
        r.requestStop();
        breakloop();
        if (!r.awaitExit(ABORT_WAIT_MILLIS + 2 * settings.poll.toMillis() + 2_000)) {
            throw new UnplugException(ErrorKind.TIMEOUT, "the capture on " + settings.source() + " did not stop"
                    + " in time; drop() ends it at once");
        }
        CaptureState from = captureState.get();
        if (from != CaptureState.IDLE && captureState.compareAndSet(from, CaptureState.IDLE)) {
            fire(from, CaptureState.IDLE, "stop()");
        }
    }

    // ------------------------------------------------------------------ the handle

    private Pointer openOffline() {
        Memory err = Pcap.errbuf();
        Pointer h = Pcap.pcap_open_offline(settings.file.toString(), err);
        if (h == null) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "offline capture source " + settings.file
                    + " is not a capture file libpcap can read: " + Pcap.text(err));
        }
        return h;
    }

    private Pointer openLive() {
        Memory err = Pcap.errbuf();
        Pointer h = Pcap.pcap_create(settings.iface, err);
        if (h == null) {
            throw new UnplugException(ErrorKind.FAILED, "libpcap cannot open " + settings.iface + ": "
                    + Pcap.text(err));
        }
        boolean ok = false;
        try {
            Pcap.pcap_set_snaplen(h, settings.snaplen);
            Pcap.pcap_set_promisc(h, settings.promiscuous ? 1 : 0);
            Pcap.pcap_set_timeout(h, (int) Math.max(1, settings.poll.toMillis()));
            // immediate mode only where each frame is awaited (REAL_TIME): it makes libpcap use TPACKET_V2, whose
            // ring has one slot of snaplen bytes per frame (128 slots for 32 MiB at the default snaplen), so a flood
            // fills it at once; without it the kernel fills whole blocks (TPACKET_V3), as tcpdump -w does, and the
            // capture thread still wakes at least every read timeout to see a stop or a drop
            Pcap.pcap_set_immediate_mode(h, settings.mode == CaptureMode.REAL_TIME ? 1 : 0);
            Pcap.pcap_set_buffer_size(h, settings.bufferSize);
            int rc = Pcap.pcap_activate(h);
            if (rc < 0) {
                String why = Pcap.pcap_statustostr(rc) + ": " + Pcap.pcap_geterr(h);
                throw switch (rc) {
                    case Pcap.ERROR_PERM_DENIED -> new UnplugException(ErrorKind.ACCESS_DENIED, "no permission to"
                            + " capture on " + settings.iface + ": capture needs root or CAP_NET_RAW (" + why + ")");
                    case Pcap.ERROR_NO_SUCH_DEVICE -> new UnplugException(ErrorKind.INVALID_ARGUMENT, "no network"
                            + " interface named " + settings.iface + " (" + why + ")");
                    case Pcap.ERROR_IFACE_NOT_UP -> new UnplugException(ErrorKind.CONNECT_FAILED, "interface "
                            + settings.iface + " is not up (" + why + ")");
                    default -> new UnplugException(ErrorKind.FAILED, "libpcap cannot capture on " + settings.iface
                            + " (" + why + ")");
                };
            }
            ok = true;
            return h;
        } finally {
            if (!ok) {
                Pcap.pcap_close(h);
            }
        }
    }

    private void breakloop() {
        synchronized (device) {
            if (handle != null && !handleClosed.get()) {
                Pcap.pcap_breakloop(handle);
            }
        }
    }

    /** Closes the handle unless a capture thread may still be reading it (that thread closes it as it exits). */
    private void closeHandleIfIdle() {
        CaptureRun r = run;
        if (r != null && !r.hasExited() && !r.isCaptureThread()) {
            return;
        }
        closeHandle();
    }

    private void closeHandle() {
        synchronized (device) {
            if (handle != null && handleClosed.compareAndSet(false, true)) {
                Pcap.pcap_close(handle);
            }
        }
    }

    // ------------------------------------------------------------------ files and checks

    private Path newFile() {
        String base = "capture-" + (settings.iface == null ? "offline" : settings.iface) + "-"
                + LocalDateTime.now().format(STAMP);
        for (int n = 1; ; n++) {
            Path p = settings.dir.resolve(base + (n == 1 ? "" : "-" + n) + ".pcap");
            try {
                return Files.createFile(p); // never an existing file: successive captures never overwrite
            } catch (FileAlreadyExistsException e) {
                // the next number
            } catch (IOException e) {
                throw new UnplugException(ErrorKind.FAILED, "cannot create capture file " + p + ": " + e, e);
            }
        }
    }

    private void requireWritableDir() {
        try {
            Files.createDirectories(settings.dir);
        } catch (IOException e) {
            throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "capture folder " + settings.dir
                    + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(settings.dir) || !Files.isWritable(settings.dir)) {
            throw new UnplugException(ErrorKind.ACCESS_DENIED, "capture folder " + settings.dir
                    + " is not a writable folder");
        }
    }

    private static void requireInterface(String name) {
        if (name.equals("any")) {
            return;
        }
        try {
            if (NetworkInterface.getByName(name) == null) {
                List<String> known = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                        .map(NetworkInterface::getName).sorted().collect(Collectors.toList());
                throw new UnplugException(ErrorKind.INVALID_ARGUMENT, "no network interface named " + name
                        + " (this machine has " + String.join(", ", known) + ", and any)");
            }
        } catch (SocketException e) {
            throw new UnplugException(ErrorKind.FAILED, "cannot list network interfaces: " + e.getMessage(), e);
        }
    }

    private UnplugException badFilter(String libpcapMessage) {
        return new UnplugException(ErrorKind.INVALID_ARGUMENT, "capture filter '" + settings.filter
                + "' does not compile: " + libpcapMessage);
    }

    private UnplugException notCapturing(String call) {
        return new UnplugException(ErrorKind.NOT_CAPTURING, call + " on " + settings.source()
                + ": no capture is running");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // an empty file is all that is left
            }
        }
    }

    private void fire(CaptureState from, CaptureState to, String reason) {
        Control c = controls.get(settings.mode);
        for (CaptureListener l : listeners) {
            try {
                l.captureStateChanged(c, from, to, reason);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (Throwable ignored) {
                // a listener can never break a capture
            }
        }
    }

    // ------------------------------------------------------------------ the controls

    /** The device seen through one of its sibling modes. */
    private final class Control implements CaptureControl {
        private final CaptureMode mode;

        Control(CaptureMode mode) {
            this.mode = mode;
        }

        /** Refuses a call when the device is not connected, then when this is not the connecting mode. */
        void admit(String call) {
            ConnectionState s = state();
            if (!s.isOpen() && s != ConnectionState.BUSY) {
                throw new UnplugException(ErrorKind.NOT_CONNECTED, call + " on capture device " + settings.source()
                        + ": not connected (" + s.name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            if (mode != settings.mode) {
                throw new UnplugException(ErrorKind.WRONG_MODE, call + " through mode " + mode + " on capture"
                        + " device " + settings.source() + ", which was connected in mode " + settings.mode);
            }
        }

        /** Runs one capture call as a command, after the not-connected and wrong-mode checks. */
        private void call(String name, java.util.function.Consumer<Control> body) {
            admit(name);
            command(name, () -> {
                body.accept(this);
                return null;
            });
        }

        @Override
        public CaptureMode mode() {
            return mode;
        }

        @Override
        public CaptureMode connectedMode() {
            return settings.mode;
        }

        @Override
        public CaptureControl through(CaptureMode other) {
            return controls.get(UnplugException.requireNonNull(other, "mode"));
        }

        @Override
        public CaptureState captureState() {
            return captureState.get();
        }

        @Override
        public void start() {
            call("start", CaptureConnection.this::start);
        }

        @Override
        public void pause() {
            call("pause", CaptureConnection.this::pause);
        }

        @Override
        public void resume() {
            call("resume", CaptureConnection.this::resume);
        }

        @Override
        public void stop() {
            call("stop", CaptureConnection.this::stop);
        }

        @Override
        public DisconnectOutcome disconnect(Duration deadline) {
            admit("disconnect");
            return CaptureConnection.this.disconnect(deadline);
        }

        @Override
        public CaptureStatistics statistics() {
            CaptureRun r = run;
            return r == null ? CaptureStatistics.NONE : r.statistics();
        }

        @Override
        public Optional<Path> currentFile() {
            CaptureRun r = run;
            return Optional.ofNullable(r == null ? null : r.file());
        }

        @Override
        public List<Path> files() {
            return List.copyOf(new ArrayList<>(files));
        }

        @Override
        public void onFrame(FrameHandler h) {
            UnplugException.requireNonNull(h, "handler");
            if (mode != CaptureMode.REAL_TIME || settings.mode != CaptureMode.REAL_TIME) {
                throw new UnplugException(ErrorKind.WRONG_MODE, "frames are delivered only in mode REAL_TIME;"
                        + " this is " + mode + " on a device connected in mode " + settings.mode);
            }
            if (captureState.get() != CaptureState.IDLE) {
                throw new UnplugException(ErrorKind.CAPTURING, "set the frame handler before start()");
            }
            handler = h;
        }

        @Override
        public void addCaptureListener(CaptureListener l) {
            listeners.add(UnplugException.requireNonNull(l, "listener"));
        }

        @Override
        public void removeCaptureListener(CaptureListener l) {
            listeners.remove(UnplugException.requireNonNull(l, "listener"));
        }

        @Override
        public String toString() {
            return "CaptureControl[" + mode + " of " + settings.source() + ", connected in " + settings.mode + ", "
                    + captureState.get() + "]";
        }
    }
}
