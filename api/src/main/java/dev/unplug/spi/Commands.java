package dev.unplug.spi;

import static dev.unplug.api.ConnectionState.BUSY;
import static dev.unplug.api.ConnectionState.CONNECTED;

import dev.unplug.api.ConnectionState;
import dev.unplug.api.DisconnectOutcome;
import dev.unplug.api.ErrorKind;
import dev.unplug.api.UnplugException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Running protocol work: one command at a time under the command lock, state {@link ConnectionState#BUSY} while
 * it runs, a failure on the wire ending the connection. Package-private collaborator of
 * {@link AbstractConnection}; thread-safe.
 */
final class Commands {

    private final Lifecycle life;
    /** The state a running command returns to (a login inside a command raises it to AUTHENTICATED). */
    volatile ConnectionState resumeState = CONNECTED;

    Commands(Lifecycle life) {
        this.life = life;
    }

    <T> T run(String what, AbstractConnection.Command<T> body, Duration readTimeout) {
        UnplugException.requireNonNull(what, "what");
        UnplugException.requireNonNull(body, "body");
        if (life.commandLock.isHeldByCurrentThread()) {
            return runBody(what, body);
        }
        life.requireOpen(what);
        boolean locked;
        try {
            locked = life.commandLock.tryLock(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw life.c.translate(e, what);
        }
        if (!locked) {
            throw new UnplugException(ErrorKind.BUSY, "another command has been in flight on " + life.shownUri
                    + " for longer than the read timeout " + readTimeout.toMillis() + " ms");
        }
        boolean busy = false;
        try {
            ConnectionState s = life.requireOpen(what);
            if (!life.state.compareAndSet(s, BUSY)) {
                throw life.notOpen(life.state.get(), what);
            }
            busy = true;
            resumeState = s;
            life.fire(s, BUSY);
            return runBody(what, body);
        } finally {
            // one finally for both, so that the error of a dropped command leaves with one landing less
            if (busy) {
                ConnectionState back = resumeState;
                if (life.state.compareAndSet(BUSY, back)) {
                    life.fire(BUSY, back);
                }
            }
            life.commandLock.unlock();
        }
    }

    private <T> T runBody(String what, AbstractConnection.Command<T> body) {
        long start = System.nanoTime();
        try {
            return body.run();
        } catch (UnplugException e) {
            if (life.isEnded()) {
                throw life.droppedDuring(what, e);
            }
            throw e;
        } catch (Exception e) {
            if (life.isEnded()) {
                throw life.droppedDuring(what, e);
            }
            UnplugException error = life.c.translate(e, what);
            life.forceEnd(DisconnectOutcome.failed(Lifecycle.since(start), what + " failed on the wire, so the"
                    + " connection was closed: " + error.getMessage(), error.serverReply().orElse(null), error));
            throw error;
        }
    }
}
