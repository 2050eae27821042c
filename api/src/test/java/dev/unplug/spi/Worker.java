package dev.unplug.spi;

import dev.unplug.api.UnplugException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a call on its own daemon thread; the test then asks for its result or its typed failure. */
final class Worker {

    private final CompletableFuture<Object> done = new CompletableFuture<>();

    private Worker() {
    }

    static Worker start(Callable<?> call) {
        Worker w = new Worker();
        Thread t = new Thread(() -> {
            try {
                w.done.complete(call.call());
            } catch (Throwable e) {
                w.done.completeExceptionally(e);
            }
        }, "test-worker");
        t.setDaemon(true);
        t.start();
        return w;
    }

    /** What the call returned, or the UnplugException it raised. */
    Object outcome(Duration timeout) throws Exception {
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnplugException u) {
                return u;
            }
            throw new AssertionError("the worker failed unexpectedly", e.getCause());
        }
    }

    Object result(Duration timeout) throws Exception {
        Object o = outcome(timeout);
        if (o instanceof UnplugException u) {
            throw new AssertionError("the worker failed: " + u, u);
        }
        return o;
    }

    UnplugException failure(Duration timeout) throws Exception {
        Object o = outcome(timeout);
        if (o instanceof UnplugException u) {
            return u;
        }
        throw new AssertionError("the worker returned " + o + " instead of failing");
    }
}
