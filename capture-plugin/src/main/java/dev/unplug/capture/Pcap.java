package dev.unplug.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.nio.charset.StandardCharsets;

/**
 * The dozen libpcap calls the plugin needs, bound with JNA direct mapping (no proxy per call). Loaded on first
 * use (at connect, never when the provider is constructed); {@link #require()} turns a missing libpcap into a
 * typed error. Every call here is a plain C call: the caller keeps a handle from being used after
 * {@link #pcap_close(Pointer)}.
 */
final class Pcap {

    /** pcap_next_ex: a packet was read. */
    static final int NEXT_PACKET = 1;
    /** pcap_next_ex: the read timeout passed with no packet. */
    static final int NEXT_TIMEOUT = 0;
    /** pcap_next_ex: end of an offline file, or pcap_breakloop was called. */
    static final int NEXT_BREAK = -2;
    /** pcap_activate: no permission to capture. */
    static final int ERROR_PERM_DENIED = -8;
    /** pcap_activate: no such device. */
    static final int ERROR_NO_SUCH_DEVICE = -5;
    /** pcap_activate: the interface is not up. */
    static final int ERROR_IFACE_NOT_UP = -9;
    /** Ethernet link type, as on Linux {@code lo}. */
    static final int DLT_EN10MB = 1;
    /** PCAP_NETMASK_UNKNOWN for pcap_compile. */
    static final int NETMASK_UNKNOWN = 0xffffffff;
    /** PCAP_ERRBUF_SIZE. */
    static final int ERRBUF_SIZE = 256;

    private static final Throwable LOAD_FAILURE = register();

    private Pcap() {
    }

    private static Throwable register() {
        Throwable first = null;
        for (String name : new String[] {"pcap", "libpcap.so.0.8", "libpcap.so.1"}) {
            try {
                Native.register(Pcap.class, NativeLibrary.getInstance(name));
                return null;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        return first;
    }

    /**
     * Makes sure libpcap is loaded.
     *
     * @throws UnplugException {@link ErrorKind#NOT_SUPPORTED} when it cannot be loaded, saying how to install it
     */
    static void require() {
        if (LOAD_FAILURE != null) {
            throw new UnplugException(ErrorKind.NOT_SUPPORTED, "libpcap could not be loaded (on Debian: apt-get"
                    + " install libpcap0.8): " + LOAD_FAILURE.getMessage(), LOAD_FAILURE);
        }
    }

    /** Whether libpcap is loaded. */
    static boolean available() {
        return LOAD_FAILURE == null;
    }

    /** A fresh error buffer. */
    static Memory errbuf() {
        Memory m = new Memory(ERRBUF_SIZE);
        m.clear();
        return m;
    }

    /** The text in an error buffer. */
    static String text(Memory errbuf) {
        return errbuf.getString(0, StandardCharsets.UTF_8.name()).strip();
    }

    static native String pcap_lib_version();

    static native Pointer pcap_create(String source, Pointer errbuf);

    static native int pcap_set_snaplen(Pointer p, int snaplen);

    static native int pcap_set_promisc(Pointer p, int promisc);

    static native int pcap_set_timeout(Pointer p, int toMs);

    static native int pcap_set_buffer_size(Pointer p, int bytes);

    static native int pcap_set_immediate_mode(Pointer p, int immediate);

    static native int pcap_activate(Pointer p);

    static native int pcap_setnonblock(Pointer p, int nonblock, Pointer errbuf);

    static native Pointer pcap_open_offline(String fname, Pointer errbuf);

    static native Pointer pcap_open_dead(int linktype, int snaplen);

    static native int pcap_compile(Pointer p, Pointer program, String filter, int optimize, int netmask);

    static native int pcap_setfilter(Pointer p, Pointer program);

    static native void pcap_freecode(Pointer program);

    static native int pcap_next_ex(Pointer p, Pointer headerOut, Pointer dataOut);

    static native void pcap_breakloop(Pointer p);

    static native int pcap_datalink(Pointer p);

    static native Pointer pcap_dump_open(Pointer p, String fname);

    static native void pcap_dump(Pointer dumper, Pointer header, Pointer data);

    static native int pcap_dump_flush(Pointer dumper);

    static native void pcap_dump_close(Pointer dumper);

    static native int pcap_stats(Pointer p, Pointer stats);

    static native String pcap_geterr(Pointer p);

    static native String pcap_statustostr(int status);

    static native void pcap_close(Pointer p);

    /**
     * Reads and forgets every frame the kernel has buffered on a live handle (those seen while no capture ran),
     * so that a capture holds only frames seen after its start. Call only while no capture thread reads the
     * handle.
     *
     * @return how many frames were forgotten
     */
    static int discardBuffered(Pointer p) {
        Memory err = errbuf();
        if (pcap_setnonblock(p, 1, err) != 0) {
            return 0;
        }
        Memory header = new Memory(Native.POINTER_SIZE);
        Memory data = new Memory(Native.POINTER_SIZE);
        int n = 0;
        try {
            while (n < 1_000_000 && pcap_next_ex(p, header, data) == NEXT_PACKET) {
                n++;
            }
        } finally {
            pcap_setnonblock(p, 0, err);
        }
        return n;
    }

    /**
     * Compiles a filter on a handle and installs it, or only compiles it when {@code install} is false.
     *
     * @return null when it compiled (and was installed), else libpcap's message
     */
    static String filter(Pointer p, String filter, boolean install) {
        Memory program = new Memory(16); // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
        program.clear();
        if (pcap_compile(p, program, filter, 1, NETMASK_UNKNOWN) != 0) {
            return pcap_geterr(p);
        }
        try {
            if (install && pcap_setfilter(p, program) != 0) {
                return pcap_geterr(p);
            }
            return null;
        } finally {
            pcap_freecode(program);
        }
    }
}
