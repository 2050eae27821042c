package dev.unplug.capture;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Lowers the calling thread's CPU priority to the lowest there is (nice 19), for work that nobody waits for and that
 * must not compete for the cores with threads whose deadlines fall at the same instant: after a drop, libpcap
 * unmapping a capture's kernel ring (32 MiB by default; about a millisecond of kernel work each, with a TLB flush on
 * every core) and the capture thread's own exit. Linux only, where {@code setpriority} on a thread id changes that
 * one thread; elsewhere, or when the C library does not offer {@code gettid}, it does nothing. Thread-safe.
 */
final class Niceness {

    /** The lowest priority a thread can have on Linux. */
    private static final int LOWEST = 19;
    private static final int PRIO_PROCESS = 0;
    private static final boolean BOUND = bind();

    private Niceness() {
    }

    private static boolean bind() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            Native.register(Niceness.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Gives the calling thread the lowest priority, for the rest of its life.
     *
     * @return whether it was lowered
     */
    static boolean lowerThisThread() {
        return BOUND && setpriority(PRIO_PROCESS, gettid(), LOWEST) == 0;
    }

    private static native int gettid();

    private static native int setpriority(int which, int who, int prio);
}
