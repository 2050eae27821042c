package dev.unplug.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TimersTest {

    @Test
    void aTaskRunsOnceItsDelayHasPassedAndNotBefore() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        long start = System.nanoTime();
        long[] at = new long[1];
        Timers.schedule(() -> {
            at[0] = System.nanoTime();
            ran.countDown();
        }, TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(at[0] - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Timers.Task t = Timers.schedule(runs::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(30));
        t.cancel();
        t.cancel(); // idempotent
        CountDownLatch later = new CountDownLatch(1);
        Timers.schedule(later::countDown, TimeUnit.MILLISECONDS.toNanos(80));
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).hasValue(0);
    }

    @Test
    void anEarlierDeadlineScheduledAfterALaterOneStillRunsOnTime() throws Exception {
        Timers.Task far = Timers.schedule(() -> { }, TimeUnit.SECONDS.toNanos(60));
        CountDownLatch ran = new CountDownLatch(1);
        long start = System.nanoTime();
        Timers.schedule(ran::countDown, TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
        far.cancel();
    }

    @Test
    void tasksRunInDeadlineOrderWhateverTheOrderTheyWereScheduledIn() throws Exception {
        List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(3);
        for (int i : new int[] {3, 1, 2}) {
            Timers.schedule(() -> {
                order.add(i);
                all.countDown();
            }, TimeUnit.MILLISECONDS.toNanos(20L * i));
        }
        assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly(1, 2, 3);
    }

    @Test
    void cancelledFarAwayDeadlinesDoNotAccumulate() {
        for (int i = 0; i < 20_000; i++) {
            Timers.schedule(() -> { }, TimeUnit.HOURS.toNanos(1)).cancel();
        }
        assertThat(Timers.queued()).as("tasks held after 20,000 schedule-then-cancel").isLessThan(3_000);
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheTimer() throws Exception {
        Timers.schedule(() -> {
            throw new IllegalStateException("boom");
        }, 0);
        CountDownLatch ran = new CountDownLatch(1);
        Timers.schedule(ran::countDown, TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskThatThrowsAnErrorDoesNotStopTheTimerEither() throws Exception {
        Timers.schedule(() -> {
            throw new AssertionError("boom");
        }, 0);
        CountDownLatch ran = new CountDownLatch(1);
        Timers.schedule(ran::countDown, TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void hugeDelaysSaturateInsteadOfOverflowing() throws Exception {
        Timers.Task never = Timers.schedule(() -> { }, Long.MAX_VALUE);
        CountDownLatch ran = new CountDownLatch(1);
        Timers.schedule(ran::countDown, TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        never.cancel();
    }
}
